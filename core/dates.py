"""One way to write a date or time for people: a named format of the active language.

Templates use Django's `date` / `time` filters with a name from mentorship/formats
(`{{ session.start|date:"WEEKDAY_TIME_FORMAT" }}`); Python code (email subjects, .ics titles,
messages) calls `local_format`, which first moves an aware datetime into the active time zone,
as the template filters do. Never a literal format string such as "j M H:i": Swedish needs
"4 dec. 09:00", English "4 Dec, 09:00".
"""

import datetime

from django.utils import formats, timezone
from django.utils.translation import pgettext_lazy

# Django's own month abbreviations (the `N` format), listed here so that `makemessages` keeps our
# Swedish translations of them in locale/sv: "dec.", "mars", "maj", "juni" — as Swedish writes them.
MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)


def local_format(value: datetime.date | datetime.datetime, name: str) -> str:
    """`value` written with the active language's named format `name` (e.g. "WEEKDAY_TIME_FORMAT"),
    an aware datetime first moved into the active time zone."""
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, name)
