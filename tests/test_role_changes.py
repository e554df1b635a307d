"""Separation of duties: every change to someone's roles is logged, and nobody changes their
own roles: not in the admin, not in the app, not by any other path that goes through the
models. The log reviewers read the role changes at /logg/roller/."""

import datetime
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.urls import reverse

from samverkan import permissions
from samverkan.accounts.models import RoleChange, User
from samverkan.organisations.models import SELF_CHANGE_REFUSED, Membership, UnitMembership
from tests.helpers import employ, seat

pytestmark = pytest.mark.django_db

SELF_REFUSED = str(SELF_CHANGE_REFUSED)


# --- the admin's forms, as a browser would send them ---------------------------------------
class _FormFields(HTMLParser):
    """The fields a browser would submit from the form with ``form_id``."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.fields: list[tuple[str, str]] = []
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        elif not self.inside:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if not a.get("name") or kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.fields.append((a["name"], a.get("value") or "on"))
            else:
                self.fields.append((a["name"], a.get("value") or ""))
        elif tag == "select":
            self.select = {"name": a.get("name"), "multiple": "multiple" in a, "first": None}
            self.select["chosen"] = False
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in a:
                self.fields.append((self.select["name"], value))
                self.select["chosen"] = True
        elif tag == "textarea":
            self.textarea, self.text = a.get("name"), ""

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            s = self.select
            if not s["chosen"] and not s["multiple"] and s["first"] is not None:
                self.fields.append((s["name"], s["first"]))
            self.select = None


def form_data(response, form_id) -> dict:
    assert response.status_code == 200, response.status_code
    parser = _FormFields(form_id)
    parser.feed(response.text)
    data: dict = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


def add_inline_row(data, prefix, **values):
    """One more row in an inline formset, from its empty ``__prefix__`` template."""
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    template = f"{prefix}-__prefix__-"
    for name, value in list(data.items()):
        if name.startswith(template):
            data[f"{prefix}-{index}-{name.removeprefix(template)}"] = value
    for name, value in values.items():
        data[f"{prefix}-{index}-{name}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    return data


def changes(**lookup):
    return list(RoleChange.objects.filter(**lookup).order_by("id"))


# --- one's own account in the admin --------------------------------------------------------
def test_admin_cannot_make_themselves_log_reviewer(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    page = client.get(url)
    assert 'name="is_log_reviewer"' not in page.text  # shown, not editable
    assert SELF_REFUSED in page.text
    before = RoleChange.objects.count()

    data = form_data(page, "user_form")
    data.update(first_name="Alva", is_log_reviewer="on", is_secretariat="on")
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]

    admin_user.refresh_from_db()
    assert admin_user.first_name == "Alva"  # the rest of the page saves as usual
    assert not admin_user.is_log_reviewer and not admin_user.is_secretariat
    assert admin_user.is_superuser and admin_user.is_active
    assert RoleChange.objects.count() == before


def test_own_unit_memberships_are_read_only_on_ones_own_user_page(
    client_for, admin_user, school, bup
):
    mine = employ(admin_user, school)
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[admin_user.pk])
    data = form_data(client.get(url), "user_form")
    assert "unit_memberships-0-role" not in data  # the row is shown read-only
    add_inline_row(data, "unit_memberships", unit=str(bup.pk), role="manager",
                   valid_from="2026-01-01")  # fmt: skip
    before = RoleChange.objects.count()
    assert client.post(url, data).status_code == 302
    assert list(UnitMembership.objects.filter(user=admin_user)) == [mine]
    assert mine.role == UnitMembership.Role.STAFF
    assert RoleChange.objects.count() == before


def test_admin_cannot_employ_themselves(client_for, admin_user, school):
    client = client_for(admin_user)
    before = RoleChange.objects.count()
    response = client.post(
        reverse("admin:organisations_unitmembership_add"),
        {"user": admin_user.pk, "unit": school.pk, "role": "staff", "title": "",
         "valid_from": "2026-01-01", "valid_to": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [SELF_REFUSED]
    assert not UnitMembership.objects.exists()
    assert RoleChange.objects.count() == before


def test_admin_cannot_give_themselves_a_seat(client_for, admin_user, steering):
    client = client_for(admin_user)
    before = RoleChange.objects.count()
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {"body": steering.pk, "function": "Rektor", "user": admin_user.pk, "role": "chair",
         "unit": "", "valid_from": "", "valid_to": ""},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["user"] == [SELF_REFUSED]
    assert not Membership.objects.exists()
    assert RoleChange.objects.count() == before


def test_own_rows_are_read_only_and_cannot_be_deleted(client_for, admin_user, school, steering):
    mine, my_seat = employ(admin_user, school), seat(steering, admin_user)
    client = client_for(admin_user)
    for row, name in ((mine, "unitmembership"), (my_seat, "membership")):
        page = client.get(reverse(f"admin:organisations_{name}_change", args=[row.pk]))
        assert page.status_code == 200 and 'name="_save"' not in page.text
        response = client.post(reverse(f"admin:organisations_{name}_change", args=[row.pk]), {})
        assert response.status_code == 403
        response = client.post(
            reverse(f"admin:organisations_{name}_delete", args=[row.pk]), {"post": "yes"}
        )
        assert response.status_code == 403
        # Nor with the "delete selected" action: the page explains, nothing is deleted.
        response = client.post(
            reverse(f"admin:organisations_{name}_changelist"),
            {"action": "delete_selected", "_selected_action": [row.pk], "post": "yes"},
        )
        assert response.status_code == 200 and SELF_REFUSED in response.text
    assert UnitMembership.objects.filter(pk=mine.pk).exists()
    assert Membership.objects.filter(pk=my_seat.pk).exists()
    # …nor by deleting the unit or the body they belong to.
    response = client.post(
        reverse("admin:organisations_body_delete", args=[steering.pk]), {"post": "yes"}
    )
    assert response.status_code == 200 and SELF_REFUSED in response.text
    assert Membership.objects.filter(pk=my_seat.pk).exists()


def test_the_seat_inline_refuses_oneself(client_for, admin_user, staff, steering):
    my_seat = seat(steering, admin_user, function="Rektor")
    client = client_for(admin_user)
    url = reverse("admin:organisations_body_change", args=[steering.pk])
    data = form_data(client.get(url), "body_form")
    assert data["memberships-TOTAL_FORMS"] == "1"

    # Choosing oneself on a new row: an error at the field.
    new = add_inline_row(dict(data), "memberships", function="Skolchef",
                         user=str(admin_user.pk), role="chair")  # fmt: skip
    response = client.post(url, new)
    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[1].errors["user"] == [SELF_REFUSED]

    # Changing or deleting one's own seat: refused.
    changed = {**data, "memberships-0-role": "chair"}
    response = client.post(url, changed)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.forms[0].errors["user"]
    response = client.post(url, {**data, "memberships-0-DELETE": "on"})
    assert response.status_code == 200 and SELF_REFUSED in response.text
    my_seat.refresh_from_db()
    assert my_seat.role == Membership.Role.MEMBER and my_seat.user == admin_user

    # Someone else's seat, from the same page: fine, and logged.
    other = add_inline_row(dict(data), "memberships", function="Skolchef",
                           user=str(staff.pk), role="chair")  # fmt: skip
    assert client.post(url, other).status_code == 302
    (logged,) = changes(subject=staff, kind="seat")
    assert logged.actor == admin_user and logged.source == "admin"
    assert logged.change == (
        "Plats i BUS lokal styrgrupp (BUS Testby): ordförande, Skolchef: tillagd"
    )


# --- changes to other people in the admin are allowed and logged ---------------------------
def test_admin_grants_someone_else_the_log_reviewer_flag(client_for, admin_user, staff):
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    data = form_data(client.get(url), "user_form")
    data["is_log_reviewer"] = "on"
    response = client.post(url, data, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.is_log_reviewer

    (logged,) = changes(subject=staff, kind="flag")
    assert logged.actor == admin_user and logged.actor_label == "admin@example.org"
    assert logged.subject_label == "Kim Kurator (kurator@testskolan.example)"
    assert logged.change == "Logggranskare: nej → ja"
    assert logged.source == "admin" and logged.path == url
    assert logged.ip_address == "10.9.8.7"


def test_a_second_account_made_by_an_admin_is_logged(client_for, admin_user):
    client = client_for(admin_user)
    url = reverse("admin:accounts_user_add")
    data = form_data(client.get(url), "user_form")
    data.update(email="alva.2@example.org", password1="ett-annat-långt-lösenord",
                password2="ett-annat-långt-lösenord")  # fmt: skip
    assert client.post(url, data).status_code == 302
    second = User.objects.get(email="alva.2@example.org")
    url = reverse("admin:accounts_user_change", args=[second.pk])
    data = form_data(client.get(url), "user_form")
    data.update(is_staff="on", is_superuser="on")
    assert client.post(url, data).status_code == 302

    logged = changes(subject=second)
    assert [(c.kind, c.change) for c in logged] == [
        ("account", "Konto skapat"),
        ("flag", "Systemadministratör: nej → ja"),
        ("flag", "Inloggning i administrationen: nej → ja"),
    ]
    assert {(c.actor, c.source) for c in logged} == {(admin_user, "admin")}


def test_unit_memberships_of_others_are_logged(client_for, admin_user, staff, bup):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:organisations_unitmembership_add"),
        {"user": staff.pk, "unit": bup.pk, "role": "manager", "title": "",
         "valid_from": "2026-01-01", "valid_to": ""},
    )  # fmt: skip
    assert response.status_code == 302
    membership = UnitMembership.objects.get(user=staff, unit=bup)

    url = reverse("admin:organisations_unitmembership_change", args=[membership.pk])
    data = form_data(client.get(url), "unitmembership_form")
    data["valid_to"] = "2026-06-30"
    assert client.post(url, data).status_code == 302

    url = reverse("admin:organisations_unitmembership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not UnitMembership.objects.filter(pk=membership.pk).exists()

    logged = changes(subject=staff, kind="unit", change__contains="BUP")
    assert [c.change for c in logged] == [
        "Verksamhet BUP Testby, chef, 2026-01-01–: tillagd",
        "Verksamhet BUP Testby, chef, 2026-01-01–: ändrad (gäller till – → 2026-06-30)",
        "Verksamhet BUP Testby, chef, 2026-01-01–2026-06-30: borttagen",
    ]
    assert {(c.actor, c.source) for c in logged} == {(admin_user, "admin")}


def test_seats_of_others_are_logged(client_for, admin_user, staff, steering):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:organisations_membership_add"),
        {"body": steering.pk, "function": "Rektor", "user": staff.pk, "role": "chair",
         "unit": "", "valid_from": "", "valid_to": ""},
    )  # fmt: skip
    assert response.status_code == 302
    membership = Membership.objects.get(user=staff)
    url = reverse("admin:organisations_membership_delete", args=[membership.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302

    logged = changes(subject=staff, kind="seat")
    assert [c.change for c in logged] == [
        "Plats i BUS lokal styrgrupp (BUS Testby): ordförande, Rektor: tillagd",
        "Plats i BUS lokal styrgrupp (BUS Testby): ordförande, Rektor: borttagen",
    ]
    assert {(c.actor, c.source) for c in logged} == {(admin_user, "admin")}


def test_the_role_change_log_is_read_only_in_the_admin(client_for, admin_user, make_user):
    entry = RoleChange.objects.filter(subject=admin_user).first()
    client = client_for(admin_user)  # not a log reviewer
    assert client.get(reverse("admin:accounts_rolechange_changelist")).status_code == 403
    reviewer = make_user("granskare.admin@example.org", is_log_reviewer=True, is_staff=True)
    client = client_for(reviewer)
    assert client.get(reverse("admin:accounts_rolechange_changelist")).status_code == 200
    change = client.get(reverse("admin:accounts_rolechange_change", args=[entry.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.text
    delete = client.post(reverse("admin:accounts_rolechange_delete", args=[entry.pk]))
    assert delete.status_code == 403


# --- without a request, and in the app -----------------------------------------------------
def test_changes_without_a_request_are_logged_as_commands(make_user, school, steering):
    person = make_user("ny@example.org", first_name="Ny", last_name="Person",
                       is_log_reviewer=True)  # fmt: skip
    person.is_secretariat = True
    person.save()
    person.save()  # nothing changed: nothing logged
    person.first_name = "Nyare"
    person.save(update_fields=["first_name"])  # not a role
    membership = employ(person, school)
    membership.role = UnitMembership.Role.MANAGER
    membership.save()
    membership.delete()
    place = seat(steering, person, function="Rektor")
    place.role = Membership.Role.CHAIR
    place.save()
    place.user = None  # the seat stands vacant
    place.save()
    place.function = "Skolchef"
    place.save()  # a vacant seat is nobody's role
    group = Group.objects.create(name="Redaktörer")
    person.groups.add(group)
    group.user_set.remove(person)

    logged = changes(subject=person)
    assert [(c.kind, c.change) for c in logged] == [
        ("account", "Konto skapat"),
        ("flag", "Logggranskare: nej → ja"),
        ("flag", "BUS-sekretariatet: nej → ja"),
        ("unit", "Verksamhet Testskolan, personal, 2020-01-01–: tillagd"),
        ("unit", "Verksamhet Testskolan, personal, 2020-01-01–: ändrad (roll personal → chef)"),
        ("unit", "Verksamhet Testskolan, chef, 2020-01-01–: borttagen"),
        ("seat", "Plats i BUS lokal styrgrupp (BUS Testby): ledamot, Rektor: tillagd"),
        (
            "seat",
            "Plats i BUS lokal styrgrupp (BUS Testby): ledamot, Rektor: ändrad "
            "(roll ledamot → ordförande)",
        ),
        ("seat", "Plats i BUS lokal styrgrupp (BUS Testby): ordförande, Rektor: borttagen"),
        ("group", "Grupp Redaktörer: tillagd"),
        ("group", "Grupp Redaktörer: borttagen"),
    ]
    for change in logged:
        assert (change.source, change.actor, change.actor_label) == ("command", None, "")
        assert (change.path, change.ip_address) == ("", None)
    # Each names the person as they were named then.
    assert logged[0].subject_label == "Ny Person (ny@example.org)"
    assert logged[-1].subject_label == "Nyare Person (ny@example.org)"


def request_by(user, path="/konto/profil/"):
    request = RequestFactory().post(path, REMOTE_ADDR="10.1.2.3")
    request.user = user
    return request


def test_nobody_changes_their_own_roles_by_any_path(staff, school, bup, steering):
    own = UnitMembership.objects.get(user=staff)
    group = Group.objects.create(name="Redaktörer")
    before = RoleChange.objects.count()
    with permissions.request_scope(request_by(staff)):
        staff.is_log_reviewer = True
        with pytest.raises(PermissionDenied, match="egna roller"):
            staff.save()
        staff.is_log_reviewer = False
        staff.phone = "08-123 45 67"
        staff.save()  # one's own phone number is not a role
        with pytest.raises(PermissionDenied):
            employ(staff, bup)
        with pytest.raises(PermissionDenied):
            seat(steering, staff)
        own.role = UnitMembership.Role.MANAGER
        with pytest.raises(PermissionDenied):
            own.save()
        # (Deleting and m2m changes run in a transaction of their own, which the refusal
        # rolls back: a savepoint keeps the test's transaction usable.)
        with pytest.raises(PermissionDenied), transaction.atomic():
            own.delete()
        with pytest.raises(PermissionDenied), transaction.atomic():
            staff.groups.add(group)
        with pytest.raises(PermissionDenied), transaction.atomic():
            group.user_set.add(staff)
    staff.refresh_from_db()
    own.refresh_from_db()
    assert not staff.is_log_reviewer and staff.phone == "08-123 45 67"
    assert own.role == UnitMembership.Role.STAFF
    assert list(UnitMembership.objects.filter(user=staff)) == [own]
    assert not Membership.objects.exists() and not staff.groups.exists()
    assert RoleChange.objects.count() == before


def test_a_change_in_the_app_is_logged_with_who_and_where(admin_user, staff):
    with permissions.request_scope(request_by(admin_user, "/nagon/sida/")):
        staff.is_secretariat = True
        staff.save()
    (logged,) = changes(subject=staff, kind="flag")
    assert (logged.actor, logged.source, logged.path) == (admin_user, "app", "/nagon/sida/")
    assert logged.ip_address == "10.1.2.3"


def test_the_log_is_append_only(staff):
    entry = RoleChange.objects.filter(subject=staff).first()
    entry.change = "ändrad i efterhand"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL trigger")
def test_postgresql_refuses_update_and_delete(staff):
    assert RoleChange.objects.filter(subject=staff).exists()
    for sql in (
        "UPDATE accounts_rolechange SET change = 'ändrad i efterhand'",
        "DELETE FROM accounts_rolechange",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    with pytest.raises(DatabaseError), transaction.atomic():
        RoleChange.objects.filter(subject=staff).update(change="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        RoleChange.objects.filter(subject=staff)._raw_delete(connection.alias)
    assert RoleChange.objects.filter(subject=staff).exclude(change="x").exists()


# --- the page for log reviewers ------------------------------------------------------------
def test_only_log_reviewers_read_the_role_changes(
    client, client_for, log_reviewer, admin_user, secretariat, staff
):
    url = reverse("audit:role_changes")
    assert url == "/logg/roller/"
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/konto/login/")
    for user in (admin_user, secretariat, staff):
        assert client_for(user).get(url).status_code == 403, user
    response = client_for(log_reviewer).get(url)
    assert response.status_code == 200
    assert "Kim Kurator (kurator@testskolan.example)" in response.text
    assert reverse("audit:review") in response.text  # and back to the access log
    assert url in client_for(log_reviewer).get(reverse("audit:review")).text


def _at(day):
    return datetime.datetime(2026, 3, day, 12, tzinfo=datetime.UTC)


def test_role_change_filters(client_for, log_reviewer, admin_user, staff, outsider):
    a = RoleChange.objects.create(
        at=_at(1), actor=admin_user, actor_label="admin@example.org", subject=staff,
        subject_label="Kim Kurator (kurator@testskolan.example)", kind="flag",
        change="Logggranskare: nej → ja", source="admin",
    )  # fmt: skip
    b = RoleChange.objects.create(
        at=_at(5), actor=None, subject=outsider, subject_label="ingen@example.org",
        kind="unit", change="Verksamhet Testskolan, personal, 2026-03-05–: tillagd",
        source="command",
    )  # fmt: skip
    client = client_for(log_reviewer)
    url = reverse("audit:role_changes")

    def shown(**query):
        response = client.get(url, query)
        assert response.status_code == 200
        return [c.pk for c in response.context["page"] if c.pk in {a.pk, b.pk}]

    assert shown() == [b.pk, a.pk]  # newest first
    assert shown(subject="kurator") == [a.pk]
    assert shown(subject="Kurator", kind="flag") == [a.pk]
    assert shown(subject="ingen@") == [b.pk]
    assert shown(actor="admin@example") == [a.pk]
    assert shown(kind="unit") == [b.pk]
    assert shown(date_from="2026-03-02") == [b.pk]
    assert shown(date_to="2026-03-04") == [a.pk]
    assert shown(date_from="2026-03-01", date_to="2026-03-01") == [a.pk]
    response = client.get(url, {"date_from": "2026-03-05", "date_to": "2026-03-01"})
    assert "Slutdatum kan inte ligga före startdatum." in response.text
    assert not list(response.context["page"])


def test_reading_the_role_changes_is_logged(client_for, log_reviewer):
    from samverkan.audit.models import AccessLog

    response = client_for(log_reviewer).get(reverse("audit:role_changes"), {"kind": "flag"})
    assert response.status_code == 200
    # Queued on the request for the access-log middleware to write, or already written.
    queued = [
        t for t in getattr(response.wsgi_request, "_access_touches", []) if t.action == "search"
    ]
    written = AccessLog.objects.filter(user=log_reviewer, action="search")
    reasons = [t.reason for t in queued] + [e.reason for e in written]
    assert reasons and reasons[0] == "Granskning av rolländringar: kind=flag"
