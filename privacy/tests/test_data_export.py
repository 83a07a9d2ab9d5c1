"""A person's own data export and a mentor's own-notes export: what is in them, and what never is."""

import datetime
import json

import pytest
from django.urls import reverse

from demo.factories import make_note, make_reflection
from mentorship.models import AuditEntry, TeamMembership
from privacy.tests.fixtures import (
    OUTSIDER_TEXT,
    OWN_PRIVATE_REFLECTION,
    OWN_SHARED_REFLECTION,
    PRIVATE_SECRET,
    SHARED_TEXT,
)
from sessions.models import NoteRevision


def export(client, user, name="privacy:data-export", data=None):
    client.force_login(user)
    response = client.post(reverse(name), data or {})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="mentorship-')
    assert "no-store" in response["Cache-Control"]
    return response.content.decode(), json.loads(response.content)


def test_mentee_export_holds_profile_engagement_sessions_and_own_writing(client, mentee, records, engagement):
    raw, payload = export(client, mentee)

    assert payload["export"]["kind"] == "personal-data"
    profile = payload["profile"]
    assert (profile["name"], profile["email"], profile["time_zone"], profile["language"]) == (
        "Dave Mentee",
        "dave.mentee@example.org",
        "Europe/Stockholm",
        "en",
    )
    assert profile["roles"] == ["mentee"]
    assert profile["organisation"] == {"name": "Alder Freight AB", "title": "Head of Sales"}
    [item] = payload["engagements"]
    assert item["id"] == str(engagement.uuid)
    assert item["focus_areas"] == ["Leadership"]
    assert item["goals"] == "Grow into the new role."
    assert item["triggers"] == ["new_in_role"]
    assert item["your_intake_answers"]["own_goals"] == "Lead the sales team through the merger"
    sessions = {row["id"]: row for row in item["sessions"]}
    assert set(sessions) == {str(records.session.uuid), str(records.upcoming.uuid)}
    held = sessions[str(records.session.uuid)]
    assert held["start"] == records.session.start.astimezone(datetime.UTC).isoformat()
    assert held["start"].endswith("+00:00")
    assert held["status"] == "completed"
    assert [note["text"] for note in held["notes"]] == [SHARED_TEXT]
    assert {row["text"] for row in item["action_items"]} == {"Book the board meeting", "Send the reading list"}
    assert {row["text"] for row in payload["reflections"]} == {OWN_PRIVATE_REFLECTION, OWN_SHARED_REFLECTION}
    assert [(row["usefulness"], row["trust"], row["comment"]) for row in payload["feedback"]] == [(5, 4, "Very useful")]
    assert PRIVATE_SECRET not in raw


def test_the_export_never_holds_a_private_note_or_another_persons_data(
    client, mentee, records, outsider_records, team_engagement
):
    raw, _ = export(client, mentee)
    assert PRIVATE_SECRET not in raw
    assert OUTSIDER_TEXT not in raw
    assert "erin.outsider" not in raw
    assert team_engagement.team.name not in raw  # not a member of that team


def test_a_team_member_gets_the_team_engagement_but_not_other_members_reflections(
    client, team_engagement, team, held_session
):
    member, other = [membership.user for membership in team.memberships.order_by("user__email")[:2]]
    session = held_session(team_engagement)
    make_note(session=session, visibility="shared", body="Team shared note")
    make_note(session=session, body=PRIVATE_SECRET)
    make_reflection(session=session, author=member, timing="after", visibility="shared", body="Mine")
    make_reflection(session=session, author=other, timing="after", visibility="shared", body="Not mine")

    raw, payload = export(client, member)

    [item] = payload["engagements"]
    assert item["team"] == team.name
    assert item["your_intake_answers"] is None
    assert [note["text"] for note in item["sessions"][0]["notes"]] == ["Team shared note"]
    assert [row["text"] for row in payload["reflections"]] == ["Mine"]
    assert payload["profile"]["teams"] == [{"name": team.name, "organisation": "Alder Freight AB", "title": "CEO"}]
    assert "Not mine" not in raw
    assert PRIVATE_SECRET not in raw


def test_own_reflections_stay_in_the_export_after_leaving_the_team(client, team_engagement, team, held_session):
    member = team.memberships.order_by("user__email").first().user
    session = held_session(team_engagement)
    make_reflection(session=session, author=member, timing="after", visibility="private", body="Kept")
    TeamMembership.objects.filter(user=member).delete()

    _, payload = export(client, member)

    assert payload["engagements"] == []
    assert [row["text"] for row in payload["reflections"]] == ["Kept"]


def test_an_admin_exports_only_their_own_data_whatever_they_post(client, consultancy_admin, mentee, records):
    raw, payload = export(client, consultancy_admin, data={"user": mentee.pk, "email": mentee.email})
    assert payload["profile"]["email"] == consultancy_admin.email
    assert payload["engagements"] == []
    assert mentee.email not in raw
    assert SHARED_TEXT not in raw
    assert PRIVATE_SECRET not in raw


def test_a_mentor_exports_every_note_they_wrote_private_ones_included(client, mentor, records, engagement):
    NoteRevision.objects.create(note=records.shared, body="An earlier wording", edited_by=mentor)
    raw, payload = export(client, mentor, "privacy:notes-export")

    assert payload["export"]["kind"] == "own-session-notes"
    notes = {note["visibility"]: note for note in payload["notes"]}
    assert notes["private"]["text"] == PRIVATE_SECRET
    assert notes["shared"]["text"] == SHARED_TEXT
    assert notes["shared"]["earlier_versions"][0]["text"] == "An earlier wording"
    assert notes["private"]["session"]["start"].endswith("+00:00")
    assert notes["private"]["engagement"] == {
        "id": str(engagement.uuid),
        "name": "Dave Mentee",
        "organisation": "Alder Freight AB",
    }
    # Only their own notes: never a reflection, nor another mentor's note.
    assert OWN_PRIVATE_REFLECTION not in raw


def test_another_mentor_exports_none_of_this_mentors_notes(client, other_mentor, records, outsider_records):
    raw, payload = export(client, other_mentor, "privacy:notes-export")
    assert PRIVATE_SECRET not in raw
    assert SHARED_TEXT not in raw
    assert {note["text"] for note in payload["notes"]} == {OUTSIDER_TEXT + " private", OUTSIDER_TEXT + " shared"}


def test_a_mentee_cannot_use_the_notes_export(client, mentee, records):
    client.force_login(mentee)
    response = client.post(reverse("privacy:notes-export"))
    assert response.status_code == 403
    assert PRIVATE_SECRET not in response.content.decode()


@pytest.mark.parametrize(("name", "person"), [("privacy:data-export", "mentee"), ("privacy:notes-export", "mentor")])
def test_every_export_is_in_the_audit_log(request, client, records, name, person):
    user = request.getfixturevalue(person)
    export(client, user, name)
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id) == (user, "exported", str(user.pk))
    assert entry.actor_label == user.email
    assert PRIVATE_SECRET not in entry.target_label


def test_html_in_stored_text_comes_out_as_plain_json(client, mentee, engagement, held_session):
    session = held_session(engagement)
    make_note(session=session, visibility="shared", body="<script>alert('x')</script>")
    raw, payload = export(client, mentee)
    assert payload["engagements"][0]["sessions"][0]["notes"][0]["text"] == "<script>alert('x')</script>"


def test_the_profile_page_offers_the_exports_and_the_deletion_request(client, mentor, mentee):
    client.force_login(mentee)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("privacy:data-export") in html
    assert reverse("privacy:notes-export") not in html
    assert reverse("privacy:deletion-request") in html
    client.force_login(mentor)
    assert reverse("privacy:notes-export") in client.get(reverse("accounts:profile")).content.decode()


def test_session_times_are_in_utc_whatever_the_persons_time_zone(client, mentee, records):
    mentee.time_zone = "America/New_York"
    mentee.save()
    _, payload = export(client, mentee)
    starts = {row["id"]: row["start"] for row in payload["engagements"][0]["sessions"]}
    assert starts[str(records.session.uuid)] == records.session.start.astimezone(datetime.UTC).isoformat()
    assert all(start.endswith("+00:00") for start in starts.values())


def test_the_export_of_a_person_with_no_mentorship_is_just_their_profile(client, mentor):
    _, payload = export(client, mentor)
    assert payload["profile"]["roles"] == ["mentor"]
    assert payload["profile"]["organisation"] is None
    assert (payload["engagements"], payload["reflections"], payload["feedback"]) == ([], [], [])


def test_the_outcome_of_a_completed_engagement_is_in_the_export(client, mentee, engagement, consultancy_admin):
    from mentorship.models import EngagementOutcome

    EngagementOutcome.objects.create(
        engagement=engagement, mentee_words="I delegate now.", mentor_words="Calm.", recorded_by=consultancy_admin
    )
    _, payload = export(client, mentee)
    [item] = payload["engagements"]
    assert item["outcome"]["goals_reached_mentee_words"] == "I delegate now."
    assert item["outcome"]["goals_reached_mentor_words"] == "Calm."
    assert item["outcome"]["final_feedback"] == ""
    assert item["outcome"]["recorded"].endswith("+00:00")


def test_an_engagement_without_an_outcome_exports_none(client, mentee, engagement):
    _, payload = export(client, mentee)
    assert payload["engagements"][0]["outcome"] is None
