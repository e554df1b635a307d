"""Retention (``manage.py gallra``): a period below the floor is refused, a dry run changes
nothing, a real run removes only closed records older than their period (never an open one,
one with a follow-up or consent still ahead, or one a kept record refers to), with their
consents' files, and writes what it removed to the access log, which still verifies."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from samverkan.agenda.models import AgendaItem
from samverkan.audit import logging as log_writer
from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.deviations.models import Action, Category, Deviation
from samverkan.forum.models import Decision, ForumCase, Protocol, StatusChange
from samverkan.governance.models import Meeting
from samverkan.notifications.models import Notification
from samverkan.people.models import Child
from samverkan.sip.models import FollowUp, Plan, PlanVersion
from tests.test_audit_chain import old, verify, write

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LONG_AGO = TODAY.replace(year=TODAY.year - 12)  # older than every period below
LAST_YEAR = TODAY - datetime.timedelta(days=400)  # a year and a month ago
DAY = datetime.timedelta(days=1)


def moment(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def periods(settings):
    settings.RETENTION_FORUM_YEARS = 5
    settings.RETENTION_SIP_YEARS = 10
    settings.RETENTION_DEVIATION_YEARS = 2
    settings.RETENTION_ACCESS_LOG_MONTHS = 24
    return settings


@pytest.fixture
def child(school, staff):
    return Child.objects.create(
        personal_number="20100101-2396", first_name="Astrid", last_name="Testsson",
        owning_unit=school, created_by=staff,
    )  # fmt: skip


def forum_case(child, school, staff, group, *, status=ForumCase.Status.RESOLVED, on=LONG_AGO):
    case = ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=school, raised_by=staff, raised_on=on,
        noticed_on=on, reason="Samordningen har inte fungerat.", status=status,
    )  # fmt: skip
    protocol = Protocol.objects.create(case=case, version=1, created_by=staff)
    Protocol.objects.filter(pk=protocol.pk).update(created_at=moment(on))
    return case


def plan(child, school, staff, *, status=Plan.Status.CLOSED, closed=LONG_AGO, **fields):
    made = Plan.objects.create(
        child=child, initiating_unit=school, initiated_by=staff, reason="Behov av SIP.",
        chair=staff, secretary=staff, **fields,
    )  # fmt: skip
    PlanVersion.objects.create(plan=made, number=1, content={}, created_by=staff)
    Plan.objects.filter(pk=made.pk).update(
        status=status, created_at=moment(closed - 30 * DAY),
        closed_at=moment(closed) if status == Plan.Status.CLOSED else None,
    )  # fmt: skip
    made.refresh_from_db()
    return made


def deviation(group, school, staff, *, step=Deviation.Step.RESOLVED, resolved=LONG_AGO):
    return Deviation.objects.create(
        title="Remiss obesvarad", reporting_unit=school, reporter=staff, local_group=group,
        occurred_on=resolved - 60 * DAY, what_happened="Remissen besvarades inte.",
        consequence="Stödet dröjde.", category=Category.objects.get_or_create(name="Remiss")[0],
        agreement_part="responsibility", step=step,
        resolved_at=moment(resolved) if step == Deviation.Step.RESOLVED else None,
    )  # fmt: skip


def consent_for(record, child, staff, school, *, until, document=None):
    return Consent.objects.create(
        child=child, form="written", purpose=record, purpose_text="Individforum",
        given_on=until - 100 * DAY, valid_until=until, recorded_by=staff,
        recorded_by_unit=school, document=document,
    )  # fmt: skip


@pytest.fixture
def records(settings, tmp_path, child, school, staff, group, steering):
    """What must go, and what must stay, of every kind."""
    settings.MEDIA_ROOT = tmp_path
    r = {}
    r["case_old"] = forum_case(child, school, staff, group)
    r["consent_old"] = consent_for(
        r["case_old"], child, staff, school, until=LONG_AGO + 100 * DAY,
        document=SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4 scanned"),
    )  # fmt: skip
    Notification.objects.create(
        user=staff, text="IF", url="/", about=f"forum.forumcase:{r['case_old'].pk}"
    )
    r["case_open"] = forum_case(child, school, staff, group, status=ForumCase.Status.CONVENED)
    r["case_lifted"] = forum_case(child, school, staff, group, status=ForumCase.Status.LIFTED)
    # Raised long ago, but closed last year: closed too recently.
    r["case_closed_lately"] = forum_case(child, school, staff, group)
    change = StatusChange.objects.create(case=r["case_closed_lately"], status="resolved", by=staff)
    StatusChange.objects.filter(pk=change.pk).update(at=moment(LAST_YEAR))
    r["case_on_agenda"] = forum_case(child, school, staff, group, status="decided")
    meeting = Meeting.objects.create(body=steering, held_on=LONG_AGO, created_by=staff)
    AgendaItem.objects.create(meeting=meeting, forum_case=r["case_on_agenda"], added_by=staff)
    r["case_with_consent"] = forum_case(child, school, staff, group)
    consent_for(r["case_with_consent"], child, staff, school, until=TODAY + 30 * DAY)
    r["case_with_decision_ahead"] = forum_case(child, school, staff, group)
    Decision.objects.create(
        protocol=r["case_with_decision_ahead"].protocols.get(), text="Följ upp",
        responsible_unit=school, due_on=TODAY + 10 * DAY,
    )  # fmt: skip
    r["case_new"] = forum_case(child, school, staff, group, on=LAST_YEAR)

    r["plan_old"] = plan(child, school, staff)
    r["plan_established"] = plan(child, school, staff, status=Plan.Status.ESTABLISHED)
    r["plan_follow_up_ahead"] = plan(child, school, staff, next_follow_up_on=TODAY + 20 * DAY)
    r["plan_followed_up_lately"] = plan(child, school, staff)
    FollowUp.objects.create(plan=r["plan_followed_up_lately"], held_on=LAST_YEAR, by=staff)
    r["plan_new"] = plan(child, school, staff, closed=LAST_YEAR)

    r["deviation_old"] = deviation(group, school, staff)
    r["deviation_at_steering"] = deviation(group, school, staff, step=Deviation.Step.STEERING)
    r["deviation_open_action"] = deviation(group, school, staff)
    Action.objects.create(
        deviation=r["deviation_open_action"], step="supervisors", text="Ny rutin",
        owner=school, due_on=LONG_AGO, created_by=staff,
    )  # fmt: skip
    r["deviation_new"] = deviation(group, school, staff, resolved=LAST_YEAR)
    return r


def gallra(**options):
    out = io.StringIO()
    call_command("gallra", stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def exists(record) -> bool:
    return type(record).objects.filter(pk=record.pk).exists()


def counts():
    return (
        ForumCase.objects.count(), Protocol.objects.count(), Plan.objects.count(),
        Deviation.objects.count(), Consent.objects.count(), AccessLog.objects.count(),
    )  # fmt: skip


def test_nothing_is_removed_unless_a_period_is_set(records):
    before = counts()
    assert "everything is kept" in gallra()
    assert counts() == before


@pytest.mark.parametrize(
    ("setting", "value", "floor"),
    [
        ("RETENTION_FORUM_YEARS", 4, "at least 5 years"),
        ("RETENTION_SIP_YEARS", 9, "at least 10 years"),
        ("RETENTION_DEVIATION_YEARS", 1, "at least 2 years"),
        ("RETENTION_ACCESS_LOG_MONTHS", 23, "at least 24 months"),
    ],
)
def test_a_period_shorter_than_the_law_allows_is_refused_and_nothing_changes(
    periods, records, setting, value, floor
):
    setattr(periods, setting, value)
    before = counts()
    with pytest.raises(CommandError, match=f"{setting} = {value} .* shorter than the law allows"):
        gallra()
    with pytest.raises(CommandError, match=floor):
        gallra(dry_run=True)
    assert counts() == before


def test_the_floor_is_a_setting(periods, records):
    periods.RETENTION_MINIMUMS = {**periods.RETENTION_MINIMUMS, "RETENTION_FORUM_YEARS": 1}
    periods.RETENTION_FORUM_YEARS = 1
    gallra(kind=["forum"])
    assert not exists(records["case_new"])  # closed 13 months ago: gone with a 1-year period


def test_a_dry_run_changes_nothing(periods, records):
    before = counts()
    output = gallra(dry_run=True, verbosity=2)
    assert counts() == before
    assert "closed forum cases, closed before" in output
    assert f"would go: {records['case_old'].reference}" in output
    assert "1 would go (1 protocols, 1 consents), 3 kept." in output
    assert f"kept: {records['case_on_agenda'].reference}: referred to by" in output
    assert "closed SIPs" in output and "resolved deviation reports" in output
    assert not AccessLog.objects.filter(user_label="manage.py gallra").exists()


def test_a_real_run_removes_only_closed_records_older_than_their_period(
    periods, records, django_capture_on_commit_callbacks, monkeypatch
):
    # The log's writer remembers heads once committed: keep what this test commits (and the
    # test database then rolls back) from the writers of the tests after it.
    monkeypatch.setattr(log_writer, "_known", {})
    r = records
    file_name = r["consent_old"].document.name
    storage = r["consent_old"].document.storage
    assert storage.exists(file_name)
    protocol = r["case_old"].protocols.get()

    with django_capture_on_commit_callbacks(execute=True):  # files go once it has committed
        output = gallra()

    gone = {"case_old", "plan_old", "deviation_old"}
    for name, record in r.items():
        if name == "consent_old":
            continue
        assert exists(record) == (name not in gone), name
    assert not Protocol.objects.filter(pk=protocol.pk).exists()
    assert not Consent.objects.filter(pk=r["consent_old"].pk).exists()
    assert not storage.exists(file_name)  # the scanned form went with its consent
    assert not Notification.objects.filter(about=f"forum.forumcase:{r['case_old'].pk}").exists()
    assert not PlanVersion.objects.filter(plan_id=r["plan_old"].pk).exists()
    assert Consent.objects.for_purpose(r["case_with_consent"]).exists()
    assert "closed forum cases, closed before" in output and "1 removed" in output

    # Each removed record is in the log, with its child, and each kind's counts.
    entry = AccessLog.objects.get(
        user_label="manage.py gallra", object_type="forum.forumcase", object_id=r["case_old"].pk
    )
    assert entry.child_id == r["case_old"].child_id
    assert entry.object_label == r["case_old"].reference
    notes = dict(
        AccessLog.objects.filter(user_label="manage.py gallra", object_id="").values_list(
            "object_type", "reason"
        )
    )
    assert notes["forum.forumcase"].startswith(
        "Gallring: 1 individforumärenden (1 protokoll, 1 samtycken) avslutade före"
    )
    assert notes["sip.plan"].startswith("Gallring: 1 samordnade individuella planer")
    assert notes["deviations.deviation"].startswith("Gallring: 1 avvikelser avslutade före")
    ok, report = verify()
    assert ok, report

    # Run again: nothing more goes.
    before = counts()
    again = gallra(kind=["forum", "sip", "deviations"])
    assert "0 removed" in again
    assert counts() == before


def test_the_access_log_keeps_what_is_younger_than_its_period(periods, staff, monkeypatch):
    periods.ACCESS_LOG_CHAINS = 2
    long_ago = TODAY.replace(year=TODAY.year - 3)
    recent = TODAY.replace(year=TODAY.year - 1)
    with monkeypatch.context() as m:
        old(m, long_ago)
        gone = write(staff, 4)
        old(m, recent)
        kept = write(staff, 3)
    kept += write(staff, 1)
    output = gallra(kind=["access-log"])
    assert "access-log entries, from before" in output and "4 removed" in output
    assert not AccessLog.objects.filter(pk__in=[e.pk for e in gone]).exists()
    assert AccessLog.objects.filter(pk__in=[e.pk for e in kept]).count() == 4
    assert AccessLog.objects.filter(
        user_label="manage.py gallra", reason__startswith="Gallrade åtkomstloggen: 4 poster"
    ).exists()
    ok, report = verify()
    assert ok, report


def test_a_log_that_does_not_verify_is_not_pruned(periods, staff, monkeypatch, records):
    from tests.test_audit_chain import tamper

    with monkeypatch.context() as m:
        old(m, TODAY.replace(year=TODAY.year - 3))
        rows = write(staff, 2)
    tamper("UPDATE audit_accesslog SET reason = 'x' WHERE id = %s", [rows[0].pk])
    before = counts()
    with pytest.raises(CommandError, match="does not verify; nothing was removed"):
        gallra()
    assert counts() == before
