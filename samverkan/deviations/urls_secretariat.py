"""The secretariat's pages: inbox, review, categories, patterns and the compilation."""

urlpatterns = []
