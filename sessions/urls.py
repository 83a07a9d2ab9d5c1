"""The `mentoring_sessions:` routes, grouped by the object they act on."""

from django.urls import include, path

from sessions.availability import views as availability
from sessions.booking import views as booking
from sessions.busy import views as busy
from sessions.calendars import views as calendars
from sessions.followup import views as followup
from sessions.one_to_ones import views as one_to_ones
from sessions.records import sharing_views
from sessions.records import views as records
from sessions.reminders import views as reminders

app_name = "mentoring_sessions"

availability_urls = [
    path("", availability.availability, name="availability"),
    path("windows/new/", availability.window_create, name="availability-window-create"),
    path("windows/<int:pk>/delete/", availability.window_delete, name="availability-window-delete"),
    path("time-off/new/", availability.time_off_create, name="time-off-create"),
    path("time-off/<int:pk>/delete/", availability.time_off_delete, name="time-off-delete"),
    path("booking-settings/", availability.booking_settings, name="booking-settings"),
    path("calendars/new/", busy.busy_calendar_create, name="busy-calendar-create"),
    path("calendars/<int:pk>/delete/", busy.busy_calendar_delete, name="busy-calendar-delete"),
    path("calendars/<int:pk>/refresh/", busy.busy_calendar_refresh, name="busy-calendar-refresh"),
]

venue_urls = [
    path("", availability.venue_list, name="venue-list"),
    path("new/", availability.venue_create, name="venue-create"),
    path("<int:pk>/edit/", availability.venue_edit, name="venue-edit"),
    path("<int:pk>/delete/", availability.venue_delete, name="venue-delete"),
]

# /sessions/<uuid>/…
session_urls = [
    path("", booking.session_detail, name="session-detail"),
    path("reschedule/", booking.session_reschedule, name="session-reschedule"),
    path("cancel/", booking.session_cancel, name="session-cancel"),
    path("confirm/", booking.session_confirm, name="session-confirm"),
    path("meeting-link/", booking.session_meeting_link, name="session-meeting-link"),
    path("invite.ics", booking.session_ics, name="session-ics"),
    path("attendance/", records.session_attendance, name="session-attendance"),
    path("attendance/members/", records.session_member_attendance, name="session-member-attendance"),
    path("wrap-up/", records.session_wrapup, name="session-wrapup"),
    path("notes/later-joiners/", sharing_views.session_share_later, name="session-share-later"),
    path("notes/new/", records.note_create, name="note-create"),
    path("notes/<int:note_pk>/edit/", records.note_edit, name="note-edit"),
    path("notes/<int:note_pk>/delete/", records.note_delete, name="note-delete"),
    path("reflections/<str:timing>/", records.reflection_edit, name="reflection-edit"),
    path("feedback/", followup.session_feedback, name="session-feedback"),
]

# /engagements/<uuid>/… (the engagement page itself is overview:engagement-detail)
engagement_urls = [
    path("book/", booking.book, name="book"),
    path("one-to-one/", one_to_ones.book_one_to_one, name="book-one-to-one"),
    path("stop/<str:to_status>/", booking.engagement_stop, name="engagement-stop"),
    path("actions/", followup.action_items, name="action-items"),
    path("actions/<int:item_pk>/edit/", followup.action_item_edit, name="action-item-edit"),
    path("actions/<int:item_pk>/toggle/", followup.action_item_toggle, name="action-item-toggle"),
    path("actions/<int:item_pk>/delete/", followup.action_item_delete, name="action-item-delete"),
    path("feedback/", followup.engagement_feedback, name="engagement-feedback"),
    path("reminders/", reminders.engagement_reminders, name="engagement-reminders"),
]

# /me/calendar/…
calendar_urls = [
    path("", calendars.calendar_settings, name="calendar-settings"),
    path("create/", calendars.calendar_feed_create, name="calendar-feed-create"),
    path("regenerate/", calendars.calendar_feed_regenerate, name="calendar-feed-regenerate"),
    path("revoke/", calendars.calendar_feed_revoke, name="calendar-feed-revoke"),
]

urlpatterns = [
    path("availability/", include(availability_urls)),
    path("venues/", include(venue_urls)),
    path("sessions/", booking.session_list, name="session-list"),
    path("sessions/<uuid:session_uuid>/", include(session_urls)),
    path("engagements/<uuid:engagement_uuid>/", include(engagement_urls)),
    path("agenda/", calendars.agenda, name="agenda"),
    path("calendar/<str:token>.ics", calendars.calendar_feed, name="calendar-feed"),
    path("me/calendar/", include(calendar_urls)),
    path("me/feedback/", followup.my_feedback, name="my-feedback"),
    path("mentors/<int:mentor_pk>/feedback/", followup.mentor_feedback, name="mentor-feedback"),
    path("reminders/", reminders.reminder_report, name="reminder-report"),
]
