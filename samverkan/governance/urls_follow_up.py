"""The yearly follow-up and the county compilation."""

from django.urls import path

from samverkan.governance import follow_up_views as views

urlpatterns = [
    path("uppfoljning/", views.follow_ups, name="follow_ups"),
    path("uppfoljning/<slug:slug>/<int:year>/", views.follow_up, name="follow_up"),
    path("lansuppfoljning/", views.county_latest, name="county_latest"),
    path("lansuppfoljning/<int:year>/", views.county, name="county"),
    path("lansuppfoljning/<int:year>.pdf", views.county_pdf, name="county_pdf"),
    path("lansuppfoljning/<int:year>.xlsx", views.county_xlsx, name="county_xlsx"),
]
