import pytest
from django.urls import reverse

from samverkan.audit.models import AccessLog
from samverkan.organisations.models import Principal

pytestmark = pytest.mark.django_db


def test_only_secretariat_and_admins_may_add_principals(
    client_for, staff, manager, outsider, secretariat, admin_user
):
    url = reverse("organisations:principal_add")
    for user in (staff, manager, outsider):
        assert client_for(user).get(url).status_code == 403
    assert client_for(secretariat).get(url).status_code == 200
    assert client_for(admin_user).get(url).status_code == 200
    assert AccessLog.objects.filter(action="denied", status_code=403).count() == 3


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("organisations:principal_add"))
    assert response.status_code == 302 and "/konto/login/" in response.url


def test_invalid_organisation_number_is_a_field_error_and_nothing_is_saved(client_for, secretariat):
    response = client_for(secretariat).post(
        reverse("organisations:principal_add"),
        {"name": "Nyby kommun", "kind": "municipality", "organisation_number": "212000-0143"},
    )
    assert response.status_code == 200
    assert "Ange ett giltigt organisationsnummer" in response.text
    assert 'id="id_organisation_number_error"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "ds-error-summary" in response.text
    assert not Principal.objects.filter(name="Nyby kommun").exists()


def test_valid_principal_is_saved_formatted_and_logged(client_for, secretariat):
    response = client_for(secretariat).post(
        reverse("organisations:principal_add"),
        {"name": "Nyby kommun", "kind": "municipality", "organisation_number": "2120000142"},
    )
    principal = Principal.objects.get(name="Nyby kommun")
    assert response.status_code == 302 and response.url == principal.get_absolute_url()
    assert principal.organisation_number == "212000-0142"
    assert AccessLog.objects.filter(action="change", object_id=str(principal.pk)).exists()


def test_change_principal(client_for, secretariat, staff, municipality):
    url = reverse("organisations:principal_change", args=[municipality.pk])
    assert client_for(staff).get(url).status_code == 403
    client = client_for(secretariat)
    response = client.post(
        url, {"name": "Testby stad", "kind": "municipality", "organisation_number": "212000-0142"}
    )
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.name == "Testby stad"
    assert client.get(reverse("organisations:principal_change", args=[999])).status_code == 404
