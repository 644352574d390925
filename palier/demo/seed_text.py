"""Word pools for the bulk seeder: titles, descriptions, replies, handoffs, resolutions.

Everything is pre-built once into small lists so that the generator only picks.
Texts hold no tab, newline or backslash, so they pass through COPY unescaped.
"""

from __future__ import annotations

import json
import random

INCIDENT_TITLES = (
    "{x} not working", "{x} is very slow", "Cannot access {x}", "Error when opening {x}",
    "{x} keeps crashing", "{x} unavailable since this morning", "{x} stopped working after update",
    "Intermittent failures with {x}", "{x}: access denied", "{x} times out",
)
REQUEST_TITLES = (
    "Request: {x}", "Please set up {x}", "{x} for a new starter", "Need access: {x}",
    "Change request: {x}", "{x} for the team", "Question about {x}", "Remove access: {x}",
)
OPENINGS = (
    "Hello,", "Hi team,", "Good morning,", "Dear support,", "Hello support,", "Hi,",
)
PROBLEMS = (
    "since this morning {x} does not behave as expected.",
    "several colleagues report the same issue with {x}.",
    "I get an error message every time I try to use {x}.",
    "this started after yesterday's update of {x}.",
    "it is blocking my work on a customer deadline.",
    "I already restarted my computer, without result.",
    "could you please help me with {x} as soon as possible?",
    "my manager approved this request for {x}.",
)
CLOSINGS = ("Thanks.", "Thank you in advance.", "Regards.", "Best regards.", "Many thanks.")
AGENT_REPLIES = (
    "Thanks for reporting this, we are looking into it.",
    "Could you tell us when this last worked?",
    "We can reproduce the problem and are working on it.",
    "A colleague will contact you shortly.",
    "Could you send a screenshot of the error message?",
    "We applied a first fix; please try again and let us know.",
)
REQUESTER_REPLIES = (
    "Here is the screenshot you asked for.", "It happens on every attempt.",
    "It last worked on Friday.", "I tried again and it still fails.",
    "Yes, you can take control of my computer.", "Thanks, I will be available all afternoon.",
)
NOTES = (
    "Checked the monitoring: no global outage.", "Known issue on this model, see KB.",
    "User is a VIP, keep the manager informed.", "Same symptom as last week's tickets.",
    "Logs collected and attached to the ticket.", "Waiting for the maintenance window.",
)
WAITING_ON = (
    "Waiting for your confirmation that the problem is gone.",
    "Please send us the exact error message.", "Please tell us when you are available.",
    "Waiting for your manager's approval.",
)
SUMMARIES = (
    "L1 checks done, the fault persists and needs deeper investigation.",
    "Reproduced on two workstations; the root cause is on the server side.",
    "Standard procedure applied without success; needs admin rights.",
    "Configuration change required beyond the service desk's permissions.",
)
STEPS = (
    "Restarted the workstation; cleared the cache; reinstalled the client.",
    "Reset the password; checked group membership; tested from another device.",
    "Followed the KB procedure; verified connectivity; collected the logs.",
)
DIAGNOSTICS = (
    "Error 0x80070005 in the event log at each attempt.",
    "Timeouts in the client log; ping and DNS resolution are fine.",
    "Authentication succeeds, authorization fails for this profile.",
    "Service responds with HTTP 500 under normal load.",
)
ARTICLES = ("", "", "KB-0012", "KB-0147", "KB-0213, KB-0305")
RETURN_REASONS = (
    "The handoff lacks the error message; please complete the diagnostics.",
    "This can be solved at L1 with the KB procedure.",
    "Wrong group: please route to the application team.",
)
INSTRUCTIONS = (
    "Fix deployed; please confirm with the requester and close.",
    "Apply KB-0147 on the workstation and check with the user.",
    "Server side corrected; reinstall the client on the user's laptop.",
)
RESOLUTIONS = (
    "Password reset and account unlocked.", "Cache cleared and client reinstalled.",
    "Configuration corrected on the server.", "Access granted after manager approval.",
    "Hardware replaced.", "Known bug; workaround applied and explained to the user.",
    "Request fulfilled as asked.", "Network port reconfigured.",
)
REOPEN_REASONS = ("The problem is back.", "It worked for a day, then failed again.")
ALERT_REASONS = ("SLA at risk on a critical service.", "Customer escalated to management.")
WORK_NOTES = ("Diagnosis", "Remote session with the user", "Configuration", "Testing", "")
VENDORS = ("Microsoft", "Cisco", "Dell", "HP", "SAP", "Atlassian", "Salesforce")


def jstr(value: object) -> str:
    """JSON text as Django's JSONField writes it (non-ASCII kept, so no backslashes)."""
    return json.dumps(value, ensure_ascii=False)


class TextPools:
    """Pre-built texts per category and kind, picked by the generator."""

    def __init__(self, rng: random.Random, category_names: dict[int | None, str]) -> None:
        self._rng = rng
        self.titles: dict[tuple[int | None, str], list[str]] = {}
        self.descriptions: dict[int | None, list[str]] = {}
        for cat_id, name in category_names.items():
            self.titles[(cat_id, "incident")] = [t.format(x=name) for t in INCIDENT_TITLES]
            self.titles[(cat_id, "request")] = [t.format(x=name) for t in REQUEST_TITLES]
            self.descriptions[cat_id] = [self._description(name) for _ in range(12)]

    def _description(self, name: str) -> str:
        pick = self._rng.choice
        body = " ".join(p.format(x=name.lower()) for p in self._rng.sample(PROBLEMS, 2))
        return f"{pick(OPENINGS)} {body[0].upper()}{body[1:]} {pick(CLOSINGS)}"

    @staticmethod
    def handoff_value(field: str, n: int) -> str:
        """A plausible value for a category's required handoff field."""
        key = field.lower()
        if "host" in key or "device" in key or "asset" in key:
            return f"LAP-{n % 10000:04d}"
        if "error" in key or "code" in key:
            return f"0x{(n * 2654435761) % 0xFFFFFFFF:08X}"
        if "user" in key or "account" in key:
            return f"user{n % 5000:04d}"
        return f"{field.replace('_', ' ')} #{n % 1000}"
