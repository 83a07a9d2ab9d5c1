"""`slot_radios`: the booking picker's free times as labelled radio buttons, built in one pass.

A mentor's calendar offers hundreds of slots. Rendered slot by slot in the template (a dozen
variable lookups and four `|date` filters each) they took most of the booking page's time; here
each slot costs two time-zone conversions and one string.
"""

from collections.abc import Iterable

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sessions.booking.slots import Slot

register = template.Library()


@register.simple_tag
def slot_radios(
    slots: Iterable[Slot], selected: str = "", id_prefix: str = "start-", with_day: bool = False
) -> SafeString:
    """`<li>` items for a slot-options list: per slot a radio named "start" whose value is the
    UTC ISO start (what the form posts) and whose id ends in the Unix start time, labelled with
    the local "HH:MM–HH:MM" in the active time zone, the text `|date:"H:i"` gives. With
    `with_day` the label starts with the localised day, as `|date:"l j F, H:i"`: for the few
    suggested times. The radio whose value is `selected` (the posted start) is checked.
    """
    zone = timezone.get_current_timezone()
    id_prefix = escape(id_prefix)
    items = []
    for slot in slots:
        start = slot.start.astimezone(zone)
        end = slot.end.astimezone(zone)
        value = slot.start.isoformat()
        # Hours and minutes read the same in every language (00–23, zero-padded) as `|date:"H:i"`
        # gives them, and far cheaper than strftime; the id and value are digits and an ISO
        # timestamp. Only day and month names need escaping.
        end_time = f"{end.hour:02d}:{end.minute:02d}"
        if with_day:
            label = f"{escape(date_format(start, 'l j F, H:i'))}–{end_time}"
        else:
            label = f"{start.hour:02d}:{start.minute:02d}–{end_time}"
        checked = " checked" if value == selected else ""
        radio_id = f"{id_prefix}{int(slot.start.timestamp())}"
        items.append(
            f'<li><input type="radio" name="start" id="{radio_id}" value="{value}"{checked} required>'
            f' <label for="{radio_id}">{label}</label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every part above is escaped or digits only


@register.simple_tag
def slot_chips(slots: Iterable[Slot], day_label: str, selected: str = "") -> SafeString:
    """`<li>` chips for one day of the week view: per slot a radio named "start" (as
    `slot_radios`) shown as "HH:MM", whose accessible name is the full time, "`day_label`,
    HH:MM–HH:MM" (the day's label is formatted once by the caller, not per slot)."""
    zone = timezone.get_current_timezone()
    day_label = escape(day_label)
    items = []
    for slot in slots:
        start = slot.start.astimezone(zone)
        end = slot.end.astimezone(zone)
        value = slot.start.isoformat()
        start_time = f"{start.hour:02d}:{start.minute:02d}"
        full = f"{day_label}, {start_time}–{end.hour:02d}:{end.minute:02d}"
        checked = " checked" if value == selected else ""
        radio_id = f"chip-{int(slot.start.timestamp())}"
        items.append(
            f'<li class="chip"><input type="radio" name="start" id="{radio_id}" value="{value}"{checked} required'
            f' aria-label="{full}"><label for="{radio_id}" title="{full}">{start_time}</label></li>'
        )
    return mark_safe("\n".join(items))  # noqa: S308 - every part above is escaped or digits only
