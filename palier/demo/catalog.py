"""The demo desk's fixed data: clients, contracts, groups, agents, skills, the category tree
and the intake rules. Ticket texts live in ``texts_en``/``texts_fr``; per-client vocabulary
(sites, hosts, applications) in ``vocabulary``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PASSWORD = "demo"
DESK_DOMAIN = "demo.palier.test"


@dataclass(frozen=True)
class ClientSpec:
    code: str
    name: str
    language: str
    timezone: str
    domain: str
    contract: str
    levels: tuple[str, ...]
    response: dict[str, int]
    resolution: dict[str, int]
    requester: str  # the fixed login, e.g. requester1@demo.palier.test
    requester_name: str
    focus: dict[str, float] = field(default_factory=dict)  # leaf key → weight multiplier


CLIENTS: tuple[ClientSpec, ...] = (
    ClientSpec(
        code="harbourline", name="Harbourline Logistics", language="en",
        timezone="Europe/London", domain="harbourline-logistics.example",
        contract="Managed Service Gold", levels=("L1", "L2", "L3"),
        response={"P1": 15, "P2": 30, "P3": 120, "P4": 480},
        resolution={"P1": 240, "P2": 480, "P3": 1440, "P4": 4320},
        requester=f"requester1@{DESK_DOMAIN}", requester_name="Gemma Holloway",
        focus={"apps/warehouse": 4.0, "printing/labels": 3.0, "hardware/mobile": 1.5,
               "apps/pos": 0.0, "apps/case": 0.0},
    ),
    ClientSpec(
        code="vernet", name="Boulangeries Maison Vernet", language="fr",
        timezone="Europe/Paris", domain="maison-vernet.example",
        contract="Infogérance Premium", levels=("L1", "L2", "L3"),
        response={"P1": 15, "P2": 60, "P3": 240, "P4": 480},
        resolution={"P1": 240, "P2": 720, "P3": 1440, "P4": 2880},
        requester=f"requester2@{DESK_DOMAIN}", requester_name="Élodie Vernet",
        focus={"apps/pos": 5.0, "apps/erp": 2.0, "apps/warehouse": 0.0, "apps/case": 0.0,
               "printing/labels": 1.5},
    ),
    ClientSpec(
        code="whitmore", name="Whitmore & Pryce Solicitors", language="en",
        timezone="Europe/London", domain="whitmore-pryce.example",
        contract="Essentials (L1–L2)", levels=("L1", "L2"),
        response={"P1": 30, "P2": 120, "P3": 480, "P4": 960},
        resolution={"P1": 480, "P2": 1440, "P3": 2880, "P4": 7200},
        requester=f"requester3@{DESK_DOMAIN}", requester_name="Rupert Ashcombe",
        focus={"apps/case": 4.0, "email/outlook": 1.5, "security/phishing": 2.0,
               "apps/warehouse": 0.0, "apps/pos": 0.0, "printing/labels": 0.0},
    ),
)

# (name, level code): L1 service desk, L2 technical support, L3 experts.
GROUPS: tuple[tuple[str, str], ...] = (
    ("Service Desk", "L1"),
    ("Network & Systems", "L2"),
    ("Workplace Support", "L2"),
    ("Application Support", "L2"),
    ("Infrastructure Engineering", "L3"),
    ("Application Engineering", "L3"),
)
ALL_GROUPS = tuple(name for name, _level in GROUPS)

SKILLS: tuple[str, ...] = (
    "Windows", "macOS", "Microsoft 365", "Identity & Access", "Networking", "Telephony",
    "Printing", "Security", "Backup & Storage", "ERP", "Databases", "Linux", "French",
)


@dataclass(frozen=True)
class AgentSpec:
    email: str
    full_name: str
    role: str
    groups: tuple[str, ...]
    skills: tuple[str, ...]
    hourly_cost: int
    language: str = "en"
    superuser: bool = False


def _desk(local: str) -> str:
    return f"{local}@{DESK_DOMAIN}"


AGENTS: tuple[AgentSpec, ...] = (
    AgentSpec(_desk("admin"), "Alex Morgan", "admin", (), ("Windows", "Identity & Access"),
              70, superuser=True),
    AgentSpec(_desk("manager"), "Sarah Whitfield", "manager", ALL_GROUPS,
              ("Microsoft 365", "French"), 75),
    AgentSpec(_desk("l1"), "Jamie Fletcher", "agent", ("Service Desk",),
              ("Windows", "Microsoft 365", "Printing"), 36),
    AgentSpec(_desk("l2"), "Ravi Menon", "agent", ("Network & Systems",),
              ("Networking", "Windows", "Backup & Storage"), 55),
    AgentSpec(_desk("l3"), "Ingrid Halvorsen", "agent", ("Infrastructure Engineering",),
              ("Networking", "Linux", "Security", "Backup & Storage"), 88),
    AgentSpec(_desk("priya.shah"), "Priya Shah", "agent", ("Service Desk",),
              ("Windows", "Identity & Access", "Telephony"), 35),
    AgentSpec(_desk("camille.laurent"), "Camille Laurent", "agent", ("Service Desk",),
              ("French", "Windows", "Microsoft 365"), 37, language="fr"),
    AgentSpec(_desk("daniel.okafor"), "Daniel Okafor", "agent", ("Service Desk",),
              ("macOS", "Printing", "Telephony"), 34),
    AgentSpec(_desk("lucas.martin"), "Lucas Martin", "agent", ("Network & Systems",),
              ("Networking", "Telephony", "Security", "French"), 54, language="fr"),
    AgentSpec(_desk("hannah.clarke"), "Hannah Clarke", "agent", ("Workplace Support",),
              ("Windows", "macOS", "Microsoft 365", "Printing"), 52),
    AgentSpec(_desk("julien.moreau"), "Julien Moreau", "agent", ("Workplace Support",),
              ("Windows", "Identity & Access", "French"), 52, language="fr"),
    AgentSpec(_desk("sofia.rossi"), "Sofia Rossi", "agent", ("Application Support",),
              ("ERP", "Databases", "Microsoft 365"), 58),
    AgentSpec(_desk("erik.lindqvist"), "Erik Lindqvist", "agent",
              ("Infrastructure Engineering",), ("Linux", "Networking", "Backup & Storage"), 90),
    AgentSpec(_desk("nadia.benali"), "Nadia Benali", "agent", ("Application Engineering",),
              ("ERP", "Databases", "French"), 92, language="fr"),
    AgentSpec(_desk("oliver.grant"), "Oliver Grant", "agent", ("Application Engineering",),
              ("Databases", "Linux", "Security"), 85),
)


@dataclass(frozen=True)
class AreaSpec:
    """A top-level category and the groups that take it at L2 and L3."""

    key: str
    name: str
    l2: str
    l3: str


@dataclass(frozen=True)
class LeafSpec:
    """A leaf category; ``escalation`` is the share of its L1 tickets that go to L2."""

    key: str
    name: str
    kind: str = "incident"
    weight: float = 1.0
    escalation: float = 0.3
    fields: tuple[str, ...] = ()
    skill: str | None = None
    level: str = "L1"
    group: str = "Service Desk"
    critical: bool = False

    @property
    def area(self) -> str:
        return self.key.split("/")[0]


AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("access", "Access", "Workplace Support", "Infrastructure Engineering"),
    AreaSpec("hardware", "Hardware", "Workplace Support", "Infrastructure Engineering"),
    AreaSpec("network", "Network", "Network & Systems", "Infrastructure Engineering"),
    AreaSpec("email", "E-mail & Collaboration", "Workplace Support",
             "Infrastructure Engineering"),
    AreaSpec("software", "Software", "Workplace Support", "Application Engineering"),
    AreaSpec("apps", "Business Applications", "Application Support", "Application Engineering"),
    AreaSpec("printing", "Printing", "Workplace Support", "Infrastructure Engineering"),
    AreaSpec("telephony", "Telephony", "Network & Systems", "Infrastructure Engineering"),
    AreaSpec("security", "Security", "Network & Systems", "Infrastructure Engineering"),
    AreaSpec("data", "Data & Backup", "Network & Systems", "Infrastructure Engineering"),
)

_REQ, _N2 = "request", "Network & Systems"
LEAVES: tuple[LeafSpec, ...] = (
    LeafSpec("access/password", "Password reset", _REQ, 9.0, 0.02, skill="Identity & Access"),
    LeafSpec("access/locked", "Account locked", "incident", 4.0, 0.08, ("username",),
             "Identity & Access"),
    LeafSpec("access/new-user", "New user account", _REQ, 2.5, 0.15, ("username",),
             "Identity & Access"),
    LeafSpec("access/leaver", "Leaver account removal", _REQ, 1.2, 0.1, ("username",),
             "Identity & Access"),
    LeafSpec("access/permissions", "Shared folder permissions", _REQ, 2.0, 0.25, ("share",),
             "Identity & Access"),
    LeafSpec("access/mfa", "Multi-factor authentication", "incident", 2.5, 0.25,
             ("username", "error_message"), "Identity & Access"),
    LeafSpec("hardware/laptop", "Laptop fault", "incident", 3.0, 0.35,
             ("asset_tag", "error_message"), "Windows"),
    LeafSpec("hardware/desktop", "Desktop fault", "incident", 1.5, 0.3,
             ("asset_tag", "error_message"), "Windows"),
    LeafSpec("hardware/peripherals", "Monitor & peripherals", "incident", 2.0, 0.1),
    LeafSpec("hardware/new-equipment", "New equipment", _REQ, 1.5, 0.2),
    LeafSpec("hardware/mobile", "Mobile device", "incident", 1.5, 0.25, ("asset_tag",)),
    LeafSpec("hardware/dock", "Docking station", "incident", 1.0, 0.15, ("asset_tag",)),
    LeafSpec("network/vpn", "VPN", "incident", 3.0, 0.45, ("affected_host", "error_message"),
             "Networking"),
    LeafSpec("network/wifi", "Wi-Fi", "incident", 2.0, 0.4, ("site", "affected_host"),
             "Networking"),
    LeafSpec("network/site-outage", "Site connectivity outage", "incident", 0.8, 0.7,
             ("site",), "Networking", critical=True),
    LeafSpec("network/firewall", "Firewall rule change", _REQ, 0.7, 0.2,
             ("destination", "port"), "Networking", level="L2", group=_N2),
    LeafSpec("network/dns", "DNS and name resolution", "incident", 0.6, 0.6,
             ("affected_host", "error_message"), "Networking"),
    LeafSpec("network/server", "Server unavailable", "incident", 0.8, 0.75,
             ("affected_host", "error_message"), "Windows", critical=True),
    LeafSpec("network/slow", "Slow network", "incident", 1.5, 0.4, ("site",), "Networking"),
    LeafSpec("email/outlook", "Outlook and mailbox", "incident", 4.0, 0.2,
             ("mailbox", "error_message"), "Microsoft 365"),
    LeafSpec("email/shared-mailbox", "Shared mailbox access", _REQ, 2.0, 0.08, ("mailbox",),
             "Microsoft 365"),
    LeafSpec("email/distribution-list", "Distribution list change", _REQ, 1.0, 0.05,
             skill="Microsoft 365"),
    LeafSpec("email/teams", "Teams", "incident", 2.5, 0.25, ("error_message",),
             "Microsoft 365"),
    LeafSpec("email/onedrive", "SharePoint and OneDrive sync", "incident", 2.0, 0.3,
             ("affected_host", "error_message"), "Microsoft 365"),
    LeafSpec("software/install", "Software installation", _REQ, 3.0, 0.12, ("affected_host",),
             "Windows"),
    LeafSpec("software/office", "Office applications crash", "incident", 2.0, 0.25,
             ("affected_host", "application_version"), "Microsoft 365"),
    LeafSpec("software/browser", "Web browser", "incident", 1.2, 0.15, ("affected_host",)),
    LeafSpec("software/licence", "Licence request", _REQ, 1.2, 0.1),
    LeafSpec("software/update", "Updates and patching", "incident", 1.0, 0.35,
             ("affected_host", "error_message"), "Windows"),
    LeafSpec("apps/erp", "ERP", "incident", 2.5, 0.55, ("module", "error_message"), "ERP",
             critical=True),
    LeafSpec("apps/crm", "CRM", "incident", 1.5, 0.45, ("module", "error_message"), "ERP"),
    LeafSpec("apps/warehouse", "Warehouse management", "incident", 1.0, 0.55,
             ("site", "error_message"), "ERP", critical=True),
    LeafSpec("apps/pos", "Point of sale", "incident", 1.0, 0.5,
             ("site", "error_message"), "ERP", critical=True),
    LeafSpec("apps/case", "Case management", "incident", 1.0, 0.5,
             ("module", "error_message"), "Databases", critical=True),
    LeafSpec("apps/payroll", "Payroll and HR", "incident", 0.8, 0.5,
             ("module", "error_message"), "ERP"),
    LeafSpec("apps/reporting", "Reporting and BI", _REQ, 1.0, 0.45, ("module",), "Databases"),
    LeafSpec("printing/offline", "Printer offline", "incident", 2.5, 0.2, ("printer", "site"),
             "Printing"),
    LeafSpec("printing/quality", "Print quality and jams", "incident", 1.5, 0.1, ("printer",),
             "Printing"),
    LeafSpec("printing/scan", "Scan to e-mail", "incident", 1.2, 0.3, ("printer",), "Printing"),
    LeafSpec("printing/new-printer", "New printer or driver", _REQ, 0.6, 0.2, ("printer",),
             "Printing"),
    LeafSpec("printing/labels", "Label printer", "incident", 0.8, 0.35, ("printer", "site"),
             "Printing"),
    LeafSpec("telephony/desk-phone", "Desk phone", "incident", 1.2, 0.3, ("phone_number",),
             "Telephony"),
    LeafSpec("telephony/softphone", "Softphone and Teams calling", "incident", 1.2, 0.35,
             ("phone_number", "error_message"), "Telephony"),
    LeafSpec("telephony/voicemail", "Voicemail", "incident", 0.7, 0.1, ("phone_number",),
             "Telephony"),
    LeafSpec("telephony/hunt-group", "Call queue change", _REQ, 0.5, 0.5, ("phone_number",),
             "Telephony"),
    LeafSpec("telephony/mobile-line", "Mobile line and SIM", _REQ, 0.8, 0.1, ("phone_number",),
             "Telephony"),
    LeafSpec("security/phishing", "Phishing report", "incident", 2.0, 0.2, ("sender",),
             "Security"),
    LeafSpec("security/malware", "Malware alert", "incident", 0.6, 0.7,
             ("affected_host", "detection_name"), "Security"),
    LeafSpec("security/sign-in", "Suspicious sign-in", "incident", 0.6, 0.6,
             ("username", "source_ip"), "Security"),
    LeafSpec("security/lost-device", "Lost or stolen device", "incident", 0.5, 0.4,
             ("asset_tag",), "Security"),
    LeafSpec("security/incident", "Security incident", "incident", 0.3, 0.6,
             ("affected_host", "source_ip"), "Security", level="L2", group=_N2, critical=True),
    LeafSpec("data/restore", "File restore", _REQ, 2.0, 0.3, ("share", "path"),
             "Backup & Storage"),
    LeafSpec("data/backup", "Backup failure", "incident", 0.8, 0.7,
             ("backup_job", "error_message"), "Backup & Storage"),
    LeafSpec("data/quota", "Storage quota", _REQ, 1.0, 0.2, ("share",), "Backup & Storage"),
    LeafSpec("data/database", "Database issue", "incident", 0.5, 0.5,
             ("database", "error_message"), "Databases", level="L2",
             group="Application Support", critical=True),
)


@dataclass(frozen=True)
class IntakeRuleSpec:
    name: str
    order: int
    level: str
    group: str
    priority: str = ""
    kind: str = ""
    leaves: tuple[str, ...] = ()
    skip_allowed: bool = False


INTAKE_RULES: tuple[IntakeRuleSpec, ...] = (
    IntakeRuleSpec("Security incidents start at L2 and may skip levels", 10, "L2", _N2,
                   leaves=("security/incident", "security/malware"), skip_allowed=True),
    IntakeRuleSpec("P1 incidents start at L2", 20, "L2", _N2, priority="P1", kind="incident"),
)

EN_FIRST = (
    "Oliver", "Charlotte", "Harry", "Amelia", "George", "Isla", "Jack", "Emily", "Noah", "Sophie",
    "Thomas", "Grace", "William", "Lucy", "James", "Hannah", "Samuel", "Chloe", "Joseph",
    "Megan", "Daniel", "Ellie", "Matthew", "Abigail", "Ryan", "Zara", "Callum", "Niamh", "Aaron",
    "Freya", "Ethan", "Poppy", "Liam", "Imogen", "Owen", "Aisha", "Ben", "Fiona", "Connor",
    "Rachel",
)
EN_LAST = (
    "Wilson", "Taylor", "Davies", "Evans", "Thomas", "Johnson", "Roberts", "Walker", "Wright",
    "Robinson", "Thompson", "White", "Hughes", "Edwards", "Green", "Hall", "Wood", "Harris",
    "Lewis", "Martin", "Jackson", "Clarke", "Patel", "Turner", "Hill", "Cooper", "Ward",
    "Morris", "Moore", "Khan", "Bennett", "Kelly", "Murphy", "Price", "Shaw", "Hussain",
)
FR_FIRST = (
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Julie", "Pauline", "Mathilde",
    "Claire", "Hugo", "Louis", "Lucas", "Théo", "Nathan", "Antoine", "Maxime", "Julien",
    "Nicolas", "Baptiste", "Émilie", "Océane", "Margaux", "Anaïs", "Romain", "Quentin",
    "Guillaume", "Thomas", "Adrien", "Benoît",
)
FR_LAST = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "Faure", "Rousseau", "Blanc",
)
REQUESTERS_PER_CLIENT = 20


def logins() -> list[tuple[str, str, str]]:
    """The fixed demo logins (all with the password ``demo``): (e-mail, role, what they do)."""
    rows = [(spec.email, spec.role, _works_in(spec)) for spec in AGENTS[:5]]
    rows += [(spec.requester, "requester", f"{spec.requester_name}, {spec.name}")
             for spec in CLIENTS]
    return rows


def _works_in(spec: AgentSpec) -> str:
    if spec.superuser:
        return f"{spec.full_name}, superuser; serves every client"
    if len(spec.groups) > 1:
        return f"{spec.full_name}, member of every group"
    return f"{spec.full_name}, {spec.groups[0]}"
