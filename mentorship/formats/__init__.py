"""Date and time formats per language (Django's FORMAT_MODULE_PATH).

Besides Django's own names (DATE_FORMAT, TIME_FORMAT, ...) each language defines the named formats
the pages, emails and .ics titles use, so that `{{ value|date:"WEEKDAY_TIME_FORMAT" }}` and
`core.dates.local_format(value, "WEEKDAY_TIME_FORMAT")` read "fre 4 dec. 09:00" in Swedish and
"Fri 4 Dec, 09:00" in English. Every language module must define every name in NAMED_FORMATS
(a test checks), or Django would take the name itself as a format string.
"""

NAMED_FORMATS = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "TIME_FORMAT",
    "YEAR_MONTH_FORMAT",
    "MONTH_DAY_FORMAT",
    # Our own names.
    "SHORT_MONTH_DAY_FORMAT",
    "SHORT_MONTH_DAY_TIME_FORMAT",
    "WEEKDAY_FORMAT",
    "WEEKDAY_TIME_FORMAT",
    "WEEKDAY_DATETIME_FORMAT",
    "LONG_DAY_FORMAT",
    "LONG_DAY_TIME_FORMAT",
    "LONG_DATE_FORMAT",
    "LONG_DATETIME_FORMAT",
    "SHORT_MONTH_FORMAT",
)
