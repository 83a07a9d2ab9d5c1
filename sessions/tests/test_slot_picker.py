"""The picker's `slot_radios` tag gives the same radios the template loop with `|date` gave."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from sessions.booking.slots import Slot
from sessions.templatetags.slot_picker import slot_radios

pytestmark = pytest.mark.clock

UTC = datetime.UTC
# The old template loop, as the reference (whitespace aside).
REFERENCE = Template(
    "{% for slot in slots %}"
    '<li><input type="radio" name="start" id="{{ prefix }}{{ slot.start|date:\'U\' }}" value="{{ slot.start.isoformat }}"'
    "{% if slot.start.isoformat == selected %} checked{% endif %} required>"
    " <label for=\"{{ prefix }}{{ slot.start|date:'U' }}\">"
    '{% if with_day %}{{ slot.start|date:"LONG_DAY_TIME_FORMAT" }}{% else %}{{ slot.start|date:"H:i" }}{% endif %}'
    '–{{ slot.end|date:"H:i" }}</label></li>{% if not forloop.last %}\n{% endif %}'
    "{% endfor %}"
)


def _slots() -> list[Slot]:
    starts = [
        datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),  # Stockholm springs forward at 01:00 UTC
        datetime.datetime(2026, 10, 25, 0, 0, tzinfo=UTC),  # and falls back at 01:00 UTC
        datetime.datetime(2026, 10, 25, 1, 0, tzinfo=UTC),
        datetime.datetime(2026, 11, 30, 7, 0, tzinfo=UTC),
        datetime.datetime(2027, 1, 1, 23, 45, tzinfo=UTC),
    ]
    return [Slot(start, start + datetime.timedelta(minutes=90)) for start in starts]


@pytest.mark.parametrize("language", ["sv", "en"])
@pytest.mark.parametrize("zone", ["Europe/Stockholm", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"])
@pytest.mark.parametrize(("prefix", "with_day"), [("start-", False), ("start-s-", True)])
def test_slot_radios_match_the_date_filter(language, zone, prefix, with_day):
    slots = _slots()
    selected = slots[2].start.isoformat()
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        expected = REFERENCE.render(
            Context({"slots": slots, "selected": selected, "prefix": prefix, "with_day": with_day})
        )
        assert slot_radios(slots, selected, id_prefix=prefix, with_day=with_day) == expected


def test_the_selected_slot_is_the_only_one_checked():
    slots = _slots()
    html = slot_radios(slots, slots[1].start.isoformat())
    assert html.count(" checked") == 1
    assert f'value="{slots[1].start.isoformat()}" checked' in html
