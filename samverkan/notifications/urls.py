from django.urls import path

from samverkan.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/", views.open_notification, name="open"),
    path("las-alla/", views.read_all, name="read_all"),
    path("installningar/", views.preferences, name="preferences"),
]
