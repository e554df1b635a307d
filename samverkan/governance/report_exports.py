"""The county follow-up's PDF and spreadsheet, made in the background (``samverkan.exports``).

The export's params hold the year and the id of the person who asked; the builder asks the
rules again, as the page does, so that a file is only made for someone who may still read it.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import translation

from samverkan.exports.tasks import Built, register
from samverkan.permissions import allowed

COUNTY = "governance.view_county"
PDF = "governance.county.pdf"
XLSX = "governance.county.xlsx"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def params(year: int, user) -> dict:
    return {"year": year, "user": user.pk}


def _report(export):
    from samverkan.governance import reports
    from samverkan.governance.forms_follow_up import valid_year

    asked = export.params
    user = get_user_model().objects.get(pk=asked["user"])
    if user.pk != export.requested_by_id or not user.is_active or not allowed(user, COUNTY):
        raise PermissionDenied
    if not valid_year(asked["year"]):
        raise PermissionDenied
    return reports.county(asked["year"])


def build_pdf(export) -> Built:
    from samverkan.governance import reports

    with translation.override(settings.LANGUAGE_CODE):
        report = _report(export)
        content = reports.county_pdf(report)
    return Built(content, reports.file_name(report.year, "pdf"), "application/pdf")


def build_xlsx(export) -> Built:
    from samverkan.governance import reports

    with translation.override(settings.LANGUAGE_CODE):
        report = _report(export)
        content = reports.county_xlsx(report)
    return Built(content, reports.file_name(report.year, "xlsx"), XLSX_TYPE)


register(PDF, build_pdf)
register(XLSX, build_xlsx)
