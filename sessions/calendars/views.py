"""Calendars: the private subscription feed, its settings page, and the mentor's week agenda."""

import datetime
import re
import zoneinfo
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import role_required
from accounts.models import Role, User
from core.emails import absolute_url
from mentorship.access import engagements_visible_to
from mentorship.models import Engagement, EngagementStatus
from sessions import access
from sessions.booking import selectors
from sessions.booking.slots import Slot
from sessions.busy.selectors import open_conflicts
from sessions.calendars.ics import feed_ics
from sessions.models import OCCUPYING_STATUSES, CalendarFeed, MentoringSession, SessionStatus, new_feed_token

# The feed reaches back this far, so calendars keep recent history; everything ahead is listed.
FEED_HISTORY = datetime.timedelta(days=90)
# Free time is shown for a session of this length unless the mentor's engagements use shorter ones.
DEFAULT_SESSION_MINUTES = Engagement._meta.get_field("session_minutes").default
WEEK_PARAM = re.compile(r"(\d{4})-W(\d{2})")
WEEK = datetime.timedelta(days=7)


# The feed -------------------------------------------------------------------------------------


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The user's sessions as iCalendar, for calendar apps: no sign-in, the secret token is the key.
    Cancelled sessions stay in (STATUS:CANCELLED) so subscribed calendars drop them."""
    feed = access.get_feed_by_token(token)
    user = feed.user
    sessions = list(
        selectors.sessions_for_person(user)
        .filter(end__gte=timezone.now() - FEED_HISTORY)
        .select_related("engagement__mentee", "engagement__team")
        .order_by("start")
    )
    people = selectors.participants_for_sessions(sessions)
    with translation.override(user.language):
        name = _("Mentoring sessions")
    body = feed_ics(
        ((session, people[session.pk]) for session in sessions),
        zone_name=user.time_zone,
        name=name,
        language=user.language,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="mentoring-sessions.ics"'
    response["Cache-Control"] = "private, no-store"  # a revoked or regenerated URL stops at once
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# The settings page ----------------------------------------------------------------------------


def _feed_urls(feed: CalendarFeed | None) -> dict[str, str]:
    if feed is None:
        return {}
    url = absolute_url(reverse("mentoring_sessions:calendar-feed", args=[feed.token]))
    return {"feed_url": url, "webcal_url": re.sub(r"^https?://", "webcal://", url)}


@never_cache
@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "sessions/calendar/settings.html", {"feed": feed, **_feed_urls(feed)})


@login_required
@require_POST
def calendar_feed_create(request: HttpRequest) -> HttpResponse:
    # A repeated submit keeps the URL made by the first one.
    _feed, created = CalendarFeed.objects.get_or_create(user=request.user)
    if created:
        messages.success(request, _("Your calendar feed is ready. Add its address to your calendar app."))
    else:
        messages.info(request, _("You already have a calendar feed; its address is below."))
    return redirect("mentoring_sessions:calendar-settings")


def _confirm_feed_change(request: HttpRequest, action: str) -> HttpResponse:
    """GET of a feed change: a page that says what will happen, whose form POSTs the change."""
    if not CalendarFeed.objects.filter(user=request.user).exists():
        messages.info(request, _("You have no calendar feed yet."))
        return redirect("mentoring_sessions:calendar-settings")
    return render(request, "sessions/calendar/confirm.html", {"action": action})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed_regenerate(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _confirm_feed_change(request, "regenerate")
    CalendarFeed.objects.update_or_create(
        user=request.user, defaults={"token": new_feed_token(), "created_at": timezone.now()}
    )
    messages.success(
        request,
        _("Your calendar feed has a new address. The old one no longer works: update your calendar apps."),
    )
    return redirect("mentoring_sessions:calendar-settings")


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_feed_revoke(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _confirm_feed_change(request, "revoke")
    deleted, _rows = CalendarFeed.objects.filter(user=request.user).delete()
    if deleted:
        messages.success(request, _("Your calendar feed was turned off. Its address no longer works."))
    else:
        messages.info(request, _("You have no calendar feed to turn off."))
    return redirect("mentoring_sessions:calendar-settings")


# The mentor's agenda --------------------------------------------------------------------------


@dataclass
class AgendaDay:
    date: datetime.date
    is_today: bool
    is_off: bool
    sessions: list[MentoringSession] = field(default_factory=list)
    free: list[Slot] = field(default_factory=list)


def week_param(monday: datetime.date) -> str:
    year, week, _weekday = monday.isocalendar()
    return f"{year}-W{week:02d}"


def parse_week(value: str | None, *, today: datetime.date) -> datetime.date:
    """The Monday of an ISO week such as "2026-W49"; this week's Monday for anything malformed."""
    match = WEEK_PARAM.fullmatch((value or "").strip())
    if match:
        year, week = int(match[1]), int(match[2])
        if datetime.MINYEAR < year < datetime.MAXYEAR:  # room for the previous and next week
            try:
                return datetime.date.fromisocalendar(year, week, 1)
            except ValueError:
                pass
    return today - datetime.timedelta(days=today.weekday())


def _session_minutes(user: User) -> int:
    """The shortest session length among the mentor's active engagements: free time fits any of them."""
    shortest = (
        engagements_visible_to(user)
        .filter(mentor=user, status=EngagementStatus.ACTIVE)
        .aggregate(shortest=Min("session_minutes"))["shortest"]
    )
    return shortest or DEFAULT_SESSION_MINUTES


def _agenda_days(
    monday: datetime.date,
    today: datetime.date,
    zone: zoneinfo.ZoneInfo,
    sessions: list[MentoringSession],
    free: selectors.FreeTime,
) -> list[AgendaDay]:
    """Monday to Sunday, each with its sessions and free stretches (by local start date)."""
    days = {
        day: AgendaDay(date=day, is_today=day == today, is_off=day in free.days_off)
        for day in (monday + datetime.timedelta(days=offset) for offset in range(7))
    }
    for session in sessions:
        if (day := days.get(session.start.astimezone(zone).date())) is not None:
            day.sessions.append(session)
    for interval in free.intervals:
        if (day := days.get(interval.start.astimezone(zone).date())) is not None:
            day.free.append(interval)
    return list(days.values())


@role_required(Role.MENTOR)
@require_safe
def agenda(request: HttpRequest) -> HttpResponse:
    user = request.user
    zone = zoneinfo.ZoneInfo(user.time_zone)
    now = timezone.now()
    today = now.astimezone(zone).date()
    monday = parse_week(request.GET.get("week"), today=today)
    week_start = datetime.datetime.combine(monday, datetime.time(0), tzinfo=zone)
    week_end = datetime.datetime.combine(monday + WEEK, datetime.time(0), tzinfo=zone)
    # A day's margin on both sides covers every buffer that can keep free time away from a session.
    margin = datetime.timedelta(days=1)
    sessions = list(
        access.sessions_visible_to(user)
        .filter(mentor=user, start__lt=week_end + margin, end__gt=week_start - margin)
        .select_related("mentee", "team", "venue", "engagement")
        .order_by("start")
    )
    free = selectors.mentor_free_time(
        user,
        earliest=max(week_start, now),
        latest=week_end,
        busy=[(s.start, s.end) for s in sessions if s.status in OCCUPYING_STATUSES],
        duration=datetime.timedelta(minutes=_session_minutes(user)),
    )
    in_week = [s for s in sessions if week_start <= s.start < week_end]
    context = {
        "days": _agenda_days(monday, today, zone, in_week, free),
        "monday": monday,
        "sunday": monday + datetime.timedelta(days=6),
        "week_number": monday.isocalendar()[1],
        "previous_week": week_param(monday - WEEK),
        "next_week": week_param(monday + WEEK),
        "is_this_week": monday <= today < monday + WEEK,
        "this_week": week_param(today - datetime.timedelta(days=today.weekday())),
        "zone_name": user.time_zone,
        "requested_count": sum(1 for s in in_week if s.status == SessionStatus.REQUESTED),
        "busy_conflicts": open_conflicts(user, now=now),
    }
    return render(request, "sessions/calendar/agenda.html", context)
