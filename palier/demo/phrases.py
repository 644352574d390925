"""What people say in the demo journal: public messages in the requester's language, and the
desk's internal notes, handoffs, return reasons and instructions (in English)."""

from __future__ import annotations

Phrases = dict[str, tuple[str, ...]]

PUBLIC: dict[str, Phrases] = {
    "en": {
        "first_response": (
            "Hello {first}, thanks for reporting this. I'm looking into it now.",
            "Hi {first}, I've picked up your ticket and will come back to you shortly.",
            "Thanks {first}. I'm connecting to {host} remotely to have a look.",
        ),
        "question": (
            "Could you send us a screenshot of the message you see?",
            "Are you available for a remote session this afternoon?",
            "Could you restart {host} and tell us whether it still happens?",
            "Could you confirm the exact time it last happened?",
        ),
        "requester_reply": (
            "Screenshot attached. It still does the same.",
            "Yes, I'm free after 2 pm.",
            "Restarted, and it still happens.",
            "It happened at 09:12 this morning, and again just now.",
        ),
        "chaser": (
            "Any news on this please? It is holding up my work.",
            "Is there an update? {count} of us are affected.",
        ),
        "progress": (
            "Our {group} specialists are now working on your ticket.",
            "Quick update: we've found the likely cause and are testing a fix.",
        ),
        "vendor": (
            "We've opened a case with {vendor} (reference {reference}) and will keep you "
            "informed.",
        ),
        "confirm": (
            "Our specialists applied a fix. Could you check it works for you now?",
            "The change is in place; please try again and let me know.",
        ),
        "procedure": ("I've applied the documented fix for this; could you try again and "
                      "tell me?",),
        "thanks": ("Works now, thank you!", "All good, thanks for the quick help.",
                   "Confirmed, it's fixed."),
        "reopen": ("It happened again this morning.", "Still not working after all, sorry.",
                   "The problem came back after the restart."),
    },
    "fr": {
        "first_response": (
            "Bonjour {first}, merci pour votre signalement, je m'en occupe.",
            "Bonjour {first}, j'ai pris votre demande et je reviens vers vous rapidement.",
            "Merci {first}, je me connecte à distance sur {host} pour regarder.",
        ),
        "question": (
            "Pouvez-vous nous envoyer une capture d'écran du message ?",
            "Êtes-vous disponible cet après-midi pour une prise en main à distance ?",
            "Pouvez-vous redémarrer {host} et nous dire si le problème persiste ?",
            "Pouvez-vous préciser l'heure exacte du dernier incident ?",
        ),
        "requester_reply": (
            "Capture jointe, c'est toujours pareil.",
            "Oui, je suis disponible à partir de 14 h.",
            "Redémarré, le problème est toujours là.",
            "C'est arrivé à 9 h 12 ce matin, et encore à l'instant.",
        ),
        "chaser": (
            "Avez-vous du nouveau ? Cela bloque mon travail.",
            "Une mise à jour svp ? Nous sommes {count} à être bloqués.",
        ),
        "progress": (
            "Nos spécialistes {group} prennent maintenant votre demande en charge.",
            "Point d'étape : nous avons trouvé la cause probable et testons un correctif.",
        ),
        "vendor": (
            "Nous avons ouvert un dossier chez {vendor} (référence {reference}) ; nous vous "
            "tenons informé.",
        ),
        "confirm": (
            "Nos spécialistes ont appliqué un correctif. Pouvez-vous vérifier que tout "
            "fonctionne ?",
            "La modification est en place ; merci de réessayer et de me dire.",
        ),
        "procedure": ("J'ai appliqué la procédure prévue ; pouvez-vous réessayer et me "
                      "dire ?",),
        "thanks": ("Ça marche, merci !", "Tout est bon, merci pour la rapidité.",
                   "Confirmé, c'est réglé."),
        "reopen": ("Le problème est revenu ce matin.", "Finalement ça ne marche toujours pas.",
                   "Le souci est réapparu après le redémarrage."),
    },
}

INTERNAL: Phrases = {
    "l1_note": (
        "Reproduced with the user on {host}; no matching knowledge article.",
        "Checked the service status page: no known incident. Remote session done.",
        "Called the user back; issue confirmed, affects {count} people.",
    ),
    "l2_note": (
        "Event logs on {server} show the error around the reported time.",
        "Reproduced in the lab; collecting traces before changing anything.",
        "Correlated with monitoring: started after last night's change window.",
    ),
    "l3_note": (
        "Root cause in the configuration template; preparing a fix and a rollback plan.",
        "Packet capture confirms the behaviour; opening a change for tonight.",
        "Code path identified; tested the fix on a copy of production.",
    ),
    "more_evidence": (
        "Collected the event log export and timestamps from {host}; attached to the handoff.",
        "Ran the diagnostics script on {host} with the user; results added.",
    ),
    "manager": (
        "Spoke to the client's contact; updates every 30 minutes until restored.",
        "Following this one personally; L3 on standby.",
    ),
    "vendor_reply": (
        "{vendor} replied: known issue, fix provided; applying it.",
        "{vendor} engineer visited / called back; replacement part fitted.",
    ),
}

STEPS: dict[str, tuple[str, ...]] = {
    "access": ("Verified identity by call-back; checked the account status in Entra ID; "
               "reset the password; cleared cached credentials.",),
    "hardware": ("Restarted; ran the vendor diagnostics; checked cables and power; updated "
                 "drivers through the company portal.",),
    "network": ("Restarted the client and the laptop; tested on another network; checked "
                "the service status; flushed DNS; reinstalled the client.",),
    "email": ("Tested webmail (works); restarted Outlook in safe mode; repaired the profile; "
              "checked mailbox size and rules.",),
    "software": ("Repaired the installation; reinstalled; tested with a new Windows profile; "
                 "checked for pending updates.",),
    "apps": ("Reproduced with the user; checked the user's role; cleared the client cache; "
             "asked a colleague to try the same record.",),
    "printing": ("Power-cycled the printer; cleared the queue; printed the configuration "
                 "page; reinstalled the driver.",),
    "telephony": ("Rebooted the handset; checked the PoE port; re-signed in the user; tested "
                  "calls in both directions.",),
    "security": ("Isolated the device from the network; collected the alert details; reset "
                 "the password; revoked sessions.",),
    "data": ("Checked the job history and free space; re-ran the job once; checked the "
             "permissions on the path.",),
}

DIAGNOSTICS: dict[str, tuple[str, ...]] = {
    "default": (
        "Error '{error}' reproducible on {host}; first seen today; log excerpt attached.",
        "Affects {count} users; started around 09:00; '{error}' in the event log.",
        "Only this user affected; same error '{error}' on another device.",
    ),
    "thin": ("User says it still does not work.", "See ticket description."),
}

RETURN_REASONS: dict[str, tuple[str, ...]] = {
    "insufficient": (
        "Handoff insufficient: no log excerpt or timestamps. Please collect the event log "
        "from {host} and the exact time of failure, then re-escalate.",
        "Not enough to act on: diagnostics just say it does not work. Please reproduce with "
        "the user and record the error message.",
    ),
    "wrong_level": (
        "Wrong level: this is covered by a published L1 procedure (clear the cached "
        "credentials, then re-sign in). Please apply it.",
    ),
}

INSTRUCTIONS: dict[str, tuple[str, ...]] = {
    "to_l1": (
        "Fix applied on the server side. Please confirm with the requester that it works, "
        "then resolve; if not, re-escalate with a timestamp.",
        "Configuration corrected. Please walk the user through signing out and in, and check "
        "the result with them.",
    ),
    "to_l2": (
        "Root cause fixed in the template. Please apply the same change on the remaining "
        "hosts and confirm with the requester.",
        "Patch validated in test; please deploy it in tonight's window and verify.",
    ),
}

ALERTS: tuple[str, ...] = (
    "P1: {count} users down at {site}; resolution target at risk.",
    "Client called twice for updates; their director wants hourly news.",
    "Business-critical outage, no workaround yet; need extra hands.",
)

VENDORS: dict[str, tuple[str, ...]] = {
    "hardware": ("Dell ProSupport", "Lenovo Premier Support", "HP Care Pack"),
    "network": ("{isp}", "Cisco Meraki Support"),
    "email": ("Microsoft Support",),
    "software": ("Microsoft Support", "Adobe Support"),
    "apps": ("{erp} support",),
    "printing": ("Ricoh service", "Zebra Technologies"),
    "telephony": ("{isp}", "Microsoft Support"),
    "security": ("Microsoft Defender Experts",),
    "data": ("Veeam Support", "Microsoft Support"),
    "access": ("Microsoft Support",),
}
