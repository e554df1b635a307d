"""Assignments (issue 11, item 4): given by a steering group, BUSSAM, a meeting or a step of
a deviation report to a person or a body; "Mina uppdrag" and each body's list; closing with
a note; overdue reminders from ``send_reminders``. Who may see, give and close; bad input
refused at the field with nothing saved."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.assignments.forms import (
    BOTH_ASSIGNEES,
    DUE_PASSED,
    FORMER_MEMBER,
    NO_ASSIGNEE,
)
from samverkan.assignments.models import Assignment
from samverkan.assignments.reminders import send_assignment_reminders
from samverkan.audit.models import AccessLog
from samverkan.deviations.models import Category, Deviation
from samverkan.governance.models import Meeting
from samverkan.notifications.models import Notification
from samverkan.organisations.models import Body, LocalGroup, Membership
from samverkan.start.todo import items
from tests.helpers import count_queries, seat

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
LOGIN = "/konto/login/"


# --- people and bodies ------------------------------------------------------------------------
@pytest.fixture
def working(group):
    return Body.objects.create(
        name="BUS arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )


@pytest.fixture
def chair(make_user, steering):
    """Chair of the group's steering group: gives assignments for it."""
    user = make_user("ordf@styr.example", first_name="Stina", last_name="Styr")
    seat(steering, user, Membership.Role.CHAIR)
    return user


@pytest.fixture
def member(make_user, steering):
    """A plain member of the steering group: sees its assignments, does not give them."""
    user = make_user("ledamot@styr.example", first_name="Lars", last_name="Ledamot")
    seat(steering, user)
    return user


@pytest.fixture
def worker(make_user, working):
    """A member of the working group, which the assignments go to."""
    user = make_user("arbete@grupp.example", first_name="Alma", last_name="Arbete")
    seat(working, user)
    return user


@pytest.fixture
def former(make_user, working):
    """Sat in the working group until last month."""
    user = make_user("tidigare@grupp.example", first_name="Tove", last_name="Tidigare")
    Membership.objects.create(
        body=working,
        user=user,
        function="Enhetschef",
        valid_from=TODAY - datetime.timedelta(days=400),
        valid_to=TODAY - datetime.timedelta(days=30),
    )
    return user


@pytest.fixture
def other_steering(db):
    group = LocalGroup.objects.create(name="BUS Annanstad", slug="annanstad")
    return Body.objects.create(
        name="BUS lokal styrgrupp",
        kind="steering",
        level="local",
        local_group=group,
        cadence="per_term",
    )


@pytest.fixture
def other_chair(make_user, other_steering):
    """Chair of another group's steering group."""
    user = make_user("ordf@annanstad.example", first_name="Olle", last_name="Annan")
    seat(other_steering, user, Membership.Role.CHAIR)
    return user


def give(by, to=None, *, body=None, **fields):
    """An assignment from the steering group (``body``) to a person or a body."""
    fields.setdefault("due_on", TODAY + datetime.timedelta(days=30))
    fields.setdefault("title", "Ta fram en rutin för skolbyten")
    if to is not None and isinstance(to, Body):
        fields["assignee_body"] = to
    elif to is not None:
        fields["assignee_user"] = to
    return Assignment.objects.create(given_by_body=body, created_by=by, **fields)


@pytest.fixture
def assignment(chair, steering, working, worker):
    return give(chair, working, body=steering)


def about(assignment):
    return Notification.objects.filter(about=f"assignments.assignment:{assignment.pk}")


def give_url(body=None, deviation=None, meeting=None):
    if deviation is not None:
        return reverse("assignments:give_for_deviation", args=[deviation])
    url = reverse("assignments:give", args=[body])
    return f"{url}?mote={meeting}" if meeting is not None else url


def form_data(**overrides):
    data = {
        "title": "Kartlägg väntetider till BUP",
        "description": "Redovisa till styrgruppens nästa möte.",
        "assignee_user": "",
        "assignee_body": "",
        "due_on": (TODAY + datetime.timedelta(days=14)).isoformat(),
    }
    return {**data, **overrides}


# --- every view: anonymous, outsider, the rightful role ---------------------------------------
def urls(assignment, steering):
    return {
        "mine": reverse("assignments:mine"),
        "body": reverse("assignments:body", args=[steering.pk]),
        "give": give_url(steering.pk),
        "detail": reverse("assignments:detail", args=[assignment.pk]),
        "close": reverse("assignments:close", args=[assignment.pk]),
    }


def test_every_page_needs_login(client, assignment, steering):
    for name, url in urls(assignment, steering).items():
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(LOGIN), name
    response = client.post(
        reverse("assignments:close", args=[assignment.pk]), {"closing_note": "x"}
    )
    assert response.url.startswith(LOGIN)
    assert Assignment.objects.get().is_open


def test_an_outsider_sees_only_an_empty_list_of_their_own(
    client_for, outsider, assignment, steering
):
    client = client_for(outsider)
    found = urls(assignment, steering)
    response = client.get(found["mine"])
    assert response.status_code == 200 and assignment.title not in response.text
    assert client.get(found["body"]).status_code == 403
    assert client.get(found["give"]).status_code == 403
    assert client.get(found["detail"]).status_code == 404
    assert client.get(found["close"]).status_code == 404
    response = client.post(found["close"], {"closing_note": "Klart."})
    assert response.status_code == 404
    assert Assignment.objects.get().is_open
    refused = AccessLog.objects.filter(
        user=outsider, action=AccessLog.Action.DENIED, object_id=str(assignment.pk)
    )
    assert refused.exists(), "the refusal is logged with the assignment"


def test_the_rightful_roles_get_each_page(
    client_for, chair, worker, secretariat, assignment, steering
):
    found = urls(assignment, steering)
    client = client_for(chair)
    for name in ["mine", "body", "give", "detail"]:
        assert client.get(found[name]).status_code == 200, name
    client = client_for(worker)
    response = client.get(found["mine"])
    assert response.status_code == 200 and assignment.title in response.text
    assert client.get(found["detail"]).status_code == 200
    assert client.get(found["close"]).url == found["detail"], "a GET of the POST route"
    client = client_for(secretariat)
    for name in ["body", "give", "detail"]:
        assert client.get(found[name]).status_code == 200, name


def test_another_groups_steering_group_neither_sees_nor_closes(
    client_for, other_chair, assignment, steering, other_steering
):
    client = client_for(other_chair)
    found = urls(assignment, steering)
    assert assignment.title not in client.get(found["mine"]).text
    assert client.get(found["body"]).status_code == 403
    assert client.get(found["give"]).status_code == 403
    assert client.get(found["detail"]).status_code == 404
    assert client.post(found["close"], {"closing_note": "Klart."}).status_code == 404
    assert Assignment.objects.get(pk=assignment.pk).is_open
    # Their own body's page is theirs, and this group's assignment is not on it.
    response = client.get(reverse("assignments:body", args=[other_steering.pk]))
    assert response.status_code == 200 and assignment.title not in response.text


def test_a_plain_member_sees_but_neither_gives_nor_closes(client_for, member, assignment, steering):
    client = client_for(member)
    found = urls(assignment, steering)
    assert client.get(found["detail"]).status_code == 200
    assert client.get(found["body"]).status_code == 200
    assert client.get(found["give"]).status_code == 403
    assert client.post(found["close"], {"closing_note": "Klart."}).status_code == 403
    assert Assignment.objects.get(pk=assignment.pk).is_open


def test_a_unit_worker_without_a_seat_sees_nothing(client_for, staff, assignment, steering):
    client = client_for(staff)
    found = urls(assignment, steering)
    assert client.get(found["detail"]).status_code == 404
    assert client.get(found["body"]).status_code == 403


def test_nothing_to_give_for_answers_404(client_for, chair, steering, other_steering):
    client = client_for(chair)
    assert client.get(give_url(999999)).status_code == 404
    assert client.get(give_url(deviation=999999)).status_code == 404
    meeting = Meeting.objects.create(body=other_steering, held_on=TODAY, created_by=chair)
    for key in [999999, "abc", "99999999999999999999", meeting.pk]:  # the last: another body's
        assert client.get(give_url(steering.pk, meeting=key)).status_code == 404, key


# --- giving -----------------------------------------------------------------------------------
def test_the_chair_gives_an_assignment_to_the_working_group(
    client_for, make_user, chair, worker, steering, working
):
    other_worker = make_user("b@grupp.example")
    seat(working, other_worker)
    seat(working)  # a vacant seat tells nobody
    response = client_for(chair).post(give_url(steering.pk), form_data(assignee_body=working.pk))
    assignment = Assignment.objects.get()
    assert response.status_code == 302 and response.url == assignment.get_absolute_url()
    assert assignment.given_by_body == steering and assignment.assignee_body == working
    assert assignment.created_by == chair and assignment.is_open
    told = set(about(assignment).values_list("user_id", flat=True))
    assert told == {worker.pk, other_worker.pk}
    text = about(assignment).first().text
    assert assignment.title in text and assignment.due_on.isoformat() in text
    assert "Alma" not in text and "Arbete" not in text  # names no person


def test_an_assignment_to_a_person_tells_that_person(client_for, chair, worker, steering):
    client_for(chair).post(give_url(steering.pk), form_data(assignee_user=worker.pk))
    assignment = Assignment.objects.get()
    assert assignment.assignee_user == worker
    assert list(about(assignment).values_list("user_id", flat=True)) == [worker.pk]


def test_a_meeting_gives_with_its_body(client_for, chair, worker, steering):
    meeting = Meeting.objects.create(body=steering, held_on=TODAY, created_by=chair)
    assert client_for(chair).get(give_url(steering.pk, meeting=meeting.pk)).status_code == 200
    client_for(chair).post(
        give_url(steering.pk, meeting=meeting.pk), form_data(assignee_user=worker.pk)
    )
    assignment = Assignment.objects.get()
    assert assignment.meeting == meeting and assignment.given_by_body == steering


def deviation_at(step, group, school, staff):
    return Deviation.objects.create(
        title="Remiss obesvarad",
        reporting_unit=school,
        reporter=staff,
        local_group=group,
        occurred_on=TODAY - 3 * DAY,
        what_happened="Remissen besvarades inte.",
        consequence="Stödet dröjde.",
        category=Category.objects.get_or_create(name="Test av uppdrag")[0],
        agreement_part="responsibility",
        step=step,
        reference=f"AV-{TODAY.year}-{step[:3].upper()}",
    )


def test_a_deviation_step_gives_an_assignment(
    client_for, chair, worker, manager, staff, outsider, group, school
):
    at_steering = deviation_at(Deviation.Step.STEERING, group, school, staff)
    url = give_url(deviation=at_steering.pk)
    assert client_for(chair).get(url).status_code == 200
    client_for(chair).post(url, form_data(assignee_user=worker.pk))
    assignment = Assignment.objects.get()
    assert assignment.deviation == at_steering and assignment.given_by_body is None
    assert client_for(worker).get(assignment.get_absolute_url()).status_code == 200
    # The unit's manager acts at the supervisors' step, not at the steering group's.
    assert client_for(manager).get(url).status_code == 403
    at_supervisors = deviation_at(Deviation.Step.SUPERVISORS, group, school, staff)
    assert client_for(manager).get(give_url(deviation=at_supervisors.pk)).status_code == 200
    assert client_for(chair).get(give_url(deviation=at_supervisors.pk)).status_code == 403
    # A seat in the group shows the report, but gives nothing; the outsider may not know of it.
    assert client_for(worker).get(give_url(deviation=at_supervisors.pk)).status_code == 403
    assert client_for(outsider).get(give_url(deviation=at_supervisors.pk)).status_code == 404


def test_bussam_gives_to_the_county_and_the_local_steering_groups(
    client_for, make_user, steering, working, chair, other_steering
):
    bussam = Body.objects.create(name="BUSSAM", kind="bussam", level="county", cadence="on_demand")
    lead = make_user("ordf@bussam.example")
    seat(bussam, lead, Membership.Role.CHAIR)
    response = client_for(lead).get(give_url(bussam.pk))
    assert response.status_code == 200
    bodies = set(response.context["form"].fields["assignee_body"].queryset)
    assert bodies == {bussam, steering, other_steering}  # not a local working group
    people = set(response.context["form"].fields["assignee_user"].queryset)
    assert people == {lead}  # seat holders of the county's bodies
    client_for(lead).post(give_url(bussam.pk), form_data(assignee_body=steering.pk))
    assignment = Assignment.objects.get()
    assert list(about(assignment).values_list("user_id", flat=True)) == [chair.pk]
    assert client_for(chair).get(assignment.get_absolute_url()).status_code == 200


# --- bad input: a clear message at the field, nothing saved ------------------------------------
def refused(client, steering, data, field):
    response = client.post(give_url(steering.pk), data)
    assert response.status_code == 200
    assert Assignment.objects.count() == 0
    assert Notification.objects.count() == 0
    return [str(message) for message in response.context["form"].errors[field]]


def test_a_body_that_does_not_exist(client_for, chair, steering, other_steering):
    client = client_for(chair)
    for pk in [999999, other_steering.pk]:  # missing, or not among the choices
        errors = refused(client, steering, form_data(assignee_body=pk), "assignee_body")
        assert errors[0].startswith("Välj ett giltigt alternativ")


def test_a_former_member(client_for, chair, steering, former):
    errors = refused(
        client_for(chair), steering, form_data(assignee_user=former.pk), "assignee_user"
    )
    assert errors == [str(FORMER_MEMBER)]
    assert "inte längre någon plats" in errors[0]


def test_someone_who_never_sat_in_the_group(client_for, chair, steering, other_chair):
    errors = refused(
        client_for(chair), steering, form_data(assignee_user=other_chair.pk), "assignee_user"
    )
    assert errors[0].startswith("Välj ett giltigt alternativ")


def test_a_due_date_in_the_past(client_for, chair, steering, worker):
    data = form_data(assignee_user=worker.pk, due_on=(TODAY - DAY).isoformat())
    assert refused(client_for(chair), steering, data, "due_on") == [str(DUE_PASSED)]


def test_both_a_person_and_a_body(client_for, chair, steering, worker, working):
    data = form_data(assignee_user=worker.pk, assignee_body=working.pk)
    assert refused(client_for(chair), steering, data, "assignee_user") == [str(BOTH_ASSIGNEES)]


def test_neither_a_person_nor_a_body(client_for, chair, steering):
    assert refused(client_for(chair), steering, form_data(), "assignee_user") == [str(NO_ASSIGNEE)]


def test_a_title_with_a_personnummer(client_for, chair, steering, worker):
    data = form_data(assignee_user=worker.pk, title="Utred 19121212-1212")
    assert refused(client_for(chair), steering, data, "title") == [
        "Ta bort personnummer eller samordningsnummer: ”19121212-1212”. "
        "Uppdrag får inte innehålla uppgifter som pekar ut en person."
    ]


def test_a_description_with_a_phone_number(client_for, chair, steering, worker):
    data = form_data(assignee_user=worker.pk, description="Ring 070-123 45 67.")
    assert refused(client_for(chair), steering, data, "description")[0].startswith(
        "Ta bort telefonnummer"
    )


def test_the_database_holds_one_assignee(chair, steering, worker, working):
    with pytest.raises(IntegrityError), transaction.atomic():
        give(chair, worker, body=steering, assignee_body=working)
    with pytest.raises(IntegrityError), transaction.atomic():
        give(chair, None, body=steering)


# --- closing ----------------------------------------------------------------------------------
def close(client, assignment, **data):
    return client.post(reverse("assignments:close", args=[assignment.pk]), data)


def test_the_assignee_marks_it_done(client_for, worker, chair, assignment):
    response = close(client_for(worker), assignment, closing_note="Rutinen är antagen.")
    assert response.status_code == 302 and response.url == assignment.get_absolute_url()
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE
    assert assignment.closing_note == "Rutinen är antagen."
    assert assignment.closed_by == worker and assignment.closed_at is not None
    assert list(about(assignment).filter(user=chair).values_list("text", flat=True)) == [
        f"Uppdraget ”{assignment.title}” är klart."
    ]


def test_the_assignee_cannot_cancel(client_for, worker, assignment):
    close(client_for(worker), assignment, closing_note="Görs inte.", outcome="cancelled")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.DONE  # the choice is not theirs to make


def test_the_giver_cancels(client_for, chair, assignment):
    close(client_for(chair), assignment, closing_note="Behövs inte längre.", outcome="cancelled")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.CANCELLED
    assert not about(assignment).exists(), "the giver is not told of their own act"


def test_a_closing_note_is_required_and_checked(client_for, worker, assignment):
    client = client_for(worker)
    for note, message in [
        ("", "Skriv en kort redovisning av uppdraget."),
        ("Klart för 19121212-1212", "Ta bort personnummer eller samordningsnummer"),
    ]:
        response = close(client, assignment, closing_note=note)
        assert response.status_code == 200
        assert str(response.context["close_form"].errors["closing_note"][0]).startswith(message)
        assignment.refresh_from_db()
        assert assignment.is_open and assignment.closing_note == ""


def test_closing_a_closed_assignment_is_refused(client_for, worker, chair, assignment):
    client = client_for(worker)
    close(client, assignment, closing_note="Första gången.")
    assignment.refresh_from_db()
    closed_at, told = assignment.closed_at, about(assignment).count()
    response = close(client, assignment, closing_note="Andra gången.")
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "Uppdraget är redan avslutat." in messages
    assignment.refresh_from_db()
    assert assignment.closing_note == "Första gången." and assignment.closed_at == closed_at
    assert about(assignment).count() == told


def test_the_detail_offers_the_close_form_to_whoever_may_close(
    client_for, worker, member, chair, assignment
):
    assert client_for(worker).get(assignment.get_absolute_url()).context["close_form"]
    assert client_for(member).get(assignment.get_absolute_url()).context["close_form"] is None
    form = client_for(chair).get(assignment.get_absolute_url()).context["close_form"]
    assert "outcome" in form.fields  # the giver may also cancel


# --- lists ------------------------------------------------------------------------------------
def test_mine_lists_open_first_and_marks_the_overdue(client_for, chair, worker, steering, working):
    late = give(chair, worker, body=steering, title="Sen uppgift", due_on=TODAY - 3 * DAY)
    soon = give(chair, working, body=steering, title="Snart klar", due_on=TODAY + 5 * DAY)
    done = give(chair, worker, body=steering, title="Redan klar", due_on=TODAY - 9 * DAY)
    done.status, done.closed_at = Assignment.Status.DONE, timezone.now()
    done.save()
    give(chair, chair, body=steering, title="Någon annans")
    response = client_for(worker).get(reverse("assignments:mine"))
    listed = list(response.context["page"])
    assert listed == [late, soon, done]
    text = response.text
    assert "Försenad</span> 3 dagar" in text and "5 dagar kvar" in text
    assert "Någon annans" not in text


def test_mine_leaves_out_a_body_where_the_seat_has_ended(client_for, former, assignment):
    response = client_for(former).get(reverse("assignments:mine"))
    assert list(response.context["page"]) == []


def test_a_bodys_list_holds_what_it_gave_and_was_given(
    client_for, chair, secretariat, steering, working, worker, other_steering, other_chair
):
    given = give(chair, working, body=steering, title="Från styrgruppen")
    received = give(secretariat, steering, body=steering, title="Till styrgruppen")
    other = give(other_chair, other_steering, body=other_steering, title="Annanstad")
    response = client_for(chair).get(reverse("assignments:body", args=[steering.pk]))
    assert set(response.context["page"]) == {given, received}
    assert other.title not in response.text
    assert response.context["may_give"]
    response = client_for(worker).get(reverse("assignments:body", args=[working.pk]))
    assert list(response.context["page"]) == [given] and not response.context["may_give"]


def test_lists_paginate_and_run_a_bounded_number_of_queries(
    client_for, chair, worker, steering, working, settings
):
    settings.PAGE_SIZE = 5
    give(chair, worker, body=steering)
    client = client_for(worker)
    _, first = count_queries(client, reverse("assignments:mine"))
    for i in range(12):
        give(chair, working if i % 2 else worker, body=steering, title=f"Uppdrag {i}")
    response, later = count_queries(client, reverse("assignments:mine"))
    assert later == first
    assert response.context["page"].paginator.num_pages == 3
    assert "sida=2" in response.text


def test_the_start_page_lists_my_open_assignments(worker, chair, steering):
    assignment = give(chair, worker, body=steering, due_on=TODAY - DAY)
    item = {found.key: found for found in items(worker)}["assignments"]
    assert item.title == "Mina uppdrag" and item.url == reverse("assignments:mine")
    assert item.count == 1 and item.rows[0].url == assignment.get_absolute_url()
    assert item.rows[0].overdue
    assert "assignments" not in {found.key for found in items(chair)}


# --- overdue reminders ------------------------------------------------------------------------
def test_the_day_after_the_due_date_the_assignee_is_reminded_once(
    chair, worker, working, steering, make_user
):
    body_holder = make_user("c@grupp.example")
    seat(working, body_holder)
    to_person = give(chair, worker, body=steering, due_on=TODAY - DAY)
    to_body = give(chair, working, body=steering, title="Till gruppen", due_on=TODAY - 2 * DAY)
    due_today = give(chair, worker, body=steering, title="I dag", due_on=TODAY)
    closed = give(chair, worker, body=steering, title="Klart", due_on=TODAY - 5 * DAY)
    closed.status, closed.closed_at = Assignment.Status.DONE, timezone.now()
    closed.save()

    assert send_assignment_reminders(TODAY) == 2
    assert list(about(to_person).values_list("user_id", "text")) == [
        (worker.pk, f"Uppdraget ”{to_person.title}” skulle ha varit klart {to_person.due_on}.")
    ]
    assert set(about(to_body).values_list("user_id", flat=True)) == {worker.pk, body_holder.pk}
    assert not about(due_today).exists() and not about(closed).exists()
    to_person.refresh_from_db()
    assert to_person.reminded_on == TODAY

    assert send_assignment_reminders(TODAY) == 0
    assert send_assignment_reminders(TODAY + DAY) == 1  # due_today, now passed
    assert about(to_person).count() == 1


def test_send_reminders_sends_the_assignment_reminders(chair, worker, steering):
    assignment = give(chair, worker, body=steering, due_on=TODAY - DAY)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "1 overdue assignment reminder(s) sent." in out.getvalue()
    assert about(assignment).count() == 1
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "overdue assignment" not in out.getvalue()
    assert about(assignment).count() == 1


def test_a_refusal_speaks_the_readers_language_while_notifications_stay_swedish(
    chair, worker, assignment
):
    from django.utils import translation

    from samverkan.assignments.services import AssignmentError
    from samverkan.assignments.services import close as close_assignment
    from samverkan.notifications.models import Notification

    with translation.override("en"):
        close_assignment(assignment, worker, "Klart.")
        with pytest.raises(AssignmentError, match="already"):
            close_assignment(assignment, worker, "Igen.")
    (told,) = Notification.objects.filter(user=chair, text__contains="är klart")
    assert assignment.title in told.text
