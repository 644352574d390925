from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "palier.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from palier.core import jobs
        from palier.reports import jobs as report_jobs

        jobs.register("reports.refresh", report_jobs.refresh_facts, every=30.0)
        jobs.register("reports.client_reports", report_jobs.send_client_reports, every=3600.0)
