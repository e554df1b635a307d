from django.urls import path

from samverkan.organisations import views

app_name = "organisations"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("grupper/<slug:slug>/", views.group_detail, name="group"),
    path("organ/<int:pk>/", views.body_detail, name="body"),
    path("verksamheter/", views.unit_list, name="units"),
    path("verksamheter/<int:pk>/", views.unit_detail, name="unit"),
    path("huvudman/ny/", views.principal_form, name="principal_add"),
    path("huvudman/<int:pk>/", views.principal_detail, name="principal"),
    path("huvudman/<int:pk>/andra/", views.principal_form, name="principal_change"),
]
