"""The secretariat's pages: inbox, review, categories, patterns and the compilation."""

from django.urls import path

from samverkan.deviations import views_secretariat as views

urlpatterns = [
    path("sekretariat/", views.inbox, name="inbox"),
    path("sekretariat/<int:pk>/", views.review, name="review"),
    path("kategorier/", views.categories, name="categories"),
    path("kategorier/ny/", views.category_form, name="category_add"),
    path("kategorier/<int:pk>/", views.category_form, name="category_edit"),
]
