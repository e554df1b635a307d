"""SIP, samordnad individuell plan: the required parts, bad input, consent gating across
principals, versions, the concurrent-edit refusal, follow-ups, lists, the family's copy,
reminders and every view's permissions."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase
from samverkan.organisations.models import LocalGroup, Unit, UnitMembership
from samverkan.people.models import Child, involve
from samverkan.sip.models import (
    FollowUp,
    Intervention,
    InterventionOutcome,
    Participant,
    Plan,
    PlanVersion,
    Reminder,
)
from samverkan.sip.reminders import send_reminders
from samverkan.sip.views import establish_plan
from tests.helpers import count_queries, employ
from tests.tagged_pdf import assert_accessible

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def bup_staff(make_user, bup):
    user = make_user("lakare@bup.example", first_name="Berit", last_name="Bup")
    employ(user, bup)
    return user


@pytest.fixture
def other_school(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Andra skolan", kind=Unit.Kind.COMPULSORY_SCHOOL, area=area
    )


@pytest.fixture
def stranger(make_user, other_school):
    """Works at a unit of the same principal that takes no part in the plan."""
    user = make_user("larare@andraskolan.example", first_name="Sam", last_name="Annan")
    employ(user, other_school)
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
def plan(child, school, staff):
    plan = Plan.objects.create(
        child=child,
        initiating_unit=school,
        initiated_by=staff,
        reason="Skolfrånvaro och oro för måendet.",
        chair=staff,
        secretary=staff,
    )
    involve(child, school, "test")
    return plan


def give_consent(child, units, by, purpose, **fields):
    """A written consent in force, recorded by the unit whose information it opens (the
    plan's initiating unit, the case's raising unit, the record's owning unit)."""
    fields.setdefault("form", "written")
    fields.setdefault("recorded_by_unit", purpose.sharing_owner)
    consent = Consent.objects.create(
        child=child, purpose=purpose, purpose_text=str(purpose),
        given_on=TODAY, valid_until=TODAY + datetime.timedelta(days=365), recorded_by=by,
        given_by_child=True, **fields,
    )  # fmt: skip
    consent.units.set(units)
    return consent


@pytest.fixture
def consent(plan, school, bup, staff):
    return give_consent(plan.child, [bup], staff, plan)


def fill(plan, municipality, bup, bup_staff):
    """Every required part, BUP taking part under the consent."""
    Plan.objects.filter(pk=plan.pk).update(
        meeting_on=TODAY - datetime.timedelta(days=10),
        meeting_time=datetime.time(13, 30),
        meeting_place="Skolans konferensrum",
        needs="Stöd i skolan.\nHjälp med sömnen.",
        child_voice="Jag vill kunna vara i skolan.",
        guardians_voice="Vi vill att alla pratar med varandra.",
        goals="Barnet går i skolan varje dag.",
        others_do="Familjen håller kontakt med fritidsgården.",
        overall_responsible=municipality,
        follow_up_how="Nytt SIP-möte.",
        next_follow_up_on=TODAY + datetime.timedelta(days=30),
    )
    Participant.objects.create(plan=plan, kind="unit", unit=bup, person=bup_staff, phone="010-1")
    Participant.objects.create(plan=plan, kind="guardian", name="Maria Exempel")
    Intervention.objects.create(plan=plan, what="Utredning av sömnen", unit=bup)
    Intervention.objects.create(plan=plan, what="Anpassad studiegång", unit=plan.initiating_unit)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def complete(plan, consent, municipality, bup, bup_staff):
    return fill(plan, municipality, bup, bup_staff)


@pytest.fixture
def established(complete, staff):
    version, problems = establish_plan(complete, staff)
    assert version is not None, problems
    complete.refresh_from_db()
    return complete


def url(name, plan, *args):
    return reverse(f"sip:{name}", args=[plan.reference, *args])


def edit_data(plan, **overrides):
    """The edit form as the plan fills it in now."""
    data = {
        "chair": plan.chair_id,
        "secretary": plan.secretary_id,
        "meeting_on": plan.meeting_on.isoformat() if plan.meeting_on else "",
        "meeting_time": plan.meeting_time.strftime("%H:%M") if plan.meeting_time else "",
        "meeting_place": plan.meeting_place,
        "needs": plan.needs,
        "child_voice": plan.child_voice,
        "guardians_voice": plan.guardians_voice,
        "goals": plan.goals,
        "others_do": plan.others_do,
        "overall_responsible": plan.overall_responsible_id or "",
        "follow_up_how": plan.follow_up_how,
        "next_follow_up_on": plan.next_follow_up_on.isoformat() if plan.next_follow_up_on else "",
        "edit_version": plan.edit_version,
    }
    return {**data, **overrides}


# --- starting a plan --------------------------------------------------------------------------
def test_starting_a_plan(client_for, staff, school):
    response = client_for(staff).post(
        reverse("sip:create"),
        {
            "initiating_unit": school.pk,
            "personal_number": "201701012393",
            "first_name": "Alva",
            "last_name": "Exempel",
            "reason": "Behöver insatser från både skola och BUP.",
        },
    )
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert plan.reference == f"SIP-{TODAY.year}-0001"
    assert (plan.chair, plan.secretary, plan.status) == (staff, staff, "draft")
    assert plan.child.personal_number == "20170101-2393" and plan.child.owning_unit == school
    assert plan.child.involvements.filter(unit=school).exists()
    entry = AccessLog.objects.get(action="change")
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "sip.plan",
        str(plan.pk),
        plan.child_id,
    )


def test_a_second_open_plan_from_the_same_unit_is_refused_with_a_link(
    client_for, staff, school, plan, child
):
    data = {
        "initiating_unit": school.pk,
        "personal_number": "201701012393",
        "first_name": "",
        "last_name": "",
        "reason": "En till.",
    }
    response = client_for(staff).post(reverse("sip:create"), data)
    assert response.status_code == 200
    assert response.context["existing"] == plan
    assert response.context["form"].non_field_errors() == [
        f"Din verksamhet har redan en öppen SIP för barnet: {plan.reference}."
    ]
    assert plan.get_absolute_url() in response.text
    assert Plan.objects.count() == 1 and Child.objects.count() == 1
    # Leading to it is logged as a view of that plan.
    entry = AccessLog.objects.get(user=staff)
    assert (entry.action, entry.object_type, entry.object_id, entry.child_id) == (
        "view",
        "sip.plan",
        str(plan.pk),
        child.pk,
    )

    # Once that plan is closed, a new one may be started.
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.CLOSED)
    response = client_for(staff).post(reverse("sip:create"), data)
    assert response.status_code == 302
    assert Plan.objects.filter(child=child).count() == 2


def test_closing_a_plan_keeps_it_readable_and_frees_the_child_for_a_new_one(
    client_for, staff, established, bup_staff
):
    client = client_for(staff)
    refused = client.post(url("close", established), {"note": "Insatserna är avslutade."})
    assert refused.status_code == 200 and "confirm" in refused.context["form"].errors
    response = client.post(
        url("close", established), {"note": "Insatserna är avslutade.", "confirm": "on"}
    )
    assert response.status_code == 302
    established.refresh_from_db()
    assert established.status == Plan.Status.CLOSED
    assert established.closing_note == "Insatserna är avslutade." and established.closed_at
    assert AccessLog.objects.filter(
        user=staff, action="change", object_id=str(established.pk), reason="Avslutade SIP"
    ).exists()
    page = client.get(established.get_absolute_url())
    assert "Planen avslutades" in page.text and not page.context["may_edit"]
    assert client.get(url("edit", established)).status_code == 403  # kept as it is
    assert client_for(bup_staff).get(url("close", established)).status_code == 403


def test_another_unit_starting_a_plan_for_the_same_number_gets_its_own_record(
    client_for, plan, child, bup, bup_staff
):
    data = {"initiating_unit": bup.pk, "personal_number": "20170101-2393", "reason": "BUP."}
    response = client_for(bup_staff).post(reverse("sip:create"), data)
    assert response.status_code == 200
    assert "Ange barnets för- och efternamn" in str(response.context["form"].errors)
    assert "existing" not in response.context
    assert "Alva" not in response.text and plan.reference not in response.text
    response = client_for(bup_staff).post(
        reverse("sip:create"), {**data, "first_name": "A", "last_name": "B"}
    )
    assert response.status_code == 302
    own = Plan.objects.get(initiating_unit=bup)
    assert own.child != child and own.child.owning_unit == bup


# --- the required parts -----------------------------------------------------------------------
def test_a_complete_plan_is_established_as_version_one(client_for, complete, staff):
    assert complete.missing_parts() == [] and complete.uncovered_unit_ids() == set()
    response = client_for(staff).post(url("establish", complete))
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.status == "established" and complete.established_at is not None
    version = complete.versions.get()
    assert version.number == 1 and version.created_by == staff
    assert version.content == complete.snapshot()
    assert version.content["needs"] == "Stöd i skolan.\nHjälp med sömnen."
    assert {i["what"] for i in version.content["interventions"]} == {
        "Utredning av sömnen",
        "Anpassad studiegång",
    }
    assert AccessLog.objects.filter(action="change", object_type="sip.plan").exists()


@pytest.mark.parametrize(
    ("field", "value", "part"),
    [
        ("needs", "", "Behov"),
        ("child_voice", "", "Behov"),
        ("guardians_voice", "", "Behov"),
        ("goals", "", "Mål"),
        ("others_do", "", "Vad andra än kommun och region gör"),
        ("overall_responsible", None, "Huvudman med övergripande ansvar"),
        ("follow_up_how", "", "När och hur planen följs upp"),
        ("next_follow_up_on", None, "När och hur planen följs upp"),
        ("meeting_on", None, "SIP-mötets datum"),
    ],
)
def test_a_plan_missing_a_part_cannot_be_established(
    client_for, complete, staff, field, value, part
):
    Plan.objects.filter(pk=complete.pk).update(**{field: value})
    complete.refresh_from_db()
    version, problems = establish_plan(complete, staff)
    assert version is None
    assert any(p.startswith(part) for p in problems), problems
    response = client_for(staff).post(url("establish", complete), follow=True)
    assert "Planen kan inte fastställas" in response.text
    complete.refresh_from_db()
    assert complete.status == "draft" and not PlanVersion.objects.exists()


def test_a_plan_without_interventions_cannot_be_established(client_for, complete, staff):
    complete.interventions.all().delete()
    assert complete.parts()["interventions"] == "not_started"
    version, problems = establish_plan(complete, staff)
    assert version is None
    assert problems == ["Insatser med ansvarig huvudman och verksamhet"]
    client_for(staff).post(url("establish", complete))
    assert not PlanVersion.objects.exists()


def test_every_taking_part_unit_must_be_covered_by_a_consent_for_the_plan(
    client_for, complete, consent, staff, school, bup
):
    consent.units.set([school])  # BUP takes part but the consent does not name it
    assert complete.uncovered_unit_ids() == {bup.pk}
    version, problems = establish_plan(complete, staff)
    assert version is None
    assert problems == ["samtycke som omfattar alla deltagande verksamheter"]

    consent.units.set([bup])
    consent.revoked_on = TODAY
    consent.save()
    # The initiating unit's own principal never needs a consent.
    assert complete.uncovered_unit_ids() == {bup.pk}
    client_for(staff).post(url("establish", complete))
    complete.refresh_from_db()
    assert complete.status == "draft" and not PlanVersion.objects.exists()
    response = client_for(staff).get(complete.get_absolute_url())
    assert "Samtycke saknas" in response.text


@pytest.mark.parametrize(
    "kind", ["verbal", "recorded by the receiving side", "for a forum case", "expired"]
)
def test_a_consent_that_does_not_open_the_plan_leaves_the_unit_uncovered(
    complete, consent, staff, school, bup, bup_staff, group, kind
):
    if kind == "verbal":
        Consent.objects.filter(pk=consent.pk).update(form="verbal", noted_by=staff)
    elif kind == "recorded by the receiving side":
        Consent.objects.filter(pk=consent.pk).update(recorded_by_unit=bup, recorded_by=bup_staff)
    elif kind == "for a forum case":
        case = ForumCase.objects.create(
            local_group=group, child=complete.child, raised_by_unit=school, raised_by=staff,
            noticed_on=TODAY, reason="Skäl",
        )  # fmt: skip
        consent.purpose = case
        consent.save()
    else:
        Consent.objects.filter(pk=consent.pk).update(
            given_on=TODAY - 30 * DAY, valid_until=TODAY - DAY
        )
    assert complete.uncovered_unit_ids() == {bup.pk}
    assert establish_plan(complete, staff)[0] is None


def test_a_consent_for_the_whole_record_or_from_another_unit_of_the_principal_covers(
    complete, consent, staff, school, bup, other_school
):
    consent.purpose = complete.child
    consent.save()
    assert complete.uncovered_unit_ids() == set()
    Consent.objects.filter(pk=consent.pk).update(recorded_by_unit=other_school)
    assert complete.uncovered_unit_ids() == set()


def test_units_of_the_initiating_principal_never_need_consent(
    complete, consent, staff, other_school
):
    consent.delete()
    Consent.objects.all().delete()
    Intervention.objects.filter(plan=complete).update(unit=complete.initiating_unit)
    Participant.objects.filter(plan=complete, kind="unit").delete()
    Intervention.objects.create(plan=complete, what="Läxhjälp", unit=other_school)
    assert complete.uncovered_unit_ids() == set()
    version, problems = establish_plan(complete, staff)
    assert version is not None, problems


def test_the_task_list_states_each_part(client_for, plan, staff, municipality, bup, bup_staff):
    client = client_for(staff)

    def states():
        response = client.get(plan.get_absolute_url())
        assert response.status_code == 200
        return {name: state for name, _label, state in response.context["tasks"]}

    assert states() == dict.fromkeys(
        ["needs", "goals", "interventions", "others_do", "overall", "follow_up"], "not_started"
    )
    response = client.get(plan.get_absolute_url())
    assert response.text.count("Inte påbörjad") == 6
    assert 'aria-disabled="true"' in response.text  # no establish button yet

    Plan.objects.filter(pk=plan.pk).update(needs="Stöd i skolan.", follow_up_how="Möte.")
    assert states() == {
        "needs": "in_progress",
        "goals": "not_started",
        "interventions": "not_started",
        "others_do": "not_started",
        "overall": "not_started",
        "follow_up": "in_progress",
    }
    assert "Påbörjad" in client.get(plan.get_absolute_url()).text

    give_consent(plan.child, [plan.initiating_unit, bup], staff, plan)
    fill(plan, municipality, bup, bup_staff)
    assert set(states().values()) == {"done"}
    response = client.get(plan.get_absolute_url())
    assert response.text.count(">Klar<") == 6
    assert reverse("sip:establish", args=[plan.reference]) in response.text


def test_save_and_establish_with_empty_fields_gives_field_errors(client_for, plan, staff):
    response = client_for(staff).post(
        url("edit", plan),
        {"chair": staff.pk, "secretary": staff.pk, "edit_version": 0, "faststall": "1"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("meeting_on", "needs", "goals", "others_do", "overall_responsible",
                 "follow_up_how", "next_follow_up_on"):  # fmt: skip
        assert "måste finnas innan planen kan fastställas" in errors[name][0], name
    assert errors["overall_responsible"] == [
        "Huvudman med övergripande ansvar måste finnas innan planen kan fastställas."
    ]
    plan.refresh_from_db()
    assert plan.status == "draft" and plan.edit_version == 0
    assert not PlanVersion.objects.exists()


def test_save_and_establish_saves_but_does_not_establish_an_incomplete_plan(
    client_for, complete, staff
):
    complete.interventions.all().delete()
    response = client_for(staff).post(
        url("edit", complete), edit_data(complete, goals="Nytt mål.", faststall="1"), follow=True
    )
    assert "Planen är sparad men kan inte fastställas" in response.text
    complete.refresh_from_db()
    assert complete.goals == "Nytt mål." and complete.status == "draft"
    assert not PlanVersion.objects.exists()


def test_save_and_establish_a_complete_plan(client_for, complete, staff):
    response = client_for(staff).post(
        url("edit", complete), edit_data(complete, faststall="1"), follow=True
    )
    assert "Version 1 är fastställd." in response.text
    complete.refresh_from_db()
    assert complete.status == "established" and complete.versions.count() == 1


# --- bad input --------------------------------------------------------------------------------
def test_an_intervention_needs_a_responsible_unit(client_for, complete, staff):
    before = Intervention.objects.count()
    response = client_for(staff).post(
        url("intervention_add", complete), {"what": "Samtalsstöd", "unit": "", "status": "planned"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["unit"] == [
        "Ange vilken verksamhet som ansvarar för insatsen."
    ]
    assert Intervention.objects.count() == before


def test_an_intervention_unit_must_take_part(client_for, complete, staff, other_school):
    before = Intervention.objects.count()
    response = client_for(staff).post(
        url("intervention_add", complete),
        {"what": "Samtalsstöd", "unit": other_school.pk, "status": "planned"},
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert Intervention.objects.count() == before


def test_adding_and_editing_an_intervention(client_for, complete, staff, bup):
    client = client_for(staff)
    response = client.post(
        url("intervention_add", complete),
        {"what": "Samtalsstöd", "unit": bup.pk, "status": "planned", "contact": "Berit"},
    )
    assert response.status_code == 302
    added = complete.interventions.get(what="Samtalsstöd")
    client.post(
        url("intervention_edit", complete, added.pk),
        {"what": "Samtalsstöd varannan vecka", "unit": bup.pk, "status": "ongoing"},
    )
    added.refresh_from_db()
    assert (added.what, added.status) == ("Samtalsstöd varannan vecka", "ongoing")


def test_a_follow_up_date_before_the_meeting_is_refused(client_for, complete, staff):
    before = complete.meeting_on - DAY
    response = client_for(staff).post(
        url("edit", complete), edit_data(complete, next_follow_up_on=before.isoformat())
    )
    assert response.status_code == 200
    assert response.context["form"].errors["next_follow_up_on"] == [
        f"Uppföljningen kan inte ligga före SIP-mötet ({complete.meeting_on.isoformat()})."
    ]
    old = complete.next_follow_up_on
    complete.refresh_from_db()
    assert complete.next_follow_up_on == old and complete.edit_version == 0


def test_a_follow_up_held_before_the_meeting_is_refused(client_for, established, staff):
    intervention = established.interventions.first()
    response = client_for(staff).post(
        url("follow_up", established),
        {
            "held_on": (established.meeting_on - DAY).isoformat(),
            f"status_{intervention.pk}": "ongoing",
            **{f"status_{i.pk}": "ongoing" for i in established.interventions.all()},
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"] == [
        "Uppföljningen kan inte ligga före SIP-mötet."
    ]
    assert not FollowUp.objects.exists() and not InterventionOutcome.objects.exists()


def test_a_participant_unit_of_another_principal_sees_nothing_until_a_consent_covers_it(
    client_for, plan, staff, school, bup, bup_staff, group
):
    """Like an invited unit in the individforum: it takes part, sees the plan's number, time
    and place, and the plan says a consent is missing for it."""
    # A consent for another occasion does not count.
    case = ForumCase.objects.create(
        local_group=group, child=plan.child, raised_by_unit=school, raised_by=staff,
        noticed_on=TODAY, reason="Skäl",
    )  # fmt: skip
    give_consent(plan.child, [bup], staff, case)
    response = client_for(staff).post(
        url("participant_add", plan),
        {"kind": "unit", "unit": bup.pk, "person": bup_staff.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Samtycke saknas för BUP Testby" in response.text
    assert plan.participants.get().unit == bup
    assert plan.uncovered_unit_ids() == {bup.pk}
    page = client_for(bup_staff).get(plan.get_absolute_url())
    assert page.status_code == 200 and not page.context["content"]


@pytest.mark.parametrize("kind", ["verbal", "recorded by the receiving side"])
def test_a_participant_stays_uncovered_under_a_consent_that_does_not_open_the_plan(
    client_for, plan, staff, bup, bup_staff, kind
):
    if kind == "verbal":
        give_consent(plan.child, [bup], staff, plan, form="verbal", noted_by=staff)
    else:
        give_consent(plan.child, [bup], bup_staff, plan, recorded_by_unit=bup)
    response = client_for(staff).post(
        url("participant_add", plan), {"kind": "unit", "unit": bup.pk, "person": bup_staff.pk}
    )
    assert response.status_code == 302
    assert plan.uncovered_unit_ids() == {bup.pk}
    assert not client_for(bup_staff).get(plan.get_absolute_url()).context["content"]


def test_a_participant_unit_of_the_same_principal_needs_no_consent(
    client_for, plan, staff, other_school, stranger
):
    response = client_for(staff).post(
        url("participant_add", plan),
        {"kind": "unit", "unit": other_school.pk, "person": stranger.pk, "role": "Lärare"},
    )
    assert response.status_code == 302
    assert plan.participants.get().unit == other_school
    assert plan.uncovered_unit_ids() == set()


def test_another_principal_is_brought_into_a_plan_through_the_forms(
    client_for, plan, staff, school, bup, bup_staff
):
    """First BUP as a participant (it sees only time and place), then the consent for the
    plan naming BUP, recorded by the initiating unit: now BUP reads the plan."""
    client = client_for(staff)
    response = client.post(
        url("participant_add", plan), {"kind": "unit", "unit": bup.pk, "person": bup_staff.pk}
    )
    assert response.status_code == 302
    assert plan.uncovered_unit_ids() == {bup.pk}
    add = reverse("consent:add", args=["sip", plan.pk])
    response = client.get(add)
    assert response.status_code == 200
    assert bup in response.context["form"].fields["units"].queryset
    guardian = plan.child.guardians.create(name="Vera Vårdnadshavare")
    data = {
        "recorded_by_unit": school.pk, "units": [bup.pk], "given_by_guardians": [guardian.pk],
        "form": "written", "purpose_text": "SIP", "given_on": TODAY.isoformat(),
        "valid_until": (TODAY + 30 * DAY).isoformat(),
    }  # fmt: skip
    assert client.post(add, data).status_code == 200
    assert client.post(add, {**data, "spara": "1"}).status_code == 302
    assert plan.uncovered_unit_ids() == set()
    assert client_for(bup_staff).get(plan.get_absolute_url()).context["content"]


def test_a_guardian_participant_needs_a_name(client_for, plan, staff):
    response = client_for(staff).post(url("participant_add", plan), {"kind": "guardian"})
    assert response.context["form"].errors["name"] == ["Ange namnet."]
    assert not Participant.objects.exists()


# --- consent gating across principals ---------------------------------------------------------
def test_another_principal_sees_the_content_only_with_consent_for_this_plan(
    client_for, complete, consent, staff, bup_staff, school, bup
):
    consent.delete()
    client = client_for(bup_staff)

    def page():
        response = client.get(complete.get_absolute_url())
        assert response.status_code == 200  # a party: sees that the plan exists
        return response.text

    text = page()
    assert complete.reference in text and "Skolans konferensrum" in text  # time and place
    assert "Alva" not in text and "20170101" not in text and "sömnen" not in text
    assert "Testskolan" not in text  # not even the initiating unit
    assert "Du ser planens nummer, tid och plats, men inte barnet eller innehållet" in text
    entry = AccessLog.objects.filter(user=bup_staff).latest("id")
    assert (entry.action, entry.object_type, entry.child_id) == (
        "view",
        "sip.plan",
        complete.child_id,
    )
    assert "utan innehåll" in entry.reason

    # A consent for another occasion (a forum case) does not count.
    case = ForumCase.objects.create(
        local_group=LocalGroup.objects.create(name="BUS Testby", slug="testby"),
        child=complete.child, raised_by_unit=school, raised_by=staff, noticed_on=TODAY,
        reason="Skäl",
    )  # fmt: skip
    give_consent(complete.child, [bup], staff, case)
    # Nor one for this plan recorded by BUP itself: it opens only the region's information.
    give_consent(complete.child, [bup, school], bup_staff, complete, recorded_by_unit=bup)
    # Nor one for this plan that does not name BUP.
    for_plan = give_consent(complete.child, [school], staff, complete)
    assert "sömnen" not in page() and "Alva" not in page()

    for_plan.units.set([bup])
    text = page()
    assert "Alva Exempel" in text and "sömnen" in text
    assert client.get(url("version", complete, 1)).status_code == 404  # not established yet

    for_plan.revoked_on = TODAY
    for_plan.save()
    text = page()
    assert "Alva" not in text and "sömnen" not in text

    # A consent for the whole child record opens the plan too.
    give_consent(complete.child, [bup], staff, complete.child)
    assert "sömnen" in page()


def test_protected_identity_hides_the_name_outside_the_owning_unit(
    client_for, established, staff, bup_staff
):
    established.child.protected_identity = True
    established.child.save()
    response = client_for(bup_staff).get(established.get_absolute_url())
    assert "sömnen" in response.text  # the content, under the consent
    assert "Alva" not in response.text and "Skyddade personuppgifter" in response.text
    assert "Alva" not in client_for(bup_staff).get(url("family", established)).text
    rows = client_for(bup_staff).get(reverse("sip:list"), {"vy": "enhet"}).context["rows"]
    assert [row["identity"] for row in rows] == [False]
    assert "Alva Exempel" in client_for(staff).get(established.get_absolute_url()).text


# --- versions ---------------------------------------------------------------------------------
def test_revising_keeps_the_earlier_version_and_shows_what_changed(client_for, established, staff):
    client = client_for(staff)
    first = established.versions.get()
    kept = dict(first.content)
    response = client.post(
        url("edit", established),
        edit_data(established, needs="Stöd i skolan.\nHjälp med oron."),
    )
    assert response.status_code == 302
    response = client.post(url("establish", established), {"note": "Nytt behov"})
    assert response.status_code == 302
    assert established.versions.count() == 2
    second = established.versions.get(number=2)
    assert second.note == "Nytt behov" and second.content["needs"].endswith("Hjälp med oron.")
    first.refresh_from_db()
    assert first.content == kept  # unchanged

    response = client.get(url("version", established, 1))
    assert response.status_code == 200
    assert "Första versionen" in response.text and "Hjälp med sömnen." in response.text
    response = client.get(url("version", established, 2))
    assert "Ändrat sedan version 1" in response.text
    assert "<del>Hjälp med sömnen.</del>" in response.text
    assert "<ins>Hjälp med oron.</ins>" in response.text
    assert "<del>Stöd i skolan.</del>" not in response.text  # an unchanged line
    assert [c["label"] for c in response.context["changes"]] == ["Behov"]

    # Establishing again without a change makes no new version.
    client.post(url("establish", established))
    assert established.versions.count() == 2
    assert client.get(url("version", established, 3)).status_code == 404


def test_save_and_establish_again_creates_a_revision(client_for, established, staff):
    response = client_for(staff).post(
        url("edit", established),
        edit_data(
            established, goals="Barnet går i skolan varje dag och sover bättre.", faststall=1
        ),
        follow=True,
    )
    assert "Version 2 är fastställd." in response.text
    assert established.versions.get(number=2).note == "Reviderad"
    assert established.versions.get(number=1).content["goals"] == "Barnet går i skolan varje dag."


def test_an_established_plan_keeps_its_overall_responsibility(client_for, established, staff):
    response = client_for(staff).post(
        url("edit", established), edit_data(established, overall_responsible="")
    )
    assert response.status_code == 200 and "overall_responsible" in response.context["form"].errors
    established.refresh_from_db()
    assert established.overall_responsible is not None


# --- the concurrent-edit refusal --------------------------------------------------------------
def test_a_save_based_on_an_older_version_is_refused(complete, staff, manager):
    first, second = Client(), Client()
    first.force_login(staff)
    second.force_login(manager)  # the initiating unit's manager may edit too
    for client in (first, second):
        response = client.get(url("edit", complete))
        assert response.status_code == 200
        assert response.context["form"]["edit_version"].value() == 0

    response = first.post(url("edit", complete), edit_data(complete, goals="Mål från Kim."))
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.edit_version == 1

    response = second.post(
        url("edit", complete), edit_data(complete, goals="Mål från Rut.", edit_version=0)
    )
    assert response.status_code == 200
    assert "Någon annan har sparat planen medan du skrev" in response.text
    assert "Mål från Kim." in response.text and "Mål från Rut." in response.text
    assert [row[0] for row in response.context["conflict"]] == ["Mål"]
    assert response.context["form"]["edit_version"].value() == 1
    complete.refresh_from_db()
    assert complete.goals == "Mål från Kim." and complete.edit_version == 1

    response = second.post(
        url("edit", complete), edit_data(complete, goals="Mål från Rut.", edit_version=1)
    )
    assert response.status_code == 302
    complete.refresh_from_db()
    assert complete.goals == "Mål från Rut." and complete.edit_version == 2


def test_a_follow_up_recorded_meanwhile_is_not_overwritten_by_an_open_edit_form(
    established, staff, manager
):
    editor, follower = Client(), Client()
    editor.force_login(manager)
    follower.force_login(staff)
    assert editor.get(url("edit", established)).status_code == 200
    opened = edit_data(established, goals="Nytt mål.")
    next_on = TODAY + datetime.timedelta(days=90)
    follower.post(
        url("follow_up", established),
        {
            "held_on": TODAY.isoformat(),
            "next_on": next_on.isoformat(),
            **{f"status_{i.pk}": "ongoing" for i in established.interventions.all()},
        },
    )
    response = editor.post(url("edit", established), opened)
    assert response.status_code == 200
    assert "Någon annan har sparat planen medan du skrev" in response.text
    established.refresh_from_db()
    assert established.next_follow_up_on == next_on
    assert established.goals == "Barnet går i skolan varje dag."


# --- follow-ups -------------------------------------------------------------------------------
def test_a_follow_up_records_each_intervention_and_sets_the_next_date(
    client_for, established, staff
):
    sleep = established.interventions.get(what="Utredning av sömnen")
    school_plan = established.interventions.get(what="Anpassad studiegång")
    next_on = TODAY + datetime.timedelta(days=60)
    response = client_for(staff).post(
        url("follow_up", established),
        {
            "held_on": TODAY.isoformat(),
            "notes": "Det går bättre.",
            "next_on": next_on.isoformat(),
            f"status_{sleep.pk}": "done",
            f"note_{sleep.pk}": "Utredningen är klar.",
            f"status_{school_plan.pk}": "ongoing",
        },
    )
    assert response.status_code == 302
    record = FollowUp.objects.get()
    assert (record.held_on, record.by, record.notes) == (TODAY, staff, "Det går bättre.")
    outcomes = {o.intervention_id: (o.status, o.note) for o in record.outcomes.all()}
    assert outcomes == {sleep.pk: ("done", "Utredningen är klar."), school_plan.pk: ("ongoing", "")}
    sleep.refresh_from_db()
    school_plan.refresh_from_db()
    assert (sleep.status, school_plan.status) == ("done", "ongoing")
    established.refresh_from_db()
    assert established.next_follow_up_on == next_on
    response = client_for(staff).get(established.get_absolute_url())
    assert "Utredningen är klar." in response.text


def test_the_next_follow_up_must_come_after_this_one(client_for, established, staff):
    response = client_for(staff).post(
        url("follow_up", established),
        {
            "held_on": TODAY.isoformat(),
            "next_on": TODAY.isoformat(),
            **{f"status_{i.pk}": "ongoing" for i in established.interventions.all()},
        },
    )
    assert "next_on" in response.context["form"].errors
    assert not FollowUp.objects.exists()


def test_a_draft_is_not_followed_up(client_for, complete, staff):
    response = client_for(staff).post(url("follow_up", complete), {"held_on": TODAY.isoformat()})
    assert response.status_code == 302 and not FollowUp.objects.exists()


# --- lists ------------------------------------------------------------------------------------
def make_plan(child, unit, user, **fields):
    fields.setdefault("chair", user)
    fields.setdefault("secretary", user)
    return Plan.objects.create(
        child=child, initiating_unit=unit, initiated_by=user, reason="Skäl", **fields
    )


def test_lists_views_and_filters(
    client_for, established, staff, manager, school, child, region, municipality, bup_staff
):
    theirs = make_plan(child, school, manager)  # the same unit, another person's plan
    soon = make_plan(
        child, school, staff, status="established", next_follow_up_on=TODAY + 5 * DAY,
        overall_responsible=region,
    )  # fmt: skip
    passed = make_plan(
        child, school, staff, status="established", next_follow_up_on=TODAY - 2 * DAY,
        overall_responsible=region,
    )  # fmt: skip
    draft_passed = make_plan(child, school, staff, next_follow_up_on=TODAY - 2 * DAY)

    def shown(user, **params):
        response = client_for(user).get(reverse("sip:list"), params)
        assert response.status_code == 200
        return {row["plan"].reference for row in response.context["rows"]}

    mine = {established.reference, soon.reference, passed.reference, draft_passed.reference}
    assert shown(staff) == mine
    assert shown(staff, vy="mina") == mine
    assert shown(staff, vy="enhet") == mine | {theirs.reference}
    assert shown(manager) == {theirs.reference}
    assert shown(bup_staff, vy="enhet") == {established.reference}  # a participant unit
    assert shown(bup_staff) == set()
    assert shown(staff, status="established") == {
        established.reference,
        soon.reference,
        passed.reference,
    }
    assert shown(staff, status="draft") == {draft_passed.reference}
    assert shown(staff, uppfoljning="snart") == {soon.reference, passed.reference}
    assert shown(staff, uppfoljning="passerad") == {passed.reference}
    assert shown(staff, huvudman=region.pk) == {soon.reference, passed.reference}
    assert shown(staff, huvudman=municipality.pk) == {established.reference}
    assert shown(staff, status="nonsense", huvudman="x") == mine  # ignored
    response = client_for(staff).get(reverse("sip:list"))
    assert "Alva Exempel" in response.text and "Passerad" in response.text

    # A list is logged as one entry per plan shown, each naming the child.
    latest = AccessLog.objects.filter(user=staff).order_by("-id")[: len(mine)]
    assert {(e.action, e.object_type, e.object_id, e.child_id) for e in latest} == {
        ("view", "sip.plan", str(p.pk), child.pk) for p in (established, soon, passed, draft_passed)
    }
    assert {e.reason for e in latest} == {"Listade SIP"}
    # A participant unit without content: logged as a row without content.
    Consent.objects.update(revoked_on=TODAY)
    before = AccessLog.objects.count()
    assert shown(bup_staff, vy="enhet") == {established.reference}
    entry = AccessLog.objects.get(pk__gt=AccessLog.objects.order_by("id")[before - 1].pk)
    assert (entry.object_type, entry.object_id, entry.child_id) == (
        "sip.plan",
        str(established.pk),
        child.pk,
    )
    assert entry.reason == "Listade SIP (utan innehåll)"


def test_a_plan_the_unit_takes_part_in_several_ways_is_listed_once(
    client_for, established, staff, school
):
    Participant.objects.create(plan=established, kind="unit", unit=school, person=staff)
    Intervention.objects.create(plan=established, what="Stöd i skolan", unit=school)
    rows = client_for(staff).get(reverse("sip:list"), {"vy": "enhet"}).context["rows"]
    assert [row["plan"] for row in rows] == [established]


def test_the_units_list_is_newest_first_filtered_or_not(client_for, staff, school, child):
    plans = [make_plan(child, school, staff) for _ in range(3)]
    client = client_for(staff)

    def listed(**params):
        rows = client.get(reverse("sip:list"), {"vy": "enhet", **params}).context["rows"]
        return [row["plan"] for row in rows]

    newest_first = sorted(plans, key=lambda plan: plan.pk, reverse=True)
    assert listed() == newest_first  # the union alone, paged by id
    assert listed(status=Plan.Status.DRAFT) == newest_first  # through the plans


def test_list_query_count_is_constant(client_for, established, staff, school, child, settings):
    settings.PAGE_SIZE = 10
    client = client_for(staff)
    _, first = count_queries(client, reverse("sip:list"))
    for i in range(25):
        make_plan(child, school, staff, next_follow_up_on=TODAY + i * DAY)
    _, later = count_queries(client, reverse("sip:list"))
    assert later == first
    _, page_three = count_queries(client, reverse("sip:list") + "?sida=3")
    assert page_three == first
    _, unit_view = count_queries(client, reverse("sip:list") + "?vy=enhet&sida=2")
    assert unit_view == first


# --- the family's copy and the invitation -----------------------------------------------------
def test_the_family_copy_exists_only_once_established(client_for, complete, staff):
    client = client_for(staff)
    assert client.get(url("family", complete)).status_code == 404
    assert client.get(url("family_pdf", complete)).status_code == 404
    establish_plan(complete, staff)
    response = client.get(url("family", complete))
    assert response.status_code == 200
    assert "Planen för Alva" in response.text and "Utredning av sömnen" in response.text
    response = client.get(url("family_pdf", complete))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AccessLog.objects.filter(action="export", object_type="sip.plan").count() == 2
    assert_accessible(
        response.content,
        title=f"Samordnad individuell plan (SIP), {complete.reference}",
        reading_order=[
            "Planen för Alva", "Det här behöver du", "Vem gör vad", "Vad", "Utredning av sömnen",
            "Vem du kan ringa", "När vi ses igen",
        ],
    )  # fmt: skip


def test_invitation_ics_carries_no_identity(client_for, complete, staff, bup_staff):
    response = client_for(staff).get(url("invitation", complete))
    assert response.status_code == 200 and response["Content-Type"] == "text/calendar"
    body = response.content.decode()
    assert "BEGIN:VCALENDAR" in body and complete.reference in body
    assert "DTSTART;TZID=Europe/Stockholm" in body and "Skolans konferensrum" in body
    assert "Alva" not in body and "Exempel" not in body and "20170101" not in body


def test_no_invitation_before_a_meeting_date(client_for, plan, staff):
    assert client_for(staff).get(url("invitation", plan)).status_code == 404


# --- reminders --------------------------------------------------------------------------------
def test_reminders_a_week_before_and_when_passed(established, staff):
    due = established.next_follow_up_on
    assert send_reminders(today=due - 8 * DAY) == 0
    assert send_reminders(today=due - 7 * DAY) == 1
    message = mail.outbox[-1]
    assert message.to == [staff.email]
    assert established.reference in message.subject and due.isoformat() in message.subject
    assert f"{settings.SITE_URL}{established.get_absolute_url()}" in message.body
    assert "Alva" not in message.subject + message.body
    assert "Exempel" not in message.body and "20170101" not in message.body
    assert send_reminders(today=due - 6 * DAY) == 0  # once only
    assert send_reminders(today=due) == 0
    assert send_reminders(today=due + DAY) == 1
    assert "passerat" in mail.outbox[-1].subject
    assert "Alva" not in mail.outbox[-1].body
    assert send_reminders(today=due + 5 * DAY) == 0
    assert Reminder.objects.count() == 2 and len(mail.outbox) == 2


def test_a_new_follow_up_date_gets_its_own_reminders(established):
    due = established.next_follow_up_on
    assert send_reminders(today=due - 7 * DAY) == 1
    later = due + datetime.timedelta(days=30)
    Plan.objects.filter(pk=established.pk).update(next_follow_up_on=later)
    assert send_reminders(today=later - 7 * DAY) == 1
    assert set(Reminder.objects.values_list("kind", "due_on")) == {
        ("soon", due),
        ("soon", later),
    }


def test_no_reminders_for_drafts_or_closed_plans(complete):
    due = complete.next_follow_up_on
    assert send_reminders(today=due - 7 * DAY) == 0
    assert send_reminders(today=due + DAY) == 0
    Plan.objects.filter(pk=complete.pk).update(status="closed")
    assert send_reminders(today=due + DAY) == 0
    assert not Reminder.objects.exists() and not mail.outbox


def test_send_reminders_command_sends_sip_reminders_once(established, capsys):
    Plan.objects.filter(pk=established.pk).update(next_follow_up_on=TODAY - DAY)
    call_command("send_reminders")
    call_command("send_reminders")
    assert capsys.readouterr().out.splitlines() == [
        "0 reminder(s) sent.",
        "1 SIP reminder(s) sent.",
        "0 reminder(s) sent.",
        "0 SIP reminder(s) sent.",
    ]
    assert len(mail.outbox) == 1 and "passerat" in mail.outbox[0].subject


# --- permissions ------------------------------------------------------------------------------
PLAN_PAGES = ["plan", "edit", "participant_add", "intervention_add", "establish", "follow_up",
              "invitation", "family", "family_pdf"]  # fmt: skip
CONTENT_PAGES = ["edit", "participant_add", "intervention_add", "establish", "follow_up",
                 "family", "family_pdf"]  # fmt: skip


def plan_urls(plan, names=PLAN_PAGES):
    intervention = plan.interventions.first()
    urls = {name: url(name, plan) for name in names}
    urls["intervention_edit"] = url("intervention_edit", plan, intervention.pk)
    urls["version"] = url("version", plan, 1)
    return urls


def test_every_sip_page_needs_login(client, established):
    for name, address in {
        **plan_urls(established),
        "list": reverse("sip:list"),
        "create": reverse("sip:create"),
    }.items():
        response = client.get(address)
        assert response.status_code == 302 and "/konto/login/" in response.url, name


def test_a_user_without_a_unit_may_not_list_or_start_plans(client_for, outsider, secretariat):
    for user in (outsider, secretariat):
        client = client_for(user)
        assert client.get(reverse("sip:list")).status_code == 403
        assert client.get(reverse("sip:create")).status_code == 403
        assert client.post(reverse("sip:create"), {"reason": "x"}).status_code == 403
    assert not Plan.objects.exists()


def test_an_unrelated_unit_gets_404_on_every_plan_page(client_for, established, stranger, outsider):
    for user in (stranger, outsider):
        client = client_for(user)
        for name, address in plan_urls(established).items():
            assert client.get(address).status_code == 404, (user, name)
        assert client.post(url("establish", established)).status_code == 404
        assert client.post(url("edit", established), edit_data(established)).status_code == 404
    refusals = AccessLog.objects.filter(user=stranger, action="denied", status_code=404)
    assert refusals.exists()
    assert set(refusals.values_list("object_type", "object_id", "child_id")) == {
        ("sip.plan", str(established.pk), established.child_id)
    }
    rows = client_for(stranger).get(reverse("sip:list"), {"vy": "enhet"}).context["rows"]
    assert rows == []


def test_a_party_without_consent_gets_403_on_edit_and_content_pages(
    client_for, established, consent, bup_staff
):
    consent.revoked_on = TODAY
    consent.save()
    client = client_for(bup_staff)
    urls = plan_urls(established)
    for name in [*CONTENT_PAGES, "intervention_edit", "version"]:
        assert client.get(urls[name]).status_code == 403, name
    assert client.post(url("establish", established)).status_code == 403
    assert client.get(urls["plan"]).status_code == 200
    assert client.get(urls["invitation"]).status_code == 200  # a date and a place, no child


def test_a_party_with_consent_reads_but_does_not_edit(client_for, established, bup_staff):
    client = client_for(bup_staff)
    urls = plan_urls(established)
    for name in ("plan", "version", "family", "family_pdf", "invitation"):
        assert client.get(urls[name]).status_code == 200, name
    for name in ("edit", "participant_add", "intervention_add", "intervention_edit", "establish",
                 "follow_up"):  # fmt: skip
        assert client.get(urls[name]).status_code == 403, name
    response = client.get(urls["plan"])
    assert response.context["may_edit"] is False and "Skriv i planen" not in response.text


def test_the_chair_from_another_unit_edits(client_for, established, bup_staff):
    Plan.objects.filter(pk=established.pk).update(chair=bup_staff)
    response = client_for(bup_staff).get(url("edit", established))
    assert response.status_code == 200


def test_a_membership_that_has_ended_gives_no_access(client_for, established, bup_staff):
    UnitMembership.objects.filter(user=bup_staff).update(valid_to=TODAY - DAY)
    assert client_for(bup_staff).get(established.get_absolute_url()).status_code == 404


def test_a_version_keeps_its_follow_up_date_where_an_index_finds_it(established, staff):
    from samverkan.sip.models import PlanVersion

    dated = PlanVersion.objects.create(
        plan=established, number=7, content={"next_follow_up_on": "2026-03-01"}, created_by=staff
    )
    undated = PlanVersion.objects.create(
        plan=established, number=8, content={"next_follow_up_on": ""}, created_by=staff
    )
    missing = PlanVersion.objects.create(plan=established, number=9, content={}, created_by=staff)
    found = PlanVersion.objects.filter(next_follow_up_on__range=("2026-01-01", "2026-12-31"))
    assert dated in found and undated not in found and missing not in found
    missing.refresh_from_db()
    assert missing.next_follow_up_on == ""
