"""The cadence rule for every body (issue 11, item 7): steering and working groups by term,
BUSSAM several times a year (the number a setting), the political consultation groups and
the presidium once a year; a meeting counts only once held; a meeting between the terms
(July) counts for no term, and the meeting form, the meeting page and the overview say so."""

import datetime
import re

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from samverkan.governance import cadence
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Body, Membership
from samverkan.organisations.terms import Term
from tests.helpers import count_queries, seat

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def body(kind, cadence_, level="county", group=None, name=None):
    return Body.objects.create(
        name=name or dict(Body.Kind.choices)[kind], kind=kind, level=level, local_group=group,
        cadence=cadence_,
    )  # fmt: skip


@pytest.fixture
def bussam(db):
    return body(Body.Kind.BUSSAM, Body.Cadence.SEVERAL_PER_YEAR)


@pytest.fixture
def presidium(db):
    return body(Body.Kind.PRESIDIUM, Body.Cadence.YEARLY, name="Presidiegruppen")


@pytest.fixture
def consultation(group):
    return body(Body.Kind.CONSULTATION, Body.Cadence.YEARLY, "local", group, "Samrådsgrupp")


@pytest.fixture
def secretariat_body(db):
    return body(Body.Kind.SECRETARIAT, Body.Cadence.CONTINUOUS, name="BUS-sekretariatet")


@pytest.fixture
def individforum(group):
    return body(Body.Kind.INDIVIDFORUM, Body.Cadence.ON_DEMAND, "local", group, "Individforum")


@pytest.fixture
def chair(make_user, steering):
    user = make_user("ordf@styrgrupp.example", first_name="Stina", last_name="Styr")
    seat(steering, user, Membership.Role.CHAIR)
    return user


def meet(body_, *days, by):
    for day in days:
        Meeting.objects.create(body=body_, held_on=day, created_by=by)


def field_error(html, name):
    match = re.search(rf'id="id_{name}_error">(.*?)</div>', html, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).strip() if match else None


# --- which bodies, by which rule --------------------------------------------------------------
def test_every_body_with_a_cadence_is_checked_by_its_own_rule(
    steering, bussam, presidium, consultation, secretariat_body, individforum, chair
):
    on = D(2026, 9, 15)  # ht 2026; last term vt 2026; the years 2026 and 2025
    meet(bussam, D(2025, 2, 1), D(2025, 4, 1), D(2025, 9, 1), D(2025, 11, 1), by=chair)
    meet(bussam, D(2026, 2, 1), D(2026, 4, 1), D(2026, 9, 1), by=chair)
    meet(presidium, D(2026, 7, 10), by=chair)  # July counts for the year
    meet(consultation, D(2025, 3, 24), by=chair)
    meet(steering, D(2026, 9, 1), by=chair)
    data = cadence.overview(on)

    assert [row["body"] for row in data["rows"]] == [steering]
    yearly = {row["body"].kind: row for row in data["yearly_rows"]}
    assert set(yearly) == {"bussam", "presidium", "consultation"}  # not on demand/continuous
    assert (yearly["bussam"]["required"], yearly["bussam"]["current_count"]) == (4, 3)
    assert (yearly["bussam"]["current"], yearly["bussam"]["previous"]) == (False, True)
    assert (yearly["presidium"]["current"], yearly["presidium"]["previous"]) == (True, False)
    assert (yearly["consultation"]["current"], yearly["consultation"]["previous"]) == (False, True)
    assert data["missed"] == 0 and data["missed_yearly"] == 2
    assert (data["year"].year, data["last_year"].year) == (2026, 2025)


def test_bussams_number_of_meetings_is_a_setting(bussam, chair):
    meet(bussam, D(2026, 2, 1), D(2026, 4, 1), by=chair)
    assert cadence.meetings_per_year() == 4
    row = cadence.overview(D(2026, 9, 15))["yearly_rows"][0]
    assert (row["required"], row["current"]) == (4, False)
    with override_settings(SEVERAL_PER_YEAR_MEETINGS=2):
        row = cadence.overview(D(2026, 9, 15))["yearly_rows"][0]
        assert (row["required"], row["current"]) == (2, True)


def test_a_meeting_counts_only_once_held(steering, bussam, chair):
    """A meeting booked for later in the term or the year does not make the body "met"."""
    on = D(2026, 9, 15)
    meet(steering, D(2026, 10, 1), by=chair)
    meet(bussam, D(2026, 2, 1), D(2026, 3, 1), D(2026, 4, 1), D(2026, 10, 1), by=chair)
    data = cadence.overview(on)
    assert data["rows"][0]["current"] is False
    assert data["yearly_rows"][0]["current_count"] == 3
    assert cadence.terms_met([steering], {Term(2026, "ht")}, on=on) == {}
    assert cadence.overview(D(2026, 10, 1))["rows"][0]["current"] is True


# --- between the terms ------------------------------------------------------------------------
def test_the_rule_for_a_meeting_between_the_terms(steering, presidium, individforum):
    """vt is 1 January-30 June, ht 1 August-31 December; July counts for no term for a
    per-term body, and for its year for a yearly one."""
    assert cadence.period_of(steering.cadence, D(2026, 6, 30)) == Term(2026, "vt")
    assert cadence.period_of(steering.cadence, D(2026, 7, 1)) is None
    assert cadence.period_of(steering.cadence, D(2026, 7, 31)) is None
    assert cadence.period_of(steering.cadence, D(2026, 8, 1)) == Term(2026, "ht")
    assert cadence.period_of(presidium.cadence, D(2026, 7, 15)) == cadence.Year(2026)
    assert cadence.period_of(individforum.cadence, D(2026, 7, 15)) is None

    assert cadence.between_terms(steering, D(2026, 7, 15))
    assert not cadence.between_terms(presidium, D(2026, 7, 15))
    assert cadence.counts_for(steering, D(2026, 7, 15)) == (
        "Mötesdagen 2026-07-15 ligger mellan terminerna: juli hör inte till någon termin, "
        "så mötet räknas varken för vårterminen eller höstterminen 2026. Kravet på minst ett "
        "möte per termin uppfylls bara av möten 1 januari–30 juni och 1 augusti–31 december."
    )
    assert cadence.counts_for(steering, D(2026, 6, 30)) == "Mötet räknas för vårterminen 2026."
    assert cadence.counts_for(steering, D(2026, 8, 1)) == "Mötet räknas för höstterminen 2026."
    assert cadence.counts_for(presidium, D(2026, 7, 15)) == "Mötet räknas för år 2026."
    assert cadence.counts_for(individforum, D(2026, 7, 15)) == ""


def test_a_july_meeting_shows_in_the_overview_as_counting_for_no_term(steering, chair):
    meet(steering, D(2026, 7, 15), by=chair)
    row = cadence.overview(D(2026, 9, 15))["rows"][0]
    assert (row["current"], row["previous"], row["between"]) == (False, False, [D(2026, 7, 15)])
    # In July itself the current term is the spring just ended; the July meeting is shown.
    row = cadence.overview(D(2026, 7, 20))["rows"][0]
    assert (row["current"], row["between"]) == (False, [D(2026, 7, 15)])
    # From the spring after, it is older than the terms shown.
    assert cadence.overview(D(2027, 2, 1))["rows"][0]["between"] == []


def test_the_overview_page_explains_july(client_for, outsider, steering, chair, monkeypatch):
    meet(steering, D(2026, 7, 15), by=chair)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2026, 9, 15))
    page = client_for(outsider).get(reverse("governance:overview")).text
    assert "Ett möte i juli ligger mellan terminerna och räknas inte för någon termin." in page
    assert "Mötet 2026-07-15 låg mellan terminerna och räknas inte för någon termin." in page


def test_the_meeting_form_tells_which_term_a_date_counts_for(client_for, steering, chair):
    client = client_for(chair)
    add = reverse("governance:meeting_add", args=[steering.pk])
    form = client.get(add).text
    assert (
        "Organet ska mötas minst en gång per termin: vårterminen är 1 januari–30 juni och "
        "höstterminen 1 augusti–31 december. Ett möte i juli ligger mellan terminerna och "
        "räknas inte för någon termin." in form
    )
    response = client.post(add, {"held_on": "2025-07-15", "agenda": "Sommarmöte"}, follow=True)
    saved = Meeting.objects.get()
    assert response.redirect_chain == [(saved.get_absolute_url(), 302)]
    explained = "Mötesdagen 2025-07-15 ligger mellan terminerna"
    [message] = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert message[0] == "warning" and message[1].startswith("Mötet är sparat. " + explained)
    assert "Mellan terminerna" in response.text  # the meeting page's "Räknas för"
    edit = client.get(reverse("governance:meeting_edit", args=[saved.pk])).text
    assert explained in edit

    # A date that is no date: the message at the field, and nothing saved.
    response = client.post(add, {"held_on": "2025-13-01"})
    assert response.status_code == 200 and Meeting.objects.count() == 1
    assert field_error(response.text, "held_on")

    response = client.post(add, {"held_on": "2025-08-20"}, follow=True)
    [message] = [str(m) for m in response.context["messages"]]
    assert message == "Mötet är sparat. Mötet räknas för höstterminen 2025."


def test_a_yearly_bodys_form_says_how_often(client_for, bussam, secretariat):
    form = client_for(secretariat).get(reverse("governance:meeting_add", args=[bussam.pk])).text
    assert "Organet ska mötas minst 4 gånger per år." in form
    response = client_for(secretariat).post(
        reverse("governance:meeting_add", args=[bussam.pk]), {"held_on": "2025-07-15"}, follow=True
    )
    [message] = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert message == ("success", "Mötet är sparat. Mötet räknas för år 2025.")


# --- the page -------------------------------------------------------------------------------
def test_the_overview_shows_the_yearly_bodies(
    client, client_for, outsider, steering, bussam, presidium, consultation, chair
):
    meet(bussam, TODAY, by=chair)
    meet(presidium, TODAY, by=chair)
    last = TODAY.year - 1
    meet(bussam, *[D(last, month, 10) for month in (2, 4, 9, 11)], by=chair)
    url = reverse("governance:overview")
    assert client.get(url).url.startswith("/konto/login/")
    response = client_for(outsider).get(url)
    assert response.status_code == 200
    page = response.text
    assert "Möten per år" in page and "BUSSAM ska mötas minst 4 gånger per år" in page
    assert "2 organ har inte mötts så många gånger som de ska under" in page
    rows = {row["body"].kind: row for row in response.context["yearly_rows"]}
    assert rows["bussam"]["cells"] == [(False, 1), (True, 4)]
    assert rows["presidium"]["cells"] == [(True, 1), (False, 0)]
    assert rows["consultation"]["cells"] == [(False, 0), (False, 0)]
    assert "För få möten" in page and "1 av 4" in page and "4 av 4" in page
    assert "Samrådsgrupp (BUS Testby)" in page and "Presidiegruppen" in page


def test_the_overview_query_count_stays_flat(client_for, outsider, steering, bussam, chair, group):
    client = client_for(outsider)
    _, first = count_queries(client, reverse("governance:overview"))
    for i in range(6):
        meet(bussam, TODAY - datetime.timedelta(days=i * 40), by=chair)
        body(Body.Kind.CONSULTATION, Body.Cadence.YEARLY, "local", group, f"Samrådsgrupp {i}")
    _, later = count_queries(client, reverse("governance:overview"))
    assert later == first
