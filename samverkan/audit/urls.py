from django.urls import path

from samverkan.audit import views, views_extract

app_name = "audit"

urlpatterns = [
    path("", views.log_review, name="review"),
    path("roller/", views.role_changes, name="role_changes"),
    path("barn/", views_extract.child_extract, name="child_extract"),
]
