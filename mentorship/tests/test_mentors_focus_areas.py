"""Focus areas: admins list, add, edit and retire them; an unused one can be deleted."""

import pytest
from django.http import Http404
from django.urls import reverse

from demo.factories import make_focus_area
from mentorship import access
from mentorship.models import FocusArea

pytestmark = pytest.mark.django_db

LIST_URL = reverse("mentorship:focus-area-list")
CREATE_URL = reverse("mentorship:focus-area-create")


def area_data(**overrides) -> dict:
    data = {"name_en": "Board work", "name_sv": "Styrelsearbete", "slug": "", "is_active": "on", "position": "90"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


def test_admin_sees_the_seeded_focus_areas_with_usage(admin_client, mentor, mentor_profile_factory, focus_areas):
    mentor_profile_factory(user=mentor, focus=["leadership"])
    html = admin_client.get(LIST_URL).content.decode()
    for name in ("Leadership", "Ledarskap", "Change management", "Personal effectiveness"):
        assert name in html
    assert html.count(reverse("mentorship:focus-area-delete", args=[focus_areas["leadership"].pk])) == 0
    assert reverse("mentorship:focus-area-delete", args=[focus_areas["communication"].pk]) in html


def test_adding_without_a_key_makes_one_from_the_english_name(admin_client):
    response = admin_client.post(CREATE_URL, area_data())
    assert response.status_code == 302
    area = FocusArea.objects.get(name_en="Board work")
    assert (area.slug, area.name_sv, area.is_active, area.position) == ("board-work", "Styrelsearbete", True, 90)


def test_adding_with_a_key_keeps_it(admin_client):
    admin_client.post(CREATE_URL, area_data(slug="boards"))
    assert FocusArea.objects.filter(slug="boards", name_en="Board work").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name_en": ""}, "This field is required"),
        ({"name_sv": ""}, "This field is required"),
        ({"name_en": "x" * 101}, "at most 100 characters"),
        ({"name_sv": "x" * 101}, "at most 100 characters"),
        ({"slug": "x" * 61}, "at most 60 characters"),
        ({"slug": "not a slug!"}, "Enter a valid"),
        ({"slug": "leadership"}, "already exists"),
        ({"name_en": "leadership "}, "A focus area with this English name already exists"),
        ({"name_en": "!!!"}, "the English name has no letters"),
        ({"position": "-1"}, "greater than or equal to 0"),
        ({"position": "abc"}, "Enter a whole number"),
        ({"position": "99999999"}, "less than or equal to"),
    ],
)
def test_bad_focus_area_input_gets_a_form_error(admin_client, focus_areas, overrides, message):
    before = FocusArea.objects.count()
    response = admin_client.post(CREATE_URL, area_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert FocusArea.objects.count() == before


def test_html_in_a_name_is_stored_as_given_and_shown_escaped(admin_client):
    admin_client.post(CREATE_URL, area_data(name_en="<b>Bold</b> moves", slug="bold"))
    assert FocusArea.objects.filter(name_en="<b>Bold</b> moves").exists()
    html = admin_client.get(LIST_URL).content.decode()
    assert "<b>Bold</b>" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt; moves" in html


def test_editing_keeps_its_own_names_without_a_duplicate_error(admin_client, focus_areas):
    area = focus_areas["leadership"]
    url = reverse("mentorship:focus-area-edit", args=[area.pk])
    assert "Leadership" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url, area_data(name_en="Leadership", name_sv="Ledarskap i vardagen", slug="leadership")
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.name_sv == "Ledarskap i vardagen"


def test_retiring_hides_it_from_new_choices_but_keeps_it_where_used(
    admin_client, client, mentor, mentor_profile_factory, focus_areas
):
    profile = mentor_profile_factory(user=mentor, focus=["leadership", "communication"])
    area = focus_areas["communication"]
    response = admin_client.post(
        reverse("mentorship:focus-area-edit", args=[area.pk]),
        area_data(name_en="Communication", name_sv="Kommunikation", slug="communication", is_active=None),
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.is_active is False
    assert set(profile.focus_areas.values_list("slug", flat=True)) == {"leadership", "communication"}
    assert "Retired" in admin_client.get(LIST_URL).content.decode()
    client.force_login(mentor)
    form = client.get(reverse("mentorship:mentor-profile-edit")).context["form"]
    assert area not in form.fields["focus_areas"].queryset


def test_deleting_an_unused_focus_area(admin_client):
    area = make_focus_area(slug="typo", name_en="Leedership", name_sv="Ledarskapp")
    response = admin_client.post(reverse("mentorship:focus-area-delete", args=[area.pk]))
    assert response.status_code == 302
    assert not FocusArea.objects.filter(pk=area.pk).exists()


def test_a_focus_area_in_use_cannot_be_deleted(admin_client, engagement, mentor, mentor_profile_factory, focus_areas):
    mentor_profile_factory(user=mentor, focus=["communication"])
    for slug in ("leadership", "communication"):  # on an engagement; on a mentor profile
        response = admin_client.post(reverse("mentorship:focus-area-delete", args=[focus_areas[slug].pk]), follow=True)
        assert "This focus area is in use" in response.content.decode()
        assert FocusArea.objects.filter(slug=slug).exists()


def test_delete_is_post_only(admin_client, focus_areas):
    assert (
        admin_client.get(reverse("mentorship:focus-area-delete", args=[focus_areas["leadership"].pk])).status_code
        == 405
    )


def test_unknown_focus_area_is_404(admin_client):
    assert admin_client.get(reverse("mentorship:focus-area-edit", args=[999999])).status_code == 404
    assert admin_client.post(reverse("mentorship:focus-area-delete", args=[999999])).status_code == 404


def test_fetcher_refuses_everybody_but_admins(mentor, mentee, consultancy_admin, focus_areas):
    area = focus_areas["leadership"]
    assert access.get_focus_area_for_admin(consultancy_admin, area.pk) == area
    for user in (mentor, mentee):
        with pytest.raises(Http404):
            access.get_focus_area_for_admin(user, area.pk)


# Access: admin-only pages with no client data, so a wrong role is 403 ---------------------------

PAGES = [
    ("mentorship:focus-area-list", False),
    ("mentorship:focus-area-create", False),
    ("mentorship:focus-area-edit", True),
    ("mentorship:focus-area-delete", True),
]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("who", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
@pytest.mark.parametrize(("name", "with_pk"), PAGES)
def test_only_admins_manage_focus_areas(client, request, focus_areas, method, who, name, with_pk):
    area = focus_areas["communication"]
    url = reverse(name, args=[area.pk] if with_pk else [])
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(url, area_data(name_en="Hijacked", slug="hijacked"))
    assert response.status_code == 403
    assert FocusArea.objects.filter(pk=area.pk, name_en="Communication").exists()
    assert not FocusArea.objects.filter(slug="hijacked").exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "with_pk"), PAGES)
def test_anonymous_is_sent_to_sign_in_from_focus_areas(client, focus_areas, method, name, with_pk):
    url = reverse(name, args=[focus_areas["communication"].pk] if with_pk else [])
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
