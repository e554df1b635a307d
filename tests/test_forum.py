"""Individforum: the 14-day rule, raising, convening, consent gating, protocol locking,
outcome and the steering group's decision, lists, documents and reminders."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.forum.forms import booking_as_seen
from samverkan.forum.models import ForumCase, Invitee, Protocol, Reminder, deadline_for
from samverkan.forum.reminders import send_reminders
from samverkan.organisations.models import Body, Membership, Unit, UnitMembership
from samverkan.people.models import Child, involve
from tests.helpers import count_queries, employ, seat
from tests.tagged_pdf import assert_accessible

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# --- the 14-day rule --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("noticed", "deadline"),
    [
        ("2026-03-02", "2026-03-16"),
        ("2026-01-25", "2026-02-08"),  # across a month end
        ("2026-02-20", "2026-03-06"),  # February, not a leap year
        ("2028-02-20", "2028-03-05"),  # leap year
        ("2025-12-20", "2026-01-03"),  # across the year end
        ("2026-04-30", "2026-05-14"),
    ],
)
def test_deadline_is_noticed_plus_fourteen_days(noticed, deadline):
    assert deadline_for(datetime.date.fromisoformat(noticed)) == datetime.date.fromisoformat(
        deadline
    )


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def social(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind="social_services", area=area
    )


@pytest.fixture
def working(group):
    return Body.objects.create(
        name="BUS arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )


@pytest.fixture
def convener(make_user, social, working):
    user = make_user("chef@social.example", first_name="Cecilia", last_name="Chef")
    employ(user, social, UnitMembership.Role.MANAGER)
    seat(working, user, Membership.Role.CONVENER, unit=social)
    return user


@pytest.fixture
def working_lead(make_user, school, working):
    """Chair of the working group, a manager, but not this case's convener."""
    user = make_user("ordf@arbetsgrupp.example", first_name="Oskar", last_name="Ordf")
    employ(user, school, UnitMembership.Role.MANAGER)
    seat(working, user, Membership.Role.CHAIR, unit=school)
    return user


@pytest.fixture
def bup_manager(make_user, bup):
    user = make_user("chef@bup.example", first_name="Britt", last_name="Bup")
    employ(user, bup, UnitMembership.Role.MANAGER)
    return user


@pytest.fixture
def steering_chair(make_user, steering):
    user = make_user("ordf@styrgrupp.example", first_name="Stina", last_name="Styr")
    seat(steering, user, Membership.Role.CHAIR)
    return user


@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20170101-2393",
        first_name="Alva",
        last_name="Exempel",
        owning_unit=school,
        created_by=staff,
    )


@pytest.fixture
def case(child, school, staff, group, convener):
    case = ForumCase.objects.create(
        local_group=group,
        child=child,
        raised_by_unit=school,
        raised_by=staff,
        noticed_on=TODAY - datetime.timedelta(days=2),
        reason="Skolan och BUP är oeniga om vem som ansvarar.",
        convener=convener,
    )
    involve(child, school, "test")
    return case


@pytest.fixture
def convened(case, bup, social, convener, client_for):
    client_for(convener).post(
        reverse("forum:convene", args=[case.reference]),
        {
            "convener": convener.pk,
            "seen": booking_as_seen(case),
            "meeting_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
            "meeting_time": "10:00",
            "meeting_place": "Rum 1",
            "invited_units": [bup.pk, social.pk],
        },
    )
    case.refresh_from_db()
    assert case.status == ForumCase.Status.CONVENED
    return case


def signed_protocol(case, convener):
    protocol = Protocol.objects.create(
        case=case, version=1, background="Bakgrund", created_by=convener
    )
    protocol.signed_by, protocol.signed_at = convener, timezone.now()
    protocol.save()
    return protocol


def url(name, case, *args):
    return reverse(f"forum:{name}", args=[case.reference, *args])


# --- raising ----------------------------------------------------------------------------------
def raise_data(school, group, convener, **overrides):
    data = {
        "raised_by_unit": school.pk,
        "local_group": group.pk,
        "personal_number": "201701012393",
        "first_name": "Alva",
        "last_name": "Exempel",
        "noticed_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "reason": "Ingen samordnad planering har kunnat nås.",
        "convener": convener.pk,
    }
    return {**data, **overrides}


def test_raising_a_case(client_for, staff, school, group, convener):
    response = client_for(staff).post(reverse("forum:raise"), raise_data(school, group, convener))
    case = ForumCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    assert case.reference == f"IF-{TODAY.year}-0001"
    assert case.deadline == TODAY - datetime.timedelta(days=1) + datetime.timedelta(days=14)
    assert case.child.personal_number == "20170101-2393"
    assert case.child.owning_unit == school
    assert case.history.get().status == "raised"
    assert case.child.involvements.filter(unit=school).exists()
    assert AccessLog.objects.filter(action="change", object_type="forum.forumcase").exists()


def test_a_second_case_for_the_same_child_reuses_the_record(
    client_for, staff, school, group, convener, child
):
    client_for(staff).post(reverse("forum:raise"), raise_data(school, group, convener))
    assert Child.objects.count() == 1
    assert ForumCase.objects.get().child == child


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"noticed_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "noticed_on",
            "framtiden",
        ),
        ({"personal_number": "20170101-2394"}, "personal_number", "kontrollsiffra"),
        ({"reason": ""}, "reason", "Fyll i skäl till att individforum behövs."),
        ({"first_name": ""}, "first_name", "för- och efternamn"),
    ],
)
def test_bad_input_when_raising_saves_nothing(
    client_for, staff, school, group, convener, overrides, field, message
):
    response = client_for(staff).post(
        reverse("forum:raise"), raise_data(school, group, convener, **overrides)
    )
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not ForumCase.objects.exists() and not Child.objects.exists()


def test_raising_a_case_noticed_more_than_two_weeks_ago_says_the_deadline_has_passed(
    client_for, staff, school, group, convener
):
    noticed = TODAY - datetime.timedelta(days=20)
    deadline = noticed + datetime.timedelta(days=14)
    client = client_for(staff)
    response = client.post(
        reverse("forum:raise"),
        raise_data(school, group, convener, noticed_on=noticed.isoformat()),
        follow=True,
    )
    case = ForumCase.objects.get()
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    [message] = list(response.context["messages"])
    assert message.level_tag == "warning"
    assert str(message) == (
        f"Ärendet {case.reference} är anmält, men tidsgränsen på 14 dagar har redan "
        f"passerats: behovet uppmärksammades {noticed.isoformat()}, och forumet skulle ha "
        f"sammanträtt senast {deadline.isoformat()}. Sammankalla forumet så snart som möjligt."
    )
    assert "Forumet ska sammanträda senast" not in response.text
    assert "6 dagar försenat" in response.text  # and the case page says it too


@pytest.mark.parametrize("days_ago", [0, 14])
def test_raising_a_case_within_the_deadline_says_when_the_forum_must_meet(
    client_for, staff, school, group, convener, days_ago
):
    noticed = TODAY - datetime.timedelta(days=days_ago)
    response = client_for(staff).post(
        reverse("forum:raise"),
        raise_data(school, group, convener, noticed_on=noticed.isoformat()),
        follow=True,
    )
    case = ForumCase.objects.get()
    [message] = list(response.context["messages"])
    assert message.level_tag == "success"
    deadline = (noticed + datetime.timedelta(days=14)).isoformat()
    assert str(message) == (
        f"Ärendet {case.reference} är anmält. Forumet ska sammanträda senast {deadline}."
    )
    assert "passerats" not in response.text


def test_the_convener_must_manage_a_unit_in_the_working_group(
    client_for, staff, school, group, convener, make_user
):
    stranger = make_user("annan@example.org")
    employ(stranger, school, UnitMembership.Role.MANAGER)  # manager, but no seat
    response = client_for(staff).post(reverse("forum:raise"), raise_data(school, group, stranger))
    assert "convener" in response.context["form"].errors
    assert not ForumCase.objects.exists()


def test_only_unit_staff_may_raise(client, client_for, outsider, secretariat):
    assert client.get(reverse("forum:raise")).status_code == 302
    assert client_for(outsider).get(reverse("forum:raise")).status_code == 403
    assert client_for(secretariat).get(reverse("forum:raise")).status_code == 403


# --- seeing the case --------------------------------------------------------------------------
def test_parties_see_the_content_and_outsiders_nothing(client_for, case, staff, convener, outsider):
    response = client_for(staff).get(case.get_absolute_url())
    assert response.status_code == 200
    assert "Alva Exempel" in response.text and "oeniga" in response.text
    assert response.context["content"] and response.context["identity"]
    response = client_for(convener).get(case.get_absolute_url())
    assert response.status_code == 200
    assert "Alva Exempel" in response.text and "oeniga" in response.text
    response = client_for(outsider).get(case.get_absolute_url())
    assert response.status_code == 404
    assert "oeniga" not in response.text
    denied = AccessLog.objects.get(user=outsider)
    assert (denied.action, denied.status_code, denied.object_type, denied.child_id) == (
        "denied",
        404,
        "forum.forumcase",
        case.child_id,
    )
    # One entry per view: the case, naming the child it is about.
    viewed = AccessLog.objects.get(user=staff)
    assert (viewed.action, viewed.object_type, viewed.object_id, viewed.child_id) == (
        "view",
        "forum.forumcase",
        str(case.pk),
        case.child_id,
    )
    assert viewed.object_label == case.reference
    assert "utan innehåll" not in viewed.reason


def give_consent(case, units, recorded_by, unit, purpose=None, **fields):
    """A written consent in force, recorded by ``unit``, for the case (or ``purpose``)."""
    fields.setdefault("form", "written")
    consent = Consent.objects.create(
        child=case.child, purpose=purpose or case, purpose_text=str(purpose or case),
        given_on=TODAY, valid_until=TODAY + datetime.timedelta(days=30), recorded_by=recorded_by,
        recorded_by_unit=unit, given_by_child=True, **fields,
    )  # fmt: skip
    consent.units.set(units)
    return consent


def assert_no_content(response):
    """What a party without content sees: reference, status, group, deadline, convener,
    meeting time and place; not the child, the reason, the raising unit, the invitees or the
    history."""
    assert response.status_code == 200
    assert not response.context["content"] and not response.context["identity"]
    text = response.text
    assert "Alva" not in text and "20170101" not in text and "oeniga" not in text
    assert "Testskolan" not in text  # the raising unit
    assert "BUP Testby" not in text and "Socialtjänsten Testby" not in text  # the invitees
    for hidden in ("invitees", "history", "protocols", "consents", "lacking_consent"):
        assert hidden not in response.context, hidden


def test_another_principal_sees_content_only_with_consent(
    client_for, convened, bup_manager, bup, school, convener, staff
):
    case = convened
    client = client_for(bup_manager)
    response = client.get(case.get_absolute_url())
    assert_no_content(response)  # a party: sees that the case exists
    assert case.reference in response.text and "Rum 1" in response.text
    assert "Cecilia Chef" in response.text  # the convener
    assert "skriftligt samtycke för ärendet" in response.text
    assert client.get(url("protocol_edit", case)).status_code == 403
    entry = AccessLog.objects.filter(user=bup_manager, action="view").get()
    assert (entry.object_type, entry.child_id) == ("forum.forumcase", case.child_id)
    assert "utan innehåll" in entry.reason

    consent = give_consent(case, [bup], staff, school)
    response = client.get(case.get_absolute_url())
    assert response.context["content"]
    assert "Alva Exempel" in response.text and "oeniga" in response.text
    assert "Testskolan" in response.text
    assert client.get(url("protocol_edit", case)).status_code == 403  # content, not a manager

    consent.revoked_on = TODAY
    consent.save()
    assert_no_content(client.get(case.get_absolute_url()))


def test_a_consent_from_any_unit_of_the_raising_principal_opens_the_case(
    client_for, convened, bup_manager, bup, social, convener
):
    give_consent(convened, [bup], convener, social)
    assert client_for(bup_manager).get(convened.get_absolute_url()).context["content"]


@pytest.mark.parametrize("kind", ["recorded by the receiving side", "verbal", "not naming BUP"])
def test_a_consent_that_does_not_open_the_raising_principals_information(
    client_for, convened, bup_manager, bup, school, social, staff, kind
):
    if kind == "recorded by the receiving side":
        give_consent(convened, [bup, school], bup_manager, bup)
    elif kind == "verbal":
        give_consent(convened, [bup], staff, school, form="verbal", noted_by=staff)
    else:
        give_consent(convened, [social], staff, school)
    assert_no_content(client_for(bup_manager).get(convened.get_absolute_url()))


def test_consent_for_another_occasion_does_not_count(
    client_for, convened, bup_manager, bup, school, staff, group, convener
):
    from samverkan.sip.models import Plan

    other_case = make_case(convened.child, school, staff, group, convener, TODAY)
    plan = Plan.objects.create(
        child=convened.child, initiating_unit=school, initiated_by=staff, reason="SIP",
        chair=staff, secretary=staff,
    )  # fmt: skip
    give_consent(convened, [bup], staff, school, purpose=other_case)
    give_consent(convened, [bup], staff, school, purpose=plan)
    client = client_for(bup_manager)
    assert_no_content(client.get(convened.get_absolute_url()))
    # A consent for the whole child record covers the case too.
    give_consent(convened, [bup], staff, school, purpose=convened.child)
    response = client.get(convened.get_absolute_url())
    assert response.context["content"] and "oeniga" in response.text


def test_the_case_page_lists_the_parties_still_lacking_consent(
    client_for, convened, staff, school, bup, social
):
    client = client_for(staff)
    response = client.get(convened.get_absolute_url())
    # The social services are of the raising principal: they need no consent.
    assert response.context["lacking_consent"] == [bup]
    assert "Samtycke saknas för BUP Testby" in response.text
    assert response.context["may_add_consent"]
    add = reverse("consent:add", args=["individforum", convened.pk])
    assert add in response.text
    give_consent(convened, [bup], staff, school)
    response = client.get(convened.get_absolute_url())
    assert response.context["lacking_consent"] == []
    assert "Samtycke saknas" not in response.text


def test_protected_identity_hides_the_name_outside_the_owning_unit(
    client_for, case, convener, staff
):
    case.child.protected_identity = True
    case.child.save()
    assert "Alva" not in client_for(convener).get(case.get_absolute_url()).text
    response = client_for(convener).get(case.get_absolute_url())
    assert "Skyddade personuppgifter" in response.text and "oeniga" in response.text
    assert "Alva Exempel" in client_for(staff).get(case.get_absolute_url()).text


def test_steering_group_sees_the_question_not_the_child(
    client_for, make_user, case, steering_chair, convener, working, bup, bup_manager
):
    signed_protocol(case, convener)
    client_for(convener).post(
        url("outcome", case), {"outcome": "lifted", "principled_question": "Vem betalar?"}
    )
    member = make_user("medlem@arbetsgrupp.example")
    seat(working, member)  # a working group seat, no unit
    for user in (steering_chair, member):
        response = client_for(user).get(case.get_absolute_url())
        assert response.status_code == 200
        assert response.context["question"]
        assert "Vem betalar?" in response.text
        assert_no_content(response)
        entry = AccessLog.objects.filter(user=user).get()
        assert (entry.object_type, entry.child_id) == ("forum.forumcase", case.child_id)
        assert "utan innehåll" in entry.reason
    # A party without content does not read the question.
    Invitee.objects.create(case=case, unit=bup, person=bup_manager)
    response = client_for(bup_manager).get(case.get_absolute_url())
    assert not response.context["question"] and "Vem betalar?" not in response.text


# --- convening --------------------------------------------------------------------------------
def test_convening_invites_managers_and_books_the_meeting(bup_manager, convened, convener, bup):
    invited = set(convened.invitees.values_list("unit__name", "person__email"))
    assert ("BUP Testby", "chef@bup.example") in invited
    assert ("Socialtjänsten Testby", "chef@social.example") in invited
    assert ("Testskolan", None) in invited  # no manager registered: a seat to fill
    assert convened.history.last().status == "convened"
    assert convened.child.involvements.filter(unit=bup).exists()


def test_a_meeting_before_the_case_was_raised_is_refused(client_for, case, convener):
    response = client_for(convener).post(
        url("convene", case),
        {
            "convener": convener.pk,
            "seen": booking_as_seen(case),
            "meeting_on": (case.raised_on - datetime.timedelta(days=1)).isoformat(),
            "meeting_time": "10:00",
            "meeting_place": "Rum 1",
        },
    )
    assert response.status_code == 200
    assert "Mötet kan inte ligga före" in response.text
    case.refresh_from_db()
    assert case.meeting_on is None and case.status == "raised"
    assert not Invitee.objects.exists()


def test_only_the_convener_and_working_group_leads_convene(
    client_for, case, staff, working_lead, bup_manager
):
    assert client_for(staff).get(url("convene", case)).status_code == 403
    assert client_for(working_lead).get(url("convene", case)).status_code == 200
    assert client_for(bup_manager).get(url("convene", case)).status_code == 404


def test_case_workers_can_be_called(client_for, convened, convener, staff):
    response = client_for(convener).post(
        url("case_workers", convened), {"case_workers": [staff.pk]}
    )
    assert response.status_code == 302
    assert convened.invitees.filter(person=staff, role="case_worker").exists()


def test_invitation_ics_carries_no_identity(client_for, convened, staff):
    response = client_for(staff).get(url("invitation", convened))
    assert response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and convened.reference in body
    assert "DTSTART;TZID=Europe/Stockholm" in body and "Rum 1" in body
    assert "Alva" not in body and "20170101" not in body


def test_no_invitation_before_a_meeting(client_for, case, staff):
    assert client_for(staff).get(url("invitation", case)).status_code == 404


# --- the protocol -----------------------------------------------------------------------------
def protocol_post(case, units, **extra):
    data = {
        "background": "Skolan har larmat om frånvaro.",
        "follow_up": "Uppföljning om en månad.",
        "narvarande-TOTAL_FORMS": "1", "narvarande-INITIAL_FORMS": "0",
        "narvarande-0-name": "Cecilia Chef", "narvarande-0-function": "Enhetschef",
        "narvarande-0-unit": units[0].pk,
        "syn-TOTAL_FORMS": "1", "syn-INITIAL_FORMS": "0",
        "syn-0-unit": units[0].pk, "syn-0-view": "Skolan vill ha stöd av BUP.",
        "beslut-TOTAL_FORMS": "1", "beslut-INITIAL_FORMS": "0",
        "beslut-0-text": "BUP gör en bedömning.", "beslut-0-responsible_unit": units[-1].pk,
        "beslut-0-due_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
    }  # fmt: skip
    return {**data, **extra}


def test_protocol_draft_sign_lock_and_correct(
    client_for, convened, convener, working_lead, school, bup
):
    client = client_for(convener)
    response = client.post(url("protocol_edit", convened), protocol_post(convened, [school, bup]))
    assert response.status_code == 302
    protocol = convened.protocols.get()
    assert (protocol.version, protocol.is_locked) == (1, False)
    assert protocol.decisions.get().responsible_unit == bup

    # Someone who may edit but is not the convener cannot sign: a field error, nothing saved.
    response = client_for(working_lead).post(url("protocol_sign", convened, 1), {"confirm": "on"})
    assert response.status_code == 200
    assert "Bara den sammankallande" in response.text
    protocol.refresh_from_db()
    assert not protocol.is_locked

    client = client_for(convener)  # the test client is shared: log the convener back in
    response = client.post(url("protocol_sign", convened, 1), {"confirm": "on"})
    assert response.status_code == 302
    protocol.refresh_from_db()
    assert protocol.is_locked and protocol.signed_by == convener

    # Locked: the edit page sends to the protocol, and a POST changes nothing.
    assert client.get(url("protocol_edit", convened)).status_code == 302
    client.post(
        url("protocol_edit", convened), protocol_post(convened, [school, bup], background="Ändrat")
    )
    protocol.refresh_from_db()
    assert protocol.background == "Skolan har larmat om frånvaro."

    # A correction is a new version; the signed one stays as it was.
    response = client.post(url("protocol_correct", convened, 1), {"correction_note": "Fel datum"})
    assert response.status_code == 302
    draft = convened.protocols.get(version=2)
    assert draft.correction_note == "Fel datum" and not draft.is_locked
    assert draft.decisions.count() == 1 and draft.background == protocol.background
    client.post(
        url("protocol_edit", convened), protocol_post(convened, [school, bup], background="Rättat")
    )
    draft.refresh_from_db()
    protocol.refresh_from_db()
    assert draft.background == "Rättat" and protocol.background == "Skolan har larmat om frånvaro."
    assert client.get(url("protocol", convened, 1)).status_code == 200


def test_the_convener_can_be_listed_among_those_present_when_their_unit_is_no_party(
    client_for, case, convener, school, bup, social
):
    """The convener's unit (the social services) is not invited: it used to be missing from
    the units those present can be chosen from, so the convener could not be listed."""
    client = client_for(convener)
    client.post(
        url("convene", case),
        {"convener": convener.pk, "seen": booking_as_seen(case), "meeting_on": TODAY.isoformat(),
         "meeting_time": "10:00", "meeting_place": "Rum 1", "invited_units": [bup.pk]},
    )  # fmt: skip
    assert not case.invitees.filter(unit=social).exists()

    formsets = client.get(url("protocol_edit", case)).context["formsets"]
    present = formsets["attendees"].forms[0].fields["unit"].queryset
    assert set(present) == {school, bup, social}
    assert social not in formsets["views"].forms[0].fields["unit"].queryset  # not a party

    data = protocol_post(case, [social, bup])
    data["syn-0-unit"] = school.pk  # the parties' views stay with the parties
    response = client.post(url("protocol_edit", case), data)
    assert response.status_code == 302, response.context["formsets"]["attendees"].errors
    attendee = case.protocols.get().attendees.get()
    assert (attendee.name, attendee.unit) == ("Cecilia Chef", social)

    # A unit that is neither a party nor the convener's is still refused.
    other = Unit.objects.create(principal=school.principal, name="Annan enhet", area=school.area)
    response = client.post(
        url("protocol_edit", case), {**data, "narvarande-0-unit": other.pk, "background": "X"}
    )
    assert response.status_code == 200
    assert response.context["formsets"]["attendees"].forms[0].errors["unit"]
    assert case.protocols.get().background == "Skolan har larmat om frånvaro."


def test_protocol_needs_a_booked_meeting(client_for, case, convener):
    response = client_for(convener).get(url("protocol_edit", case))
    assert response.status_code == 302 and not Protocol.objects.exists()


def test_protocol_pdf(client_for, convened, convener):
    signed_protocol(convened, convener)
    response = client_for(convener).get(url("protocol_pdf", convened, 1))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", object_type="forum.protocol").exists()
    assert_accessible(
        response.content,
        title=f"Protokoll, BUS individforum, {convened.reference}, version 1",
        reading_order=[
            "Protokoll, BUS individforum", "Närvarande", "Bakgrund", "Beslut",
            "Ansvarig verksamhet", "Inga beslut.", "Uppföljning",
        ],
    )  # fmt: skip


def test_protocol_pdf_in_english(client_for, convened, convener):
    """Made in the language the user reads the service in, and says so."""
    signed_protocol(convened, convener)
    client = client_for(convener)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url("protocol_pdf", convened, 1))
    assert response.status_code == 200
    assert_accessible(
        response.content,
        lang="en",
        title=f"Minutes, BUS individual case forum, {convened.reference}, version 1",
        reading_order=["Minutes, BUS individual case forum", "Background", "Decisions"],
    )


def test_protocol_is_for_parties_with_content_access(
    client_for, convened, convener, bup_manager, bup, school, staff, outsider
):
    protocol = signed_protocol(convened, convener)
    # A party without the content may not know there is a protocol.
    for user in (bup_manager, outsider):
        client = client_for(user)
        assert client.get(url("protocol", convened, 1)).status_code == 404
        assert client.get(url("protocol_pdf", convened, 1)).status_code == 404
        refusals = AccessLog.objects.filter(user=user, action="denied")
        assert refusals.count() == 2
        assert set(refusals.values_list("object_type", "object_id", "child_id", "status_code")) == {
            ("forum.protocol", str(protocol.pk), convened.child_id, 404)
        }
    give_consent(convened, [bup], staff, school)
    client = client_for(bup_manager)
    assert client.get(url("protocol", convened, 1)).status_code == 200
    assert client.get(url("protocol_pdf", convened, 1)).status_code == 200
    exported = AccessLog.objects.get(user=bup_manager, action="export")
    assert (exported.object_type, exported.child_id) == ("forum.protocol", convened.child_id)


# --- outcome and the steering group -----------------------------------------------------------
def test_outcome_needs_a_signed_protocol(client_for, convened, convener):
    response = client_for(convener).post(url("outcome", convened), {"outcome": "resolved"})
    assert response.status_code == 200
    assert "Protokollet måste vara justerat" in response.text
    convened.refresh_from_db()
    assert convened.status == "convened"


def test_lifting_needs_the_principled_question(client_for, convened, convener):
    signed_protocol(convened, convener)
    response = client_for(convener).post(url("outcome", convened), {"outcome": "lifted"})
    assert "Ange frågan" in response.text
    convened.refresh_from_db()
    assert convened.status == "convened"


def test_resolve(client_for, convened, convener):
    signed_protocol(convened, convener)
    client_for(convener).post(url("outcome", convened), {"outcome": "resolved"})
    convened.refresh_from_db()
    assert convened.status == "resolved"


def test_only_the_convener_records_the_outcome(client_for, convened, working_lead, staff):
    assert client_for(working_lead).get(url("outcome", convened)).status_code == 403
    assert client_for(staff).get(url("outcome", convened)).status_code == 403


def test_lift_and_steering_decision(client_for, convened, convener, steering_chair, staff):
    signed_protocol(convened, convener)
    client_for(convener).post(
        url("outcome", convened), {"outcome": "lifted", "principled_question": "Vem ansvarar?"}
    )
    convened.refresh_from_db()
    assert convened.status == "lifted" and convened.principled_question == "Vem ansvarar?"
    assert client_for(staff).get(url("steering_decision", convened)).status_code == 403
    response = client_for(steering_chair).post(
        url("steering_decision", convened),
        {
            "decision": "Regionen ansvarar.",
            "decided_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert "framtiden" in response.text
    response = client_for(steering_chair).post(
        url("steering_decision", convened),
        {"decision": "Regionen ansvarar.", "decided_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    convened.refresh_from_db()
    assert convened.status == "decided" and convened.steering_decided_by == steering_chair
    history = list(convened.history.values_list("status", flat=True))
    assert history == ["convened", "lifted", "decided"]  # raised is written by the raise view


def test_a_resolved_case_cannot_go_to_the_steering_group(
    client_for, convened, convener, steering_chair
):
    signed_protocol(convened, convener)
    client_for(convener).post(url("outcome", convened), {"outcome": "resolved"})
    response = client_for(steering_chair).post(
        url("steering_decision", convened), {"decision": "X", "decided_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    convened.refresh_from_db()
    assert convened.status == "resolved" and not convened.steering_decision


# --- lists ------------------------------------------------------------------------------------
def make_case(child, unit, user, group, convener, noticed, **fields):
    return ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=unit, raised_by=user,
        noticed_on=noticed, reason="Skäl", convener=convener, **fields,
    )  # fmt: skip


def test_a_case_the_unit_raised_and_is_invited_to_is_listed_once(client_for, case, staff, school):
    Invitee.objects.create(case=case, unit=school, person=staff)
    rows = client_for(staff).get(reverse("forum:list")).context["rows"]
    assert [row["case"] for row in rows] == [case]


def test_lists_views_and_filters(client_for, case, staff, convener, school, group, child):
    old = make_case(child, school, staff, group, convener, TODAY - datetime.timedelta(days=30))
    ForumCase.objects.filter(pk=old.pk).update(raised_on=TODAY - datetime.timedelta(days=29))
    client = client_for(staff)

    def shown(**params):
        response = client.get(reverse("forum:list"), params)
        assert response.status_code == 200
        return {row["case"].reference for row in response.context["rows"]}

    assert shown() == {case.reference, old.reference}
    assert shown(forsenade="on") == {old.reference}
    assert shown(status="raised") == {case.reference, old.reference}
    assert shown(status="resolved") == set()
    assert shown(fran=(TODAY - datetime.timedelta(days=5)).isoformat()) == {case.reference}
    assert shown(vy="sammankallar") == set()  # staff convenes nothing
    convening = client_for(convener).get(reverse("forum:list"), {"vy": "sammankallar"})
    assert {r["case"].reference for r in convening.context["rows"]} == {
        case.reference,
        old.reference,
    }
    client = client_for(staff)
    response = client.get(reverse("forum:list"), {"fran": "2026-05-01", "till": "2026-04-01"})
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    before = AccessLog.objects.count()
    response = client.get(reverse("forum:list"))
    assert "dagar kvar" in response.text and "försenat" in response.text
    # Each case the list shows is logged as viewed, with the child it is about.
    logged = AccessLog.objects.filter(pk__gt=AccessLog.objects.order_by("id")[before - 1].pk)
    assert set(logged.values_list("action", "object_type", "object_id", "child_id")) == {
        ("view", "forum.forumcase", str(case.pk), child.pk),
        ("view", "forum.forumcase", str(old.pk), child.pk),
    }
    assert logged.count() == 2
    assert {entry.reason for entry in logged} == {"Listade individforumärenden"}


def test_group_view_shows_cases_without_identity_to_seat_holders(client_for, case, steering_chair):
    response = client_for(steering_chair).get(reverse("forum:list"), {"vy": "grupp"})
    assert [row["case"] for row in response.context["rows"]] == [case]
    assert not response.context["rows"][0]["content"]
    assert "Alva" not in response.text and "Visas inte utan samtycke" in response.text
    assert "Testskolan" not in response.text  # the raising unit shows as "–"
    entry = AccessLog.objects.get(user=steering_chair)
    assert (entry.action, entry.object_type, entry.object_id, entry.child_id) == (
        "view",
        "forum.forumcase",
        str(case.pk),
        case.child_id,
    )
    assert entry.reason == "Listade individforumärenden (utan innehåll)"


def test_list_query_count_is_constant(client_for, staff, convener, school, group, child, settings):
    settings.PAGE_SIZE = 10
    make_case(child, school, staff, group, convener, TODAY)
    client = client_for(staff)
    _, first = count_queries(client, reverse("forum:list"))
    for i in range(25):
        make_case(child, school, staff, group, convener, TODAY - datetime.timedelta(days=i))
    _, later = count_queries(client, reverse("forum:list"))
    assert later == first
    _, page_three = count_queries(client, reverse("forum:list") + "?sida=3")
    assert page_three == first


def test_every_forum_page_needs_login(client, case):
    names = ["case", "convene", "case_workers", "invitation", "protocol_edit", "outcome",
             "steering_decision"]  # fmt: skip
    for name in names:
        response = client.get(url(name, case))
        assert response.status_code == 302 and "/konto/login/" in response.url, name
    for name in ("protocol", "protocol_sign", "protocol_correct", "protocol_pdf"):
        response = client.get(url(name, case, 1))
        assert response.status_code == 302 and "/konto/login/" in response.url, name
    assert client.get(reverse("forum:list")).status_code == 302


def test_outsiders_get_404_on_every_case_page(client_for, case, outsider):
    client = client_for(outsider)
    for name in ("case", "convene", "case_workers", "invitation", "protocol_edit", "outcome",
                 "steering_decision"):  # fmt: skip
        assert client.get(url(name, case)).status_code == 404, name
    for name in ("protocol", "protocol_sign", "protocol_correct", "protocol_pdf"):
        assert client.get(url(name, case, 1)).status_code == 404, name


# --- reminders --------------------------------------------------------------------------------
def test_reminders_three_days_before_and_when_passed(case, convener):
    deadline = case.deadline
    assert send_reminders(today=deadline - datetime.timedelta(days=4)) == 0
    assert send_reminders(today=deadline - datetime.timedelta(days=3)) == 1
    assert mail.outbox[-1].to == [convener.email]
    assert case.reference in mail.outbox[-1].subject
    assert "Alva" not in mail.outbox[-1].body
    assert send_reminders(today=deadline - datetime.timedelta(days=2)) == 0  # once only
    assert send_reminders(today=deadline) == 0
    assert send_reminders(today=deadline + datetime.timedelta(days=1)) == 1
    assert "passerats" in mail.outbox[-1].subject
    assert send_reminders(today=deadline + datetime.timedelta(days=5)) == 0
    assert Reminder.objects.count() == 2 and len(mail.outbox) == 2


def test_no_reminder_when_the_meeting_is_booked_in_time(case):
    case.meeting_on = case.deadline - datetime.timedelta(days=1)
    case.save()
    assert send_reminders(today=case.deadline - datetime.timedelta(days=2)) == 0
    assert send_reminders(today=case.deadline + datetime.timedelta(days=2)) == 0


def test_send_reminders_command_is_idempotent(case, capsys):
    ForumCase.objects.filter(pk=case.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    call_command("send_reminders")
    call_command("send_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "1 reminder(s) sent.",
        "0 SIP reminder(s) sent.",
        "0 reminder(s) sent.",
        "0 SIP reminder(s) sent.",
    ]
    assert len(mail.outbox) == 1


def test_two_bookings_of_one_meeting_the_second_is_told_not_lost(
    client_for, case, convener, working_lead, bup
):
    """Both open the form before either saves: the second save is refused with a message
    and the first booking stands, with one "convened" in the history."""
    first, second = client_for(convener), client_for(working_lead)
    seen = [
        client.get(url("convene", case)).context["form"]["seen"].value()
        for client in (first, second)
    ]

    def book(client, seen, place):
        return client.post(
            url("convene", case),
            {"convener": convener.pk, "seen": seen, "meeting_on": TODAY.isoformat(),
             "meeting_time": "10:00", "meeting_place": place, "invited_units": [bup.pk]},
        )  # fmt: skip

    assert book(first, seen[0], "Rum 1").status_code == 302
    refused = book(second, seen[1], "Rum 2")
    assert refused.status_code == 302 and refused.url == url("convene", case)
    page = second.get(refused.url)
    assert "Någon annan ändrade bokningen" in page.text
    case.refresh_from_db()
    assert case.meeting_place == "Rum 1"
    assert list(case.history.values_list("status", flat=True)) == ["convened"]  # once
    # The refreshed form carries the booking as it is now: saving it works.
    assert book(second, page.context["form"]["seen"].value(), "Rum 2").status_code == 302
    case.refresh_from_db()
    assert case.meeting_place == "Rum 2"


# Two requests at the same moment, each on its own connection (a real server is needed for
# the row lock; SQLite's shared in-memory test database refuses the second writer instead).
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="a real server"
)
@pytest.mark.django_db(transaction=True)
def test_two_conveners_booking_at_the_same_moment(client_for, case, convener, working_lead, bup):
    import threading

    from django.db import connection

    clients = [client_for(convener), client_for(working_lead)]
    seen = booking_as_seen(case)
    start = threading.Barrier(2)
    answers = []

    def book(client, place):
        try:
            start.wait()
            answers.append(
                client.post(
                    url("convene", case),
                    {
                        "convener": convener.pk,
                        "seen": seen,
                        "meeting_on": TODAY.isoformat(),
                        "meeting_time": "10:00",
                        "meeting_place": place,
                        "invited_units": [bup.pk],
                    },
                ).url  # fmt: skip
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=book, args=(client, place))
        for client, place in zip(clients, ["Rum 1", "Rum 2"], strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == sorted([case.get_absolute_url(), url("convene", case)])
    assert list(case.history.values_list("status", flat=True)) == ["convened"]


@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql", reason="a real server"
)
@pytest.mark.django_db(transaction=True)
def test_a_protocol_signed_twice_at_the_same_moment_is_signed_once(
    client_for, convened, convener, school, bup
):
    import threading

    from django.db import connection

    drafted = protocol_post(convened, [school, bup])
    client_for(convener).post(url("protocol_edit", convened), drafted)
    clients = [client_for(convener), client_for(convener)]  # two tabs
    start = threading.Barrier(2)

    def sign(client):
        try:
            start.wait()
            client.post(url("protocol_sign", convened, 1), {"confirm": "on"})
        finally:
            connection.close()

    threads = [threading.Thread(target=sign, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AccessLog.objects.filter(reason="Justerade protokoll").count() == 1
    assert convened.protocols.get().signed_by == convener
