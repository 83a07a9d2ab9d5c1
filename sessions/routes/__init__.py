"""The `mentoring_sessions:` URL namespace, one module per topic."""

from . import availability, booking, calendar, followup, records, reminders

app_name = "mentoring_sessions"

urlpatterns = [
    *availability.urlpatterns,
    *booking.urlpatterns,
    *calendar.urlpatterns,
    *records.urlpatterns,
    *followup.urlpatterns,
    *reminders.urlpatterns,
]
