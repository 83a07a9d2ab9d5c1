"""Venues, kept by consultancy admins: list (neutral ground first), add, edit, delete when unused."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_session, make_venue
from sessions.models import Venue, VenueKind

pytestmark = pytest.mark.django_db

LIST = reverse("mentoring_sessions:venue-list")
CREATE = reverse("mentoring_sessions:venue-create")

VALID = {
    "name": "Harbour Rooms",
    "kind": "neutral",
    "address": "Kajen 1",
    "city": "Malmö",
    "organisation": "",
    "notes": "Ask for the mentoring room.\nSecond floor.",
    "is_active": "on",
}


@pytest.fixture
def admin_client(client, consultancy_admin):
    client.force_login(consultancy_admin)
    return client


@pytest.fixture
def venue(db):
    return make_venue(name="Riverside Rooms", kind=VenueKind.NEUTRAL, address="Kajgatan 4", city="Göteborg")


@pytest.fixture
def booked_venue(venue, engagement):
    start = timezone.now() + datetime.timedelta(days=3)
    make_session(engagement=engagement, start=start, end=start + datetime.timedelta(hours=2), venue=venue)
    return venue


def _edit(venue):
    return reverse("mentoring_sessions:venue-edit", args=[venue.pk])


def _delete(venue):
    return reverse("mentoring_sessions:venue-delete", args=[venue.pk])


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Access -----------------------------------------------------------------------------------------

VENUE_PAGES = [
    ("mentoring_sessions:venue-list", False),
    ("mentoring_sessions:venue-create", False),
    ("mentoring_sessions:venue-edit", True),
    ("mentoring_sessions:venue-delete", True),
]
PAGE_IDS = [name.split(":")[1] for name, _needs_pk in VENUE_PAGES]


def _url(name, needs_pk, venue):
    return reverse(name, args=[venue.pk] if needs_pk else [])


def _snapshot():
    return list(Venue.objects.order_by("pk").values_list("pk", "name", "kind", "is_active"))


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "needs_pk"), VENUE_PAGES, ids=PAGE_IDS)
def test_anonymous_visitor_is_sent_to_sign_in(client, venue, name, needs_pk, method):
    before = _snapshot()
    response = getattr(client, method)(_url(name, needs_pk, venue), VALID if method == "post" else {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert _snapshot() == before


@pytest.mark.parametrize("who", ["mentor", "other_mentor", "mentee", "outsider_mentee"])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(("name", "needs_pk"), VENUE_PAGES, ids=PAGE_IDS)
def test_people_without_the_admin_role_get_403(client, request, venue, who, name, needs_pk, method):
    client.force_login(request.getfixturevalue(who))
    before = _snapshot()
    response = getattr(client, method)(_url(name, needs_pk, venue), VALID if method == "post" else {})
    assert response.status_code == 403
    assert _snapshot() == before


def test_an_admin_who_is_also_a_mentor_may_keep_venues(client, user_factory):
    client.force_login(user_factory(email="both@example.org", roles=("mentor", "consultancy_admin")))
    assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("name", ["venue-edit", "venue-delete"])
def test_unknown_venue_is_a_404(admin_client, name):
    assert admin_client.post(reverse(f"mentoring_sessions:{name}", args=[999999]), VALID).status_code == 404


def test_delete_refuses_get(admin_client, venue):
    assert admin_client.get(_delete(venue)).status_code == 405
    assert Venue.objects.filter(pk=venue.pk).exists()


# Create and edit --------------------------------------------------------------------------------


def test_admin_adds_a_neutral_venue(admin_client):
    response = admin_client.post(CREATE, VALID)
    assert response.status_code == 302
    assert response.url == LIST
    venue = Venue.objects.get()
    assert (venue.name, venue.kind, venue.city, venue.is_active) == ("Harbour Rooms", "neutral", "Malmö", True)
    assert venue.organisation is None
    assert "Harbour Rooms" in admin_client.get(LIST).content.decode()


def test_admin_adds_an_online_venue_with_no_shared_link(admin_client):
    # Each session at it gets its own private room: a link posted for the venue is ignored.
    data = {**VALID, "kind": "online", "address": "", "city": "", "meeting_url": "https://meet.example.org/x"}
    assert admin_client.post(CREATE, data).status_code == 302
    venue = Venue.objects.get()
    assert venue.kind == "online"
    assert "meeting_url" not in admin_client.get(_edit(venue)).context["form"].fields
    page = admin_client.get(LIST).content.decode()
    assert "https://meet.example.org/x" not in page
    assert "Each session gets its own private meeting room." in page


def test_client_site_belongs_to_the_chosen_organisation(admin_client, organisation):
    data = {**VALID, "name": "Alder HQ", "kind": "client_site", "organisation": str(organisation.pk)}
    assert admin_client.post(CREATE, data).status_code == 302
    assert Venue.objects.get().organisation == organisation
    assert "Alder Freight AB" in admin_client.get(LIST).content.decode()


def test_client_site_without_an_organisation_is_refused(admin_client):
    # Without an organisation it would be offered to every client's engagements.
    response = admin_client.post(CREATE, {**VALID, "kind": "client_site", "organisation": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["organisation"] == ["Choose the client whose premises these are."]
    assert not Venue.objects.exists()


@pytest.mark.parametrize("kind", ["neutral", "cafe", "online"])
def test_only_a_client_site_may_have_an_organisation(admin_client, organisation, kind):
    data = {**VALID, "kind": kind, "organisation": str(organisation.pk)}
    response = admin_client.post(CREATE, data)
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not Venue.objects.exists()


def test_organisation_choices_are_all_organisations(admin_client, organisation, other_organisation):
    choices = admin_client.get(CREATE).context["form"].fields["organisation"].queryset
    assert set(choices) == {organisation, other_organisation}


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 151}, "name"),
        ({"address": "x" * 251}, "address"),
        ({"city": "x" * 101}, "city"),
        ({"notes": "x" * 2001}, "notes"),
        ({"kind": "castle"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"kind": "client_site", "organisation": "999999"}, "organisation"),
        ({"kind": "client_site", "organisation": "abc"}, "organisation"),
    ],
)
def test_bad_venue_input_is_a_form_error(admin_client, data, field):
    response = admin_client.post(CREATE, {**VALID, **data})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Venue.objects.exists()


def test_html_is_stored_as_given_and_shown_escaped(admin_client):
    script = "<script>alert('x')</script>"
    admin_client.post(CREATE, {**VALID, "name": script, "address": script, "city": script, "notes": script})
    venue = Venue.objects.get()
    assert venue.name == script
    for url in (LIST, _edit(venue)):
        page = admin_client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page


def test_admin_edits_a_venue_and_takes_it_out_of_use(admin_client, venue):
    form = admin_client.get(_edit(venue)).context["form"]
    assert form.initial["name"] == "Riverside Rooms"
    response = admin_client.post(_edit(venue), {**VALID, "name": "Riverside Rooms 2", "is_active": ""})
    assert response.status_code == 302
    venue.refresh_from_db()
    assert (venue.name, venue.is_active) == ("Riverside Rooms 2", False)


def test_edit_heading_keeps_the_saved_name_while_showing_errors(admin_client, venue):
    response = admin_client.post(_edit(venue), {**VALID, "name": ""})
    assert response.status_code == 200
    assert "Edit venue “Riverside Rooms”" in response.content.decode()


# Delete -----------------------------------------------------------------------------------------


def test_an_unused_venue_is_deleted_and_a_second_click_is_a_404(admin_client, venue):
    response = admin_client.post(_delete(venue))
    assert response.status_code == 302
    assert response.url == LIST
    assert not Venue.objects.exists()
    assert admin_client.post(_delete(venue)).status_code == 404


def test_a_venue_with_sessions_is_kept_with_a_message(admin_client, booked_venue):
    response = admin_client.post(_delete(booked_venue))
    assert response.status_code == 302
    assert response.url == _edit(booked_venue)
    assert Venue.objects.filter(pk=booked_venue.pk).exists()
    assert any("cannot be deleted" in message for message in _messages(response))
    page = admin_client.get(_edit(booked_venue)).content.decode()
    assert "Untick “in use” above to stop offering it." in page
    assert reverse("mentoring_sessions:venue-delete", args=[booked_venue.pk]) not in page


def test_list_offers_delete_only_for_unused_venues(admin_client, booked_venue):
    unused = make_venue(name="Corner Café", kind=VenueKind.CAFE)
    page = admin_client.get(LIST).content.decode()
    assert _delete(unused) in page
    assert _delete(booked_venue) not in page


# List -------------------------------------------------------------------------------------------


def test_list_shows_neutral_ground_first(admin_client, organisation):
    make_venue(name="Alder HQ", kind=VenueKind.CLIENT_SITE, organisation=organisation)
    make_venue(name="A video call", kind=VenueKind.ONLINE)
    make_venue(name="Bean Café", kind=VenueKind.CAFE)
    make_venue(name="Zeta Rooms", kind=VenueKind.NEUTRAL)
    make_venue(name="Old Rooms", kind=VenueKind.NEUTRAL, is_active=False)
    make_venue(name="Alpha Rooms", kind=VenueKind.NEUTRAL)
    response = admin_client.get(LIST)
    names = [venue.name for venue in response.context["venues"]]
    assert names == ["Alpha Rooms", "Zeta Rooms", "Old Rooms", "Bean Café", "A video call", "Alder HQ"]
    page = response.content.decode()
    assert page.index("Neutral meeting room") < page.index("Café</h2>") < page.index("Online</h2>")


def _make_venues(organisations, count):
    for index in range(count):
        organisation = organisations[index % len(organisations)]
        make_venue(name=f"Site {index}", kind=VenueKind.CLIENT_SITE, organisation=organisation)
        make_venue(name=f"Room {index}", kind=VenueKind.NEUTRAL, city="Lund")


def test_venue_list_queries_do_not_grow_with_venues(
    django_assert_num_queries, admin_client, organisation, other_organisation, booked_venue
):
    _make_venues([organisation, other_organisation], 2)
    with CaptureQueriesContext(connection) as small:
        assert admin_client.get(LIST).status_code == 200
    _make_venues([organisation, other_organisation], 20)
    with django_assert_num_queries(len(small)):
        response = admin_client.get(LIST)
    assert len(response.context["venues"]) == 1 + 2 * 2 + 20 * 2
