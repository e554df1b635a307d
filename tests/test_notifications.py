"""Work reaches the people who must act (issue 11, item 3): notifications in the app, an
unread count in the header, e-mail only after the change has committed (immediately or as
a daily summary), and never a child's identity in any of it. For each step: who is told,
and who is not."""

import datetime
import io

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from samverkan.deviations import ladder
from samverkan.deviations.models import Category, Deviation
from samverkan.forum.forms import booking_as_seen
from samverkan.forum.models import ForumCase
from samverkan.notifications.models import Notification, Preference
from samverkan.notifications.service import notify
from samverkan.notifications.tasks import send_digests
from samverkan.organisations.models import Body, Membership, Unit, UnitMembership
from tests.helpers import employ, seat

TODAY = timezone.localdate()
NUMBER = "20170101-2393"


def texts(user) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("text", flat=True))


# --- people ---------------------------------------------------------------------------------
@pytest.fixture
def social(municipality, area):
    return Unit.objects.create(
        principal=municipality, name="Socialtjänsten Testby", kind="social_services", area=area
    )


@pytest.fixture
def working(group):
    return Body.objects.create(
        name="BUS arbetsgrupp", kind="working", level="local", local_group=group, cadence="per_term"
    )


@pytest.fixture
def convener(make_user, social, working):
    user = make_user("chef@social.example", first_name="Cecilia", last_name="Chef")
    employ(user, social, UnitMembership.Role.MANAGER)
    seat(working, user, Membership.Role.CONVENER, unit=social)
    return user


@pytest.fixture
def bup_manager(make_user, bup):
    user = make_user("chef@bup.example", first_name="Britt", last_name="Bup")
    employ(user, bup, UnitMembership.Role.MANAGER)
    return user


@pytest.fixture
def bup_staff(make_user, bup):
    user = make_user("personal@bup.example")
    employ(user, bup)
    return user


@pytest.fixture
def steering_member(make_user, steering):
    user = make_user("ledamot@styrgrupp.example")
    seat(steering, user, Membership.Role.MEMBER)
    return user


@pytest.fixture
def former_member(make_user, steering):
    user = make_user("tidigare@styrgrupp.example")
    Membership.objects.create(
        body=steering,
        user=user,
        function="Tidigare ledamot",
        role=Membership.Role.MEMBER,
        valid_to=TODAY - datetime.timedelta(days=1),
    )
    return user


@pytest.fixture
def bussam_member(make_user):
    body = Body.objects.create(name="BUSSAM", kind="bussam", level="county", cadence="yearly")
    user = make_user("bussam@example.org")
    seat(body, user, Membership.Role.CHAIR)
    return user


# --- the service ----------------------------------------------------------------------------
def test_a_notification_is_e_mailed_only_after_the_change_commits(
    staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", "/avvikelser/1/")
        assert not mail.outbox  # not before the commit
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email]
    assert "AV-2026-0001" in message.subject and "/avvikelser/1/" in message.body
    assert Notification.objects.get(user=staff).emailed_at is not None


def test_a_rolled_back_change_tells_nobody(staff, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", "/avvikelser/1/")
        raise RuntimeError("the change failed")
    assert not mail.outbox
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "text",
    [f"Ärende om {NUMBER}", "Ring vårdnadshavaren på 070-123 45 67", "Skriv till anna@exempel.se"],
)
def test_a_notification_never_carries_an_identity(staff, text, caplog):
    (notification,) = notify([staff], text, "/avvikelser/1/")
    assert notification.text == "Något nytt i Samverkan rör dig. Följ länken för att se vad."
    assert notification.url == "/avvikelser/1/"
    assert "identified someone" in caplog.text


def test_inactive_people_and_repeats_are_left_out(make_user, staff):
    gone = make_user("slutat@example.org", is_active=False)
    notify([staff, staff, gone, None], "Avvikelse AV-2026-0001 har gått vidare.", "/")
    assert Notification.objects.get().user == staff


def test_a_daily_summary_instead_of_one_mail_each(
    staff, manager, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=staff, email=Preference.Email.DAILY)
    Preference.objects.create(user=manager, email=Preference.Email.OFF)
    with django_capture_on_commit_callbacks(execute=True):
        notify([staff, manager], "Avvikelse AV-2026-0001 har gått vidare.", "/avvikelser/1/")
        notify([staff], "Avvikelse AV-2026-0002 väntar på dig.", "/avvikelser/2/")
    assert not mail.outbox
    assert send_digests() == 1
    (summary,) = mail.outbox
    assert summary.to == [staff.email]
    assert "AV-2026-0001" in summary.body and "AV-2026-0002" in summary.body
    assert send_digests() == 0  # each notification once
    assert Notification.objects.filter(user=manager, emailed_at__isnull=True).exists()


# --- the pages ------------------------------------------------------------------------------
def test_the_header_counts_the_unread(client_for, staff):
    notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", reverse("home"))
    page = client_for(staff).get(reverse("home")).text
    assert 'class="notification-count"' in page and "(1 oläst)" in page


def test_the_list_shows_only_ones_own(client_for, staff, manager):
    notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", "/")
    notify([manager], "Avvikelse AV-2026-0002 väntar på dig.", "/")
    page = client_for(staff).get(reverse("notifications:list")).text
    assert "AV-2026-0001" in page and "AV-2026-0002" not in page


def test_opening_marks_read_and_follows_the_link(client_for, staff, manager):
    (mine,) = notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", reverse("home"))
    (theirs,) = notify([manager], "Avvikelse AV-2026-0002 väntar på dig.", reverse("home"))
    client = client_for(staff)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("home")
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_a_link_elsewhere_is_not_followed(client_for, staff):
    (odd,) = notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", "https://annan.example/")
    response = client_for(staff).get(reverse("notifications:open", args=[odd.pk]))
    assert response["Location"] == reverse("notifications:list")


def test_read_all(client_for, staff, manager):
    notify([staff, manager], "Avvikelse AV-2026-0001 har gått vidare.", "/")
    client_for(staff).post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(user=staff, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=manager, read_at__isnull=True).exists()


def test_choosing_a_daily_summary(client_for, staff):
    response = client_for(staff).post(reverse("notifications:preferences"), {"email": "daily"})
    assert response.status_code == 302
    assert Preference.objects.get(user=staff).email == "daily"


def test_e_mail_cannot_be_chosen_without_an_address(client_for, staff):
    type(staff).objects.filter(pk=staff.pk).update(email="")
    staff.refresh_from_db()
    response = client_for(staff).post(reverse("notifications:preferences"), {"email": "daily"})
    assert response.status_code == 200
    assert "ingen e-postadress" in " ".join(response.context["form"].errors["email"])
    assert not Preference.objects.exists()
    response = client_for(staff).post(reverse("notifications:preferences"), {"email": "off"})
    assert Preference.objects.get(user=staff).email == "off"


def test_the_pages_need_a_login(client):
    for name in ("notifications:list", "notifications:preferences"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith("/konto/login/")


# --- who is told: forum cases ---------------------------------------------------------------
def raise_data(school, group, convener):
    return {
        "raised_by_unit": school.pk,
        "local_group": group.pk,
        "personal_number": NUMBER,
        "first_name": "Alva",
        "last_name": "Exempel",
        "noticed_on": (TODAY - datetime.timedelta(days=1)).isoformat(),
        "reason": "Skolan och BUP är oeniga om vem som ansvarar.",
        "convener": convener.pk,
    }


@pytest.fixture
def raised(client_for, staff, school, group, convener):
    client_for(staff).post(reverse("forum:raise"), raise_data(school, group, convener))
    return ForumCase.objects.get()


def test_the_convener_is_told_when_a_case_is_raised(raised, convener, staff, steering_member):
    (text,) = texts(convener)
    assert raised.reference in text and "sammankallande" in text
    assert "Alva" not in text and NUMBER not in text
    assert not texts(staff) and not texts(steering_member)


def test_invited_managers_get_the_invitation_with_its_ics(
    client_for, raised, convener, bup, bup_manager, bup_staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(convener).post(
            reverse("forum:convene", args=[raised.reference]),
            {
                "convener": convener.pk,
                "seen": booking_as_seen(ForumCase.objects.get(pk=raised.pk)),
                "meeting_on": (TODAY + datetime.timedelta(days=3)).isoformat(),
                "meeting_time": "10:00",
                "meeting_place": "Rum 1",
                "invited_units": [bup.pk],
            },
        )
    assert any("Kallelse" in t for t in texts(bup_manager))
    assert not texts(bup_staff)
    (invitation,) = [m for m in mail.outbox if bup_manager.email in m.to]
    ((name, content, kind),) = invitation.attachments
    assert name == f"{raised.reference}.ics" and kind == "text/calendar"
    assert "BEGIN:VCALENDAR" in content and "Alva" not in content and NUMBER not in content


def test_the_steering_group_is_told_when_a_case_is_lifted(
    raised, convener, steering_member, former_member, bussam_member
):
    from samverkan.forum.views import change_status

    change_status(raised, ForumCase.Status.LIFTED, convener, "Principiell fråga")
    assert any("lyfts till styrgruppen" in t for t in texts(steering_member))
    assert not texts(former_member) and not texts(bussam_member)


# --- who is told: deviation reports ----------------------------------------------------------
@pytest.fixture
def report(staff, school, group, bup):
    deviation = Deviation.objects.create(
        title="Remiss besvarades inte",
        reporting_unit=school,
        reporter=staff,
        local_group=group,
        occurred_on=TODAY - datetime.timedelta(days=3),
        what_happened="Remissen blev liggande.",
        consequence="Väntan.",
        category=Category.objects.get(name="Oklart ansvar"),
        agreement_part="responsibility",
    )
    deviation.other_units.add(bup)
    return deviation


def test_the_nearest_supervisors_are_told_when_a_report_arrives(
    report, staff, manager, bup_manager, bup_staff, convener
):
    ladder.submit(report, staff)
    report.refresh_from_db()
    for person in (manager, bup_manager):
        (text,) = texts(person)
        assert report.reference in text and "närmaste chef" in text
    assert not texts(staff) and not texts(bup_staff) and not texts(convener)


def test_the_steering_group_then_bussam_and_the_reporter_at_every_step(
    report, staff, bup_manager, steering_member, bussam_member, former_member
):
    ladder.submit(report, staff)
    report.refresh_from_db()
    ladder.move(report, "steering", bup_manager, principled_question="Vem ansvarar?")
    assert any("styrgruppen" in t for t in texts(steering_member))
    assert not texts(bussam_member) and not texts(former_member)
    steering_chair = steering_member
    Membership.objects.filter(user=steering_chair).update(role=Membership.Role.CHAIR)
    ladder.move(report, "bussam", steering_chair)
    assert any("BUSSAM" in t for t in texts(bussam_member))
    reporter_texts = texts(staff)
    assert len(reporter_texts) == 2 and all(report.reference in t for t in reporter_texts)


# --- the report follows its forum case (item 5) -----------------------------------------------
@pytest.fixture
def report_in_forum(report, staff, raised):
    ladder.submit(report, staff)
    Deviation.objects.filter(pk=report.pk).update(step="forum", forum_case=raised)
    report.refresh_from_db()
    return report


def test_a_report_follows_its_case_to_the_steering_group(
    report_in_forum, raised, convener, staff, steering_member
):
    from samverkan.forum.views import change_status

    raised.principled_question = "Vem ansvarar för samordningen när två huvudmän är oeniga?"
    raised.save()
    change_status(raised, ForumCase.Status.LIFTED, convener, "Lyft")
    report_in_forum.refresh_from_db()
    assert report_in_forum.step == "steering" and report_in_forum.is_principled
    assert report_in_forum.principled_question == raised.principled_question
    event = report_in_forum.events.last()
    assert event.by == convener and raised.reference in event.note
    assert any("Hos lokala styrgruppen" in t for t in texts(staff))
    assert any(report_in_forum.reference in t for t in texts(steering_member))


def test_a_report_is_resolved_with_its_case(report_in_forum, raised, convener, staff):
    from samverkan.forum.views import change_status

    change_status(raised, ForumCase.Status.RESOLVED, convener, "Löst")
    report_in_forum.refresh_from_db()
    assert report_in_forum.step == "resolved" and raised.reference in report_in_forum.outcome
    assert any("avslutad" in t for t in texts(staff))


def test_an_open_action_keeps_the_report_open(report_in_forum, raised, convener, school, manager):
    from samverkan.deviations.models import Action
    from samverkan.forum.views import change_status

    Action.objects.create(
        deviation=report_in_forum,
        step="forum",
        text="Se över remissrutinen",
        owner=school,
        due_on=TODAY,
        created_by=manager,
    )
    change_status(raised, ForumCase.Status.RESOLVED, convener, "Löst")
    report_in_forum.refresh_from_db()
    assert report_in_forum.step == "forum"


def test_the_forum_question_may_not_identify_anyone(client_for, raised, convener):
    from samverkan.forum.forms import OutcomeForm

    form = OutcomeForm(
        {"outcome": "lifted", "principled_question": f"Gäller {NUMBER}"}, case=raised
    )
    assert not form.is_valid()
    assert "personnummer" in " ".join(form.errors["principled_question"])


def test_nobody_is_told_of_what_happens_while_muted(staff, django_capture_on_commit_callbacks):
    from samverkan.notifications.service import muted

    with django_capture_on_commit_callbacks(execute=True), muted():
        assert notify([staff], "Avvikelse AV-2026-0001 har gått vidare.", "/") == []
    assert not Notification.objects.exists() and not mail.outbox


def test_moving_the_meeting_sends_the_invitation_again(
    client_for, raised, convener, bup, bup_manager
):
    def book(day):
        client_for(convener).post(
            reverse("forum:convene", args=[raised.reference]),
            {
                "convener": convener.pk,
                "seen": booking_as_seen(ForumCase.objects.get(pk=raised.pk)),
                "meeting_on": (TODAY + datetime.timedelta(days=day)).isoformat(),
                "meeting_time": "10:00",
                "meeting_place": "Rum 1",
                "invited_units": [bup.pk],
            },
        )

    book(3)
    book(5)
    invitations = [t for t in texts(bup_manager) if "Kallelse" in t]
    assert len(invitations) == 2
    assert (TODAY + datetime.timedelta(days=5)).isoformat() in invitations[0]  # newest first


@pytest.mark.parametrize(
    "text",
    [
        "Kallelse till BUS individforum IF-2026-0070 2026-12-03 10:00, Rum 1.",
        "Avvikelse AV-2026-0046 väntar på dig som närmaste chef.",
        "Uppdraget ”Se över rutinen” skulle ha varit klart 2026-12-03.",
    ],
)
def test_references_and_dates_are_no_identity(staff, text):
    (notification,) = notify([staff], text, "/")
    assert notification.text == text


def test_texts_are_written_in_the_services_language(report, staff, manager):
    from django.utils import translation

    ladder.submit(report, staff)
    report.refresh_from_db()
    with translation.override("en"):
        ladder.move(report, "resolved", manager, "Rutinen förtydligad.")
    assert any("är avslutad" in t for t in texts(staff))


def test_reminders_show_in_the_app_too_without_a_second_mail(raised, convener):
    from samverkan.forum.reminders import send_reminders

    ForumCase.objects.filter(pk=raised.pk).update(deadline=TODAY + datetime.timedelta(days=2))
    Notification.objects.all().delete()
    assert send_reminders(TODAY) == 1
    (reminder,) = Notification.objects.filter(user=convener)
    assert raised.reference in reminder.text and reminder.url == raised.get_absolute_url()
    assert reminder.emailed_at is not None and len(mail.outbox) == 1


def test_editors_are_told_once_when_a_document_is_due_for_review(staff, manager):
    from django.core.management import call_command

    from samverkan.governance.models import Document

    due = Document.objects.create(
        title="Rutin för SIP", kind="routine", updated_on=TODAY, editor=staff,
        review_due_on=TODAY + datetime.timedelta(days=5),
    )  # fmt: skip
    Document.objects.create(
        title="Mall", kind="template", updated_on=TODAY, editor=manager,
        review_due_on=TODAY + datetime.timedelta(days=100),
    )  # fmt: skip
    call_command("send_review_reminders", stdout=io.StringIO())
    call_command("send_review_reminders", stdout=io.StringIO())
    (text,) = texts(staff)
    assert "Rutin för SIP" in text and due.review_due_on.isoformat() in text
    assert not texts(manager)
