import pytest
from django.core.management import call_command

from samverkan.accounts.models import User
from samverkan.consent.models import Consent
from samverkan.demo import county as demo
from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase, Protocol
from samverkan.organisations.models import (
    Area,
    Body,
    LocalGroup,
    Membership,
    Principal,
    Unit,
    UnitMembership,
)
from samverkan.people.models import Child
from samverkan.sip.models import Plan


def counts():
    models = [Principal, Area, Unit, LocalGroup, Body, Membership, User, UnitMembership]
    models += [Child, Consent, ForumCase, Protocol, Plan, Deviation]
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


@pytest.mark.django_db
def test_demo_forum_cases_use_only_the_published_test_number():
    call_command("seed_demo", quiet=True)
    assert list(Child.objects.values_list("personal_number", flat=True)) == ["20170101-2393"]
    statuses = set(ForumCase.objects.values_list("status", flat=True))
    assert statuses == {"decided", "raised"}
    decided = ForumCase.objects.get(status="decided")
    assert decided.protocols.get().is_locked
    assert decided.meeting_within_deadline


@pytest.mark.django_db
def test_demo_consents_open_the_municipalitys_case_and_plan_to_bup_only():
    call_command("seed_demo", quiet=True)
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    child = Child.objects.get()
    assert child.owning_unit == social
    consents = list(Consent.objects.all())
    assert {type(c.purpose) for c in consents} == {ForumCase, Plan}
    for consent in consents:
        assert consent.child == child
        assert consent.recorded_by_unit == social
        assert list(consent.units.all()) == [bup]
        assert consent.is_written and consent.status() == "valid"
        assert not consent.covers_whole_record
    assert Consent.objects.opening().count() == len(consents) == 2


@pytest.mark.django_db
def test_demo_has_an_established_plan_due_for_follow_up():
    call_command("seed_demo", quiet=True)
    plan = Plan.objects.get()
    assert plan.status == "established" and not plan.missing_parts()
    assert not plan.uncovered_unit_ids()
    assert plan in Plan.objects.follow_up_due()
