"""The built-in notification templates (English and French), used until an administrator
edits them: the data migration copies them into ``MessageTemplate`` rows.

Templates use Django's syntax; the context holds ``ticket``, ``event`` (``body``, ``data``),
``recipient``, ``url`` (where the recipient follows the ticket), ``survey_url``,
``status`` (translated) and ``actor`` (who acted).
"""

from __future__ import annotations

TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    ("acknowledgement", "en"): (
        "We received your request: {{ ticket.title }}",
        "Hello,\n\nWe have received your request and recorded it as {{ ticket.number }}.\n"
        "Priority: {{ ticket.priority }}. We will get back to you soon.\n\n"
        "Reply to this e-mail to add information. Follow it at {{ url }}\n\n-- \nThe service desk",
    ),
    ("acknowledgement", "fr"): (
        "Nous avons reçu votre demande : {{ ticket.title }}",
        "Bonjour,\n\nNous avons bien reçu votre demande, enregistrée sous le numéro "
        "{{ ticket.number }}.\nPriorité : {{ ticket.priority }}. Nous revenons vers vous "
        "rapidement.\n\nRépondez à ce message pour ajouter des informations. Suivi : {{ url }}"
        "\n\n-- \nLe centre de services",
    ),
    ("reply", "en"): (
        "{{ ticket.title }}",
        "{{ actor|default:'the service desk' }} wrote:\n\n{{ event.body }}\n\n"
        "Reply to this e-mail to answer. Follow the ticket at {{ url }}",
    ),
    ("reply", "fr"): (
        "{{ ticket.title }}",
        "{{ actor|default:'le centre de services' }} a écrit :\n\n{{ event.body }}\n\n"
        "Répondez à ce message pour continuer l'échange. Suivi : {{ url }}",
    ),
    ("status", "en"): (
        "{{ ticket.title }} is now {{ status }}",
        "Hello,\n\nYour request {{ ticket.number }} is now: {{ status }}.\n"
        "{% if event.kind == 'merged' %}\nIt duplicates {{ event.data.into }}, where the desk "
        "follows it.\n{% endif %}"
        "{% if event.body %}\n{{ event.body }}\n{% endif %}\nFollow it at {{ url }}",
    ),
    ("status", "fr"): (
        "{{ ticket.title }} : {{ status }}",
        "Bonjour,\n\nVotre demande {{ ticket.number }} a changé d'état : {{ status }}.\n"
        "{% if event.kind == 'merged' %}\nElle fait doublon avec {{ event.data.into }}, où le "
        "centre de services la suit.\n{% endif %}"
        "{% if event.body %}\n{{ event.body }}\n{% endif %}\nSuivi : {{ url }}",
    ),
    ("escalation", "en"): (
        "Escalated to {{ ticket.group }}: {{ ticket.title }}",
        "{{ ticket.number }} was escalated to {{ ticket.level.code }} ({{ ticket.group }}) "
        "by {{ actor|default:'the service desk' }}.\n\nHandoff summary:\n{{ event.body }}\n\n"
        "Accept or return it: {{ url }}",
    ),
    ("escalation", "fr"): (
        "Escalade vers {{ ticket.group }} : {{ ticket.title }}",
        "{{ ticket.number }} a été escaladé vers {{ ticket.level.code }} ({{ ticket.group }}) "
        "par {{ actor|default:'le centre de services' }}.\n\n"
        "Résumé du transfert :\n{{ event.body }}\n\n"
        "Acceptez-le ou renvoyez-le : {{ url }}",
    ),
    ("return", "en"): (
        "Escalation returned: {{ ticket.title }}",
        "{{ actor|default:'the service desk' }} returned {{ ticket.number }} to "
        "{{ ticket.level.code }} "
        "({{ ticket.group }}).\n\nReason:\n{{ event.body }}\n\n{{ url }}",
    ),
    ("return", "fr"): (
        "Escalade renvoyée : {{ ticket.title }}",
        "{{ actor|default:'le centre de services' }} a renvoyé {{ ticket.number }} vers "
        "{{ ticket.level.code }} "
        "({{ ticket.group }}).\n\nMotif :\n{{ event.body }}\n\n{{ url }}",
    ),
    ("sla_warning", "en"): (
        "SLA warning: {{ ticket.title }}",
        "{{ event.body }}\n\n{{ ticket.number }} ({{ ticket.priority }}, {{ ticket.client }}) "
        "is assigned to {{ ticket.assignee|default:'nobody' }}.\n\n{{ url }}",
    ),
    ("sla_warning", "fr"): (
        "Alerte SLA : {{ ticket.title }}",
        "{{ event.body }}\n\n{{ ticket.number }} ({{ ticket.priority }}, {{ ticket.client }}) "
        "est assigné à {{ ticket.assignee|default:'personne' }}.\n\n{{ url }}",
    ),
    ("sla_breach", "en"): (
        "SLA breached: {{ ticket.title }}",
        "{{ event.body }}\n\n{{ ticket.number }} ({{ ticket.priority }}, {{ ticket.client }}) "
        "is assigned to {{ ticket.assignee|default:'nobody' }}.\n\n{{ url }}",
    ),
    ("sla_breach", "fr"): (
        "SLA dépassé : {{ ticket.title }}",
        "{{ event.body }}\n\n{{ ticket.number }} ({{ ticket.priority }}, {{ ticket.client }}) "
        "est assigné à {{ ticket.assignee|default:'personne' }}.\n\n{{ url }}",
    ),
    ("survey", "en"): (
        "How did we do? {{ ticket.title }}",
        "Hello,\n\nYour request {{ ticket.number }} has been resolved:\n\n"
        "{{ ticket.resolution }}\n\nPlease tell us how satisfied you are (one click, 1 to 5): "
        "{{ survey_url }}\n\nThank you.",
    ),
    ("survey", "fr"): (
        "Votre avis sur : {{ ticket.title }}",
        "Bonjour,\n\nVotre demande {{ ticket.number }} a été résolue :\n\n"
        "{{ ticket.resolution }}\n\nDites-nous si vous êtes satisfait (de 1 à 5) : "
        "{{ survey_url }}\n\nMerci.",
    ),
}
