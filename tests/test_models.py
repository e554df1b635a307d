import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from samverkan.organisations.models import Body, Membership, Principal
from tests.helpers import seat


def test_organisation_number_is_validated_and_formatted(db):
    principal = Principal(name="Ny kommun", kind=Principal.Kind.MUNICIPALITY)
    principal.organisation_number = "2120000143"  # wrong check digit
    with pytest.raises(ValidationError) as error:
        principal.full_clean()
    assert "organisation_number" in error.value.message_dict
    principal.organisation_number = "2120000142"
    principal.full_clean()
    principal.save()
    assert Principal.objects.get().organisation_number == "212000-0142"


def test_local_body_needs_a_group_and_county_body_none(group):
    body = Body(name="X", kind=Body.Kind.STEERING, level=Body.Level.LOCAL, cadence="per_term")
    with pytest.raises(ValidationError):
        body.full_clean()
    bussam = Body(name="BUSSAM", kind=Body.Kind.BUSSAM, level=Body.Level.LOCAL, local_group=group)
    bussam.cadence = "several_per_year"
    with pytest.raises(ValidationError) as error:
        bussam.full_clean()
    assert "level" in error.value.message_dict


def test_database_refuses_a_county_body_in_a_group(group):
    with pytest.raises(IntegrityError):
        Body.objects.create(
            name="Fel", kind=Body.Kind.BUSSAM, level=Body.Level.COUNTY, local_group=group,
            cadence="yearly",
        )  # fmt: skip


def test_current_memberships_and_vacancies(steering, staff):
    today = datetime.date(2026, 3, 1)
    held = seat(steering, staff, Membership.Role.CHAIR)
    vacant = seat(steering, None, function="Verksamhetschef, BUP")
    ended = seat(steering, staff, function="Tidigare")
    ended.valid_to = datetime.date(2025, 12, 31)
    ended.save()
    future = seat(steering, staff, function="Kommande")
    future.valid_from = datetime.date(2026, 8, 1)
    future.save()
    current = set(Membership.objects.current(on=today))
    assert current == {held, vacant}
    assert vacant.is_vacant and not held.is_vacant
    assert "vakant" in str(vacant)


def test_membership_dates_must_be_in_order(steering):
    membership = seat(steering)
    membership.valid_from = datetime.date(2026, 1, 1)
    membership.valid_to = datetime.date(2025, 1, 1)
    with pytest.raises(ValidationError):
        membership.full_clean()
