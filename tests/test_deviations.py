"""Deviation reports: the form, no identity, drafts, check-and-send, the ladder with its
permissions, actions and feedback to the reporter."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum import luhn

from samverkan.audit.models import AccessLog
from samverkan.deviations import ladder
from samverkan.deviations.models import Action, Category, Deviation
from samverkan.forum.models import ForumCase
from samverkan.identity import find_identity
from samverkan.notifications.models import Notification
from samverkan.organisations.models import Body, Membership, Unit, UnitMembership
from tests.helpers import employ, seat

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


# --- the identity check -----------------------------------------------------------------------
def personal_number(day: datetime.date, serial: int, coordination: bool) -> str:
    dd = day.day + (60 if coordination else 0)
    body = f"{day:%y%m}{dd:02d}{serial:03d}"
    return body + luhn.calc_check_digit(body)


def formats(number10: str, day: datetime.date) -> list[str]:
    century = str(day.year)[:2]
    return [number10, f"{number10[:6]}-{number10[6:]}", century + number10,
            f"{century}{number10[:6]}-{number10[6:]}"]  # fmt: skip


DATES = st.dates(min_value=datetime.date(1930, 1, 1), max_value=datetime.date(2025, 12, 31))


@settings(max_examples=150, deadline=None)
@given(day=DATES, serial=st.integers(1, 999), coordination=st.booleans(), form=st.integers(0, 3))
def test_valid_numbers_are_found_in_any_format(day, serial, coordination, form):
    number = formats(personal_number(day, serial, coordination), day)[form]
    findings = find_identity(f"Barnet med nummer {number} fick vänta.")
    assert [(f.kind, f.text) for f in findings] == [("personal_number", number)]


@settings(max_examples=150, deadline=None)
@given(day=DATES, serial=st.integers(1, 999), wrong=st.integers(1, 9))
def test_numbers_with_a_wrong_check_digit_are_not_flagged(day, serial, wrong):
    valid = personal_number(day, serial, False)
    invalid = valid[:-1] + str((int(valid[-1]) + wrong) % 10)
    assert not [
        f
        for f in find_identity(f"Ärende {invalid[:6]}-{invalid[6:]}")
        if f.kind == "personal_number"
    ]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mejla anna.andersson@skolan.se", "email"),
        ("ring 070-123 45 67", "phone"),
        ("ring +46 70 123 45 67", "phone"),
        ("växeln 08-123 456 78", "phone"),
        ("mobil 0701234567", "phone"),
    ],
)
def test_contact_details_are_found(text, kind):
    assert [f.kind for f in find_identity(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "Mötet 2026-11-23 kl 10:00",
        "Ärende IF-2026-0001 och AV-2026-0012",
        "33 grupper, 450 rapporter",
        "Väntade 120 dagar på BUP",
        "Rum 2, plan 3",
    ],
)
def test_ordinary_text_is_not_flagged(text):
    assert find_identity(text) == []


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def category(db):
    return Category.objects.get(name="Oklart ansvar")


@pytest.fixture
def bup_manager(make_user, bup):
    user = make_user("chef@bup.example", first_name="Britt", last_name="Bup")
    employ(user, bup, UnitMembership.Role.MANAGER)
    return user


@pytest.fixture
def steering_chair(make_user, steering):
    user = make_user("ordf@styrgrupp.example")
    seat(steering, user, Membership.Role.CHAIR)
    return user


@pytest.fixture
def bussam_member(make_user):
    body = Body.objects.create(name="BUSSAM", kind="bussam", level="county", cadence="yearly")
    user = make_user("bussam@example.org")
    seat(body, user, Membership.Role.CHAIR)
    return user


def form_data(school, group, bup, category, **overrides):
    data = {
        "reporting_unit": school.pk,
        "local_group": group.pk,
        "title": "Remiss till BUP besvarades inte",
        "occurred_on": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "other_units": [bup.pk],
        "what_happened": "Skolan skickade en remiss som inte besvarades på sex veckor.",
        "consequence": "Barnet fick vänta på stöd.",
        "done_locally": "Rektor har ringt mottagningen.",
        "category": category.pk,
        "agreement_part": "responsibility",
    }
    return {**data, **overrides}


@pytest.fixture
def submitted(client_for, staff, school, group, bup, category):
    client = client_for(staff)
    client.post(reverse("deviations:new"), form_data(school, group, bup, category))
    deviation = Deviation.objects.get()
    client.post(reverse("deviations:check", args=[deviation.pk]))
    deviation.refresh_from_db()
    return deviation


# --- the form ---------------------------------------------------------------------------------
def test_draft_then_check_then_send(client_for, staff, school, group, bup, category):
    client = client_for(staff)
    response = client.post(reverse("deviations:new"), form_data(school, group, bup, category))
    assert response.status_code == 302 and response.url == reverse("deviations:list")
    draft = Deviation.objects.get()
    assert draft.step == "draft" and draft.reference is None and draft.reporter == staff
    # Finish later: the draft reopens in the form.
    assert client.get(reverse("deviations:edit", args=[draft.pk])).status_code == 200
    response = client.post(
        reverse("deviations:edit", args=[draft.pk]),
        form_data(school, group, bup, category, granska="1", title="Remiss obesvarad"),
    )
    assert response.url == reverse("deviations:check", args=[draft.pk])
    assert "Remiss obesvarad" in client.get(response.url).text
    response = client.post(reverse("deviations:check", args=[draft.pk]))
    assert response.url == reverse("deviations:sent", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.step == "supervisors" and draft.reference == f"AV-{TODAY.year}-0001"
    assert draft.title == "Remiss obesvarad"
    assert draft.events.get().to_step == "supervisors"
    assert draft.reference in client.get(response.url).text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("what_happened", "Barnet 20170101-2393 fick vänta.", "personnummer"),
        ("consequence", "Mamman nås på 070-123 45 67.", "telefonnummer"),
        ("done_locally", "Mejlat pappa@hemma.se", "e-postadress"),
        ("title", "Remiss för 701063-2391", "personnummer"),
    ],
)
def test_identity_in_free_text_is_refused_and_nothing_saved(
    client_for, staff, school, group, bup, category, field, value, message
):
    response = client_for(staff).post(
        reverse("deviations:new"), form_data(school, group, bup, category, **{field: value})
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors[field])
    assert message in errors and "Ta bort" in errors
    assert not Deviation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"occurred_on": (TODAY + datetime.timedelta(days=1)).isoformat()},
            "occurred_on",
            "framtiden",
        ),
        ({"other_units": []}, "other_units", "minst en annan part"),
        ({"what_happened": ""}, "what_happened", "Fyll i vad hände."),
    ],
)
def test_bad_input_is_refused(
    client_for, staff, school, group, bup, category, overrides, field, message
):
    response = client_for(staff).post(
        reverse("deviations:new"), form_data(school, group, bup, category, **overrides)
    )
    assert message in " ".join(response.context["form"].errors[field])
    assert not Deviation.objects.exists()


def test_a_principal_can_be_the_other_party(
    client_for, staff, school, group, bup, category, region
):
    client_for(staff).post(
        reverse("deviations:new"),
        form_data(school, group, bup, category, other_units=[], other_principals=[region.pk]),
    )
    assert list(Deviation.objects.get().other_principals.all()) == [region]


def test_reporting_needs_a_unit(client, client_for, outsider, secretariat):
    assert client.get(reverse("deviations:new")).status_code == 302
    assert client_for(outsider).get(reverse("deviations:new")).status_code == 403
    assert client_for(secretariat).get(reverse("deviations:list")).status_code == 403


def test_drafts_are_the_reporters_own(client_for, staff, manager, school, group, bup, category):
    client_for(staff).post(reverse("deviations:new"), form_data(school, group, bup, category))
    draft = Deviation.objects.get()
    assert client_for(manager).get(reverse("deviations:edit", args=[draft.pk])).status_code == 404
    assert client_for(manager).get(draft.get_absolute_url()).status_code == 404
    assert client_for(manager).post(reverse("deviations:check", args=[draft.pk])).status_code == 404
    response = client_for(manager).post(
        reverse("deviations:edit", args=[draft.pk]),
        form_data(school, group, bup, category, title="Överskrivet"),
    )
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Remiss till BUP besvarades inte" and draft.step == "draft"
    # Each refusal is logged with the report it was about.
    refusals = AccessLog.objects.filter(user=manager, action="denied")
    assert refusals.count() == 4
    assert set(refusals.values_list("object_type", "object_id", "status_code")) == {
        ("deviations.deviation", str(draft.pk), 404)
    }


def test_a_submitted_report_can_no_longer_be_edited_by_its_reporter(
    client_for, submitted, staff, school, group, bup, category
):
    client = client_for(staff)
    for name in ("edit", "check"):
        assert client.get(reverse(f"deviations:{name}", args=[submitted.pk])).status_code == 403
    response = client.post(
        reverse("deviations:edit", args=[submitted.pk]),
        form_data(school, group, bup, category, title="Ändrat efteråt"),
    )
    assert response.status_code == 403
    assert client.post(reverse("deviations:check", args=[submitted.pk])).status_code == 403
    submitted.refresh_from_db()
    assert submitted.title == "Remiss till BUP besvarades inte"
    assert submitted.events.count() == 1  # not sent twice
    refusals = AccessLog.objects.filter(user=staff, action="denied")
    assert refusals.count() == 4
    assert set(refusals.values_list("object_type", "object_id", "status_code")) == {
        ("deviations.deviation", str(submitted.pk), 403)
    }


def test_the_receipt_is_for_the_reporter_only(client_for, submitted, staff, manager):
    url = reverse("deviations:sent", args=[submitted.pk])
    response = client_for(staff).get(url)
    assert response.status_code == 200 and submitted.reference in response.text
    # The manager may see the report, but the receipt is the reporter's.
    assert client_for(manager).get(submitted.get_absolute_url()).status_code == 200
    assert client_for(manager).get(url).status_code == 403
    assert AccessLog.objects.filter(user=manager, action="denied", status_code=403).exists()


# --- who sees a report ------------------------------------------------------------------------
def test_who_sees_a_submitted_report(
    client_for, submitted, staff, manager, bup_manager, secretariat, outsider, steering_chair
):
    url = submitted.get_absolute_url()
    for user in (staff, manager, bup_manager, steering_chair):
        assert client_for(user).get(url).status_code == 200, user
    response = client_for(secretariat).get(url)
    assert response.status_code == 200
    assert "Kim Kurator" not in response.text  # the secretariat sees it without the reporter
    assert "Kim Kurator" in client_for(manager).get(url).text
    assert client_for(outsider).get(url).status_code == 404
    assert AccessLog.objects.filter(action="view", object_type="deviations.deviation").exists()


# --- the ladder -------------------------------------------------------------------------------
def step(client, deviation, to_step, note="Hanterat", **extra):
    return client.post(
        reverse("deviations:step", args=[deviation.pk]), {"to_step": to_step, "note": note, **extra}
    )


def test_supervisor_resolves_and_the_reporter_is_told(
    client_for, submitted, manager, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = step(
            client_for(manager), submitted, "resolved", "Rutinen för remisser är förtydligad."
        )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.step == "resolved" and submitted.outcome.startswith("Rutinen")
    notice = Notification.objects.get(user=staff)
    assert "avslutad" in notice.text and notice.url == submitted.get_absolute_url()
    assert mail.outbox and mail.outbox[-1].to == [staff.email]
    assert "Rutinen för remisser" in mail.outbox[-1].body
    assert [e.to_step for e in submitted.events.all()] == ["supervisors", "resolved"]
    assert submitted.events.last().by == manager


def test_staff_cannot_move_the_report(client_for, submitted, staff):
    step(client_for(staff), submitted, "resolved")
    submitted.refresh_from_db()
    assert submitted.step == "supervisors"


def test_principled_goes_to_steering_then_bussam(
    client_for, submitted, bup_manager, steering_chair, bussam_member, manager
):
    response = step(client_for(bup_manager), submitted, "steering")
    assert "Ange frågan" in response.text  # the question is required
    step(
        client_for(bup_manager),
        submitted,
        "steering",
        principled_question="Vem ansvarar för remisser?",
    )
    submitted.refresh_from_db()
    assert submitted.step == "steering" and submitted.is_principled
    step(client_for(manager), submitted, "bussam")  # a supervisor may not lift to BUSSAM
    submitted.refresh_from_db()
    assert submitted.step == "steering"
    step(client_for(steering_chair), submitted, "bussam", "Länsövergripande fråga")
    submitted.refresh_from_db()
    assert submitted.step == "bussam"
    assert client_for(bussam_member).get(submitted.get_absolute_url()).status_code == 200
    step(client_for(bussam_member), submitted, "resolved", "BUSSAM tar fram en riktlinje.")
    submitted.refresh_from_db()
    assert submitted.step == "resolved"
    assert [e.to_step for e in submitted.events.all()] == [
        "supervisors",
        "steering",
        "bussam",
        "resolved",
    ]


def test_resolving_what_was_lifted_to_bussam_is_out_of_order(
    client_for, submitted, manager, steering_chair, bup_manager
):
    ladder.move(submitted, "steering", bup_manager, "x", principled_question="Fråga")
    ladder.move(submitted, "bussam", steering_chair, "y")
    response = step(client_for(manager), submitted, "resolved")
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.step == "bussam"
    with pytest.raises(ladder.LadderError, match="BUS-sekretariatet eller ledamot i BUSSAM"):
        ladder.check_move(submitted, "resolved", manager)
    with pytest.raises(ladder.LadderError, match="kan inte gå från"):
        ladder.check_move(submitted, "forum", steering_chair)


def test_lift_to_the_individforum_creates_a_linked_case(
    client_for, submitted, manager, school, group, make_user, working=None
):
    working = Body.objects.create(name="BUS arbetsgrupp", kind="working", level="local",
                                  local_group=group, cadence="per_term")  # fmt: skip
    seat(working, manager, Membership.Role.CONVENER, unit=school)
    client = client_for(manager)
    step(client, submitted, "forum", "Behöver samordnad planering")
    response = client.get(reverse("deviations:to_forum", args=[submitted.pk]))
    assert response.status_code == 200
    response = client.post(
        reverse("deviations:to_forum", args=[submitted.pk]),
        {
            "raised_by_unit": school.pk, "local_group": group.pk,
            "personal_number": "20170101-2393", "first_name": "Alva", "last_name": "Exempel",
            "noticed_on": TODAY.isoformat(), "reason": "Se avvikelsen", "convener": manager.pk,
        },
    )  # fmt: skip
    case = ForumCase.objects.get()
    assert response.status_code == 302 and response.url == case.get_absolute_url()
    submitted.refresh_from_db()
    assert submitted.step == "forum" and submitted.forum_case == case
    assert submitted.events.last().note == "Behöver samordnad planering"
    # The report itself still carries no identity.
    assert "Alva" not in Deviation.objects.values_list("what_happened", flat=True)[0]


# --- actions ----------------------------------------------------------------------------------
def test_an_open_action_blocks_closing(client_for, submitted, manager, school):
    client = client_for(manager)
    response = client.post(
        reverse("deviations:add_action", args=[submitted.pk]),
        {"text": "Ny remissrutin", "owner": school.pk,
         "due_on": (TODAY + datetime.timedelta(days=30)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.step == "supervisors"
    step(client, submitted, "resolved")
    submitted.refresh_from_db()
    assert submitted.step == "supervisors"
    client.post(reverse("deviations:finish_action", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "done"
    step(client, submitted, "resolved")
    submitted.refresh_from_db()
    assert submitted.step == "resolved"


def test_action_input_is_checked(client_for, submitted, manager, school, staff):
    client = client_for(manager)
    response = client.post(
        reverse("deviations:add_action", args=[submitted.pk]),
        {"text": "Ring 070-123 45 67", "owner": school.pk, "due_on": "2000-01-01"},
    )
    errors = response.context["form"].errors
    assert "telefonnummer" in " ".join(errors["text"]) and "passerat" in " ".join(errors["due_on"])
    assert not Action.objects.exists()
    assert (
        client_for(staff).get(reverse("deviations:add_action", args=[submitted.pk])).status_code
        == 403
    )


def test_every_deviation_page_needs_login(client, submitted):
    client.logout()  # the fixture logged the shared test client in
    for name in ("list", "new"):
        assert client.get(reverse(f"deviations:{name}")).status_code == 302
    for name in ("detail", "edit", "check", "sent", "step", "to_forum", "add_action"):
        response = client.get(reverse(f"deviations:{name}", args=[submitted.pk]))
        assert response.status_code == 302 and "/konto/login/" in response.url, name


def test_outsiders_get_404(client_for, submitted, make_user, area, municipality):
    other = Unit.objects.create(
        principal=municipality, name="Annan skola", kind="preschool", area=area
    )
    stranger = make_user("annan@example.org")
    employ(stranger, other)
    client = client_for(stranger)
    for name in ("detail", "edit", "check", "sent", "step", "to_forum", "add_action"):
        assert client.get(reverse(f"deviations:{name}", args=[submitted.pk])).status_code == 404, (
            name
        )


def test_lists_show_each_user_their_own(
    client_for,
    submitted,
    staff,
    manager,
    bup_manager,
    make_user,
    area,
    municipality,
    school,
    group,
    bup,
    category,
):
    client_for(staff).post(
        reverse("deviations:new"), form_data(school, group, bup, category, title="Mitt utkast")
    )

    def titles(user, view="mina"):
        response = client_for(user).get(reverse("deviations:list"), {"vy": view})
        assert response.status_code == 200
        return {d.title for d in response.context["page"]}

    assert titles(staff) == {"Remiss till BUP besvarades inte", "Mitt utkast"}
    assert titles(manager) == {"Remiss till BUP besvarades inte"}  # drafts are the reporter's
    assert titles(bup_manager, "hantera") == {"Remiss till BUP besvarades inte"}
    assert titles(staff, "hantera") == set()  # staff manage nothing
    other = Unit.objects.create(
        principal=municipality, name="Annan skola", kind="preschool", area=area
    )
    stranger = make_user("annan@example.org")
    employ(stranger, other)
    assert titles(stranger) == set()
