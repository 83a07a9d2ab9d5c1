"""IANA time zone names, validated against the zoneinfo database; the current ones offered."""

import zoneinfo
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CURRENT_ZONES_FILE = Path(__file__).with_name("zone_names.txt")


@cache
def time_zone_names() -> tuple[str, ...]:
    """Every name a person's zone may have, old aliases included (an account keeps "US/Eastern")."""
    # "localtime" and the like are not places a person lives in.
    return tuple(sorted(name for name in zoneinfo.available_timezones() if "/" in name or name == "UTC"))


@cache
def current_time_zone_names() -> tuple[str, ...]:
    """The zones to choose from: current names only (Europe/Kyiv, not Europe/Kiev), those this
    server's zoneinfo knows."""
    known = set(time_zone_names())
    lines = CURRENT_ZONES_FILE.read_text().splitlines()
    return tuple(name for name in lines if name and not name.startswith("#") and name in known)


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(
            _("“%(value)s” is not a known time zone."), code="invalid_time_zone", params={"value": value}
        )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in current_time_zone_names()]


def find_time_zone(typed: str) -> str | None:
    """The zone a person means by what they typed: its exact name, or a city or region that names
    exactly one current zone ("stockholm", "New York"); None otherwise."""
    text = typed.strip().replace(" ", "_")
    if text in time_zone_names():
        return text
    wanted = text.casefold()
    matches = [
        name
        for name in current_time_zone_names()
        if name.casefold() == wanted or name.rpartition("/")[2].casefold() == wanted
    ]
    return matches[0] if len(matches) == 1 else None
