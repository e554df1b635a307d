from django.urls import path

from samverkan.assignments import views

app_name = "assignments"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("organ/<int:body_pk>/", views.body_list, name="body"),
    path("organ/<int:body_pk>/nytt/", views.give, name="give"),
    path("avvikelse/<int:deviation_pk>/nytt/", views.give, name="give_for_deviation"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/avsluta/", views.close, name="close"),
]
