"""Helpers for the mentors and matching tests: many mentors at once for query counts (bulk
inserts), and a cheap password hasher (these tests create several users each and never check a
password; the default hasher makes each user cost most of a second)."""

import pytest

from accounts.models import User
from mentorship.models import FocusArea, MentorProfile


def bulk_mentors(count: int, *, prefix: str = "bulk", with_focus: bool = True) -> list[User]:
    users = User.objects.bulk_create(
        User(email=f"{prefix}{index}@example.org", full_name=f"{prefix.title()} Mentor {index:04d}", is_mentor=True)
        for index in range(count)
    )
    profiles = MentorProfile.objects.bulk_create(
        MentorProfile(
            user=user,
            headline=f"Headline {index}",
            languages=["sv", "en"] if index % 2 else ["en"],
            capacity=index % 6,
            accepting_new=index % 7 != 0,
            mentors_teams=index % 3 == 0,
            region="Göteborg" if index % 4 == 0 else "Stockholm",
        )
        for index, user in enumerate(users)
    )
    if with_focus:
        areas = list(FocusArea.objects.order_by("pk"))
        through = MentorProfile.focus_areas.through
        through.objects.bulk_create(
            through(mentorprofile_id=profile.pk, focusarea_id=areas[(index + offset) % len(areas)].pk)
            for index, profile in enumerate(profiles)
            for offset in range(3)
        )
    return users


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
