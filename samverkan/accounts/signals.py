"""Every change to someone's roles goes to the role-change log, and nobody changes their own.

Roles are the system flags on the user, the user's groups and permissions, where they work
(``organisations.UnitMembership``) and the seats they hold in bodies
(``organisations.Membership``). The signals below watch those models, so every path that
saves them (the admin, a view, a command, the ORM in a shell) is covered:

- before a change is saved, it is refused (``PermissionDenied``) if the user of the request
  being served is the person whose roles it changes: nobody changes their own roles. The
  admin says so in its forms before it gets this far; this is the backstop;
- after it is saved, one ``RoleChange`` row per person and change is written, in the service's
  default language, with who made it, from where (the admin, the app, or a command when
  there is no request), the address and the IP address.

What the signals cannot see: ``QuerySet.update()`` and raw SQL, which send no signals.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from samverkan.accounts.models import RoleChange, User
from samverkan.network import client_ip
from samverkan.organisations.models import SELF_CHANGE_REFUSED, Membership, UnitMembership
from samverkan.permissions import current_request

# The flags on the user that are roles, with the names a reviewer reads.
ROLE_FLAGS = {
    "is_superuser": gettext_lazy("Systemadministratör"),
    "is_staff": gettext_lazy("Inloggning i administrationen"),
    "is_secretariat": gettext_lazy("BUS-sekretariatet"),
    "is_log_reviewer": gettext_lazy("Logggranskare"),
    "is_active": gettext_lazy("Aktivt konto"),
}

# Attribute on the saved or deleted instance that carries the log rows from the pre_ signal
# (where the change is worked out, against the stored row) to the post_ signal (where it is
# written, once the change has been made).
PENDING = "_pending_role_changes"


# --- who, from where -----------------------------------------------------------------------
def acting_user():
    """The signed-in user of the request being served, or None."""
    request = current_request()
    user = getattr(request, "user", None) if request is not None else None
    return user if user is not None and user.is_authenticated else None


def refuse_self_change(*subject_ids) -> None:
    """Nobody changes their own roles: refuse when the request's user is among the people
    whose roles the change touches."""
    actor = acting_user()
    if actor is not None and actor.pk in subject_ids:
        raise PermissionDenied(SELF_CHANGE_REFUSED)


def admin_prefix() -> str:
    try:
        return reverse("admin:index")
    except NoReverseMatch:
        return "/admin/"


def person_label(user) -> str:
    name = user.get_full_name()
    return (f"{name} ({user.email})" if name else user.email)[:300]


def write(changes: list[tuple[int, str, str]]) -> None:
    """Write (subject id, kind, text) rows, with who and from where."""
    if not changes:
        return
    request = current_request()
    actor = acting_user()
    if request is None:
        source, path, ip = RoleChange.Source.COMMAND, "", None
    else:
        admin = request.path.startswith(admin_prefix())
        source = RoleChange.Source.ADMIN if admin else RoleChange.Source.APP
        path, ip = request.get_full_path()[:500], client_ip(request)
    subjects = User.objects.in_bulk({subject_id for subject_id, _kind, _text in changes})
    RoleChange.objects.bulk_create(
        RoleChange(
            actor=actor,
            actor_label=person_label(actor) if actor else "",
            subject_id=subject_id,
            subject_label=person_label(subjects[subject_id]),
            kind=kind,
            change=text[:500],
            source=source,
            path=path,
            ip_address=ip,
        )
        for subject_id, kind, text in changes
    )


def in_log_language(describe):
    """Texts are kept in the service's default language, whatever language the actor reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return describe()


# --- words ---------------------------------------------------------------------------------
def yes_no(value: bool) -> str:
    return _("ja") if value else _("nej")


def day(value: datetime.date | str | None) -> str:
    if not value:
        return ""
    return value.isoformat() if isinstance(value, datetime.date) else str(value)


def period(valid_from, valid_to) -> str:
    """Dates as "2026-01-01–", "–2026-06-30" or "2026-01-01–2026-06-30"; "" for none."""
    if not valid_from and not valid_to:
        return ""
    return f"{day(valid_from)}–{day(valid_to)}"


def shown(value) -> str:
    return str(value) if value not in (None, "") else "–"


def with_parts(*parts) -> str:
    return ", ".join(str(part) for part in parts if part)


def unit_membership_text(m: UnitMembership) -> str:
    return _("Verksamhet %(what)s") % {
        "what": with_parts(m.unit, m.get_role_display().lower(), period(m.valid_from, m.valid_to))
    }


def seat_text(m: Membership) -> str:
    what = with_parts(
        m.get_role_display().lower(),
        m.function,
        m.unit if m.unit_id else "",
        period(m.valid_from, m.valid_to),
    )
    return _("Plats i %(body)s: %(what)s") % {"body": m.body, "what": what}


def added(text: str) -> str:
    return _("%(what)s: tillagd") % {"what": text}


def removed(text: str) -> str:
    return _("%(what)s: borttagen") % {"what": text}


def changed(text: str, differences: list[str]) -> str:
    return _("%(what)s: ändrad (%(how)s)") % {"what": text, "how": "; ".join(differences)}


def difference(label: str, before, after) -> str:
    return f"{label} {shown(before)} → {shown(after)}"


# --- the user's flags ----------------------------------------------------------------------
def user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    setattr(instance, PENDING, [])
    if raw or instance._state.adding:
        return  # a new account is described after it is saved (it has no id before)
    if update_fields is not None and not set(update_fields) & set(ROLE_FLAGS):
        return  # e.g. last_login on every log-in: no role can change, no query
    stored = sender.objects.filter(pk=instance.pk).values(*ROLE_FLAGS).first()
    if stored is None:
        return
    flags = [f for f in ROLE_FLAGS if stored[f] != _value(instance, f)]
    if update_fields is not None:
        flags = [f for f in flags if f in update_fields]
    if not flags:
        return
    refuse_self_change(instance.pk)
    setattr(
        instance,
        PENDING,
        in_log_language(
            lambda: [
                (
                    instance.pk,
                    RoleChange.Kind.FLAG,
                    f"{ROLE_FLAGS[f]}: {yes_no(stored[f])} → {yes_no(_value(instance, f))}",
                )
                for f in flags
            ]
        ),
    )


def user_post_save(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    if created:
        # A new account counts, and so does every flag it was created with.
        def describe():
            rows = [(instance.pk, RoleChange.Kind.ACCOUNT, _("Konto skapat"))]
            for f, label in ROLE_FLAGS.items():
                default = sender._meta.get_field(f).get_default()
                if getattr(instance, f) != default:
                    text = f"{label}: {yes_no(default)} → {yes_no(getattr(instance, f))}"
                    rows.append((instance.pk, RoleChange.Kind.FLAG, text))
            return rows

        write(in_log_language(describe))
    else:
        write(instance.__dict__.pop(PENDING, []))


# --- groups and permissions ----------------------------------------------------------------
def group_or_permission_text(item) -> str:
    if isinstance(item, Group):
        return _("Grupp %(name)s") % {"name": item.name}
    return _("Behörighet %(name)s") % {"name": item}


def user_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``user.groups`` and ``user.user_permissions``, changed from either side."""
    if action.startswith("post_"):
        write(instance.__dict__.pop(PENDING, []))
        return
    if action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    through = sender
    user_column = "user_id"
    other_column = next(
        f.attname
        for f in through._meta.concrete_fields
        if f.is_relation and f.related_model is not User
    )
    # The (user id, group or permission id) pairs the action touches.
    if action == "pre_add":
        if reverse:
            pairs = [(user_id, instance.pk) for user_id in pk_set]
        else:
            pairs = [(instance.pk, item_id) for item_id in pk_set]
    else:
        mine = {other_column: instance.pk} if reverse else {user_column: instance.pk}
        rows = through.objects.filter(**mine)
        if action == "pre_remove":
            ids = {"user_id__in" if reverse else f"{other_column}__in": pk_set}
            rows = rows.filter(**ids)
        pairs = list(rows.values_list(user_column, other_column))
    if not pairs:
        setattr(instance, PENDING, [])
        return
    refuse_self_change(*{user_id for user_id, _item in pairs})
    item_model = instance.__class__ if reverse else model
    items = item_model.objects.in_bulk({item_id for _user, item_id in pairs})
    word = added if action == "pre_add" else removed
    setattr(
        instance,
        PENDING,
        in_log_language(
            lambda: [
                (user_id, RoleChange.Kind.GROUP, word(group_or_permission_text(items[item_id])))
                for user_id, item_id in pairs
            ]
        ),
    )


# --- unit memberships and seats ------------------------------------------------------------
def _value(obj, name):
    """The field's value as stored (a date set as the text "2026-06-30" is a date)."""
    field = obj._meta.get_field(name)
    return field.to_python(getattr(obj, field.attname))


def _compare(old, new, fields: list[tuple[str, str]]) -> list[str]:
    differences = []
    for name, label in fields:
        field = old._meta.get_field(name)
        before, after = _value(old, name), _value(new, name)
        if before == after:
            continue
        if field.is_relation:
            before, after = getattr(old, name), getattr(new, name)
        elif field.choices:
            before = dict(field.flatchoices).get(before, before)
            after = dict(field.flatchoices).get(after, after)
            before, after = str(before).lower(), str(after).lower()
        elif isinstance(field, models.DateField):
            before, after = day(before), day(after)
        differences.append(difference(label, before, after))
    return differences


def _role_row_changes(old, new, kind, text, fields) -> list[tuple[int, str, str]]:
    """The log rows for saving ``new`` (``old``: the stored row, None for a new one)."""
    before = _value(old, "user") if old is not None else None
    after = _value(new, "user")
    if old is None:
        return [(after, kind, added(text(new)))] if after else []
    if before != after:
        # Moved from one person to another (or a seat filled or vacated).
        rows = []
        if before:
            rows.append((before, kind, removed(text(old))))
        if after:
            rows.append((after, kind, added(text(new))))
        return rows
    if not after:
        return []  # a vacant seat is nobody's role
    differences = _compare(old, new, fields)
    return [(after, kind, changed(text(old), differences))] if differences else []


def _fields(model, names) -> list[tuple[str, str]]:
    return [(name, str(model._meta.get_field(name).verbose_name)) for name in names]


def role_row_pre_save(sender, instance, raw=False, **kwargs):
    setattr(instance, PENDING, [])
    if raw:
        return
    old = None
    if not instance._state.adding and instance.pk is not None:
        old = sender.objects.filter(pk=instance.pk).first()
    if sender is UnitMembership:
        kind, text = RoleChange.Kind.UNIT, unit_membership_text
        names = ["unit", "role", "valid_from", "valid_to"]
    else:
        kind, text = RoleChange.Kind.SEAT, seat_text
        names = ["body", "role", "unit", "valid_from", "valid_to"]
    rows = in_log_language(
        lambda: _role_row_changes(old, instance, kind, text, _fields(sender, names))
    )
    if rows:
        refuse_self_change(*{subject_id for subject_id, _kind, _text in rows})
    setattr(instance, PENDING, rows)


def role_row_post_save(sender, instance, raw=False, **kwargs):
    if not raw:
        write(instance.__dict__.pop(PENDING, []))


def _user_being_deleted(instance, origin) -> bool:
    """Whether ``instance`` goes because its user is being deleted (then there is nobody left
    to log it for; an account with logged roles cannot be deleted anyway)."""
    if isinstance(origin, User):
        return origin.pk == instance.user_id
    if isinstance(origin, models.QuerySet) and origin.model is User:
        return origin.filter(pk=instance.user_id).exists()
    return False


def role_row_pre_delete(sender, instance, origin=None, **kwargs):
    setattr(instance, PENDING, [])
    if not instance.user_id or _user_being_deleted(instance, origin):
        return
    refuse_self_change(instance.user_id)
    if sender is UnitMembership:
        kind, text = RoleChange.Kind.UNIT, unit_membership_text
    else:
        kind, text = RoleChange.Kind.SEAT, seat_text
    setattr(
        instance,
        PENDING,
        in_log_language(lambda: [(instance.user_id, kind, removed(text(instance)))]),
    )


def role_row_post_delete(sender, instance, **kwargs):
    write(instance.__dict__.pop(PENDING, []))


def connect() -> None:
    """Called once, from ``AccountsConfig.ready()``."""
    uid = "samverkan.accounts.role_changes"
    pre_save.connect(user_pre_save, sender=User, dispatch_uid=f"{uid}.user.pre")
    post_save.connect(user_post_save, sender=User, dispatch_uid=f"{uid}.user.post")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            user_m2m_changed, sender=through, dispatch_uid=f"{uid}.{through._meta.label}"
        )
    for model in (UnitMembership, Membership):
        label = model._meta.label
        pre_save.connect(role_row_pre_save, sender=model, dispatch_uid=f"{uid}.{label}.pre")
        post_save.connect(role_row_post_save, sender=model, dispatch_uid=f"{uid}.{label}.post")
        pre_delete.connect(role_row_pre_delete, sender=model, dispatch_uid=f"{uid}.{label}.pd")
        post_delete.connect(role_row_post_delete, sender=model, dispatch_uid=f"{uid}.{label}.postd")
