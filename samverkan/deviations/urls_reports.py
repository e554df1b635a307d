"""Patterns and the yearly compilation (for the secretariat)."""

from django.urls import path

from samverkan.deviations import views_reports as views

urlpatterns = [
    path("monster/", views.patterns, name="patterns"),
    path("sammanstallning/", views.compilation_page, name="compilation"),
    path("sammanstallning.pdf", views.compilation_pdf, name="compilation_pdf"),
    path("sammanstallning.xlsx", views.compilation_xlsx, name="compilation_xlsx"),
]
