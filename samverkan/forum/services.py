from django.db import transaction

from samverkan.forum.models import ForumCase, StatusChange
from samverkan.organisations.standing import current_units
from samverkan.people.models import NAME_NEEDED, find_or_register, involve


def raise_case(form, user, **fields) -> ForumCase | None:
    """Create the case from a valid ``RaiseCaseForm``; the child record too if it is new.
    Returns None (with the error added to the form) when a new child lacks a name."""
    data = form.cleaned_data
    with transaction.atomic():
        child = find_or_register(
            data["personal_number"],
            reserve_number=data["reserve_number"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            unit=data["raised_by_unit"],
            user=user,
            protected=data["protected_identity"],
        )
        if child is None:
            form.add_error("first_name", NAME_NEEDED)
            return None
        case = ForumCase.objects.create(
            local_group=data["local_group"],
            child=child,
            raised_by_unit=data["raised_by_unit"],
            raised_by=user,
            noticed_on=data["noticed_on"],
            reason=data["reason"],
            convener=data["convener"],
            **fields,
        )
        StatusChange.objects.create(case=case, status=case.status, by=user)
        involve(child, case.raised_by_unit, f"Individforum {case.reference}")
        for unit in current_units(case.convener):
            involve(child, unit, f"Sammankallande, individforum {case.reference}")
    return case
