"""The scanned consent form: served only to the units the consent covers (and, for a child
with protected identity, only to the owning unit), logged as an export; uploads are checked
by content and stored under the name the content says."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from samverkan.audit.models import AccessLog
from samverkan.consent.models import Consent
from samverkan.people.models import Child, involve
from tests.helpers import employ

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 scanned"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def bup_staff(make_user, bup):
    user = make_user("bup@example.org")
    employ(user, bup)
    return user


@pytest.fixture
def scanned(settings, tmp_path, staff, school, bup):
    """Recorded by the school, for the whole record; names BUP."""
    settings.MEDIA_ROOT = tmp_path
    child = Child.objects.create(
        personal_number="20170101-2393", first_name="A", last_name="B",
        owning_unit=school, created_by=staff,
    )  # fmt: skip
    today = timezone.localdate()
    consent = Consent.objects.create(
        child=child, form="written", purpose=child, purpose_text="Möte", given_by_child=True,
        given_on=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=300),
        recorded_by=staff, recorded_by_unit=school,
        document=SimpleUploadedFile("samtycke.pdf", PDF),
    )  # fmt: skip
    consent.units.set([bup])
    return consent


def url(consent):
    return reverse("consent:document", args=[consent.pk])


def test_the_scanned_form_is_served_to_the_units_the_consent_covers(
    client_for, scanned, staff, bup_staff
):
    for user in (staff, bup_staff):  # the recording unit, and the unit it names
        response = client_for(user).get(url(scanned))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
        entry = AccessLog.objects.filter(user=user).get()
        assert (entry.action, entry.object_type, entry.object_id, entry.child_id) == (
            "export",
            "consent.consent",
            str(scanned.pk),
            scanned.child_id,
        )


def test_others_get_404_and_the_refusal_is_logged_with_the_consent(
    client, client_for, scanned, make_user, municipality, area, outsider, secretariat, admin_user
):
    from samverkan.organisations.models import Unit

    other = Unit.objects.create(principal=municipality, name="Fritids", kind="other", area=area)
    neighbour = make_user("granne@testby.example")
    employ(neighbour, other)  # the school's principal, but not covered
    for user in (neighbour, outsider, secretariat, admin_user):
        assert client_for(user).get(url(scanned)).status_code == 404, user
    refusals = AccessLog.objects.filter(action="denied", status_code=404)
    assert refusals.count() == 4
    assert set(refusals.values_list("object_type", "object_id", "child_id")) == {
        ("consent.consent", str(scanned.pk), scanned.child_id)
    }
    assert not AccessLog.objects.filter(action="export").exists()
    client.logout()
    assert client.get(url(scanned)).status_code == 302


def test_a_protected_identity_scan_is_only_for_the_owning_unit(
    client_for, scanned, staff, bup, bup_staff
):
    scanned.child.protected_identity = True
    scanned.child.save()
    involve(scanned.child, bup, "test")
    # BUP is covered (it knows the consent exists) but may not see the names it carries.
    assert client_for(bup_staff).get(url(scanned)).status_code == 403
    entry = AccessLog.objects.get(user=bup_staff)
    assert (entry.action, entry.status_code, entry.object_id, entry.child_id) == (
        "denied",
        403,
        str(scanned.pk),
        scanned.child_id,
    )
    assert client_for(staff).get(url(scanned)).status_code == 200


def test_a_consent_without_a_scan_has_no_document(client_for, scanned, staff):
    Consent.objects.filter(pk=scanned.pk).update(document="")
    assert client_for(staff).get(url(scanned)).status_code == 403


def test_only_scans_of_a_sensible_type_and_size_are_accepted(
    client_for, staff, school, bup, settings, tmp_path
):
    from samverkan.consent import forms as consent_forms

    settings.MEDIA_ROOT = tmp_path
    child = Child.objects.create(
        personal_number="19121212-1212", first_name="A", last_name="B", owning_unit=school,
        created_by=staff,
    )  # fmt: skip
    involve(child, bup, "test")
    add = reverse("consent:add", args=["barn", child.pk])
    today = timezone.localdate()
    data = {
        "recorded_by_unit": school.pk, "given_by_child": "on", "form": "written",
        "units": [bup.pk], "purpose_text": "Möte", "given_on": today.isoformat(),
        "valid_until": (today + datetime.timedelta(days=30)).isoformat(), "spara": "1",
    }  # fmt: skip
    client = client_for(staff)

    def refused(upload):
        response = client.post(add, {**data, "document": upload})
        assert response.status_code == 200
        assert "consent/consent_confirm.html" in [t.name for t in response.templates]
        return response.context["document_form"].errors["document"]

    assert refused(SimpleUploadedFile("x.exe", b"MZ"))
    # Checked by content, not by name: HTML named .pdf is not a PDF.
    html = SimpleUploadedFile("samtycke.pdf", b"<html><script>alert(1)</script></html>")
    assert "Filen är inte av typen JPG / PDF / PNG" in refused(html)[0]
    consent_forms.MAX_DOCUMENT_SIZE = 10
    try:
        errors = refused(SimpleUploadedFile("x.pdf", b"%PDF-1.4 too long"))
        assert errors == ["Filen är för stor. Högst 10 MB."]
    finally:
        consent_forms.MAX_DOCUMENT_SIZE = 10 * 1024 * 1024
    assert not Consent.objects.exists()

    # A PNG sent under a .pdf name is stored as what it is.
    response = client.post(add, {**data, "document": SimpleUploadedFile("scan.pdf", PNG)})
    assert response.status_code == 302
    stored = Consent.objects.get().document.name
    assert stored.startswith(f"consents/{today:%Y}/samtycke") and stored.endswith(".png")
    assert (tmp_path / stored).read_bytes() == PNG
