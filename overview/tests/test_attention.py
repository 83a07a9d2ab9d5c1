"""The admins' "needs attention" queue on their home page, and its "see all" pages."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from demo.factories import make_assignment, make_engagement, make_inquiry, make_invitation, make_organisation
from mentorship.models import MentorOption
from overview import attention

pytestmark = pytest.mark.django_db

HOME = reverse("overview:home")


def see_all(kind: str) -> str:
    return reverse("overview:attention", args=[kind])


def _fill_the_queue(*, mentor, other_mentor, organisation, count: int = 1) -> None:
    """`count` items of every kind."""
    today = timezone.localdate()
    for number in range(count):
        declined = make_engagement(organisation=organisation)
        make_assignment(engagement=declined, mentor=other_mentor, status="declined", decline_reason="No room.")
        make_engagement(organisation=organisation)  # without a mentor
        stuck = make_engagement(organisation=organisation, mentee_chooses=True)
        option = MentorOption.objects.create(engagement=stuck, mentor=mentor, rank=1)
        MentorOption.objects.filter(pk=option.pk).update(created_at=timezone.now() - datetime.timedelta(days=9))
        make_engagement(organisation=organisation, mentor=mentor, status="active")  # started long ago: overdue
        make_engagement(organisation=organisation, mentor=mentor, status="active", start_date=today)  # kickoff due
        make_invitation(organisation=organisation, expires_at=timezone.now() + datetime.timedelta(days=number + 1))
        make_inquiry(company=f"Lead {number} AB")


def test_empty_queue_says_so(client, consultancy_admin):
    client.force_login(consultancy_admin)
    html = client.get(HOME).content.decode()
    assert 'id="attention-heading"' in html
    assert "Nothing needs your attention right now" in html


def test_each_kind_is_listed_with_its_action(client, consultancy_admin, mentor, other_mentor, organisation):
    _fill_the_queue(mentor=mentor, other_mentor=other_mentor, organisation=organisation)
    client.force_login(consultancy_admin)
    html = client.get(HOME).content.decode()
    for kind in attention.KINDS:
        assert f'id="attention-{kind.slug}"' in html, kind.slug
    assert "Ask another mentor" in html
    assert "Find a mentor" in html
    assert "Follow up or assign a mentor" in html
    assert "Book a session" in html
    assert "The first session is due" in html
    assert "none is booked" in html
    assert "Send again" in html
    assert "Read and answer" in html
    assert "Nothing needs your attention" not in html


def test_the_kinds_do_not_overlap(consultancy_admin, mentor, other_mentor, organisation):
    _fill_the_queue(mentor=mentor, other_mentor=other_mentor, organisation=organisation)
    seen = {}
    for section in attention.queue_for(consultancy_admin):
        ids = [getattr(row, "engagement_id", row.pk) for row in section.rows]
        assert len(section.rows) == 1, section.kind.slug
        seen[section.kind.slug] = ids
    engagement_kinds = ("declines", "stuck-choices", "without-mentor", "overdue", "unbooked-kickoffs")
    engagements = [seen[kind][0] for kind in engagement_kinds]
    assert len(set(engagements)) == len(engagements)


def test_a_choice_offered_recently_is_not_stuck_yet(consultancy_admin, mentor, organisation):
    waiting = make_engagement(organisation=organisation, mentee_chooses=True)
    MentorOption.objects.create(engagement=waiting, mentor=mentor, rank=1)
    assert not any(
        section.kind.slug in ("stuck-choices", "without-mentor") for section in attention.queue_for(consultancy_admin)
    )


def test_a_pending_request_takes_an_engagement_off_the_queue(consultancy_admin, mentor, other_mentor, organisation):
    engagement = make_engagement(organisation=organisation)
    make_assignment(engagement=engagement, mentor=other_mentor, status="declined", decline_reason="No.")
    make_assignment(engagement=engagement, mentor=mentor)  # somebody asked since
    assert attention.queue_for(consultancy_admin) == []


def test_invitations_expiring_soonest_come_first(consultancy_admin, organisation):
    later = make_invitation(organisation=organisation, expires_at=timezone.now() + datetime.timedelta(days=10))
    sooner = make_invitation(organisation=organisation, expires_at=timezone.now() + datetime.timedelta(days=1))
    make_invitation(organisation=organisation, accepted_at=timezone.now())  # answered: not listed
    (section,) = attention.queue_for(consultancy_admin)
    assert section.rows == [sooner, later]


def test_home_queue_costs_the_same_queries_for_one_or_many(
    client, consultancy_admin, mentor, other_mentor, organisation, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(consultancy_admin)
    _fill_the_queue(mentor=mentor, other_mentor=other_mentor, organisation=organisation)
    client.get(HOME)  # the health store is brought up to date once
    with CaptureQueriesContext(connection) as few:
        client.get(HOME)
    _fill_the_queue(mentor=mentor, other_mentor=other_mentor, organisation=make_organisation(), count=8)
    client.get(HOME)
    with CaptureQueriesContext(connection) as many:
        html = client.get(HOME).content.decode()
    # Each kind then has more than the home page shows: one count each, and a "see all" link.
    assert len(many) == len(few) + len(attention.KINDS)
    for kind in attention.KINDS:
        assert see_all(kind.slug) in html


def test_see_all_lists_every_item_a_page_at_a_time(client, consultancy_admin, organisation):
    for _ in range(attention.PAGE_SIZE + 2):
        make_inquiry()
    client.force_login(consultancy_admin)
    first = client.get(see_all("inquiries"))
    assert first.status_code == 200
    assert first.content.decode().count("Read and answer") == attention.PAGE_SIZE
    second = client.get(see_all("inquiries") + "?page=2").content.decode()
    assert second.count("Read and answer") == 2


def test_see_all_of_an_empty_kind_says_so(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert "No engagement is overdue." in client.get(see_all("overdue")).content.decode()


def test_unknown_kind_is_404(client, consultancy_admin):
    client.force_login(consultancy_admin)
    assert client.get(see_all("everything")).status_code == 404


@pytest.mark.parametrize("who", ["mentor", "mentee"])
def test_other_roles_get_403_and_no_queue(client, request, who, organisation):
    make_inquiry()
    person = request.getfixturevalue(who)
    client.force_login(person)
    assert client.get(see_all("inquiries")).status_code == 403
    assert 'id="attention-heading"' not in client.get(HOME).content.decode()
    assert attention.queue_for(person) == []


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(see_all("inquiries"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
