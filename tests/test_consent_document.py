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


def test_only_scans_of_a_sensible_type_and_size_are_accepted(
    client_for, staff, school, bup, settings, tmp_path
):
    from samverkan.consent import forms as consent_forms
    from samverkan.people.models import involve

    settings.MEDIA_ROOT = tmp_path
    child = Child.objects.create(
        personal_number="20170101-2393", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "test")
    url = reverse("consent:add", args=[child.pk])
    data = {
        "given_by_child": "on", "form": "written", "units": [school.pk, bup.pk],
        "purpose_text": "Möte", "given_on": "2026-01-01", "valid_until": "2026-12-31",
    }  # fmt: skip
    client = client_for(staff)
    response = client.post(url, {**data, "document": SimpleUploadedFile("x.exe", b"MZ")})
    assert "document" in response.context["form"].errors
    consent_forms.MAX_DOCUMENT_SIZE = 10
    try:
        response = client.post(
            url, {**data, "document": SimpleUploadedFile("x.pdf", b"%PDF-1.4 too long")}
        )
        assert "Filen är för stor" in response.text
    finally:
        consent_forms.MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
    assert not Consent.objects.exists()
    response = client.post(url, {**data, "document": SimpleUploadedFile("x.pdf", b"%PDF-1.4")})
    assert response.status_code == 302 and Consent.objects.get().document
