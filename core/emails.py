"""One way to send an email: rendered from templates in the recipient's language and time zone.

Each email kind has three templates in templates/emails/: `<kind>_subject.txt`, `<kind>.txt` and
`<kind>.html` (the HTML one extends emails/base.html). Senders build the email with
`render_templated_email` from IDs they have re-read, and send it with `send_then_record`, which
records it sent in the same breath (see core.claims). Views and services never send directly:
they record an outbox email (core.outbox) in their transaction.
"""

import hashlib
import logging
import smtplib
import zoneinfo
from collections.abc import Callable, Sequence
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

logger = logging.getLogger(__name__)

# Errors that mean "the email did not go out, try again later".
TEMPORARY_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


def is_temporary(error: BaseException) -> bool:
    if isinstance(error, TEMPORARY_ERRORS):
        return True
    # 4xx replies are "try again later"; 5xx are final.
    return isinstance(error, smtplib.SMTPResponseException) and 400 <= error.smtp_code < 500


def absolute_url(path: str) -> str:
    """A full link for emails, from SITE_URL (emails have no request to build it from)."""
    return settings.SITE_URL + path


def render_templated_email(
    *,
    to: Sequence[str],
    template: str,
    context: dict,
    language: str = "sv",
    time_zone: str | None = None,
    reply_to: Sequence[str] | None = None,
    attachments: Sequence[tuple[str, bytes | str, str]] = (),
    headers: dict[str, str] | None = None,
) -> EmailMultiAlternatives:
    """The email `template` in `language` and `time_zone`, ready to send."""
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
    return message


def message_id(namespace: str, key: str) -> str:
    """The same Message-ID for every attempt at one email, on every worker: should the email go out
    twice (see core.claims), mail systems and clients can tell the copies are one message."""
    digest = hashlib.sha256(f"{namespace}\0{key}".encode()).hexdigest()[:32]
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{namespace}.{digest}@{domain}>"


class NotRecorded(Exception):
    """The SMTP server accepted the email but recording it failed: the one window in which an
    email can go out twice (see core.claims). Not a reason to retry at once."""


def send_then_record(message: EmailMessage, record: Callable[[], object]) -> None:
    """Send one email and record it as sent, with nothing in between but the SMTP server's
    reply: the connection is opened first and closed (QUIT) only after `record` has committed.
    A send error propagates untouched (nothing was recorded); a failure to record after the
    server accepted the email raises NotRecorded."""
    connection = message.connection = get_connection()
    connection.open()
    try:
        message.send()  # returns once the server has accepted the message; the connection stays open
    except Exception:
        _close_quietly(connection)
        raise
    try:
        with transaction.atomic():
            record()
    except Exception as error:
        logger.error(
            "Email %s was accepted by the SMTP server but not recorded as sent", message.extra_headers.get("Message-ID")
        )
        raise NotRecorded(str(error)) from error
    finally:
        _close_quietly(connection)
    logger.info("Sent email %s to %d recipient(s)", message.extra_headers.get("Message-ID", ""), len(message.to))


def _close_quietly(connection) -> None:
    # The email is sent (or failed) and its outcome recorded: a failing QUIT changes neither.
    try:
        connection.close()
    except Exception:
        logger.warning("Closing the SMTP connection failed", exc_info=True)
