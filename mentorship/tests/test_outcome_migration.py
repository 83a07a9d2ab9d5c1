"""Migration 0005 carries outcomes stored as one text on the completion event over into
EngagementOutcome, in English or Swedish, and back."""

import importlib

import pytest
from django.apps import apps

from demo.factories import make_event

migration = importlib.import_module("mentorship.migrations.0005_engagement_outcome")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Goals reached, in the mentee's words:\nI delegate.\n\nIn the mentor's words:\nCalm.\n\n"
            "Final feedback:\nThanks!",
            {"mentee_words": "I delegate.", "mentor_words": "Calm.", "final_feedback": "Thanks!"},
        ),
        (
            "Uppnådda mål, med adeptens ord:\nJag delegerar.\n\nMed mentorns ord:\nLugn.",
            {"mentee_words": "Jag delegerar.", "mentor_words": "Lugn."},
        ),
        (
            "Goals reached, in the mentee's words:\nFirst paragraph.\n\nSecond paragraph.\n\n"
            "In the mentor's words:\nCalm.",
            {"mentee_words": "First paragraph.\n\nSecond paragraph.", "mentor_words": "Calm."},
        ),
        ("Something written by hand.", {"mentee_words": "Something written by hand."}),
    ],
)
def test_old_outcome_texts_are_split_into_their_parts(text, expected):
    assert migration.split_legacy_outcome(text) == expected


@pytest.mark.django_db
def test_carrying_over_and_back_keeps_the_words(engagement_factory, mentee, mentor, consultancy_admin):
    from mentorship.models import EngagementOutcome

    engagement = engagement_factory(mentee=mentee, mentor=mentor, status="completed")
    text = "Goals reached, in the mentee's words:\nI delegate.\n\nIn the mentor's words:\nCalm."
    event = make_event(
        engagement=engagement, kind="status_changed", from_status="active", to_status="completed", detail=text
    )
    other = make_event(engagement=engagement, kind="extended", detail="Moved to June.")

    migration.carry_over_outcomes(apps, None)

    outcome = EngagementOutcome.objects.get(engagement=engagement)
    assert (outcome.mentee_words, outcome.mentor_words, outcome.final_feedback) == ("I delegate.", "Calm.", "")
    assert outcome.recorded_at == event.at
    event.refresh_from_db()
    other.refresh_from_db()
    assert (event.detail, other.detail) == ("", "Moved to June.")

    migration.put_outcomes_back(apps, None)
    event.refresh_from_db()
    assert event.detail == text
