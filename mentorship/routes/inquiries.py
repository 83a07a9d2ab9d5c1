"""URLs for inquiries; composed into the `mentorship` namespace by routes/__init__.py."""

urlpatterns: list = []
