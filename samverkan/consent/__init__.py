"""Consent to share a child's data across principals.

``may_share(from_unit, to_unit, child, purpose)`` is the one decision every cross-principal
view of a child or of case content goes through. Within one principal no consent is
needed (the agreement's confidentiality barrier is between principals); across principals a
consent must be in force today, name both units and, when a purpose (a forum case, a plan)
is given, be for that occasion. Revoked or expired consent stops sharing at once: nothing is
cached between requests.
"""


def may_share(from_unit, to_unit, child, purpose=None, on=None) -> bool:
    from samverkan.consent.sharing import SharingCheck

    return SharingCheck([child], on=on).may_share(from_unit, to_unit, child, purpose)
