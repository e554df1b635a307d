from django.conf import settings
from django.utils.functional import SimpleLazyObject


def site(request):
    def works_at_a_unit():
        from samverkan.accounts.rules import works_at_a_unit

        user = request.user
        return user.is_authenticated and works_at_a_unit(user)

    return {
        "SITE_NAME": settings.SITE_NAME,
        "DEMO_MODE": settings.DEMO_MODE,
        # For the menu: only asked (one query) when a page shows it.
        "works_at_unit": SimpleLazyObject(works_at_a_unit),
    }
