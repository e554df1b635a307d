import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.people.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanned(settings, tmp_path, staff, school, bup):
    settings.MEDIA_ROOT = tmp_path
    child = Child.objects.create(
        personal_number="20170101-2393", first_name="A", last_name="B",
        owning_unit=school, created_by=staff,
    )  # fmt: skip
    consent = Consent.objects.create(
        child=child, form="written", purpose_text="Möte", given_by_child=True,
        given_on=datetime.date(2026, 1, 1), valid_until=datetime.date(2026, 12, 31),
        recorded_by=staff, document=SimpleUploadedFile("samtycke.pdf", b"%PDF-1.4 scanned"),
    )  # fmt: skip
    consent.units.set([school, bup])
    return consent


def test_the_scanned_form_is_served_to_the_units_holding_the_matter(client_for, scanned, staff):
    response = client_for(staff).get(reverse("consent:document", args=[scanned.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 scanned"
    assert AccessLog.objects.filter(action="export", object_type="consent.consent").exists()


def test_others_get_404(client, client_for, scanned, outsider, secretariat):
    url = reverse("consent:document", args=[scanned.pk])
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(secretariat).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_a_protected_identity_scan_is_only_for_the_owning_unit(client_for, scanned, make_user, bup):
    from samverkan.people.models import involve
    from tests.helpers import employ

    scanned.child.protected_identity = True
    scanned.child.save()
    involve(scanned.child, bup, "test")
    bup_staff = make_user("bup@example.org")
    employ(bup_staff, bup)
    url = reverse("consent:document", args=[scanned.pk])
    assert client_for(bup_staff).get(url).status_code == 404  # may share, not see identity
