"""Writes for mentor profiles and the admins' list of focus areas."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from mentorship.models import FocusArea, MentorProfile

PROFILE_FIELDS = (
    "headline",
    "bio",
    "languages",
    "years_of_experience",
    "mentors_teams",
    "capacity",
    "accepting_new",
    "region",
)


@transaction.atomic
def save_mentor_profile(*, mentor: User, data: dict) -> MentorProfile:
    """Create the mentor's profile on first save, update it after. `data` is the profile form's
    cleaned data. Retired focus areas already on the profile stay: the form only offers the ones
    in use, and retiring an area must not silently strip it from people."""
    if not mentor.is_mentor:
        raise ValidationError(_("Only mentors have a mentor profile."), code="not_a_mentor")
    profile, _created = MentorProfile.objects.select_for_update().get_or_create(user=mentor)
    for name in PROFILE_FIELDS:
        setattr(profile, name, data[name])
    profile.full_clean(exclude=["user", "focus_areas"])
    profile.save()
    retired = list(profile.focus_areas.filter(is_active=False))
    profile.focus_areas.set([*data["focus_areas"], *retired])
    return profile


def save_focus_area(*, focus_area: FocusArea) -> FocusArea:
    """Create or update a focus area; the form checks the key first, the database decides a race."""
    try:
        with transaction.atomic():
            focus_area.save()
    except IntegrityError:
        raise ValidationError(
            {"slug": ValidationError(_("A focus area with this key already exists."), code="duplicate")}
        ) from None
    return focus_area


@transaction.atomic
def delete_focus_area(*, focus_area: FocusArea) -> None:
    """Delete a focus area nobody uses (a typo, say). One in use is retired instead, so old
    engagements and profiles keep their history."""
    locked = FocusArea.objects.select_for_update().get(pk=focus_area.pk)
    if locked.mentors.exists() or locked.engagements.exists():
        raise ValidationError(_("This focus area is in use. Retire it instead: untick “in use”."), code="in_use")
    locked.delete()
