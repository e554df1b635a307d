"""Nobody is shown an action they cannot take: on the main record pages (a SIP, a forum case,
a deviation report, a meeting and its body's meetings), every link that is a button leads
somewhere the person may go, for every demo account that may open the page. The templates
ask the same rules as the views (``{% allowed %}`` or the view's ``may_…``)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from samverkan.accounts.models import User
from samverkan.deviations.models import Deviation
from samverkan.forum.models import ForumCase
from samverkan.governance.models import Meeting
from samverkan.sip.models import Plan

BUTTON_LINK = re.compile(r'<a class="ds-button"[^>]*href="(/[^"]*)"')
FILES = (".pdf", ".ics", ".xlsx")


def record_pages():
    pages = []
    for model in (Plan, ForumCase, Deviation):
        pages += [r.get_absolute_url() for r in model.objects.order_by("pk")[:3]]
        pages += [r.get_absolute_url() for r in model.objects.order_by("-pk")[:3]]
    for meeting in Meeting.objects.order_by("-held_on")[:3]:
        pages += [meeting.get_absolute_url(), f"/styrning/organ/{meeting.body_id}/moten/"]
    return pages


@pytest.mark.django_db(transaction=True)
def test_every_button_a_person_sees_leads_where_they_may_go(demo):
    pages = record_pages()
    seen, followed = 0, 0
    for user in User.objects.filter(is_active=True, is_superuser=False):
        client = Client()
        client.force_login(user)
        for page in pages:
            response = client.get(page)
            if response.status_code != 200:
                continue
            seen += 1
            for href in set(BUTTON_LINK.findall(response.text)):
                if href.endswith(FILES) or href == page:
                    continue
                followed += 1
                answer = client.get(href.replace("&amp;", "&"))
                assert answer.status_code < 400, (
                    f"{user.email} is shown {href} on {page}, which answers {answer.status_code}"
                )
    assert seen > 20 and followed > 20  # the demo has pages and buttons to check


def actions(record) -> list[str]:
    """The pages where something is done to ``record``."""
    if isinstance(record, Plan):
        names = ["sip:edit", "sip:participant_add", "sip:intervention_add", "sip:follow_up",
                 "sip:close"]  # fmt: skip
        return [reverse(n, args=[record.reference]) for n in names] + [
            reverse("consent:add", args=["sip", record.pk])
        ]
    if isinstance(record, ForumCase):
        names = ["forum:convene", "forum:case_workers", "forum:protocol_edit", "forum:outcome",
                 "forum:steering_decision"]  # fmt: skip
        return [reverse(n, args=[record.reference]) for n in names] + [
            reverse("consent:add", args=["individforum", record.pk])
        ]
    if isinstance(record, Deviation):
        return [reverse("deviations:add_action", args=[record.pk])]
    names = ["governance:meeting_edit", "governance:add_decision", "governance:add_action_item"]
    return [reverse(n, args=[record.pk]) for n in names]


@pytest.mark.django_db(transaction=True)
def test_an_action_someone_may_not_take_is_not_shown_to_them(demo):
    records = [
        *Plan.objects.order_by("pk")[:4],
        *ForumCase.objects.order_by("-pk")[:4],
        *Deviation.objects.exclude(reference="").order_by("-pk")[:4],
        *Meeting.objects.order_by("-held_on")[:2],
    ]
    hidden = 0
    for user in User.objects.filter(is_active=True, is_superuser=False):
        client = Client()
        client.force_login(user)
        for record in records:
            page = client.get(record.get_absolute_url())
            if page.status_code != 200:
                continue
            for action in actions(record):
                if client.get(action).status_code >= 400:
                    hidden += 1
                    assert f'href="{action}"' not in page.text, (
                        f"{user.email} is shown {action} on {record.get_absolute_url()}"
                    )
    assert hidden > 10  # roles that may read a record but not act on it were checked
