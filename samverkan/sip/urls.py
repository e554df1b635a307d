from django.urls import path

from samverkan.sip import views

app_name = "sip"

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("ny/", views.plan_create, name="create"),
    path("<str:reference>/", views.plan_detail, name="plan"),
    path("<str:reference>/innehall/", views.plan_edit, name="edit"),
    path("<str:reference>/deltagare/ny/", views.participant_add, name="participant_add"),
    path("<str:reference>/insatser/ny/", views.intervention_edit, name="intervention_add"),
    path("<str:reference>/insatser/<int:pk>/", views.intervention_edit, name="intervention_edit"),
    path("<str:reference>/faststall/", views.establish, name="establish"),
    path("<str:reference>/versioner/<int:number>/", views.version_detail, name="version"),
    path("<str:reference>/uppfoljning/", views.follow_up, name="follow_up"),
    path("<str:reference>/avsluta/", views.close, name="close"),
    path("<str:reference>/kallelse.ics", views.invitation, name="invitation"),
    path("<str:reference>/familj/", views.family_view, name="family"),
    path("<str:reference>/familj.pdf", views.family_pdf, name="family_pdf"),
]
