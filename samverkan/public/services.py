"""Saving page versions and receiving barrier reports."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from samverkan.notifications.service import in_service_language, notify
from samverkan.organisations.models import Body
from samverkan.public.models import BarrierReport, Page, PageVersion
from samverkan.references.numbers import next_reference

VERSION_FIELDS = (
    "title_sv", "lead_sv", "body_sv", "title_en", "lead_en", "body_en",
    "fact_checked_on", "fact_checker",
)  # fmt: skip


class EditConflict(Exception):
    """The page got a newer version while this one was being written."""

    def __init__(self, current: PageVersion):
        super().__init__(current.number)
        self.current = current


def save_version(
    page: Page, data: dict, editor, *, based_on: int | None, updated_on=None
) -> PageVersion:
    """Keep ``data`` as the page's next version, edited by ``editor`` today (or on
    ``updated_on``, for texts loaded as they stood on an earlier day).

    ``based_on`` is the version number the editor started from; if another version has
    been saved since, nothing is saved and ``EditConflict`` carries the newer one, so that
    no one's change is silently overwritten."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        current = page.current
        if current is not None and based_on != current.number:
            raise EditConflict(current)
        version = PageVersion.objects.create(
            page=page,
            number=(current.number if current else 0) + 1,
            updated_on=updated_on or timezone.localdate(),
            editor=editor,
            **{name: data.get(name) or _blank(name) for name in VERSION_FIELDS},
        )
        page.current = version
        page.save(update_fields=["current"])
    return version


def _blank(name: str):
    return None if name in ("fact_checked_on", "fact_checker") else ""


def create_page(slug: str, position: int, data: dict, editor, updated_on=None) -> Page:
    with transaction.atomic():
        page = Page.objects.create(slug=slug, position=position)
        save_version(page, data, editor, based_on=None, updated_on=updated_on)
    return Page.objects.select_related("current").get(pk=page.pk)


def secretariat_mailboxes() -> list[str]:
    return [
        m
        for m in Body.objects.filter(kind=Body.Kind.SECRETARIAT).values_list("mailbox", flat=True)
        if m
    ]


@in_service_language
def receive_barrier_report(data: dict) -> BarrierReport:
    """Save the report and tell the secretariat: in the app and by e-mail to each of its
    members, and to its function mailbox, both after the report has committed and through
    the background queue. The notification names only the report's number."""
    with transaction.atomic():
        report = BarrierReport.objects.create(
            reference=next_reference(BarrierReport, "TH", timezone.localdate().year),
            page=data["page"],
            problem=data["problem"],
            contact_email=data.get("contact_email") or "",
        )
        secretariat = get_user_model().objects.filter(is_secretariat=True, is_active=True)
        notify(
            secretariat,
            _("Ny rapport om en tillgänglighetsbrist: %(reference)s")
            % {"reference": report.reference},
            reverse("public:barrier_reports") + f"#{report.reference}",
            about=report,
        )
        mailboxes = secretariat_mailboxes()
        if mailboxes:
            from samverkan.public.tasks import email_barrier_report

            transaction.on_commit(lambda: email_barrier_report.enqueue(report.pk, mailboxes))
    return report


def load_pages(editor, fact_checker=None, today=None) -> list[Page]:
    """Create the pages of ``content.PAGES`` that do not exist yet (never touching one that
    does), each as version 1 by ``editor``; returns the pages created."""
    from samverkan.public.content import PAGES

    today = today or timezone.localdate()
    created = []
    for spec in PAGES:
        if Page.objects.filter(slug=spec["slug"]).exists():
            continue
        data = {
            name: value.strip().replace("{datum}", today.isoformat())
            for name, value in spec.items()
            if name not in ("slug", "position")
        }
        if fact_checker is not None:
            data |= {"fact_checker": fact_checker, "fact_checked_on": today}
        created.append(create_page(spec["slug"], spec["position"], data, editor, today))
    return created
