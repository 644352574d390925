"""People and the support structure: users, support levels, groups, agents, skills."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils.translation import gettext_lazy as _

from palier.accounts.managers import UserManager


class Role(models.TextChoices):
    REQUESTER = "requester", _("Requester")
    AGENT = "agent", _("Agent")
    MANAGER = "manager", _("Manager")
    ADMIN = "admin", _("Administrator")


class User(AbstractBaseUser, PermissionsMixin):
    """Anyone who signs in: requesters, agents, managers and administrators."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices,
                            default=Role.REQUESTER)
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="people",
        help_text=_("The company or department a requester belongs to."),
    )
    is_client_manager = models.BooleanField(
        _("client manager"), default=False,
        help_text=_("A requester who sees every ticket of their client."),
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES,
                                default="en")
    timezone = models.CharField(_("timezone"), max_length=64, default="UTC")
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("admin site access"), default=False)
    date_joined = models.DateTimeField(_("joined"), auto_now_add=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_requester(self) -> bool:
        return self.role == Role.REQUESTER

    @property
    def is_desk_staff(self) -> bool:
        return self.role in (Role.AGENT, Role.MANAGER, Role.ADMIN)

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)


class Level(models.Model):
    """A support level (L1 service desk, L2 technical support, L3 experts, …), ordered by rank."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    rank = models.PositiveSmallIntegerField(_("rank"), unique=True)

    class Meta:
        ordering = ["rank"]
        verbose_name = _("support level")
        verbose_name_plural = _("support levels")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class Group(models.Model):
    """A support group: a team working at one level."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    level = models.ForeignKey(Level, verbose_name=_("level"), on_delete=models.PROTECT,
                              related_name="groups")
    email = models.EmailField(_("e-mail"), blank=True)
    auto_assign = models.BooleanField(
        _("automatic assignment"), default=False,
        help_text=_("New tickets go to the least-loaded available agent with the skill."),
    )

    class Meta:
        ordering = ["level__rank", "name"]
        verbose_name = _("support group")
        verbose_name_plural = _("support groups")

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("skill")
        verbose_name_plural = _("skills")

    def __str__(self) -> str:
        return self.name


class Agent(models.Model):
    """The desk side of a staff user: groups, skills, cost and the clients served."""

    user = models.OneToOneField(User, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="agent")
    groups = models.ManyToManyField(Group, verbose_name=_("groups"), related_name="agents",
                                    blank=True)
    skills = models.ManyToManyField(Skill, verbose_name=_("skills"), related_name="agents",
                                    blank=True)
    clients = models.ManyToManyField("clients.Client", verbose_name=_("clients served"),
                                     related_name="agents", blank=True)
    hourly_cost = models.DecimalField(_("hourly cost"), max_digits=8, decimal_places=2,
                                      default=0)
    is_available = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return str(self.user)


class ApiToken(models.Model):
    """A personal API token. Only its hash is stored; the secret is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
