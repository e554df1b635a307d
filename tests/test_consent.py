"""Consent: when one principal may share a child's data with another (``may_share``), the
validity period, and registering and revoking consent through the forms."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.consent import may_share
from samverkan.consent.models import Consent
from samverkan.forum.models import ForumCase
from samverkan.organisations.models import Unit
from samverkan.people.models import Child, Guardian, involve
from tests.helpers import employ

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PERIOD_ERROR = "Slutdatum kan inte ligga före datumet samtycket lämnades."


def today():
    return timezone.localdate()


# --- Fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20170101-2393",
        first_name="Astrid",
        last_name="Testsson",
        owning_unit=school,
        created_by=staff,
    )


@pytest.fixture
def other_child(school, staff):
    return Child.objects.create(
        personal_number="19121212-1212",
        first_name="Ola",
        last_name="Annan",
        owning_unit=school,
        created_by=staff,
    )


@pytest.fixture
def guardian(child):
    return Guardian.objects.create(child=child, name="Vera Vårdnadsdotter")


@pytest.fixture
def social_services(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind=Unit.Kind.SOCIAL_SERVICES,
        area=area,
    )  # fmt: skip


@pytest.fixture
def habilitation(region, area):
    """A second unit of the region."""
    return Unit.objects.create(
        principal=region, name="Habiliteringen Testby", kind=Unit.Kind.HABILITATION, area=area
    )


@pytest.fixture
def clinician(make_user, bup):
    user = make_user("psykolog@bup.example", first_name="Bo", last_name="Psykolog")
    employ(user, bup)
    return user


@pytest.fixture
def involved_bup(child, bup):
    involve(child, bup, "Individforum")
    return bup


def make_case(child, unit, user, group):
    return ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=unit, raised_by=user,
        noticed_on=today(), reason="Samordningen har inte fungerat.",
    )  # fmt: skip


@pytest.fixture
def case(child, school, staff, group):
    return make_case(child, school, staff, group)


@pytest.fixture
def other_case(child, school, staff, group):
    return make_case(child, school, staff, group)


def consent(child, units, recorded_by, *, given_on=None, valid_until=None, **fields):
    fields.setdefault("purpose_text", "Samordning")
    made = Consent.objects.create(
        child=child,
        form=Consent.Form.WRITTEN,
        given_on=given_on or today() - 10 * DAY,
        valid_until=valid_until or today() + 30 * DAY,
        recorded_by=recorded_by,
        **fields,
    )
    made.units.set(units)
    return made


# --- may_share --------------------------------------------------------------------------------
def test_within_one_principal_no_consent_is_needed(school, social_services, child, case):
    assert not Consent.objects.exists()
    assert may_share(school, school, child)
    assert may_share(school, social_services, child)
    assert may_share(social_services, school, child, purpose=case)


def test_across_principals_a_consent_naming_both_units_is_needed(
    school, bup, habilitation, social_services, child, staff
):
    assert not may_share(school, bup, child)
    consent(child, [school, habilitation], staff)
    consent(child, [social_services, bup], staff)
    assert not may_share(school, bup, child)  # each names only one of the two
    consent(child, [school, bup, habilitation], staff)
    assert may_share(school, bup, child)
    assert may_share(bup, school, child)  # the consent lets them share with each other
    assert may_share(habilitation, school, child)


def test_a_consent_for_another_child_does_not_count(school, bup, child, other_child, staff):
    consent(other_child, [school, bup], staff)
    assert may_share(school, bup, other_child)
    assert not may_share(school, bup, child)


def test_no_unit_means_no_sharing(school, child):
    assert not may_share(None, school, child)
    assert not may_share(school, None, child)


@pytest.mark.parametrize(
    ("given_on", "valid_until", "revoked"),
    [
        (-30, -1, False),  # expired yesterday
        (1, 30, False),  # starts tomorrow
        (-30, 30, True),  # revoked
    ],
    ids=["expired", "not-yet-started", "revoked"],
)
def test_only_a_consent_in_force_today_counts(
    school, bup, child, staff, given_on, valid_until, revoked
):
    consent(
        child, [school, bup], staff,
        given_on=today() + given_on * DAY, valid_until=today() + valid_until * DAY,
        revoked_on=today() if revoked else None,
    )  # fmt: skip
    assert not may_share(school, bup, child)


def test_may_share_can_be_asked_for_another_day(school, bup, child, staff):
    consent(child, [school, bup], staff, given_on=today() - 30 * DAY, valid_until=today() - DAY)
    assert not may_share(school, bup, child)
    assert may_share(school, bup, child, on=today() - 2 * DAY)


def test_with_a_purpose_only_consent_for_that_purpose_counts(
    school, bup, child, staff, case, other_case
):
    consent(child, [school, bup], staff, purpose=case)
    assert may_share(school, bup, child, purpose=case)
    assert not may_share(school, bup, child, purpose=other_case)
    # Asked without a purpose, any consent naming both units will do.
    assert may_share(school, bup, child)


def test_a_consent_without_purpose_is_not_enough_when_a_purpose_is_asked(
    school, bup, child, staff, case
):
    consent(child, [school, bup], staff)
    assert may_share(school, bup, child)
    assert not may_share(school, bup, child, purpose=case)


def test_a_purpose_is_matched_on_its_type_as_well_as_its_id(school, bup, child, staff, case):
    from django.contrib.contenttypes.models import ContentType

    # A consent for a child record whose id happens to equal the case's id.
    consent(
        child, [school, bup], staff,
        purpose_type=ContentType.objects.get_for_model(Child), purpose_id=case.pk,
    )  # fmt: skip
    assert not may_share(school, bup, child, purpose=case)
    consent(child, [school, bup], staff, purpose=case)
    assert may_share(school, bup, child, purpose=case)


def test_may_share_reads_the_database_each_time(school, bup, child, staff):
    given = consent(child, [school, bup], staff)
    assert may_share(school, bup, child)
    given.revoked_on = today()
    given.save()
    assert not may_share(school, bup, child)


# --- The period -------------------------------------------------------------------------------
def test_valid_includes_the_first_and_the_last_day_only(school, bup, child, staff):
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    given = consent(child, [school, bup], staff, given_on=start, valid_until=end)

    def valid_on(day):
        return list(Consent.objects.valid(day)) == [given]

    assert not valid_on(start - DAY)
    assert valid_on(start)
    assert valid_on(end)
    assert not valid_on(end + DAY)
    assert [given.status(day) for day in (start - DAY, start, end, end + DAY)] == [
        "pending", "valid", "valid", "expired",
    ]  # fmt: skip
    Consent.objects.filter(pk=given.pk).update(revoked_on=start)
    assert not valid_on(start)
    assert not valid_on(end)


def test_valid_defaults_to_today(school, bup, child, staff):
    current = consent(child, [school, bup], staff, given_on=today(), valid_until=today())
    consent(child, [school, bup], staff, given_on=today() - 5 * DAY, valid_until=today() - DAY)
    assert list(Consent.objects.valid()) == [current]


def test_for_purpose(school, bup, child, staff, case, other_case):
    for_case = consent(child, [school, bup], staff, purpose=case)
    consent(child, [school, bup], staff, purpose=other_case)
    general = consent(child, [school, bup], staff)
    assert list(Consent.objects.for_purpose(case)) == [for_case]
    assert set(Consent.objects.for_purpose(None)) == set(Consent.objects.all())
    assert general in Consent.objects.for_purpose(None)


# --- Registering consent ----------------------------------------------------------------------
def add_url(child, **query):
    url = reverse("consent:add", args=[child.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def form_data(guardian, units, **overrides):
    data = {
        "given_by_guardians": [guardian.pk] if guardian else None,
        "form": Consent.Form.WRITTEN,
        "units": [unit.pk for unit in units],
        "purpose_text": "Individforum om skolsituationen",
        "given_on": today().isoformat(),
        "valid_until": (today() + 90 * DAY).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_owning_unit_registers_a_written_consent(
    client_for, staff, school, involved_bup, child, guardian
):
    client = client_for(staff)
    assert client.get(add_url(child)).status_code == 200
    assert not may_share(school, involved_bup, child)
    response = client.post(add_url(child), form_data(guardian, [school, involved_bup]))
    assert response.status_code == 302
    assert response.url == child.get_absolute_url()
    saved = Consent.objects.get()
    assert saved.child == child
    assert set(saved.units.all()) == {school, involved_bup}
    assert list(saved.given_by_guardians.all()) == [guardian]
    assert (saved.form, saved.recorded_by, saved.noted_by) == ("written", staff, None)
    assert saved.purpose is None
    assert may_share(school, involved_bup, child)
    entry = AccessLog.objects.get(action="change")
    assert (entry.user, entry.object_type, entry.object_label) == (
        staff,
        "consent.consent",
        f"Samtycke {saved.pk}",
    )


def test_a_verbal_consent_is_noted_by_the_user(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(
        add_url(child), form_data(guardian, [school, involved_bup], form=Consent.Form.VERBAL)
    )
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert (saved.form, saved.noted_by, saved.recorded_by) == ("verbal", staff, staff)


def test_a_consent_given_by_the_child_alone_is_accepted(
    client_for, staff, school, involved_bup, child
):
    data = form_data(None, [school, involved_bup], given_by_child="on")
    assert client_for(staff).post(add_url(child), data).status_code == 302
    saved = Consent.objects.get()
    assert saved.given_by_child and not saved.given_by_guardians.exists()


def test_a_written_consent_carries_the_scanned_form(
    client_for, staff, school, involved_bup, child, guardian, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4 underskrivet", "application/pdf")
    response = client_for(staff).post(
        add_url(child), form_data(guardian, [school, involved_bup], document=scan)
    )
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert saved.document.name.startswith(f"consents/{today():%Y}/")
    assert saved.document.name.endswith(".pdf")
    assert (tmp_path / saved.document.name).read_bytes() == b"%PDF-1.4 underskrivet"


def field_errors(response, field):
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


def test_an_end_date_before_the_start_is_an_error_on_the_end_date(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(
        add_url(child),
        form_data(
            guardian, [school, involved_bup],
            given_on=(today() - 5 * DAY).isoformat(),
            valid_until=(today() - 6 * DAY).isoformat(),
        ),
    )  # fmt: skip
    assert field_errors(response, "valid_until") == [PERIOD_ERROR]
    assert PERIOD_ERROR in response.content.decode()
    assert not Consent.objects.exists()


def test_an_end_date_on_the_start_date_is_accepted(
    client_for, staff, school, involved_bup, child, guardian
):
    day = today().isoformat()
    response = client_for(staff).post(
        add_url(child), form_data(guardian, [school, involved_bup], given_on=day, valid_until=day)
    )
    assert response.status_code == 302
    assert may_share(school, involved_bup, child)


def test_a_consent_cannot_be_given_in_the_future(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(
        add_url(child),
        form_data(guardian, [school, involved_bup], given_on=(today() + DAY).isoformat()),
    )
    assert field_errors(response, "given_on") == ["Ett samtycke kan inte vara lämnat i framtiden."]
    assert not Consent.objects.exists()


def test_at_least_two_units_must_be_chosen(
    client_for, staff, school, involved_bup, child, guardian
):
    client = client_for(staff)
    for units in ([school], []):
        response = client.post(add_url(child), form_data(guardian, units))
        assert field_errors(response, "units"), units
    assert not Consent.objects.exists()


def test_only_the_owning_and_involved_units_can_be_chosen(
    client_for, staff, school, involved_bup, habilitation, child, guardian
):
    response = client_for(staff).post(add_url(child), form_data(guardian, [school, habilitation]))
    assert field_errors(response, "units")
    assert not Consent.objects.exists()
    choices = {unit.pk for unit in response.context["form"].fields["units"].queryset}
    assert choices == {school.pk, involved_bup.pk}


def test_someone_must_have_given_the_consent(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(add_url(child), form_data(None, [school, involved_bup]))
    assert field_errors(response, "given_by_guardians") == [
        "Ange vem som lämnade samtycket: vårdnadshavare, barnet eller båda."
    ]
    assert not Consent.objects.exists()


def test_a_guardian_of_another_child_cannot_be_chosen(
    client_for, staff, school, involved_bup, child, other_child
):
    stranger = Guardian.objects.create(child=other_child, name="Främling")
    response = client_for(staff).post(add_url(child), form_data(stranger, [school, involved_bup]))
    assert field_errors(response, "given_by_guardians")
    assert not Consent.objects.exists()


def test_a_consent_can_be_registered_for_a_forum_case(
    client_for, staff, school, involved_bup, child, guardian, case, other_case
):
    client = client_for(staff)
    url = add_url(child, **{"for": f"forum.forumcase:{case.pk}"})
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["purpose"] == case
    response = client.post(url, form_data(guardian, [school, involved_bup]))
    assert response.status_code == 302
    assert Consent.objects.get().purpose == case
    assert may_share(school, involved_bup, child, purpose=case)
    assert not may_share(school, involved_bup, child, purpose=other_case)


def test_the_purpose_must_be_about_the_same_child(
    client_for, staff, school, group, child, other_child
):
    elsewhere = make_case(other_child, school, staff, group)
    client = client_for(staff)
    for value in (f"forum.forumcase:{elsewhere.pk}", "forum.forumcase:9999", "nonsense", "a.b:1"):
        assert client.get(add_url(child, **{"for": value})).status_code == 404, value


def test_only_the_owning_or_an_involved_unit_may_register(
    client, client_for, make_user, staff, clinician, outsider, secretariat, admin_user,
    social_services, school, bup, child, guardian,
):  # fmt: skip
    neighbour = make_user("granne@testby.example")
    employ(neighbour, social_services)  # same principal, but not involved
    data = form_data(guardian, [school, bup])
    for user in (neighbour, clinician, outsider, secretariat, admin_user):
        c = client_for(user)
        assert c.get(add_url(child)).status_code == 403, user
        assert c.post(add_url(child), data).status_code == 403, user
    assert not Consent.objects.exists()

    # Once BUP takes part in the child's matters, its staff may register the consent.
    involve(child, bup, "Individforum")
    assert client_for(clinician).post(add_url(child), data).status_code == 302
    assert Consent.objects.get().recorded_by == clinician

    client.logout()
    response = client.get(add_url(child))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")


def test_a_child_that_does_not_exist_is_not_found(client_for, staff, child):
    response = client_for(staff).get(reverse("consent:add", args=[child.pk + 1000]))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("next_url", "local"),
    [
        ("/barn/?personal_number=20170101-2393", True),
        ("https://evil.example/", False),
        ("//evil.example/", False),
        ("http://testserver.evil.example/", False),
    ],
)
def test_after_saving_only_a_local_next_is_followed(
    client_for, staff, school, involved_bup, child, guardian, next_url, local
):
    data = form_data(guardian, [school, involved_bup], next=next_url)
    response = client_for(staff).post(add_url(child), data)
    assert response.status_code == 302
    assert response.url == (next_url if local else child.get_absolute_url())


def test_the_next_from_the_query_string_is_kept_in_the_form(client_for, staff, child, involved_bup):
    client = client_for(staff)
    response = client.get(add_url(child, next="/barn/"))
    assert 'name="next" value="/barn/"' in response.content.decode()
    response = client.get(add_url(child, next="https://evil.example/"))
    assert response.context["next"] == ""
    assert 'value="https://evil.example/"' not in response.content.decode()


# --- Revoking ---------------------------------------------------------------------------------
def revoke_url(consent):
    return reverse("consent:revoke", args=[consent.pk])


def test_revocation_stops_sharing_at_once(
    client_for, staff, clinician, school, involved_bup, child
):
    given = consent(child, [school, involved_bup], staff)
    assert may_share(school, involved_bup, child)
    viewer = client_for(clinician)
    assert viewer.get(child.get_absolute_url()).status_code == 200

    client = client_for(staff)
    assert client.get(revoke_url(given)).status_code == 200
    response = client.post(
        revoke_url(given), {"revoked_on": today().isoformat(), "reason": "Vårdnadshavaren ringde"}
    )
    assert response.status_code == 302
    assert response.url == child.get_absolute_url()
    given.refresh_from_db()
    assert (given.revoked_on, given.revoked_by, given.revocation_reason) == (
        today(),
        staff,
        "Vårdnadshavaren ringde",
    )
    assert given.status() == "revoked"
    assert not may_share(school, involved_bup, child)
    viewer = client_for(clinician)
    assert viewer.get(child.get_absolute_url()).status_code == 404
    assert AccessLog.objects.filter(
        action="change", object_type="consent.consent", object_id=str(given.pk), user=staff
    ).exists()


def test_revocation_cannot_be_dated_in_the_future(client_for, staff, school, involved_bup, child):
    given = consent(child, [school, involved_bup], staff)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": (today() + DAY).isoformat(), "reason": "Senare"}
    )
    assert field_errors(response, "revoked_on") == [
        "Återkallelsen gäller från i dag; ange inte ett senare datum."
    ]
    given.refresh_from_db()
    assert given.revoked_on is None
    assert may_share(school, involved_bup, child)


def test_revocation_cannot_be_dated_before_the_consent(
    client_for, staff, school, involved_bup, child
):
    given = consent(child, [school, involved_bup], staff, given_on=today() - 3 * DAY)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": (today() - 4 * DAY).isoformat(), "reason": "Fel"}
    )
    assert field_errors(response, "revoked_on")
    given.refresh_from_db()
    assert given.revoked_on is None


def test_an_involved_unit_may_revoke_and_others_may_not(
    client_for, make_user, staff, clinician, outsider, social_services, school, bup, child
):
    given = consent(child, [school, bup], staff)
    neighbour = make_user("granne@testby.example")
    employ(neighbour, social_services)
    data = {"revoked_on": today().isoformat(), "reason": "Återkallat"}
    for user in (neighbour, clinician, outsider):
        assert client_for(user).post(revoke_url(given), data).status_code == 403, user
    given.refresh_from_db()
    assert given.revoked_on is None

    involve(child, bup, "Individforum")
    assert client_for(clinician).post(revoke_url(given), data).status_code == 302
    given.refresh_from_db()
    assert given.revoked_by == clinician
    assert not may_share(school, bup, child)


def test_a_consent_that_does_not_exist_is_not_found(client_for, staff):
    assert client_for(staff).get(reverse("consent:revoke", args=[9999])).status_code == 404


def test_revoking_twice_changes_nothing(client_for, staff, school, involved_bup, child):
    first_day = today() - 2 * DAY
    given = consent(child, [school, involved_bup], staff, revoked_on=first_day, revoked_by=staff)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": today().isoformat(), "reason": "Igen"}
    )
    assert response.status_code == 302
    given.refresh_from_db()
    assert given.revoked_on == first_day


def test_after_revoking_only_a_local_next_is_followed(
    client_for, staff, school, involved_bup, child
):
    client = client_for(staff)
    data = {"revoked_on": today().isoformat(), "reason": "Återkallat"}
    first = consent(child, [school, involved_bup], staff)
    response = client.post(revoke_url(first), {**data, "next": "/barn/"})
    assert response.url == "/barn/"
    second = consent(child, [school, involved_bup], staff)
    response = client.post(revoke_url(second), {**data, "next": "https://evil.example/"})
    assert response.url == child.get_absolute_url()


def test_the_child_page_lists_consents_with_a_revoke_link_for_those_in_force(
    client_for, staff, school, involved_bup, child
):
    current = consent(child, [school, involved_bup], staff, purpose_text="Gäller nu")
    revoked = consent(
        child, [school, involved_bup], staff, purpose_text="Återkallat förut", revoked_on=today()
    )
    content = client_for(staff).get(child.get_absolute_url()).content.decode()
    assert "Gäller nu" in content and "Återkallat förut" in content
    assert revoke_url(current) in content
    assert revoke_url(revoked) not in content


# --- Guardians' names on the consent form -----------------------------------------------------
def test_the_owning_unit_picks_guardians_by_name(client_for, staff, involved_bup, child, guardian):
    child.protected_identity = True
    child.save()
    content = client_for(staff).get(add_url(child)).content.decode()
    assert guardian.name in content


@pytest.mark.parametrize("protected", [True, False])
def test_the_consent_form_hides_guardians_names_from_those_not_shown_the_identity(
    client_for, make_user, staff, clinician, social_services, school, involved_bup, child,
    guardian, protected,
):  # fmt: skip
    """Protected identity hides the guardians from every other unit; across principals,
    before any consent, the involved unit may not see the child's data at all."""
    child.protected_identity = protected
    child.save()
    second = Guardian.objects.create(child=child, name="Otto Vårdnadsson")
    involve(child, social_services, "Individforum")
    social_worker = make_user("socialsekreterare@testby.example")
    employ(social_worker, social_services)
    viewers = [clinician, social_worker] if protected else [clinician]
    for viewer in viewers:
        response = client_for(viewer).get(add_url(child))
        assert response.status_code == 200
        content = response.content.decode()
        assert guardian.name not in content and second.name not in content, viewer
        assert "Vårdnadshavare 1" in content and "Vårdnadshavare 2" in content
    # Picking a guardian still works without the name.
    response = client_for(clinician).post(
        add_url(child), form_data(second, [school, involved_bup], form=Consent.Form.VERBAL)
    )
    assert response.status_code == 302
    assert list(Consent.objects.get().given_by_guardians.all()) == [second]
    if not protected:  # with the consent in force, BUP sees the names
        assert guardian.name in client_for(clinician).get(add_url(child)).content.decode()
