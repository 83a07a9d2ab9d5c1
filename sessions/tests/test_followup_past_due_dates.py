"""An action item's due date cannot lie in the past (the clock is pinned to 25 Nov 2026); an
overdue item may keep its date when edited."""

import datetime

import pytest
from django.urls import reverse

from sessions.models import ActionItem

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date(2026, 11, 24)


def list_url(engagement) -> str:
    return reverse("mentoring_sessions:action-items", args=[engagement.uuid])


def edit_url(item) -> str:
    return reverse("mentoring_sessions:action-item-edit", args=[item.engagement.uuid, item.pk])


def test_a_new_item_due_yesterday_is_refused_with_a_message(client, engagement, mentor, mentee):
    client.force_login(mentor)
    response = client.post(list_url(engagement), {"text": "Call HR", "owner": mentee.pk, "due_date": "2026-11-24"})
    assert response.status_code == 200
    assert response.context["form"].errors["due_date"] == ["That day has passed: pick today or a later day."]
    assert not ActionItem.objects.exists()
    ok = client.post(list_url(engagement), {"text": "Call HR", "owner": mentee.pk, "due_date": "2026-11-25"})
    assert ok.status_code == 302
    assert ActionItem.objects.get().due_date == datetime.date(2026, 11, 25)


def test_an_overdue_item_keeps_its_date_but_cannot_move_to_another_past_day(
    client, engagement, mentor, mentee, item_factory
):
    item = item_factory(engagement=engagement, owner=mentee, due_date=YESTERDAY)
    client.force_login(mentor)
    kept = client.post(edit_url(item), {"text": "Sharper", "owner": mentee.pk, "due_date": YESTERDAY.isoformat()})
    assert kept.status_code == 302
    moved = client.post(edit_url(item), {"text": "Sharper", "owner": mentee.pk, "due_date": "2026-11-01"})
    assert moved.status_code == 200
    assert "That day has passed" in moved.content.decode()
    item.refresh_from_db()
    assert (item.text, item.due_date) == ("Sharper", YESTERDAY)
