from django.urls import path

from samverkan.consent import views

app_name = "consent"

urlpatterns = [
    path("nytt/<str:kind>/<int:pk>/", views.add, name="add"),
    path("<int:pk>/aterkalla/", views.revoke, name="revoke"),
    path("<int:pk>/dokument/", views.document, name="document"),
]
