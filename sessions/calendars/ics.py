"""iCalendar files for sessions (made with the `icalendar` library): invites and feeds.

An invite keeps the session's UID for its whole life and raises SEQUENCE on every change, so
calendar apps update the one event; a cancellation is METHOD:CANCEL with STATUS:CANCELLED.
"""

import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from accounts.models import User
from sessions.models import MentoringSession, SessionStatus

PRODID = "-//Mentorship platform//mentorship//EN"


def _address(user: User, role: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(user.display_name)
    address.params["ROLE"] = vText(role)
    return address


def location_text(session: MentoringSession, *, with_link: bool = True) -> str:
    """Where: the venue, and an online session's own meeting link (for its people only, and not
    once it is cancelled)."""
    venue = session.venue
    if venue is None:
        return ""
    parts = [venue.name, venue.address, venue.city]
    if with_link and session.live_meeting_url:
        parts.append(session.live_meeting_url)
    return ", ".join(part for part in parts if part)


def session_event(
    session: MentoringSession, *, participants: Iterable[User], zone_name: str, with_link: bool = True
) -> Event:
    zone = zoneinfo.ZoneInfo(zone_name)
    event = Event()
    event.add("uid", session.ical_uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", session.start.astimezone(zone))
    event.add("dtend", session.end.astimezone(zone))
    # The title in the reader's language (the callers override it for emails and feeds); the time
    # is the event's own, so calendar apps show it in each reader's format.
    title = _("Mentoring: %(name)s / %(mentor)s") % {
        "name": session.engagement.subject_name,
        "mentor": session.mentor.display_name,
    }
    event.add("summary", title)
    event.add("location", location_text(session, with_link=with_link))
    event.add("url", settings.SITE_URL + session.get_absolute_url())
    event.add("description", settings.SITE_URL + session.get_absolute_url())
    status = {SessionStatus.CANCELLED: "CANCELLED", SessionStatus.REQUESTED: "TENTATIVE"}.get(
        session.status, "CONFIRMED"
    )
    event.add("status", status)
    event["organizer"] = _address(session.mentor, "CHAIR")
    for person in participants:
        if person.pk != session.mentor_id:
            event.add("attendee", _address(person, "REQ-PARTICIPANT"))
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invite_ics(
    session: MentoringSession,
    *,
    participants: Iterable[User],
    zone_name: str,
    with_link: bool = True,
    language: str | None = None,
) -> bytes:
    """A single-event invite: METHOD:REQUEST, or METHOD:CANCEL for a cancelled session, its title in
    `language` (the active one when None). `with_link=False` leaves the meeting link out, for
    someone who is not one of its people."""
    method = "CANCEL" if session.status == SessionStatus.CANCELLED else "REQUEST"
    calendar = _calendar(method)
    with translation.override(language or translation.get_language()):
        event = session_event(session, participants=participants, zone_name=zone_name, with_link=with_link)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(
    sessions: Iterable[tuple[MentoringSession, list[User]]], *, zone_name: str, name: str, language: str | None = None
) -> bytes:
    """A subscription feed of many sessions (no METHOD: it is published, not an invitation), its
    titles in `language` (the active one when None)."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", name)
    with translation.override(language or translation.get_language()):
        for session, participants in sessions:
            calendar.add_component(session_event(session, participants=participants, zone_name=zone_name))
    calendar.add_missing_timezones()
    return calendar.to_ical()
