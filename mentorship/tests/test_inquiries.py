"""The public inquiry form, its emails, and the admins' list of leads."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from demo.factories import make_inquiry
from mentorship import access
from mentorship.inquiries import selectors, services
from mentorship.inquiries.tasks import send_inquiry_confirmation, send_inquiry_notification
from mentorship.models import Inquiry

CREATE_URL = reverse("mentorship:inquiry-create")
THANKS_URL = reverse("mentorship:inquiry-thanks")
LIST_URL = reverse("mentorship:inquiry-list")

VALID = {
    "name": "Frida Fjäll",
    "email": "frida@juniper.example",
    "company": "Juniper Logistics AB",
    "kind": "team",
    "message": "Our leadership team is merging with another.\nCan you help?",
    "website": "",
}


def post(client, **changes):
    return client.post(CREATE_URL, {**VALID, **changes})


def make_lead(**fields) -> Inquiry:
    defaults = {"name": "Gustav Gran", "email": "gustav@pine.example", "kind": "individual", "message": "Hello"}
    return make_inquiry(**{**defaults, **fields})


@pytest.fixture(autouse=True)
def english_pages(client):
    """Anonymous visitors get the default language (Swedish); these tests read English."""
    client.cookies["django_language"] = "en"


@pytest.fixture
def swedish_admin(user_factory):
    return user_factory(
        email="sven.admin@example.org",
        roles=("consultancy_admin",),
        full_name="Sven Admin",
        language="sv",
        time_zone="America/New_York",
    )


@pytest.fixture
def lead(db):
    return make_lead()


# The form ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_landing_page_links_to_the_contact_form(client):
    html = client.get(reverse("overview:home")).content.decode()
    assert "Interested? Contact us." in html
    assert f'href="{CREATE_URL}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "mentee", "mentor", "consultancy_admin"])
def test_anyone_can_open_the_form_and_the_thanks_page(client, request, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    html = client.get(CREATE_URL).content.decode()
    assert "Mentoring for you or your leadership team?" in html
    assert 'type="radio" name="kind" value="individual"' in html
    assert "<legend>" in html
    assert client.get(THANKS_URL).status_code == 200


@pytest.mark.django_db
def test_honeypot_is_a_hidden_text_input_that_people_are_told_to_leave_empty(client):
    html = client.get(CREATE_URL).content.decode()
    hidden_block = html.split('<div class="visually-hidden">', 1)[1].split("</div>", 1)[0]
    assert "Leave this field empty" in hidden_block
    assert 'type="text" name="website"' in hidden_block
    assert 'autocomplete="off"' in hidden_block
    assert 'tabindex="-1"' in hidden_block


@pytest.mark.django_db
def test_success_saves_the_lead_and_emails_sender_and_each_active_admin(
    client, consultancy_admin, swedish_admin, user_factory, mentor, django_capture_on_commit_callbacks
):
    user_factory(email="gone.admin@example.org", roles=("consultancy_admin",), is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client)
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL

    lead = Inquiry.objects.get()
    assert (lead.name, lead.email, lead.company, lead.kind) == (
        "Frida Fjäll",
        "frida@juniper.example",
        "Juniper Logistics AB",
        "team",
    )
    assert lead.message == VALID["message"]
    assert lead.language == "en"
    assert lead.handled_at is None

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["alice.admin@example.org", "frida@juniper.example", "sven.admin@example.org"]
    confirmation = by_recipient["frida@juniper.example"]
    assert confirmation.subject == "We have received your message"
    assert "Hello Frida Fjäll," in confirmation.body
    assert '<html lang="en">' in confirmation.alternatives[0][0]
    notification = by_recipient["alice.admin@example.org"]
    assert notification.subject == "New inquiry from Frida Fjäll"
    assert notification.reply_to == ["frida@juniper.example"]
    assert "Juniper Logistics AB" in notification.body
    assert "http://testserver" not in notification.body
    assert f"{LIST_URL}" in notification.body
    assert "Can you help?" in notification.body


@pytest.mark.django_db
def test_confirmation_is_in_the_language_of_the_page(client, django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "sv"
    with django_capture_on_commit_callbacks(execute=True):
        post(client)
    assert Inquiry.objects.get().language == "sv"
    (confirmation,) = mail.outbox
    assert '<html lang="sv">' in confirmation.alternatives[0][0]


@pytest.mark.django_db
def test_admin_notification_uses_the_admins_language_and_time_zone(swedish_admin, lead):
    send_inquiry_notification(lead.pk)
    (notification,) = mail.outbox
    html = notification.alternatives[0][0]
    assert '<html lang="sv">' in html
    new_york = timezone.localtime(lead.created_at, zoneinfo.ZoneInfo("America/New_York"))
    with translation.override("sv"):
        expected = date_format(new_york, "DATETIME_FORMAT")
    assert expected in html
    assert expected in notification.body


@pytest.mark.django_db
def test_nothing_is_sent_before_the_transaction_commits(client, consultancy_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post(client)
    assert Inquiry.objects.count() == 1
    assert mail.outbox == []
    assert len(callbacks) == 2
    for callback in callbacks:
        callback()
    assert sorted(message.to[0] for message in mail.outbox) == ["alice.admin@example.org", "frida@juniper.example"]


@pytest.mark.django_db
def test_filled_honeypot_pretends_success_but_keeps_and_sends_nothing(
    client, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = post(client, website="http://cheap-pills.example")
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    assert not Inquiry.objects.exists()
    assert callbacks == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_filled_honeypot_is_thanked_even_when_the_rest_is_invalid(client):
    response = post(client, website="x", email="not-an-email", name="")
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    assert not Inquiry.objects.exists()


@pytest.mark.django_db
def test_sixth_message_within_the_hour_from_one_address_is_refused(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            assert post(client, message=f"Message number {number}").status_code == 302
        response = post(client, message="Message number 6")
    assert response.status_code == 429
    assert "You have sent several messages in a short time" in response.content.decode()
    assert 'name="message"' in response.content.decode()  # the form is shown again
    assert Inquiry.objects.count() == 5
    assert len(mail.outbox) == 5  # confirmations only: there is no admin in this test


@pytest.mark.django_db
def test_rate_limit_is_per_address(client):
    for number in range(5):
        post(client, message=f"Message number {number}")
    response = client.post(CREATE_URL, {**VALID, "message": "From elsewhere"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302
    assert Inquiry.objects.count() == 6


@pytest.mark.django_db
def test_invalid_posts_do_not_count_against_the_rate_limit(client):
    for _ in range(6):
        assert post(client, email="broken").status_code == 200
    assert post(client).status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "error"),
    [
        ({"name": ""}, "name", "This field is required."),
        ({"name": "   "}, "name", "This field is required."),
        ({"email": ""}, "email", "This field is required."),
        ({"message": ""}, "message", "This field is required."),
        ({"kind": ""}, "kind", "This field is required."),
        ({"email": "frida(at)juniper"}, "email", "Enter a valid email address."),
        ({"kind": "department"}, "kind", "Select a valid choice."),
        ({"name": "N" * 151}, "name", "at most 150 characters"),
        ({"company": "C" * 201}, "company", "at most 200 characters"),
        ({"email": "e" * 250 + "@x.example"}, "email", "at most 254 characters"),
        ({"message": "M" * 5001}, "message", "at most 5000 characters"),
    ],
)
def test_bad_input_shows_a_clear_error_and_saves_nothing(client, changes, field, error):
    response = post(client, **changes)
    assert response.status_code == 200
    assert error in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Inquiry.objects.exists()


@pytest.mark.django_db
def test_company_is_optional(client):
    assert post(client, company="").status_code == 302
    assert Inquiry.objects.get().company == ""


@pytest.mark.django_db
def test_double_submit_creates_one_lead_and_one_set_of_emails(
    client, consultancy_admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client)
        second = post(client, email="FRIDA@juniper.example", name="Frida F.")
    assert first["Location"] == second["Location"] == THANKS_URL
    assert Inquiry.objects.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_same_sender_with_another_message_is_a_new_lead(client):
    post(client)
    post(client, message="One more thing.")
    assert Inquiry.objects.count() == 2


@pytest.mark.django_db
def test_same_message_after_the_duplicate_window_is_a_new_lead():
    fields = {key: value for key, value in VALID.items() if key != "website"}
    first, created = services.submit_inquiry(**fields, language="en")
    assert created
    Inquiry.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - services.DUPLICATE_WINDOW - datetime.timedelta(seconds=1)
    )
    second, created = services.submit_inquiry(**fields, language="en")
    assert created
    assert second.pk != first.pk


@pytest.mark.django_db
def test_html_in_a_message_is_stored_as_given_and_escaped_in_list_and_email(
    client, consultancy_admin, django_capture_on_commit_callbacks
):
    script = "<script>alert('x')</script>"
    with django_capture_on_commit_callbacks(execute=True):
        post(client, name=script, company="<b>Bold AB</b>", message=f"{script}\nsecond line")
    lead = Inquiry.objects.get()
    assert lead.name == script
    assert lead.message == f"{script}\nsecond line"

    client.force_login(consultancy_admin)
    html = client.get(LIST_URL).content.decode()
    assert script not in html
    assert "<b>Bold AB</b>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>second line" in html

    notification = next(message for message in mail.outbox if message.to == ["alice.admin@example.org"])
    email_html = notification.alternatives[0][0]
    assert script not in email_html
    assert "<b>Bold AB</b>" not in email_html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;<br>second line" in email_html
    assert script in notification.body  # plain text shows it as typed
    confirmation = next(message for message in mail.outbox if message.to == ["frida@juniper.example"])
    assert script not in confirmation.alternatives[0][0]
    assert "&lt;script&gt;" in confirmation.alternatives[0][0]


# Tasks ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_redelivered_task_does_not_email_twice(consultancy_admin, lead):
    assert send_inquiry_confirmation(lead.pk) == 1
    assert send_inquiry_notification(lead.pk) == 1
    assert send_inquiry_confirmation(lead.pk) == 0
    assert send_inquiry_notification(lead.pk) == 0
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_tasks_for_a_deleted_lead_send_nothing(consultancy_admin):
    assert send_inquiry_confirmation(999_999) == 0
    assert send_inquiry_notification(999_999) == 0
    assert mail.outbox == []


# The list of leads ------------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [lead.name for lead in response.context["page"]]


@pytest.mark.django_db
def test_list_shows_open_leads_newest_first_by_default(client, consultancy_admin):
    now = timezone.now()
    for hours_ago, name in [(3, "Oldest"), (2, "Middle"), (1, "Newest")]:
        lead = make_lead(name=name)
        Inquiry.objects.filter(pk=lead.pk).update(created_at=now - datetime.timedelta(hours=hours_ago))
    make_lead(name="Done", handled_at=now, handled_by=consultancy_admin)
    client.force_login(consultancy_admin)
    response = client.get(LIST_URL)
    assert _names(response) == ["Newest", "Middle", "Oldest"]
    html = response.content.decode()
    assert 'aria-current="page">Open (3)' in html
    assert "Handled (1)" in html
    assert "All (4)" in html


@pytest.mark.django_db
def test_all_filter_lists_open_leads_before_handled_ones(client, consultancy_admin):
    now = timezone.now()
    make_lead(name="Handled newest", handled_at=now, handled_by=consultancy_admin)
    make_lead(name="Open older")
    Inquiry.objects.filter(name="Open older").update(created_at=now - datetime.timedelta(days=1))
    client.force_login(consultancy_admin)
    assert _names(client.get(LIST_URL, {"status": "all"})) == ["Open older", "Handled newest"]
    assert _names(client.get(LIST_URL, {"status": "handled"})) == ["Handled newest"]
    assert _names(client.get(LIST_URL, {"status": "nonsense"})) == ["Open older"]


@pytest.mark.django_db
def test_list_shows_details_with_mailto_link_and_time_in_the_viewers_zone(client, swedish_admin):
    lead = make_lead(name="Hanna Hassel", email="hanna@hazel.example", company="Hazel AB", kind="team")
    client.force_login(swedish_admin)
    html = client.get(LIST_URL).content.decode()
    assert 'href="mailto:hanna@hazel.example"' in html
    assert "Hazel AB" in html
    new_york = timezone.localtime(lead.created_at, zoneinfo.ZoneInfo("America/New_York"))
    assert f'datetime="{new_york.isoformat()}"' in html
    with translation.override("sv"):
        assert date_format(new_york, "DATETIME_FORMAT") in html


@pytest.mark.django_db
def test_empty_list_says_so(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert "No open inquiries" in client.get(LIST_URL).content.decode()


@pytest.mark.django_db
def test_list_pages_past_the_page_size(client, consultancy_admin):
    for number in range(30):
        make_lead(name=f"Lead {number}")
    client.force_login(consultancy_admin)
    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})
    assert len(_names(first)) == 25
    assert len(_names(second)) == 5
    assert 'rel="next"' in first.content.decode()


@pytest.mark.django_db
def test_list_runs_the_same_number_of_queries_for_5_and_50_leads(client, consultancy_admin):
    client.force_login(consultancy_admin)

    def queries_for(total: int) -> int:
        Inquiry.objects.all().delete()
        for number in range(total):
            lead = make_lead(name=f"Lead {number}")
            if number % 2:
                services.mark_inquiry_handled(inquiry=lead, by=consultancy_admin)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(LIST_URL, {"status": "all"})
        assert response.status_code == 200
        assert len(response.context["page"]) == min(total, 25)
        return len(queries)

    assert queries_for(5) == queries_for(50)


# Handling leads ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_marks_a_lead_handled(client, consultancy_admin, lead):
    client.force_login(consultancy_admin)
    response = client.post(reverse("mentorship:inquiry-handle", args=[lead.pk]), {"status": "open"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?status=open"
    lead.refresh_from_db()
    assert lead.handled_by == consultancy_admin
    assert lead.handled_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Marked the inquiry from Gustav Gran as handled." in html
    assert "Gustav Gran</h2>" not in html  # no longer among the open ones


@pytest.mark.django_db
def test_handling_twice_keeps_the_first_handler_and_time(client, consultancy_admin, user_factory, lead):
    second_admin = user_factory(email="olof.admin@example.org", roles=("consultancy_admin",))
    url = reverse("mentorship:inquiry-handle", args=[lead.pk])
    client.force_login(consultancy_admin)
    client.post(url)
    lead.refresh_from_db()
    first_time = lead.handled_at
    client.force_login(second_admin)
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "already handled" in response.content.decode()
    lead.refresh_from_db()
    assert (lead.handled_by, lead.handled_at) == (consultancy_admin, first_time)


@pytest.mark.django_db
def test_admin_reopens_a_handled_lead_and_reopening_twice_is_harmless(client, consultancy_admin, lead):
    services.mark_inquiry_handled(inquiry=lead, by=consultancy_admin)
    client.force_login(consultancy_admin)
    url = reverse("mentorship:inquiry-reopen", args=[lead.pk])
    response = client.post(url, {"status": "handled"})
    assert response["Location"] == f"{LIST_URL}?status=handled"
    lead.refresh_from_db()
    assert (lead.handled_at, lead.handled_by) == (None, None)
    assert "already open" in client.post(url, follow=True).content.decode()


@pytest.mark.django_db
def test_handle_ignores_an_unknown_status_in_the_redirect(client, consultancy_admin, lead):
    client.force_login(consultancy_admin)
    response = client.post(reverse("mentorship:inquiry-handle", args=[lead.pk]), {"status": "//evil.example"})
    assert response["Location"] == LIST_URL


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mentorship:inquiry-handle", "mentorship:inquiry-reopen"])
def test_handling_an_unknown_lead_is_404(client, consultancy_admin, name):
    client.force_login(consultancy_admin)
    assert client.post(reverse(name, args=[999_999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["mentorship:inquiry-handle", "mentorship:inquiry-reopen"])
def test_handle_and_reopen_refuse_get(client, consultancy_admin, lead, name):
    client.force_login(consultancy_admin)
    assert client.get(reverse(name, args=[lead.pk])).status_code == 405


# Access -----------------------------------------------------------------------------------------

ADMIN_VIEWS = ["mentorship:inquiry-list", "mentorship:inquiry-handle", "mentorship:inquiry-reopen"]


def _url(name: str, lead: Inquiry) -> str:
    return reverse(name) if name == "mentorship:inquiry-list" else reverse(name, args=[lead.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ADMIN_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_sign_in(client, lead, name, method):
    response = getattr(client, method)(_url(name, lead))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    lead.refresh_from_db()
    assert lead.handled_at is None


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["mentee", "outsider_mentee", "mentor", "other_mentor"])
@pytest.mark.parametrize("name", ADMIN_VIEWS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_people_who_are_not_consultancy_admins_get_403(client, request, lead, who, name, method):
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(_url(name, lead))
    assert response.status_code == 403
    assert "Gustav Gran" not in response.content.decode()
    lead.refresh_from_db()
    assert lead.handled_at is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "sees"),
    [(None, False), ("mentee", False), ("outsider_mentee", False), ("mentor", False), ("consultancy_admin", True)],
)
def test_only_consultancy_admins_see_leads(request, lead, who, sees):
    from django.contrib.auth.models import AnonymousUser

    user = request.getfixturevalue(who) if who else AnonymousUser()
    assert list(access.inquiries_visible_to(user)) == ([lead] if sees else [])
    assert selectors.open_inquiry_count(user) == (1 if sees else 0)


@pytest.mark.django_db
def test_inactive_admin_sees_no_leads(user_factory, lead):
    former = user_factory(email="former.admin@example.org", roles=("consultancy_admin",), is_active=False)
    assert not access.inquiries_visible_to(former).exists()


@pytest.mark.django_db
def test_home_partial_links_to_the_open_leads(consultancy_admin, lead):
    from django.template.loader import render_to_string

    html = render_to_string(
        "mentorship/includes/home_inquiries.html", {"open_inquiries": selectors.open_inquiry_count(consultancy_admin)}
    )
    assert f'href="{LIST_URL}"' in html
    assert "1 open" in html
