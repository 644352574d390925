"""The acceptance journey, in English and in French, in a real browser.

1. a requester opens a ticket in the portal; a suggested article shows, but they go on;
2. L1 takes it and escalates with an incomplete handoff: the form says what is missing;
3. L1 completes the handoff and escalates; 4. L2 returns it with a reason;
5. L1 adds the diagnostics and escalates again; 6. L2 accepts, resolves, makes an article;
7. the requester rates the resolution. Screenshots go to test-artifacts/browser/.
In French, no page shows an English string of the catalog.
"""

from __future__ import annotations

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext as _

from palier.knowledge import services as kb
from tests.browser.catalog import english_strings, untranslated

pytestmark = pytest.mark.slow
LOCALES = {"en": "en-US", "fr": "fr-FR"}


@pytest.fixture
def journey_desk(desk, settings):
    settings.PALIER_KB_MODEL = "off"
    manager = desk.a.manager
    article = kb.create_article(
        manager, title="VPN keeps disconnecting",
        body="If the VPN drops every few minutes, restart the VPN client and renew the "
             "certificate.", audience="public")
    kb.submit_for_review(manager, article.pk)
    kb.publish(manager, article.pk)
    return desk


class Actor:
    """One person's browser context, signed in."""

    def __init__(self, chromium, server: str, email: str, language: str, shots, english):
        self.context = chromium.new_context(locale=LOCALES[language],
                                            viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.server, self.language, self.shots, self.english = server, language, shots, english
        self.page.goto(f"{server}/login/")
        self.page.fill("#id_username", email)
        self.page.fill("#id_password", "secret")
        self.page.click("button[type=submit]")
        self.page.wait_for_load_state()

    def go(self, path: str) -> None:
        self.page.goto(f"{self.server}{path}")

    def shot(self, name: str) -> None:
        self.page.screenshot(path=str(self.shots / f"{name}.png"), full_page=True)
        if self.language == "fr":
            assert untranslated(self.page, self.english) == [], name

    def sees(self, text: str, selector: str = "main") -> None:
        assert text in self.page.inner_text(selector), (text, self.page.url)

    def submit(self, panel_id: str, fields: dict[str, str], button: str) -> None:
        """Open an action panel, fill it, and press its button."""
        panel = self.page.locator(f"#panel-{panel_id}")
        if panel.get_attribute("open") is None:
            panel.locator("summary").click()
        for label, value in fields.items():
            panel.get_by_label(label, exact=True).fill(value)
        panel.get_by_role("button", name=button, exact=True).click()
        self.page.wait_for_load_state()


@pytest.mark.parametrize("language", ["en", "fr"])
def test_acceptance_journey(journey_desk, live_server, chromium, artifacts, language):
    desk = journey_desk
    english = english_strings() if language == "fr" else set()
    with translation.override(language):
        t = {key: _(key) for key in _TEXTS}

    def actor(user):
        return Actor(chromium, live_server.url, user.email, language, artifacts, english)

    # 1. The requester types; the article is suggested; they open the ticket anyway.
    requester = actor(desk.a.requester)
    requester.go("/portal/new/")
    requester.page.fill("#id_title", "VPN drops every ten minutes")
    requester.page.fill("#id_description", "The VPN keeps disconnecting since this morning.")
    requester.page.locator("#suggestions").get_by_text("VPN keeps disconnecting").wait_for()
    requester.sees(t["This solved my problem"], "#suggestions")
    requester.page.select_option("#id_category", label="Network > VPN")
    requester.shot("1-portal-suggestion")
    requester.page.get_by_role("button", name=t["Open the ticket"]).click()
    requester.page.wait_for_url(re.compile(r"/portal/tickets/\d+/$"))
    ticket_id = int(requester.page.url.rstrip("/").rsplit("/", 1)[1])
    requester.sees(t["New"], "#status")
    requester.shot("1-portal-ticket-opened")

    # 2. L1 takes it and escalates with an incomplete handoff.
    l1 = actor(desk.a.l1)
    l1.go("/console/queues/level/")
    l1.page.get_by_role("link", name=re.compile(r"INC-\d+")).first.click()
    l1.page.get_by_role("button", name=t["Take"], exact=True).click()
    l1.page.wait_for_load_state()
    l1.sees(t["You took the ticket."])
    l1.submit("escalate", {t["Summary"]: "VPN tunnel drops every ten minutes."},
              t["Escalate with this handoff"])
    l1.sees(t["Steps tried"], ".messages")
    l1.sees("Affected host", ".messages")
    assert l1.page.locator("#panel-escalate .field-error").count() == 4
    l1.shot("2-console-incomplete-handoff")

    # 3. L1 completes the handoff (except the diagnostics' detail L2 will ask for).
    l1.submit("escalate", {t["Steps tried"]: "Restarted the client; renewed the lease.",
                              t["Diagnostics"]: "Drops happen on Wi-Fi and cable.",
                              "Affected host": "LT-0042", "Error message": "TLS timeout"},
              t["Escalate with this handoff"])
    l1.sees(t["Ticket escalated."])
    l1.sees(t["Escalated, awaiting acceptance"], "#status")
    l1.shot("3-console-escalated")

    # 4. L2 reads the handoff on top and returns it with a reason.
    l2 = actor(desk.a.l2)
    l2.go(f"/console/tickets/{ticket_id}/")
    l2.sees("VPN tunnel drops every ten minutes.", ".handoff")
    l2.submit("return", {t["Reason"]: "Attach the VPN client log, please."},
              t["Return"])
    l2.sees(t["Escalation returned."])
    l2.sees(t["Escalation returned"], ".timeline")
    l2.shot("4-console-returned")

    # 5. L1 sees the reason, adds the diagnostics and escalates again.
    l1.go(f"/console/tickets/{ticket_id}/")
    l1.sees("Attach the VPN client log, please.", ".handoff")
    l1.submit("escalate", {t["Summary"]: "VPN tunnel drops; log attached to the notes.",
                              t["Steps tried"]: "Restarted the client; renewed the lease.",
                              t["Diagnostics"]: "Client log: IKE rekey fails every 600 s.",
                              "Affected host": "LT-0042", "Error message": "TLS timeout"},
              t["Escalate with this handoff"])
    l1.sees(t["Ticket escalated."])
    l1.shot("5-console-escalated-again")

    # 6. L2 accepts, resolves, and makes an article.
    l2.go(f"/console/tickets/{ticket_id}/")
    l2.sees("IKE rekey fails every 600 s.", ".handoff")
    l2.page.get_by_role("button", name=t["Accept the escalation"]).click()
    l2.page.wait_for_load_state()
    l2.sees(t["Escalation accepted."])
    l2.submit("resolve", {t["Resolution"]: "Raised the IKE lifetime on the gateway."},
              t["Resolve"])
    l2.sees(t["Resolved"], "#status")
    l2.page.get_by_role("button", name=t["Make an article"]).click()
    l2.page.wait_for_url(re.compile(r"/console/kb/\d+/$"))
    l2.sees(t["Draft"], "#article-status")
    l2.sees("Raised the IKE lifetime on the gateway.", "article")
    l2.shot("6-console-article-draft")

    # 7. The requester rates the resolution.
    requester.go(f"/portal/tickets/{ticket_id}/")
    requester.sees("Raised the IKE lifetime on the gateway.")
    requester.page.get_by_label("5", exact=True).check()
    requester.page.fill("#id_comment", "Quick and clear, thank you.")
    requester.page.get_by_role("button", name=t["Send my rating"]).click()
    requester.page.wait_for_load_state()
    requester.sees(t["Thank you for your rating."])
    assert "5/5" in requester.page.inner_text("#rated")
    requester.shot("7-portal-rated")

    # 8. A colleague calls L1: the agent records the call, sees the article, opens it anyway.
    l1.go("/console/tickets/new/")
    l1.page.select_option("#id_client", label=desk.a.client.name)
    l1.page.locator("#id_requester_email").press_sequentially("colleague")
    l1.page.locator(f'#requester-options option[value="{desk.a.colleague.email}"]').wait_for(
        state="attached")
    l1.page.fill("#id_requester_email", desk.a.colleague.email)
    l1.page.fill("#id_title", "VPN keeps disconnecting at home")
    l1.page.locator("#suggestions").get_by_text("VPN keeps disconnecting").first.wait_for()
    l1.shot("8-console-new-ticket")
    l1.page.get_by_role("button", name=t["Record the ticket"]).click()
    l1.page.wait_for_url(re.compile(r"/console/tickets/\d+/$"))
    l1.sees("VPN keeps disconnecting at home", "h1")
    l1.shot("8-console-call-recorded")
    for person in (requester, l1, l2):
        person.context.close()


_TEXTS = [
    "This solved my problem", "Open the ticket", "New", "Take", "You took the ticket.",
    "Escalate", "Summary", "Escalate with this handoff", "Steps tried", "Diagnostics",
    "Ticket escalated.", "Escalated, awaiting acceptance", "Return the escalation", "Reason",
    "Return", "Escalation returned.", "Escalation returned", "Accept the escalation",
    "Escalation accepted.", "Resolve", "Resolution", "Resolved", "Make an article", "Draft",
    "Send my rating", "Thank you for your rating.", "Record the ticket",
]
