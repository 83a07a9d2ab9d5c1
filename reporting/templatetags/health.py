"""Template filters for the health pages: `{% load health %}`."""

from django import template

from reporting.charts import format_value

register = template.Library()


@register.filter
def percent(share: float | None) -> str:
    """A share (0.0–1.0) as a whole percentage in the active language; "—" for None."""
    return format_value(share, "percent")
