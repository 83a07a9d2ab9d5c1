"""The product's rules that deployments may tune (reminders, nudges, holidays, the summer pause,
meeting rooms, calendars, invitations, the admins' queue): read from the environment, checked,
and star-imported by `mentorship.settings`, which the README's table of variables follows."""

import datetime

from django.core.exceptions import ImproperlyConfigured

from core.env import env_bool, env_float, env_int, env_list, env_str

SESSION_REMINDER_OFFSETS_HOURS = [int(h) for h in env_list("SESSION_REMINDER_OFFSETS_HOURS", ["48", "2"])]
BOOKING_NUDGE_DAYS_BEFORE = env_int("BOOKING_NUDGE_DAYS_BEFORE", 7)
BOOKING_NUDGE_MENTOR_AFTER_DAYS = env_int("BOOKING_NUDGE_MENTOR_AFTER_DAYS", 3)
NOTES_NUDGE_AFTER_HOURS = env_int("NOTES_NUDGE_AFTER_HOURS", 24)
REVIEW_REMINDER_DAYS_BEFORE = env_int("REVIEW_REMINDER_DAYS_BEFORE", 14)
# Admins and mentors hear this many days before a contract's last day.
CONTRACT_END_ALERT_DAYS_BEFORE = env_int("CONTRACT_END_ALERT_DAYS_BEFORE", 30)
# Non-working days (mentorship/workdays.py): the public holidays of the consultancy's country,
# and the library's categories to count (for Sweden "de_facto" adds julafton, midsommarafton
# and nyårsafton); a category the country does not have is ignored.
HOLIDAY_COUNTRY = env_str("HOLIDAY_COUNTRY", "SE").upper()
HOLIDAY_CATEGORIES = tuple(env_list("HOLIDAY_CATEGORIES", ["public", "de_facto"]))


def _check_country(code: str) -> str:
    import holidays

    if code not in holidays.list_supported_countries():
        raise ImproperlyConfigured(f"HOLIDAY_COUNTRY must be a country code the holidays library knows, got {code!r}")
    return code


_check_country(HOLIDAY_COUNTRY)


def _summer_pause(raw: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """ "MM-DD/MM-DD" (first and last day, every year) or empty for none."""
    if not raw.strip():
        return None
    try:
        first, last = (tuple(int(part) for part in side.strip().split("-")) for side in raw.split("/"))
        for month, day in (first, last):
            datetime.date(2024, month, day)  # a leap year: 02-29 is allowed
    except (TypeError, ValueError):
        raise ImproperlyConfigured(f"SUMMER_PAUSE must look like 07-01/07-31 or be empty, got {raw!r}") from None
    return first, last


# The first session (the kickoff) is due this many days after an engagement starts.
FIRST_SESSION_DUE_DAYS = env_int("FIRST_SESSION_DUE_DAYS", 7)

# Each online session's private meeting room: the provider's URL with {room} for a long random
# name (a mentor may paste a Teams or Zoom link instead).
MEETING_URL_TEMPLATE = env_str("MEETING_URL_TEMPLATE", "https://meet.jit.si/{room}")
if not MEETING_URL_TEMPLATE.startswith("https://") or MEETING_URL_TEMPLATE.count("{room}") != 1:
    raise ImproperlyConfigured("MEETING_URL_TEMPLATE must be an https:// URL with {room} in it once")

# The summer pause (default July): due dates move past it, nobody is counted overdue or nudged in it.
SUMMER_PAUSE = _summer_pause(env_str("SUMMER_PAUSE", "07-01/07-31"))
# Mentors' own calendars (ICS subscription links) read for busy times: hostile input. Only public
# addresses are fetched (checked after DNS, on every redirect); allowing private, loopback and
# link-local ones is for tests against a local server, never for production.
CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES = env_bool("CALENDAR_FETCH_ALLOW_PRIVATE_ADDRESSES", False)
CALENDAR_FETCH_TIMEOUT_SECONDS = env_float("CALENDAR_FETCH_TIMEOUT_SECONDS", 10.0)
CALENDAR_FETCH_MAX_BYTES = env_int("CALENDAR_FETCH_MAX_BYTES", 5 * 1024 * 1024)
INVITATION_EXPIRY_DAYS = env_int("INVITATION_EXPIRY_DAYS", 14)
# Mentors offered to a mentee this many days ago with no choice made: the admins' queue lists it.
MENTOR_CHOICE_STUCK_DAYS = env_int("MENTOR_CHOICE_STUCK_DAYS", 5)
INQUIRY_RATE_LIMIT = env_str("INQUIRY_RATE_LIMIT", "5/h/ip")

__all__ = [name for name in dir() if name.isupper()]
