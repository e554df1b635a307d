from django.urls import path

from samverkan.exports import views

app_name = "exports"

urlpatterns = [
    path("<uuid:pk>/", views.status, name="status"),
    path("<uuid:pk>/ladda-ner/", views.download, name="download"),
    path("<uuid:pk>/forsok-igen/", views.retry, name="retry"),
]
