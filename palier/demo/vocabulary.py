"""What the demo texts talk about: each client's sites, hosts and applications, and the
error strings of each area. ``fill`` draws one set of values for a ticket's templates."""

from __future__ import annotations

from random import Random

CLIENT_WORDS: dict[str, dict[str, tuple[str, ...] | str]] = {
    "harbourline": {
        "prefix": "HL",
        "site": ("Felixstowe depot", "Leeds cross-dock", "Daventry hub", "Head office Ipswich",
                 "Avonmouth warehouse"),
        "server": ("HL-SRV-FS01", "HL-SRV-APP02", "HL-SRV-SQL01", "HL-SRV-DC01", "HL-SRV-RDS03"),
        "erp": "Microsoft Dynamics 365 Business Central", "crm": "HubSpot",
        "wms": "Manhattan WMS", "pos": "the trade counter till", "case": "the claims portal",
        "payroll": "Sage Payroll", "bi": "Power BI", "isp": "BT Business",
        "module": ("Purchasing", "Sales orders", "Inventory", "Finance", "Transport planning"),
        "share": (r"\\hl-fs01\Operations", r"\\hl-fs01\Finance", r"\\hl-fs01\Customs",
                  r"\\hl-fs01\HR"),
        "mailbox": ("bookings@harbourline-logistics.example",
                    "customs@harbourline-logistics.example",
                    "accounts@harbourline-logistics.example"),
        "database": ("HL-SRV-SQL01/WMS_PROD", "HL-SRV-SQL01/BC_PROD"),
        "backup_job": ("Veeam HL-FS01 nightly", "Veeam SQL01 hourly logs", "M365 backup daily"),
    },
    "vernet": {
        "prefix": "BMV",
        "site": ("Atelier de Vénissieux", "Boutique Croix-Rousse", "Boutique Part-Dieu",
                 "Boutique Villeurbanne", "Siège Lyon 6e", "Boutique Caluire"),
        "server": ("BMV-SRV-AD01", "BMV-SRV-SAGE01", "BMV-SRV-FS01", "BMV-SRV-CAISSE01"),
        "erp": "Sage X3", "crm": "Salesforce", "wms": "Sage X3 Stocks",
        "pos": "Cashmag", "case": "le portail qualité", "payroll": "Silae",
        "bi": "Power BI", "isp": "Orange Business",
        "module": ("Achats", "Ventes", "Stocks", "Comptabilité", "Production"),
        "share": (r"\\bmv-fs01\Production", r"\\bmv-fs01\Compta", r"\\bmv-fs01\Qualite",
                  r"\\bmv-fs01\Direction"),
        "mailbox": ("commandes@maison-vernet.example", "qualite@maison-vernet.example",
                    "compta@maison-vernet.example"),
        "database": ("BMV-SRV-SAGE01/X3PROD", "BMV-SRV-CAISSE01/CASHMAG"),
        "backup_job": ("Veeam BMV-SAGE01 nuit", "Veeam BMV-FS01 nuit", "Sauvegarde M365"),
    },
    "whitmore": {
        "prefix": "WP",
        "site": ("London Chancery Lane", "Bristol Temple Quay", "Reading office"),
        "server": ("WP-SRV-DMS01", "WP-SRV-SQL02", "WP-SRV-DC01", "WP-SRV-PRT01"),
        "erp": "Aderant Expert", "crm": "InterAction", "wms": "the deeds store tracker",
        "pos": "the reception kiosk", "case": "iManage Work", "payroll": "Iris Payroll",
        "bi": "Power BI", "isp": "Virgin Media Business",
        "module": ("Time recording", "Billing", "Matter intake", "Conflict search",
                   "Document profiles"),
        "share": (r"\\wp-fs01\Litigation", r"\\wp-fs01\Conveyancing", r"\\wp-fs01\Accounts"),
        "mailbox": ("enquiries@whitmore-pryce.example", "conveyancing@whitmore-pryce.example",
                    "accounts@whitmore-pryce.example"),
        "database": ("WP-SRV-SQL02/IMANAGE", "WP-SRV-SQL02/ADERANT"),
        "backup_job": ("Veeam DMS01 nightly", "Veeam SQL02 logs", "M365 backup daily"),
    },
}

ERRORS: dict[str, tuple[str, ...]] = {
    "access": ("AADSTS50126", "AADSTS50076", "AADSTS53003", "The referenced account is locked out",
               "Your password has expired"),
    "hardware": ("No bootable device", "BSOD WHEA_UNCORRECTABLE_ERROR", "Fan error 2000-0511",
                 "Battery 0% not charging", "BitLocker recovery screen"),
    "network": ("Error 809", "Error 720", "DNS_PROBE_FINISHED_NXDOMAIN",
                "ERR_CONNECTION_TIMED_OUT", "No Internet, secured", "Request timed out"),
    "email": ("0x800CCC0E", "0x8004010F", "Cannot start Microsoft Outlook",
              "Error code caa70004", "Sync pending: 1,204 items"),
    "software": ("0x80070643", "0x800f0922", "Error 1603", "Application has stopped working",
                 "MSVCP140.dll was not found"),
    "apps": ("Timeout expired", "SQL error 1205 deadlock", "Error 500 Internal Server Error",
             "Licence limit reached", "Session expired", "Record is locked by another user"),
    "printing": ("Offline", "Error 0x00000709", "Paper jam in tray 2", "Toner low",
                 "SMTP authentication failed"),
    "telephony": ("No service", "Registration failed 403", "One-way audio",
                  "Error 486 Busy Here"),
    "security": ("Trojan:Win32/Wacatac.B!ml", "Impossible travel", "Anomalous token",
                 "Ransom note found"),
    "data": ("VSS_E_WRITERERROR_TIMEOUT", "Disk quota exceeded", "Access is denied",
             "Error 9002: transaction log full", "Failed to connect to the backup repository"),
}

APPLICATIONS = ("Adobe Acrobat Pro", "7-Zip", "Zoom", "Notepad++", "Power BI Desktop",
                "Visio", "Microsoft Project", "Snagit", "Google Chrome", "Citrix Workspace")
DEVICES = ("Dell Latitude 5440", "Lenovo ThinkPad T14", "HP EliteBook 840", "MacBook Air M2",
           "iPhone 14", "Samsung Galaxy A54", "Zebra TC52 scanner")
DETECTIONS = ("Trojan:Win32/Wacatac.B!ml", "Behavior:Win32/CobaltStrike",
              "PUA:Win32/Presenoker", "Ransom:Win32/LockBit")
DESTINATIONS = ("sftp.partner-edi.example", "api.carrier-tracking.example",
                "10.40.12.20", "vpn.supplier.example")
PHISH_SENDERS = ("invoice@micros0ft-support.example", "dhl-delivery@track-parcel.example",
                 "ceo.office@gmail-secure.example", "docusign@sign-review.example")


def fill(rng: Random, client_code: str, area: str, people: tuple[str, str]) -> dict[str, str]:
    """One set of placeholder values for a ticket of ``client_code`` in ``area``.

    ``people`` are two names: a colleague and a newcomer (for account requests).
    """
    words = CLIENT_WORDS[client_code]
    prefix = str(words["prefix"])
    values = {key: (rng.choice(value) if isinstance(value, tuple) else value)
              for key, value in words.items() if key != "prefix"}
    number = rng.randint(100, 999)
    values.update(
        host=f"{prefix}-{rng.choice(('LT', 'LT', 'WS'))}-{number:04d}",
        asset=f"{prefix}-A{rng.randint(1000, 9999)}",
        printer=f"{prefix}-PRN-{rng.randint(1, 24):02d}",
        path=rng.choice(("Contracts/2024", "Invoices/Q3", "Planning/rota.xlsx", "Audit",
                         "Templates")),
        ext=str(rng.randint(2100, 2899)),
        mobile=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
        error=rng.choice(ERRORS[area]),
        app=rng.choice(APPLICATIONS), device=rng.choice(DEVICES),
        detection=rng.choice(DETECTIONS), destination=rng.choice(DESTINATIONS),
        port=rng.choice(("443", "22", "8443", "1433", "990")),
        ip=f"{rng.choice((185, 45, 103, 91))}.{rng.randint(1, 254)}.{rng.randint(1, 254)}."
           f"{rng.randint(1, 254)}",
        version=f"16.0.{rng.randint(17000, 17999)}.{rng.randint(20000, 20999)}",
        count=str(rng.choice((2, 3, 4, 5, 8, 12, 15))),
        sender=rng.choice(PHISH_SENDERS),
        colleague=people[0], newcomer=people[1],
    )
    return values


#: Which placeholder gives the value of each required handoff field.
FIELD_SOURCES: dict[str, str] = {
    "affected_host": "host", "error_message": "error", "asset_tag": "asset", "site": "site",
    "username": "username", "mailbox": "mailbox", "module": "module", "printer": "printer",
    "source_ip": "ip", "detection_name": "detection", "share": "share", "path": "path",
    "backup_job": "backup_job", "database": "database", "destination": "destination",
    "port": "port", "phone_number": "ext", "application_version": "version", "sender": "sender",
}
