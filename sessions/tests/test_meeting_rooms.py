"""A private meeting room per online session: its own unguessable link, shown only to the
session's people (its page, its invites, its reminders), kept when it moves, gone when it is
cancelled; the mentor may paste a Teams or Zoom link instead. The online venue's one shared link
is migrated away and appears nowhere."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.tests.helpers import messages_of
from demo.factories import make_engagement, make_session
from mentorship.models import Engagement
from sessions.booking import meeting_links, selectors, services
from sessions.models import CalendarFeed, MentoringSession, SessionStatus
from sessions.reminders import sweep as reminders

JITSI = re.compile(r"^https://meet\.jit\.si/[A-Za-z0-9_-]{43}$")  # 32 random bytes


def book(engagement, venue, by, index: int = 0) -> MentoringSession:
    slot = selectors.free_slots_for_engagement(engagement)[index]
    return services.book_session(engagement=engagement, start=slot.start, venue=venue, booked_by=by)[0]


def page_of(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def invite_of(message) -> str:
    content = next(content for name, content, _ in message.attachments if name == "invite.ics")
    return content.decode() if isinstance(content, bytes) else content


def invite_location(message) -> str:
    return str(next(iter(Calendar.from_ical(invite_of(message)).walk("VEVENT")))["location"])


@pytest.mark.django_db
def test_two_online_sessions_get_two_different_unguessable_rooms(ready, mentee, online_venue):
    first = book(ready, online_venue, mentee, 0)
    second = book(ready, online_venue, mentee, 8)
    assert JITSI.match(first.meeting_url)
    assert JITSI.match(second.meeting_url)
    assert first.meeting_url != second.meeting_url
    assert f'href="{first.meeting_url}"' in page_of(mentee, first.get_absolute_url())
    assert second.meeting_url not in page_of(mentee, first.get_absolute_url())


@pytest.mark.django_db
def test_a_session_elsewhere_has_no_room(ready, mentee, neutral_venue):
    assert book(ready, neutral_venue, mentee).meeting_url == ""


@pytest.mark.django_db
def test_the_provider_is_a_setting(ready, mentee, online_venue, settings):
    settings.MEETING_URL_TEMPLATE = "https://video.example.net/rooms/{room}?lang=sv"
    session = book(ready, online_venue, mentee)
    assert re.match(r"^https://video\.example\.net/rooms/[A-Za-z0-9_-]{43}\?lang=sv$", session.meeting_url)


@pytest.mark.django_db
def test_only_the_sessions_people_see_its_room(
    ready, mentee, online_venue, consultancy_admin, outsider_mentee, user_factory, organisation
):
    session = book(ready, online_venue, mentee)
    assert session.meeting_url in page_of(ready.mentor, session.get_absolute_url())
    assert session.meeting_url in page_of(mentee, session.get_absolute_url())
    # The admin may open the session, but does not sit in it.
    assert session.meeting_url not in page_of(consultancy_admin, session.get_absolute_url())
    admin_client = Client()
    admin_client.force_login(consultancy_admin)
    ics = admin_client.get(reverse("mentoring_sessions:session-ics", args=[session.uuid])).content.decode()
    assert session.meeting_url not in ics
    assert "Video call" in ics
    # Another mentee of the same mentor, and an outsider, cannot open it at all.
    other_mentee = user_factory(email="other.mentee@example.org", roles=("mentee",), organisation=organisation)
    make_engagement(mentee=other_mentee, mentor=ready.mentor, status=Engagement.Status.ACTIVE)
    for stranger in (other_mentee, outsider_mentee):
        client = Client()
        client.force_login(stranger)
        assert client.get(session.get_absolute_url()).status_code == 404
        assert client.get(reverse("mentoring_sessions:session-ics", args=[session.uuid])).status_code == 404


@pytest.mark.django_db
def test_every_team_member_sees_the_team_sessions_room(team_ready, online_venue):
    session = book(team_ready, online_venue, team_ready.mentor)
    for membership in team_ready.team.memberships.select_related("user"):
        assert session.meeting_url in page_of(membership.user, session.get_absolute_url())


@pytest.mark.django_db
def test_the_invites_carry_the_room_and_a_cancellation_does_not(
    ready, mentee, online_venue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = book(ready, online_venue, mentee)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert session.meeting_url in message.body
        assert session.meeting_url in invite_location(message)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_session(session=session, actor=mentee)
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert session.meeting_url not in message.body
        assert session.meeting_url not in invite_location(message)
        assert "METHOD:CANCEL" in invite_of(message)


@pytest.mark.django_db
def test_a_cancelled_sessions_page_feed_and_export_show_no_room(ready, mentee, online_venue, client):
    session = book(ready, online_venue, mentee)
    link = session.meeting_url
    services.cancel_session(session=session, actor=mentee)
    for person in (mentee, ready.mentor):
        assert link not in page_of(person, session.get_absolute_url())
        feed = CalendarFeed.objects.create(user=person)
        assert link not in client.get(reverse("mentoring_sessions:calendar-feed", args=[feed.token])).content.decode()


@pytest.mark.django_db
def test_the_session_reminder_carries_the_room(engagement, online_venue, django_capture_on_commit_callbacks):
    session = make_session(
        engagement=engagement, start=timezone.now() + datetime.timedelta(hours=47), venue=online_venue
    )
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep()
    session_reminders = [m for m in mail.outbox if any(name == "invite.ics" for name, *_ in m.attachments)]
    assert sorted(m.to[0] for m in session_reminders) == sorted([engagement.mentor.email, engagement.mentee.email])
    for message in session_reminders:
        assert session.meeting_url in message.body
        assert session.meeting_url in invite_location(message)


@pytest.mark.django_db
def test_a_moved_session_keeps_its_room_and_a_session_moved_to_a_meeting_room_has_none(
    ready, mentee, online_venue, neutral_venue
):
    session = book(ready, online_venue, mentee)
    link = session.meeting_url
    later = selectors.free_slots_for_engagement(ready, ignore_session=session)[10].start
    moved = services.reschedule_session(session=session, start=later, venue=online_venue, actor=mentee)
    assert moved.meeting_url == link

    in_person = services.reschedule_session(session=moved, start=later, venue=neutral_venue, actor=mentee)
    assert in_person.meeting_url == ""
    assert link not in page_of(mentee, session.get_absolute_url())
    online_again = services.reschedule_session(session=in_person, start=later, venue=online_venue, actor=mentee)
    assert JITSI.match(online_again.meeting_url)
    assert online_again.meeting_url != link  # the old room stays closed


# The mentor's own link -------------------------------------------------------------------------


def post_link(user, session, url: str, **kwargs):
    client = Client()
    client.force_login(user)
    return client.post(
        reverse("mentoring_sessions:session-meeting-link", args=[session.uuid]), {"meeting_url": url}, **kwargs
    )


@pytest.mark.django_db
def test_the_mentor_pastes_a_teams_link_and_everyone_gets_the_new_invite_once(
    ready, mentee, online_venue, django_capture_on_commit_callbacks
):
    session = book(ready, online_venue, mentee)
    teams = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post_link(ready.mentor, session, teams)
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.meeting_url == teams
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ready.mentor.email, mentee.email])
    assert all(teams in invite_location(m) for m in mail.outbox)
    # The same link again (a double submit) changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        again = post_link(ready.mentor, session, teams, follow=True)
    assert messages_of(again) == ["Nothing changed: the session already has that meeting link."]
    assert len(mail.outbox) == 2
    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.django_db
def test_an_empty_link_gives_a_new_private_room(ready, mentee, online_venue):
    session = book(ready, online_venue, mentee)
    old = session.meeting_url
    meeting_links.set_meeting_link(session=session, actor=ready.mentor, url="")
    session.refresh_from_db()
    assert JITSI.match(session.meeting_url)
    assert session.meeting_url != old


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["http://zoom.us/j/123", "javascript:alert(1)", "not a link", "https://zoom.us/j/" + "1" * 500]
)
def test_a_link_that_is_not_a_secure_url_is_refused(ready, mentee, online_venue, url):
    session = book(ready, online_venue, mentee)
    old = session.meeting_url
    response = post_link(ready.mentor, session, url, follow=True)
    assert response.status_code == 200
    assert messages_of(response)  # said why, on the session's page
    session.refresh_from_db()
    assert session.meeting_url == old
    with pytest.raises(ValidationError):
        meeting_links.set_meeting_link(session=session, actor=ready.mentor, url=url)


@pytest.mark.django_db
def test_only_the_sessions_mentor_may_set_its_link(ready, mentee, online_venue, consultancy_admin, other_mentor):
    session = book(ready, online_venue, mentee)
    assert post_link(mentee, session, "https://zoom.us/j/1").status_code == 403
    assert post_link(consultancy_admin, session, "https://zoom.us/j/1").status_code == 403
    assert post_link(other_mentor, session, "https://zoom.us/j/1").status_code == 404
    session.refresh_from_db()
    assert session.meeting_url != "https://zoom.us/j/1"
    assert 'name="meeting_url"' in page_of(ready.mentor, session.get_absolute_url())
    assert 'name="meeting_url"' not in page_of(mentee, session.get_absolute_url())


@pytest.mark.django_db
def test_no_link_can_be_set_for_a_cancelled_or_in_person_session(ready, mentee, online_venue, neutral_venue):
    cancelled = book(ready, online_venue, mentee, 0)
    services.cancel_session(session=cancelled, actor=mentee)
    in_person = book(ready, neutral_venue, mentee, 8)
    for session in (cancelled, in_person):
        assert post_link(ready.mentor, session, "https://zoom.us/j/1").status_code == 403
        assert 'name="meeting_url"' not in page_of(ready.mentor, session.get_absolute_url())


# The old shared link is migrated away -------------------------------------------------------------

OLD_SHARED_LINK = "https://meet.example.com/mentorship-shared-room"


@pytest.mark.django_db(transaction=True)
def test_the_old_shared_link_is_migrated_away_and_appears_nowhere(
    engagement, team_engagement, online_venue, consultancy_admin
):
    past = make_session(
        engagement=engagement,
        start=timezone.now() - datetime.timedelta(days=10),
        venue=online_venue,
        status=SessionStatus.COMPLETED,
    )
    upcoming = make_session(engagement=engagement, venue=online_venue)
    team_session = make_session(
        engagement=team_engagement, start=timezone.now() + datetime.timedelta(days=5), venue=online_venue
    )
    sessions = [past, upcoming, team_session]

    # Back to before the change: the venue holds one shared link, the sessions none.
    executor = MigrationExecutor(connection)
    executor.migrate([("mentoring_sessions", "0007_session_room")])
    with connection.cursor() as cursor:
        cursor.execute("UPDATE mentoring_sessions_venue SET meeting_url = %s WHERE kind = 'online'", [OLD_SHARED_LINK])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    links = [MentoringSession.objects.get(pk=session.pk).meeting_url for session in sessions]
    assert all(JITSI.match(link) for link in links)
    assert len(set(links)) == 3

    people = [engagement.mentor, engagement.mentee, *(m.user for m in team_engagement.team.memberships.all())]
    for person in [*people, consultancy_admin]:
        feed = CalendarFeed.objects.create(user=person)
        client = Client()
        client.force_login(person)
        urls = [
            reverse("overview:home"),
            reverse("mentoring_sessions:session-list"),
            reverse("mentoring_sessions:calendar-feed", args=[feed.token]),
            reverse("overview:engagement-detail", args=[engagement.uuid]),
            reverse("overview:engagement-detail", args=[team_engagement.uuid]),
            reverse("mentoring_sessions:venue-list"),
        ]
        for session in sessions:
            urls += [session.get_absolute_url(), reverse("mentoring_sessions:session-ics", args=[session.uuid])]
        for url in urls:
            response = client.get(url)
            if response.status_code == 200:
                assert OLD_SHARED_LINK not in b"".join(response).decode(), (person.email, url)
    # Each of the session's people finds its own new room on its page.
    assert links[1] in page_of(engagement.mentee, upcoming.get_absolute_url())
    member = team_engagement.team.memberships.first().user
    assert links[2] in page_of(member, team_session.get_absolute_url())
