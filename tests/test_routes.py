"""Every route declared (issue 9, item 9).

One table, ``ROUTES``, states for every route in the URLconf what three people get from a
GET: an anonymous visitor, an outsider (signed in, no unit, seat or flag: ``outsider`` in
``tests/conftest.py``) and the rightful role (a named demo user); and whether the rightful
GET writes an access-log entry, and whether that entry names the child. A refusal (403 or
404) must be logged, with the record where the user may know of it or the record is
hidden, and naming the child where the record is about one; a refused request must not be
logged as seen. A row may add ``others``: what further demo users get (the system admin,
the BUP manager the consents name, a stranger in Norrtälje …).

The test walks the whole URLconf and fails for any route the table does not declare, and
for any row whose route no longer exists (the way Zulip tests every endpoint). The admin
site and django-allauth (under ``/konto/``) are declared as groups (``GROUPS``), each with
a stated expectation checked on every route of the group; their behaviour in depth is
tested in ``tests/test_accounts.py``, ``tests/test_pages.py`` and
``tests/test_role_changes.py``. The last test checks that every view of people, consent,
forum, sip, deviations and exports that takes a record argument reaches it through
``samverkan.permissions.load`` (``DOOR_EXCEPTIONS`` lists the justified exceptions).

The data is the demo county (``seed_demo``), loaded once per module and xdist worker inside
a transaction that is rolled back when the module is done; each test runs in a savepoint
of its own. A few records are added to it (``_complete``) so that every page has something
to show: a scanned consent form, a meeting booked for the newly raised case, a case lifted
to the steering group, a deviation draft, a submitted report and its action, a finished
log extract. Charts and PDF pages are not drawn here (``no_drawing``).

A row whose app behaviour is wrong states what it SHOULD be; the wrong column is marked
``broken`` and runs as a strict xfail.
"""

from __future__ import annotations

import ast
import datetime
import inspect
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from samverkan import permissions
from samverkan.accounts.models import User
from samverkan.agenda.models import AgendaItem
from samverkan.audit.models import AccessLog
from samverkan.notifications.models import Notification

# --- who ------------------------------------------------------------------------------------
WORKER = "handlaggare.rinkeby@demo.example"  # owning unit of the child; raised the cases; SIP chair
CONVENER = "enhetschef.ungdomsenheten@demo.example"  # convener of the Rinkeby forum cases
BUP = "enhetschef.primabarn@demo.example"  # BUP (Region), named in the written consents
CHAIR = "ordforande.rinkeby@demo.example"  # chair of the Rinkeby steering group; manager at social
SECRETARIAT = "sekretariat@demo.example"
LOG_REVIEWER = "logg@demo.example"
ADMIN = "admin@demo.example"  # the system administrator: the admin site, no children, no log
KURATOR = "kurator.grindskolan@demo.example"  # staff in Norrtälje: a stranger to the child
NORRTALJE = "folkhalsostrateg@demo.example"  # in Norrtälje's steering group: another group

# --- what ---------------------------------------------------------------------------------
LOGIN = "/konto/login/"  # a 302 to the log-in page
ADMIN_LOGIN = "/admin/login/"  # the admin site's own log-in page

NO_LOG = "no entry"
LOGS = "an entry, no child"
LOGS_CHILD = "an entry naming the child"

ANONYMOUS, OUTSIDER, RIGHTFUL = "anonymous", "outsider", "rightful"
POST = "POST"  # acts only on a POST; the GET the table makes redirects

NUMBER = "20170101-2393"  # the demo child


@dataclass(frozen=True)
class Demo:
    """The records the table's URLs are built from."""

    child: int
    consent: int  # the decided case's written consent (with a scanned form)
    decided: str  # the case walked to the steering group's decision (protocol v1 signed)
    new: str  # the newly raised case, meeting booked
    new_pk: int
    lifted: str  # a case lifted to the steering group, awaiting its decision
    plan: str  # the established SIP
    plan_pk: int
    new_plan: str  # a plan Ungdomsenheten (CONVENER) has just started: no meeting, no version
    intervention: int
    draft: int  # a deviation draft by WORKER
    deviation: int  # a submitted deviation report by WORKER (supervisors' step)
    action: int  # an open action on it, owned by WORKER's unit
    assignment: int  # given by the steering group (CHAIR) to the working group (CONVENER)
    category: int
    group: str  # the Rinkeby-Kista and Spånga-Tensta local group's slug
    steering: int  # its steering group
    rotation: int  # Norrtälje's consultation group, whose convener rotates
    meeting: int  # a meeting of that steering group
    agreement: int  # the group's local agreement
    document: int  # a library document edited by CHAIR
    principal: int  # Stockholms stad
    unit: int  # Socialtjänsten barn och ungdom, Rinkeby-Kista
    year: int  # the last year that has ended
    export: str  # a finished log extract about the child, asked for by LOG_REVIEWER
    notification: int  # one of WORKER's notifications, pointing at the start page
    agenda_item: int  # the lifted case, on a planned meeting of the steering group


@dataclass(frozen=True)
class Route:
    """One row of the table.

    Every column is a GET. ``anonymous``/``outsider``/``status``: an HTTP status, or a path
    the answer redirects to (302). ``user`` is the rightful role and ``status`` what its GET
    gets; ``method`` is POST for a route that acts only on a POST (its GET redirects).
    ``logs``: what the rightful GET writes to the access log. ``child``: the record is
    about the demo child, so a refusal must be logged naming it. ``others``: what other demo
    users get (``{email: status}``), checked like the outsider. ``broken``: columns (or an
    ``others`` email) where the app is wrong today; the row states what it should be, and
    that column runs as a strict xfail with the reason given.
    """

    name: str
    kwargs: Callable[[Demo], dict] = lambda d: {}
    anonymous: int | str = LOGIN
    outsider: int | str = 200
    user: str = WORKER
    status: int | str = 200
    method: str = "GET"
    logs: str = NO_LOG
    child: bool = False
    query: str = ""
    variant: str = ""
    note: str = ""
    others: dict = field(default_factory=dict)
    broken: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.name}/{self.variant}" if self.variant else self.name

    def url(self, demo: Demo) -> str:
        return reverse(self.name, kwargs=self.kwargs(demo)) + self.query


def _case(attr):
    return lambda d: {"reference": getattr(d, attr)}


def _plan(**extra):
    return lambda d: {"reference": d.plan, **{k: v(d) for k, v in extra.items()}}


class Refusal(int):
    """A refused request's status, and whether the refusal must be logged with the record."""

    def __new__(cls, status: int, names_record: bool):
        refusal = super().__new__(cls, status)
        refusal.names_record = names_record
        return refusal


# A record the user may not know exists: 404, logged with the record (and so the child).
HIDDEN = Refusal(404, names_record=True)
# A record the user may know of, but not act on in this way: 403, logged with the record.
KNOWN = Refusal(403, names_record=True)
# A page for a role the user does not hold: 403, refused before any record is read (logged).
ROLE = Refusal(403, names_record=False)
# The record is there and the user may see it, but what is asked of it is not (an
# invitation before a meeting is booked): 404, logged as a refusal with the record.
ABSENT = Refusal(404, names_record=True)

ROUTES: list[Route] = [
    # --- start, health, language ---------------------------------------------------------
    Route("home"),
    Route("healthz", anonymous=200, note="liveness: asks nothing of the database"),
    Route("readyz", anonymous=200, note="readiness: the database answers SELECT 1"),
    Route(
        "metrics",
        anonymous=404,
        outsider=404,
        status=404,
        note="Prometheus, only with METRICS_TOKEN set and sent as a bearer token "
        "(tests/test_operations.py); unset, as here, it does not exist",
    ),
    Route(
        "set_language",
        anonymous=302,
        outsider=302,
        status=302,
        method=POST,
        note="a POST endpoint; a GET only redirects back (Django's set_language)",
    ),
    # --- the directory: open to everyone signed in -------------------------------------
    Route("organisations:directory"),
    Route("organisations:group", lambda d: {"slug": d.group}),
    Route("organisations:body", lambda d: {"pk": d.steering}),
    Route("organisations:units"),
    Route(
        "organisations:unit",
        lambda d: {"pk": d.unit},
        logs=LOGS,
        note="its staff are shown (and logged) to the unit's own staff only",
    ),
    Route("organisations:principal_add", outsider=ROLE, user=SECRETARIAT),
    Route("organisations:principal", lambda d: {"pk": d.principal}),
    Route(
        "organisations:principal_change",
        lambda d: {"pk": d.principal},
        outsider=ROLE,
        user=SECRETARIAT,
    ),
    # --- the access log: log reviewers only ---------------------------------------------
    Route("audit:review", outsider=ROLE, user=LOG_REVIEWER, logs=LOGS, others={ADMIN: ROLE}),
    Route("audit:role_changes", outsider=ROLE, user=LOG_REVIEWER, logs=LOGS, others={ADMIN: ROLE}),
    Route(
        "audit:child_extract",
        query=f"?personal_number={NUMBER}",
        outsider=ROLE,
        user=LOG_REVIEWER,
        logs=LOGS_CHILD,
        others={ADMIN: ROLE, WORKER: ROLE},
        note="reading a child's extract is logged against the child",
    ),
    # --- children -----------------------------------------------------------------------
    Route(
        "people:search",
        query=f"?personal_number={NUMBER}",
        outsider=ROLE,
        logs=LOGS_CHILD,
        note="the search is logged against the child it finds",
    ),
    Route(
        "people:child",
        lambda d: {"pk": d.child},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        # BUP's consents are for the case and the plan, not for the whole record.
        others={
            BUP: HIDDEN,
            KURATOR: HIDDEN,
            ADMIN: HIDDEN,
            SECRETARIAT: HIDDEN,
            LOG_REVIEWER: HIDDEN,
        },
    ),
    Route(
        "people:guardian_add",
        lambda d: {"pk": d.child},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "people:replace_number",
        lambda d: {"pk": d.child},
        outsider=HIDDEN,
        status=ABSENT,
        logs=LOGS_CHILD,
        child=True,
        note="the demo child has its personnummer: no reservnummer to replace (the page with "
        "one is tested in tests/test_reservnummer.py)",
        others={BUP: HIDDEN, KURATOR: HIDDEN},
    ),
    # --- consent ------------------------------------------------------------------------
    Route(
        "consent:add",
        lambda d: {"kind": "barn", "pk": d.child},
        variant="barn",
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: HIDDEN},
    ),
    Route(
        "consent:add",
        lambda d: {"kind": "individforum", "pk": d.new_pk},
        variant="individforum",
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        # BUP knows the case (a steering seat) but never opens Stockholm's information.
        others={BUP: KNOWN},
    ),
    Route(
        "consent:add",
        lambda d: {"kind": "sip", "pk": d.plan_pk},
        variant="sip",
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: KNOWN},  # BUP sees the plan under the consent; it is not BUP's to widen
    ),
    Route(
        "consent:revoke",
        lambda d: {"pk": d.consent},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: 200, KURATOR: HIDDEN},  # a unit the consent names may revoke it
    ),
    Route(
        "consent:document",
        lambda d: {"pk": d.consent},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        note="the scanned form: served only here, logged as an export",
        others={BUP: 200, SECRETARIAT: HIDDEN, KURATOR: HIDDEN},
    ),
    # --- individforum -------------------------------------------------------------------
    Route("forum:list", outsider=ROLE, logs=LOGS_CHILD, note="each listed case is logged"),
    Route("forum:raise", outsider=ROLE),
    Route(
        "forum:case",
        _case("decided"),
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: 200, CHAIR: 200, KURATOR: HIDDEN, ADMIN: HIDDEN, SECRETARIAT: HIDDEN},
    ),
    Route(
        "forum:convene",
        _case("new"),
        outsider=HIDDEN,
        user=CONVENER,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:case_workers",
        _case("new"),
        outsider=HIDDEN,
        user=CONVENER,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:invitation",
        _case("decided"),
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        note=".ics without the child's identity; logged with the case",
    ),
    Route(
        "forum:invitation",
        _case("lifted"),
        variant="no meeting",
        outsider=HIDDEN,
        status=ABSENT,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:protocol_edit",
        _case("new"),
        outsider=HIDDEN,
        user=CONVENER,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:protocol",
        lambda d: {"reference": d.decided, "version": 1},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: 200, KURATOR: HIDDEN},
    ),
    Route(
        "forum:protocol_sign",
        lambda d: {"reference": d.decided, "version": 1},
        outsider=HIDDEN,
        user=CONVENER,
        status=302,
        method=POST,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:protocol_correct",
        lambda d: {"reference": d.decided, "version": 1},
        outsider=HIDDEN,
        user=CONVENER,
        status=302,
        method=POST,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:protocol_pdf",
        lambda d: {"reference": d.decided, "version": 1},
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "forum:outcome",
        _case("new"),
        outsider=HIDDEN,
        user=CONVENER,
        logs=LOGS_CHILD,
        child=True,
        others={WORKER: KNOWN},  # the raising unit knows the case; only the convener signs
    ),
    Route(
        "forum:steering_decision",
        _case("lifted"),
        outsider=HIDDEN,
        user=CHAIR,
        logs=LOGS_CHILD,
        child=True,
        others={CONVENER: KNOWN, WORKER: KNOWN},
    ),
    # --- deviation reports (no child identity) ------------------------------------------
    Route("deviations:list", outsider=ROLE),
    Route("deviations:new", outsider=ROLE),
    Route(
        "deviations:detail",
        lambda d: {"pk": d.deviation},
        outsider=HIDDEN,
        logs=LOGS,
        others={SECRETARIAT: 200, KURATOR: HIDDEN},
    ),
    Route("deviations:edit", lambda d: {"pk": d.draft}, outsider=ROLE, logs=LOGS),
    Route("deviations:check", lambda d: {"pk": d.draft}, outsider=ROLE, logs=LOGS),
    Route(
        "deviations:sent",
        lambda d: {"pk": d.deviation},
        outsider=ROLE,
        logs=LOGS,
        others={CHAIR: KNOWN},  # the unit's manager knows the report; the receipt is the reporter's
    ),
    Route(
        "deviations:step",
        lambda d: {"pk": d.deviation},
        outsider=HIDDEN,
        status=302,
        method=POST,
        logs=LOGS,
    ),
    Route(
        "deviations:to_forum",
        lambda d: {"pk": d.deviation},
        outsider=HIDDEN,
        user=CHAIR,
        logs=LOGS,
        note="the reporting unit's manager lifts it",
    ),
    Route(
        "deviations:add_action",
        lambda d: {"pk": d.deviation},
        outsider=HIDDEN,
        user=CHAIR,
        logs=LOGS,
        others={WORKER: KNOWN},  # the reporter knows the report but is no supervisor
    ),
    Route(
        "deviations:finish_action",
        lambda d: {"pk": d.action},
        outsider=HIDDEN,
        status=302,
        method=POST,
        logs=LOGS,
    ),
    Route("deviations:inbox", outsider=ROLE, user=SECRETARIAT),
    Route(
        "deviations:review",
        lambda d: {"pk": d.deviation},
        outsider=ROLE,
        user=SECRETARIAT,
        logs=LOGS,
        others={WORKER: ROLE},
    ),
    Route("deviations:categories", outsider=ROLE, user=SECRETARIAT),
    Route("deviations:category_add", outsider=ROLE, user=SECRETARIAT),
    Route(
        "deviations:category_edit",
        lambda d: {"pk": d.category},
        outsider=ROLE,
        user=SECRETARIAT,
    ),
    Route("deviations:patterns", outsider=ROLE, user=SECRETARIAT, logs=LOGS),
    Route("deviations:compilation", outsider=ROLE, user=SECRETARIAT, logs=LOGS),
    Route(
        "deviations:compilation_pdf",
        outsider=ROLE,
        user=SECRETARIAT,
        status=302,
        method=POST,
        note="asks for the file (made in the background); a GET goes back to the page",
    ),
    Route(
        "deviations:compilation_xlsx",
        outsider=ROLE,
        user=SECRETARIAT,
        status=302,
        method=POST,
        note="asks for the file (made in the background); a GET goes back to the page",
    ),
    # --- SIP ------------------------------------------------------------------------------
    Route("sip:list", outsider=ROLE, logs=LOGS_CHILD, note="each listed plan is logged"),
    Route("sip:create", outsider=ROLE),
    Route(
        "sip:plan",
        _plan(),
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
        others={BUP: 200, KURATOR: HIDDEN, ADMIN: HIDDEN, SECRETARIAT: HIDDEN},
    ),
    Route("sip:edit", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True, others={BUP: KNOWN}),
    Route("sip:participant_add", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True),
    Route("sip:intervention_add", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True),
    Route(
        "sip:intervention_edit",
        _plan(pk=lambda d: d.intervention),
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "sip:establish",
        _plan(),
        outsider=HIDDEN,
        status=302,
        method=POST,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "sip:version",
        _plan(number=lambda d: 1),
        outsider=HIDDEN,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route(
        "sip:follow_up", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True, others={BUP: KNOWN}
    ),
    Route("sip:close", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True, others={BUP: KNOWN}),
    Route("sip:invitation", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True),
    Route(
        "sip:invitation",
        lambda d: {"reference": d.new_plan},
        variant="no meeting",
        outsider=HIDDEN,
        user=CONVENER,
        status=ABSENT,
        logs=LOGS_CHILD,
        child=True,
    ),
    Route("sip:family", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True, others={BUP: 200}),
    Route("sip:family_pdf", _plan(), outsider=HIDDEN, logs=LOGS_CHILD, child=True),
    Route(
        "sip:family",
        lambda d: {"reference": d.new_plan},
        variant="not established",
        outsider=HIDDEN,
        user=CONVENER,
        status=ABSENT,
        logs=LOGS_CHILD,
        child=True,
        others={WORKER: HIDDEN},  # the child's owning unit takes no part in this plan
    ),
    Route(
        "sip:family_pdf",
        lambda d: {"reference": d.new_plan},
        variant="not established",
        outsider=HIDDEN,
        user=CONVENER,
        status=ABSENT,
        logs=LOGS_CHILD,
        child=True,
    ),
    # --- governance: meetings, agreements, documents (no personal data) -----------------
    Route("governance:overview"),
    Route("governance:meetings", lambda d: {"body_pk": d.steering}),
    Route(
        "governance:meeting_add",
        lambda d: {"body_pk": d.steering},
        outsider=ROLE,
        user=CHAIR,
    ),
    Route("governance:meeting", lambda d: {"pk": d.meeting}),
    Route("governance:rotation", lambda d: {"body_pk": d.rotation}, query="?ar=2031"),
    Route("governance:meeting_edit", lambda d: {"pk": d.meeting}, outsider=ROLE, user=CHAIR),
    Route("governance:meeting_ics", lambda d: {"pk": d.meeting}),
    Route("governance:add_decision", lambda d: {"pk": d.meeting}, outsider=ROLE, user=CHAIR),
    Route("governance:add_action_item", lambda d: {"pk": d.meeting}, outsider=ROLE, user=CHAIR),
    Route("governance:agreements"),
    Route("governance:agreement_add", outsider=ROLE, user=SECRETARIAT),
    Route("governance:agreement", lambda d: {"pk": d.agreement}),
    Route(
        "governance:agreement_edit",
        lambda d: {"pk": d.agreement},
        outsider=ROLE,
        user=CHAIR,
    ),
    Route(
        "governance:revision_add",
        lambda d: {"pk": d.agreement},
        outsider=ROLE,
        user=CHAIR,
    ),
    Route("governance:documents"),
    Route("governance:document_add", outsider=ROLE, user=SECRETARIAT),
    Route(
        "governance:document_edit",
        lambda d: {"pk": d.document},
        outsider=ROLE,
        user=CHAIR,
        note="the document's editor",
    ),
    Route("governance:my_reviews", user=SECRETARIAT),
    # --- the yearly follow-up -------------------------------------------------------------
    Route("governance:follow_ups", outsider=ROLE, user=CHAIR),
    Route(
        "governance:follow_up",
        lambda d: {"slug": d.group, "year": d.year},
        outsider=ROLE,
        user=CHAIR,
    ),
    Route(
        "governance:county_latest",
        outsider=ROLE,
        user=SECRETARIAT,
        status=302,
        note="redirects to the last year that has ended",
    ),
    Route(
        "governance:county",
        lambda d: {"year": d.year},
        outsider=ROLE,
        user=SECRETARIAT,
        logs=LOGS,
        others={CHAIR: ROLE},
    ),
    Route(
        "governance:county_pdf",
        lambda d: {"year": d.year},
        outsider=ROLE,
        user=SECRETARIAT,
        status=302,
        method=POST,
        others={CHAIR: ROLE},
        note="asks for the file (made in the background); a GET goes back to the page",
    ),
    Route(
        "governance:county_xlsx",
        lambda d: {"year": d.year},
        outsider=ROLE,
        user=SECRETARIAT,
        status=302,
        method=POST,
        others={CHAIR: ROLE},
        note="asks for the file (made in the background); a GET goes back to the page",
    ),
    # --- what waits for a steering group or BUSSAM: its members and the secretariat ---------
    Route(
        "agenda:inbox",
        lambda d: {"pk": d.steering},
        outsider=403,
        user=CHAIR,
        others={SECRETARIAT: 200, KURATOR: 403, WORKER: 403},
        note="references and principled questions, no identity",
    ),
    Route(
        "agenda:put_on",
        lambda d: {"pk": d.steering},
        outsider=403,
        user=CHAIR,
        status=302,
        method=POST,
        others={KURATOR: 403, WORKER: 403},
        note="a POST endpoint for the body's leading seats; a GET goes to the inbox",
    ),
    Route(
        "agenda:decision",
        lambda d: {"pk": d.agenda_item},
        outsider=403,
        user=CHAIR,
        others={KURATOR: 403, WORKER: 403, SECRETARIAT: 200},
        note="the decision form of a question on the steering group's meeting",
    ),
    # --- assignments: the giver body's members, the assignee, the secretariat -------------------
    Route(
        "assignments:mine",
        user=CONVENER,
        note="one's own assignments (the outsider's list is empty)",
    ),
    Route(
        "assignments:body",
        lambda d: {"body_pk": d.steering},
        outsider=ROLE,
        user=CHAIR,
        others={SECRETARIAT: 200, BUP: 200, NORRTALJE: ROLE, WORKER: ROLE},
    ),
    Route(
        "assignments:give",
        lambda d: {"body_pk": d.steering},
        outsider=ROLE,
        user=CHAIR,
        others={SECRETARIAT: 200, BUP: ROLE, NORRTALJE: ROLE},
        note="the body's chair, convener or secretary; BUP is a plain member",
    ),
    Route(
        "assignments:give_for_deviation",
        lambda d: {"deviation_pk": d.deviation},
        outsider=HIDDEN,
        user=CHAIR,
        logs=LOGS,
        others={WORKER: KNOWN, KURATOR: HIDDEN},
        note="whoever may act on the report's step (CHAIR manages the reporting unit)",
    ),
    Route(
        "assignments:detail",
        lambda d: {"pk": d.assignment},
        outsider=HIDDEN,
        user=CHAIR,
        logs=LOGS,
        others={CONVENER: 200, SECRETARIAT: 200, NORRTALJE: HIDDEN, KURATOR: HIDDEN},
    ),
    Route(
        "assignments:close",
        lambda d: {"pk": d.assignment},
        outsider=HIDDEN,
        user=CONVENER,
        status=302,
        method=POST,
        logs=LOGS,
    ),
    # --- notifications: one's own ------------------------------------------------------------
    Route("notifications:list"),
    Route("notifications:preferences"),
    Route(
        "notifications:read_all",
        outsider=302,
        status=302,
        method=POST,
        note="a POST endpoint; a GET goes to the list",
    ),
    Route(
        "notifications:open",
        lambda d: {"pk": d.notification},
        outsider=404,
        status="/",
        note="marks it read and goes where it points; someone else's answers 404",
    ),
    # --- files built in the background: for the one who asked ------------------------------
    Route(
        "exports:status",
        lambda d: {"pk": d.export},
        outsider=HIDDEN,
        user=LOG_REVIEWER,
        logs=LOGS_CHILD,
        child=True,
        note="a log extract about the child: its status is logged with the child",
    ),
    Route(
        "exports:download",
        lambda d: {"pk": d.export},
        outsider=HIDDEN,
        user=LOG_REVIEWER,
        logs=LOGS_CHILD,
        child=True,
        others={ADMIN: HIDDEN, WORKER: HIDDEN},
    ),
    Route(
        "exports:retry",
        lambda d: {"pk": d.export},
        outsider=HIDDEN,
        user=LOG_REVIEWER,
        status=302,
        method=POST,
        logs=LOGS_CHILD,
        child=True,
        others={WORKER: HIDDEN},
        note="tries a failed export again; a GET (or a file not failed) goes to its status page",
    ),
    # --- the public pages: open to everyone, edited by the secretariat ------------------------
    Route("public:start", anonymous=200, note="Om BUS: open without logging in"),
    Route("public:page", lambda d: {"slug": "for-familjer"}, anonymous=200),
    Route(
        "public:page",
        lambda d: {"slug": "tillganglighet"},
        anonymous=200,
        variant="accessibility statement",
    ),
    Route("public:contacts", anonymous=200, note="the local groups and their mailboxes, live"),
    Route("public:barrier_report", anonymous=200, note="a POST saves a report (rate-limited)"),
    Route("public:barrier_thanks", anonymous=200),
    Route("public:manage", outsider=ROLE, user=SECRETARIAT, others={CHAIR: ROLE}),
    Route("public:new", outsider=ROLE, user=SECRETARIAT, others={CHAIR: ROLE}),
    Route(
        "public:edit",
        lambda d: {"slug": "for-familjer"},
        outsider=ROLE,
        user=SECRETARIAT,
        others={CHAIR: ROLE, ADMIN: ROLE},
    ),
    Route(
        "public:versions",
        lambda d: {"slug": "for-familjer"},
        outsider=ROLE,
        user=SECRETARIAT,
        others={CHAIR: ROLE},
    ),
    Route(
        "public:version",
        lambda d: {"slug": "for-familjer", "number": 1},
        outsider=ROLE,
        user=SECRETARIAT,
        others={CHAIR: ROLE},
    ),
    Route(
        "public:barrier_reports",
        outsider=ROLE,
        user=SECRETARIAT,
        others={CHAIR: ROLE, ADMIN: ROLE},
        note="what visitors reported: no child data (the form refuses personnummer)",
    ),
    # --- the admin site: explicit rows beside the group ---------------------------------
    Route(
        "admin:index",
        anonymous=ADMIN_LOGIN,
        outsider=ADMIN_LOGIN,
        user=ADMIN,
        others={SECRETARIAT: ADMIN_LOGIN, LOG_REVIEWER: ADMIN_LOGIN},
    ),
    Route(
        "admin:audit_accesslog_changelist",
        anonymous=ADMIN_LOGIN,
        outsider=ADMIN_LOGIN,
        user=ADMIN,
        status=ROLE,
        logs=LOGS,
        note="the system admin may not read the access log, in the admin site either "
        "(the refusal is logged)",
    ),
    # --- accounts (allauth): explicit rows beside the group --------------------------------
    Route("account_login", anonymous=200, outsider=302, user=WORKER, status=302),
    Route("mfa_index", outsider=200),
]


@dataclass(frozen=True)
class Group:
    """Routes declared together: those ``member`` says are in the group (and that have no
    row of their own), with the expectation every one of them is checked against."""

    label: str
    member: Callable[[str], bool]
    reason: str
    user: str
    sample: str  # the route the rightful user opens (200, no entry naming a child)


def _in_admin(route_id: str) -> bool:
    return route_id.startswith(("admin:", "admin/"))


ALLAUTH_NAMES = ("account_", "mfa_", "socialaccount_", "openid_connect_", "sso_")


def _in_allauth(route_id: str) -> bool:
    return route_id.startswith(ALLAUTH_NAMES) or route_id.startswith("konto/")


GROUPS = [
    Group(
        "the admin site",
        _in_admin,
        "Django's admin, for the system administrator (is_staff); every page but its log-in "
        "page sends the anonymous visitor and the outsider to /admin/login/. Tested in "
        "tests/test_pages.py and tests/test_role_changes.py.",
        user=ADMIN,
        sample="admin:accounts_user_changelist",
    ),
    Group(
        "accounts (django-allauth)",
        _in_allauth,
        "Log-in, password reset, two-factor authentication and single sign-on, under "
        "/konto/: public pages or a redirect to the log-in page for the anonymous visitor, "
        "a page of one's own for a signed-in user, never an error and never an access-log "
        "entry naming a child. Tested in tests/test_accounts.py.",
        user=WORKER,
        sample="account_change_password",
    ),
]


# --- walking the URLconf --------------------------------------------------------------------
@dataclass(frozen=True)
class Found:
    id: str  # "namespace:name", or the pattern for an unnamed route
    pattern: str
    callback: Callable


def walk(resolver=None, prefix="", namespace=None):
    resolver = resolver or get_resolver()
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            inner = namespace
            if item.namespace:
                inner = f"{namespace}:{item.namespace}" if namespace else item.namespace
            yield from walk(item, prefix + str(item.pattern), inner)
        elif isinstance(item, URLPattern):
            pattern = prefix + str(item.pattern)
            if item.name:
                route_id = f"{namespace}:{item.name}" if namespace else item.name
            else:
                route_id = pattern
            yield Found(route_id, pattern, item.callback)


def url_routes() -> dict[str, Found]:
    return {found.id: found for found in walk()}


def sample_path(pattern: str) -> str:
    """A path the pattern matches, more or less: every parameter becomes "1"."""
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", pattern)
    path = re.sub(r"<(?:\w+:)?\w+>", "1", path)
    return "/" + path.replace("^", "").replace("$", "")


# --- the data: the demo county, once per module ---------------------------------------------
def _complete() -> Demo:
    """What the demo county lacks for every page to have something to show."""
    from samverkan.assignments.models import Assignment
    from samverkan.consent.models import Consent
    from samverkan.deviations import ladder
    from samverkan.deviations.models import Action, Category, Deviation
    from samverkan.exports.models import Export
    from samverkan.forum.models import ForumCase
    from samverkan.governance.forms_follow_up import default_year
    from samverkan.governance.models import Agreement, Document, Meeting
    from samverkan.organisations.models import Body, LocalGroup, Principal, Unit
    from samverkan.people.models import Child
    from samverkan.sip.models import Plan

    today = timezone.localdate()
    social = Unit.objects.get(name="Socialtjänsten barn och ungdom, Rinkeby-Kista")
    bup = Unit.objects.get(name="Prima Barn BUP Rinkeby-Kista")
    worker, convener, chair = (User.objects.get(email=e) for e in (WORKER, CONVENER, CHAIR))
    child = Child.objects.get(personal_number=NUMBER, owning_unit=social)
    group = LocalGroup.objects.get(slug="rinkeby-kista-och-spanga-tensta")
    steering = Body.objects.get(local_group=group, kind=Body.Kind.STEERING)

    decided = ForumCase.objects.get(child=child, status=ForumCase.Status.DECIDED)
    consent = Consent.objects.for_purpose(decided).get()
    consent.document.save("samtycke.pdf", ContentFile(b"%PDF-1.4 scanned"), save=True)
    new = ForumCase.objects.get(child=child, status=ForumCase.Status.RAISED)
    new.meeting_on = today + datetime.timedelta(days=2)
    new.meeting_time = datetime.time(9, 0)
    new.meeting_place = "Rinkeby-Kista stadsdelsförvaltning"
    new.save()
    lifted = ForumCase.objects.create(
        local_group=group, child=child, raised_by_unit=social, raised_by=worker,
        noticed_on=today - datetime.timedelta(days=30), reason="Ansvaret är oklart.",
        convener=convener, status=ForumCase.Status.LIFTED,
        principled_question="Vem samordnar när båda har pågående insatser?",
    )  # fmt: skip
    plan = Plan.objects.get(child=child)
    youth = Unit.objects.get(name="Ungdomsenheten, Rinkeby-Kista")
    new_plan = Plan.objects.create(
        child=child, initiating_unit=youth, initiated_by=convener, chair=convener,
        secretary=convener, reason="Samordning inför skolbytet.",
    )  # fmt: skip

    category = Category.objects.order_by("pk").first()
    fields = {
        "reporting_unit": social, "reporter": worker, "local_group": group,
        "occurred_on": today - datetime.timedelta(days=3), "category": category,
        "what_happened": "En remiss besvarades inte.", "consequence": "Stödet dröjde.",
        "agreement_part": Deviation.AgreementPart.values[0],
    }  # fmt: skip
    draft = Deviation.objects.create(title="Utkast", **fields)
    deviation = Deviation.objects.create(title="Inskickad", **fields)
    deviation.other_units.add(bup)
    ladder.submit(deviation, worker)
    action = Action.objects.create(
        deviation=deviation, step=Deviation.Step.SUPERVISORS, text="Gå igenom rutinen",
        owner=social, created_by=worker, due_on=today + datetime.timedelta(days=10),
    )  # fmt: skip
    assignment = Assignment.objects.create(
        title="Ta fram en rutin för skolbyten", given_by_body=steering, created_by=chair,
        assignee_body=Body.objects.get(local_group=group, kind=Body.Kind.WORKING),
        due_on=today + datetime.timedelta(days=30),
    )  # fmt: skip

    export = Export.objects.create(
        requested_by=User.objects.get(email=LOG_REVIEWER), kind="audit.child_extract.pdf",
        title="Logguttdrag (PDF)", child_id=child.pk, status=Export.Status.READY,
        file_name="logguttdrag.pdf", content_type="application/pdf", content=b"%PDF-1.4",
    )  # fmt: skip

    return Demo(
        child=child.pk,
        consent=consent.pk,
        decided=decided.reference,
        new=new.reference,
        new_pk=new.pk,
        lifted=lifted.reference,
        plan=plan.reference,
        plan_pk=plan.pk,
        new_plan=new_plan.reference,
        intervention=plan.interventions.order_by("pk").first().pk,
        draft=draft.pk,
        deviation=deviation.pk,
        action=action.pk,
        assignment=assignment.pk,
        category=category.pk,
        group=group.slug,
        steering=steering.pk,
        rotation=Body.objects.get(local_group__slug="norrtalje", kind=Body.Kind.CONSULTATION).pk,
        meeting=Meeting.objects.filter(body=steering).order_by("-held_on").first().pk,
        agreement=Agreement.objects.get(local_group=group).pk,
        document=Document.objects.filter(editor=chair).order_by("pk").first().pk,
        principal=Principal.objects.get(name="Stockholms stad").pk,
        unit=social.pk,
        year=default_year(),
        export=str(export.pk),
        agenda_item=AgendaItem.objects.create(
            meeting=Meeting.objects.create(
                body=steering,
                held_on=timezone.localdate() + datetime.timedelta(days=30),
                created_by=chair,
            ),
            forum_case=lifted,
            added_by=chair,
        ).pk,
        notification=Notification.objects.create(
            user=User.objects.get(email=WORKER), text="Test", url=reverse("home")
        ).pk,
    )


@pytest.fixture(scope="module")
def _county(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo county, loaded once for the module inside a transaction that is rolled
    back at the end (each test runs in a savepoint of it, like Django's setUpTestData)."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    media.enable()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("seed_demo", quiet=True)
            demo = _complete()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            media.disable()
            raise
    yield demo
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
    media.disable()


@pytest.fixture
def county(_county, db):
    """The module's county, in a savepoint of this test's own."""
    return _county


@pytest.fixture
def logged(county):
    """The access-log entries written since the test began, optionally filtered."""
    start = AccessLog.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(**filters):
        return AccessLog.objects.filter(id__gt=start, **filters)

    return entries


@pytest.fixture
def no_drawing(monkeypatch):
    """The chart and PDF views run to the end (numbers, tables, template, log), but no
    chart is drawn (as when a chart has no bars) and weasyprint lays out no page: the
    PDFs are most of this file's time, and each chart and PDF is drawn and read in its
    own app's tests (test_deviation_reports, test_governance_follow_up, test_forum,
    test_sip)."""
    import weasyprint

    from samverkan import charts

    monkeypatch.setattr(charts, "bar_chart", lambda *args, **kwargs: None)
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7\n")


def user(email: str) -> User:
    return User.objects.get(email=email)


# --- checking an answer ---------------------------------------------------------------------
def get(client, url):
    response = client.get(url)
    if response.streaming:  # read it, so that the file is closed the way a server would
        b"".join(response.streaming_content)
    return response


def assert_refusal_logged(entries, route, refusal, county):
    """The refusal is logged (with the record and the child where the row says so), and
    nothing of the refused request is logged as seen."""
    denied = entries.filter(action=AccessLog.Action.DENIED, status_code=refusal)
    assert denied.exists(), "the refusal is not logged"
    if refusal.names_record:
        assert denied.exclude(object_type="").exists(), "the refusal does not name the record"
    if route.child:
        assert denied.filter(child_id=county.child).exists(), "the refusal does not name the child"
    seen = entries.exclude(action=AccessLog.Action.DENIED)
    assert not seen.exists(), f"a refused request is logged as seen: {list(seen)}"


def assert_answer(response, expected, who):
    if isinstance(expected, str):
        assert response.status_code == 302, f"{who}: {response.status_code}, not 302"
        assert response.url.startswith(expected), f"{who}: redirected to {response.url}"
    else:
        assert response.status_code == expected, f"{who}: {response.status_code}"


def params(column: str, routes=ROUTES):
    out = []
    for route in routes:
        marks = []
        if column in route.broken:
            marks.append(pytest.mark.xfail(strict=True, reason=route.broken[column]))
        out.append(pytest.param(route, id=route.id, marks=marks))
    return out


# --- the table, column by column ------------------------------------------------------------
@pytest.mark.parametrize("route", params(ANONYMOUS))
def test_anonymous(client, county, logged, route):
    response = get(client, route.url(county))
    assert_answer(response, route.anonymous, "anonymous")
    if route.anonymous == LOGIN:
        assert "next=" in response.url, "the log-in page does not lead back"
    assert not logged().exists(), "an anonymous request is not logged"


@pytest.mark.parametrize("route", params(OUTSIDER))
def test_outsider(client, county, logged, outsider, route):
    client.force_login(outsider)
    response = get(client, route.url(county))
    assert_answer(response, route.outsider, "outsider")
    entries = logged(user=outsider)
    if isinstance(route.outsider, Refusal):
        assert_refusal_logged(entries, route, route.outsider, county)
    assert (
        not entries.exclude(action=AccessLog.Action.DENIED).filter(child_id__isnull=False).exists()
    ), "the outsider was shown something about a child"


@pytest.mark.parametrize("route", params(RIGHTFUL))
def test_rightful(client, county, logged, no_drawing, route):
    person = user(route.user)
    client.force_login(person)
    response = get(client, route.url(county))
    assert_answer(response, route.status, route.user)
    entries = logged(user=person)
    if isinstance(route.status, Refusal):
        assert_refusal_logged(entries, route, route.status, county)
    if route.logs == NO_LOG:
        assert not entries.exists(), list(entries.values_list("reason", flat=True))
    elif route.logs == LOGS:
        assert entries.exists(), "the access is not logged"
        assert not entries.filter(child_id__isnull=False).exists(), "the entry names a child"
    else:
        assert entries.filter(child_id=county.child).exists(), "no entry names the child"


def _others():
    for route in ROUTES:
        for email in route.others:
            marks = []
            if email in route.broken:
                marks.append(pytest.mark.xfail(strict=True, reason=route.broken[email]))
            yield pytest.param(route, email, id=f"{route.id}-{email.split('@')[0]}", marks=marks)


@pytest.mark.parametrize(("route", "email"), list(_others()))
def test_others(client, county, logged, no_drawing, route, email):
    person = user(email)
    client.force_login(person)
    expected = route.others[email]
    response = get(client, route.url(county))
    assert_answer(response, expected, email)
    entries = logged(user=person)
    if isinstance(expected, Refusal):
        assert_refusal_logged(entries, route, expected, county)
    elif expected == 200 and route.logs == LOGS_CHILD:
        assert (
            entries.filter(child_id=county.child).exclude(action=AccessLog.Action.DENIED).exists()
        ), "no entry names the child"


# --- every route declared, and nothing declared that is gone --------------------------------
def test_every_route_is_declared():
    declared = {route.name for route in ROUTES}
    missing = [
        route_id
        for route_id in url_routes()
        if route_id not in declared and not any(g.member(route_id) for g in GROUPS)
    ]
    assert not missing, f"routes missing from the table in tests/test_routes.py: {missing}"


def test_every_declared_route_exists():
    routes = url_routes()
    gone = [route.id for route in ROUTES if route.name not in routes]
    assert not gone, f"the table declares routes that no longer exist: {gone}"
    for group in GROUPS:
        assert any(group.member(r) for r in routes), f"{group.label} matches no route"
        assert group.sample in routes and group.member(group.sample), group.sample
    ids = [route.id for route in ROUTES]
    assert len(ids) == len(set(ids)), "a route is declared twice"


def test_the_table_is_consistent():
    for route in ROUTES:
        if route.method == POST:
            assert route.status == 302, f"{route.id}: a POST-only route's GET redirects"
        if route.child:
            assert isinstance(route.outsider, Refusal), f"{route.id}: the outsider sees the child"
            assert route.logs == LOGS_CHILD, f"{route.id}: a view of the child is not logged"
        unknown = set(route.broken) - {ANONYMOUS, OUTSIDER, RIGHTFUL, *route.others}
        assert not unknown, f"{route.id}: broken names no column: {unknown}"


# --- the groups -----------------------------------------------------------------------------
def group_routes(group: Group) -> list[Found]:
    declared = {route.name for route in ROUTES}
    return [f for f in walk() if group.member(f.id) and f.id not in declared]


def _sent_to_admin_login(found: Found, response) -> bool:
    """The log-in page itself answers; every other page sends the visitor to it, or on to
    a page of the group that does (an object's bare address to its change page)."""
    if found.id == "admin:login":
        return response.status_code == 200
    if found.id == "admin:logout":  # to the index, which sends on to the log-in page
        return response.status_code == 302 and response.url == "/admin/"
    if response.status_code == 301 and not found.id.startswith("admin:"):
        return response.url.startswith("/admin/") and response.url.endswith("/change/")
    return response.status_code == 302 and response.url.startswith(ADMIN_LOGIN)


@pytest.mark.parametrize("who", [ANONYMOUS, OUTSIDER])
def test_admin_group(client, county, logged, outsider, who):
    if who == OUTSIDER:
        client.force_login(outsider)
    wrong = []
    for found in group_routes(GROUPS[0]):
        response = client.get(sample_path(found.pattern))
        if not _sent_to_admin_login(found, response):
            wrong.append((found.id, response.status_code, response.get("Location")))
    assert not wrong
    assert not logged(child_id__isnull=False).exists()


# The accounts pages an anonymous visitor may open (200); every other one redirects within
# /konto/ (301 for allauth's old addresses, 302 to the log-in page), answers 404 for a
# provider that does not exist, 401 (the single sign-on error page) or 403 (single sign-on's
# "no account is opened for you", which takes the place of allauth's sign-up form).
ALLAUTH_PUBLIC = {
    "account_inactive",
    "account_signup",  # says that there is no self sign-up
    "account_email_verification_sent",
    "account_confirm_email",  # with a key that does not exist: says the link is invalid
    "account_reset_password",
    "account_reset_password_from_key",  # likewise
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "socialaccount_login_cancelled",
}


@pytest.mark.parametrize("who", [ANONYMOUS, OUTSIDER])
def test_allauth_group(client, county, logged, outsider, who):
    if who == OUTSIDER:
        client.force_login(outsider)
    wrong = []
    for found in group_routes(GROUPS[1]):
        response = client.get(sample_path(found.pattern))
        status = response.status_code
        if who == OUTSIDER:
            ok = status < 500
        elif found.id in ALLAUTH_PUBLIC:
            ok = status == 200
        elif status in (301, 302):
            ok = response.url.startswith("/konto/")
        elif found.id == "socialaccount_signup":
            ok = status == 403 and "inte öppnat" in response.text
        else:
            ok = status in (401, 404)
        if not ok:
            wrong.append((found.id, status, response.get("Location")))
    assert not wrong
    assert not logged(child_id__isnull=False).exists()


@pytest.mark.parametrize("group", GROUPS, ids=[g.label for g in GROUPS])
def test_group_rightful(client, county, logged, group):
    person = user(group.user)
    client.force_login(person)
    response = client.get(reverse(group.sample))
    assert response.status_code == 200
    assert not logged(user=person).exists()


# --- every record view goes through the door ------------------------------------------------
DOOR_APPS = ("people", "consent", "forum", "sip", "deviations", "exports")
RECORD_ARGS = {"pk", "reference"}
# Views that take a record argument in those apps but do not use ``permissions.load``.
DOOR_EXCEPTIONS = {
    "deviations:review": "the secretariat's review: permission_required('deviations.secretariat') "
    "refuses everyone else before any record is read; the secretariat reads every submitted "
    "report (no child identity, reporter hidden) and the view logs it with record()",
    "deviations:category_edit": "a category of deviations is a label, not a record about anyone",
}


def _resolve(expr, namespace):
    if isinstance(expr, ast.Name):
        return namespace.get(expr.id)
    if isinstance(expr, ast.Attribute):
        base = _resolve(expr.value, namespace)
        return getattr(base, expr.attr, None) if base is not None else None
    return None


def reaches_the_door(func, seen=None) -> bool:
    """Whether ``func``, or a helper of its own module it calls, calls permissions.load."""
    func = inspect.unwrap(func)
    seen = seen if seen is not None else set()
    seen.add(func)
    namespace = vars(sys.modules[func.__module__])
    tree = ast.parse(textwrap.dedent(inspect.getsource(func)))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        target = _resolve(node.func, namespace)
        if target is permissions.load:
            return True
        if (
            inspect.isfunction(target)
            and target.__module__ == func.__module__
            and target not in seen
            and reaches_the_door(target, seen)
        ):
            return True
    return False


def _record_views():
    for found in walk():
        module = getattr(inspect.unwrap(found.callback), "__module__", "")
        app = module.split(".")[1] if module.startswith("samverkan.") else ""
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", found.pattern))
        if app in DOOR_APPS and names & RECORD_ARGS:
            yield found


def test_record_views_go_through_the_door():
    views = list(_record_views())
    assert len(views) > 30, "the walk found too few record views"
    bypass = [f.id for f in views if not reaches_the_door(f.callback)]
    assert sorted(bypass) == sorted(DOOR_EXCEPTIONS), (
        f"views that reach a record without samverkan.permissions.load: "
        f"{sorted(set(bypass) - set(DOOR_EXCEPTIONS))}; exceptions no longer needed: "
        f"{sorted(set(DOOR_EXCEPTIONS) - set(bypass))}"
    )
