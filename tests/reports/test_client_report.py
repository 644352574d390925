"""The monthly client report: figures, HTML/PDF in the client's language, CLI, e-mail."""

from __future__ import annotations

import datetime as dt
import shutil
import socket
import subprocess

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from palier.reports import client_report
from palier.reports.client_report import Month
from palier.reports.models import ReportDelivery

needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="pdftotext (poppler-utils) is not installed")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_report_figures_count_the_clients_month_only(history, desk):
    data = client_report.report_data(desk.a.client, Month.parse("2026-03"))
    assert data["volume"] == 5 and data["resolved"] == 4
    assert data["fcr_rate"] == 0.25 and data["escalation_rate"] == 0.6
    assert [m["volume"] for m in data["trend"]] == [0, 0, 0, 0, 0, 5]
    assert data["top_categories"][0]["volume"] == 5
    empty = client_report.report_data(desk.a.client, Month.parse("2026-04"))
    assert empty["volume"] == 0 and empty["trend"][-2]["volume"] == 5


@pytest.mark.slow
@needs_poppler
def test_pdf_is_rendered_in_english_with_its_figures(history, desk, tmp_path):
    text = pdf_text(client_report.render_pdf(desk.a.client, Month.parse("2026-03")), tmp_path)
    assert "Service report · Acme Logistics" in text
    assert "Month 2026-03" in text
    assert "Tickets opened" in text and "Resolved at first contact" in text
    assert "25 %" in text  # FCR 1 of 4 resolved
    assert "Network > VPN" in text


@pytest.mark.slow
@needs_poppler
def test_pdf_is_rendered_in_the_clients_language(history, desk, tmp_path):
    text = pdf_text(client_report.render_pdf(desk.b.client, Month.parse("2026-03")), tmp_path)
    assert "Rapport de service · Bistrot Durand" in text
    assert "Résolus au premier contact" in text and "Service report" not in text


def test_command_writes_html_and_refuses_bad_input(history, desk, tmp_path):
    out = tmp_path / "r.html"
    call_command("report", "client", "acme", "--month", "2026-03", "--format", "html",
                 "--output", str(out))
    assert "Acme Logistics" in out.read_text()
    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("report", "client", "acme", "--month", "March")
    with pytest.raises(CommandError, match="not found"):
        call_command("report", "client", "nobody", "--month", "2026-03")


@pytest.mark.slow
def test_worker_mails_last_months_pdf_once_per_client(history, desk, time_machine):
    time_machine.move_to(dt.datetime(2026, 4, 2, 6, 0, tzinfo=dt.UTC), tick=False)
    assert client_report.send_due_reports() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["boss-a@example.test", "boss-b@example.test"]
    french = next(m for m in mail.outbox if m.to == ["boss-b@example.test"])
    assert french.subject == "Rapport de service 2026-03 · Bistrot Durand"
    name, content, kind = french.attachments[0]
    assert name.endswith(".pdf") and kind == "application/pdf" and content.startswith(b"%PDF")
    assert client_report.send_due_reports() == 0 and len(mail.outbox) == 2
    assert ReportDelivery.objects.count() == 2


def test_a_failed_send_is_retried_later(history, desk, time_machine, monkeypatch):
    time_machine.move_to(dt.datetime(2026, 4, 2, 6, 0, tzinfo=dt.UTC), tick=False)

    def broken(*args, **kwargs):
        raise OSError("SMTP down")

    monkeypatch.setattr(client_report, "send_report", broken)
    assert client_report.send_due_reports() == 0
    assert ReportDelivery.objects.count() == 0


def test_an_unreachable_mail_server_costs_no_render(history, desk, time_machine, monkeypatch,
                                                   settings):
    """While the SMTP server is down, a round tries to connect once and renders nothing."""
    time_machine.move_to(dt.datetime(2026, 4, 2, 6, 0, tzinfo=dt.UTC), tick=False)
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_TIMEOUT = "127.0.0.1", 2
    renders = []
    monkeypatch.setattr(client_report, "render_pdf", lambda *a: renders.append(a) or b"%PDF")
    assert client_report.send_due_reports() == 0
    assert renders == [] and ReportDelivery.objects.count() == 0


def test_month_arithmetic():
    assert str(Month.parse("2026-01").shift(-1)) == "2025-12"
    assert str(Month.parse("2026-12").shift(1)) == "2027-01"
