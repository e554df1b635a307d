"""Children: personal numbers, who may see a child, protected identity, search and the
child page, and that every look at a child is in the access log."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.organisations.models import Unit
from samverkan.people.models import (
    Child,
    Guardian,
    involve,
    normalise_personal_number,
    validate_personal_number,
)
from samverkan.people.visibility import ChildAccess, may_see_child
from tests.helpers import count_queries, employ

NO_HIT = "Ingen träff bland barn som du har behörighet till."
PROTECTED = "Skyddade personuppgifter"

# Names and contact details that must never reach someone outside the owning unit when the
# child has protected identity.
FIRST, LAST = "Astrid", "Hemligsson"
GUARDIAN_NAME = "Vera Vårdnadsdotter"
GUARDIAN_PHONE = "070-111 22 33"
GUARDIAN_EMAIL = "vera@hem.example"
ADDRESS = "Gömdavägen 7"


# --- Fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20170101-2393",
        first_name=FIRST,
        last_name=LAST,
        address=ADDRESS,
        owning_unit=school,
        created_by=staff,
    )


@pytest.fixture
def guardian(child):
    return Guardian.objects.create(
        child=child, name=GUARDIAN_NAME, phone=GUARDIAN_PHONE, email=GUARDIAN_EMAIL
    )


@pytest.fixture
def social_services(municipality, area):
    """Another unit of the same principal as the school."""
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind=Unit.Kind.SOCIAL_SERVICES,
        area=area,
    )  # fmt: skip


@pytest.fixture
def social_worker(make_user, social_services):
    user = make_user("socialsekreterare@testby.example", first_name="Sam", last_name="Social")
    employ(user, social_services)
    return user


@pytest.fixture
def clinician(make_user, bup):
    """Works at the region's BUP: another principal than the school's."""
    user = make_user("psykolog@bup.example", first_name="Bo", last_name="Psykolog")
    employ(user, bup)
    return user


def consent(child, units, recorded_by, *, given_on=None, valid_until=None, **fields):
    today = timezone.localdate()
    made = Consent.objects.create(
        child=child,
        form=Consent.Form.WRITTEN,
        purpose_text="Samordning",
        given_on=given_on or today - datetime.timedelta(days=10),
        valid_until=valid_until or today + datetime.timedelta(days=30),
        recorded_by=recorded_by,
        **fields,
    )
    made.units.set(units)
    return made


def child_url(child):
    return reverse("people:child", args=[child.pk])


def search(client, number):
    return client.get(reverse("people:search"), {"personal_number": number})


# --- Personal numbers -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("20170101-2393", "20170101-2393"),
        ("201701012393", "20170101-2393"),
        ("170101-2393", "20170101-2393"),
        ("1701012393", "20170101-2393"),
        ("  20170101-2393 ", "20170101-2393"),
        ("19121212-1212", "19121212-1212"),
        ("191212121212", "19121212-1212"),
        ("121212+1212", "19121212-1212"),  # "+": a hundred years or older
        ("701063-2391", "19701063-2391"),  # samordningsnummer: day 3 + 60
        ("7010632391", "19701063-2391"),
        ("197010632391", "19701063-2391"),
    ],
)
def test_normalise_personal_number_accepts_10_or_12_digits_with_or_without_separator(given, stored):
    assert normalise_personal_number(given) == stored


@pytest.mark.parametrize(
    "given",
    [
        "20170101-2394",  # wrong check digit
        "19121212-1213",  # wrong check digit
        "1701012394",
        "701063-2392",
        "20170101-239",  # check digit missing
        "20170132-2390",  # no 32nd day
        "20170101-0003",  # serial 000 is never issued
        "2017-01-01-2393",
        "abcdefghijkl",
        "",
    ],
)
def test_normalise_personal_number_rejects_invalid_numbers(given):
    with pytest.raises(ValueError):
        normalise_personal_number(given)
    with pytest.raises(ValidationError) as error:
        validate_personal_number(given)
    assert error.value.code == "invalid_personal_number"


YEAR_DATES = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))


@given(day=YEAR_DATES, serial=st.integers(1, 999), coordination=st.booleans())
def test_any_number_with_a_correct_luhn_digit_is_accepted_and_no_other(day, serial, coordination):
    day_part = day.day + 60 if coordination else day.day
    short = f"{day:%y%m}{day_part:02d}{serial:03d}"  # YYMMDDNNN: what the check digit covers
    check = int(luhn.calc_check_digit(short))
    long = f"{day.year:04d}{day:%m}{day_part:02d}-{serial:03d}"
    assert normalise_personal_number(f"{long}{check}") == f"{long}{check}"
    assert normalise_personal_number(f"{long}{check}".replace("-", "")) == f"{long}{check}"
    for wrong in set(range(10)) - {check}:
        with pytest.raises(ValueError):
            normalise_personal_number(f"{long}{wrong}")


@pytest.mark.django_db
def test_child_is_stored_normalised_and_knows_a_coordination_number(school, staff):
    child = Child.objects.create(
        personal_number="1701012393", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    child.refresh_from_db()
    assert child.personal_number == "20170101-2393"
    assert not child.is_coordination_number
    coordinated = Child.objects.create(
        personal_number="701063-2391", first_name="C", last_name="D", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    assert coordinated.personal_number == "19701063-2391"
    assert coordinated.is_coordination_number


@pytest.mark.django_db
def test_a_wrong_check_digit_is_an_error_on_the_field(school, staff):
    child = Child(
        personal_number="20170101-2394", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert list(error.value.error_dict) == ["personal_number"]


@pytest.mark.django_db
def test_the_search_form_reports_a_wrong_check_digit_on_the_field(client_for, staff, child):
    response = search(client_for(staff), "20170101-2394")
    assert response.status_code == 200
    assert "personal_number" in response.context["form"].errors
    assert response.context["child"] is None
    assert not response.context["searched"]


# --- Who sees a child -------------------------------------------------------------------------
@pytest.mark.django_db
def test_the_owning_unit_sees_the_child(client_for, staff, child):
    response = client_for(staff).get(child_url(child))
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()
    assert may_see_child(staff, child)


@pytest.mark.django_db
def test_another_unit_of_the_same_principal_sees_the_child_only_when_involved(
    client_for, social_worker, social_services, child
):
    client = client_for(social_worker)
    assert client.get(child_url(child)).status_code == 404
    involve(child, social_services, "Individforum IF-2026-0001")
    response = client.get(child_url(child))
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()


@pytest.mark.django_db
def test_across_principals_the_child_is_seen_only_while_a_consent_is_valid(
    client_for, clinician, staff, school, bup, child
):
    involve(child, bup, "Individforum IF-2026-0001")
    client = client_for(clinician)
    url = child_url(child)
    assert client.get(url).status_code == 404  # involved, but no consent

    given = consent(child, [school, bup], staff)
    response = client.get(url)
    assert response.status_code == 200
    assert f"{FIRST} {LAST}" in response.content.decode()

    # Revoked: hidden again at once, with no cache in between.
    Consent.objects.filter(pk=given.pk).update(revoked_on=timezone.localdate())
    assert client.get(url).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends"),
    [(-30, -1), (1, 30)],  # expired yesterday; starts tomorrow
    ids=["expired", "not-yet-started"],
)
def test_a_consent_out_of_its_period_does_not_show_the_child(
    client_for, clinician, staff, school, bup, child, starts, ends
):
    involve(child, bup, "Individforum")
    today = timezone.localdate()
    consent(
        child, [school, bup], staff,
        given_on=today + datetime.timedelta(days=starts),
        valid_until=today + datetime.timedelta(days=ends),
    )  # fmt: skip
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_must_name_both_the_owning_and_the_viewing_unit(
    client_for, clinician, staff, school, bup, social_services, child
):
    involve(child, bup, "Individforum")
    consent(child, [school, social_services], staff)  # not BUP
    consent(child, [bup, social_services], staff)  # not the owning unit
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_for_another_child_does_not_count(
    client_for, clinician, staff, school, bup, child
):
    other = Child.objects.create(
        personal_number="19121212-1212", first_name="Ola", last_name="Annan", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "Individforum")
    consent(other, [school, bup], staff)
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_consent_for_any_purpose_shows_the_child(
    client_for, clinician, staff, school, bup, group, child
):
    from samverkan.forum.models import ForumCase

    case = ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=school, raised_by=staff,
        noticed_on=timezone.localdate(), reason="Samordningen har inte fungerat.",
    )  # fmt: skip
    involve(child, bup, f"Individforum {case.reference}")
    consent(child, [school, bup], staff, purpose=case)
    assert client_for(clinician).get(child_url(child)).status_code == 200


@pytest.mark.django_db
def test_a_consent_alone_does_not_show_the_child_to_a_unit_not_involved(
    client_for, clinician, staff, school, bup, child
):
    """Visibility needs both: the unit takes part in the child's matters, and (across
    principals) a consent lets the owning unit share with it."""
    consent(child, [school, bup], staff)
    assert client_for(clinician).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_a_membership_that_has_ended_no_longer_shows_the_child(
    client_for, make_user, school, child
):
    former = make_user("slutat@testskolan.example")
    employ(
        former, school, valid_from=datetime.date(2020, 1, 1),
        valid_to=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    assert client_for(former).get(child_url(child)).status_code == 404


@pytest.mark.django_db
def test_child_access_decides_for_many_children_at_once(
    django_assert_max_num_queries, staff, clinician, school, bup, child
):
    other = Child.objects.create(
        personal_number="19121212-1212", first_name="Ola", last_name="Annan", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "Individforum")
    involve(other, bup, "Individforum")
    consent(child, [school, bup], staff)
    children = list(Child.objects.select_related("owning_unit"))
    with django_assert_max_num_queries(4):
        access = ChildAccess(clinician, children)
        seen = {c.pk for c in children if access.may_see(c)}
    assert seen == {child.pk}
    assert access.units_seeing(child) == [bup]


# --- Protected identity -----------------------------------------------------------------------
def assert_identity_hidden(content: str):
    assert PROTECTED in content
    for secret in (FIRST, LAST, GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert secret not in content, secret
    assert "20170101-2393" in content  # the number still shows to those who may see the child


@pytest.mark.django_db
def test_protected_identity_shows_name_and_contacts_only_to_the_owning_unit(
    client_for, staff, social_worker, social_services, clinician, school, bup, child, guardian
):
    child.protected_identity = True
    child.save()
    involve(child, social_services, "Individforum")
    involve(child, bup, "Individforum")
    consent(child, [school, bup], staff)

    owner_page = client_for(staff).get(child_url(child)).content.decode()
    for detail in (f"{FIRST} {LAST}", GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert detail in owner_page, detail
    assert "Barnet har skyddade personuppgifter" in owner_page

    for viewer in (social_worker, clinician):  # same principal, and across principals
        response = client_for(viewer).get(child_url(child))
        assert response.status_code == 200
        assert response.context["shows_identity"] is False
        assert_identity_hidden(response.content.decode())


@pytest.mark.django_db
def test_without_protected_identity_involved_units_see_the_contacts(
    client_for, social_worker, social_services, child, guardian
):
    involve(child, social_services, "Individforum")
    content = client_for(social_worker).get(child_url(child)).content.decode()
    for detail in (f"{FIRST} {LAST}", GUARDIAN_NAME, GUARDIAN_PHONE, GUARDIAN_EMAIL, ADDRESS):
        assert detail in content, detail
    assert PROTECTED not in content


# --- Search -----------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["20170101-2393", "201701012393", "170101-2393", "1701012393"])
def test_search_finds_a_visible_child_and_logs_the_search(client_for, staff, child, typed):
    response = search(client_for(staff), typed)
    assert response.status_code == 200
    assert response.context["child"] == child
    content = response.content.decode()
    assert child_url(child) in content
    assert NO_HIT not in content
    entry = AccessLog.objects.get(action="search")
    assert entry.user == staff
    assert (entry.object_type, entry.object_id, entry.object_label) == (
        "people.child",
        str(child.pk),
        f"Barn {child.pk}",
    )
    for field in (entry.object_label, entry.reason, entry.role):
        assert FIRST not in field and LAST not in field


def strip_tokens(content: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", content.decode())


@pytest.mark.django_db
def test_a_child_one_may_not_see_looks_exactly_like_no_child(
    client_for, social_worker, school, staff, child
):
    client = client_for(social_worker)
    hidden = search(client, "20170101-2393")
    assert hidden.status_code == 200
    assert hidden.context["child"] is None
    assert NO_HIT in hidden.content.decode()
    assert FIRST not in hidden.content.decode()
    assert child_url(child) not in hidden.content.decode()

    # The same number once no child has it: the very same page.
    Child.objects.filter(pk=child.pk).update(personal_number="19121212-1212")
    missing = search(client, "20170101-2393")
    assert strip_tokens(missing.content) == strip_tokens(hidden.content)

    # Both searches are logged, and neither entry tells that a child was there.
    first, second = AccessLog.objects.filter(action="search").order_by("id")
    for entry in (first, second):
        assert entry.user == social_worker
        assert (entry.object_type, entry.object_id, entry.object_label) == ("", "", "")
    assert AccessLog.objects.filter(action="view").count() == 0


@pytest.mark.django_db
def test_search_finds_a_child_across_principals_only_with_consent(
    client_for, clinician, staff, school, bup, child
):
    involve(child, bup, "Individforum")
    client = client_for(clinician)
    assert search(client, "20170101-2393").context["child"] is None
    consent(child, [school, bup], staff)
    assert search(client, "20170101-2393").context["child"] == child


@pytest.mark.django_db
def test_search_needs_a_unit(client, client_for, outsider, secretariat, admin_user):
    url = reverse("people:search")
    response = client.get(url, {"personal_number": "20170101-2393"})
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    for user in (outsider, secretariat, admin_user):
        assert client_for(user).get(url).status_code == 403, user
    denied = AccessLog.objects.filter(action="denied", status_code=403)
    assert denied.count() == 3
    assert AccessLog.objects.filter(action="search").count() == 0


@pytest.mark.django_db
def test_the_empty_search_page_writes_no_search_entry(client_for, staff):
    response = client_for(staff).get(reverse("people:search"))
    assert response.status_code == 200
    assert not response.context["searched"]
    assert not AccessLog.objects.filter(action="search").exists()


# --- The child page ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_each_view_of_the_child_page_is_logged_without_the_name(client_for, staff, child):
    client = client_for(staff)
    client.get(child_url(child))
    client.get(child_url(child))
    entries = AccessLog.objects.filter(action="view", object_type="people.child")
    assert entries.count() == 2
    for entry in entries:
        assert entry.user == staff
        assert entry.object_id == str(child.pk)
        assert entry.object_label == f"Barn {child.pk}"
        assert entry.status_code is None or entry.status_code == 200
        for field in (entry.object_label, entry.reason, entry.path):
            assert FIRST not in field and LAST not in field and "2393" not in field


@pytest.mark.django_db
def test_a_child_one_may_not_see_is_not_found_and_the_refusal_is_logged(
    client_for, social_worker, outsider, child
):
    for user in (social_worker, outsider):
        response = client_for(user).get(child_url(child))
        assert response.status_code == 404
        assert FIRST not in response.content.decode()
        entry = AccessLog.objects.latest("id")
        assert (entry.action, entry.status_code, entry.user) == ("denied", 404, user)
        assert entry.path == child_url(child)
    assert not AccessLog.objects.filter(action="view").exists()


@pytest.mark.django_db
def test_a_child_that_does_not_exist_is_not_found(client_for, staff, child):
    response = client_for(staff).get(reverse("people:child", args=[child.pk + 1000]))
    assert response.status_code == 404
    assert AccessLog.objects.get().action == "denied"


@pytest.mark.django_db
def test_anonymous_users_are_sent_to_log_in(client, child):
    response = client.get(child_url(child))
    assert response.status_code == 302
    assert response.url.startswith("/konto/login/")
    assert not AccessLog.objects.filter(action="view").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("viewer", ["owner", "across principals"])
def test_the_child_page_runs_the_same_queries_for_1_and_10_related_rows(
    client_for, make_user, staff, clinician, municipality, region, area, school, bup, viewer
):
    def build(number, name, size):
        child = Child.objects.create(
            personal_number=number, first_name=name, last_name="Testsson", owning_unit=school,
            created_by=staff,
        )  # fmt: skip
        involve(child, bup, "Individforum")
        guardians = [Guardian.objects.create(child=child, name=f"VH {i}") for i in range(size)]
        for i in range(size - 1):
            unit = Unit.objects.create(
                principal=region if i % 2 else municipality, name=f"{name} enhet {i}",
                kind=Unit.Kind.OTHER, area=area,
            )  # fmt: skip
            involve(child, unit, f"Skäl {i}")
        for i in range(size):
            made = consent(child, [school, bup], staff, document=f"consents/2026/{name}-{i}.pdf")
            made.given_by_guardians.set(guardians)
            if i % 3 == 1:
                Consent.objects.filter(pk=made.pk).update(revoked_on=timezone.localdate())
        return child

    one = build("20170101-2393", "En", 1)
    ten = build("19121212-1212", "Tio", 10)
    client = client_for(staff if viewer == "owner" else clinician)
    client.get(child_url(one))  # warm up caches (content types, session)

    response, with_one = count_queries(client, child_url(one))
    assert len(response.context["consents"]) == 1
    response, with_ten = count_queries(client, child_url(ten))
    assert len(response.context["consents"]) == 10
    assert len(response.context["guardians"]) == 10
    assert len(response.context["involvements"]) == 10
    assert with_ten == with_one
