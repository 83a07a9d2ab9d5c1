"""Template filters about client sponsors: `{% load sponsorship %}`."""

from django import template

from mentorship import access

register = template.Library()


@register.filter
def is_sponsor(user) -> bool:
    """Whether the user holds an active sponsor seat (one query; the nav asks only for people
    without another role)."""
    return access.is_sponsor(user)
