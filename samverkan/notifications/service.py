"""Telling people: ``notify`` writes a notification for each person now, in the caller's
transaction, and sends e-mail only once that transaction has committed (a change that is
rolled back tells nobody), in the background. People who chose a daily summary get it from
``send_digests`` (``manage.py send_notification_digests``, once a day)."""

from __future__ import annotations

import functools
import logging
import threading
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from samverkan.identity import find_identity
from samverkan.notifications.models import Notification, Preference

logger = logging.getLogger(__name__)
_quiet = threading.local()


@contextmanager
def muted():
    """Nobody is told of what happens inside (loading data, such as the demo county, whose
    events are history, not news). Per thread."""
    before = getattr(_quiet, "on", False)
    _quiet.on = True
    try:
        yield
    finally:
        _quiet.on = before


def in_service_language(function):
    """Notification texts are written in the service's language (Swedish), whoever's
    request caused them: they are read by others, later, by e-mail too."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return function(*args, **kwargs)

    return wrapper


def about_key(obj) -> str:
    """What a notification is about, as stored: "deviations.deviation:12"."""
    return f"{obj._meta.label_lower}:{obj.pk}" if obj is not None else ""


def email_choices(users) -> dict[int, str]:
    chosen = dict(
        Preference.objects.filter(user__in=[u.pk for u in users]).values_list("user_id", "email")
    )
    return {u.pk: chosen.get(u.pk, Preference.Email.IMMEDIATE) for u in users}


def notify(users, text, url: str, *, about=None, attachment=None) -> list[Notification]:
    """Tell ``users`` (inactive ones and repeats left out) ``text`` with a link to ``url``.

    ``text`` names a reference number and what happened, never a person: if it holds
    what looks like a personnummer, reservnummer, e-mail address or phone number, it is
    replaced by a neutral text (and the error logged). ``attachment``, for the
    e-mail only, is (file name, text content, MIME type), e.g. a meeting's invitation."""
    if getattr(_quiet, "on", False):
        return []
    text = str(text)
    if find_identity(text):
        # A text built from validated fields should never get here; if one does (or the
        # check errs), the notification still goes out, without the text.
        logger.error("A notification text looked like it identified someone; sent without it.")
        text = str(_("Något nytt i Samverkan rör dig. Följ länken för att se vad."))
    people = {u.pk: u for u in users if u is not None and u.is_active}
    if not people:
        return []
    key = about_key(about)
    rows = Notification.objects.bulk_create(
        [Notification(user_id=pk, text=text[:300], url=url, about=key) for pk in people]
    )
    choices = email_choices(people.values())
    immediate = [
        row.pk
        for row in rows
        if choices[row.user_id] == Preference.Email.IMMEDIATE and people[row.user_id].email
    ]
    if immediate:
        from samverkan.notifications.tasks import send_notifications

        transaction.on_commit(lambda: send_notifications.enqueue(immediate, list(attachment or [])))
    return rows


def already_emailed(user, subject: str, url: str, *, about=None) -> Notification:
    """A reminder that went by its own e-mail: the same news in the app, marked as e-mailed
    so that it is not sent again. ``subject`` is the e-mail's subject line (it carries a
    reference and a date, never a person)."""
    text = " ".join(str(subject).split())[:300]
    if find_identity(text):
        text = str(_("Något nytt i Samverkan rör dig. Följ länken för att se vad."))
    return Notification.objects.create(
        user=user, text=text, url=url, about=about_key(about), emailed_at=timezone.now()
    )


def mark_read(user, obj) -> None:
    """``user`` has seen ``obj``: its notifications to them are read."""
    Notification.objects.filter(user=user, about=about_key(obj), read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
