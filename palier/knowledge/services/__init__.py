"""Knowledge write services: every surface (API, console, portal, CLI) calls these.

Articles: ``create_article``, ``edit_article`` (a new version), ``draft_from_ticket``, the
workflow ``submit_for_review`` → ``publish`` → ``retire`` (and ``return_to_draft``). The
feedback loop: ``resolve_with_article``, ``deflect``, ``vote``, ``record_use``.
"""

from palier.knowledge.services.articles import (
    create_article,
    draft_from_ticket,
    edit_article,
    publish,
    retire,
    return_to_draft,
    submit_for_review,
)
from palier.knowledge.services.feedback import deflect, record_use, resolve_with_article, vote

__all__ = [
    "create_article", "deflect", "draft_from_ticket", "edit_article", "publish", "record_use",
    "resolve_with_article", "retire", "return_to_draft", "submit_for_review", "vote",
]
