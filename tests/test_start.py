"""The start page is a to-do list (issue 11, item 1) and steering groups and BUSSAM have an
inbox (item 2): what waits for each role, with counts and days left or overdue, linking to
where one acts; who sees what; and a query count that does not grow with the data."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from samverkan.deviations import ladder
from samverkan.deviations.models import Category, Deviation, Event
from samverkan.forum.models import ForumCase, StatusChange
from samverkan.governance.models import Document, Meeting
from samverkan.organisations.models import Body, Membership, UnitMembership
from samverkan.people.models import Child
from tests.helpers import count_queries, employ, seat

TODAY = timezone.localdate()


def todo(client) -> dict:
    """The start page's to-do items, by key."""
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return {item.key: item for item in response.context["todo"]}


def make_report(reporter, unit, group, step="supervisors", **fields):
    deviation = Deviation.objects.create(
        title="Remiss besvarades inte",
        reporting_unit=unit,
        reporter=reporter,
        local_group=group,
        occurred_on=TODAY - datetime.timedelta(days=3),
        what_happened="Remissen blev liggande.",
        consequence="Väntan.",
        category=Category.objects.get(name="Oklart ansvar"),
        agreement_part="responsibility",
        step=step,
        submitted_at=None if step == "draft" else timezone.now(),
        **fields,
    )
    if step != "draft":
        deviation.reference = Deviation.next_reference(TODAY.year)
        deviation.save()
    return deviation


def make_case(staff, school, group, convener, number="20170101-2393", **fields):
    child, _ = Child.objects.get_or_create(
        personal_number=number,
        owning_unit=school,
        defaults={"first_name": "Alva", "last_name": "Exempel", "created_by": staff},
    )
    return ForumCase.objects.create(
        local_group=group,
        child=child,
        raised_by_unit=school,
        raised_by=staff,
        noticed_on=fields.pop("noticed_on", TODAY - datetime.timedelta(days=2)),
        reason="Oeniga om ansvaret.",
        convener=convener,
        **fields,
    )


@pytest.fixture
def convener(make_user, school):
    user = make_user("sammankallande@example.org")
    employ(user, school, UnitMembership.Role.MANAGER)
    return user


@pytest.fixture
def steering_member(make_user, steering):
    user = make_user("ledamot@styrgrupp.example")
    seat(steering, user, Membership.Role.MEMBER)
    return user


@pytest.fixture
def bussam():
    return Body.objects.create(
        name="BUSSAM", kind="bussam", level="county", cadence="several_per_year"
    )


@pytest.fixture
def bussam_member(make_user, bussam):
    user = make_user("bussam@example.org")
    seat(bussam, user, Membership.Role.MEMBER)
    return user


# --- each role's items ----------------------------------------------------------------------
def test_nothing_waiting(client_for, outsider):
    response = client_for(outsider).get(reverse("home"))
    assert response.context["todo"] == []
    assert "Inget väntar på dig just nu." in response.text


def test_my_drafts_and_news_about_my_reports(client_for, staff, manager, school, group):
    make_report(staff, school, group, step="draft")
    sent = make_report(staff, school, group)
    ladder.move(sent, "resolved", manager, "Rutinen förtydligad.")
    items = todo(client_for(staff))
    assert items["drafts"].count == 1
    assert items["feedback"].count == 1 and sent.reference in items["feedback"].rows[0].label
    assert "supervise" not in items  # staff, not a manager


def test_reports_waiting_for_the_nearest_supervisor(client_for, staff, manager, school, group):
    waiting = make_report(staff, school, group)
    noon = datetime.datetime.combine(TODAY - datetime.timedelta(days=5), datetime.time(12))
    Deviation.objects.filter(pk=waiting.pk).update(submitted_at=timezone.make_aware(noon))
    make_report(staff, school, group, step="resolved")
    items = todo(client_for(manager))
    item = items["supervise"]
    assert item.count == 1 and item.url.endswith("?vy=hantera")
    assert item.rows[0].days_waiting == 5 and item.rows[0].url == waiting.get_absolute_url()
    page = client_for(manager).get(reverse("home")).text
    assert "väntat 5 dagar" in page


def test_cases_i_convene_with_days_left_and_overdue(client_for, staff, school, group, convener):
    soon = make_case(staff, school, group, convener)
    late = make_case(
        staff, school, group, convener, number="20170102-2392",
        noticed_on=TODAY - datetime.timedelta(days=20),
    )  # fmt: skip
    items = todo(client_for(convener))
    item = items["cases"]
    assert item.count == 2 and item.overdue == 1
    first, second = item.rows
    assert first.url == late.get_absolute_url()
    assert first.days_overdue == (TODAY - late.deadline).days > 0
    assert second.url == soon.get_absolute_url()
    assert second.days_left == (soon.deadline - TODAY).days >= 0
    page = client_for(convener).get(reverse("home")).text
    assert "dagar kvar" in page and "försenad" in page
    assert "Alva" not in page.split('id="todo-heading"')[1].split("</section>")[0]
    # The one who raised them sees them too; someone else does not.
    assert todo(client_for(staff))["cases"].count == 2


def test_sip_follow_ups_i_chair(client_for, staff, school):
    from samverkan.sip.models import Plan

    child = Child.objects.create(
        personal_number="20170101-2393", first_name="Alva", last_name="Exempel",
        owning_unit=school, created_by=staff,
    )  # fmt: skip
    Plan.objects.create(
        child=child,
        initiating_unit=school,
        initiated_by=staff,
        reason="Behov av samordning.",
        chair=staff,
        secretary=staff,
        status=Plan.Status.ESTABLISHED,
        next_follow_up_on=TODAY - datetime.timedelta(days=3),
    )
    item = todo(client_for(staff))["follow_ups"]
    assert item.count == 1 and item.rows[0].overdue and item.rows[0].days_overdue == 3


def test_questions_waiting_for_the_steering_group(
    client_for, staff, school, group, convener, steering, steering_member, outsider
):
    case = make_case(staff, school, group, convener, status=ForumCase.Status.LIFTED)
    case.principled_question = "Vem ansvarar?"
    case.save()
    lifted = StatusChange.objects.create(case=case, status=ForumCase.Status.LIFTED, by=convener)
    # Noon, 61 local days ago: "now minus 61 days" is 60 local days late in the evening
    # when summer time lay between.
    noon = datetime.datetime.combine(TODAY - datetime.timedelta(days=61), datetime.time(12))
    StatusChange.objects.filter(pk=lifted.pk).update(at=timezone.make_aware(noon))
    report = make_report(staff, school, group, step="steering", is_principled=True)
    Event.objects.create(deviation=report, from_step="supervisors", to_step="steering", by=convener)
    item = todo(client_for(steering_member))[f"inbox-{steering.pk}"]
    assert item.count == 2 and item.overdue == 1
    assert item.url == reverse("agenda:inbox", args=[steering.pk])
    # The inbox itself.
    response = client_for(steering_member).get(item.url)
    assert response.status_code == 200
    text = response.text
    assert case.reference in text and "Vem ansvarar?" in text and report.reference in text
    assert "Försenad" in text and "61 dagar" in text
    assert "Alva" not in text
    assert client_for(outsider).get(item.url).status_code == 403


def test_another_groups_steering_member_sees_nothing_of_it(
    client_for, make_user, staff, school, group, convener, steering
):
    from samverkan.organisations.models import LocalGroup

    other_group = LocalGroup.objects.create(name="BUS Annanstans", slug="annanstans")
    other = Body.objects.create(
        name="Styrgrupp", kind="steering", level="local", local_group=other_group,
        cadence="per_term",
    )  # fmt: skip
    stranger = make_user("annan@styrgrupp.example")
    seat(other, stranger, Membership.Role.CHAIR)
    make_case(staff, school, group, convener, status=ForumCase.Status.LIFTED)
    assert f"inbox-{steering.pk}" not in todo(client_for(stranger))
    assert f"inbox-{other.pk}" not in todo(client_for(stranger))  # nothing waits for it
    response = client_for(stranger).get(reverse("agenda:inbox", args=[steering.pk]))
    assert response.status_code == 403


def test_bussam_inbox_and_its_members(client_for, staff, school, group, bussam, bussam_member):
    report = make_report(staff, school, group, step="bussam", is_principled=True)
    item = todo(client_for(bussam_member))[f"inbox-{bussam.pk}"]
    assert item.count == 1 and report.reference in item.rows[0].label


def test_the_secretariat_sees_unread_reports_and_documents_past_review(
    client_for, secretariat, staff, school, group
):
    make_report(staff, school, group)
    Document.objects.create(
        title="Rutin för SIP", kind="routine", updated_on=TODAY, editor=staff,
        review_due_on=TODAY - datetime.timedelta(days=1),
    )  # fmt: skip
    items = todo(client_for(secretariat))
    assert items["unread"].count == 1 and items["unread"].url.endswith("?last=olasta")
    assert items["past_review"].count == 1
    # The editor has it on their list too.
    assert todo(client_for(staff))["reviews"].count == 1


def test_meetings_without_minutes(client_for, steering, steering_member, secretariat):
    Meeting.objects.create(
        body=steering, held_on=TODAY - datetime.timedelta(days=10), created_by=secretariat
    )
    Meeting.objects.create(
        body=steering, held_on=TODAY + datetime.timedelta(days=10), created_by=secretariat
    )
    item = todo(client_for(steering_member))["minutes"]
    assert item.count == 1 and item.rows[0].days_waiting == 10


def test_the_inbox_needs_a_login_and_a_body_with_one(
    client, client_for, steering, group, steering_member
):
    response = client.get(reverse("agenda:inbox", args=[steering.pk]))
    assert response.status_code == 302 and "/konto/login/" in response["Location"]
    working = Body.objects.create(
        name="Arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )
    assert (
        client_for(steering_member).get(reverse("agenda:inbox", args=[working.pk])).status_code
        == 404
    )


# --- the query count --------------------------------------------------------------------------
def test_the_start_page_query_count_does_not_grow_with_the_data(
    client_for, staff, manager, school, group, convener, steering, secretariat
):
    seat(steering, manager, Membership.Role.CHAIR)
    seat(steering, convener, Membership.Role.MEMBER)

    def grow(n):
        for i in range(n):
            make_report(staff, school, group)
            make_report(staff, school, group, step="steering", is_principled=True)
            make_case(staff, school, group, convener)
            Meeting.objects.create(
                body=steering, held_on=TODAY - datetime.timedelta(days=i + 1),
                created_by=secretariat,
            )  # fmt: skip

    grow(2)
    counts = {}
    for user in (staff, manager, convener, secretariat):
        counts[user.pk] = count_queries(client_for(user), reverse("home"))[1]
    grow(12)
    for user in (staff, manager, convener, secretariat):
        _, later = count_queries(client_for(user), reverse("home"))
        assert later == counts[user.pk], f"{user}: {counts[user.pk]} queries, then {later}"


# --- putting questions on meetings and deciding them (item 2) ----------------------------------
@pytest.fixture
def chair(make_user, steering):
    user = make_user("ordf@styrgrupp.example")
    seat(steering, user, Membership.Role.CHAIR)
    return user


@pytest.fixture
def lifted_case(staff, school, group, convener):
    case = make_case(staff, school, group, convener, status=ForumCase.Status.LIFTED)
    case.principled_question = "Vem ansvarar?"
    case.save()
    StatusChange.objects.create(case=case, status=ForumCase.Status.LIFTED, by=convener)
    return case


@pytest.fixture
def planned(steering, secretariat):
    return Meeting.objects.create(
        body=steering, held_on=TODAY + datetime.timedelta(days=7), created_by=secretariat
    )


def put(client, body, kind, question, meeting):
    return client.post(
        reverse("agenda:put_on", args=[body.pk]),
        {"kind": kind, "question": question.pk, "meeting": meeting.pk},
        follow=True,
    )


def test_a_case_is_put_on_a_meeting_and_decided(
    client_for,
    staff,
    convener,
    chair,
    steering,
    lifted_case,
    planned,
    django_capture_on_commit_callbacks,
):
    from samverkan.agenda.models import AgendaItem
    from samverkan.notifications.models import Notification

    client = client_for(chair)
    response = put(client, steering, "case", lifted_case, planned)
    assert "står på dagordningen" in response.text
    item = AgendaItem.objects.get()
    assert item.meeting == planned and item.forum_case == lifted_case
    # Twice on the same meeting: refused.
    response = put(client, steering, "case", lifted_case, planned)
    assert "redan på dagordningen" in response.text and AgendaItem.objects.count() == 1
    response = client.post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Arbetsgruppen tar fram en rutin.", "outcome": "decided"},
    )
    assert response.status_code == 302
    lifted_case.refresh_from_db()
    item.refresh_from_db()
    assert lifted_case.status == ForumCase.Status.DECIDED
    assert lifted_case.steering_decision == "Arbetsgruppen tar fram en rutin."
    assert (
        lifted_case.steering_decided_by == chair
        and lifted_case.steering_decided_on == planned.held_on
    )
    assert item.decided_by == chair and item.outcome == "decided"
    assert Notification.objects.filter(user=staff, text__contains="beslutat").exists()
    # Deciding twice: refused, nothing changed.
    response = client.post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Något annat.", "outcome": "decided"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == "Arbetsgruppen tar fram en rutin."


def test_putting_a_question_on_a_meeting_tells_the_body_and_who_waits(
    client_for, staff, convener, chair, steering_member, outsider, steering, lifted_case, planned
):
    from samverkan.notifications.models import Notification

    put(client_for(chair), steering, "case", lifted_case, planned)
    text = (
        f"{lifted_case.reference} har lagts på dagordningen för {steering}, "
        f"mötet {planned.held_on.isoformat()}."
    )
    told = {n.user: n for n in Notification.objects.filter(text=text)}
    assert set(told) == {steering_member, staff, convener}  # not the chair who did it
    assert told[steering_member].url == reverse("agenda:inbox", args=[steering.pk])
    assert told[staff].url == told[convener].url == lifted_case.get_absolute_url()
    assert not Notification.objects.filter(user__in=[chair, outsider], text=text).exists()
    # A refused second placing tells nobody again.
    put(client_for(chair), steering, "case", lifted_case, planned)
    assert Notification.objects.filter(text=text).count() == 3


def test_a_meeting_of_another_body_is_refused(
    client_for, chair, steering, lifted_case, group, secretariat
):
    from samverkan.agenda.models import AgendaItem

    working = Body.objects.create(
        name="Arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )
    elsewhere = Meeting.objects.create(
        body=working, held_on=TODAY + datetime.timedelta(days=3), created_by=secretariat
    )
    response = put(client_for(chair), steering, "case", lifted_case, elsewhere)
    assert "ett av organets planerade möten." in response.text
    held = Meeting.objects.create(
        body=steering, held_on=TODAY - datetime.timedelta(days=3), created_by=secretariat
    )
    response = put(client_for(chair), steering, "case", lifted_case, held)
    assert "ett av organets planerade möten." in response.text
    assert not AgendaItem.objects.exists()


def test_a_member_without_a_leading_seat_may_not_place_or_decide(
    client_for, steering, steering_member, lifted_case, planned, chair
):
    from samverkan.agenda.models import AgendaItem

    response = client_for(steering_member).post(
        reverse("agenda:put_on", args=[steering.pk]),
        {"kind": "case", "question": lifted_case.pk, "meeting": planned.pk},
    )
    assert response.status_code == 403 and not AgendaItem.objects.exists()
    item = AgendaItem.objects.create(meeting=planned, forum_case=lifted_case, added_by=chair)
    response = client_for(steering_member).get(reverse("agenda:decision", args=[item.pk]))
    assert response.status_code == 403


def test_a_report_is_sent_on_to_bussam_then_decided_there(
    client_for, staff, school, group, manager, chair, steering, planned, bussam, bussam_member,
    secretariat,
):  # fmt: skip
    from samverkan.agenda.models import AgendaItem
    from samverkan.notifications.models import Notification

    report = make_report(staff, school, group, step="steering", is_principled=True)
    Event.objects.create(deviation=report, from_step="supervisors", to_step="steering", by=manager)
    put(client_for(chair), steering, "report", report, planned)
    item = AgendaItem.objects.get()
    response = client_for(chair).post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Frågan behöver en regional riktlinje.", "outcome": "sent_on"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.step == "bussam"
    bussam_meeting = Meeting.objects.create(
        body=bussam, held_on=TODAY + datetime.timedelta(days=14), created_by=secretariat
    )
    put(client_for(secretariat), bussam, "report", report, bussam_meeting)
    item = AgendaItem.objects.get(meeting=bussam_meeting)
    # BUSSAM's decision cannot be "sent on".
    response = client_for(secretariat).post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Riktlinje tas fram.", "outcome": "sent_on"},
    )
    assert response.status_code == 200 and "Välj ett giltigt alternativ" in response.text
    response = client_for(secretariat).post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Riktlinje tas fram.", "outcome": "decided"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.step == "resolved" and report.outcome == "Riktlinje tas fram."
    # The decision returns to the local group's steering group and the secretariat.
    assert Notification.objects.filter(user=chair, text__contains="BUSSAM har beslutat").exists()
    assert Notification.objects.filter(
        user=secretariat, text__contains="BUSSAM har beslutat"
    ).exists()
    assert Notification.objects.filter(user=staff, text__contains="avslutad").exists()


def test_a_decision_may_not_identify_anyone(client_for, chair, steering, lifted_case, planned):
    from samverkan.agenda.models import AgendaItem

    item = AgendaItem.objects.create(meeting=planned, forum_case=lifted_case, added_by=chair)
    response = client_for(chair).post(
        reverse("agenda:decision", args=[item.pk]),
        {"decision": "Gäller 20170101-2393.", "outcome": "decided"},
    )
    assert response.status_code == 200 and "personnummer" in response.text
    lifted_case.refresh_from_db()
    assert lifted_case.status == ForumCase.Status.LIFTED and not lifted_case.steering_decision


def test_bodies_that_have_not_met_this_period(client_for, steering, steering_member, secretariat):
    from samverkan.organisations.terms import Term

    items = todo(client_for(steering_member))
    if Term.containing(TODAY) is None:  # July: between the terms, nothing is asked
        assert "not_met" not in items
        return
    assert (
        items["not_met"].count == 1 and items["not_met"].rows[0].url == steering.get_absolute_url()
    )
    assert todo(client_for(secretariat))["groups_not_met"].count >= 1
    Meeting.objects.create(body=steering, held_on=TODAY, created_by=secretariat)
    assert "not_met" not in todo(client_for(steering_member))


def test_the_inbox_query_count_does_not_grow_with_what_waits(
    client_for, chair, steering, staff, school, bup, group, convener, planned
):
    from tests.helpers import employ

    employ(chair, bup)  # a chair who works at a unit is asked about each case's parties
    url = reverse("agenda:inbox", args=[steering.pk])

    def grow(n):
        for _ in range(n):
            make_case(staff, school, group, convener, status=ForumCase.Status.LIFTED)
            make_report(staff, school, group, step="steering", is_principled=True)

    grow(1)
    _, few = count_queries(client_for(chair), url)
    grow(10)
    response, many = count_queries(client_for(chair), url)
    assert len(response.context["cases"]) == 11 and len(response.context["reports"]) == 11
    assert many == few
