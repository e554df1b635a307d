from django.urls import include, path

from samverkan.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("organ/<int:body_pk>/moten/", views.meetings, name="meetings"),
    path("organ/<int:body_pk>/moten/nytt/", views.meeting_form, name="meeting_add"),
    path("organ/<int:body_pk>/sammankallande/", views.rotation, name="rotation"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting"),
    path("moten/<int:pk>/andra/", views.meeting_form, name="meeting_edit"),
    path("moten/<int:pk>/kallelse.ics", views.meeting_ics, name="meeting_ics"),
    path("moten/<int:pk>/beslut/", views.add_decision, name="add_decision"),
    path("moten/<int:pk>/atgarder/", views.add_action_item, name="add_action_item"),
    path("", include("samverkan.governance.urls_agreements")),
    path("", include("samverkan.governance.urls_follow_up")),
]
