import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from demo.factories import make_booking_settings, make_member, make_session, make_time_off, make_venue
from mentorship.models import Engagement
from sessions.booking import selectors, services
from sessions.models import MentoringSession, SessionStatus, VenueKind

pytestmark = pytest.mark.clock


@pytest.fixture
def ready(engagement, open_availability, neutral_venue):
    open_availability(mentor=engagement.mentor)
    return engagement


def first_slot(engagement, **kwargs):
    return selectors.free_slots_for_engagement(engagement, **kwargs)[0]


def test_mentee_books_a_free_slot_and_everyone_gets_an_invite(
    ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    slot = first_slot(ready)
    with django_capture_on_commit_callbacks(execute=True):
        session, created = services.book_session(
            engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee
        )
    assert created
    assert session.status == SessionStatus.CONFIRMED
    assert (session.end - session.start) == datetime.timedelta(minutes=ready.session_minutes)
    assert (session.mentor, session.mentee, session.team) == (ready.mentor, mentee, None)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([ready.mentor.email, mentee.email])
    assert all(m.attachments[0][2].startswith("text/calendar") for m in mail.outbox)


def test_booked_time_is_no_longer_offered(ready, mentee, neutral_venue):
    slot = first_slot(ready)
    services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)
    assert slot not in selectors.free_slots_for_engagement(ready)


def test_repeated_submit_returns_the_same_session(ready, mentee, neutral_venue):
    slot = first_slot(ready)
    first, created = services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)
    again, created_again = services.book_session(
        engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert MentoringSession.objects.count() == 1


def test_time_taken_by_another_engagement_of_the_mentor_is_refused_kindly(
    ready, mentee, neutral_venue, engagement_factory, user_factory, organisation
):

    second_mentee = user_factory(email="second@example.org", roles=("mentee",))
    make_member(organisation=organisation, user=second_mentee)
    second = engagement_factory(mentee=second_mentee, mentor=ready.mentor, status=Engagement.Status.ACTIVE)
    slot = first_slot(ready)
    services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)
    with pytest.raises(ValidationError) as excinfo:
        services.book_session(engagement=second, start=slot.start, venue=neutral_venue, booked_by=second_mentee)
    assert excinfo.value.code == "taken"


def test_constraint_violation_from_a_race_becomes_the_friendly_message(ready, mentee, neutral_venue):
    slot = first_slot(ready)
    make_session(engagement=ready, start=slot.start, end=slot.end, booked_by=mentee)
    # Pretend our own check ran before the other request's write.
    with mock.patch.object(services, "_check_slot", return_value=slot.end), pytest.raises(ValidationError) as excinfo:
        services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=ready.mentor)
    assert excinfo.value.code == "taken"


def test_database_forbids_overlap_for_mentor_and_allows_back_to_back(ready, mentee):
    start = timezone.now() + datetime.timedelta(days=3)
    end = start + datetime.timedelta(hours=2)
    common = {"engagement": ready, "mentor": ready.mentor, "mentee": mentee}
    MentoringSession.objects.create(start=start, end=end, **common)
    MentoringSession.objects.create(start=end, end=end + datetime.timedelta(hours=2), **common)  # back to back
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringSession.objects.create(start=start + datetime.timedelta(hours=1), end=end, **common)
    MentoringSession.objects.filter(start=start).update(status=SessionStatus.CANCELLED)
    MentoringSession.objects.create(start=start, end=end - datetime.timedelta(minutes=30), **common)


def test_manual_confirmation_makes_a_request_the_mentor_confirms(ready, mentee, neutral_venue):
    make_booking_settings(mentor=ready.mentor, confirm_manually=True)
    session, _ = services.book_session(
        engagement=ready, start=first_slot(ready).start, venue=neutral_venue, booked_by=mentee
    )
    assert session.status == SessionStatus.REQUESTED
    with pytest.raises(ValidationError):
        services.confirm_session(session=session, actor=mentee)
    session = services.confirm_session(session=session, actor=ready.mentor)
    assert session.status == SessionStatus.CONFIRMED
    assert session.sequence == 1


def test_mentor_booking_needs_no_confirmation(ready, neutral_venue):
    make_booking_settings(mentor=ready.mentor, confirm_manually=True)
    session, _ = services.book_session(
        engagement=ready, start=first_slot(ready).start, venue=neutral_venue, booked_by=ready.mentor
    )
    assert session.status == SessionStatus.CONFIRMED


def test_only_participants_may_book(ready, outsider_mentee, other_mentor, neutral_venue):
    for person in (outsider_mentee, other_mentor):
        with pytest.raises(ValidationError):
            services.book_session(
                engagement=ready, start=first_slot(ready).start, venue=neutral_venue, booked_by=person
            )


def test_team_members_cannot_book_but_the_mentor_books_for_the_whole_team(
    team_engagement, open_availability, neutral_venue
):
    open_availability(mentor=team_engagement.mentor)
    member = team_engagement.team.memberships.first().user
    slot = first_slot(team_engagement)
    with pytest.raises(ValidationError):
        services.book_session(engagement=team_engagement, start=slot.start, venue=neutral_venue, booked_by=member)
    session, _ = services.book_session(
        engagement=team_engagement, start=slot.start, venue=neutral_venue, booked_by=team_engagement.mentor
    )
    assert session.team == team_engagement.team
    assert len(selectors.participants(session)) == 1 + team_engagement.team.memberships.count()


@pytest.mark.parametrize("status", [Engagement.Status.PROPOSED, Engagement.Status.PAUSED, Engagement.Status.COMPLETED])
def test_no_booking_unless_the_engagement_is_active(ready, mentee, neutral_venue, status):
    slot = first_slot(ready)
    Engagement.objects.filter(pk=ready.pk).update(status=status)
    ready.refresh_from_db()
    with pytest.raises(ValidationError):
        services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)


def test_client_site_needs_an_explicit_choice_and_the_right_client(ready, mentee, other_organisation):
    own = make_venue(name="Head office", kind=VenueKind.CLIENT_SITE, organisation=ready.organisation)
    foreign = make_venue(name="Their office", kind=VenueKind.CLIENT_SITE, organisation=other_organisation)
    slot = first_slot(ready)
    with pytest.raises(ValidationError) as excinfo:
        services.book_session(engagement=ready, start=slot.start, venue=own, booked_by=mentee)
    assert excinfo.value.code == "client_site_unconfirmed"
    with pytest.raises(ValidationError) as excinfo:
        services.book_session(
            engagement=ready, start=slot.start, venue=foreign, booked_by=mentee, client_site_confirmed=True
        )
    assert excinfo.value.code == "venue_not_allowed"
    session, _ = services.book_session(
        engagement=ready, start=slot.start, venue=own, booked_by=mentee, client_site_confirmed=True
    )
    assert session.venue == own


def test_a_time_outside_availability_or_notice_is_refused(ready, mentee, neutral_venue):
    soon = timezone.now() + datetime.timedelta(hours=2)
    far = timezone.now() + datetime.timedelta(weeks=20)
    odd = first_slot(ready).start + datetime.timedelta(minutes=7)
    for start in (soon, far, odd):
        with pytest.raises(ValidationError):
            services.book_session(engagement=ready, start=start, venue=neutral_venue, booked_by=mentee)


def test_time_off_blocks_booking(ready, mentee, neutral_venue):
    slot = first_slot(ready)
    day = timezone.localtime(slot.start, timezone=__import__("zoneinfo").ZoneInfo(ready.mentor.time_zone)).date()
    make_time_off(mentor=ready.mentor, start_date=day, end_date=day)
    with pytest.raises(ValidationError):
        services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)


def test_reschedule_keeps_uid_raises_sequence_and_sends_updates(
    ready, mentee, neutral_venue, django_capture_on_commit_callbacks
):
    slots = selectors.free_slots_for_engagement(ready)
    session, _ = services.book_session(engagement=ready, start=slots[0].start, venue=neutral_venue, booked_by=mentee)
    uid = session.ical_uid
    later = slots[-1].start
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.reschedule_session(session=session, start=later, venue=neutral_venue, actor=mentee)
    assert (moved.ical_uid, moved.sequence, moved.start) == (uid, 1, later)
    assert len(mail.outbox) == 2
    assert "moved" in mail.outbox[0].subject.lower() or "flytt" in mail.outbox[0].subject.lower()


def test_a_session_can_move_to_overlap_its_own_old_time(ready, mentee, neutral_venue):
    slots = selectors.free_slots_for_engagement(ready)
    starts = {slot.start for slot in slots}
    # A slot whose half-hour-later neighbour is also offered (not the day's last start).
    first = next(slot for slot in slots if slot.start + datetime.timedelta(minutes=30) in starts)
    session, _ = services.book_session(engagement=ready, start=first.start, venue=neutral_venue, booked_by=mentee)
    half_hour_later = first.start + datetime.timedelta(minutes=30)
    moved = services.reschedule_session(session=session, start=half_hour_later, venue=neutral_venue, actor=mentee)
    assert moved.start == half_hour_later


def _session_starting_in(ready, mentee, venue, hours):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(hours=hours)
    return make_session(
        engagement=ready, start=start, end=start + datetime.timedelta(hours=2), venue=venue, booked_by=mentee
    )


def test_mentee_cannot_move_within_the_cutoff_but_the_mentor_can(ready, mentee, neutral_venue):
    session = _session_starting_in(ready, mentee, neutral_venue, hours=20)
    target = selectors.free_slots_for_engagement(ready)[-1].start
    with pytest.raises(ValidationError) as excinfo:
        services.reschedule_session(session=session, start=target, venue=neutral_venue, actor=mentee)
    assert excinfo.value.code == "too_late"
    moved = services.reschedule_session(session=session, start=target, venue=neutral_venue, actor=ready.mentor)
    assert moved.start == target


def test_cancelling_late_is_recorded_and_early_is_not(ready, mentee, neutral_venue, django_capture_on_commit_callbacks):
    late = _session_starting_in(ready, mentee, neutral_venue, hours=5)
    early = _session_starting_in(ready, mentee, neutral_venue, hours=72)
    with django_capture_on_commit_callbacks(execute=True):
        late = services.cancel_session(session=late, actor=mentee, reason="Ill")
    early = services.cancel_session(session=early, actor=mentee)
    assert (late.status, late.late_cancellation, late.cancelled_by) == (SessionStatus.CANCELLED, True, mentee)
    assert (early.status, early.late_cancellation) == (SessionStatus.CANCELLED, False)
    assert all("CANCEL" in m.attachments[0][2] for m in mail.outbox)
    assert services.cancel_session(session=late, actor=mentee).status == SessionStatus.CANCELLED  # repeat is harmless


def test_cancelled_time_is_free_again(ready, mentee, neutral_venue):
    slot = first_slot(ready)
    session, _ = services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)
    services.cancel_session(session=session, actor=mentee)
    assert slot in selectors.free_slots_for_engagement(ready)
    again, created = services.book_session(engagement=ready, start=slot.start, venue=neutral_venue, booked_by=mentee)
    assert created
    assert again.pk != session.pk


def test_past_sessions_cannot_be_changed(ready, mentee, neutral_venue):
    past = _session_starting_in(ready, mentee, neutral_venue, hours=-30)
    with pytest.raises(ValidationError):
        services.cancel_session(session=past, actor=ready.mentor)
    with pytest.raises(ValidationError):
        services.reschedule_session(
            session=past, start=first_slot(ready).start, venue=neutral_venue, actor=ready.mentor
        )
