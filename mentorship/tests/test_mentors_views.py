"""Mentor profiles: the mentor edits their own; admins list all; mentees see only their own
mentor's profile and those offered to them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentorship.models import Engagement, FocusArea, MentorOption, MentorProfile

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("mentorship:mentor-profile-edit")


def profile_data(areas, /, **overrides) -> dict:
    data = {
        "headline": "Former CFO, mentors new leaders",
        "bio": "Twenty years in industry.\nMentor since 2015.",
        "focus_areas": [areas["leadership"].pk, areas["communication"].pk],
        "languages": ["sv", "en"],
        "years_of_experience": "20",
        "mentors_teams": "on",
        "capacity": "4",
        "accepting_new": "on",
        "region": "Göteborg",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def login_required_redirect(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


# Editing one's own profile ---------------------------------------------------------------------


def test_mentor_without_profile_sees_an_empty_form_with_active_focus_areas(client, mentor, focus_areas):
    focus_areas["conflict-handling"].is_active = False
    focus_areas["conflict-handling"].save()
    client.force_login(mentor)
    response = client.get(EDIT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "You have no profile yet" in html
    assert "Leadership" in html
    assert "Conflict handling" not in html
    assert "<legend>" in html  # groups of checkboxes are announced with their question


def test_first_save_creates_the_profile_and_second_updates_it(client, mentor, focus_areas):
    client.force_login(mentor)
    response = client.post(EDIT_URL, profile_data(focus_areas))
    assert response.status_code == 302
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.headline == "Former CFO, mentors new leaders"
    assert profile.languages == ["sv", "en"]
    assert profile.capacity == 4
    assert profile.mentors_teams is True
    assert profile.accepting_new is True
    assert profile.region == "Göteborg"
    assert set(profile.focus_areas.values_list("slug", flat=True)) == {"leadership", "communication"}

    response = client.post(
        EDIT_URL,
        profile_data(focus_areas, capacity="0", accepting_new=None, languages=["en", "sv", "fi"], focus_areas=[]),
    )
    assert response.status_code == 302
    assert MentorProfile.objects.filter(user=mentor).count() == 1
    profile.refresh_from_db()
    assert profile.capacity == 0
    assert profile.accepting_new is False
    assert profile.languages == ["sv", "en", "fi"]  # stored in a fixed order
    assert profile.focus_areas.count() == 0


def test_focus_area_names_follow_the_language(client, user_factory, focus_areas):
    swedish_mentor = user_factory(email="sven@example.org", roles=("mentor",), language="sv")
    client.force_login(swedish_mentor)
    html = client.get(EDIT_URL).content.decode()
    assert "Ledarskap" in html
    assert "Konflikthantering" in html


def test_retired_focus_area_stays_on_the_profile_after_saving(client, mentor, focus_areas, mentor_profile_factory):
    profile = mentor_profile_factory(user=mentor, focus=["leadership", "conflict-handling"])
    FocusArea.objects.filter(slug="conflict-handling").update(is_active=False)
    client.force_login(mentor)
    html = client.get(EDIT_URL).content.decode()
    assert "no longer in use" in html
    assert "Conflict handling" in html
    response = client.post(
        EDIT_URL, profile_data(focus_areas, focus_areas=[focus_areas["strategy-business-development"].pk])
    )
    assert response.status_code == 302
    assert set(profile.focus_areas.values_list("slug", flat=True)) == {
        "strategy-business-development",
        "conflict-handling",
    }


def test_a_retired_focus_area_cannot_be_picked(client, mentor, focus_areas):
    FocusArea.objects.filter(slug="conflict-handling").update(is_active=False)
    client.force_login(mentor)
    response = client.post(EDIT_URL, profile_data(focus_areas, focus_areas=[focus_areas["conflict-handling"].pk]))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MentorProfile.objects.filter(user=mentor).exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("headline", "x" * 201, "at most 200 characters"),
        ("bio", "x" * 5001, "at most 5000 characters"),
        ("region", "x" * 101, "at most 100 characters"),
        ("capacity", "-1", "greater than or equal to 0"),
        ("capacity", "999", "less than or equal to 50"),
        ("capacity", "four", "Enter a whole number"),
        ("capacity", "", "This field is required"),
        ("years_of_experience", "71", "less than or equal to 70"),
        ("years_of_experience", "1e3", "Enter a whole number"),
        ("languages", ["xx"], "Select a valid choice"),
        ("languages", [], "Choose at least one language"),
        ("focus_areas", ["999999"], "Select a valid choice"),
        ("focus_areas", ["not-a-number"], "is not a valid value"),
    ],
)
def test_bad_profile_input_gets_a_form_error(client, mentor, focus_areas, field, value, message):
    client.force_login(mentor)
    response = client.post(EDIT_URL, profile_data(focus_areas, **{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MentorProfile.objects.filter(user=mentor).exists()


def test_html_in_the_profile_is_stored_as_given_and_shown_escaped(client, mentor, focus_areas):
    script = "<script>alert('x')</script>"
    client.force_login(mentor)
    client.post(EDIT_URL, profile_data(focus_areas, headline=script, bio=f"Line one\n{script}", region=script))
    profile = MentorProfile.objects.get(user=mentor)
    assert profile.headline == script
    html = client.get(reverse("mentorship:mentor-profile", args=[mentor.pk])).content.decode()
    assert script not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "Line one<br>" in html


def test_other_mentor_saving_their_profile_never_touches_mine(client, mentor, other_mentor, focus_areas):
    client.force_login(mentor)
    client.post(EDIT_URL, profile_data(focus_areas))
    client.force_login(other_mentor)
    client.post(EDIT_URL, profile_data(focus_areas, headline="Carol's headline"))
    assert MentorProfile.objects.get(user=mentor).headline == "Former CFO, mentors new leaders"
    assert MentorProfile.objects.get(user=other_mentor).headline == "Carol's headline"


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["mentee", "outsider_mentee", "consultancy_admin"])
def test_people_who_are_not_mentors_cannot_edit_a_mentor_profile(client, request, focus_areas, method, who):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(EDIT_URL, profile_data(focus_areas))
    assert response.status_code == 403
    assert not MentorProfile.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in_from_the_profile_form(client, method):
    assert login_required_redirect(getattr(client, method)(EDIT_URL))


# Viewing a profile -----------------------------------------------------------------------------


@pytest.fixture
def mentor_profile(mentor, mentor_profile_factory):
    return mentor_profile_factory(
        user=mentor,
        focus=["leadership"],
        headline="Calm in a storm",
        capacity=3,
        region="Göteborg",
        years_of_experience=12,
    )


def profile_url(user) -> str:
    return reverse("mentorship:mentor-profile", args=[user.pk])


def test_admin_sees_every_mentor_profile_with_capacity(client, consultancy_admin, mentor_profile, mentor):
    client.force_login(consultancy_admin)
    html = client.get(profile_url(mentor)).content.decode()
    assert "Calm in a storm" in html
    assert "Leadership" in html
    assert "Swedish, English" in html
    assert "3 engagements at a time" in html
    assert "12 years" in html


def test_mentor_sees_their_own_profile(client, mentor, mentor_profile):
    client.force_login(mentor)
    html = client.get(profile_url(mentor)).content.decode()
    assert "Calm in a storm" in html
    assert EDIT_URL in html


def test_mentee_sees_their_own_mentors_profile_without_the_load(client, mentee, mentor, mentor_profile, engagement):
    client.force_login(mentee)
    response = client.get(profile_url(mentor))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Calm in a storm" in html
    assert "engagements at a time" not in html


def test_mentee_sees_a_profile_offered_to_them(
    client, mentee, other_mentor, mentor_profile_factory, engagement_factory
):
    mentor_profile_factory(user=other_mentor, headline="Offered mentor")
    proposed = engagement_factory(mentee=mentee)
    client.force_login(mentee)
    assert client.get(profile_url(other_mentor)).status_code == 404
    MentorOption.objects.create(engagement=proposed, mentor=other_mentor, rank=1, reasons=["Speaks Swedish"])
    assert "Offered mentor" in client.get(profile_url(other_mentor)).content.decode()


def test_profile_of_a_user_without_one_is_404_even_for_admins(client, consultancy_admin, other_mentor):
    client.force_login(consultancy_admin)
    assert client.get(profile_url(other_mentor)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["outsider_mentee", "other_mentor", "mentee"])
def test_people_unrelated_to_the_mentor_get_404(client, request, mentor, mentor_profile, method, who):
    # `mentee` here has no engagement with the mentor.
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(profile_url(mentor)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_outsider_mentee_gets_404_for_a_mentor_of_another_organisation(
    client, outsider_mentee, mentor, mentor_profile, engagement, method
):
    client.force_login(outsider_mentee)
    assert getattr(client, method)(profile_url(mentor)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in_from_a_profile(client, mentor, mentor_profile, method):
    assert login_required_redirect(getattr(client, method)(profile_url(mentor)))


# The admins' list of mentors -------------------------------------------------------------------

LIST_URL = reverse("mentorship:mentor-list")


def test_admin_list_shows_focus_areas_languages_load_and_whether_taking_new(
    client, consultancy_admin, mentor, other_mentor, mentor_profile, engagement, engagement_factory, mentee
):
    mentor_profile.accepting_new = False
    mentor_profile.save()
    engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.PAUSED)
    engagement_factory(mentee=mentee, mentor=mentor, status=Engagement.Status.COMPLETED)
    client.force_login(consultancy_admin)
    html = client.get(LIST_URL).content.decode()
    assert "Bob Mentor" in html
    assert "Leadership" in html
    assert "Swedish, English" in html
    assert "2 / 3" in html  # active + paused count, completed does not
    assert "Carol Mentor" in html
    assert "No profile yet" in html


def test_admin_list_shows_focus_areas_in_the_admins_language(client, user_factory, mentor_profile):
    swedish_admin = user_factory(email="sara.admin@example.org", roles=("consultancy_admin",), language="sv")
    client.force_login(swedish_admin)
    html = client.get(LIST_URL).content.decode()
    assert "Ledarskap" in html
    assert "Leadership" not in html


def test_mentor_list_runs_the_same_queries_for_10_and_200_mentors(
    client, consultancy_admin, django_assert_num_queries, bulk_mentors
):
    client.force_login(consultancy_admin)
    bulk_mentors(10, prefix="first")
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST_URL).status_code == 200
    bulk_mentors(190, prefix="second")
    with django_assert_num_queries(len(small)):
        response = client.get(LIST_URL)
    assert response.content.decode().count("<tr>") == 201  # header + 200 mentors


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
def test_only_admins_see_the_mentor_list(client, request, method, who):
    client.force_login(request.getfixturevalue(who))
    assert getattr(client, method)(LIST_URL).status_code == 403


def test_anonymous_is_sent_to_sign_in_from_the_mentor_list(client):
    assert login_required_redirect(client.get(LIST_URL))
