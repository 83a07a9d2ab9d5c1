"""The factories make valid objects: each passes the model's own validation, and a build_* object
can be saved in bulk."""

import datetime

import pytest
from allauth.mfa.models import Authenticator

from demo import factories
from mentorship.models import Engagement
from sessions.models import MentoringSession

pytestmark = pytest.mark.django_db


def test_a_user_has_a_verified_address_and_the_test_password():
    user = factories.make_user(roles=("mentee",))
    assert user.is_mentee
    assert user.check_password(factories.PASSWORD)
    assert user.emailaddress_set.get().verified


def test_a_consultancy_admin_has_two_factor_authentication_unless_told():
    admin = factories.make_user(roles=("consultancy_admin",))
    assert Authenticator.objects.filter(user=admin, type=Authenticator.Type.TOTP).exists()
    without = factories.make_user(roles=("consultancy_admin",), with_totp=False)
    assert not Authenticator.objects.filter(user=without).exists()


def test_a_built_user_without_a_password_cannot_sign_in():
    user = factories.build_user(password=None)
    assert user.pk is None
    assert not user.has_usable_password()


def test_made_objects_pass_their_models_validation():
    mentor = factories.make_user(roles=("mentor",))
    admin = factories.make_user(roles=("consultancy_admin",))
    engagement = factories.make_engagement(
        mentor=mentor, status=Engagement.Status.ACTIVE, focus=["leadership"], created_by=admin
    )
    team = factories.make_team(organisation=engagement.organisation, members=[engagement.mentee])
    session = factories.make_session(engagement=engagement, status="completed")
    made = [
        mentor,
        admin,
        engagement,
        team,
        factories.make_mentor_profile(user=mentor, focus=["leadership"]),
        factories.make_engagement(team=team, mentor=mentor, initiated_by="leadership_team"),
        factories.make_assignment(engagement=engagement, mentor=mentor),
        factories.make_intake(engagement=engagement),
        factories.make_event(engagement=engagement),
        factories.make_invitation(organisation=engagement.organisation, invited_by=admin),
        factories.make_inquiry(),
        factories.make_focus_area(),
        *factories.make_availability(mentor=mentor),
        factories.make_time_off(mentor=mentor),
        factories.make_booking_settings(mentor=mentor),
        factories.make_venue(),
        factories.make_venue(kind="online"),
        session,
        factories.make_note(session=session),
        factories.make_reflection(session=session),
        factories.make_action_item(engagement=engagement, session=session),
        factories.make_feedback(session=session),
    ]
    for instance in made:
        instance.full_clean()
    assert engagement.focus_areas.get().slug == "leadership"
    assert team.memberships.get().user == engagement.mentee


def test_built_sessions_go_in_bulk_with_the_engagements_people():
    engagement = factories.make_engagement(mentor=factories.make_user(roles=("mentor",)))
    first = factories.build_session(engagement=engagement)
    second = factories.build_session(engagement=engagement, start=first.start + datetime.timedelta(days=14))
    MentoringSession.objects.bulk_create([first, second])
    for session in MentoringSession.objects.all():
        assert (session.mentor, session.mentee, session.booked_by) == (
            engagement.mentor,
            engagement.mentee,
            engagement.mentor,
        )
        assert session.end - session.start == datetime.timedelta(minutes=engagement.session_minutes)
