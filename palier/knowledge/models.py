"""Knowledge articles, their versions, uses and votes, and the search index's rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public (portal)")
    INTERNAL = "internal", _("Internal (desk)")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class Language(models.TextChoices):
    EN = "en", _("English")
    FR = "fr", _("French")


class Article(models.Model):
    """A procedure or solution, public (portal) or internal from a lowest level up."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body (Markdown)"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices,
                                default=Audience.INTERNAL)
    min_level = models.ForeignKey(
        "accounts.Level", verbose_name=_("lowest level allowed"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text=_("Internal articles: the lowest support level that may use it."))
    client = models.ForeignKey(
        "clients.Client", verbose_name=_("client"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="articles",
        help_text=_("Empty: shared by every client."))
    category = models.ForeignKey("tickets.Category", verbose_name=_("category"), null=True,
                                 blank=True, on_delete=models.SET_NULL, related_name="articles")
    tags = models.JSONField(_("tags"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices,
                                default=Language.EN)
    status = models.CharField(_("status"), max_length=10, choices=ArticleStatus.choices,
                              default=ArticleStatus.DRAFT)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("owner"),
                              on_delete=models.PROTECT, related_name="+")
    review_by = models.DateField(_("review by"), null=True, blank=True)
    source_ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("written from ticket"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"))
    updated_at = models.DateTimeField(_("updated"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("reviewer"),
                                     null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    use_count = models.PositiveIntegerField(_("uses"), default=0)
    helpful_count = models.PositiveIntegerField(_("helpful votes"), default=0)
    unhelpful_count = models.PositiveIntegerField(_("unhelpful votes"), default=0)

    class Meta:
        ordering = ["title", "id"]
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        indexes = [models.Index(fields=["status", "review_by"], name="article_review")]

    def __str__(self) -> str:
        return self.title


class ArticleVersion(models.Model):
    """The article as it was saved, one row per version (append-only)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    note = models.CharField(_("change note"), max_length=300, blank=True)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("saved"))

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [models.UniqueConstraint(fields=["article", "number"],
                                               name="one_row_per_article_version")]

    def __str__(self) -> str:
        return f"{self.article_id} v{self.number}"


class UseKind(models.TextChoices):
    LINKED = "linked", _("Used on a ticket")
    RESOLVED = "resolved", _("Resolved a ticket")
    DEFLECTED = "deflected", _("Solved a requester's problem without a ticket")
    CLOSED = "closed", _("Solved a requester's open ticket")


class ArticleUse(models.Model):
    """One use of an article: what happened, on which ticket, at which level."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(_("kind"), max_length=10, choices=UseKind.choices)
    ticket = models.ForeignKey("tickets.Ticket", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    level = models.ForeignKey("accounts.Level", null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    text = models.TextField(_("what the requester typed"), blank=True)
    created_at = models.DateTimeField(_("time"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("article use")
        verbose_name_plural = _("article uses")
        indexes = [models.Index(fields=["article", "kind"], name="article_use_kind")]

    def __str__(self) -> str:
        return f"{self.article_id} {self.kind}"


class ArticleVote(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    helpful = models.BooleanField(_("helpful"))
    created_at = models.DateTimeField(_("voted"))

    class Meta:
        verbose_name = _("article vote")
        verbose_name_plural = _("article votes")
        constraints = [models.UniqueConstraint(fields=["article", "voter"],
                                               name="one_vote_per_person")]

    def __str__(self) -> str:
        return f"{self.article_id} {'+' if self.helpful else '-'}"


class SearchDocument(models.Model):
    """An article's row in the search index: its stems, its embedding and the index
    generation (each process ranks them in memory: ``fulltext``, ``index.semantic``)."""

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE,
                                   related_name="search_document")
    generation = models.PositiveBigIntegerField(default=0, db_index=True)
    plain = models.TextField(blank=True)  # the body as words, for snippets
    terms = models.TextField(blank=True)  # stems of title ⇥ tags ⇥ body (lexical.document_terms)
    text_hash = models.CharField(max_length=64, blank=True)
    model = models.CharField(max_length=100, blank=True)
    vector = models.BinaryField(null=True, blank=True)

    def __str__(self) -> str:
        return f"article {self.article_id} @ {self.generation}"


class TicketVector(models.Model):
    """A resolved ticket's embedding, for "similar resolved tickets" suggestions."""

    ticket = models.OneToOneField("tickets.Ticket", primary_key=True, on_delete=models.CASCADE,
                                  related_name="+")
    model = models.CharField(max_length=100)
    vector = models.BinaryField()

    def __str__(self) -> str:
        return f"ticket {self.ticket_id}"


class IndexState(models.Model):
    """One row: the search index's generation, bumped by every change so that each process
    refreshes its in-memory vectors."""

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"generation {self.generation}"
