"""The compilation's PDF and spreadsheet, made in the background (``samverkan.exports``).

The export's params hold the period, the group's slug (None: the county) and the id of
the person who asked; the builder asks the rules again, as the page does, so that a file is
only ever made of numbers its reader may read, even if their seat ended meanwhile.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import translation

from samverkan.exports.tasks import Built, register
from samverkan.organisations.models import LocalGroup
from samverkan.permissions import allowed
from samverkan.sorting import Swedish

PERM = "deviations.view_reports"
COUNTY = "deviations.view_county_reports"
PDF = "deviations.compilation.pdf"
XLSX = "deviations.compilation.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def readable(user):
    """Whether ``user`` reads the whole county, and the groups they may choose among."""
    county = allowed(user, COUNTY)
    groups = LocalGroup.objects.all() if county else LocalGroup.objects.seated(user)
    return county, groups.order_by(Swedish("name"))


def params(period, group, user) -> dict:
    return {
        "fran": period[0].isoformat(),
        "till": period[1].isoformat(),
        "grupp": group.slug if group is not None else None,
        "user": user.pk,
    }


def _numbers(export):
    from samverkan.deviations import stats

    asked = export.params
    user = get_user_model().objects.get(pk=asked["user"])
    if user.pk != export.requested_by_id or not user.is_active or not allowed(user, PERM):
        raise PermissionDenied
    county, groups = readable(user)
    group = None
    if asked.get("grupp"):
        group = groups.filter(slug=asked["grupp"]).first()
        if group is None:
            raise PermissionDenied
    elif not county:
        raise PermissionDenied
    start = datetime.date.fromisoformat(asked["fran"])
    end = datetime.date.fromisoformat(asked["till"])
    return stats.compute(start, end, group=group)


def build_pdf(export) -> Built:
    from samverkan.deviations import compilation

    with translation.override(settings.LANGUAGE_CODE):
        numbers = _numbers(export)
        content = compilation.compilation_pdf(numbers)
    return Built(content, compilation.file_name(numbers, "pdf"), "application/pdf")


def build_xlsx(export) -> Built:
    from samverkan.deviations import compilation

    with translation.override(settings.LANGUAGE_CODE):
        numbers = _numbers(export)
        content = compilation.compilation_xlsx(numbers)
    return Built(content, compilation.file_name(numbers, "xlsx"), XLSX_TYPE)


register(PDF, build_pdf)
register(XLSX, build_xlsx)
