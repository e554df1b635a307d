import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_login_and_logout(client, staff):
    response = login(client, staff.email, PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_gives_a_clear_swedish_message(client, staff):
    response = login(client, staff.email, "fel-lösenord")
    assert response.status_code == 200
    assert "E-postadressen eller lösenordet stämmer inte." in response.text
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_rate_limited(client, staff):
    for _ in range(5):
        login(client, staff.email, "fel-lösenord")
    response = login(client, staff.email, PASSWORD)  # even the right password now waits
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session
    assert "För många misslyckade inloggningsförsök" in response.text


def test_there_is_no_self_signup(client):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert "Registrering stängd" in response.text or "stängd" in response.text.lower()


def test_password_reset_sends_a_mail(client, staff):
    response = client.post(reverse("account_reset_password"), {"email": staff.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and staff.email in mail.outbox[0].to
    # An unknown address gets the same answer (no account enumeration) and no mail.
    response = client.post(reverse("account_reset_password"), {"email": "okand@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1


@pytest.fixture
def require_mfa(settings):
    settings.REQUIRE_MFA = True


def test_required_mfa_sends_staff_to_set_up_totp(require_mfa, client_for, staff):
    client = client_for(staff)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")
    # The set-up page (after confirming the password) stays reachable.
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))


def test_required_mfa_lets_users_with_totp_through(require_mfa, client_for, staff):
    Authenticator.objects.create(user=staff, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert client_for(staff).get(reverse("home")).status_code == 200


def test_required_mfa_covers_log_reviewers_not_secretariat(
    require_mfa, client_for, log_reviewer, secretariat
):
    assert client_for(log_reviewer).get(reverse("home")).status_code == 302
    assert client_for(secretariat).get(reverse("home")).status_code == 200


def test_mfa_is_optional_by_default(client_for, staff):
    client = client_for(staff)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200


def test_sso_button_shows_when_oidc_is_configured(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "APPS": [
                {
                    "provider_id": "siths",
                    "name": "SITHS-kort",
                    "client_id": "samverkan",
                    "secret": "hemligt",
                    "settings": {"server_url": "https://idp.example.org"},
                }
            ]
        }
    }
    response = client.get(reverse("account_login"))
    assert "Logga in med SITHS-kort" in response.text
    assert "/konto/oidc/siths/login/" in response.text


def test_no_sso_button_by_default(client):
    assert "Logga in med" not in client.get(reverse("account_login")).text
