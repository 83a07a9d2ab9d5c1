import pytest
from django.urls import reverse

from sessions.models import CalendarFeed

SETTINGS = reverse("mentoring_sessions:calendar-settings")
CREATE = reverse("mentoring_sessions:calendar-feed-create")
REGENERATE = reverse("mentoring_sessions:calendar-feed-regenerate")
REVOKE = reverse("mentoring_sessions:calendar-feed-revoke")
EVERYONE = ["mentee", "mentor", "other_mentor", "outsider_mentee", "consultancy_admin"]


@pytest.mark.parametrize(
    ("method", "url"), [("get", SETTINGS), ("post", CREATE), ("post", REGENERATE), ("post", REVOKE), ("get", CREATE)]
)
def test_anonymous_is_sent_to_sign_in(client, db, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not CalendarFeed.objects.exists()


def test_create_refuses_get(client, mentee):
    client.force_login(mentee)
    assert client.get(CREATE).status_code == 405
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        (REGENERATE, "Your feed gets a new address and the old one stops working at once."),
        (REVOKE, "address stops working at once and your calendar apps stop showing your sessions."),
    ],
)
def test_a_new_address_and_turning_off_ask_first_and_change_nothing_on_get(client, mentee, url, says):
    feed = CalendarFeed.objects.create(user=mentee)
    client.force_login(mentee)
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "What will happen" in html
    assert says in html
    assert '<form method="post"' in html
    assert "no-cache" in response["Cache-Control"]
    assert CalendarFeed.objects.get(user=mentee).token == feed.token


@pytest.mark.parametrize("url", [REGENERATE, REVOKE])
def test_asking_without_a_feed_goes_back_to_the_settings(client, mentee, url):
    client.force_login(mentee)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == SETTINGS
    assert "You have no calendar feed yet." in response.content.decode()
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("url", [REGENERATE, REVOKE])
def test_the_confirmation_page_reads_in_swedish(client, mentee, url):
    mentee.language = "sv"
    mentee.save(update_fields=["language"])
    CalendarFeed.objects.create(user=mentee)
    client.force_login(mentee)
    assert "Vad som händer" in client.get(url).content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_everyone_manages_their_own_feed(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    assert client.get(SETTINGS).status_code == 200
    assert client.post(CREATE).status_code == 302
    assert CalendarFeed.objects.get().user == user


@pytest.mark.parametrize("who", ["other_mentor", "outsider_mentee"])
def test_others_cannot_touch_somebody_elses_feed(client, request, mentee, who):
    feed = CalendarFeed.objects.create(user=mentee)
    client.force_login(request.getfixturevalue(who))

    page = client.get(SETTINGS)
    confirmations = [client.get(REGENERATE), client.get(REVOKE)]
    client.post(REGENERATE)
    client.post(REVOKE)

    assert feed.token not in page.content.decode()
    assert all(feed.token not in response.content.decode() for response in confirmations)
    assert CalendarFeed.objects.get(user=mentee).token == feed.token


def test_without_a_feed_the_page_offers_to_create_one(client, mentee):
    client.force_login(mentee)
    page = client.get(SETTINGS).content.decode()
    assert f'action="{CREATE}"' in page
    assert "webcal://" not in page


def test_the_page_shows_the_absolute_and_webcal_addresses(client, mentee, settings):
    settings.SITE_URL = "https://mentoring.example.com"
    feed = CalendarFeed.objects.create(user=mentee)
    client.force_login(mentee)

    response = client.get(SETTINGS)
    page = response.content.decode()

    path = reverse("mentoring_sessions:calendar-feed", args=[feed.token])
    assert f'value="https://mentoring.example.com{path}"' in page
    assert "readonly" in page
    assert f'href="webcal://mentoring.example.com{path}"' in page
    assert f'href="{REGENERATE}"' in page  # each asks first
    assert f'href="{REVOKE}"' in page
    assert "no-cache" in response["Cache-Control"]


def test_create_makes_a_feed_and_a_second_submit_keeps_it(client, mentee):
    client.force_login(mentee)
    response = client.post(CREATE)
    assert response["Location"] == SETTINGS
    token = CalendarFeed.objects.get(user=mentee).token

    client.post(CREATE)

    assert CalendarFeed.objects.get(user=mentee).token == token
    assert "You already have a calendar feed" in client.get(SETTINGS).content.decode()


def test_regenerate_replaces_the_token(client, mentee):
    old = CalendarFeed.objects.create(user=mentee).token
    client.force_login(mentee)

    response = client.post(REGENERATE, follow=True)

    new = CalendarFeed.objects.get(user=mentee).token
    assert new != old
    assert new in response.content.decode()
    assert old not in response.content.decode()
    assert client.get(reverse("mentoring_sessions:calendar-feed", args=[old])).status_code == 404


def test_regenerate_without_a_feed_makes_one(client, mentee):
    client.force_login(mentee)
    client.post(REGENERATE)
    assert CalendarFeed.objects.filter(user=mentee).exists()


def test_revoke_deletes_the_feed_and_a_second_submit_is_harmless(client, mentee):
    feed = CalendarFeed.objects.create(user=mentee)
    client.force_login(mentee)

    first = client.post(REVOKE, follow=True)
    second = client.post(REVOKE, follow=True)

    assert not CalendarFeed.objects.exists()
    assert "turned off" in first.content.decode()
    assert second.status_code == 200
    assert "no calendar feed to turn off" in second.content.decode()
    assert client.get(reverse("mentoring_sessions:calendar-feed", args=[feed.token])).status_code == 404


def test_the_profile_page_links_to_the_calendar_page(client, mentee):
    client.force_login(mentee)
    assert SETTINGS in client.get(reverse("accounts:profile")).content.decode()


def test_every_action_form_has_a_csrf_token(client, mentee):
    CalendarFeed.objects.create(user=mentee)
    client.force_login(mentee)
    for url in (SETTINGS, REGENERATE, REVOKE):
        page = client.get(url).content.decode()
        assert page.count('method="post"') == page.count("csrfmiddlewaretoken") >= 2
