from samverkan.notifications.service import unread_count


def unread(request):
    """The unread count in the header: counted only when a page shows it (signed in)."""
    return {"unread_notifications": lambda: unread_count(request.user)}
