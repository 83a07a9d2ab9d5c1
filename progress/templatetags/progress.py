"""`{% progress_before_after engagement %}`: the before/after block (first check-in against the
latest) where a page above or beside this app shows an engagement — the review page in
`reporting`, which may not import this app; the tag reads only through `progress.access`."""

from django import template

from progress.plan.selectors import engagement_panel

register = template.Library()


@register.inclusion_tag("progress/_before_after_card.html", takes_context=True)
def progress_before_after(context, engagement):
    request = context.get("request")
    panel = engagement_panel(request.user, engagement) if request is not None else None
    return {"engagement": engagement, "panel": panel}
