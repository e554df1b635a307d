from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from samverkan import views
from samverkan.operations import views as operations

admin.site.site_header = _("Samverkan – administration")
admin.site.site_title = _("Samverkan")
admin.site.index_title = _("Systemadministration")

urlpatterns = [
    path("", views.home, name="home"),
    # Answered by OperationsMiddleware before the session and the access log.
    path("healthz", operations.healthz, name="healthz"),
    path("readyz", operations.readyz, name="readyz"),
    path("metrics", operations.metrics, name="metrics"),
    path("konto/", include("samverkan.accounts.urls")),
    path("konto/", include("allauth.urls")),
    path("katalog/", include("samverkan.organisations.urls")),
    path("logg/", include("samverkan.audit.urls")),
    path("barn/", include("samverkan.people.urls")),
    path("samtycken/", include("samverkan.consent.urls")),
    path("individforum/", include("samverkan.forum.urls")),
    path("avvikelser/", include("samverkan.deviations.urls")),
    path("sip/", include("samverkan.sip.urls")),
    path("styrning/", include("samverkan.governance.urls")),
    path("exporter/", include("samverkan.exports.urls")),
    path("meddelanden/", include("samverkan.notifications.urls")),
    path("uppdrag/", include("samverkan.assignments.urls")),
    path("inkorg/", include("samverkan.agenda.urls")),
    path("om-bus/", include("samverkan.public.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "samverkan.views.bad_request"
handler403 = "samverkan.views.permission_denied"
handler404 = "samverkan.views.page_not_found"
handler500 = "samverkan.views.server_error"
