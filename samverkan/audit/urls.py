from django.urls import path

from samverkan.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log_review, name="review"),
]
