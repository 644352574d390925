"""The audit log: admin changes to permissions and configuration, and API tokens."""

from __future__ import annotations

import json

import pytest

from palier.accounts import services as accounts
from palier.accounts.models import User
from palier.ops.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("root@desk.test", "secret")


def submit(browser, url: str, **changes) -> None:
    """Post an admin change form as the page shows it, with ``changes`` applied."""
    page = browser.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value not in (None, False):
            data[name] = value
    for name, value in changes.items():
        if value is False:
            data.pop(name, None)
        else:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
    response = browser.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_role_and_client_change_in_the_admin_is_audited(client, desk, admin_user):
    client.force_login(admin_user)
    person = desk.a.colleague
    submit(client, f"/admin/accounts/user/{person.pk}/change/", role="agent", client="")
    entry = AuditEntry.objects.get(target_type="accounts.User", target_id=str(person.pk))
    assert entry.action == AuditAction.CHANGED
    assert entry.actor == admin_user and entry.actor_label == "root@desk.test"
    assert entry.via == "admin"
    assert entry.changes == {"role": ["requester", "agent"], "client": [str(desk.a.client), None]}


def test_an_agents_groups_and_clients_change_is_audited(client, desk, admin_user):
    client.force_login(admin_user)
    agent = desk.a.l1.agent
    groups = [desk.groups["sd"].pk, desk.groups["net"].pk]
    submit(client, f"/admin/accounts/agent/{agent.pk}/change/", groups=groups,
           clients=[desk.a.client.pk, desk.b.client.pk])
    entry = AuditEntry.objects.get(target_type="accounts.Agent")
    assert entry.changes["groups"] == [["Service Desk"], ["Network & Systems", "Service Desk"]]
    assert entry.changes["clients"] == [["Acme Logistics"],
                                        ["Acme Logistics", "Bistrot Durand"]]


def test_saving_without_a_change_writes_nothing(client, desk, admin_user):
    client.force_login(admin_user)
    submit(client, f"/admin/accounts/agent/{desk.a.l2.agent.pk}/change/")
    assert not AuditEntry.objects.exists()


def test_a_contract_change_is_audited(client, desk, admin_user):
    client.force_login(admin_user)
    contract = desk.a.contract
    submit(client, f"/admin/clients/contract/{contract.pk}/change/", name="Gold")
    entry = AuditEntry.objects.get(target_type="clients.Contract")
    assert entry.changes["name"] == ["Standard", "Gold"]


def test_deleting_through_the_admin_is_audited(client, desk, admin_user):
    client.force_login(admin_user)
    skill_user = User.objects.create_user("temp@desk.test", "x", role="agent")
    response = client.post(f"/admin/accounts/user/{skill_user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=AuditAction.DELETED)
    assert (entry.target_type, entry.target_id) == ("accounts.User", str(skill_user.pk))


def test_tokens_created_and_revoked_are_audited(desk):
    token, _ = accounts.create_token(desk.a.l1, name="ci", actor=desk.a.l1)
    accounts.revoke_token(desk.a.l1, token.pk)
    created, revoked = AuditEntry.objects.order_by("id")
    assert (created.action, created.actor, created.target_type) == (
        AuditAction.TOKEN_CREATED, desk.a.l1, "accounts.ApiToken")
    assert created.changes["user"] == [None, desk.a.l1.email]
    assert (revoked.action, revoked.actor) == (AuditAction.TOKEN_REVOKED, desk.a.l1)


def test_a_token_made_by_a_command_is_recorded_as_the_system(desk):
    accounts.create_token(desk.a.l1, name="cron")
    entry = AuditEntry.objects.get()
    assert entry.actor is None and entry.actor_label == "system"


def test_a_token_created_through_the_api_names_its_creator(client, desk):
    _, secret = accounts.create_token(desk.a.l2, name="boot")
    response = client.post("/api/v1/tokens", {"name": "laptop"}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 201
    entry = AuditEntry.objects.filter(actor__isnull=False).get()
    assert entry.actor == desk.a.l2 and entry.action == AuditAction.TOKEN_CREATED


def test_the_audit_log_is_read_only_in_the_admin(client, desk, admin_user):
    client.force_login(admin_user)
    accounts.create_token(desk.a.l1, name="x")
    entry = AuditEntry.objects.get()
    assert client.get("/admin/ops/auditentry/").status_code == 200
    assert client.get("/admin/ops/auditentry/add/").status_code == 403
    assert client.get(f"/admin/ops/auditentry/{entry.pk}/delete/").status_code == 403
    response = client.post(f"/admin/ops/auditentry/{entry.pk}/change/", {"via": "forged"})
    assert response.status_code == 403
    assert AuditEntry.objects.get().via == "service"


def test_audit_entries_cannot_be_rewritten():
    entry = AuditEntry.objects.create(at="2026-01-01T00:00:00Z", actor_label="system",
                                      action="changed", target_type="x", target_id="1",
                                      target_repr="x", via="service")
    entry.via = "forged"
    with pytest.raises(RuntimeError):
        entry.save()


def test_a_contract_added_inline_on_a_client_is_audited(client, desk, admin_user):
    client.force_login(admin_user)
    url = f"/admin/clients/client/{desk.a.client.pk}/change/"
    page = client.get(url)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    existing = desk.a.client.contracts.count()
    extra = {f"{prefix}-TOTAL_FORMS": str(existing + 1), f"{prefix}-INITIAL_FORMS": str(existing),
             f"{prefix}-{existing}-name": "Premium", f"{prefix}-{existing}-starts_on": "2026-01-01",
             f"{prefix}-{existing}-response_minutes":
                 '{"P1": 15, "P2": 60, "P3": 240, "P4": 480}',
             f"{prefix}-{existing}-resolution_minutes":
                 '{"P1": 240, "P2": 480, "P3": 1440, "P4": 4320}',
             f"{prefix}-{existing}-included_levels": [desk.levels["L1"].pk]}
    for n, contract in enumerate(desk.a.client.contracts.order_by("pk")):
        extra[f"{prefix}-{n}-id"] = str(contract.pk)
        extra[f"{prefix}-{n}-client"] = str(desk.a.client.pk)
        extra[f"{prefix}-{n}-name"] = contract.name
        extra[f"{prefix}-{n}-starts_on"] = contract.starts_on.isoformat()
        for field in ("response_minutes", "resolution_minutes"):
            extra[f"{prefix}-{n}-{field}"] = json.dumps(getattr(contract, field))
        extra[f"{prefix}-{n}-included_levels"] = [lv.pk for lv in contract.included_levels.all()]
    form = page.context["adminform"].form
    data = {k: form[k].value() for k in form.fields if form[k].value() not in (None, False)}
    response = client.post(url, {**data, **extra})
    assert response.status_code == 302, [f.errors for f in
                                         response.context["inline_admin_formsets"][0].formset]
    entry = AuditEntry.objects.get(target_type="clients.Contract", action=AuditAction.CREATED)
    assert entry.changes["name"] == [None, "Premium"]
    assert entry.actor == admin_user


def test_an_sla_policy_change_is_audited(client, desk, admin_user):
    from palier.sla.models import Calendar, SlaPolicy

    client.force_login(admin_user)
    calendar = Calendar.objects.create(name="Paris office", timezone="Europe/Paris")
    policy = SlaPolicy.objects.create(name="Standard", contract=desk.a.contract,
                                      calendar=calendar)
    submit(client, f"/admin/sla/slapolicy/{policy.pk}/change/",
           resolution_minutes='{"P1": 120, "P2": 480, "P3": 1440, "P4": 4320}')
    entry = AuditEntry.objects.get(target_type="sla.SlaPolicy")
    before, after = entry.changes["resolution_minutes"]
    assert (before["P1"], after["P1"]) == (240, 120)
