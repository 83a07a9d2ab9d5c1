"""Pausing, completing or cancelling an engagement: never one click — the engagement page's danger
zone links to a page that says what will happen; with sessions still to come the admin sees them
and chooses to cancel them (each participant gets one cancellation with a METHOD:CANCEL invite) or
keep them; a paused or completed engagement's sessions are never reminded of, whatever the order
of events."""

import datetime
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.tests.helpers import messages_of
from demo.factories import make_session
from mentorship.models import Engagement, EngagementEvent
from sessions.booking import stopping
from sessions.models import MentoringSession, ReminderLog, ReminderStatus, SessionStatus
from sessions.reminders import sweep as reminders

pytestmark = pytest.mark.clock

H = datetime.timedelta(hours=1)


def stop_url(engagement, to_status: str) -> str:
    return reverse("mentoring_sessions:engagement-stop", args=[engagement.uuid, to_status])


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def invites(message) -> str:
    content = next(content for name, content, _ in message.attachments if name == "invite.ics")
    return content.decode() if isinstance(content, bytes) else content


@pytest.fixture
def future(engagement, neutral_venue):
    """Two sessions to come (one in two days, one requested in a week), one held last week."""
    now = timezone.now().replace(microsecond=0)
    return [
        make_session(engagement=engagement, start=now + 48 * H, venue=neutral_venue),
        make_session(
            engagement=engagement, start=now + 7 * 24 * H, venue=neutral_venue, status=SessionStatus.REQUESTED
        ),
        make_session(engagement=engagement, start=now - 7 * 24 * H, status=SessionStatus.COMPLETED),
    ]


@pytest.mark.django_db
def test_the_engagement_page_sends_the_admin_to_choose_when_sessions_are_to_come(engagement, future, consultancy_admin):
    page = client_of(consultancy_admin).get(reverse("overview:engagement-detail", args=[engagement.uuid]))
    html = page.content.decode()
    assert f'href="{stop_url(engagement, "paused")}"' in html
    assert f'href="{stop_url(engagement, "completed")}"' in html


@pytest.mark.django_db
def test_the_page_lists_the_sessions_to_come_only(engagement, future, consultancy_admin):
    response = client_of(consultancy_admin).get(stop_url(engagement, "paused"))
    assert response.status_code == 200
    assert list(response.context["future"]) == future[:2]
    html = response.content.decode()
    assert 'name="future_sessions"' in html
    assert "Cancel them" in html


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["paused", "completed", "cancelled"])
@pytest.mark.parametrize("who", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
def test_nobody_but_an_admin_opens_or_posts_it(engagement, future, who, request, to_status):
    client = client_of(request.getfixturevalue(who))
    assert client.get(stop_url(engagement, to_status)).status_code == 404
    assert client.post(stop_url(engagement, to_status), {"future_sessions": "cancel"}).status_code == 404
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    assert not MentoringSession.objects.filter(status=SessionStatus.CANCELLED).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["paused", "completed", "cancelled"])
def test_an_anonymous_visitor_is_sent_to_sign_in(client, engagement, to_status):
    response = client.get(stop_url(engagement, to_status))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["active", "proposed", "nonsense"])
def test_only_pausing_completing_and_cancelling_go_this_way(engagement, consultancy_admin, to_status):
    assert client_of(consultancy_admin).get(stop_url(engagement, to_status)).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["paused", "completed", "cancelled"])
def test_cancelling_them_tells_each_participant_once_with_a_calendar_cancellation(
    engagement, future, consultancy_admin, django_capture_on_commit_callbacks, to_status
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(consultancy_admin).post(
            stop_url(engagement, to_status), {"future_sessions": "cancel", "note": "The client paused the programme."}
        )
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == to_status
    statuses = [MentoringSession.objects.get(pk=s.pk).status for s in future]
    assert statuses == [SessionStatus.CANCELLED, SessionStatus.CANCELLED, SessionStatus.COMPLETED]
    assert not MentoringSession.objects.filter(pk__in=[s.pk for s in future], late_cancellation=True).exists()
    people = sorted([engagement.mentor.email, engagement.mentee.email])
    assert sorted(m.to[0] for m in mail.outbox) == sorted(people * 2)  # two sessions, two people
    for message in mail.outbox:
        assert "METHOD:CANCEL" in invites(message)
        assert "The client paused the programme." in message.body
    event = EngagementEvent.objects.filter(engagement=engagement, kind=EngagementEvent.Kind.STATUS_CHANGED).get()
    assert (event.to_status, event.actor) == (to_status, consultancy_admin)


@pytest.mark.django_db
def test_a_double_submit_cancels_and_tells_once(
    engagement, future, consultancy_admin, django_capture_on_commit_callbacks
):
    client = client_of(consultancy_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(stop_url(engagement, "paused"), {"future_sessions": "cancel"})
        again = client.post(stop_url(engagement, "paused"), {"future_sessions": "cancel"}, follow=True)
    assert messages_of(again)[-1] == "An engagement that is paused cannot become paused."
    assert len(mail.outbox) == 4


@pytest.mark.once
@pytest.mark.django_db(transaction=True)
def test_two_admins_stopping_at_once_tell_everyone_once(
    engagement, future, consultancy_admin, user_factory, django_capture_on_commit_callbacks
):
    other_admin = user_factory(email="second.admin@example.org", roles=("consultancy_admin",))
    clients = [client_of(consultancy_admin), client_of(other_admin)]
    barrier = threading.Barrier(2)

    def submit(index: int) -> int:
        try:
            barrier.wait(timeout=30)
            return clients[index].post(stop_url(engagement, "completed"), {"future_sessions": "cancel"}).status_code
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        assert list(pool.map(submit, range(2))) == [302, 302]
    from core.models import OutboxEmail

    kinds = sorted(row.payload["kind"] for row in OutboxEmail.objects.filter(sender="sessions.session_email"))
    assert kinds == ["cancelled"] * 4  # two sessions × two people, not twice over
    assert EngagementEvent.objects.filter(engagement=engagement, kind=EngagementEvent.Kind.STATUS_CHANGED).count() == 1


@pytest.mark.django_db
def test_keeping_them_changes_only_the_status_and_sends_nothing(
    engagement, future, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_of(consultancy_admin).post(
            stop_url(engagement, "paused"), {"future_sessions": "keep"}, follow=True
        )
    assert messages_of(response) == [
        "The engagement is now paused. Its 2 future sessions stay booked, without reminders."
    ]
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.PAUSED
    assert [MentoringSession.objects.get(pk=s.pk).status for s in future[:2]] == [
        SessionStatus.CONFIRMED,
        SessionStatus.REQUESTED,
    ]
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_choice_must_be_made_when_sessions_are_to_come(engagement, future, consultancy_admin):
    response = client_of(consultancy_admin).post(stop_url(engagement, "paused"), {"note": "x"})
    assert response.status_code == 200
    assert "future_sessions" in response.context["form"].errors
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE


@pytest.mark.django_db
def test_without_sessions_to_come_there_is_nothing_to_choose(engagement, consultancy_admin):
    client = client_of(consultancy_admin)
    assert "future_sessions" not in client.get(stop_url(engagement, "completed")).context["form"].fields
    assert client.post(stop_url(engagement, "completed"), {"note": ""}).status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.COMPLETED


@pytest.mark.django_db
def test_the_service_refuses_anyone_but_an_admin(engagement, future, mentor):
    with pytest.raises(ValidationError):
        stopping.stop_engagement(engagement=engagement, to_status="paused", actor=mentor, cancel_future_sessions=True)
    assert MentoringSession.objects.filter(status=SessionStatus.CANCELLED).count() == 0


# No reminders for a paused or completed engagement, whatever the order ------------------------


def session_reminders(now=None) -> list:
    return [r for r in reminders.due_reminders(now) if r.kind == "session"]


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["paused", "completed"])
def test_kept_sessions_of_a_stopped_engagement_are_not_reminded_of(
    engagement, future, consultancy_admin, to_status, django_capture_on_commit_callbacks
):
    assert {r.session_id for r in session_reminders(future[0].start - 47 * H)} == {future[0].pk}
    stopping.stop_engagement(
        engagement=engagement, to_status=to_status, actor=consultancy_admin, cancel_future_sessions=False
    )
    assert session_reminders(future[0].start - 47 * H) == []
    assert session_reminders(future[0].start - 1.5 * H) == []
    with django_capture_on_commit_callbacks(execute=True):
        reminders.sweep(future[0].start - 47 * H)
    assert [m for m in mail.outbox if "invite.ics" in [name for name, *_ in m.attachments]] == []


@pytest.mark.django_db
def test_a_reminder_recorded_before_the_pause_is_not_sent_after_it(
    engagement, future, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        reminders.sweep()  # 47 hours before the first session: its 48-hour reminders are recorded
    assert len(queued) >= 2
    stopping.stop_engagement(
        engagement=engagement, to_status="paused", actor=consultancy_admin, cancel_future_sessions=False
    )
    for send in queued:
        send()
    assert [m for m in mail.outbox if "invite.ics" in [name for name, *_ in m.attachments]] == []
    session_logs = ReminderLog.objects.filter(session=future[0], kind="session")
    assert session_logs.count() == 2
    assert set(session_logs.values_list("status", flat=True)) == {ReminderStatus.SKIPPED}


@pytest.mark.django_db
def test_resuming_brings_the_reminders_back(engagement, future, consultancy_admin):
    from mentorship.engagements import services as engagement_services

    stopping.stop_engagement(
        engagement=engagement, to_status="paused", actor=consultancy_admin, cancel_future_sessions=False
    )
    engagement_services.change_status(engagement=engagement, to_status="active", actor=consultancy_admin)
    assert {r.session_id for r in session_reminders(future[0].start - 47 * H)} == {future[0].pk}


# The danger zone and the confirmation pages ----------------------------------------------------


def engagement_page(engagement, admin) -> str:
    return client_of(admin).get(reverse("overview:engagement-detail", args=[engagement.uuid])).content.decode()


@pytest.mark.django_db
def test_pause_complete_and_cancel_are_links_in_the_danger_zone_not_one_click_buttons(engagement, consultancy_admin):
    html = engagement_page(engagement, consultancy_admin)
    zone = html[html.index('class="card danger-zone"') :]
    zone = zone[: zone.index("</section>")]
    assert "Danger zone: pause or end the engagement" in zone
    for to_status in ("paused", "completed", "cancelled"):
        assert f'href="{stop_url(engagement, to_status)}"' in zone
        assert f'name="to_status" value="{to_status}"' not in html
    assert "Cancel the engagement …" in zone


@pytest.mark.django_db
def test_resuming_stays_one_click_outside_the_danger_zone(engagement, consultancy_admin):
    Engagement.objects.filter(pk=engagement.pk).update(status=Engagement.Status.PAUSED)
    html = engagement_page(engagement, consultancy_admin)
    assert 'name="to_status" value="active"' in html
    assert html.index('name="to_status" value="active"') < html.index('class="card danger-zone"')
    assert f'href="{stop_url(engagement, "paused")}"' not in html


@pytest.mark.django_db
def test_without_a_mentor_find_a_mentor_is_the_primary_action(engagement_factory, mentee, consultancy_admin):
    engagement = engagement_factory(mentee=mentee, mentor=None, status=Engagement.Status.PROPOSED)
    html = engagement_page(engagement, consultancy_admin)
    matching = reverse("mentorship:engagement-matching", args=[engagement.uuid])
    assert f'<a class="button" href="{matching}">Find a mentor</a>' in html
    assert html.index("Find a mentor") < html.index("Edit the details")
    assert f'href="{stop_url(engagement, "cancelled")}"' in html  # the only way to end it, asked first
    assert f'href="{stop_url(engagement, "paused")}"' not in html


@pytest.mark.django_db
def test_an_ended_engagement_has_no_danger_zone(engagement, consultancy_admin):
    Engagement.objects.filter(pk=engagement.pk).update(status=Engagement.Status.COMPLETED)
    html = engagement_page(engagement, consultancy_admin)
    assert "danger-zone" not in html
    assert "This engagement has ended; its status can no longer change." in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("to_status", "says"),
    [
        ("paused", "pauses: nobody can book new sessions and no reminders are sent until it is resumed."),
        ("completed", "This cannot be undone: a completed engagement cannot be resumed."),
        ("cancelled", "This cannot be undone: a cancelled engagement cannot be resumed."),
    ],
)
def test_the_confirmation_page_says_what_will_happen_and_changes_nothing(
    engagement, future, consultancy_admin, to_status, says
):
    response = client_of(consultancy_admin).get(stop_url(engagement, to_status))
    assert response.status_code == 200
    html = response.content.decode()
    assert "What will happen" in html
    assert says in html
    assert f"The engagement for {engagement.subject_name}" in html
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.ACTIVE
    assert MentoringSession.objects.filter(status=SessionStatus.CANCELLED).count() == 0


@pytest.mark.django_db
def test_cancelling_a_proposed_engagement_without_sessions_is_confirmed_then_done(
    engagement_factory, mentee, consultancy_admin
):
    engagement = engagement_factory(mentee=mentee, mentor=None, status=Engagement.Status.PROPOSED)
    client = client_of(consultancy_admin)
    page = client.get(stop_url(engagement, "cancelled"))
    assert page.status_code == 200
    assert "future_sessions" not in page.context["form"].fields
    response = client.post(stop_url(engagement, "cancelled"), {"note": "The client withdrew."})
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CANCELLED
    event = EngagementEvent.objects.get(engagement=engagement, kind=EngagementEvent.Kind.STATUS_CHANGED)
    assert (event.to_status, event.detail, event.actor) == ("cancelled", "The client withdrew.", consultancy_admin)
    assert messages_of(client.get(response["Location"])) == ["The engagement is now cancelled."]


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", ["paused", "completed", "cancelled"])
def test_an_ended_engagement_is_not_offered_the_page_again(engagement, consultancy_admin, to_status):
    Engagement.objects.filter(pk=engagement.pk).update(status=Engagement.Status.CANCELLED)
    client = client_of(consultancy_admin)
    response = client.get(stop_url(engagement, to_status))
    assert response.status_code == 302
    assert messages_of(client.get(response["Location"])) == [
        f"An engagement that is cancelled cannot become {Engagement.Status(to_status).label.lower()}."
    ]
    refused = client.post(stop_url(engagement, to_status), {"future_sessions": "cancel"})
    assert refused.status_code == 302
    engagement.refresh_from_db()
    assert engagement.status == Engagement.Status.CANCELLED


@pytest.mark.django_db
def test_the_confirmation_page_reads_in_swedish(engagement, consultancy_admin):
    consultancy_admin.language = "sv"
    consultancy_admin.save(update_fields=["language"])
    html = client_of(consultancy_admin).get(stop_url(engagement, "completed")).content.decode()
    assert "Vad som händer" in html
    assert "Det går inte att ångra" in html
