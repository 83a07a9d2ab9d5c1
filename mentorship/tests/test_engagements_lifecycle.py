"""Status buttons and extending the planned end, through the browser."""

import datetime

import pytest
from django.urls import reverse

from mentorship.models import Engagement, EngagementEvent

Status = Engagement.Status


def _status_url(engagement):
    return reverse("mentorship:engagement-status", kwargs={"engagement_uuid": engagement.uuid})


def _extend_url(engagement):
    return reverse("mentorship:engagement-extend", kwargs={"engagement_uuid": engagement.uuid})


@pytest.mark.django_db
def test_admin_pauses_and_resumes_and_the_history_shows_it(client, consultancy_admin, engagement):
    client.force_login(consultancy_admin)
    response = client.post(_status_url(engagement), {"to_status": "paused", "note": "Summer break"}, follow=True)
    assert "The engagement is now paused." in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == Status.PAUSED
    client.post(_status_url(engagement), {"to_status": "active"})
    engagement.refresh_from_db()
    assert engagement.status == Status.ACTIVE
    html = client.get(engagement.get_absolute_url()).content.decode()
    assert "Active → Paused" in html
    assert "Paused → Active" in html
    assert "Summer break" in html
    assert EngagementEvent.objects.filter(engagement=engagement, actor=consultancy_admin).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "target"),
    [
        (Status.COMPLETED, "active"),
        (Status.CANCELLED, "paused"),
        (Status.ACTIVE, "proposed"),
        (Status.ACTIVE, "active"),
    ],
)
def test_a_refused_transition_is_a_message_and_changes_nothing(
    client, consultancy_admin, engagement_factory, mentee, mentor, status, target
):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=status)
    client.force_login(consultancy_admin)
    response = client.post(_status_url(engagement), {"to_status": target}, follow=True)
    assert response.status_code == 200
    assert "cannot become" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == status
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
def test_starting_without_a_mentor_is_refused(client, consultancy_admin, engagement_factory, mentee):
    engagement = engagement_factory(mentee=mentee)
    client.force_login(consultancy_admin)
    response = client.post(_status_url(engagement), {"to_status": "active"}, follow=True)
    assert "needs a mentor" in response.content.decode()
    engagement.refresh_from_db()
    assert engagement.status == Status.PROPOSED


@pytest.mark.django_db
@pytest.mark.parametrize("data", [{}, {"to_status": "archived"}, {"to_status": "paused", "note": "x" * 501}])
def test_malformed_status_input_is_a_message(client, consultancy_admin, engagement, data):
    client.force_login(consultancy_admin)
    response = client.post(_status_url(engagement), data, follow=True)
    assert response.status_code == 200
    assert response.context["messages"]
    engagement.refresh_from_db()
    assert engagement.status == Status.ACTIVE


@pytest.mark.django_db
def test_a_double_submit_changes_the_status_once(client, consultancy_admin, engagement):
    client.force_login(consultancy_admin)
    client.post(_status_url(engagement), {"to_status": "completed"})
    client.post(_status_url(engagement), {"to_status": "completed"})
    assert EngagementEvent.objects.filter(engagement=engagement, kind="status_changed").count() == 1


@pytest.mark.django_db
def test_an_ended_engagement_offers_no_buttons(client, consultancy_admin, engagement_factory, mentee, mentor):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=Status.CANCELLED)
    client.force_login(consultancy_admin)
    response = client.get(engagement.get_absolute_url())
    assert response.context["transitions"] == []
    assert not response.context["can_cancel"]
    assert _status_url(engagement) not in response.content.decode()


@pytest.mark.django_db
def test_admin_extends_the_planned_end(client, consultancy_admin, engagement):
    old_end = engagement.planned_end
    client.force_login(consultancy_admin)
    assert client.get(_extend_url(engagement)).context["form"]["new_end"].value() > old_end
    response = client.post(_extend_url(engagement), {"new_end": "2027-12-31"})
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert engagement.planned_end == datetime.date(2027, 12, 31)
    html = client.get(engagement.get_absolute_url()).content.decode()
    assert f"From {old_end.isoformat()} to 2027-12-31" in html
    assert "Planned end moved" in html


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "not a date", "2027-02-30", "same", "earlier"])
def test_a_bad_new_end_is_a_form_error(client, consultancy_admin, engagement, value):
    old_end = engagement.planned_end
    value = {"same": old_end.isoformat(), "earlier": (old_end - datetime.timedelta(days=1)).isoformat()}.get(
        value, value
    )
    client.force_login(consultancy_admin)
    response = client.post(_extend_url(engagement), {"new_end": value})
    assert response.status_code == 200
    assert "new_end" in response.context["form"].errors
    engagement.refresh_from_db()
    assert engagement.planned_end == old_end
    assert not EngagementEvent.objects.exists()


@pytest.mark.django_db
def test_an_ended_engagement_cannot_be_extended(client, consultancy_admin, engagement_factory, mentee, mentor):
    engagement = engagement_factory(mentee=mentee, mentor=mentor, status=Status.COMPLETED)
    old_end = engagement.planned_end
    client.force_login(consultancy_admin)
    response = client.post(_extend_url(engagement), {"new_end": "2030-01-01"})
    assert response.status_code == 200
    engagement.refresh_from_db()
    assert engagement.planned_end == old_end
