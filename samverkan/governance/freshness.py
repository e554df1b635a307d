"""Which writes make a closed year's numbers stale (see ``samverkan.closed_years``).

A saved or deleted record touches every year one of its dates falls in, before and after
the change, and the years of the record it belongs to (a follow-up its plan's, a status
change its case's). Changes to the structure the numbers are counted by (categories, areas,
units, groups, bodies) touch every year. Bulk updates bypass these receivers: code that
changes counted records with ``QuerySet.update`` calls ``closed_years.touch`` itself, and
``manage.py recompute_reports`` starts afresh.
"""

import datetime

from django.db.models import DateField  # DateTimeField is one too
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.utils import timezone

from samverkan import closed_years
from samverkan.deviations.models import Category, Deviation
from samverkan.forum.models import ForumCase, Invitee, StatusChange
from samverkan.governance.models import Meeting
from samverkan.organisations.models import Area, Body, LocalGroup, Unit
from samverkan.sip.models import FollowUp, Plan, PlanVersion

COUNTED = [Deviation, ForumCase, Plan, Meeting]
# A record counted through another: the attribute naming the one whose years it touches.
BELONGING = {StatusChange: "case", Invitee: "case", FollowUp: "plan", PlanVersion: "plan"}
STRUCTURE = [Category, Area, Unit, LocalGroup, Body]

_date_fields: dict[type, list[str]] = {}


def _years(instance) -> set[int]:
    model = type(instance)
    if model not in _date_fields:
        _date_fields[model] = [
            f.attname for f in model._meta.concrete_fields if isinstance(f, DateField)
        ]
    years = set()
    for name in _date_fields[model]:
        value = instance.__dict__.get(name)
        if isinstance(value, datetime.datetime):
            years.add(timezone.localtime(value).year if timezone.is_aware(value) else value.year)
        elif isinstance(value, datetime.date):
            years.add(value.year)
    return years


def _remember_years(sender, instance, **kwargs):
    instance._years_when_loaded = _years(instance) if instance.pk else set()


def _counted_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    closed_years.touch(*_years(instance), *getattr(instance, "_years_when_loaded", ()))
    instance._years_when_loaded = _years(instance)


def _belonging_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    owner = getattr(instance, BELONGING[sender], None)
    closed_years.touch(*_years(instance), *(_years(owner) if owner is not None else ()))


def _structure_changed(sender, raw=False, **kwargs):
    if not raw:
        closed_years.touch_all()


def _parties_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        if isinstance(instance, Deviation):
            closed_years.touch(*_years(instance))
        else:  # from the unit's or principal's side: which reports, unknown here
            closed_years.touch_all()


def connect() -> None:
    for model in COUNTED:
        post_init.connect(_remember_years, sender=model, dispatch_uid=f"years-{model.__name__}")
        post_save.connect(_counted_changed, sender=model, dispatch_uid=f"years-{model.__name__}")
        post_delete.connect(_counted_changed, sender=model, dispatch_uid=f"years-{model.__name__}")
    for model in BELONGING:
        post_save.connect(_belonging_changed, sender=model, dispatch_uid=f"years-{model.__name__}")
        post_delete.connect(
            _belonging_changed, sender=model, dispatch_uid=f"years-{model.__name__}"
        )
    for model in STRUCTURE:
        post_save.connect(_structure_changed, sender=model, dispatch_uid=f"years-{model.__name__}")
        post_delete.connect(
            _structure_changed, sender=model, dispatch_uid=f"years-{model.__name__}"
        )
    for through in (
        Deviation.other_units.through,
        Deviation.other_principals.through,
        LocalGroup.areas.through,
    ):
        m2m_changed.connect(_parties_changed, sender=through, dispatch_uid=f"years-{through}")
