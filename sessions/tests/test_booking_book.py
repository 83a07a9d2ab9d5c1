"""The booking page: slots, venues, booking, and every way a booking can go wrong."""

import datetime
import zoneinfo

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_booking_settings, make_venue
from mentorship.models import Engagement
from sessions.booking import services
from sessions.booking.selectors import free_slots_for_engagement
from sessions.models import MentoringSession, SessionStatus, Venue, VenueKind


def book_url(engagement) -> str:
    return reverse("mentoring_sessions:book", args=[engagement.uuid])


pytestmark = pytest.mark.clock


def post_booking(client, engagement, start, venue, **extra):
    data = {"start": start.isoformat() if isinstance(start, datetime.datetime) else start, "venue": venue, **extra}
    if isinstance(venue, Venue):
        data["venue"] = venue.pk
    return client.post(book_url(engagement), data)


def test_mentee_books_a_suggested_slot_at_a_neutral_venue(
    client, ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    client.force_login(mentee)
    page = client.get(book_url(ready))
    assert page.status_code == 200
    slot = page.context["suggested"][0]
    assert f'value="{slot.start.isoformat()}"' in page.content.decode()
    assert slot.start.isoformat().endswith("+00:00")

    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, ready, slot.start, neutral_venue)

    session = MentoringSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == session.get_absolute_url()
    assert (session.start, session.venue, session.status) == (slot.start, neutral_venue, SessionStatus.CONFIRMED)
    assert (session.mentee, session.booked_by) == (mentee, mentee)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ready.mentor.email, mentee.email])
    for message in mail.outbox:
        (name, content, mimetype) = message.attachments[0]
        assert mimetype.startswith("text/calendar")
        event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
        assert str(event["UID"]) == session.ical_uid
    detail = client.get(response["Location"])
    assert "Session booked" in " ".join(messages_of(detail))


def test_the_page_shows_the_cadence_suggestions_and_all_days_in_the_viewers_zone(client, ready, mentee):
    mentee.time_zone = "America/New_York"
    mentee.save()
    client.force_login(mentee)
    response = client.get(book_url(ready))
    html = response.content.decode()
    due = response.context["due"]
    assert due.due_date is not None
    assert "Next session due" in html
    assert "America/New_York" in html
    assert html.index("Book the suggested time") < html.index("Free times in week")
    view = response.context["week"]
    suggestion = response.context["suggestion"]
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # The suggested time's week is open; its days are the viewer's days, Monday to Sunday.
    assert view.monday <= suggestion.start.astimezone(new_york).date() <= view.sunday
    assert [day.day for day in view.days] == [view.monday + datetime.timedelta(days=n) for n in range(7)]
    in_week = [
        slot
        for slot in free_slots_for_engagement(ready)
        if view.monday <= slot.start.astimezone(new_york).date() <= view.sunday
    ]
    assert sum(len(day.slots) for day in view.days) == len(in_week) > 0
    for day in view.days:
        assert all(slot.start.astimezone(new_york).date() == day.day for slot in day.slots)
    first = in_week[0].start.astimezone(new_york)
    assert f">{first:%H:%M}</label>" in html
    assert "<fieldset" in html
    assert "<legend" in html


def test_suggestions_are_the_slots_nearest_the_due_date(client, ready, mentee):
    client.force_login(mentee)
    response = client.get(book_url(ready))
    due_date = response.context["due"].due_date
    suggested = response.context["suggested"]
    target = datetime.datetime.combine(due_date, datetime.time(12), tzinfo=datetime.UTC)
    nearest = min(abs(slot.start - target) for slot in free_slots_for_engagement(ready))
    assert min(abs(slot.start - target) for slot in suggested) == nearest


def test_venues_come_neutral_and_nearby_first_then_online_then_the_clients_premises(
    client,
    ready,
    mentee,
    neutral_venue,
    online_venue,
    mentor_profile_factory,
    other_organisation,
):
    mentor_profile_factory(user=ready.mentor, region="stockholm")
    far_cafe = make_venue(name="Aardvark Café", kind=VenueKind.CAFE, city="Uppsala")
    near_room = make_venue(name="Zinc Rooms", kind=VenueKind.NEUTRAL, city="Stockholm")
    own_site = make_venue(name="Alder HQ", kind=VenueKind.CLIENT_SITE, organisation=ready.organisation)
    make_venue(name="Birch HQ", kind=VenueKind.CLIENT_SITE, organisation=other_organisation)
    make_venue(name="Closed Rooms", kind=VenueKind.NEUTRAL, city="Göteborg", is_active=False)
    client.force_login(mentee)
    response = client.get(book_url(ready))
    ordered = response.context["venue_groups"].ordered
    # Riverside Rooms is in Göteborg, the client's city; Zinc Rooms in the mentor's region.
    assert ordered == [neutral_venue, near_room, far_cafe, online_venue, own_site]
    html = response.content.decode()
    positions = [html.index(venue.name) for venue in ordered]
    assert positions == sorted(positions)
    assert "Birch HQ" not in html
    assert "Closed Rooms" not in html
    assert "The meeting link is sent with the invitation." in html
    assert "Yes, meet at the client&#x27;s premises" in html
    assert f'id="venue-{neutral_venue.pk}" value="{neutral_venue.pk}" checked' in html


def test_manual_confirmation_makes_a_request_the_mentor_confirms(
    client, ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    make_booking_settings(mentor=ready.mentor, confirm_manually=True)
    client.force_login(mentee)
    page = client.get(book_url(ready))
    assert "Request this session" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, ready, free_slots_for_engagement(ready)[0].start, neutral_venue)
    session = MentoringSession.objects.get()
    assert session.status == SessionStatus.REQUESTED
    assert "Requested — the mentor will confirm." in messages_of(client.get(response["Location"]))
    assert client.post(f"{session.get_absolute_url()}confirm/").status_code == 403

    mail.outbox.clear()
    client.force_login(ready.mentor)
    detail = client.get(session.get_absolute_url())
    assert "Confirm this session" in detail.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{session.get_absolute_url()}confirm/")
    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.CONFIRMED, 1)
    assert sorted(message.to[0] for message in mail.outbox) == sorted([ready.mentor.email, mentee.email])


def test_mentor_books_a_team_session_that_every_member_sees(
    client, team_ready, neutral_venue, django_capture_on_commit_callbacks
):
    members = [membership.user for membership in team_ready.team.memberships.select_related("user")]
    client.force_login(members[0])
    assert client.get(book_url(team_ready)).status_code == 403
    assert (
        post_booking(client, team_ready, free_slots_for_engagement(team_ready)[0].start, neutral_venue).status_code
        == 403
    )
    assert not MentoringSession.objects.exists()

    client.force_login(team_ready.mentor)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_booking(client, team_ready, free_slots_for_engagement(team_ready)[0].start, neutral_venue)
    session = MentoringSession.objects.get()
    assert response["Location"] == session.get_absolute_url()
    assert (session.team, session.mentee) == (team_ready.team, None)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [team_ready.mentor.email, *(member.email for member in members)]
    )
    for member in members:
        client.force_login(member)
        listing = client.get("/sessions/")
        assert [s.pk for s in listing.context["upcoming"]] == [session.pk]
        detail = client.get(session.get_absolute_url())
        assert detail.status_code == 200
        assert all(other.display_name in detail.content.decode() for other in members)


def test_an_admin_may_book(client, ready, consultancy_admin, neutral_venue):
    client.force_login(consultancy_admin)
    assert client.get(book_url(ready)).status_code == 200
    post_booking(client, ready, free_slots_for_engagement(ready)[0].start, neutral_venue)
    assert MentoringSession.objects.get().booked_by == consultancy_admin


@pytest.mark.parametrize("status", [Engagement.Status.PROPOSED, Engagement.Status.PAUSED, Engagement.Status.COMPLETED])
def test_an_engagement_that_is_not_active_cannot_be_booked(client, ready, mentee, status):
    Engagement.objects.filter(pk=ready.pk).update(status=status)
    client.force_login(mentee)
    assert client.get(book_url(ready)).status_code == 403


def test_double_submit_creates_one_session(client, ready, mentee, neutral_venue):
    client.force_login(mentee)
    start = free_slots_for_engagement(ready)[0].start
    first = post_booking(client, ready, start, neutral_venue)
    second = post_booking(client, ready, start, neutral_venue)
    session = MentoringSession.objects.get()
    assert first["Location"] == second["Location"] == session.get_absolute_url()
    local = timezone.localtime(session.start, zoneinfo.ZoneInfo(mentee.time_zone))
    already = f"You already booked {local:%a} {local.day} {local:%b} {local:%H:%M}."
    assert already in messages_of(client.get(second["Location"]))


def test_a_time_taken_meanwhile_gets_the_friendly_message_and_fresh_slots(
    client, ready, mentee, neutral_venue, session_factory
):
    client.force_login(mentee)
    slot = free_slots_for_engagement(ready)[0]
    session_factory(ready, start=slot.start)  # somebody else was quicker
    response = post_booking(client, ready, slot.start, neutral_venue)
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [str(services.TAKEN_MESSAGE)]
    assert "This time was just taken — pick another." in response.content.decode()
    offered = [s.start for day in response.context["week"].days for s in day.slots]
    assert slot.start not in offered
    assert MentoringSession.objects.count() == 1


def _not_offered_start(engagement):
    # 03:00 in the mentor's zone, two days after the first free slot: outside every window.
    zone = zoneinfo.ZoneInfo(engagement.mentor.time_zone)
    day = free_slots_for_engagement(engagement)[0].start.astimezone(zone).date() + datetime.timedelta(days=2)
    return datetime.datetime.combine(day, datetime.time(3), tzinfo=zone).astimezone(datetime.UTC)


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("", "Pick a time for the session."),
        ("next tuesday", "That is not one of the offered times — pick one of those shown."),
        ("2026-13-45T08:00:00+00:00", "That is not one of the offered times — pick one of those shown."),
        ("2030-12-01T08:00:00", "That is not one of the offered times — pick one of those shown."),  # no zone
        ("2020-12-01T08:00:00+00:00", "That time has already passed — pick another."),
        ("x" * 500, "Ensure this value has at most 40 characters (it has 500)."),
        ("<script>alert(1)</script>", "That is not one of the offered times — pick one of those shown."),
        ("not offered", "This time was just taken — pick another."),
        ("too far", "This time was just taken — pick another."),
        ("within notice", "This time was just taken — pick another."),
    ],
)
def test_a_bad_start_is_a_friendly_error(client, ready, mentee, neutral_venue, start, message):
    start = {
        "not offered": _not_offered_start(ready),
        "too far": free_slots_for_engagement(ready)[-1].start + datetime.timedelta(weeks=2),
        "within notice": (timezone.now() + datetime.timedelta(hours=3)).replace(minute=0, second=0, microsecond=0),
    }.get(start, start)
    client.force_login(mentee)
    response = post_booking(client, ready, start, neutral_venue)
    assert response.status_code == 200
    assert response.context["form"].errors["start"] == [message]
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not MentoringSession.objects.exists()


@pytest.mark.parametrize("venue", ["", "999999", "abc", "1 OR 1=1"])
def test_a_missing_or_unknown_venue_is_a_friendly_error(client, ready, mentee, venue):
    client.force_login(mentee)
    response = post_booking(client, ready, free_slots_for_engagement(ready)[0].start, venue)
    assert response.status_code == 200
    assert response.context["form"].errors["venue"]
    assert not MentoringSession.objects.exists()


def test_another_organisations_premises_are_refused(client, ready, mentee, other_organisation):
    foreign = make_venue(name="Birch HQ", kind=VenueKind.CLIENT_SITE, organisation=other_organisation)
    client.force_login(mentee)
    response = post_booking(
        client, ready, free_slots_for_engagement(ready)[0].start, foreign, client_site_confirmed="on"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["venue"] == [
        "That venue is not available for this mentorship — pick one of those shown."
    ]
    assert not MentoringSession.objects.exists()


def test_an_inactive_venue_is_refused(client, ready, mentee):
    closed = make_venue(name="Closed Rooms", kind=VenueKind.NEUTRAL, is_active=False)
    client.force_login(mentee)
    response = post_booking(client, ready, free_slots_for_engagement(ready)[0].start, closed)
    assert response.context["form"].errors["venue"]
    assert not MentoringSession.objects.exists()


def test_the_clients_premises_need_the_checkbox(client, ready, mentee):
    own_site = make_venue(name="Alder HQ", kind=VenueKind.CLIENT_SITE, organisation=ready.organisation)
    client.force_login(mentee)
    start = free_slots_for_engagement(ready)[0].start
    response = post_booking(client, ready, start, own_site)
    assert response.status_code == 200
    assert response.context["form"].errors["client_site_confirmed"] == [
        "Meeting at the client's premises needs an explicit choice: tick the box to confirm it."
    ]
    assert not MentoringSession.objects.exists()
    post_booking(client, ready, start, own_site, client_site_confirmed="on")
    assert MentoringSession.objects.get().venue == own_site


def test_no_availability_and_no_venues_still_render_a_page(client, engagement, mentee):
    client.force_login(mentee)
    response = client.get(book_url(engagement))
    html = response.content.decode()
    assert response.status_code == 200
    assert "There are no free times right now." in html
    assert "No venues are set up yet." in html


def test_the_booking_page_makes_the_same_number_of_queries_with_many_sessions(
    client, ready, mentee, session_factory, django_assert_num_queries
):
    client.force_login(mentee)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(book_url(ready)).status_code == 200
        return len(queries)

    for day in range(3, 8):
        session_factory(ready, hours_from_now=24 * day)
    few = count()
    for day in range(8, 53):
        session_factory(ready, hours_from_now=24 * day)
    with django_assert_num_queries(few):
        client.get(book_url(ready))
