from django.urls import path

from samverkan.agenda import views

app_name = "agenda"

urlpatterns = [
    path("<int:pk>/", views.inbox, name="inbox"),
    path("<int:pk>/dagordning/", views.put_on, name="put_on"),
    path("fraga/<int:pk>/beslut/", views.decision, name="decision"),
]
