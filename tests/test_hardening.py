"""Hardening found on the way: the no-identity check in linear time, a select answering a
field error (never a 500) for a value that cannot be a record's key, dates outside a
plausible range refused at the field, and the Permissions-Policy header."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from personnummer import personnummer

import samverkan.forms as samverkan_forms
from samverkan.agenda.forms import PutOnForm
from samverkan.assignments.forms import AssignmentForm
from samverkan.assignments.models import Assignment
from samverkan.audit.forms import ExtractForm, LogFilterForm, RoleChangeFilterForm
from samverkan.audit.forms import PeriodForm as AuditPeriodForm
from samverkan.consent.forms import ConsentForm, RevokeForm
from samverkan.consent.models import Consent
from samverkan.deviations.forms import ActionForm, DeviationForm
from samverkan.deviations.forms_reports import PeriodForm
from samverkan.deviations.forms_secretariat import InboxFilterForm, ReviewForm
from samverkan.deviations.models import Action, Category, Deviation, Tag
from samverkan.forms import date_range
from samverkan.forum import forms as forum_forms
from samverkan.forum.models import Attendee, Decision, ForumCase, PartyView, Protocol
from samverkan.governance import forms as governance_forms
from samverkan.governance.forms_agreements import (
    AgreementForm,
    DocumentForm,
    RevisionForm,
    SignatoryForm,
)
from samverkan.governance.models import ActionItem, Agreement, Document, Meeting
from samverkan.identity import EMAIL, NUMBER, PHONE, find_identity
from samverkan.organisations.models import Principal, Unit
from samverkan.people.models import Child, involve
from samverkan.public.forms import NewPageForm, PageForm
from samverkan.sip.forms import (
    FollowUpForm,
    InterventionForm,
    ParticipantForm,
    PlanCreateForm,
    PlanForm,
)
from samverkan.sip.models import Intervention, Participant, Plan

TODAY = timezone.localdate()


# --- 1. The identity check runs in linear time --------------------------------------------------
def find_identity_before(text: str) -> list[tuple[str, str]]:
    """The check as it was before it was made linear: the reference for what it finds."""
    findings, spans = [], []
    for match in NUMBER.finditer(text):
        if personnummer.valid(match.group(0)):
            findings.append(("personal_number", match.group(0)))
            spans.append(match.span())
    for match in EMAIL.finditer(text):
        findings.append(("email", match.group(0)))
        spans.append(match.span())
    for match in PHONE.finditer(text):
        start, end = match.span()
        if not any(start < s_end and s_start < end for s_start, s_end in spans):
            findings.append(("phone", match.group(0).strip()))
    return findings


def found(text: str) -> list[tuple[str, str]]:
    return [(finding.kind, finding.text) for finding in find_identity(text)]


PIECES = ["19121212-1212", "121212-1212", "1212121212", "0701234567", "070-123 45 67",
          "+46 70", "0046", "a@b.se", "x.y@", "@", ".", "+", "-", " ", "\n", "1", "0", "(0)",
          "ab", "é", "_"]  # fmt: skip


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_linear_check_finds_exactly_what_the_old_one_found(text):
    assert found(text) == find_identity_before(text)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="a1@.+- 0\n()4x_é", max_size=40))
def test_the_linear_check_agrees_on_any_mix_of_the_characters_that_matter(text):
    assert found(text) == find_identity_before(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An address right after another one's end, inside the same run of characters.
        ("a@b.se+x@c.se", [("email", "a@b.se"), ("email", "+x@c.se")]),
        ("a.b.c.d@skolan.se.", [("email", "a.b.c.d@skolan.se")]),
        ("x@x@x@y.se", [("email", "x@y.se")]),
        ("-.+a@b.c", [("email", "-.+a@b.c")]),
        ("a@b", []),
        ("ring 070-123 45 67 eller a@b.se", [("email", "a@b.se"), ("phone", "070-123 45 67")]),
        # A phone number inside an address or a personnummer is reported once.
        ("0701234567@skolan.se", [("email", "0701234567@skolan.se")]),
        ("19121212-1212", [("personal_number", "19121212-1212")]),
        ("1234567890" * 3, []),
    ],
)
def test_tricky_inputs(text, expected):
    assert found(text) == expected == find_identity_before(text)


MIX = "a@b.se 070-123 45 67 19121212-1212 "


def long(unit: str, size: int = 200_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (long("a"), {}),
        (long("a."), {}),
        (long("1 "), {}),
        (long("0 "), {}),
        (long("x@"), {}),
        (long("1234567890"), {}),
        (long("1234567890 "), {}),
        (long("7"), {}),
        (long("a@a"), {}),
        (long("-.+"), {}),
        (long("a") + "@skolan.se", {"email": 1}),
        (long("a.") + "a@skolan.se", {"email": 1}),
        ("a@" + long("b") + ".se", {"email": 1}),
        (long("1") + " 070-123 45 67", {"phone": 1}),
        # 5,714 of each: the overlap check must not compare every pair.
        (MIX * 5_714, None),
    ],
    ids=lambda value: value[:12] if isinstance(value, str) else None,
)
def test_200_000_characters_of_hostile_text(text, kinds):
    """The old check took minutes on each of these (it grew with the square of the
    length); a regression shows here as a suite that times out. bench/identity_check.py
    measures it."""
    findings = find_identity(text)
    counted = {}
    for finding in findings:
        counted[finding.kind] = counted.get(finding.kind, 0) + 1
    if kinds is None:
        count = len(text) // len(MIX)
        assert counted == {"personal_number": count, "email": count, "phone": count}
    else:
        assert counted == kinds


# --- Fixtures for the forms ---------------------------------------------------------------------
@pytest.fixture
def world(municipality, region, school, bup, group, steering, staff, manager, secretariat):
    child = Child.objects.create(
        personal_number="20170101-2393",
        first_name="Alva",
        last_name="Exempel",
        owning_unit=school,
        created_by=staff,
    )
    involve(child, school, "test")
    plan = Plan.objects.create(
        child=child,
        initiating_unit=school,
        initiated_by=staff,
        reason="Skolfrånvaro.",
        chair=staff,
        secretary=staff,
    )
    case = ForumCase.objects.create(
        local_group=group,
        child=child,
        raised_by_unit=school,
        raised_by=staff,
        noticed_on=TODAY - datetime.timedelta(days=2),
        reason="Oenighet om ansvaret.",
        convener=manager,
    )
    protocol = Protocol.objects.create(case=case, version=1, created_by=manager)
    category = Category.objects.create(name="Test av fält")
    deviation = Deviation.objects.create(
        title="Remiss obesvarad",
        reporting_unit=school,
        reporter=staff,
        local_group=group,
        occurred_on=TODAY - datetime.timedelta(days=3),
        what_happened="Remissen besvarades inte.",
        consequence="Barnet fick vänta.",
        category=category,
        agreement_part="responsibility",
    )
    deviation.other_units.add(bup)
    agreement = Agreement.objects.create(
        kind=Agreement.Kind.LOCAL,
        local_group=group,
        title="Lokal överenskommelse",
        signed_on=datetime.date(2024, 1, 15),
    )
    meeting = Meeting.objects.create(body=steering, held_on=TODAY, created_by=manager)
    consent = Consent.objects.create(
        child=child,
        form=Consent.Form.WRITTEN,
        purpose=plan,
        purpose_text="SIP",
        recorded_by_unit=school,
        given_on=TODAY - datetime.timedelta(days=10),
        valid_until=TODAY + datetime.timedelta(days=300),
        recorded_by=staff,
        given_by_child=False,
    )
    Tag.objects.create(name="Remisser")
    secretariat.is_secretariat = True
    return SimpleNamespace(**locals())


def protocol_units(w):
    return Unit.objects.filter(pk__in=[w.school.pk, w.bup.pk])


def with_units(form, field, units):
    form.fields[field].queryset = units  # as forum.forms.protocol_formsets does
    return form


# Every form in Samverkan with a select of records or a date, built as its view builds it:
# name -> (build(world, data), the selects, the dates).
FORMS = {
    "audit.LogFilterForm": (lambda w, d: LogFilterForm(d), [], ["date_from", "date_to"]),
    "audit.RoleChangeFilterForm": (
        lambda w, d: RoleChangeFilterForm(d), [], ["date_from", "date_to"],
    ),
    "audit.ExtractForm": (lambda w, d: ExtractForm(d), [], ["date_from", "date_to"]),
    "audit.PeriodForm": (lambda w, d: AuditPeriodForm(d), [], ["date_from", "date_to"]),
    "agenda.PutOnForm": (lambda w, d: PutOnForm(d, body=w.steering), ["meeting"], []),
    "assignments.AssignmentForm": (
        lambda w, d: AssignmentForm(d, instance=Assignment(given_by_body=w.steering)),
        ["assignee_user", "assignee_body"],
        ["due_on"],
    ),
    "consent.ConsentForm": (
        lambda w, d: ConsentForm(
            d, purpose=w.plan, child=w.child, recorder_units=[w.school],
            units=Unit.objects.exclude(pk=w.school.pk), show_names=True, user=w.staff,
        ),
        ["recorded_by_unit", "units", "given_by_guardians"],
        ["given_on", "valid_until"],
    ),
    "consent.RevokeForm": (lambda w, d: RevokeForm(d, consent=w.consent), [], ["revoked_on"]),
    "deviations.DeviationForm": (
        lambda w, d: DeviationForm(d, units=[w.school]),
        ["reporting_unit", "local_group", "other_units", "other_principals", "category"],
        ["occurred_on"],
    ),
    "deviations.ActionForm": (
        lambda w, d: ActionForm(d, deviation=w.deviation), ["owner"], ["due_on"],
    ),
    "deviations.PeriodForm": (lambda w, d: PeriodForm(d), ["grupp"], ["fran", "till"]),
    "deviations.InboxFilterForm": (
        lambda w, d: InboxFilterForm(d), ["grupp", "kommun", "kategori", "tagg"], ["fran", "till"],
    ),
    "deviations.ReviewForm": (lambda w, d: ReviewForm(d, instance=w.deviation), ["tags"], []),
    "forum.RaiseCaseForm": (
        lambda w, d: forum_forms.RaiseCaseForm(d, units=[w.school]),
        ["raised_by_unit", "local_group", "convener"],
        ["noticed_on"],
    ),
    "forum.ConveneForm": (
        lambda w, d: forum_forms.ConveneForm(d, instance=w.case),
        ["convener", "invited_units"],
        ["meeting_on"],
    ),
    "forum.CaseWorkerForm": (
        lambda w, d: forum_forms.CaseWorkerForm(d, case=w.case), ["case_workers"], [],
    ),
    "forum.AttendeeForm": (
        lambda w, d: with_units(forum_forms.AttendeeForm(d), "unit", protocol_units(w)),
        ["unit"],
        [],
    ),
    "forum.PartyViewForm": (
        lambda w, d: with_units(forum_forms.PartyViewForm(d), "unit", protocol_units(w)),
        ["unit"],
        [],
    ),
    "forum.DecisionForm": (
        lambda w, d: with_units(
            forum_forms.DecisionForm(d), "responsible_unit", protocol_units(w)
        ),
        ["responsible_unit"],
        ["due_on"],
    ),
    "forum.SteeringDecisionForm": (
        lambda w, d: forum_forms.SteeringDecisionForm(d, case=w.case), [], ["decided_on"],
    ),
    "forum.CaseFilterForm": (
        lambda w, d: forum_forms.CaseFilterForm(d, groups=w.group.__class__.objects.all()),
        ["grupp"],
        ["fran", "till"],
    ),
    "governance.MeetingForm": (
        lambda w, d: governance_forms.MeetingForm(d, instance=Meeting(body=w.steering)),
        [],
        ["held_on"],
    ),
    "governance.ActionItemForm": (
        lambda w, d: governance_forms.ActionItemForm(d, instance=ActionItem(meeting=w.meeting)),
        [],
        ["due_on"],
    ),
    "governance.AgreementForm": (
        lambda w, d: AgreementForm(d, user=w.secretariat),
        ["local_group", "parties"],
        ["signed_on", "next_follow_up_on"],
    ),
    "governance.SignatoryForm": (lambda w, d: SignatoryForm(d), ["principal"], []),
    "governance.RevisionForm": (lambda w, d: RevisionForm(d), [], ["revised_on"]),
    "governance.DocumentForm": (
        lambda w, d: DocumentForm(d, user=w.secretariat),
        ["local_group", "agreement"],
        ["updated_on", "fact_checked_on", "review_due_on"],
    ),
    "sip.PlanCreateForm": (
        lambda w, d: PlanCreateForm(d, units=[w.school]), ["initiating_unit"], [],
    ),
    "sip.PlanForm": (
        lambda w, d: PlanForm(d, instance=w.plan),
        ["chair", "secretary", "overall_responsible"],
        ["meeting_on", "next_follow_up_on"],
    ),
    "sip.ParticipantForm": (
        lambda w, d: ParticipantForm(d, plan=w.plan, instance=Participant(plan=w.plan)),
        ["unit", "person"],
        [],
    ),
    "sip.InterventionForm": (
        lambda w, d: InterventionForm(d, plan=w.plan, instance=Intervention(plan=w.plan)),
        ["unit"],
        ["starts_on", "ends_on"],
    ),
    "sip.FollowUpForm": (lambda w, d: FollowUpForm(d, plan=w.plan), [], ["held_on", "next_on"]),
    "public.PageForm": (lambda w, d: PageForm(d), [], ["fact_checked_on"]),
    "public.NewPageForm": (lambda w, d: NewPageForm(d), [], ["fact_checked_on"]),
}  # fmt: skip

FORM_CLASSES = {
    "agenda.PutOnForm": PutOnForm,
    "audit.LogFilterForm": LogFilterForm,
    "audit.RoleChangeFilterForm": RoleChangeFilterForm,
    "audit.ExtractForm": ExtractForm,
    "audit.PeriodForm": AuditPeriodForm,
    "assignments.AssignmentForm": AssignmentForm,
    "consent.ConsentForm": ConsentForm,
    "consent.RevokeForm": RevokeForm,
    "deviations.DeviationForm": DeviationForm,
    "deviations.ActionForm": ActionForm,
    "deviations.PeriodForm": PeriodForm,
    "deviations.InboxFilterForm": InboxFilterForm,
    "deviations.ReviewForm": ReviewForm,
    "forum.RaiseCaseForm": forum_forms.RaiseCaseForm,
    "forum.ConveneForm": forum_forms.ConveneForm,
    "forum.CaseWorkerForm": forum_forms.CaseWorkerForm,
    "forum.AttendeeForm": forum_forms.AttendeeForm,
    "forum.PartyViewForm": forum_forms.PartyViewForm,
    "forum.DecisionForm": forum_forms.DecisionForm,
    "forum.SteeringDecisionForm": forum_forms.SteeringDecisionForm,
    "forum.CaseFilterForm": forum_forms.CaseFilterForm,
    "governance.MeetingForm": governance_forms.MeetingForm,
    "governance.ActionItemForm": governance_forms.ActionItemForm,
    "governance.AgreementForm": AgreementForm,
    "governance.SignatoryForm": SignatoryForm,
    "governance.RevisionForm": RevisionForm,
    "governance.DocumentForm": DocumentForm,
    "sip.PlanCreateForm": PlanCreateForm,
    "sip.PlanForm": PlanForm,
    "sip.ParticipantForm": ParticipantForm,
    "sip.InterventionForm": InterventionForm,
    "sip.FollowUpForm": FollowUpForm,
    "public.PageForm": PageForm,
    "public.NewPageForm": NewPageForm,
}

# What each form would save, to show that nothing was.
MODELS = [Action, Agreement, Assignment, Attendee, Consent, Decision, Deviation, Document,
          ForumCase, Intervention, Meeting, PartyView, Participant, Plan, Principal,
          Tag]  # fmt: skip


def counts():
    return {model: model.objects.count() for model in MODELS}


def errors_of(form, name) -> list[str]:
    assert not form.is_valid()
    return [str(message) for message in form.errors.get(name, [])]


# --- 2. A value that cannot be a key is a field error, not a 500 -------------------------------
NOT_KEYS = [
    "99999999999999999999",  # more than a 64-bit integer holds
    "-99999999999999999999",
    "9223372036854775808",  # one more than the largest 64-bit integer
    "-1",
    "0",
    "1.5",
    "1e3",
    "abc",
    " ",
    "١٢",  # digits of another script: a real key only if that pk exists
]

SELECTS = [(name, field) for name, (_, selects, _) in FORMS.items() for field in selects]


@pytest.mark.parametrize(("form_name", "field"), SELECTS)
@pytest.mark.parametrize("value", NOT_KEYS)
def test_a_value_that_is_no_key_is_a_field_error(world, form_name, field, value):
    build = FORMS[form_name][0]
    before = counts()
    form = build(world, {field: [value] if is_multiple(build, world, field) else value})
    # (The form's own checks may add more, e.g. "at least one other party".)
    assert any(m.startswith("Välj ett giltigt alternativ") for m in errors_of(form, field))
    assert counts() == before


def is_multiple(build, world, field) -> bool:
    return isinstance(build(world, None).fields[field], forms.ModelMultipleChoiceField)


def deviation_data(w, **overrides):
    data = {
        "reporting_unit": w.school.pk,
        "local_group": w.group.pk,
        "title": "Remiss till BUP besvarades inte",
        "occurred_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "other_units": [w.bup.pk],
        "what_happened": "Skolan skickade en remiss som inte besvarades.",
        "consequence": "Barnet fick vänta på stöd.",
        "category": w.category.pk,
        "agreement_part": "responsibility",
    }
    return {**data, **overrides}


@pytest.mark.parametrize(
    "field", ["reporting_unit", "local_group", "other_units", "other_principals", "category"]
)
@pytest.mark.parametrize("value", ["99999999999999999999", "-1", "1.5", "abc"])
def test_a_deviation_with_an_impossible_choice_is_refused_and_not_saved(
    client_for, world, field, value
):
    before = Deviation.objects.count()
    response = client_for(world.staff).post(
        reverse("deviations:new"), deviation_data(world, **{field: value})
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in str(response.context["form"].errors[field])
    assert Deviation.objects.count() == before


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("deviations:inbox", "kommun"),
        ("deviations:inbox", "kategori"),
        ("deviations:inbox", "tagg"),
        ("deviations:inbox", "grupp"),
    ],
)
def test_a_filter_with_an_impossible_choice_answers_the_page_with_the_error(
    client_for, world, url, parameter
):
    response = client_for(world.secretariat).get(reverse(url), {parameter: "99999999999999999999"})
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in response.content.decode()


def test_a_raised_case_with_an_impossible_convener_is_refused_and_not_saved(client_for, world):
    before = ForumCase.objects.count()
    response = client_for(world.staff).post(
        reverse("forum:raise"),
        {
            "raised_by_unit": world.school.pk,
            "local_group": world.group.pk,
            "personal_number": "20170101-2393",
            "noticed_on": TODAY.isoformat(),
            "reason": "Oenighet om ansvaret.",
            "convener": "99999999999999999999",
        },
    )
    assert response.status_code == 200
    assert "Välj ett giltigt alternativ" in str(response.context["form"].errors["convener"])
    assert ForumCase.objects.count() == before


def test_real_choices_still_work(world):
    form = FORMS["deviations.DeviationForm"][0](world, deviation_data(world))
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["other_units"]) == [world.bup]
    grupp = InboxFilterForm({"grupp": world.group.slug, "kommun": world.municipality.pk})
    assert grupp.is_valid(), grupp.errors


# --- 3. Dates outside a plausible range are refused at the field --------------------------------
DATES = [(name, field) for name, (_, _, dates) in FORMS.items() for field in dates]


def out_of_range_message() -> str:
    earliest, latest = date_range()
    return f"Ange ett datum mellan {earliest.isoformat()} och {latest.isoformat()}."


def test_the_range_is_from_1990_to_the_end_of_the_fifth_year_ahead():
    assert date_range(datetime.date(2026, 11, 30)) == (
        datetime.date(1990, 1, 1),
        datetime.date(2031, 12, 31),
    )


@pytest.mark.parametrize(("form_name", "field"), DATES)
def test_an_implausible_date_is_refused_at_the_field(world, form_name, field):
    build = FORMS[form_name][0]
    earliest, latest = date_range()
    before = counts()
    for day in [
        "0001-01-01",
        "0202-11-23",
        (earliest - datetime.timedelta(days=1)).isoformat(),
        (latest + datetime.timedelta(days=1)).isoformat(),
        "9999-12-31",
    ]:
        assert errors_of(build(world, {field: day}), field) == [out_of_range_message()], day
    for day in [earliest, latest]:
        form = build(world, {field: day.isoformat()})
        form.is_valid()
        assert out_of_range_message() not in form.errors.get(field, []), day
    assert counts() == before


def test_a_deviation_dated_1899_is_refused_and_not_saved(client_for, world):
    before = Deviation.objects.count()
    response = client_for(world.staff).post(
        reverse("deviations:new"), deviation_data(world, occurred_on="1899-12-31")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["occurred_on"] == [out_of_range_message()]
    assert Deviation.objects.count() == before


# --- Every form is covered ----------------------------------------------------------------------
def project_forms():
    """Every form class defined in the apps' forms modules."""
    import importlib
    import pkgutil

    import samverkan

    found_forms = {}
    for module_info in pkgutil.walk_packages(samverkan.__path__, "samverkan."):
        name = module_info.name
        if not re.search(r"\.forms\w*$", name) or name == "samverkan.forms":
            continue
        module = importlib.import_module(name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == name
            ):
                found_forms[f"{name}.{value.__name__}"] = value
    return found_forms


def test_every_select_and_date_uses_the_guarded_fields_and_is_tested():
    tested = {(cls, field) for name, cls in FORM_CLASSES.items()
              for field in FORMS[name][1] + FORMS[name][2]}  # fmt: skip
    guarded = (samverkan_forms.ModelChoiceField, samverkan_forms.ModelMultipleChoiceField)
    for path, cls in project_forms().items():
        if issubclass(cls, forms.ModelForm):
            assert issubclass(cls, samverkan_forms.ModelForm), path
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelChoiceField):
                guarded = (
                    samverkan_forms.ModelChoiceField,
                    samverkan_forms.ModelMultipleChoiceField,
                )
                assert isinstance(field, guarded), f"{path}.{name}"
                assert (cls, name) in tested, f"{path}.{name} is not in FORMS"
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                assert isinstance(field, samverkan_forms.DateField), f"{path}.{name}"
                assert (cls, name) in tested, f"{path}.{name} is not in FORMS"


def test_a_model_form_must_inherit_the_meta():
    with pytest.raises(TypeError, match="ModelForm.Meta"):

        class Forgetful(samverkan_forms.ModelForm):
            class Meta:
                model = Tag
                fields = ["name"]


def test_formsets_get_the_guarded_fields(world):
    formsets = forum_forms.protocol_formsets(None, world.protocol, protocol_units(world))
    unit = formsets["attendees"].forms[0].fields["unit"]
    assert isinstance(unit, samverkan_forms.ModelChoiceField)
    due_on = formsets["decisions"].forms[0].fields["due_on"]
    assert isinstance(due_on, samverkan_forms.DateField)


# --- 4. Permissions-Policy ----------------------------------------------------------------------
@pytest.mark.parametrize("url", ["healthz", "account_login"])
def test_every_response_turns_off_what_the_service_never_uses(db, client, url):
    policy = client.get(reverse(url))["Permissions-Policy"]
    directives = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb",
                    "interest-cohort", "browsing-topics"]:  # fmt: skip
        assert directives[feature] == "()", feature


def test_signed_in_pages_carry_it_too(client_for, staff):
    response = client_for(staff).get(reverse("deviations:list"))
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]


# --- 5. Choices read as words: checkboxes, not multiple selects; "Välj …", not dashes --------
@pytest.mark.parametrize("form_name", sorted(FORMS))
def test_no_form_shows_a_multiple_select_or_dashes(world, form_name):
    form = FORMS[form_name][0](world, None)
    html = str(form)
    assert not [tag for tag in re.findall(r"<select[^>]*>", html) if " multiple" in tag]
    assert "---------" not in html
