import pytest
from django.urls import reverse

from mentorship import heartbeat as services


@pytest.mark.django_db
def test_anonymous_visitor_sees_the_landing_page(client):
    response = client.get(reverse("overview:home"))
    assert response.status_code == 200
    assert reverse("account_login") in response.content.decode()
    assert response.templates[0].name == "overview/landing.html"


@pytest.mark.django_db
def test_mentee_home_shows_name_role_and_links(client, mentee):
    client.force_login(mentee)
    html = client.get(reverse("overview:home")).content.decode()
    assert "Dave Mentee" in html
    assert 'id="home-sessions-heading"' in html
    assert 'id="home-engagements-heading"' in html
    assert 'id="mentor-heading"' not in html
    assert 'id="admin-heading"' not in html
    assert reverse("accounts:profile") in html
    assert reverse("account_change_password") in html


@pytest.mark.django_db
def test_person_with_several_roles_sees_each_section(client, user_factory):
    person = user_factory(email="both@example.org", roles=("mentor", "consultancy_admin"))
    client.force_login(person)
    html = client.get(reverse("overview:home")).content.decode()
    assert 'id="mentor-heading"' in html
    assert 'id="admin-heading"' in html
    assert 'id="home-agenda-heading"' in html


@pytest.mark.django_db
def test_admin_home_says_when_no_worker_has_reported(client, consultancy_admin, mentor):
    client.force_login(consultancy_admin)
    assert "No background worker has reported in yet" in client.get(reverse("overview:home")).content.decode()
    services.beat(name="celery")
    assert "Background worker last seen" in client.get(reverse("overview:home")).content.decode()
    client.force_login(mentor)
    assert "Background worker" not in client.get(reverse("overview:home")).content.decode()


@pytest.mark.django_db
def test_django_admin_link_only_for_staff_admins(client, consultancy_admin, user_factory):
    client.force_login(consultancy_admin)
    assert reverse("admin:index") not in client.get(reverse("overview:home")).content.decode()
    staff = user_factory(email="ops@example.org", roles=("consultancy_admin",), is_staff=True)
    client.force_login(staff)
    assert reverse("admin:index") in client.get(reverse("overview:home")).content.decode()


@pytest.mark.django_db
def test_person_without_a_role_is_told_so_and_sees_no_role_sections(client, user_factory):
    client.force_login(user_factory(email="nobody@example.org"))
    html = client.get(reverse("overview:home")).content.decode()
    assert "Your account has no role yet" in html
    assert 'id="home-sessions-heading"' not in html
    assert 'id="admin-heading"' not in html


@pytest.mark.django_db
def test_admin_home_links_to_every_admin_page(client, consultancy_admin):
    client.force_login(consultancy_admin)
    html = client.get(reverse("overview:home")).content.decode()
    for name in ("mentorship:engagement-list", "mentorship:engagement-create", "mentorship:organisation-list",
                 "mentorship:mentor-list", "mentorship:focus-area-list", "mentorship:inquiry-list",
                 "mentoring_sessions:venue-list"):  # fmt: skip
        assert reverse(name) in html, name


@pytest.mark.django_db
def test_home_runs_a_fixed_number_of_queries(client, mentor, django_assert_max_num_queries):
    client.force_login(mentor)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("overview:home")).status_code == 200


@pytest.mark.django_db
def test_unknown_page_uses_the_404_template(client, mentee):
    client.force_login(mentee)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]


@pytest.mark.django_db
def test_error_templates_render():
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    for name in ("403.html", "404.html"):
        assert "<h1>" in render_to_string(name, request=request)
    assert "<h1>" in render_to_string("500.html")


@pytest.mark.django_db
def test_static_files_are_local(client):
    html = client.get(reverse("overview:home")).content.decode()
    assert "/static/css/app.css" in html
    assert "http://" not in html.split("<body")[0]
    assert "https://" not in html.split("<body")[0]
