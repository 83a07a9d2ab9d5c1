"""One way to send an email: rendered from templates in the recipient's language and time zone.

Each email kind has three templates in templates/emails/: `<kind>_subject.txt`, `<kind>.txt` and
`<kind>.html` (the HTML one extends emails/base.html). Tasks call `send_templated_email` with IDs
they have re-read; views never send directly but queue a task with `enqueue_on_commit`.
"""

import logging
import zoneinfo
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A full link for emails, from SITE_URL (emails have no request to build it from)."""
    return settings.SITE_URL + path


def send_templated_email(
    *,
    to: Sequence[str],
    template: str,
    context: dict,
    language: str = "sv",
    time_zone: str | None = None,
    reply_to: Sequence[str] | None = None,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
) -> None:
    zone = zoneinfo.ZoneInfo(time_zone or settings.DEFAULT_USER_TIME_ZONE)
    context = {"site_url": settings.SITE_URL, "LANGUAGE_CODE": language, **context}
    with translation.override(language), timezone.override(zone):
        subject = " ".join(render_to_string(f"emails/{template}_subject.txt", context).split())
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=list(to),
        reply_to=list(reply_to or []),
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    message.send()
    logger.info("Sent email %s to %d recipient(s)", template, len(message.to))
