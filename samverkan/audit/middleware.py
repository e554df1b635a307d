from django.utils.translation import gettext_lazy as _

from samverkan.audit.logging import write_entry

SKIPPED_PREFIXES = ("/static/", "/favicon.ico", "/robots.txt")


class DeniedAccessMiddleware:
    """Every refused request (403) and every request for something that is not there or
    not the user's to see (404) goes into the access log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404) and not request.path.startswith(SKIPPED_PREFIXES):
            reason = (
                _("Åtkomst nekad")
                if response.status_code == 403
                else _("Finns inte eller inte behörig")
            )
            write_entry(
                request,
                reason=reason,
                action="denied",
                status_code=response.status_code,
            )
        return response
