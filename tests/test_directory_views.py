"""The directory: the county's local groups, their bodies and members, units and principals."""

import pytest
from django.urls import reverse

from samverkan.audit.models import AccessLog
from samverkan.organisations.models import Area, Body, LocalGroup, Membership, Unit
from tests.helpers import count_queries, seat

pytestmark = pytest.mark.django_db


def test_directory_pages_need_login(client, group, steering, school):
    urls = [
        reverse("organisations:directory"),
        reverse("organisations:group", args=[group.slug]),
        reverse("organisations:body", args=[steering.pk]),
        reverse("organisations:units"),
        reverse("organisations:unit", args=[school.pk]),
        reverse("organisations:principal", args=[school.principal_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("account_login")), url


def test_directory_lists_groups_and_county_bodies(client_for, outsider, group, steering):
    Body.objects.create(name="BUSSAM", kind="bussam", level="county", cadence="several_per_year")
    response = client_for(outsider).get(reverse("organisations:directory"))
    assert response.status_code == 200
    assert group.name in response.text
    assert "BUSSAM" in response.text
    assert "1 lokal BUS-grupp" in response.text


def test_group_page_shows_bodies_members_and_cadence(client_for, outsider, steering, staff, school):
    seat(steering, staff, Membership.Role.CHAIR, function="Rektor", unit=school)
    seat(steering, None, function="Verksamhetschef, BUP")
    response = client_for(outsider).get(reverse("organisations:group", args=["testby"]))
    assert response.status_code == 200
    page = response.text
    assert "BUS lokal styrgrupp" in page
    assert "Minst en gång per termin" in page
    assert "Kim Kurator" in page and "Ordförande" in page
    assert "Vakant" in page


def test_body_page_has_breadcrumbs_and_past_members(client_for, outsider, steering, staff):
    old = seat(steering, staff, function="Tidigare ordförande")
    old.valid_to = "2020-12-31"
    old.save()
    response = client_for(outsider).get(reverse("organisations:body", args=[steering.pk]))
    assert response.status_code == 200
    assert 'aria-current="page"' in response.text
    assert "BUS Testby" in response.text  # the group's crumb
    assert "Tidigare medlemmar" in response.text
    assert "Tidigare ordförande" in response.text


def test_unknown_group_and_body_answer_404_and_are_logged(client_for, outsider):
    client = client_for(outsider)
    assert client.get(reverse("organisations:group", args=["finns-inte"])).status_code == 404
    assert client.get(reverse("organisations:body", args=[999999])).status_code == 404
    denied = AccessLog.objects.filter(action="denied", user=outsider)
    assert denied.count() == 2


def test_unit_list_filters_and_paginates(client_for, outsider, school, bup, settings):
    client = client_for(outsider)
    response = client.get(reverse("organisations:units"), {"q": "BUP"})
    assert "BUP Testby" in response.text and "Testskolan" not in response.text
    response = client.get(reverse("organisations:units"), {"kind": "compulsory_school"})
    assert "Testskolan" in response.text and "BUP Testby" not in response.text
    response = client.get(reverse("organisations:units"), {"principal_kind": "region"})
    assert "BUP Testby" in response.text and "Testskolan" not in response.text
    settings.PAGE_SIZE = 1
    response = client.get(reverse("organisations:units"), {"sida": 2})
    assert response.context["page"].number == 2
    assert "2 träffar" in response.text
    # A page past the end shows the last page rather than an error.
    assert client.get(reverse("organisations:units"), {"sida": 99}).status_code == 200


def test_unit_list_rejects_an_unknown_kind(client_for, outsider, school):
    response = client_for(outsider).get(reverse("organisations:units"), {"kind": "ufo"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.text
    assert "Testskolan" not in response.text


def test_unit_page_shows_staff_only_to_those_who_may(client_for, outsider, staff, school, bup):
    url = reverse("organisations:unit", args=[school.pk])
    response = client_for(outsider).get(url)
    assert response.status_code == 200
    assert "Testskolan" in response.text
    assert "kurator@testskolan.example" not in response.text
    assert not AccessLog.objects.filter(action="view").exists()

    response = client_for(staff).get(url)
    assert "kurator@testskolan.example" in response.text
    entry = AccessLog.objects.get(action="view")
    assert (entry.user, entry.object_type, entry.object_id) == (
        staff,
        "organisations.unit",
        str(school.pk),
    )
    assert "Personal" in entry.role

    # Working at another unit gives no view of this one's staff.
    response = client_for(staff).get(reverse("organisations:unit", args=[bup.pk]))
    assert response.context["staff"] is None


def test_secretariat_sees_unit_staff(client_for, secretariat, staff, school):
    response = client_for(secretariat).get(reverse("organisations:unit", args=[school.pk]))
    assert "kurator@testskolan.example" in response.text


def test_principal_page_lists_units(client_for, outsider, school):
    response = client_for(outsider).get(
        reverse("organisations:principal", args=[school.principal_id])
    )
    assert response.status_code == 200
    assert "212000-0142" in response.text and "Testskolan" in response.text
    assert "Ändra huvudman" not in response.text


def grow(group, municipality, n):
    """Add n units, areas, groups and members: the directory's queries must not follow."""
    for i in range(n):
        area = Area.objects.create(name=f"Område {i}", kind="district", municipality=municipality)
        more = LocalGroup.objects.create(name=f"BUS Grupp {i}", slug=f"grupp-{i}")
        more.areas.add(area)
        unit = Unit.objects.create(
            principal=municipality, name=f"Skola {i}", kind="preschool", area=area
        )
        for kind in ("steering", "working"):
            body = Body.objects.create(
                name=f"{kind} {i}", kind=kind, level="local", local_group=group, cadence="per_term"
            )
            seat(body, None, function=f"Funktion {i}", unit=unit)


@pytest.mark.parametrize(
    "url_name",
    ["directory", "group", "body", "units", "unit", "principal"],
)
def test_directory_query_counts_do_not_grow_with_data(
    client_for, outsider, group, steering, school, municipality, url_name
):
    args = {
        "group": [group.slug],
        "body": [steering.pk],
        "unit": [school.pk],
        "principal": [municipality.pk],
    }.get(url_name, [])
    url = reverse(f"organisations:{url_name}", args=args)
    client = client_for(outsider)
    seat(steering, outsider, function="Ledamot", unit=school)
    _, before = count_queries(client, url)
    grow(group, municipality, 15)
    for i in range(5):
        seat(steering, outsider, function=f"Extra {i}", unit=school)
    _, after = count_queries(client, url)
    assert after == before, f"{url}: {before} queries, then {after} with more data"
    # Session, user, the user's standing (units and seats: once per request), the unread
    # notifications in the header, the page.
    assert after <= 9, f"{url} runs {after} queries"
