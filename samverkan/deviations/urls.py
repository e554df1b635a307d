from django.urls import include, path

from samverkan.deviations import views

app_name = "deviations"

urlpatterns = [
    path("", views.deviation_list, name="list"),
    path("ny/", views.report, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/andra/", views.report, name="edit"),
    path("<int:pk>/granska/", views.check, name="check"),
    path("<int:pk>/skickad/", views.sent, name="sent"),
    path("<int:pk>/steg/", views.step, name="step"),
    path("<int:pk>/individforum/", views.to_forum, name="to_forum"),
    path("<int:pk>/atgarder/ny/", views.add_action, name="add_action"),
    path("atgarder/<int:pk>/klar/", views.finish_action, name="finish_action"),
    path("", include("samverkan.deviations.urls_secretariat")),
    path("", include("samverkan.deviations.urls_reports")),
]
