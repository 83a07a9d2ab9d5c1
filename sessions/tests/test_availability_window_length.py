"""A weekly window shorter than a session is refused, with the reason in words."""

import pytest
from django.urls import reverse

from sessions.models import AvailabilityWindow

ADD_WINDOW = reverse("mentoring_sessions:availability-window-create")


def _post(client, start: str, end: str):
    return client.post(ADD_WINDOW, {"window-weekday": "1", "window-start_time": start, "window-end_time": end})


@pytest.mark.django_db
def test_a_window_shorter_than_the_shortest_session_is_refused_with_the_reason(client, mentor):
    client.force_login(mentor)
    response = _post(client, "09:00", "10:00")
    assert response.status_code == 200
    assert response.context["window_form"].errors["end_time"] == [
        "The window is 60 minutes long, shorter than a session (90 minutes): no session fits in it. "
        "Make it at least 90 minutes."
    ]
    assert not AvailabilityWindow.objects.exists()
    assert _post(client, "09:00", "10:30").status_code == 302
    assert AvailabilityWindow.objects.count() == 1


def test_the_mentors_own_session_length_counts(client, engagement):
    engagement.session_minutes = 120
    engagement.save()
    client.force_login(engagement.mentor)
    response = _post(client, "09:00", "10:30")
    assert "shorter than a session (120 minutes)" in " ".join(response.context["window_form"].errors["end_time"])
    assert not AvailabilityWindow.objects.exists()
    assert _post(client, "09:00", "11:00").status_code == 302
