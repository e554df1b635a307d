from django.urls import path

from samverkan.people import views

app_name = "people"

urlpatterns = [
    path("", views.search, name="search"),
    path("<int:pk>/", views.child_detail, name="child"),
    path("<int:pk>/vardnadshavare/ny/", views.guardian_add, name="guardian_add"),
    path("<int:pk>/reservnummer/", views.replace_number, name="replace_number"),
]
