"""Swedish pages and emails read like Swedish: no English month or weekday abbreviation ("Dec",
"Oct", "Fri") anywhere in the text a Swedish reader sees, on the main pages of every role and in
the emails about sessions. (Python's and Django's `M` gives "Dec" even in Swedish; our formats use
"dec.", see mentorship/formats.)"""

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_action_item, make_session, make_venue
from sessions.booking.emails import session_email
from sessions.models import ReminderKind, SessionStatus, VenueKind
from sessions.reminders.emails import build
from sessions.reminders.sweep import Reminder

ENGLISH_MONTHS = (
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b"
    r"|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b"
)
ENGLISH_WEEKDAYS = r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
ENGLISH_DATE_WORDS = re.compile(f"{ENGLISH_MONTHS}|{ENGLISH_WEEKDAYS}")


class _VisibleText(HTMLParser):
    """The text a reader sees: no tags, attributes, scripts or styles."""

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self._hidden += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def english_date_words(text: str) -> list[str]:
    return sorted({match.group(0) for match in ENGLISH_DATE_WORDS.finditer(text)})


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("fre 4 dec. 09:00", []),
        ("4 december 2026, mars, maj, okt.", []),
        ("Fri 4 Dec 09:00", ["Dec", "Fri"]),
        ("tis 8 Dec 09:00", ["Dec"]),
        ("1 Oct 2026", ["Oct"]),
        ("Decentraliserad ledning, Marknad, Junior", []),  # whole words only
    ],
)
def test_the_check_finds_english_date_words_and_only_them(text, found):
    assert english_date_words(text) == found


@pytest.fixture
def swedish_world(consultancy_admin, mentor, mentee, organisation, engagement):
    for person in (consultancy_admin, mentor, mentee):
        person.language = "sv"
        person.save(update_fields=["language"])
    now = timezone.now().replace(microsecond=0)
    venue = make_venue(name="Kajrummet", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")
    held = make_session(
        engagement=engagement, start=now - datetime.timedelta(days=2), status=SessionStatus.COMPLETED, venue=venue
    )
    upcoming = make_session(
        engagement=engagement, start=now + datetime.timedelta(days=8), status=SessionStatus.CONFIRMED, venue=venue
    )
    cancelled = make_session(
        engagement=engagement, start=now + datetime.timedelta(days=20), status=SessionStatus.CANCELLED, venue=venue
    )
    make_action_item(engagement=engagement, owner=mentee, created_by=mentor, text="Skissa rekryteringsplanen")
    return {"engagement": engagement, "held": held, "upcoming": upcoming, "cancelled": cancelled}


def _pages(world, organisation) -> dict[str, list[str]]:
    engagement, held, upcoming = world["engagement"], world["held"], world["upcoming"]
    shared = [
        reverse("overview:home"),
        reverse("overview:engagement-detail", args=[engagement.uuid]),
        reverse("mentoring_sessions:session-detail", args=[upcoming.uuid]),
        reverse("mentoring_sessions:session-detail", args=[held.uuid]),
        reverse("mentoring_sessions:session-list"),
        reverse("accounts:profile"),
        reverse("progress:plan", args=[engagement.uuid]),
    ]
    return {
        "mentee": [
            *shared,
            reverse("mentoring_sessions:book", args=[engagement.uuid]),
            reverse("mentoring_sessions:session-feedback", args=[held.uuid]),
            reverse("mentoring_sessions:action-items", args=[engagement.uuid]),
        ],
        "mentor": [
            *shared,
            reverse("mentoring_sessions:agenda"),
            reverse("mentoring_sessions:availability"),
            reverse("mentoring_sessions:calendar-settings"),
        ],
        "consultancy_admin": [
            *shared,
            reverse("mentorship:engagement-list"),
            reverse("mentorship:organisation-detail", args=[organisation.uuid]),
            reverse("reporting:health-dashboard"),
            reverse("reporting:reports"),
            reverse("sponsors:report", args=[organisation.uuid]),
            reverse("reporting:audit-log"),
            reverse("billing:run"),
            reverse("billing:mentor-hours"),
        ],
    }


def test_swedish_pages_of_every_role_have_no_english_month_or_weekday(client, swedish_world, organisation, request):
    found = {}
    for who, urls in _pages(swedish_world, organisation).items():
        client.force_login(request.getfixturevalue(who))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (who, url, response.status_code)
            assert response.content.decode().count('lang="sv"'), (who, url)
            if words := english_date_words(visible_text(response.content.decode())):
                found[f"{who} {url}"] = words
    assert found == {}


def test_swedish_session_emails_have_no_english_month_or_weekday(swedish_world, mentee, mentor):
    messages = [
        session_email(session_id=swedish_world["upcoming"].pk, kind=kind, recipient_id=person.pk)
        for kind in ("booked", "confirmed")
        for person in (mentee, mentor)
    ]
    messages.append(session_email(session_id=swedish_world["cancelled"].pk, kind="cancelled", recipient_id=mentee.pk))
    upcoming, engagement = swedish_world["upcoming"], swedish_world["engagement"]
    due = (timezone.localdate() + datetime.timedelta(days=12)).isoformat()
    for kind, session_id, about in [
        (ReminderKind.SESSION, upcoming.pk, upcoming.start.isoformat()),
        (ReminderKind.BOOKING_NUDGE, None, due),
        (ReminderKind.REVIEW, None, due),
    ]:
        reminder = Reminder(f"test:{kind}", kind, mentee.pk, session_id, engagement.pk, about)
        messages.append(build(reminder, mentee))
    found = {}
    for message in messages:
        assert message is not None
        html = next(body for body, kind in message.alternatives if kind == "text/html")
        text = f"{message.subject}\n{message.body}\n{visible_text(html)}"
        for attachment in message.attachments:
            text += "\n" + attachment[1].decode() if isinstance(attachment[1], bytes) else attachment[1]
        if words := english_date_words(text):
            found[message.subject] = words
    assert found == {}
    swedish_day = re.compile(r"\b\d{1,2} (?:jan\.|feb\.|mars|apr\.|maj|juni|juli|aug\.|sep\.|okt\.|nov\.|dec\.)")
    assert all(swedish_day.search(message.subject) for message in messages[:4])
