from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.timezones import validate_time_zone


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser needs is_staff and is_superuser")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class Role(models.TextChoices):
    MENTEE = "mentee", _("Mentee")
    MENTOR = "mentor", _("Mentor")
    CONSULTANCY_ADMIN = "consultancy_admin", _("Consultancy admin")


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their email address.

    One person may hold several roles (a mentor who is also a consultancy admin), so roles are
    independent flags rather than one field.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm", validators=[validate_time_zone]
    )
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.SWEDISH)

    is_mentee = models.BooleanField(_("mentee"), default=False)
    is_mentor = models.BooleanField(_("mentor"), default=False)
    is_consultancy_admin = models.BooleanField(_("consultancy admin"), default=False)

    # Which optional emails the person wants. Session bookings, moves and cancellations always go out.
    email_session_reminders = models.BooleanField(_("reminders before my sessions"), default=True)
    email_booking_nudges = models.BooleanField(_("a nudge when it is time to book the next session"), default=True)
    email_notes_nudges = models.BooleanField(_("a nudge to write notes after a session (mentors)"), default=True)
    email_engagement_updates = models.BooleanField(
        _("news about my mentorship: monthly rhythm, review before the planned end"), default=True
    )

    is_staff = models.BooleanField(
        _("staff status"), default=False, help_text=_("Can log in to the Django admin (operations).")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(condition=models.Q(language__in=["sv", "en"]), name="accounts_user_language_valid"),
        ]
        indexes = [
            # The active mentors (utilisation, matching) without reading every user.
            models.Index(
                fields=["full_name", "id"],
                condition=models.Q(is_mentor=True, is_active=True),
                name="user_active_mentor_idx",
            ),
            # The consultancy's admins (reminders, alerts) without reading every user.
            models.Index(fields=["id"], condition=models.Q(is_consultancy_admin=True), name="user_admin_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def clean(self) -> None:
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def roles(self) -> list[str]:
        """The person's roles, in a fixed order: mentee, mentor, consultancy admin."""
        flags = {
            Role.MENTEE: self.is_mentee,
            Role.MENTOR: self.is_mentor,
            Role.CONSULTANCY_ADMIN: self.is_consultancy_admin,
        }
        return [role for role, held in flags.items() if held]

    @property
    def role_labels(self) -> list[str]:
        return [Role(role).label for role in self.roles]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def add_role(self, role: str) -> None:
        setattr(self, _ROLE_FIELDS[Role(role)], True)

    def remove_role(self, role: str) -> None:
        setattr(self, _ROLE_FIELDS[Role(role)], False)


_ROLE_FIELDS = {
    Role.MENTEE: "is_mentee",
    Role.MENTOR: "is_mentor",
    Role.CONSULTANCY_ADMIN: "is_consultancy_admin",
}


class DeletionRequest(models.Model):
    """A person asks for their data to be deleted; a consultancy admin completes it."""

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="deletion_requests", verbose_name=_("person")
    )
    email = models.EmailField(_("email address"))
    full_name = models.CharField(_("name"), max_length=150, blank=True)
    reason = models.TextField(_("anything we should know? (optional)"), max_length=2000, blank=True)
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("deletion request")
        verbose_name_plural = _("deletion requests")
        ordering = ["completed_at", "-requested_at"]
        constraints = [
            models.UniqueConstraint(
                "user", condition=models.Q(completed_at__isnull=True), name="accounts_one_open_deletion_request"
            )
        ]

    def __str__(self) -> str:
        return self.email
