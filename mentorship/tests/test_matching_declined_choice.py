"""A mentor the mentee chose declines: the choice goes back to the mentee, among the other mentors
offered, with a message; every admin gets one email and sees it in their queue."""

import pytest
from django.core import mail
from django.urls import reverse

from core.tests.helpers import messages_of
from mentorship.matching import services
from mentorship.models import AssignmentStatus, Engagement, MentorAssignment, MentorOption

pytestmark = pytest.mark.django_db


@pytest.fixture
def dan(user_factory):
    return user_factory(email="dan.mentor@example.org", roles=("mentor",), full_name="Dan Mentor")


@pytest.fixture
def offered(mentor, other_mentor, dan, mentor_profile_factory, engagement_factory, mentee, consultancy_admin):
    for user, languages in ((mentor, ["sv"]), (dan, ["sv"]), (other_mentor, ["en"])):
        mentor_profile_factory(user=user, focus=["leadership"], languages=languages)
    proposed = engagement_factory(mentee=mentee, focus=["leadership"], preferred_language="sv")
    services.offer_mentor_options(engagement=proposed, offered_by=consultancy_admin)
    return proposed


def choose_url(engagement) -> str:
    return reverse("mentorship:engagement-choose-mentor", args=[engagement.uuid])


def _choose_dan(client, mentee, engagement, dan) -> MentorAssignment:
    option = MentorOption.objects.get(engagement=engagement, mentor=dan)
    client.force_login(mentee)
    client.post(choose_url(engagement), {"option": option.pk})
    return MentorAssignment.objects.get(engagement=engagement, status=AssignmentStatus.PENDING)


def _decline(client, dan, assignment, django_capture_on_commit_callbacks) -> None:
    client.force_login(dan)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("mentorship:assignment-decline", args=[assignment.pk]), {"reason": "Fully booked until March."}
        )
    assert response.status_code == 302


def test_decline_returns_the_choice_to_the_mentee(
    client, mentee, dan, offered, consultancy_admin, django_capture_on_commit_callbacks
):
    assignment = _choose_dan(client, mentee, offered, dan)
    client.force_login(mentee)
    assert "They have been asked" in client.get(choose_url(offered)).content.decode()

    _decline(client, dan, assignment, django_capture_on_commit_callbacks)

    client.force_login(mentee)
    html = client.get(choose_url(offered)).content.decode()
    assert "Dan Mentor could not take this on." in html
    assert "They have been asked" not in html
    assert "Choose Dan Mentor" not in html  # the one who declined is not offered again
    assert "Choose Bob Mentor" in html
    assert "Choose Carol Mentor" in html
    page = client.get(offered.get_absolute_url()).content.decode()
    assert "Dan Mentor could not take this on." in page
    assert reverse("mentorship:engagement-choose-mentor", args=[offered.uuid]) in page
    assert "Dan Mentor could not take this on" in client.get(reverse("overview:home")).content.decode()


def test_admins_get_one_email_each_and_see_it_in_their_queue(
    client, mentee, dan, offered, consultancy_admin, user_factory, django_capture_on_commit_callbacks
):
    second_admin = user_factory(email="second.admin@example.org", roles=("consultancy_admin",))
    assignment = _choose_dan(client, mentee, offered, dan)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)

    to_admins = [message for message in mail.outbox if message.to[0] != mentee.email]
    assert sorted(message.to[0] for message in to_admins) == sorted([consultancy_admin.email, second_admin.email])
    body = to_admins[0].body
    assert "Fully booked until March." in body
    assert "had chosen this mentor" in body

    client.force_login(consultancy_admin)
    html = client.get(reverse("overview:home")).content.decode()
    assert 'id="attention-declines"' in html
    assert "Dan Mentor declined" in html
    assert "Fully booked until March." in html
    assert "they can choose among the others offered again" in html
    assert reverse("mentorship:engagement-matching", args=[offered.uuid]) in html


def test_the_mentee_chooses_again_and_the_next_mentor_is_asked(
    client, mentee, dan, mentor, offered, django_capture_on_commit_callbacks
):
    assignment = _choose_dan(client, mentee, offered, dan)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)
    client.force_login(mentee)
    bob = MentorOption.objects.get(engagement=offered, mentor=mentor)
    response = client.post(choose_url(offered), {"option": bob.pk}, follow=True)
    assert "You chose Bob Mentor." in " ".join(messages_of(response))
    pending = MentorAssignment.objects.get(engagement=offered, status=AssignmentStatus.PENDING)
    assert pending.mentor == mentor
    # Twice is still once; and the mentor who declined cannot be chosen again.
    again = client.post(choose_url(offered), {"option": bob.pk}, follow=True)
    assert "You have already chosen your mentor." in messages_of(again)
    assert MentorAssignment.objects.filter(engagement=offered, status=AssignmentStatus.PENDING).count() == 1


def test_the_mentor_who_declined_cannot_be_chosen_again(
    client, mentee, dan, offered, django_capture_on_commit_callbacks
):
    assignment = _choose_dan(client, mentee, offered, dan)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)
    client.force_login(mentee)
    option = MentorOption.objects.get(engagement=offered, mentor=dan)
    response = client.post(choose_url(offered), {"option": option.pk}, follow=True)
    assert "Choose one of the mentors offered to you." in messages_of(response)
    assert not MentorAssignment.objects.filter(engagement=offered, status=AssignmentStatus.PENDING).exists()


def test_when_every_offered_mentor_declined_the_mentee_is_told_the_consultancy_suggests_another(
    client, mentee, offered, django_capture_on_commit_callbacks
):
    for option in MentorOption.objects.filter(engagement=offered).select_related("mentor"):
        assignment = _choose_dan(client, mentee, offered, option.mentor)
        _decline(client, option.mentor, assignment, django_capture_on_commit_callbacks)
    client.force_login(mentee)
    html = client.get(choose_url(offered)).content.decode()
    assert "will suggest another mentor" in html
    assert 'name="option"' not in html
    assert Engagement.objects.get(pk=offered.pk).status == "proposed"


def test_an_admins_own_request_declined_returns_no_choice(
    client, mentee, dan, offered, consultancy_admin, django_capture_on_commit_callbacks
):
    """Only the mentee's own choice goes back to them: an admin who asks someone closed it."""
    assignment = services.assign_mentor(engagement=offered, mentor=dan, assigned_by=consultancy_admin)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)
    assert not MentorOption.objects.filter(engagement=offered, declined_at__isnull=False).exists()
    assert "had chosen this mentor" not in mail.outbox[0].body
    assert mentee.email not in [message.to[0] for message in mail.outbox]  # nothing for them to do


def test_the_mentee_gets_one_email_to_choose_again(client, mentee, dan, offered, django_capture_on_commit_callbacks):
    assignment = _choose_dan(client, mentee, offered, dan)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)
    to_mentee = [message for message in mail.outbox if message.to == [mentee.email]]
    assert len(to_mentee) == 1
    assert "Dan Mentor could not take this on" in to_mentee[0].subject
    assert choose_url(offered) in to_mentee[0].body


def test_the_matching_page_shows_the_chosen_mentor_declined(
    client, mentee, dan, offered, consultancy_admin, django_capture_on_commit_callbacks
):
    assignment = _choose_dan(client, mentee, offered, dan)
    _decline(client, dan, assignment, django_capture_on_commit_callbacks)
    client.force_login(consultancy_admin)
    html = client.get(reverse("mentorship:engagement-matching", args=[offered.uuid])).content.decode()
    line = next(line for line in html.splitlines() if "Dan Mentor" in line and "chosen" in line)
    assert "declined" in line
