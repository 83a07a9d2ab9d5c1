# Swedish: "fre 4 dec. 09:00", "4 december 2026", 24-hour times. `N` is the month abbreviation
# with its full stop where Swedish has one ("dec.", "mars", "maj", "juni"): our catalogue
# translates Django's "abbrev. month" strings (listed in core/dates.py).
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j N Y"
SHORT_DATETIME_FORMAT = "j N Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"

SHORT_MONTH_DAY_FORMAT = "j N"
SHORT_MONTH_DAY_TIME_FORMAT = "j N H:i"
WEEKDAY_FORMAT = "D j N"
WEEKDAY_TIME_FORMAT = "D j N H:i"
WEEKDAY_DATETIME_FORMAT = "D j N Y H:i"
LONG_DAY_FORMAT = "l j F"
LONG_DAY_TIME_FORMAT = "l j F H:i"
LONG_DATE_FORMAT = "l j F Y"
LONG_DATETIME_FORMAT = "l j F Y H:i"
SHORT_MONTH_FORMAT = "b"
