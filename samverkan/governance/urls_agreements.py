"""Agreements and the documents library."""

from django.urls import path

from samverkan.governance import views_agreements as views

urlpatterns = [
    path("overenskommelser/", views.agreements, name="agreements"),
    path("overenskommelser/ny/", views.agreement_form, name="agreement_add"),
    path("overenskommelser/<int:pk>/", views.agreement_detail, name="agreement"),
    path("overenskommelser/<int:pk>/andra/", views.agreement_form, name="agreement_edit"),
    path("overenskommelser/<int:pk>/revidering/", views.revision_add, name="revision_add"),
    path("dokument/", views.documents, name="documents"),
    path("dokument/nytt/", views.document_form, name="document_add"),
    path("dokument/<int:pk>/andra/", views.document_form, name="document_edit"),
    path("dokument/att-granska/", views.my_reviews, name="my_reviews"),
]
