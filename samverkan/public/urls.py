from django.urls import path

from samverkan.public import views

app_name = "public"

# Fixed paths first: a page's slug may not be one of them (models.RESERVED_SLUGS).
urlpatterns = [
    path("", views.start, name="start"),
    path("kontakt/", views.contacts, name="contacts"),
    path("tillganglighet/rapportera/", views.barrier_report, name="barrier_report"),
    path("tillganglighet/tack/", views.barrier_thanks, name="barrier_thanks"),
    path("redigera/", views.manage, name="manage"),
    path("redigera/hinder/", views.barrier_reports, name="barrier_reports"),
    path("ny/", views.new_page, name="new"),
    path("<slug:slug>/", views.page, name="page"),
    path("<slug:slug>/redigera/", views.edit_page, name="edit"),
    path("<slug:slug>/versioner/", views.versions, name="versions"),
    path("<slug:slug>/versioner/<int:number>/", views.version, name="version"),
]
