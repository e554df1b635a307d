"""Meetings of bodies: the cadence rule across term boundaries, minutes, decisions, action
items, the .ics and who may do what."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.governance import cadence
from samverkan.governance.models import ActionItem, Decision, Meeting
from samverkan.organisations.models import Body, Membership
from samverkan.organisations.terms import Term
from tests.helpers import count_queries, seat

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def working(group):
    return Body.objects.create(
        name="BUS arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )


@pytest.fixture
def chair(make_user, steering):
    user = make_user("ordf@styrgrupp.example", first_name="Stina", last_name="Styr")
    seat(steering, user, Membership.Role.CHAIR)
    return user


def meeting(body, day, **fields):
    return Meeting.objects.create(body=body, held_on=day, created_by=fields.pop("by"), **fields)


# --- the cadence rule -------------------------------------------------------------------------
def test_terms_met_across_term_boundaries(steering, working, chair):
    meeting(steering, datetime.date(2026, 6, 30), by=chair)  # last day of vt
    meeting(working, datetime.date(2026, 7, 15), by=chair)  # July: no term
    meeting(working, datetime.date(2026, 8, 1), by=chair)  # first day of ht
    vt, ht = Term(2026, "vt"), Term(2026, "ht")
    met = cadence.terms_met([steering, working], {vt, ht})
    assert met[steering.pk] == {vt}
    assert met[working.pk] == {ht}


def test_overview_this_term_and_last(steering, working, chair):
    on = datetime.date(2026, 9, 15)  # ht 2026; last term vt 2026
    meeting(steering, datetime.date(2026, 9, 1), by=chair)
    meeting(working, datetime.date(2026, 3, 1), by=chair)
    meeting(working, datetime.date(2025, 11, 1), by=chair)  # ht 2025: too old to show
    data = cadence.overview(on)
    assert (data["current"], data["previous"]) == (Term(2026, "ht"), Term(2026, "vt"))
    rows = {row["body"].kind: (row["current"], row["previous"]) for row in data["rows"]}
    assert rows == {"steering": (True, False), "working": (False, True)}


def test_in_july_the_current_term_is_the_spring(steering, chair):
    meeting(steering, datetime.date(2026, 5, 5), by=chair)
    data = cadence.overview(datetime.date(2026, 7, 10))
    assert data["current"] == Term(2026, "vt")
    assert data["rows"][0]["current"] is True


def test_overview_page_and_its_query_count(client_for, outsider, steering, working, chair, group):
    client = client_for(outsider)
    response, first = count_queries(client, reverse("governance:overview"))
    assert "Inget möte" in response.text and group.name in response.text
    for i in range(10):
        meeting(steering, TODAY - datetime.timedelta(days=i * 20), by=chair)
        meeting(working, TODAY - datetime.timedelta(days=i * 25), by=chair)
    _, later = count_queries(client, reverse("governance:overview"))
    assert later == first


# --- meetings ---------------------------------------------------------------------------------
def test_body_leads_record_a_meeting_with_minutes(client_for, steering, chair):
    client = client_for(chair)
    response = client.post(
        reverse("governance:meeting_add", args=[steering.pk]),
        {
            "held_on": TODAY.isoformat(),
            "time": "13:00",
            "place": "Rum 1",
            "agenda": "1. Uppföljning",
            "attendees": "Stina Styr, ordförande",
            "minutes": "Gruppen gick igenom årets ärenden.",
        },
    )
    saved = Meeting.objects.get()
    assert response.status_code == 302 and response.url == saved.get_absolute_url()
    assert saved.minutes_recorded_at is not None and saved.created_by == chair
    page = client.get(saved.get_absolute_url()).text
    assert "Gruppen gick igenom" in page


def test_minutes_for_a_future_meeting_are_refused(client_for, steering, chair):
    response = client_for(chair).post(
        reverse("governance:meeting_add", args=[steering.pk]),
        {"held_on": (TODAY + datetime.timedelta(days=7)).isoformat(), "minutes": "Protokoll"},
    )
    assert response.status_code == 200
    assert "Protokoll kan inte föras för ett möte som inte har hållits än." in response.text
    assert not Meeting.objects.exists()
    # Booking the future meeting without minutes is fine.
    client_for(chair).post(
        reverse("governance:meeting_add", args=[steering.pk]),
        {"held_on": (TODAY + datetime.timedelta(days=7)).isoformat(), "agenda": "Budget"},
    )
    assert Meeting.objects.count() == 1


def test_minutes_carry_no_identity(client_for, steering, chair):
    response = client_for(chair).post(
        reverse("governance:meeting_add", args=[steering.pk]),
        {"held_on": TODAY.isoformat(), "minutes": "Ärendet gällde 20170101-2393."},
    )
    assert "Ta bort personnummer" in response.text
    assert not Meeting.objects.exists()


def field_error(html, name):
    match = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


def test_the_identity_message_speaks_of_the_minutes(client_for, steering, chair):
    """Issue 11, item 8: the minutes form's message is about the minutes, not about a
    deviation report; it stands at the field, and nothing is saved."""
    client = client_for(chair)
    held = meeting(steering, TODAY - datetime.timedelta(days=1), by=chair, agenda="Budget")
    for address in (
        reverse("governance:meeting_add", args=[steering.pk]),
        reverse("governance:meeting_edit", args=[held.pk]),
    ):
        response = client.post(
            address,
            {
                "held_on": held.held_on.isoformat(),
                "agenda": "Budget",
                "minutes": "Vi talade om barnet med personnummer 20170101-2393.",
            },
        )
        assert response.status_code == 200
        assert field_error(response.text, "minutes") == (
            "Ta bort personnummer eller samordningsnummer: ”20170101-2393”. Protokollet får "
            "inte innehålla personnummer eller andra uppgifter som pekar ut en person."
        )
        assert "Avvikelse" not in response.text
        assert "Rätta följande för att gå vidare" in response.text
    held.refresh_from_db()
    assert Meeting.objects.count() == 1 and held.minutes == "" and held.minutes_recorded_at is None

    response = client.post(
        reverse("governance:meeting_add", args=[steering.pk]),
        {"held_on": TODAY.isoformat(), "agenda": "Ring 070-123 45 67", "attendees": "a@b.se"},
    )
    assert field_error(response.text, "agenda") == (
        "Ta bort telefonnummer: ”070-123 45 67”. Dagordningen får inte innehålla uppgifter som "
        "pekar ut en person."
    )
    assert field_error(response.text, "attendees") == (
        "Ta bort e-postadress: ”a@b.se”. Närvarolistan tar bara namn och funktion, inga "
        "personnummer, e-postadresser eller telefonnummer."
    )
    response = client.post(
        reverse("governance:add_decision", args=[held.pk]), {"text": "Gäller 20170101-2393."}
    )
    assert field_error(response.text, "text") == (
        "Ta bort personnummer eller samordningsnummer: ”20170101-2393”. Beslut i protokollet "
        "får inte innehålla uppgifter som pekar ut en person."
    )
    assert Meeting.objects.count() == 1 and not Decision.objects.exists()


def test_decisions_and_action_items(client_for, steering, chair):
    held = meeting(steering, TODAY, by=chair)
    client = client_for(chair)
    client.post(reverse("governance:add_decision", args=[held.pk]), {"text": "Ny rutin antas."})
    assert Decision.objects.get().meeting == held
    response = client.post(
        reverse("governance:add_action_item", args=[held.pk]),
        {"text": "Skriv rutinen", "owner": "", "due_on": "2026-12-31"},
    )
    assert "Ange vem som ansvarar för åtgärden." in response.text
    assert not ActionItem.objects.exists()
    client.post(
        reverse("governance:add_action_item", args=[held.pk]),
        {"text": "Skriv rutinen", "owner": "Arbetsgruppen", "due_on": "2026-12-31"},
    )
    assert ActionItem.objects.get().owner == "Arbetsgruppen"


def test_meeting_ics(client_for, steering, chair, outsider):
    held = meeting(steering, TODAY, by=chair, time=datetime.time(13, 0), place="Rum 1")
    response = client_for(outsider).get(reverse("governance:meeting_ics", args=[held.pk]))
    body = response.content.decode()
    assert response["Content-Type"] == "text/calendar"
    assert "BEGIN:VEVENT" in body and "Rum 1" in body and "DTSTART;TZID=Europe/Stockholm" in body


def test_who_may_manage_meetings(client, client_for, steering, chair, staff, secretariat, outsider):
    held = meeting(steering, TODAY, by=chair)
    manage = [
        reverse("governance:meeting_add", args=[steering.pk]),
        reverse("governance:meeting_edit", args=[held.pk]),
        reverse("governance:add_decision", args=[held.pk]),
        reverse("governance:add_action_item", args=[held.pk]),
    ]
    read = [
        reverse("governance:overview"),
        reverse("governance:meetings", args=[steering.pk]),
        held.get_absolute_url(),
        reverse("governance:meeting_ics", args=[held.pk]),
    ]
    for url in manage + read:
        response = client.get(url)
        assert response.status_code == 302 and "/konto/login/" in response.url, url
    for url in manage:
        assert client_for(staff).get(url).status_code == 403, url
        assert client_for(chair).get(url).status_code == 200, url
        assert client_for(secretariat).get(url).status_code == 200, url
    for url in read:
        assert client_for(outsider).get(url).status_code == 200, url
    assert client_for(chair).get(reverse("governance:meetings", args=[999])).status_code == 404
