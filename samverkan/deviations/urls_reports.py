"""Patterns and the yearly compilation (for the secretariat)."""

urlpatterns = []
