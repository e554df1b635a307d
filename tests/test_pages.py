"""Start page per role, error pages, language, admin and the health check."""

import pytest
from django.urls import reverse

from samverkan.organisations.models import Membership
from tests.helpers import seat

pytestmark = pytest.mark.django_db


def test_start_page_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith("/konto/login/")


def test_start_page_shows_each_role_its_sections(
    client_for, staff, manager, secretariat, log_reviewer, admin_user, outsider, steering
):
    seat(steering, manager, Membership.Role.CONVENER)
    pages = {
        u: client_for(u).get(reverse("home")).text
        for u in (staff, manager, secretariat, log_reviewer, admin_user, outsider)
    }
    assert "Mina verksamheter" in pages[staff] and "Testskolan" in pages[staff]
    assert "Mina grupper" not in pages[staff]
    assert (
        "Mina grupper" in pages[manager] and "Sammankallande, BUS lokal styrgrupp" in pages[manager]
    )
    assert (
        "BUS-sekretariatet" in pages[secretariat] and "Lägg till en huvudman" in pages[secretariat]
    )
    assert "Öppna åtkomstloggen" in pages[log_reviewer]
    assert "Öppna åtkomstloggen" not in pages[admin_user]
    assert "Till administrationen" in pages[admin_user]
    assert "inte kopplat till någon verksamhet" in pages[outsider]


def test_unknown_url_gets_a_swedish_404(client):
    response = client.get("/finns-inte/alls/")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.text
    assert '<html lang="sv"' in response.text


def test_403_page_is_swedish(client_for, staff):
    response = client_for(staff).get(reverse("audit:review"))
    assert response.status_code == 403
    assert "Du har inte behörighet till sidan" in response.text


def test_swedish_by_default_even_for_english_browsers(client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "sv"
    assert "Logga in i Samverkan" in response.text


def test_english_is_available(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/konto/login/"})
    assert response.status_code == 302
    response = client.get(reverse("account_login"))
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.text
    assert "Log in to Samverkan" in response.text


def test_admin_is_for_system_admins_only(client_for, admin_user, secretariat):
    assert client_for(admin_user).get(reverse("admin:index")).status_code == 200
    response = client_for(secretariat).get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_admin_rejects_an_invalid_organisation_number(client_for, admin_user):
    from samverkan.organisations.models import Principal

    response = client_for(admin_user).post(
        reverse("admin:organisations_principal_add"),
        {"name": "Felby kommun", "kind": "municipality", "organisation_number": "123456-7890"},
    )
    assert response.status_code == 200
    assert "Ange ett giltigt organisationsnummer" in response.text
    assert not Principal.objects.filter(name="Felby kommun").exists()


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.text == "ok"


def test_pages_send_a_strict_content_security_policy(client):
    policy = client.get(reverse("account_login"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
