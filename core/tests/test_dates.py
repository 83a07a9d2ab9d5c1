"""Dates and times read like each language: "fre 4 dec. 09:00" in Swedish, "Fri 4 Dec, 09:00" in
English, always 24-hour (mentorship/formats, core/dates.py)."""

import datetime
import importlib
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from core.dates import local_format
from mentorship.formats import NAMED_FORMATS

FRIDAY_EVENING = datetime.datetime(2026, 12, 4, 17, 5, tzinfo=datetime.UTC)  # 18:05 in Stockholm


@pytest.mark.parametrize("language", ["sv", "en"])
def test_every_language_defines_every_named_format(language):
    module = importlib.import_module(f"mentorship.formats.{language}.formats")
    assert [name for name in NAMED_FORMATS if not hasattr(module, name)] == []


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("sv", "WEEKDAY_TIME_FORMAT", "fre 4 dec. 18:05"),
        ("sv", "WEEKDAY_FORMAT", "fre 4 dec."),
        ("sv", "SHORT_DATE_FORMAT", "4 dec. 2026"),
        ("sv", "DATETIME_FORMAT", "4 december 2026 18:05"),
        ("sv", "LONG_DAY_TIME_FORMAT", "fredag 4 december 18:05"),
        ("sv", "TIME_FORMAT", "18:05"),
        ("en", "WEEKDAY_TIME_FORMAT", "Fri 4 Dec, 18:05"),
        ("en", "WEEKDAY_FORMAT", "Fri 4 Dec"),
        ("en", "SHORT_DATE_FORMAT", "4 Dec 2026"),
        ("en", "DATE_FORMAT", "4 December 2026"),
        ("en", "DATETIME_FORMAT", "4 December 2026, 18:05"),
        ("en", "LONG_DAY_TIME_FORMAT", "Friday 4 December, 18:05"),
        ("en", "TIME_FORMAT", "18:05"),
    ],
)
def test_named_formats_read_like_the_language(language, name, expected):
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo("Europe/Stockholm")):
        assert local_format(FRIDAY_EVENING, name) == expected


@pytest.mark.parametrize(
    ("month", "swedish"),
    [(1, "jan."), (3, "mars"), (5, "maj"), (6, "juni"), (7, "juli"), (9, "sep."), (10, "okt."), (12, "dec.")],
)
def test_swedish_month_abbreviations_follow_swedish_usage(month, swedish):
    with translation.override("sv"):
        assert local_format(datetime.date(2026, month, 2), "SHORT_MONTH_DAY_FORMAT") == f"2 {swedish}"


def test_local_format_shows_the_active_time_zone():
    with translation.override("en"), timezone.override(zoneinfo.ZoneInfo("America/New_York")):
        assert local_format(FRIDAY_EVENING, "WEEKDAY_TIME_FORMAT") == "Fri 4 Dec, 12:05"


def test_the_date_filter_takes_the_named_formats():
    template = Template('{{ when|date:"WEEKDAY_TIME_FORMAT" }} {{ when|time }}')
    with translation.override("sv"), timezone.override(zoneinfo.ZoneInfo("Europe/Stockholm")):
        assert template.render(Context({"when": FRIDAY_EVENING})) == "fre 4 dec. 18:05 18:05"


def test_no_template_uses_a_literal_format_for_people(settings):
    """Every date shown to people goes through a named format; only machine values (`c`, ISO dates
    and months in links and inputs) are written literally."""
    import re
    from pathlib import Path

    machine = {"c", "Y-m-d", "Y-m", "U"}
    literal = re.compile(r"""\|(?:date|time):["']([^"']+)["']""")
    offenders = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.*"):
        for found in literal.findall(path.read_text()):
            if found not in machine and not found.endswith("FORMAT"):
                offenders.append(f"{path.name}: {found}")
    assert offenders == []
