import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time a background process proved it was alive.

    Celery beat schedules `record_heartbeat`; a worker runs it. Admins see the time on their
    home page, so a stopped worker (and with it every reminder) is noticed.
    """

    name = models.CharField(_("name"), max_length=64, unique=True)
    last_seen = models.DateTimeField(_("last seen"), default=timezone.now)
    beats = models.PositiveBigIntegerField(_("beats"), default=0)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A client company of the consultancy. Its people never see another organisation's data."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    city = models.CharField(_("city or region"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("client organisation")
        verbose_name_plural = _("client organisations")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="mentorship_organisation_name_ci_unique")]

    def __str__(self) -> str:
        return self.name


class OrganisationMember(models.Model):
    """A person at a client organisation. A person belongs to at most one organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="organisation_membership"
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation member")
        verbose_name_plural = _("organisation members")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"


class LeadershipTeam(models.Model):
    """A client's leadership team ("ledningsgrupp"), mentored as a whole in a team engagement."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("leadership team")
        verbose_name_plural = _("leadership teams")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint("organisation", Lower("name"), name="mentorship_team_name_ci_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(LeadershipTeam, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    title = models.CharField(_("title"), max_length=150, blank=True)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["team", "user__full_name"]
        constraints = [models.UniqueConstraint("team", "user", name="mentorship_team_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"
