from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "palier.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge base")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.knowledge import index, similar

        jobs.register("knowledge.embed_articles", index.embed_pending, every=30.0)
        jobs.register("knowledge.embed_tickets", similar.embed_tickets, every=60.0)
