"""The `mentoring_sessions:` URL namespace, one module per topic."""

from . import availability, booking, calendar, records

app_name = "mentoring_sessions"

urlpatterns = [*availability.urlpatterns, *booking.urlpatterns, *calendar.urlpatterns, *records.urlpatterns]
