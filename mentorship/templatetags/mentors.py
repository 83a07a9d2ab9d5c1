"""Template filters for mentor profiles: `{% load mentors %}`."""

from collections.abc import Iterable

from django import template

from mentorship.matching.scoring import language_name

register = template.Library()


@register.filter
def language_names(codes: Iterable[str]) -> str:
    """Language codes as names in the active language: ["sv", "en"] → "Swedish, English"."""
    return ", ".join(language_name(code) for code in codes or ())
