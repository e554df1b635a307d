"""The holes found in issue 9, tried as an outsider would with the demo data, and the door
that closes them: nothing a user types widens what they see, a consent opens only what it
names, and every touch of a child's record is logged with the child.

The demo child (20170101-2393) is registered by Socialtjänsten barn och ungdom,
Rinkeby-Kista (Stockholm); its decided forum case and its SIP are shared with Prima Barn
BUP (Region Stockholm) under written consents for that case and that plan.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase
from samverkan.organisations.models import LocalGroup, Unit
from samverkan.people.models import Child, Guardian
from samverkan.sip.models import Plan

pytestmark = pytest.mark.django_db

NUMBER = "20170101-2393"
REAL_NAME, REAL_GUARDIAN, REAL_PHONE = "Demosson", "Sara Demosson", "070-000 00 00"


@pytest.fixture
def people(demo):
    from samverkan.accounts.models import User

    return {u.email.split("@")[0]: u for u in User.objects.filter(email__endswith="demo.example")}


@pytest.fixture
def real_child(demo):
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    return Child.objects.get(personal_number=NUMBER, owning_unit=social)


@pytest.fixture
def real_case(real_child):
    return ForumCase.objects.get(child=real_child, status=ForumCase.Status.DECIDED)


def login(client, user):
    client.force_login(user)
    return client


def raise_in_norrtalje(client, people, **fields):
    unit = Unit.objects.get(name="Grindskolan")
    group = LocalGroup.objects.get(areas__name="Norrtälje")
    data = {
        "raised_by_unit": unit.pk,
        "local_group": group.pk,
        "personal_number": NUMBER,
        "first_name": "",
        "last_name": "",
        "noticed_on": timezone.localdate().isoformat(),
        "reason": "Skolan behöver samordning med socialtjänsten.",
        "convener": people["enhetschef.socialkontoret"].pk,
        **fields,
    }
    return client.post(reverse("forum:raise"), data)


def assert_nothing_of_the_real_record(content: str):
    for secret in (REAL_NAME, REAL_GUARDIAN, REAL_PHONE, "Alva", "Exempelgränd"):
        assert secret not in content, secret


# --- 1. The personnummer oracle -----------------------------------------------------------------
def test_a_known_number_without_a_name_reveals_nothing(client, people, real_child):
    counsellor = people["kurator.grindskolan"]
    response = raise_in_norrtalje(login(client, counsellor), people)
    assert response.status_code == 200
    form = response.context["form"]
    assert "Ange barnets för- och efternamn" in str(form.errors["first_name"])
    assert_nothing_of_the_real_record(response.content.decode())
    assert not ForumCase.objects.filter(raised_by=counsellor).exists()
    assert Child.objects.filter(personal_number=NUMBER).count() == 1


def test_the_raising_unit_sees_only_the_identity_it_typed(client, people, real_child):
    counsellor = people["kurator.grindskolan"]
    client = login(client, counsellor)
    response = raise_in_norrtalje(client, people, first_name="Anna", last_name="Skrivensdotter")
    case = ForumCase.objects.get(raised_by=counsellor)
    assert response.status_code == 302
    assert case.child != real_child
    assert case.child.owning_unit.name == "Grindskolan"
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Anna Skrivensdotter" in page
    assert_nothing_of_the_real_record(page)
    # The real record stays closed, whatever the counsellor's unit now holds.
    assert client.get(real_child.get_absolute_url()).status_code == 404


def test_a_verbal_consent_of_ones_own_opens_nothing_of_the_real_record(client, people, real_child):
    counsellor = people["kurator.grindskolan"]
    client = login(client, counsellor)
    raise_in_norrtalje(client, people, first_name="Anna", last_name="Skrivensdotter")
    own = ForumCase.objects.get(raised_by=counsellor)
    Guardian.objects.create(child=own.child, name="Någon Annan")
    url = reverse("consent:add", args=["individforum", own.pk])
    assert client.get(url).status_code == 200
    # Recording one for the real case or the real child is refused, and the refusal logged.
    real_case = ForumCase.objects.get(child=real_child, status=ForumCase.Status.DECIDED)
    for kind, pk in (("individforum", real_case.pk), ("barn", real_child.pk)):
        response = client.get(reverse("consent:add", args=[kind, pk]))
        assert response.status_code == 404
        denied = AccessLog.objects.filter(action="denied", user=counsellor).latest("id")
        assert denied.child_id == real_child.pk
    assert client.get(real_child.get_absolute_url()).status_code == 404


def test_starting_a_plan_with_a_known_number_reveals_nothing(client, people, real_child):
    counsellor = people["kurator.grindskolan"]
    client = login(client, counsellor)
    unit = Unit.objects.get(name="Grindskolan")
    data = {"initiating_unit": unit.pk, "personal_number": NUMBER, "reason": "Behov av SIP."}
    response = client.post(reverse("sip:create"), data)
    assert response.status_code == 200
    assert "Ange barnets för- och efternamn" in str(response.context["form"].errors)
    assert_nothing_of_the_real_record(response.content.decode())
    response = client.post(
        reverse("sip:create"), {**data, "first_name": "Anna", "last_name": "Skrivensdotter"}
    )
    plan = Plan.objects.get(initiated_by=counsellor)
    assert plan.child != real_child
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Anna Skrivensdotter" in page
    assert_nothing_of_the_real_record(page)


def test_being_named_convener_opens_nothing_of_other_records(client, people, real_child, real_case):
    """The convener the outsider chose sees the outsider's own case, nothing of the real
    child, and cannot touch the real case's consents."""
    raise_in_norrtalje(
        login(client, people["kurator.grindskolan"]), people, first_name="A", last_name="B"
    )
    convener = login(client, people["enhetschef.socialkontoret"])
    assert convener.get(real_child.get_absolute_url()).status_code == 404
    assert convener.get(real_case.get_absolute_url()).status_code == 404


# --- 2. Revoking another principal's consent --------------------------------------------------
def test_an_outsider_cannot_revoke_a_consent_between_two_other_principals(
    client, people, real_child, real_case
):
    consent = Consent.objects.for_purpose(real_case).get()
    raise_in_norrtalje(
        login(client, people["kurator.grindskolan"]), people, first_name="A", last_name="B"
    )
    outsider = people["enhetschef.socialkontoret"]
    client = login(client, outsider)
    url = reverse("consent:revoke", args=[consent.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"revoked_on": timezone.localdate(), "reason": "Fel"})
    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.revoked_on is None
    refusals = AccessLog.objects.filter(user=outsider, action="denied", status_code=404)
    assert refusals.filter(object_type="consent.consent", object_id=str(consent.pk)).count() == 2
    assert set(refusals.values_list("child_id", flat=True)) == {real_child.pk}


def test_a_unit_the_consent_names_records_the_revocation(client, people, real_child, real_case):
    consent = Consent.objects.for_purpose(real_case).get()
    client = login(client, people["enhetschef.primabarn"])
    response = client.post(
        reverse("consent:revoke", args=[consent.pk]),
        {"revoked_on": timezone.localdate().isoformat(), "reason": "Vårdnadshavaren återkallade"},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.revoked_on == timezone.localdate()
    assert AccessLog.objects.filter(
        action="change", object_type="consent.consent", child_id=real_child.pk
    ).exists()


# --- 4. A consent opens only what it names ------------------------------------------------------
def test_a_consent_for_the_case_opens_the_case_and_not_the_child_record(
    client, people, real_child, real_case
):
    client = login(client, people["enhetschef.primabarn"])  # BUP, named in the case's consent
    case_page = client.get(real_case.get_absolute_url())
    assert case_page.status_code == 200
    assert case_page.context["content"] and case_page.context["identity"]
    assert "Alva Demosson" in case_page.content.decode()
    assert client.get(real_child.get_absolute_url()).status_code == 404


def test_a_consent_for_the_whole_record_opens_it(client, people, real_child):
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    social = real_child.owning_unit
    consent = Consent.objects.create(
        child=real_child, form="written", purpose=real_child, purpose_text="Hela",
        given_on=timezone.localdate(), valid_until=timezone.localdate() + datetime.timedelta(30),
        recorded_by=people["handlaggare.rinkeby"], recorded_by_unit=social,
    )  # fmt: skip
    consent.units.set([bup])
    client = login(client, people["enhetschef.primabarn"])
    page = client.get(real_child.get_absolute_url())
    assert page.status_code == 200
    assert REAL_GUARDIAN in page.content.decode()


def test_a_consent_recorded_by_the_receiving_side_opens_nothing(client, people, real_child):
    """A consent recorded by BUP can open only the Region's information, never the
    municipality's record to BUP."""
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    consent = Consent.objects.create(
        child=real_child, form="written", purpose=real_child, purpose_text="Hela",
        given_on=timezone.localdate(), valid_until=timezone.localdate() + datetime.timedelta(30),
        recorded_by=people["enhetschef.primabarn"], recorded_by_unit=bup,
    )  # fmt: skip
    consent.units.set([bup, real_child.owning_unit])
    client = login(client, people["enhetschef.primabarn"])
    assert client.get(real_child.get_absolute_url()).status_code == 404


def test_a_verbal_consent_opens_nothing_across_principals(client, people, real_child, real_case):
    Consent.objects.for_purpose(real_case).update(form="verbal")
    client = login(client, people["enhetschef.primabarn"])
    page = client.get(real_case.get_absolute_url())
    assert page.status_code == 200
    assert not page.context["content"]
    assert "Alva" not in page.content.decode()


# --- 5. Hidden content and refusals are logged with the record --------------------------------
def test_a_case_page_without_content_is_logged_with_the_child(client, people, real_child):
    case = ForumCase.objects.filter(child=real_child).exclude(status="decided").get()
    # The Rinkeby chair sits in the steering group: may know of the case, sees no content
    # unless a party.
    bup_manager = people["enhetschef.primabarn"]
    client = login(client, bup_manager)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 200
    assert not response.context["content"]
    assert "Alva" not in response.content.decode()
    entry = AccessLog.objects.filter(user=bup_manager).latest("id")
    assert (entry.action, entry.object_type, entry.child_id) == (
        "view",
        "forum.forumcase",
        real_child.pk,
    )
    assert "utan innehåll" in entry.reason


def test_a_refusal_is_logged_with_the_record_and_the_child(client, people, real_child, real_case):
    counsellor = people["kurator.grindskolan"]
    client = login(client, counsellor)
    for url in (
        real_case.get_absolute_url(),
        real_child.get_absolute_url(),
        reverse("forum:protocol", args=[real_case.reference, 1]),
    ):
        assert client.get(url).status_code == 404
    refusals = AccessLog.objects.filter(user=counsellor, action="denied")
    assert refusals.count() == 3
    assert set(refusals.values_list("child_id", flat=True)) == {real_child.pk}
    assert set(refusals.values_list("status_code", flat=True)) == {404}


def test_a_known_record_one_may_not_change_answers_403_and_is_logged(
    client, people, real_child, real_case
):
    bup_manager = people["enhetschef.primabarn"]  # a party with content, not the convener
    client = login(client, bup_manager)
    response = client.get(reverse("forum:outcome", args=[real_case.reference]))
    assert response.status_code == 403
    entry = AccessLog.objects.filter(user=bup_manager).latest("id")
    assert (entry.action, entry.status_code, entry.child_id) == ("denied", 403, real_child.pk)


# --- Bad input ----------------------------------------------------------------------------------
def test_a_child_with_protected_identity_raised_by_another_unit_reveals_nothing(
    client, people, real_child
):
    Child.objects.filter(pk=real_child.pk).update(protected_identity=True)
    counsellor = people["kurator.grindskolan"]
    client = login(client, counsellor)
    response = raise_in_norrtalje(client, people)
    assert response.status_code == 200
    content = response.content.decode()
    assert_nothing_of_the_real_record(content)
    assert "Skyddade personuppgifter" not in content  # not even that the record is protected
    raise_in_norrtalje(client, people, first_name="Anna", last_name="Skrivensdotter")
    case = ForumCase.objects.get(raised_by=counsellor)
    assert not case.child.protected_identity  # what the unit typed, not what another knows
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Anna Skrivensdotter" in page
    assert_nothing_of_the_real_record(page)


def consent_post(purpose_kind, purpose, units, **fields):
    today = timezone.localdate()
    return {
        "recorded_by_unit": purpose.raised_by_unit_id,
        "units": [unit.pk for unit in units],
        "given_by_guardians": list(purpose.child.guardians.values_list("pk", flat=True)),
        "form": "written",
        "purpose_text": str(purpose),
        "given_on": (today - datetime.timedelta(days=1)).isoformat(),
        "valid_until": (today + datetime.timedelta(days=90)).isoformat(),
        **fields,
    }


def test_a_consent_is_shown_as_a_summary_before_it_is_saved(client, people, real_child):
    case = ForumCase.objects.filter(child=real_child).exclude(status="decided").get()
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    case.invitees.create(unit=bup)
    client = login(client, people["handlaggare.rinkeby"])
    url = reverse("consent:add", args=["individforum", case.pk])
    form = client.get(url).context["form"]
    assert not any(form[name].value() for name in ("units", "given_by_guardians", "form"))
    data = consent_post("individforum", case, [bup])
    summary = client.post(url, data)
    assert summary.status_code == 200
    assert summary.context["summary"]["units"] == [bup]
    content = summary.content.decode()
    assert "Vem får dela vad med vem" in content and "Prima Barn BUP Rinkeby-Kista" in content
    assert not Consent.objects.for_purpose(case).exists()  # nothing saved yet
    saved = client.post(url, {**data, "spara": "1"})
    assert saved.status_code == 302
    consent = Consent.objects.for_purpose(case).get()
    assert consent.recorded_by_unit == case.raised_by_unit
    assert list(consent.units.all()) == [bup]
    # Now BUP reads the case.
    client = login(client, people["enhetschef.primabarn"])
    assert client.get(case.get_absolute_url()).context["content"]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            {"valid_until": "2020-01-01", "given_on": "2019-12-01"},
            "valid_until",
            "har redan gått ut",
        ),
        ({"given_by_guardians": [], "given_by_child": "on"}, "given_by_guardians", "under 15 år"),
        ({"given_by_guardians": []}, "given_by_guardians", "Ange vem som lämnade"),
    ],
    ids=["period-ended", "a-nine-year-old-alone", "nobody"],
)
def test_a_consent_that_cannot_hold_is_refused_at_the_field(
    client, people, real_child, change, field, message
):
    case = ForumCase.objects.filter(child=real_child).exclude(status="decided").get()
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    case.invitees.create(unit=bup)
    client = login(client, people["handlaggare.rinkeby"])
    url = reverse("consent:add", args=["individforum", case.pk])
    response = client.post(
        url, {**consent_post("individforum", case, [bup]), **change, "spara": "1"}
    )
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Consent.objects.for_purpose(case).exists()


def test_a_unit_cannot_name_units_outside_the_case_in_a_consent(client, people, real_child):
    case = ForumCase.objects.filter(child=real_child).exclude(status="decided").get()
    stranger = Unit.objects.get(name="Grindskolan")
    client = login(client, people["handlaggare.rinkeby"])
    url = reverse("consent:add", args=["individforum", case.pk])
    response = client.post(url, {**consent_post("individforum", case, [stranger]), "spara": "1"})
    assert response.status_code == 200
    assert "units" in response.context["form"].errors
    assert not Consent.objects.for_purpose(case).exists()


def test_a_convener_of_another_principal_can_be_named_in_the_consent(client, people, real_child):
    """The case lists consent as missing for the convener's unit, and the consent form can
    name it: what the case page asks for can be done."""
    case = ForumCase.objects.filter(child=real_child).exclude(status="decided").get()
    bup_manager = people["enhetschef.primabarn"]
    ForumCase.objects.filter(pk=case.pk).update(convener=bup_manager)
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    client = login(client, people["handlaggare.rinkeby"])
    page = client.get(case.get_absolute_url())
    assert bup in page.context["lacking_consent"]
    form = client.get(reverse("consent:add", args=["individforum", case.pk])).context["form"]
    assert bup in form.fields["units"].queryset
