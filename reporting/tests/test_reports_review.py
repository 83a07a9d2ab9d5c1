"""The review at the planned end: an admin extends (optionally switching to monthly sessions now)
or completes with an outcome (EngagementOutcome), shown on the engagement page."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from core.tests.helpers import local_today
from demo.factories import make_session
from mentorship.cadence import CadenceRules, Phase
from mentorship.engagements import services as engagement_services
from mentorship.models import Engagement, EngagementEvent, EngagementOutcome
from sessions.models import MentoringSession, SessionStatus

pytestmark = [pytest.mark.clock, pytest.mark.django_db]


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


@pytest.fixture
def due_engagement(engagement_factory, mentee, mentor, consultancy_admin):
    """Active, started 40 days ago (so in its every-other-week phase), planned to end in a week
    (in the reviewing admin's time zone)."""
    today = local_today(consultancy_admin)
    return engagement_factory(
        mentee=mentee,
        mentor=mentor,
        status=Engagement.Status.ACTIVE,
        start_date=today - datetime.timedelta(days=40),
        planned_end=today + datetime.timedelta(days=7),
    )


def _url(engagement: Engagement) -> str:
    return reverse("reporting:engagement-review", args=[engagement.uuid])


def _extend(client, engagement, new_end, **extra):
    data = {"decision": "extend", "extend-new_end": str(new_end), **extra}
    return client.post(_url(engagement), data)


def _complete(client, engagement, mentee="I lead the sales team with confidence.", mentor="Clear growth.", final=""):
    data = {
        "decision": "complete",
        "complete-mentee_words": mentee,
        "complete-mentor_words": mentor,
        "complete-final_feedback": final,
    }
    return client.post(_url(engagement), data)


def _messages(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# The page ---------------------------------------------------------------------------------------


def test_the_page_shows_sessions_held_and_both_choices(admin_client, due_engagement, past_session):
    past_session(due_engagement, days_ago=26)
    past_session(due_engagement, days_ago=12)
    response = admin_client.get(_url(due_engagement))
    assert response.context["facts"].held == 2
    assert response.context["facts"].days_to_planned_end == 7
    assert response.context["facts"].adherence.percent == 100
    assert "switch_to_monthly" in response.context["extend_form"].fields
    content = response.content.decode()
    assert "Extend the engagement" in content
    assert "Complete the engagement" in content
    assert 'name="csrfmiddlewaretoken"' in content


def test_the_engagement_page_links_admins_to_the_review(admin_client, due_engagement):
    response = admin_client.get(reverse("overview:engagement-detail", args=[due_engagement.uuid]))
    assert _url(due_engagement) in response.content.decode()


def test_the_switch_is_not_offered_in_the_steady_phase(
    admin_client, consultancy_admin, engagement_factory, mentee, mentor
):
    today = local_today(consultancy_admin)
    steady = engagement_factory(
        mentee=mentee,
        mentor=mentor,
        status=Engagement.Status.ACTIVE,
        start_date=today - datetime.timedelta(weeks=20),
        planned_end=today + datetime.timedelta(days=10),
    )
    response = admin_client.get(_url(steady))
    assert "switch_to_monthly" not in response.context["extend_form"].fields
    _extend(admin_client, steady, today + datetime.timedelta(days=90), **{"extend-switch_to_monthly": "on"})
    steady.refresh_from_db()
    assert steady.initial_phase_weeks == 12
    assert not EngagementEvent.objects.filter(kind=EngagementEvent.Kind.EDITED).exists()


# Extend -----------------------------------------------------------------------------------------


def test_extend_moves_the_planned_end_and_records_it(admin_client, due_engagement, consultancy_admin):
    new_end = due_engagement.planned_end + datetime.timedelta(days=120)
    response = _extend(admin_client, due_engagement, new_end)
    assert response.status_code == 302
    assert response.url == reverse("overview:engagement-detail", args=[due_engagement.uuid])
    due_engagement.refresh_from_db()
    assert due_engagement.planned_end == new_end
    assert due_engagement.initial_phase_weeks == 12  # no switch asked for
    event = EngagementEvent.objects.get()
    assert (event.kind, event.actor) == (EngagementEvent.Kind.EXTENDED, consultancy_admin)


def test_extend_and_switch_to_monthly_starts_the_steady_phase_today(admin_client, consultancy_admin, due_engagement):
    new_end = due_engagement.planned_end + datetime.timedelta(days=120)
    _extend(admin_client, due_engagement, new_end, **{"extend-switch_to_monthly": "on"})
    due_engagement.refresh_from_db()
    today = local_today(consultancy_admin)
    assert due_engagement.initial_phase_weeks == 5  # 40 days: five whole weeks
    rules = CadenceRules.of(due_engagement)
    assert rules.phase_on(today) is Phase.STEADY
    assert rules.phase_on(today - datetime.timedelta(days=6)) is Phase.INITIAL
    kinds = list(EngagementEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == [EngagementEvent.Kind.EXTENDED, EngagementEvent.Kind.EDITED]
    assert "12 to 5 weeks" in EngagementEvent.objects.get(kind=EngagementEvent.Kind.EDITED).detail


@pytest.mark.parametrize(
    ("value", "error"),
    [
        ("", "This field is required."),
        ("not-a-date", "Enter a valid date."),
        ("2026-02-30", "Enter a valid date."),
        ("9999-12-31", "Choose a date between"),
        ("SAME", "Choose a date after the current planned end"),
        ("EARLIER", "Choose a date after the current planned end"),
        ("TOO_FAR", "at most 5 years"),
    ],
)
def test_extend_refuses_a_bad_date(admin_client, due_engagement, value, error):
    planned_end = due_engagement.planned_end
    value = {
        "SAME": str(planned_end),
        "EARLIER": str(planned_end - datetime.timedelta(days=1)),
        "TOO_FAR": str(planned_end.replace(year=planned_end.year + 6)),
    }.get(value, value)
    response = _extend(admin_client, due_engagement, value, **{"extend-switch_to_monthly": "on"})
    assert response.status_code == 200
    assert error in " ".join(response.context["extend_form"].errors["new_end"])
    due_engagement.refresh_from_db()
    assert (due_engagement.planned_end, due_engagement.initial_phase_weeks) == (planned_end, 12)
    assert not EngagementEvent.objects.exists()


# Complete ---------------------------------------------------------------------------------------


def test_complete_records_the_outcome(admin_client, due_engagement, consultancy_admin):
    response = _complete(
        admin_client, due_engagement, mentee="I delegate now.", mentor="Delegation and calm.", final="Thank you!"
    )
    assert response.status_code == 302
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.COMPLETED
    event = EngagementEvent.objects.get()
    assert (event.kind, event.from_status, event.to_status) == ("status_changed", "active", "completed")
    assert event.actor == consultancy_admin
    outcome = EngagementOutcome.objects.get(engagement=due_engagement)
    assert (outcome.mentee_words, outcome.mentor_words, outcome.final_feedback) == (
        "I delegate now.",
        "Delegation and calm.",
        "Thank you!",
    )
    assert outcome.recorded_by == consultancy_admin


def test_final_feedback_is_optional(admin_client, due_engagement):
    _complete(admin_client, due_engagement, final="")
    assert EngagementOutcome.objects.get().final_feedback == ""


def test_a_paused_engagement_can_be_completed_too(admin_client, due_engagement):
    due_engagement.status = Engagement.Status.PAUSED
    due_engagement.save()
    _complete(admin_client, due_engagement)
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.COMPLETED


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("mentee", "", "Write what the mentee says they reached."),
        ("mentor", "   ", "Write what the mentor says was reached."),
        ("mentee", "x" * 601, "at most 600 characters"),
        ("final", "x" * 601, "at most 600 characters"),
    ],
)
def test_complete_refuses_missing_or_overlong_words(admin_client, due_engagement, field, value, error):
    response = _complete(admin_client, due_engagement, **{field: value})
    assert response.status_code == 200
    assert error in " ".join(str(e) for errors in response.context["complete_form"].errors.values() for e in errors)
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.ACTIVE
    assert not EngagementEvent.objects.exists()
    assert not EngagementOutcome.objects.exists()


def test_a_double_submit_completes_once(admin_client, due_engagement):
    _complete(admin_client, due_engagement)
    response = _complete(admin_client, due_engagement)
    assert response.status_code == 302
    assert "Only an active or paused engagement can be reviewed." in _messages(response)
    assert EngagementEvent.objects.count() == 1
    assert EngagementOutcome.objects.count() == 1


@pytest.mark.parametrize("status", [Engagement.Status.PROPOSED, Engagement.Status.CANCELLED])
def test_an_engagement_that_is_not_running_cannot_be_reviewed(admin_client, due_engagement, status):
    due_engagement.status = status
    due_engagement.save()
    page = admin_client.get(_url(due_engagement))
    assert page.status_code == 200
    assert not page.context["can_review"]
    assert "Extend the engagement" not in page.content.decode()
    _complete(admin_client, due_engagement)
    _extend(admin_client, due_engagement, due_engagement.planned_end + datetime.timedelta(days=30))
    due_engagement.refresh_from_db()
    assert due_engagement.status == status
    assert not EngagementEvent.objects.exists()


@pytest.mark.parametrize("decision", ["", "delete", None])
def test_an_unknown_decision_changes_nothing(admin_client, due_engagement, decision):
    data = {"extend-new_end": "2030-01-01"} | ({"decision": decision} if decision is not None else {})
    response = admin_client.post(_url(due_engagement), data)
    assert response.status_code == 302
    assert response.url == _url(due_engagement)
    assert not EngagementEvent.objects.exists()


def test_the_services_refuse_a_closed_engagement_whatever_the_caller(due_engagement, consultancy_admin):
    due_engagement.status = Engagement.Status.COMPLETED
    due_engagement.save()
    with pytest.raises(ValidationError) as extending:
        engagement_services.extend_after_review(
            engagement=due_engagement, new_end=datetime.date(2030, 1, 1), actor=consultancy_admin
        )
    with pytest.raises(ValidationError) as completing:
        engagement_services.complete_with_outcome(
            engagement=due_engagement, actor=consultancy_admin, mentee_words="a", mentor_words="b"
        )
    assert extending.value.code == completing.value.code == "not_reviewable"
    assert not EngagementEvent.objects.exists()


# The outcome on the engagement page ---------------------------------------------------------------


def test_the_outcome_shows_escaped_on_the_engagement_page_to_its_mentee(client, admin_client, due_engagement, mentee):
    _complete(admin_client, due_engagement, mentee="<script>alert(1)</script>\nSecond line", mentor="Calm")
    assert EngagementOutcome.objects.get().mentee_words.count("<script>") == 1  # stored as given
    client.force_login(mentee)
    html = client.get(reverse("overview:engagement-detail", args=[due_engagement.uuid])).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in html
    assert "Goals reached, in the mentor's words" in html
    assert "Completed on" in html
    assert "Alice Admin" in html


def test_the_labels_are_in_the_readers_language_whoever_recorded_it(admin_client, due_engagement, mentee):
    _complete(admin_client, due_engagement, mentee="Jag delegerar nu.", mentor="Lugn.", final="Tack!")
    outcome = EngagementOutcome.objects.get()
    with translation.override("sv"):
        html = render_to_string("reporting/reports/_outcome.html", {"outcome": outcome})
    assert "Uppnådda mål, med adeptens ord" in html
    assert "Goals reached" not in html


def test_the_outcome_partial_is_empty_without_an_outcome():
    assert render_to_string("reporting/reports/_outcome.html", {"outcome": None}).strip() == ""


def test_nobody_outside_the_engagement_reads_the_outcome(admin_client, due_engagement, client, outsider_mentee):
    _complete(admin_client, due_engagement)
    client.force_login(outsider_mentee)
    assert client.get(reverse("overview:engagement-detail", args=[due_engagement.uuid])).status_code == 404


# Completing with sessions still to come -----------------------------------------------------------


@pytest.fixture
def to_come(due_engagement, neutral_venue):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    return [
        make_session(engagement=due_engagement, start=start, venue=neutral_venue),
        make_session(engagement=due_engagement, start=start + datetime.timedelta(days=2), venue=neutral_venue),
    ]


def test_the_review_lists_the_sessions_to_come_and_asks_what_becomes_of_them(admin_client, due_engagement, to_come):
    response = admin_client.get(_url(due_engagement))
    assert response.context["future"] == to_come
    assert "future_sessions" in response.context["complete_form"].fields
    for session in to_come:
        assert session.get_absolute_url() in response.content.decode()


def test_completing_without_choosing_completes_nothing(admin_client, due_engagement, to_come):
    response = _complete(admin_client, due_engagement)
    assert response.status_code == 200
    assert "future_sessions" in response.context["complete_form"].errors
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.ACTIVE


def test_completing_and_cancelling_tells_each_participant_once(
    admin_client, due_engagement, to_come, django_capture_on_commit_callbacks
):
    data = {
        "decision": "complete",
        "complete-mentee_words": "I lead.",
        "complete-mentor_words": "Clear growth.",
        "complete-future_sessions": "cancel",
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(_url(due_engagement), data).status_code == 302
        admin_client.post(_url(due_engagement), data)  # a double submit
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.COMPLETED
    assert set(MentoringSession.objects.filter(engagement=due_engagement).values_list("status", flat=True)) == {
        SessionStatus.CANCELLED
    }
    assert len(mail.outbox) == 4  # two sessions × mentor and mentee
    for message in mail.outbox:
        (ics,) = [content for name, content, _ in message.attachments if name == "invite.ics"]
        assert "METHOD:CANCEL" in (ics.decode() if isinstance(ics, bytes) else ics)


def test_completing_and_keeping_leaves_them_booked(admin_client, due_engagement, to_come):
    data = {
        "decision": "complete",
        "complete-mentee_words": "I lead.",
        "complete-mentor_words": "Clear growth.",
        "complete-future_sessions": "keep",
    }
    assert admin_client.post(_url(due_engagement), data).status_code == 302
    due_engagement.refresh_from_db()
    assert due_engagement.status == Engagement.Status.COMPLETED
    assert set(MentoringSession.objects.filter(engagement=due_engagement).values_list("status", flat=True)) == {
        SessionStatus.CONFIRMED
    }
