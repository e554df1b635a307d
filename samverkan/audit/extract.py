"""The per-child log extract (logguttdrag): every access to anything about a child.

Each unit keeps its own record of a child, so the extract gathers every record with the
number the log reviewer types and every access-log entry naming one of them: the
records themselves, consents, forum cases, protocols, plans, downloaded files, refusals
included. The page shows it; the PDF (for the guardian who asked) and the spreadsheet are
made in the background (``samverkan.exports``).
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from samverkan import pdf
from samverkan.audit.models import AccessLog
from samverkan.exports.tasks import Built, register
from samverkan.people.models import Child
from samverkan.spreadsheets import table_sheet, workbook_bytes


@dataclass
class Extract:
    number: str  # as typed: a personnummer or a reservnummer
    records: list
    entries: object  # a queryset, newest first

    @property
    def child_ids(self) -> list[int]:
        return [child.pk for child in self.records]

    def entries_by_record(self) -> list:
        """The entries as one part per record of the child, each read newest first from
        the (child_id, at, id) index (for ``keyset_page``)."""
        return [self.entries.filter(child_id=pk) for pk in self.child_ids]

    def held_by(self, entry) -> str:
        """Which unit's record of the child the entry is about."""
        for child in self.records:
            if child.pk == entry.child_id:
                return child.owning_unit.name
        return ""


def _start_of_day(day, days_after: int = 0) -> datetime.datetime:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    day += datetime.timedelta(days=days_after)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def extract_for(
    personal_number: str | None = None,
    reserve_number: str | None = None,
    *,
    date_from=None,
    date_to=None,
) -> Extract:
    """By personnummer: the records carrying it, those that once had a reservnummer too. By
    reservnummer: the records carrying it and those where it was replaced by a personnummer
    (kept in the record's number history). A reservnummer is never compared with a
    personnummer."""
    if personal_number:
        number, which = personal_number, Q(personal_number=personal_number)
    else:
        number = reserve_number
        which = Q(reserve_number=reserve_number) | Q(number_changes__old_number=reserve_number)
    records = list(
        Child.objects.filter(which)
        .distinct()
        .select_related("owning_unit__principal")
        .order_by("pk")
    )
    entries = AccessLog.objects.filter(child_id__in=[child.pk for child in records])
    # Whole days in local time, as ranges on the indexed column (not at::date).
    if date_from:
        entries = entries.filter(at__gte=_start_of_day(date_from))
    if date_to:
        entries = entries.filter(at__lt=_start_of_day(date_to, days_after=1))
    entries = entries.select_related("user").order_by("-at", "-id")
    return Extract(number, records, entries)


def who(entry) -> str:
    if entry.user_id and entry.user.get_full_name():
        return f"{entry.user.get_full_name()} ({entry.user_label})"
    return entry.user_label or _("(ej inloggad)")


def _rows(extract: Extract):
    for entry in extract.entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at),
            who(entry),
            entry.role,
            entry.get_action_display(),
            extract.held_by(entry),
            entry.record_name,
            entry.reason,
            entry.status_code or "",
        ]


HEADINGS = [
    gettext_noop("Tidpunkt"),
    gettext_noop("Vem"),
    gettext_noop("Roll"),
    gettext_noop("Händelse"),
    gettext_noop("Registrering hos"),
    gettext_noop("Post"),
    gettext_noop("Skäl"),
    gettext_noop("Svarskod"),
]


def _title(extract: Extract) -> str:
    return _("Logguttdrag för %(number)s") % {"number": extract.number}


def build_pdf(export) -> Built:
    extract = extract_for(**export.params["query"])
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            "audit/child_extract_pdf.html",
            {
                "extract": extract,
                "title": _title(extract),
                "rows": _rows(extract),
                "made_at": timezone.localtime(),
                "made_by": export.requested_by,
                "query": export.params["query"],
            },
        )
    return Built(
        pdf.render_pdf(html),
        f"logguttdrag-{timezone.localdate():%Y-%m-%d}.pdf",
        "application/pdf",
    )


def build_xlsx(export) -> Built:
    from openpyxl import Workbook

    extract = extract_for(**export.params["query"])
    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override(settings.LANGUAGE_CODE):
        headings = [_(heading) for heading in HEADINGS]
        table_sheet(
            workbook, _("Åtkomster"), headings, _rows(extract), [20, 40, 40, 14, 36, 30, 50, 10]
        )
        table_sheet(
            workbook,
            _("Registreringar"),
            [_("Verksamhet"), _("Huvudman"), _("Registrerad")],
            [
                [c.owning_unit.name, c.owning_unit.principal.name, timezone.localtime(c.created_at)]
                for c in extract.records
            ],
            [45, 30, 20],
        )
    return Built(
        workbook_bytes(workbook),
        f"logguttdrag-{timezone.localdate():%Y-%m-%d}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


register("audit.child_extract.pdf", build_pdf)
register("audit.child_extract.xlsx", build_xlsx)
