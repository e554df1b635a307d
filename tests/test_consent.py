"""Consent: when one unit's information about a child may be shown to another unit
(``Sharing.opens``), the validity period, and recording (in two steps) and revoking consent
through the forms."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from stdnum import luhn

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.consent.sharing import Sharing
from samverkan.forum.models import ForumCase, Invitee
from samverkan.organisations.models import Unit
from samverkan.people.models import Child, Guardian, involve
from samverkan.permissions import allowed
from samverkan.sip.models import Participant, Plan
from tests.helpers import employ

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
PERIOD_ERROR = "Slutdatum kan inte ligga före datumet samtycket lämnades."
EXPIRED_ERROR = (
    "Samtyckets period har redan gått ut. Ett samtycke som inte längre gäller öppnar inget; "
    "be om ett nytt samtycke."
)
UNDER_15 = "Barnet var under 15 år när samtycket lämnades: det ska lämnas av vårdnadshavare."
CONFIRM = "consent/consent_confirm.html"


def today():
    return timezone.localdate()


def number_for(born: datetime.date, serial: int = 239, coordination: bool = False) -> str:
    """A valid personnummer (or samordningsnummer) for someone born on ``born``."""
    day = born.day + 60 if coordination else born.day
    short = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born.year:04d}{born:%m}{day:02d}-{serial:03d}{luhn.calc_check_digit(short)}"


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
def social_worker(make_user, social_services):
    """Works at another unit of the school's principal."""
    user = make_user("socialsekreterare@testby.example", first_name="Sam", last_name="Social")
    employ(user, social_services)
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


@pytest.fixture
def plan(child, school, staff):
    return Plan.objects.create(
        child=child, initiating_unit=school, initiated_by=staff, reason="Behov av SIP.",
        chair=staff, secretary=staff,
    )  # fmt: skip


def consent(child, units, recorded_by, *, given_on=None, valid_until=None, **fields):
    """A written consent in force, by default for the whole child record and recorded by
    the owning unit."""
    fields.setdefault("purpose_text", "Samordning")
    fields.setdefault("form", Consent.Form.WRITTEN)
    fields.setdefault("recorded_by_unit", child.owning_unit)
    if "purpose_type" not in fields:
        fields.setdefault("purpose", child)
    made = Consent.objects.create(
        child=child,
        given_on=given_on or today() - 10 * DAY,
        valid_until=valid_until or today() + 30 * DAY,
        recorded_by=recorded_by,
        **fields,
    )
    made.units.set(units)
    return made


def opens(holder, to_unit, child, occasion, on=None) -> bool:
    """Asked fresh, as a new request would."""
    return Sharing(on=on).opens(holder, to_unit, child.pk, occasion)


# --- Sharing.opens ----------------------------------------------------------------------------
def test_within_one_principal_no_consent_is_needed(school, social_services, child, case):
    assert not Consent.objects.exists()
    assert opens(school, school, child, child)
    assert opens(school, social_services, child, child)
    assert opens(social_services, school, child, case)


def test_across_principals_a_written_consent_from_the_holders_principal_naming_the_unit(
    school, bup, habilitation, social_services, child, staff, clinician
):
    assert not opens(school, bup, child, child)
    consent(child, [habilitation], staff)  # names another unit of the region
    assert not opens(school, bup, child, child)
    assert opens(school, habilitation, child, child)
    consent(child, [bup], staff, recorded_by_unit=social_services)  # same principal as school
    assert opens(school, bup, child, child)
    assert opens(social_services, bup, child, child)


def test_a_consent_opens_only_the_recording_principals_information(
    school, bup, child, staff, clinician
):
    """Recorded by BUP: the region's information may reach the school, never the other way."""
    consent(child, [school, bup], clinician, recorded_by_unit=bup)
    assert opens(bup, school, child, child)
    assert not opens(school, bup, child, child)


def test_a_verbal_consent_opens_nothing(school, bup, child, staff):
    verbal = consent(child, [bup], staff, form=Consent.Form.VERBAL, noted_by=staff)
    assert not opens(school, bup, child, child)
    assert list(Consent.objects.valid()) == [verbal]
    assert not Consent.objects.opening().exists()


def test_a_consent_for_another_child_does_not_count(school, bup, child, other_child, staff):
    consent(other_child, [bup], staff)
    assert opens(school, bup, other_child, other_child)
    assert not opens(school, bup, child, child)


def test_no_unit_means_no_sharing(school, child):
    assert not opens(None, school, child, child)
    assert not opens(school, None, child, child)


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
        child, [bup], staff,
        given_on=today() + given_on * DAY, valid_until=today() + valid_until * DAY,
        revoked_on=today() if revoked else None,
    )  # fmt: skip
    assert not opens(school, bup, child, child)


def test_sharing_can_be_asked_for_another_day(school, bup, child, staff):
    consent(child, [bup], staff, given_on=today() - 30 * DAY, valid_until=today() - DAY)
    assert not opens(school, bup, child, child)
    assert opens(school, bup, child, child, on=today() - 2 * DAY)


def test_a_consent_for_an_occasion_opens_only_that_occasion(
    school, bup, child, staff, case, other_case, plan
):
    consent(child, [bup], staff, purpose=case)
    assert opens(school, bup, child, case)
    assert not opens(school, bup, child, other_case)
    assert not opens(school, bup, child, plan)
    assert not opens(school, bup, child, child)  # nor the whole record


def test_a_consent_for_the_whole_record_opens_every_occasion(school, bup, child, staff, case, plan):
    consent(child, [bup], staff)
    for occasion in (child, case, plan):
        assert opens(school, bup, child, occasion), occasion


def test_a_consent_without_a_purpose_opens_nothing(school, bup, child, staff, case):
    consent(child, [bup], staff, purpose_type=None, purpose_id=None)
    assert not opens(school, bup, child, child)
    assert not opens(school, bup, child, case)


def test_a_purpose_is_matched_on_its_type_as_well_as_its_id(school, bup, child, staff, case):
    # A consent for a plan whose id happens to equal the case's id.
    consent(
        child, [bup], staff,
        purpose_type=ContentType.objects.get_for_model(Plan), purpose_id=case.pk,
    )  # fmt: skip
    assert not opens(school, bup, child, case)
    consent(child, [bup], staff, purpose=case)
    assert opens(school, bup, child, case)


def test_each_sharing_reads_the_database_once_and_a_new_one_sees_changes(
    django_assert_num_queries, school, bup, child, staff
):
    given = consent(child, [bup], staff)
    sharing = Sharing()
    ContentType.objects.get_for_model(Child)  # (content types are cached per process)
    with django_assert_num_queries(2):  # the consents, and the units they name
        assert sharing.opens(school, bup, child.pk, child)
        assert sharing.opens(school, bup, child.pk, child)
    given.revoked_on = today()
    given.save()
    assert not opens(school, bup, child, child)  # the next request reads again


# --- The period -------------------------------------------------------------------------------
def test_valid_includes_the_first_and_the_last_day_only(school, bup, child, staff):
    start, end = datetime.date(2026, 3, 1), datetime.date(2026, 3, 31)
    given = consent(child, [bup], staff, given_on=start, valid_until=end)

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
    current = consent(child, [bup], staff, given_on=today(), valid_until=today())
    consent(child, [bup], staff, given_on=today() - 5 * DAY, valid_until=today() - DAY)
    assert list(Consent.objects.valid()) == [current]
    assert list(Consent.objects.opening()) == [current]


def test_the_model_refuses_an_end_before_the_start(school, bup, child, staff):
    made = Consent(
        child=child, form=Consent.Form.WRITTEN, purpose_text="x", recorded_by=staff,
        recorded_by_unit=school, given_on=today() - 5 * DAY, valid_until=today() - 6 * DAY,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        made.full_clean()
    assert error.value.message_dict["valid_until"] == [PERIOD_ERROR]


def test_for_purpose(school, bup, child, staff, case, other_case):
    for_case = consent(child, [bup], staff, purpose=case)
    consent(child, [bup], staff, purpose=other_case)
    general = consent(child, [bup], staff)
    assert list(Consent.objects.for_purpose(case)) == [for_case]
    assert list(Consent.objects.for_purpose(child)) == [general]
    assert set(Consent.objects.for_purpose(None)) == set(Consent.objects.all())


# --- Recording consent ------------------------------------------------------------------------
def add_url(purpose, **query):
    kind = {Child: "barn", ForumCase: "individforum", Plan: "sip"}[type(purpose)]
    url = reverse("consent:add", args=[kind, purpose.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def form_data(guardian, units, recorder, **overrides):
    data = {
        "recorded_by_unit": recorder.pk if recorder else None,
        "given_by_guardians": [guardian.pk] if guardian else None,
        "form": Consent.Form.WRITTEN,
        "units": [unit.pk for unit in units],
        "purpose_text": "Individforum om skolsituationen",
        "given_on": today().isoformat(),
        "valid_until": (today() + 90 * DAY).isoformat(),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def review(client, url, data):
    """The first step: the summary, with nothing saved."""
    before = Consent.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    assert CONFIRM in [t.name for t in response.templates], response.context["form"].errors
    assert Consent.objects.count() == before
    return response


def record_consent(client, url, data, **files):
    """Both steps: review, then save."""
    review(client, url, data)
    return client.post(url, {**data, "spara": "1", **files})


def test_the_address_names_the_purpose(child, case, plan):
    assert add_url(child) == f"/samtycken/nytt/barn/{child.pk}/"
    assert add_url(case) == f"/samtycken/nytt/individforum/{case.pk}/"
    assert add_url(plan) == f"/samtycken/nytt/sip/{plan.pk}/"


def test_the_owning_unit_records_a_written_consent_for_the_whole_record(
    client_for, staff, clinician, school, involved_bup, child, guardian
):
    client = client_for(staff)
    assert client.get(add_url(child)).status_code == 200
    assert not opens(school, involved_bup, child, child)
    data = form_data(guardian, [involved_bup], school)

    response = review(client, add_url(child), data)
    summary = response.context["summary"]
    assert summary["recorder"] == school
    assert summary["principal"] == school.principal
    assert summary["units"] == [involved_bup]
    assert summary["guardians"] == [guardian.name]
    assert summary["written"] and not summary["by_child"]
    content = response.content.decode()
    assert involved_bup.name in content and guardian.name in content
    assert not AccessLog.objects.filter(action="change").exists()

    response = client.post(add_url(child), {**data, "spara": "1"})
    assert response.status_code == 302
    assert response.url == child.get_absolute_url()
    saved = Consent.objects.get()
    assert saved.child == child
    assert saved.purpose == child and saved.covers_whole_record
    assert saved.recorded_by_unit == school
    assert list(saved.units.all()) == [involved_bup]
    assert list(saved.given_by_guardians.all()) == [guardian]
    assert (saved.form, saved.recorded_by, saved.noted_by) == ("written", staff, None)
    assert not saved.document
    assert opens(school, involved_bup, child, child)
    assert client_for(clinician).get(child.get_absolute_url()).status_code == 200
    entry = AccessLog.objects.get(action="change")
    assert (entry.user, entry.object_type, entry.object_label, entry.child_id) == (
        staff,
        "consent.consent",
        f"Samtycke {saved.pk}",
        child.pk,
    )


def test_changing_goes_back_to_the_form_and_saves_nothing(
    client_for, staff, school, involved_bup, child, guardian
):
    client = client_for(staff)
    data = form_data(guardian, [involved_bup], school, purpose_text="Skolmöte")
    review(client, add_url(child), data)
    response = client.post(add_url(child), {**data, "andra": "1"})
    assert response.status_code == 200
    assert "consent/consent_form.html" in [t.name for t in response.templates]
    assert response.context["form"]["purpose_text"].value() == "Skolmöte"
    assert not Consent.objects.exists()


def test_a_verbal_consent_is_noted_by_the_user_and_opens_nothing(
    client_for, staff, clinician, school, involved_bup, child, guardian
):
    data = form_data(guardian, [involved_bup], school, form=Consent.Form.VERBAL)
    response = review(client_for(staff), add_url(child), data)
    assert not response.context["summary"]["written"]
    assert "öppnar inga uppgifter mellan huvudmän" in response.content.decode()
    response = client_for(staff).post(add_url(child), {**data, "spara": "1"})
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert (saved.form, saved.noted_by, saved.recorded_by) == ("verbal", staff, staff)
    assert not opens(school, involved_bup, child, child)
    assert client_for(clinician).get(child.get_absolute_url()).status_code == 404


def test_nothing_is_preselected(client_for, staff, school, involved_bup, child, guardian):
    response = client_for(staff).get(add_url(child))
    form = response.context["form"]
    for name in ("units", "given_by_guardians", "given_by_child", "form"):
        assert not form[name].value(), name
    content = response.content.decode()
    assert "checked" not in content


def teen(school, staff, given_on, *, coordination=False):
    """A young person who turns 15 on ``given_on``."""
    born = given_on.replace(year=given_on.year - 15)
    return Child.objects.create(
        personal_number=number_for(born, coordination=coordination), first_name="Ung",
        last_name="Person", owning_unit=school, created_by=staff,
    )  # fmt: skip


def a_day_in_the_past():
    day = today() - 10 * DAY
    return day - DAY if (day.month, day.day) == (2, 29) else day


@pytest.mark.parametrize("coordination", [False, True], ids=["personnummer", "samordningsnummer"])
def test_from_15_the_young_person_alone_may_give_consent(
    client_for, staff, school, bup, coordination
):
    birthday = a_day_in_the_past()
    young = teen(school, staff, birthday, coordination=coordination)
    involve(young, bup, "Individforum")
    client = client_for(staff)
    data = form_data(None, [bup], school, given_by_child="on")

    # The day before the 15th birthday: the guardians must give it.
    day_before = {**data, "given_on": (birthday - DAY).isoformat()}
    response = client.post(add_url(young), day_before)
    assert field_errors(response, "given_by_guardians") == [
        "Barnet var under 15 år när samtycket lämnades: det ska lämnas av vårdnadshavare, och "
        "inga vårdnadshavare är registrerade. Den verksamhet som registrerade barnet lägger "
        "till dem."
    ]

    response = record_consent(client, add_url(young), {**data, "given_on": birthday.isoformat()})
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert saved.given_by_child and not saved.given_by_guardians.exists()


def test_under_15_the_guardians_must_give_consent(
    client_for, staff, school, involved_bup, child, guardian
):
    client = client_for(staff)
    data = form_data(None, [involved_bup], school, given_by_child="on")
    assert field_errors(client.post(add_url(child), data), "given_by_guardians") == [UNDER_15]
    assert not Consent.objects.exists()
    # The guardians and the child together: accepted.
    both = form_data(guardian, [involved_bup], school, given_by_child="on")
    assert record_consent(client, add_url(child), both).status_code == 302
    saved = Consent.objects.get()
    assert saved.given_by_child and list(saved.given_by_guardians.all()) == [guardian]


def test_a_written_consent_carries_the_scanned_form(
    client_for, staff, school, involved_bup, child, guardian, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("underskrift.PDF", b"%PDF-1.4 underskrivet", "application/pdf")
    response = record_consent(
        client_for(staff), add_url(child), form_data(guardian, [involved_bup], school),
        document=scan,
    )  # fmt: skip
    assert response.status_code == 302
    saved = Consent.objects.get()
    assert saved.document.name.startswith(f"consents/{today():%Y}/samtycke")
    assert saved.document.name.endswith(".pdf")
    assert "underskrift" not in saved.document.name
    assert (tmp_path / saved.document.name).read_bytes() == b"%PDF-1.4 underskrivet"


def field_errors(response, field):
    assert response.status_code == 200
    return response.context["form"].errors.get(field, [])


def test_a_period_that_has_already_ended_is_refused_at_the_end_date(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(
        add_url(child),
        form_data(
            guardian, [involved_bup], school,
            given_on=(today() - 5 * DAY).isoformat(),
            valid_until=(today() - DAY).isoformat(),
        ),
    )  # fmt: skip
    assert field_errors(response, "valid_until") == [EXPIRED_ERROR]
    assert EXPIRED_ERROR in response.content.decode()
    assert "consent/consent_form.html" in [t.name for t in response.templates]
    assert not Consent.objects.exists()


def test_an_end_date_on_the_start_date_is_accepted(
    client_for, staff, school, involved_bup, child, guardian
):
    day = today().isoformat()
    response = record_consent(
        client_for(staff), add_url(child),
        form_data(guardian, [involved_bup], school, given_on=day, valid_until=day),
    )  # fmt: skip
    assert response.status_code == 302
    assert opens(school, involved_bup, child, child)


def test_a_consent_cannot_be_given_in_the_future_or_before_the_child_was_born(
    client_for, staff, school, involved_bup, child, guardian
):
    client = client_for(staff)
    for given_on, message in (
        (today() + DAY, "Ett samtycke kan inte vara lämnat i framtiden."),
        (datetime.date(2016, 12, 31), "Datumet ligger före barnets födelsedatum."),
    ):
        data = form_data(guardian, [involved_bup], school, given_on=given_on.isoformat())
        assert field_errors(client.post(add_url(child), data), "given_on") == [message]
    assert not Consent.objects.exists()


def test_at_least_one_unit_must_be_chosen(client_for, staff, school, involved_bup, child, guardian):
    response = client_for(staff).post(add_url(child), form_data(guardian, [], school))
    assert field_errors(response, "units")
    assert not Consent.objects.exists()


def test_only_party_units_of_other_principals_can_be_chosen(
    client_for, staff, school, social_services, involved_bup, habilitation, child, guardian
):
    involve(child, social_services, "Individforum")  # same principal: needs no consent
    client = client_for(staff)
    response = client.get(add_url(child))
    choices = {unit.pk for unit in response.context["form"].fields["units"].queryset}
    assert choices == {involved_bup.pk}
    for units in ([habilitation], [school], [social_services]):
        response = client.post(add_url(child), form_data(guardian, units, school))
        assert field_errors(response, "units"), units
    assert not Consent.objects.exists()


def test_the_recorder_is_a_unit_of_the_holders_principal_where_the_user_works(
    client_for, make_user, school, social_services, involved_bup, child, guardian
):
    both = make_user("tva@testby.example")
    employ(both, school)
    employ(both, social_services)
    employ(both, involved_bup)  # works at BUP too, but BUP cannot open the school's record
    client = client_for(both)
    response = client.get(add_url(child))
    recorders = set(response.context["form"].fields["recorded_by_unit"].queryset)
    assert recorders == {school, social_services}
    response = client.post(add_url(child), form_data(guardian, [involved_bup], involved_bup))
    assert field_errors(response, "recorded_by_unit")
    response = client.post(add_url(child), form_data(guardian, [involved_bup], None))
    assert field_errors(response, "recorded_by_unit")
    data = form_data(guardian, [involved_bup], social_services)
    assert record_consent(client, add_url(child), data).status_code == 302
    assert Consent.objects.get().recorded_by_unit == social_services


def test_someone_must_have_given_the_consent(
    client_for, staff, school, involved_bup, child, guardian
):
    response = client_for(staff).post(add_url(child), form_data(None, [involved_bup], school))
    assert field_errors(response, "given_by_guardians") == [
        "Ange vem som lämnade samtycket: vårdnadshavare, den unge eller båda."
    ]
    assert not Consent.objects.exists()


def test_a_guardian_of_another_child_cannot_be_chosen(
    client_for, staff, school, involved_bup, child, other_child
):
    stranger = Guardian.objects.create(child=other_child, name="Främling")
    response = client_for(staff).post(add_url(child), form_data(stranger, [involved_bup], school))
    assert field_errors(response, "given_by_guardians")
    assert not Consent.objects.exists()


def test_a_consent_can_be_recorded_for_a_forum_case(
    client_for, staff, clinician, school, bup, habilitation, child, guardian, case, other_case
):
    Invitee.objects.create(case=case, unit=bup)
    client = client_for(staff)
    response = client.get(add_url(case))
    assert response.status_code == 200
    assert response.context["purpose"] == case
    assert case.reference in response.content.decode()
    choices = set(response.context["form"].fields["units"].queryset)
    assert choices == {bup}  # the invited unit of another principal, nothing else
    response = record_consent(client, add_url(case), form_data(guardian, [bup], school))
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    saved = Consent.objects.get()
    assert (saved.purpose, saved.recorded_by_unit) == (case, school)
    assert opens(school, bup, child, case)
    assert not opens(school, bup, child, other_case)
    assert not opens(school, bup, child, child)
    assert allowed(clinician, "forum.view_case_content", case)
    assert client_for(clinician).get(child.get_absolute_url()).status_code == 404
    entry = AccessLog.objects.get(action="change")
    assert (entry.object_type, entry.child_id) == ("consent.consent", child.pk)


def test_a_consent_can_be_recorded_for_a_plan(
    client_for, staff, clinician, school, bup, child, guardian, plan
):
    Participant.objects.create(plan=plan, kind=Participant.Kind.UNIT, unit=bup)
    assert plan.uncovered_unit_ids() == {bup.pk}
    response = record_consent(client_for(staff), add_url(plan), form_data(guardian, [bup], school))
    assert response.status_code == 302
    assert response.url == plan.get_absolute_url()
    assert Consent.objects.get().purpose == plan
    assert plan.uncovered_unit_ids() == set()
    assert allowed(clinician, "sip.view_plan_content", plan)
    assert not opens(school, bup, child, child)


def test_unknown_purposes_are_not_found(client_for, staff, child, case):
    client = client_for(staff)
    for url in (
        reverse("consent:add", args=["arende", case.pk]),
        reverse("consent:add", args=["barn", child.pk + 1000]),
        reverse("consent:add", args=["individforum", case.pk + 1000]),
        reverse("consent:add", args=["sip", 9999]),
        f"/samtycken/barn/{child.pk}/nytt/",  # the old address
    ):
        assert client.get(url).status_code == 404, url
    assert not AccessLog.objects.filter(child_id=child.pk).exists()


def test_who_may_record_a_consent_for_the_whole_record(
    client, client_for, staff, clinician, social_worker, outsider, secretariat, admin_user,
    social_services, school, bup, child, guardian,
):  # fmt: skip
    involve(child, bup, "Individforum")
    data = form_data(guardian, [bup], school)
    # Those who may not see the record are not told it exists.
    for user in (social_worker, clinician, outsider, secretariat, admin_user):
        c = client_for(user)
        assert c.get(add_url(child)).status_code == 404, user
        assert c.post(add_url(child), data).status_code == 404, user
    assert not Consent.objects.exists()
    refusals = AccessLog.objects.filter(action="denied", status_code=404)
    assert refusals.count() == 10
    assert set(refusals.values_list("object_type", "child_id")) == {("people.child", child.pk)}

    # BUP sees the record once the school opens it, but cannot record a consent opening the
    # school's information: 403, logged with the record.
    consent(child, [bup, social_services], staff)
    c = client_for(clinician)
    assert c.get(add_url(child)).status_code == 403
    assert c.post(add_url(child), {**data, "spara": "1"}).status_code == 403
    assert Consent.objects.count() == 1
    assert AccessLog.objects.filter(user=clinician, action="denied", status_code=403).count() == 2

    # Another unit of the school's principal that sees the record may record one.
    c = client_for(social_worker)
    response = record_consent(c, add_url(child), form_data(guardian, [bup], social_services))
    assert response.status_code == 302
    assert Consent.objects.latest("id").recorded_by == social_worker

    client.logout()
    response = client.get(add_url(child))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")


def test_who_may_record_a_consent_for_a_forum_case(
    client_for, staff, clinician, outsider, school, bup, child, guardian, case
):
    Invitee.objects.create(case=case, unit=bup)
    # Not a party: 404. A party of another principal, without the case's content: 403.
    assert client_for(outsider).get(add_url(case)).status_code == 404
    assert client_for(clinician).get(add_url(case)).status_code == 403
    # With the content (a consent for the case), still 403: it would open the school's
    # information, which only the school's principal may do.
    consent(child, [bup], staff, purpose=case)
    assert client_for(clinician).get(add_url(case)).status_code == 403
    entries = AccessLog.objects.filter(action="denied")
    assert set(entries.values_list("object_type", "object_id", "child_id")) == {
        ("forum.forumcase", str(case.pk), child.pk)
    }


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
    data = form_data(guardian, [involved_bup], school, next=next_url)
    response = record_consent(client_for(staff), add_url(child), data)
    assert response.status_code == 302
    assert response.url == (next_url if local else child.get_absolute_url())


def test_the_next_from_the_query_string_is_kept_through_both_steps(
    client_for, staff, school, child, guardian, involved_bup
):
    client = client_for(staff)
    response = client.get(add_url(child, next="/barn/"))
    assert 'name="next" value="/barn/"' in response.content.decode()
    response = review(
        client, add_url(child), form_data(guardian, [involved_bup], school, next="/barn/")
    )
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
    given = consent(child, [involved_bup], staff)
    assert opens(school, involved_bup, child, child)
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
    assert not opens(school, involved_bup, child, child)
    viewer = client_for(clinician)
    assert viewer.get(child.get_absolute_url()).status_code == 404
    entry = AccessLog.objects.get(
        action="change", object_type="consent.consent", object_id=str(given.pk), user=staff
    )
    assert entry.child_id == child.pk


def test_revocation_cannot_be_dated_in_the_future(client_for, staff, school, involved_bup, child):
    given = consent(child, [involved_bup], staff)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": (today() + DAY).isoformat(), "reason": "Senare"}
    )
    assert field_errors(response, "revoked_on") == [
        "Återkallelsen gäller från i dag; ange inte ett senare datum."
    ]
    given.refresh_from_db()
    assert given.revoked_on is None
    assert opens(school, involved_bup, child, child)


def test_revocation_cannot_be_dated_before_the_consent(
    client_for, staff, school, involved_bup, child
):
    given = consent(child, [involved_bup], staff, given_on=today() - 3 * DAY)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": (today() - 4 * DAY).isoformat(), "reason": "Fel"}
    )
    assert field_errors(response, "revoked_on")
    given.refresh_from_db()
    assert given.revoked_on is None


def test_a_unit_the_consent_names_may_revoke_and_units_it_does_not_cover_get_404(
    client_for, make_user, staff, clinician, social_worker, outsider, school, bup, habilitation,
    child,
):  # fmt: skip
    given = consent(child, [bup], staff)
    colleague = make_user("habilitering@region.example")
    employ(colleague, habilitation)  # same principal as BUP, not named
    data = {"revoked_on": today().isoformat(), "reason": "Återkallat"}
    for user in (social_worker, colleague, outsider):
        c = client_for(user)
        assert c.get(revoke_url(given)).status_code == 404, user
        assert c.post(revoke_url(given), data).status_code == 404, user
    given.refresh_from_db()
    assert given.revoked_on is None
    refusals = AccessLog.objects.filter(action="denied", status_code=404)
    assert refusals.count() == 6
    assert set(refusals.values_list("object_type", "object_id", "child_id")) == {
        ("consent.consent", str(given.pk), child.pk)
    }

    assert client_for(clinician).post(revoke_url(given), data).status_code == 302
    given.refresh_from_db()
    assert given.revoked_by == clinician
    assert not opens(school, bup, child, child)


def test_the_recording_unit_may_revoke_a_consent_it_is_not_named_in(
    client_for, staff, school, bup, child
):
    given = consent(child, [bup], staff)
    assert school not in given.units.all()
    data = {"revoked_on": today().isoformat(), "reason": "Återkallat"}
    assert client_for(staff).post(revoke_url(given), data).status_code == 302
    given.refresh_from_db()
    assert given.revoked_by == staff


def test_a_consent_that_does_not_exist_is_not_found(client_for, staff):
    assert client_for(staff).get(reverse("consent:revoke", args=[9999])).status_code == 404


def test_a_revoked_consent_cannot_be_revoked_again(client_for, staff, school, involved_bup, child):
    first_day = today() - 2 * DAY
    given = consent(child, [involved_bup], staff, revoked_on=first_day, revoked_by=staff)
    response = client_for(staff).post(
        revoke_url(given), {"revoked_on": today().isoformat(), "reason": "Igen"}
    )
    # Nothing to revoke: the unit is told so and nothing changes.
    assert response.status_code == 302
    assert response.url == child.get_absolute_url()
    given.refresh_from_db()
    assert (given.revoked_on, given.revocation_reason) == (first_day, "")
    assert not AccessLog.objects.filter(action__in=["change", "denied"]).exists()


def test_after_revoking_only_a_local_next_is_followed(
    client_for, staff, school, involved_bup, child
):
    client = client_for(staff)
    data = {"revoked_on": today().isoformat(), "reason": "Återkallat"}
    first = consent(child, [involved_bup], staff)
    response = client.post(revoke_url(first), {**data, "next": "/barn/"})
    assert response.url == "/barn/"
    second = consent(child, [involved_bup], staff)
    response = client.post(revoke_url(second), {**data, "next": "https://evil.example/"})
    assert response.url == child.get_absolute_url()


def test_the_child_page_lists_consents_with_a_revoke_link_for_those_in_force(
    client_for, staff, school, involved_bup, child
):
    current = consent(child, [involved_bup], staff, purpose_text="Gäller nu")
    revoked = consent(
        child, [involved_bup], staff, purpose_text="Återkallat förut", revoked_on=today()
    )
    verbal = consent(
        child, [involved_bup], staff, purpose_text="Sagt i telefon", form=Consent.Form.VERBAL,
        noted_by=staff,
    )  # fmt: skip
    content = client_for(staff).get(child.get_absolute_url()).content.decode()
    assert "Gäller nu" in content and "Återkallat förut" in content
    assert revoke_url(current) in content
    assert revoke_url(revoked) not in content
    assert revoke_url(verbal) in content
    assert "Öppnar inget mellan huvudmän" in content
    assert add_url(child) in content


# --- Guardians' names on the consent form -----------------------------------------------------
def test_the_owning_unit_picks_guardians_by_name(client_for, staff, involved_bup, child, guardian):
    child.protected_identity = True
    child.save()
    content = client_for(staff).get(add_url(child)).content.decode()
    assert guardian.name in content


@pytest.mark.parametrize("protected", [True, False])
def test_the_consent_form_hides_guardians_names_from_those_not_shown_the_identity(
    client_for, staff, social_worker, social_services, school, involved_bup, child,
    guardian, protected,
):  # fmt: skip
    """Protected identity hides the guardians from every unit but the owning one, also from
    another unit of the principal that sees the record and may record a consent."""
    child.protected_identity = protected
    child.save()
    second = Guardian.objects.create(child=child, name="Otto Vårdnadsson")
    consent(child, [social_services], staff)
    client = client_for(social_worker)
    response = client.get(add_url(child))
    assert response.status_code == 200
    content = response.content.decode()
    if protected:
        assert guardian.name not in content and second.name not in content
        assert "Vårdnadshavare 1" in content and "Vårdnadshavare 2" in content
    else:
        assert guardian.name in content and second.name in content
    # Picking a guardian works without the name, and the summary does not name them either.
    data = form_data(second, [involved_bup], social_services)
    response = review(client, add_url(child), data)
    summary = response.context["summary"]
    number = list(child.guardians.all()).index(second) + 1  # numbered in the form's order
    assert summary["guardians"] == ([f"Vårdnadshavare {number}"] if protected else [second.name])
    assert (second.name in response.content.decode()) is not protected
    response = client.post(add_url(child), {**data, "spara": "1"})
    assert response.status_code == 302
    assert list(Consent.objects.latest("id").given_by_guardians.all()) == [second]
