"""The log reviewer's per-child log extract: every access to anything about a child,
refusals included, on a page and as PDF and XLSX made in the background."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from samverkan.audit.models import AccessLog
from samverkan.exports.models import Export
from samverkan.forum.models import ForumCase
from samverkan.people.models import Child
from tests.helpers import employ
from tests.tagged_pdf import assert_accessible

pytestmark = pytest.mark.django_db
URL = reverse("audit:child_extract")


@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20170101-2393", first_name="Astrid", last_name="Hemlig",
        owning_unit=school, created_by=staff,
    )  # fmt: skip


@pytest.fixture
def other_record(bup, make_user):
    """The same child as registered by another unit: one extract covers both."""
    clinician = make_user("psykolog@bup.example")
    employ(clinician, bup)
    return Child.objects.create(
        personal_number="20170101-2393", first_name="A", last_name="H", owning_unit=bup,
        created_by=clinician,
    )  # fmt: skip


@pytest.fixture
def touched(client_for, staff, outsider, child, other_record, group):
    """A view, a refusal, and a case about the child; and another child's view."""
    case = ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=child.owning_unit, raised_by=staff,
        noticed_on=datetime.date(2026, 11, 1), reason="Samordning",
    )  # fmt: skip
    client_for(staff).get(child.get_absolute_url())
    client_for(staff).get(case.get_absolute_url())
    client_for(outsider).get(child.get_absolute_url())  # refused, 404
    stranger = Child.objects.create(
        personal_number="19121212-1212", first_name="B", last_name="C",
        owning_unit=child.owning_unit, created_by=staff,
    )  # fmt: skip
    client_for(staff).get(stranger.get_absolute_url())
    client_for(outsider).get(other_record.get_absolute_url())
    return case


def test_the_extract_gathers_every_access_to_every_record_of_the_child(
    client_for, log_reviewer, touched, child, other_record
):
    response = client_for(log_reviewer).get(URL, {"personal_number": "201701012393"})
    assert response.status_code == 200
    entries = list(response.context["page"])
    assert {e.child_id for e in entries} == {child.pk, other_record.pk}
    kinds = {(e.object_type, e.action) for e in entries}
    assert ("people.child", "view") in kinds
    assert ("forum.forumcase", "view") in kinds
    assert ("people.child", "denied") in kinds
    assert len(entries) == 4  # not the other child's
    content = response.content.decode()
    assert "Nekades" in content
    assert child.owning_unit.name in content and other_record.owning_unit.name in content


def test_opening_an_extract_is_logged_against_the_child(client_for, log_reviewer, child):
    client_for(log_reviewer).get(URL, {"personal_number": "20170101-2393"})
    entry = AccessLog.objects.get(user=log_reviewer, child_id=child.pk)
    assert (entry.action, entry.reason) == ("search", "Logguttdrag")
    again = client_for(log_reviewer).get(URL, {"personal_number": "20170101-2393"})
    assert any(e.reason == "Logguttdrag" for e in again.context["page"])


def test_pdf_and_xlsx_are_made_in_the_background_for_the_reviewer_only(
    client_for, log_reviewer, make_user, touched, child, django_capture_on_commit_callbacks
):
    client = client_for(log_reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"personal_number": "20170101-2393", "format": "xlsx"})
    export = Export.objects.get(kind="audit.child_extract.xlsx")
    assert response.status_code == 302 and response.url == export.get_absolute_url()
    assert export.status == "ready"  # tests run tasks at once
    assert export.child_id == child.pk
    download = client.get(reverse("exports:download", args=[export.pk]))
    assert download.status_code == 200
    sheet = load_workbook(io.BytesIO(download.content))["Åtkomster"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # The four accesses, the opening of the extract (once per record) and the order.
    assert len(rows) == 7
    assert any(row[3] == "Nekades" for row in rows)
    assert {row[4] for row in rows} == {"Testskolan", "BUP Testby"}  # whose record
    assert AccessLog.objects.filter(
        user=log_reviewer, action="export", object_type="exports.export", child_id=child.pk
    ).exists()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"personal_number": "20170101-2393", "format": "pdf"})
    pdf = Export.objects.get(kind="audit.child_extract.pdf")
    body = client.get(reverse("exports:download", args=[pdf.pk]))
    assert body.content.startswith(b"%PDF")
    assert_accessible(
        body.content,
        title="Logguttdrag för 20170101-2393",
        reading_order=[
            "Logguttdrag för 20170101-2393", "Barnet är registrerat hos", "Testskolan",
            "Åtkomster, nyast först", "Tidpunkt", "Svarskod", "Nekades",
        ],
    )  # fmt: skip

    other_reviewer = make_user("annan@example.org", is_log_reviewer=True)
    assert (
        client_for(other_reviewer).get(reverse("exports:download", args=[pdf.pk])).status_code
        == 404
    )


def test_only_log_reviewers_take_extracts(client, client_for, staff, admin_user, secretariat):
    for user in (staff, admin_user, secretariat):
        assert client_for(user).get(URL, {"personal_number": "20170101-2393"}).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_a_wrong_check_digit_is_a_field_error(client_for, log_reviewer):
    response = client_for(log_reviewer).get(URL, {"personal_number": "20170101-2394"})
    assert response.status_code == 200
    assert "personal_number" in response.context["form"].errors
    assert "extract" not in response.context


def test_a_number_nobody_registered_says_so(client_for, log_reviewer):
    response = client_for(log_reviewer).get(URL, {"personal_number": "19121212-1212"})
    assert "Inget barn med det numret" in response.content.decode()


# --- children without a Swedish number (issue 11, item 9) -------------------------------------
RESERVE = "20150612-T042"


@pytest.fixture
def reserve_child(school, staff):
    return Child.objects.create(
        reserve_number=RESERVE, first_name="Nyanländ", last_name="Barn", owning_unit=school,
        created_by=staff,
    )  # fmt: skip


def test_the_extract_is_asked_for_by_reservnummer(
    client_for, log_reviewer, staff, reserve_child, child
):
    client_for(staff).get(reserve_child.get_absolute_url())
    client_for(staff).get(child.get_absolute_url())
    response = client_for(log_reviewer).get(URL, {"reserve_number": "20150612t042"})
    assert response.status_code == 200
    extract = response.context["extract"]
    assert extract.number == RESERVE and extract.records == [reserve_child]
    assert {entry.child_id for entry in extract.entries} == {reserve_child.pk}
    assert f"Uttag för {RESERVE}" in response.text


def test_a_replaced_reservnummer_still_finds_the_record(
    client_for, log_reviewer, staff, reserve_child
):
    from samverkan.people.models import replace_reserve_number

    client_for(staff).get(reserve_child.get_absolute_url())
    replace_reserve_number(reserve_child, "20150612-2389", staff)
    client_for(staff).get(reserve_child.get_absolute_url())
    for query in ({"reserve_number": RESERVE}, {"personal_number": "20150612-2389"}):
        extract = client_for(log_reviewer).get(URL, query).context["extract"]
        assert [child.pk for child in extract.records] == [reserve_child.pk]
        assert extract.entries.filter(action="view").count() == 2  # before and after


def test_a_reservnummer_is_never_compared_with_a_personnummer(client_for, log_reviewer, child):
    response = client_for(log_reviewer).get(URL, {"reserve_number": RESERVE})
    assert response.context["extract"].records == []
    both = client_for(log_reviewer).get(
        URL, {"personal_number": "20170101-2393", "reserve_number": RESERVE}
    )
    assert "extract" not in both.context and "reserve_number" in both.context["form"].errors
    neither = client_for(log_reviewer).get(URL, {"date_from": "2026-01-01"})
    assert "extract" not in neither.context and "personal_number" in neither.context["form"].errors


def test_the_reservnummer_export_is_built_for_the_same_child(
    client_for, log_reviewer, staff, reserve_child, django_capture_on_commit_callbacks
):
    client_for(staff).get(reserve_child.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        client_for(log_reviewer).post(URL, {"reserve_number": RESERVE, "format": "xlsx"})
    export = Export.objects.get()
    assert export.status == "ready" and export.child_id == reserve_child.pk
    assert export.params["query"]["reserve_number"] == RESERVE


def test_the_extract_pages_through_both_records_once_in_order(
    client_for, log_reviewer, staff, child, other_record, settings
):
    """The entries about the child's two records, merged newest first (on PostgreSQL read
    record by record from the (child_id, at, id) index), many at the same moment."""
    settings.PAGE_SIZE = 4
    noon = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
    AccessLog.objects.bulk_create(
        AccessLog(
            user=staff,
            user_label=staff.email,
            action="view",
            object_type="people.child",
            object_id=str(record.pk),
            child_id=record.pk,
            at=noon + datetime.timedelta(minutes=i % 3),
        )  # fmt: skip
        for i in range(7)
        for record in (child, other_record)
    )
    about_the_child = AccessLog.objects.filter(child_id__in=[child.pk, other_record.pk])
    expected = list(about_the_child.order_by("-at", "-id").values_list("pk", flat=True))
    assert len(expected) == 14
    client = client_for(log_reviewer)
    query = {"personal_number": "20170101-2393", "date_from": "2026-03-01"}
    response = client.get(URL, {**query, "sista": "1"})
    assert [e.pk for e in response.context["page"]] == expected[-4:]
    assert response.context["page"].is_oldest
    # From the newest page (which now begins with the look just logged), older and older.
    response = client.get(URL, query)
    seen = [e.pk for e in response.context["page"]]
    while response.context["page"].has_older:
        older = response.context["page"].older
        response = client.get(URL, {**query, "fore": older})
        assert response.status_code == 200
        seen += [e.pk for e in response.context["page"]]
    assert [pk for pk in seen if pk in expected] == expected
    assert "personal_number=20170101-2393" in response.text  # the page links keep the query
