"""The access log. Every view that shows a record of a person calls ``record_access``."""


def record_access(request, obj=None, *, reason: str, action: str = "view", role: str = ""):
    """Write who saw ``obj`` (any model instance), in which role and why.

    ``role`` defaults to the user's roles as the start page shows them. Returns the entry.
    """
    from samverkan.audit.logging import write_entry

    return write_entry(request, obj, reason=reason, action=action, role=role)


def record_access_many(request, objs, *, reason: str, action: str = "view", role: str = ""):
    """The same for every record a list page shows, in one insert."""
    from samverkan.audit.logging import write_entries

    return write_entries(request, objs, reason=reason, action=action, role=role)
