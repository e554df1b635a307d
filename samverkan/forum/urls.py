from django.urls import path

from samverkan.forum import views

app_name = "forum"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("nytt/", views.raise_case, name="raise"),
    path("<str:reference>/", views.case_detail, name="case"),
    path("<str:reference>/sammankalla/", views.convene, name="convene"),
    path("<str:reference>/handlaggare/", views.case_workers, name="case_workers"),
    path("<str:reference>/kallelse.ics", views.invitation, name="invitation"),
    path("<str:reference>/protokoll/", views.protocol_edit, name="protocol_edit"),
    path("<str:reference>/protokoll/<int:version>/", views.protocol_detail, name="protocol"),
    path(
        "<str:reference>/protokoll/<int:version>/justera/",
        views.protocol_sign,
        name="protocol_sign",
    ),
    path(
        "<str:reference>/protokoll/<int:version>/rattelse/",
        views.protocol_correct,
        name="protocol_correct",
    ),
    path("<str:reference>/protokoll/<int:version>.pdf", views.protocol_pdf, name="protocol_pdf"),
    path("<str:reference>/utfall/", views.outcome, name="outcome"),
    path("<str:reference>/styrgruppsbeslut/", views.steering_decision, name="steering_decision"),
]
