"""Reminder reports for consultancy admins: sent, failed and missed per day, the other emails
(the outbox) that failed or wait, and one engagement's plan."""

import datetime
import uuid

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import role_required
from accounts.models import Role
from core import outbox
from core.models import OutboxEmail, OutboxStatus
from mentorship import access as mentorship_access
from sessions.models import ReminderLog, ReminderStatus
from sessions.reminders import planned

DAYS = 30


@role_required(Role.CONSULTANCY_ADMIN)
def reminder_report(request: HttpRequest) -> HttpResponse:
    since = timezone.now() - datetime.timedelta(days=DAYS)
    per_day = (
        ReminderLog.objects.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(
            sent=Count("pk", filter=Q(status=ReminderStatus.SENT)),
            failed=Count("pk", filter=Q(status=ReminderStatus.FAILED)),
            skipped=Count("pk", filter=Q(status=ReminderStatus.SKIPPED)),
            missed=Count("pk", filter=Q(status=ReminderStatus.MISSED)),
            pending=Count("pk", filter=Q(status=ReminderStatus.SENDING)),
        )
        .order_by("-day")
    )
    failures = (
        ReminderLog.objects.filter(status__in=[ReminderStatus.FAILED, ReminderStatus.MISSED])
        .select_related("recipient", "engagement__mentee", "engagement__team")
        .order_by("-created_at")[:50]
    )
    emails = OutboxEmail.objects.filter(created_at__gte=since).aggregate(
        sent=Count("pk", filter=Q(status=OutboxStatus.SENT)),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
    )
    failed_emails = list(OutboxEmail.objects.filter(status=OutboxStatus.FAILED).order_by("-created_at")[:50])
    for email in failed_emails:
        email.label = outbox.label_of(email.sender)
    return render(
        request,
        "sessions/reminders/report.html",
        {
            "per_day": list(per_day),
            "failures": failures,
            "days": DAYS,
            "emails": emails,
            "failed_emails": failed_emails,
        },
    )


@role_required(Role.CONSULTANCY_ADMIN)
def engagement_reminders(request: HttpRequest, engagement_uuid: uuid.UUID) -> HttpResponse:
    engagement = mentorship_access.get_engagement_for_admin(request.user, engagement_uuid)
    history = engagement.reminders.select_related("recipient").order_by("-created_at")[:100]
    return render(
        request,
        "sessions/reminders/engagement.html",
        {"engagement": engagement, "planned": planned.upcoming_reminders(engagement), "history": history},
    )
