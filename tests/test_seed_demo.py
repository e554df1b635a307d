import ast
import datetime
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.accounts.models import User
from samverkan.agenda.inbox import waiting_for
from samverkan.agenda.models import AgendaItem
from samverkan.assignments.models import Assignment
from samverkan.consent.models import Consent
from samverkan.demo import county as demo
from samverkan.demo import notifications as demo_notifications
from samverkan.demo.children import ALVA_OLD_NUMBER
from samverkan.deviations.models import Deviation, Event
from samverkan.forum.models import ForumCase, Invitee, PartyView, Protocol, StatusChange
from samverkan.governance.models import Meeting
from samverkan.identity import find_identity, normalise_reserve_number
from samverkan.notifications.models import Notification
from samverkan.organisations.models import (
    Area,
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
    UnitMembership,
)
from samverkan.people.models import Child, Guardian, NumberChange, find_or_register
from samverkan.sip.models import FollowUp, Plan, PlanVersion

TEST_NUMBER = "20170101-2393"  # Skatteverket's published test number: Alva Demosson
SOCIAL = "Socialtjänsten barn och ungdom, Rinkeby-Kista"
ROOT = Path(__file__).resolve().parents[1]


def counts():
    models = [Principal, Area, Unit, LocalGroup, Body, Membership, User, UnitMembership]
    models += [Child, Guardian, NumberChange, Consent, ForumCase, StatusChange, Invitee]
    models += [Protocol, Plan, PlanVersion, FollowUp, Deviation, Event, Meeting, AgendaItem]
    models += [Assignment, Notification]
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.django_db
def test_demo_looks_like_the_county():
    call_command("seed_demo", quiet=True)
    assert Principal.objects.filter(kind="municipality").count() == 26
    assert Area.objects.filter(kind="district").count() == 13
    assert LocalGroup.objects.count() == 33
    # Every area belongs to exactly one local group.
    assert all(area.local_groups.count() == 1 for area in Area.objects.all())
    region = Principal.objects.get(kind="region")
    regional_kinds = set(region.units.values_list("kind", flat=True))
    assert {"bup", "bumm", "habilitation", "youth_clinic", "child_health_care", "primary_care"} <= (
        regional_kinds
    )
    assert set(Unit.objects.values_list("kind", flat=True)) == set(Unit.Kind.values)
    county = set(Body.objects.filter(level="county").values_list("kind", flat=True))
    assert county == {"bussam", "secretariat", "presidium"}
    assert all(g.bodies.filter(kind="steering").exists() for g in LocalGroup.objects.all())


@pytest.mark.django_db
def test_norrtalje_and_jarva_follow_their_agreements():
    call_command("seed_demo", quiet=True)
    norrtalje = LocalGroup.objects.get(slug="norrtalje")
    kinds = set(norrtalje.bodies.values_list("kind", flat=True))
    assert kinds == {"steering", "working", "individforum", "consultation"}
    chair = Membership.objects.current().get(body__local_group=norrtalje, role="chair")
    assert chair.function == "Folkhälsostrateg"
    working = norrtalje.bodies.get(kind="working").memberships.count()
    assert working == 8  # seed 002 lists eight functions
    consultation = norrtalje.bodies.get(kind="consultation")
    assert "KSON (2020)" in consultation.cadence_note
    jarva = LocalGroup.objects.get(slug="rinkeby-kista-och-spanga-tensta")
    assert set(jarva.areas.values_list("name", flat=True)) == {"Rinkeby-Kista", "Spånga-Tensta"}
    assert jarva.bodies.get(kind="working").memberships.filter(role="convener").count() == 2


@pytest.mark.django_db
def test_demo_users_cover_every_role():
    call_command("seed_demo", quiet=True)
    users = User.objects.all()
    assert users.filter(is_superuser=True).exists()
    assert users.filter(is_secretariat=True).exists()
    assert users.filter(is_log_reviewer=True).exists()
    assert UnitMembership.objects.filter(role="staff").exists()
    assert UnitMembership.objects.filter(role="manager").exists()
    held = set(Membership.objects.filter(user__isnull=False).values_list("role", flat=True))
    assert {"chair", "convener", "secretary"} <= held
    user = users.get(email="ordforande.rinkeby@demo.example")
    assert user.check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_seed_demo_is_idempotent(capsys):
    call_command("seed_demo")
    first = counts()
    out = capsys.readouterr().out
    assert "admin@demo.example" in out and demo.DEMO_PASSWORD in out
    call_command("seed_demo", quiet=True)
    assert counts() == first


@pytest.mark.django_db
def test_no_demo_passwords_without_demo_data(django_user_model):
    assert not django_user_model.objects.exists()


def alva() -> Child:
    return Child.objects.get(personal_number=TEST_NUMBER, owning_unit__name=SOCIAL)


@pytest.mark.django_db
def test_demo_children_have_the_published_test_number_or_a_reservnummer():
    call_command("seed_demo", quiet=True)
    # One personnummer in the whole demo: Skatteverket's test number, on one record.
    assert list(
        Child.objects.exclude(personal_number="").values_list("personal_number", flat=True)
    ) == [TEST_NUMBER]
    # Every other child has a reservnummer in the demo's own series (no region issues it).
    others = Child.objects.exclude(reserve_number="")
    assert others.count() >= 40
    for number in others.values_list("reserve_number", flat=True):
        assert normalise_reserve_number(number) == number and number.endswith("-DEMO")
    assert not others.filter(reserve_number=ALVA_OLD_NUMBER).exists()
    # Alva came newly arrived: her reservnummer was replaced by her personnummer, and the
    # old number still finds her record at her unit.
    change = NumberChange.objects.get()
    assert (change.child, change.old_number, change.new_number) == (
        alva(),
        ALVA_OLD_NUMBER,
        TEST_NUMBER,
    )
    assert change.changed_at < timezone.now() - datetime.timedelta(days=365)
    social = Unit.objects.get(name=SOCIAL)
    found = find_or_register(
        reserve_number=ALVA_OLD_NUMBER, first_name="", last_name="", unit=social, user=None
    )
    assert found == alva()


@pytest.mark.django_db
def test_alvas_cases_stay_as_the_pages_know_them():
    """The route table and the browser flows start from Alva's two cases."""
    call_command("seed_demo", quiet=True)
    statuses = set(ForumCase.objects.filter(child=alva()).values_list("status", flat=True))
    assert statuses == {"decided", "raised"}
    decided = ForumCase.objects.get(child=alva(), status="decided")
    assert decided.protocols.get().is_locked
    assert decided.meeting_within_deadline


@pytest.mark.django_db
def test_demo_consents_open_alvas_case_and_plan_to_bup_only():
    call_command("seed_demo", quiet=True)
    social = Unit.objects.get(name=SOCIAL)
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    child = alva()
    assert child.owning_unit == social
    consents = list(Consent.objects.filter(child=child))
    assert {type(c.purpose) for c in consents} == {ForumCase, Plan}
    for consent in consents:
        assert consent.recorded_by_unit == social
        assert list(consent.units.all()) == [bup]
        assert consent.is_written and consent.status() == "valid"
        assert not consent.covers_whole_record
    assert Consent.objects.opening().filter(child=child).count() == len(consents) == 2
    # Every other consent is written, by the unit that holds the record, for its own case
    # or plan, naming units of another principal.
    for consent in Consent.objects.exclude(child=child).select_related("child"):
        assert consent.is_written
        assert consent.recorded_by_unit_id == consent.child.owning_unit_id
        assert consent.purpose.child_id == consent.child_id
        assert all(
            u.principal_id != consent.recorded_by_unit.principal_id for u in consent.units.all()
        )


@pytest.mark.django_db
def test_demo_has_an_established_plan_due_for_follow_up():
    call_command("seed_demo", quiet=True)
    plan = Plan.objects.get(child=alva())
    assert plan.status == "established" and not plan.missing_parts()
    assert not plan.uncovered_unit_ids()
    assert plan in Plan.objects.follow_up_due()


# --- the work alive (issue 11, item 10): the county loaded once for these tests ----------------
@pytest.fixture(scope="module")
def _alive(django_db_setup, django_db_blocker):
    """The demo county, loaded once for the module inside a transaction that is rolled back
    when the module is done (each test runs in a savepoint of its own)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", quiet=True)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def alive(_alive, db):
    return timezone.localdate()


def test_forum_cases_in_every_state_across_three_groups(alive):
    today = alive
    S = ForumCase.Status
    for status in S.values:
        assert ForumCase.objects.filter(status=status).count() >= 15, status
    slugs = set(ForumCase.objects.values_list("local_group__slug", flat=True))
    assert {"rinkeby-kista-och-spanga-tensta", "norrtalje"} < slugs and len(slugs) >= 3
    for slug in slugs:  # every group has cases in every state
        there = ForumCase.objects.filter(local_group__slug=slug)
        assert set(there.values_list("status", flat=True)) == set(S.values), slug
    raised = list(ForumCase.objects.filter(status=S.RAISED))
    assert any(c.days_left(today) >= 0 for c in raised)  # days left
    assert any(c.is_overdue(today) for c in raised)  # overdue, no meeting
    convened = ForumCase.objects.filter(status=S.CONVENED)
    assert not convened.filter(meeting_on=None).exists()
    assert convened.filter(meeting_on__gt=today).exists()  # a meeting booked
    assert ForumCase.objects.overdue(today).filter(status=S.CONVENED).exists()  # booked late
    paths = {
        S.RAISED: [S.RAISED],
        S.CONVENED: [S.RAISED, S.CONVENED],
        S.RESOLVED: [S.RAISED, S.CONVENED, S.RESOLVED],
        S.LIFTED: [S.RAISED, S.CONVENED, S.LIFTED],
        S.DECIDED: [S.RAISED, S.CONVENED, S.LIFTED, S.DECIDED],
    }
    for case in ForumCase.objects.prefetch_related("history", "protocols"):
        history = list(case.history.all())
        assert [h.status for h in history] == paths[case.status], case
        days = [timezone.localdate(h.at) for h in history]
        assert days == sorted(days) and case.raised_on <= days[0] and days[-1] <= today
        assert case.noticed_on <= case.raised_on <= today
        if case.status in (S.RESOLVED, S.LIFTED, S.DECIDED):
            assert case.meeting_on and case.meeting_on <= today
            assert any(p.is_locked for p in case.protocols.all()), case
        if case.status in (S.LIFTED, S.DECIDED):
            assert case.principled_question
        if case.status == S.DECIDED:
            assert case.steering_decision and case.steering_decided_by_id
            assert case.meeting_on <= case.steering_decided_on <= today


def test_forty_plans_with_follow_ups_around_today(alive):
    today = alive
    assert Plan.objects.count() >= 41
    assert Plan.objects.filter(status=Plan.Status.DRAFT).count() >= 5
    established = Plan.objects.filter(status=Plan.Status.ESTABLISHED)
    assert established.count() >= 25
    overdue = Plan.objects.follow_up_overdue(today)
    soon = Plan.objects.follow_up_due(today).exclude(pk__in=overdue)
    assert overdue.count() >= 3 and soon.count() >= 3
    assert established.filter(next_follow_up_on__gt=today + datetime.timedelta(days=14)).exists()
    for plan in established.prefetch_related("versions"):
        assert not plan.missing_parts(), plan
        assert [v.number for v in plan.versions.all()][0] == 1, plan
    revised = PlanVersion.objects.filter(number=2).values("plan")
    assert FollowUp.objects.filter(plan__in=revised).count() == revised.count() > 0
    for draft in Plan.objects.filter(status=Plan.Status.DRAFT):
        assert draft.missing_parts() and not draft.versions.exists()
    # One open plan per child and unit, as the app allows.
    open_plans = Plan.objects.exclude(status=Plan.Status.CLOSED)
    pairs = list(open_plans.values_list("child", "initiating_unit"))
    assert len(pairs) == len(set(pairs))


def test_questions_wait_in_two_steering_groups_and_at_bussam(alive):
    today = alive
    limit = settings.INBOX_OVERDUE_DAYS

    def waited(body):
        cases, reports = waiting_for(body)
        days = [(today - timezone.localdate(q.waiting_since)).days for q in [*cases, *reports]]
        return cases, reports, days

    for slug in ("rinkeby-kista-och-spanga-tensta", "norrtalje"):
        steering = Body.objects.get(local_group__slug=slug, kind=Body.Kind.STEERING)
        cases, reports, days = waited(steering)
        assert cases.exists() and reports.exists(), slug
        assert any(d > limit for d in days) and any(d <= limit for d in days), slug
        planned = Meeting.objects.filter(body=steering, held_on__gt=today)
        assert planned.exists(), slug
    bussam = Body.objects.get(kind=Body.Kind.BUSSAM)
    _cases, reports, days = waited(bussam)
    assert reports.count() >= 3
    assert any(d > limit for d in days) and any(d <= limit for d in days)
    assert Meeting.objects.filter(body=bussam, held_on__gt=today).exists()
    # Each waiting report's step has its event; BUSSAM's came through a steering group.
    for report in Deviation.objects.filter(step__in=["steering", "bussam"]):
        steps = list(report.events.values_list("to_step", flat=True))
        assert steps[0] == "supervisors" and steps[-1] == report.step
        assert report.is_principled and report.principled_question
    # A question already on an agenda: of a planned meeting of the body it waits for.
    items = AgendaItem.objects.filter(decided_at=None).select_related("meeting__body")
    assert items.exists()
    for item in items:
        assert item.meeting.held_on >= today
        cases, reports = waiting_for(item.meeting.body)
        assert item.question in [*cases, *reports]
    # Nearest supervisors have reports at their step too.
    assert Deviation.objects.filter(step="supervisors").count() >= 3


def test_assignments_given_by_steering_groups_and_bussam(alive):
    today = alive
    given = Assignment.objects.select_related("given_by_body")
    assert {a.given_by_body.kind for a in given} == {"steering", "bussam"}
    assert given.filter(assignee_user__isnull=False).exists()
    assert given.filter(assignee_body__kind="working").exists()
    overdue = Assignment.objects.overdue(today)
    assert overdue.exists() and not overdue.filter(reminded_on=None).exists()
    assert Assignment.objects.open().filter(due_on__gte=today).exists()
    closed = Assignment.objects.exclude(status="open")
    assert closed.count() == 1 and closed.get().closing_note


def demo_accounts_with_a_role():
    users = User.objects.filter(email__endswith="@demo.example")
    held = users.filter(unit_memberships__isnull=False) | users.filter(
        body_memberships__isnull=False
    )
    return (held | users.filter(is_secretariat=True)).distinct()


def pattern(template: str) -> re.Pattern:
    """A text the template gives: a reference where it says %(ref)s, anything for the rest."""
    parts = re.split(r"%\((\w+)\)s", template)
    return re.compile(
        "".join(
            re.escape(part) if i % 2 == 0 else r"[A-Z]+-\d{4}-\d{4}" if part == "ref" else ".+"
            for i, part in enumerate(parts)
        )
        + r"\Z"
    )


def test_notifications_for_every_demo_account_with_a_role(alive):
    now = timezone.now()
    people = demo_accounts_with_a_role()
    # Every named demo account but the administrator and the log reviewer, whom nothing
    # waits for; and the reporters the deviation history adds.
    named = {email for email, *_ in demo.DEMO_USERS} - {"admin@demo.example", "logg@demo.example"}
    assert named < set(people.values_list("email", flat=True))
    for person in people:
        assert Notification.objects.filter(user=person).exists(), person.email
    notes = Notification.objects.all()
    assert notes.filter(read_at=None).exists() and notes.filter(read_at__isnull=False).exists()
    assert not notes.filter(emailed_at=None).exists()  # nothing left for the e-mail
    assert not notes.filter(created_at__gt=now).exists()
    patterns = [pattern(text) for text, _source in demo_notifications.TEXTS.values()]
    for note in notes:
        assert any(p.match(note.text) for p in patterns), note.text
        label, pk = note.about.split(":")
        record = apps.get_model(label).objects.get(pk=pk)
        assert note.url == record.get_absolute_url()
    # Whoever waits is told: the conveners of raised cases, the steering groups of lifted
    # ones, the secretariat of BUSSAM's questions, the chairs of plans due.
    for case in ForumCase.objects.filter(status="raised"):
        assert notes.filter(user=case.convener, about=f"forum.forumcase:{case.pk}").exists()
    secretariat = User.objects.get(email="sekretariat@demo.example")
    for report in Deviation.objects.filter(step="bussam"):
        about = f"deviations.deviation:{report.pk}"
        if report.events.last().by != secretariat:  # nobody is told of their own step
            assert notes.filter(user=secretariat, about=about).exists()
    for plan in Plan.objects.follow_up_overdue():
        assert notes.filter(user=plan.chair, about=f"sip.plan:{plan.pk}").exists()


def test_the_demos_notification_texts_are_the_apps(alive):
    """Each text the demo writes is one the app sends, from the file ``TEXTS`` names."""
    for text, source in demo_notifications.TEXTS.values():
        code = (ROOT / source).read_text()
        if source.endswith(".py"):
            strings = {
                node.value
                for node in ast.walk(ast.parse(code))
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
            assert text in strings, (text, source)
        else:
            django_template = re.sub(r"%\((\w+)\)s", r"{{ \1 }}", text)
            assert django_template in code, (text, source)


def test_no_identity_in_the_demos_free_text(alive):
    """No personnummer, reservnummer, e-mail or phone number in what travels: the identity
    check would refuse it in the app."""
    fields = {
        Deviation: ["title", "what_happened", "consequence", "done_locally",
                    "principled_question", "outcome", "judgement_note"],
        Event: ["note"],
        ForumCase: ["reason", "principled_question", "steering_decision", "meeting_place"],
        StatusChange: ["note"],
        Protocol: ["background", "follow_up"],
        PartyView: ["view"],
        Meeting: ["agenda", "minutes", "attendees", "place"],
        AgendaItem: ["decision"],
        Assignment: ["title", "description", "closing_note"],
        FollowUp: ["notes"],
        Notification: ["text"],
    }  # fmt: skip
    for model, names in fields.items():
        for row in model.objects.values_list(*names):
            for value in row:
                assert not find_identity(value or ""), (model.__name__, value)


# (demo account, the keys its start page must show)
START_PAGES = [
    ("handlaggare.rinkeby@demo.example", {"cases", "follow_ups", "feedback"}),  # case worker
    ("enhetschef.ungdomsenheten@demo.example", {"cases", "follow_ups", "assignments"}),  # convener
    ("ordforande.rinkeby@demo.example", {"inbox", "supervise", "assignments"}),  # steering chair
    ("folkhalsostrateg@demo.example", {"inbox", "assignments"}),  # another group's chair
    ("sekretariat@demo.example", {"inbox", "unread", "assignments"}),  # the secretariat
    ("enhetschef.primabarn@demo.example", {"supervise", "inbox", "follow_ups"}),  # BUP manager
    ("enhetschef.bup.tiohundra@demo.example", {"supervise", "follow_ups", "assignments"}),
    ("enhetschef.sodertalje@demo.example", {"cases", "supervise", "follow_ups"}),
]


@pytest.mark.parametrize(("email", "expected"), START_PAGES)
def test_the_start_page_of_each_role_shows_its_items(alive, client, email, expected):
    person = User.objects.get(email=email)
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    todo = {item.key: item for item in response.context["todo"]}
    assert all(item.count > 0 for item in todo.values())
    inboxes = {key for key in todo if key.startswith("inbox-")}
    shown = set(todo) - inboxes | ({"inbox"} if inboxes else set())
    assert expected <= shown, (email, sorted(todo))
    if "inbox" in expected:  # the inbox of the body the person sits in (or acts for)
        kinds = {"steering", "bussam"}
        bodies = Body.objects.filter(pk__in=[int(k.removeprefix("inbox-")) for k in inboxes])
        assert set(bodies.values_list("kind", flat=True)) <= kinds
        sits = Membership.objects.current().filter(user=person, body__in=bodies).exists()
        assert sits or person.is_secretariat
        assert any(todo[k].overdue for k in inboxes)  # something has waited too long
    if "unread" in expected:
        assert (
            todo["unread"].count
            == Deviation.objects.filter(read_by_secretariat_at=None).exclude(step="draft").count()
        )
