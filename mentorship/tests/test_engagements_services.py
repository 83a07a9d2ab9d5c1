"""The engagement service: calendar months, the lifecycle, extensions, edits, intake answers."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError

from mentorship.cadence import add_months
from mentorship.engagements import services
from mentorship.models import Engagement, EngagementEvent, IntakeResponse

Status = Engagement.Status
D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2026, 10, 31), 1, D(2026, 11, 30)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 9, 1), 6, D(2027, 3, 1)),
        (D(2026, 3, 15), 6, D(2026, 9, 15)),
        (D(2026, 7, 15), 18, D(2028, 1, 15)),
    ],
)
def test_add_months_uses_calendar_months_and_clamps_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2026, 9, 1), D(2027, 3, 1), 6),
        (D(2026, 9, 1), D(2027, 2, 28), 5),
        (D(2026, 8, 31), D(2027, 2, 28), 6),
        (D(2026, 1, 31), D(2026, 2, 27), 0),
        (D(2026, 9, 1), D(2027, 3, 20), 6),
    ],
)
def test_whole_months_between(start, end, expected):
    assert services.whole_months_between(start, end) == expected


ALLOWED = {
    (Status.PROPOSED, Status.ACTIVE),
    (Status.PROPOSED, Status.CANCELLED),
    (Status.ACTIVE, Status.PAUSED),
    (Status.ACTIVE, Status.COMPLETED),
    (Status.ACTIVE, Status.CANCELLED),
    (Status.PAUSED, Status.ACTIVE),
    (Status.PAUSED, Status.COMPLETED),
    (Status.PAUSED, Status.CANCELLED),
}


@pytest.mark.parametrize(("from_status", "to_status"), list(itertools.product(Status.values, Status.values)))
def test_every_transition_is_allowed_or_refused(
    engagement_factory, mentee, mentor, consultancy_admin, from_status, to_status
):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=from_status)
    if (from_status, to_status) in ALLOWED:
        services.change_status(engagement=engagement, to_status=to_status, actor=consultancy_admin, note=" Why ")
        engagement.refresh_from_db()
        assert engagement.status == to_status
        event = EngagementEvent.objects.get(engagement=engagement)
        assert (event.kind, event.from_status, event.to_status) == ("status_changed", from_status, to_status)
        assert (event.actor, event.detail) == (consultancy_admin, "Why")
    else:
        with pytest.raises(ValidationError) as refused:
            services.change_status(engagement=engagement, to_status=to_status, actor=consultancy_admin)
        assert refused.value.code == "invalid_transition"
        engagement.refresh_from_db()
        assert engagement.status == from_status
        assert not EngagementEvent.objects.filter(engagement=engagement).exists()


def test_a_proposed_engagement_without_a_mentor_cannot_start(engagement_factory, mentee, consultancy_admin):
    engagement = engagement_factory(mentee=mentee)
    with pytest.raises(ValidationError) as refused:
        services.change_status(engagement=engagement, to_status=Status.ACTIVE, actor=consultancy_admin)
    assert refused.value.code == "no_mentor"
    engagement.refresh_from_db()
    assert engagement.status == Status.PROPOSED
    assert services.allowed_transitions(engagement) == [Status.CANCELLED]


def test_an_unknown_status_is_refused(engagement, consultancy_admin):
    with pytest.raises(ValidationError) as refused:
        services.change_status(engagement=engagement, to_status="archived", actor=consultancy_admin)
    assert refused.value.code == "unknown_status"


def test_a_stale_copy_cannot_repeat_a_transition(engagement, consultancy_admin):
    stale = Engagement.objects.get(pk=engagement.pk)
    services.change_status(engagement=engagement, to_status=Status.COMPLETED, actor=consultancy_admin)
    with pytest.raises(ValidationError) as refused:
        services.change_status(engagement=stale, to_status=Status.PAUSED, actor=consultancy_admin)
    assert refused.value.code == "invalid_transition"
    assert Engagement.objects.get(pk=engagement.pk).status == Status.COMPLETED


def test_extend_moves_the_planned_end_and_records_from_and_to(engagement, consultancy_admin):
    old_end = engagement.planned_end
    services.extend_planned_end(engagement=engagement, new_end=D(2027, 9, 1), actor=consultancy_admin)
    engagement.refresh_from_db()
    assert engagement.planned_end == D(2027, 9, 1)
    event = EngagementEvent.objects.get(engagement=engagement, kind="extended")
    assert event.detail == f"From {old_end.isoformat()} to 2027-09-01"
    assert event.actor == consultancy_admin


@pytest.mark.parametrize("days", [0, -1, -400])
def test_extend_refuses_a_date_not_after_the_planned_end(engagement, consultancy_admin, days):
    old_end = engagement.planned_end
    with pytest.raises(ValidationError) as refused:
        services.extend_planned_end(
            engagement=engagement, new_end=old_end + datetime.timedelta(days=days), actor=consultancy_admin
        )
    assert refused.value.code == "not_later"
    engagement.refresh_from_db()
    assert engagement.planned_end == old_end
    assert not EngagementEvent.objects.filter(engagement=engagement).exists()


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.CANCELLED])
def test_extend_refuses_an_ended_engagement(engagement_factory, mentee, mentor, consultancy_admin, status):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=status)
    with pytest.raises(ValidationError) as refused:
        services.extend_planned_end(engagement=engagement, new_end=D(2030, 1, 1), actor=consultancy_admin)
    assert refused.value.code == "ended"


def _create_kwargs(focus_areas, **overrides):
    kwargs = {
        "triggers": ["tougher_demands", "new_in_role"],
        "initiated_by": "manager",
        "focus_areas": [focus_areas["leadership"]],
        "goals": "Lead through the merger.",
        "preferred_language": "en",
        "start_date": D(2026, 8, 31),
    }
    return kwargs | overrides


def test_create_engagement_for_a_mentee_derives_the_organisation(mentee, organisation, focus_areas, consultancy_admin):
    engagement = services.create_engagement(actor=consultancy_admin, mentee=mentee, **_create_kwargs(focus_areas))
    assert engagement.organisation == organisation
    assert engagement.status == Status.PROPOSED
    assert engagement.planned_end == D(2027, 2, 28)
    assert engagement.triggers == ["new_in_role", "tougher_demands"]
    assert (engagement.session_minutes, engagement.initial_phase_weeks, engagement.initial_interval_days) == (
        120,
        12,
        14,
    )
    assert list(engagement.focus_areas.all()) == [focus_areas["leadership"]]
    event = EngagementEvent.objects.get(engagement=engagement)
    assert (event.kind, event.actor) == ("created", consultancy_admin)


def test_create_engagement_for_a_team(team, focus_areas, consultancy_admin):
    engagement = services.create_engagement(
        actor=consultancy_admin, team=team, planned_months=12, **_create_kwargs(focus_areas)
    )
    assert engagement.organisation == team.organisation
    assert engagement.planned_end == D(2027, 8, 31)


def test_create_engagement_refuses_both_or_neither(mentee, team, focus_areas, consultancy_admin):
    with pytest.raises(ValidationError) as both:
        services.create_engagement(actor=consultancy_admin, mentee=mentee, team=team, **_create_kwargs(focus_areas))
    with pytest.raises(ValidationError) as neither:
        services.create_engagement(actor=consultancy_admin, **_create_kwargs(focus_areas))
    assert (both.value.code, neither.value.code) == ("mentee_xor_team", "mentee_xor_team")
    assert not Engagement.objects.exists()


def test_create_engagement_refuses_a_person_outside_any_organisation(user_factory, focus_areas, consultancy_admin):
    loner = user_factory(email="loner@example.org", roles=("mentee",))
    with pytest.raises(ValidationError) as refused:
        services.create_engagement(actor=consultancy_admin, mentee=loner, **_create_kwargs(focus_areas))
    assert refused.value.code == "not_a_client"


def test_other_trigger_needs_its_text_and_loses_it_when_unticked(mentee, focus_areas, consultancy_admin):
    with pytest.raises(ValidationError) as refused:
        services.create_engagement(
            actor=consultancy_admin, mentee=mentee, **_create_kwargs(focus_areas, triggers=["other"])
        )
    assert refused.value.code == "other_trigger_unexplained"
    engagement = services.create_engagement(
        actor=consultancy_admin,
        mentee=mentee,
        **_create_kwargs(focus_areas, triggers=["new_in_role"], trigger_other="Forgotten text"),
    )
    assert engagement.trigger_other == ""


def test_an_edit_keeps_an_extension_unless_start_or_length_changes(engagement_factory, mentee, consultancy_admin):
    engagement = engagement_factory(mentee=mentee, start_date=D(2026, 9, 1), planned_end=D(2027, 3, 1))
    services.extend_planned_end(engagement=engagement, new_end=D(2027, 3, 20), actor=consultancy_admin)
    areas = list(engagement.focus_areas.all())
    services.update_engagement(
        engagement=engagement, actor=consultancy_admin, focus_areas=areas, planned_months=6, goals="New goals."
    )
    engagement.refresh_from_db()
    assert (engagement.goals, engagement.planned_end) == ("New goals.", D(2027, 3, 20))
    edited = EngagementEvent.objects.get(engagement=engagement, kind="edited")
    assert edited.detail == "Changed: goals"

    services.update_engagement(
        engagement=engagement, actor=consultancy_admin, focus_areas=areas, planned_months=6, start_date=D(2026, 10, 1)
    )
    engagement.refresh_from_db()
    assert engagement.planned_end == D(2027, 4, 1)


def test_an_edit_without_changes_records_nothing(engagement, consultancy_admin):
    services.update_engagement(
        engagement=engagement,
        actor=consultancy_admin,
        focus_areas=list(engagement.focus_areas.all()),
        planned_months=services.whole_months_between(engagement.start_date, engagement.planned_end),
        goals=engagement.goals,
    )
    assert not EngagementEvent.objects.filter(engagement=engagement).exists()


def test_intake_answers_are_created_once_then_updated(engagement, mentee):
    answers = {"own_goals": "Listen more.", "commitment": 4, "wants_from_mentor": "Honesty."}
    _response, created = services.submit_intake(engagement=engagement, mentee=mentee, **answers)
    assert created
    _response, created = services.submit_intake(engagement=engagement, mentee=mentee, **answers | {"commitment": 5})
    assert not created
    assert IntakeResponse.objects.get(engagement=engagement, mentee=mentee).commitment == 5
    assert EngagementEvent.objects.filter(engagement=engagement, kind="intake_submitted").count() == 1


def test_intake_answers_cannot_change_after_the_end(engagement_factory, mentee, mentor):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=Status.COMPLETED)
    with pytest.raises(ValidationError) as refused:
        services.submit_intake(engagement=engagement, mentee=mentee, own_goals="x", commitment=3, wants_from_mentor="y")
    assert refused.value.code == "ended"
    assert not IntakeResponse.objects.exists()
