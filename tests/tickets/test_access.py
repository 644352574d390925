"""Who sees and who may act: client isolation through every service and selector, and the
visibility rules inside one client."""

from __future__ import annotations

import pytest

from palier.accounts.models import Role, User
from palier.core.errors import NotFound, PermissionDenied
from palier.tickets import selectors, services
from palier.tickets.models import Ticket
from tests.factories import (
    accepted,
    escalated,
    fresh,
    full_handoff,
    make_agent,
    new_ticket,
    pending,
    resolved,
    state,
    taken,
    upload,
)

PERSONAS = ("requester", "colleague", "client_manager", "l1", "l2", "l3", "manager")

#: service → (B's ticket builder, the B persona for whom the call succeeds, call)
WRITES = {
    "classify": (new_ticket, "l1", lambda u, d, t: services.classify(u, t.pk, impact="high")),
    "take": (new_ticket, "l1", lambda u, d, t: services.take(u, t.pk)),
    "assign": (new_ticket, "l1", lambda u, d, t: services.assign(u, t.pk, d.b.l1.agent.pk)),
    "auto_assign": (new_ticket, "manager", lambda u, d, t: services.auto_assign(u, t.pk)),
    "escalate": (taken, "l1", lambda u, d, t: services.escalate(
        u, t.pk, to_level_id=d.levels["L2"].pk, handoff=full_handoff())),
    "accept": (escalated, "l2", lambda u, d, t: services.accept(u, t.pk)),
    "return_escalation": (escalated, "l2", lambda u, d, t: services.return_escalation(
        u, t.pk, reason="Wrong level")),
    "de_escalate": (accepted, "l2", lambda u, d, t: services.de_escalate(
        u, t.pk, to_level_id=d.levels["L1"].pk, instructions="Confirm")),
    "alert_managers": (taken, "l1", lambda u, d, t: services.alert_managers(u, t.pk,
                                                                            reason="VIP")),
    "engage_vendor": (taken, "l1", lambda u, d, t: services.engage_vendor(u, t.pk,
                                                                          vendor="Cisco")),
    "add_message": (new_ticket, "requester", lambda u, d, t: services.add_message(
        u, t.pk, body="Hello")),
    "add_note": (new_ticket, "l1", lambda u, d, t: services.add_message(
        u, t.pk, body="Hm", internal=True)),
    "set_pending": (taken, "l1", lambda u, d, t: services.set_pending(u, t.pk,
                                                                      waiting_on="Log")),
    "resume": (pending, "l1", lambda u, d, t: services.resume(u, t.pk)),
    "resolve": (taken, "l1", lambda u, d, t: services.resolve(u, t.pk, resolution="Fixed")),
    "reopen": (resolved, "requester", lambda u, d, t: services.reopen(u, t.pk,
                                                                      reason="Broken")),
    "close": (resolved, "requester", lambda u, d, t: services.close(u, t.pk)),
    "merge": (new_ticket, "l1", lambda u, d, t: services.merge(u, t.pk,
                                                               into_id=d.open(d.b).pk)),
    "rate_resolution": (resolved, "requester", lambda u, d, t: services.rate_resolution(
        u, t.pk, score=4)),
    "log_work": (taken, "l1", lambda u, d, t: services.log_work(u, t.pk, minutes=10)),
    "add_attachment": (new_ticket, "requester", lambda u, d, t: services.add_attachment(
        u, t.pk, upload())),
}


@pytest.mark.parametrize("service", list(WRITES))
def test_no_one_of_client_a_can_write_to_client_bs_ticket(desk, service):
    build, owner, call = WRITES[service]
    ticket = build(desk, desk.b)
    before = state(ticket.pk)
    for persona in PERSONAS:
        with pytest.raises(NotFound):
            call(getattr(desk.a, persona), desk, ticket)
        assert state(ticket.pk) == before, persona
    call(getattr(desk.b, owner), desk, ticket)  # the same call works inside client B
    assert state(ticket.pk) != before


def test_every_write_service_is_checked_across_clients():
    checked = {*WRITES, "open_ticket"} - {"add_note"}
    assert checked == set(services.__all__) - {"HandoffInput"}


def test_no_one_of_client_a_can_open_a_ticket_for_client_b(desk):
    for persona in PERSONAS:
        actor = getattr(desk.a, persona)
        with pytest.raises(NotFound):
            services.open_ticket(actor, title="x", client_id=desk.b.client.pk,
                                 requester_email=desk.b.requester.email)
    assert Ticket.objects.count() == 0


def test_agents_of_client_a_cannot_assign_client_bs_agents(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(NotFound):
        services.assign(desk.a.manager, ticket.pk, desk.b.l1.agent.pk)


def test_no_selector_shows_client_b_to_client_a(desk):
    theirs = [taken(desk, desk.b), escalated(desk, desk.b), desk.open(desk.b)]
    ours = desk.open(desk.a)
    for persona in PERSONAS:
        actor = getattr(desk.a, persona)
        for ticket in theirs:
            with pytest.raises(NotFound):
                selectors.access_ticket(actor, ticket.pk)
            with pytest.raises(NotFound):
                selectors.access_ticket(actor, ticket.pk, for_update=True)
            with pytest.raises(NotFound):
                selectors.access_ticket_by_number(actor, ticket.number)
            with pytest.raises(NotFound):
                selectors.journal(actor, ticket.pk)
        listed = {t.pk for t in selectors.visible_tickets(actor)}
        for level in desk.levels.values():
            listed |= {t.pk for t in selectors.queue_for(actor, level)}
            listed |= {t.pk for t in selectors.queue_for(actor, level.pk)}
        for group in desk.groups.values():
            listed |= {t.pk for t in selectors.group_queue(actor, group.pk)}
        listed |= {t.pk for t in selectors.my_tickets(actor)}
        assert listed <= {ours.pk}, persona
        assert not any(selectors.can_work(actor, ticket) for ticket in theirs)


def test_no_selector_shows_client_bs_files_or_worklog_to_client_a(desk):
    ticket = taken(desk, desk.b)
    public = services.add_attachment(desk.b.requester, ticket.pk, upload())
    internal = services.add_attachment(desk.b.l1, ticket.pk, upload(), public=False)
    services.log_work(desk.b.l1, ticket.pk, minutes=10)
    for persona in PERSONAS:
        actor = getattr(desk.a, persona)
        with pytest.raises(NotFound):
            selectors.attachments(actor, ticket.pk)
        with pytest.raises(NotFound):
            selectors.worklog(actor, ticket.pk)
        for attachment in (public, internal):
            with pytest.raises(NotFound):
                selectors.access_attachment(actor, attachment.pk)


def test_a_requester_sees_only_their_own_tickets(desk):
    mine = desk.open(desk.a)
    theirs = services.open_ticket(desk.a.colleague, title="Printer")
    assert selectors.access_ticket(desk.a.requester, mine.pk) == mine
    assert selectors.access_ticket_by_number(desk.a.requester, mine.number.lower()) == mine
    with pytest.raises(NotFound):
        selectors.access_ticket(desk.a.requester, theirs.pk)
    assert list(selectors.visible_tickets(desk.a.requester)) == [mine]
    assert selectors.queue_for(desk.a.requester, desk.levels["L1"]) == [mine]
    assert selectors.my_tickets(desk.a.requester) == []


def test_a_client_manager_sees_every_ticket_of_the_client(desk):
    mine = desk.open(desk.a)
    theirs = services.open_ticket(desk.a.colleague, title="Printer")
    assert set(selectors.visible_tickets(desk.a.client_manager)) == {mine, theirs}
    assert selectors.access_ticket(desk.a.client_manager, theirs.pk) == theirs


def test_agents_see_their_clients_tickets_at_every_level(desk):
    l1_ticket, l2_ticket = desk.open(desk.a), escalated(desk, desk.a)
    for persona in ("l1", "l2", "l3", "manager"):
        actor = getattr(desk.a, persona)
        assert set(selectors.visible_tickets(actor)) == {l1_ticket, l2_ticket}
        assert selectors.queue_for(actor, desk.levels["L1"]) == [l1_ticket]
        assert selectors.group_queue(actor, desk.groups["net"].pk) == [l2_ticket]


def test_agents_may_only_act_on_their_groups_queue(desk):
    ticket = desk.open(desk.a)
    before = state(ticket.pk)
    for outsider in (desk.a.l2, desk.a.l3):
        with pytest.raises(PermissionDenied):
            services.take(outsider, ticket.pk)
        with pytest.raises(PermissionDenied):
            services.resolve(outsider, ticket.pk, resolution="Fixed")
        with pytest.raises(PermissionDenied):
            services.classify(outsider, ticket.pk, impact="high")
        with pytest.raises(PermissionDenied):
            services.engage_vendor(outsider, ticket.pk, vendor="Cisco")
    assert state(ticket.pk) == before


def test_the_assignee_may_act_even_outside_the_group(desk):
    ticket = taken(desk, desk.a)
    desk.a.l1.agent.groups.set([desk.groups["apps"]])
    ticket = services.resolve(fresh(desk.a.l1), ticket.pk, resolution="Fixed")
    assert ticket.status == "resolved"


def test_managers_act_on_every_ticket_of_their_clients(desk):
    l1_ticket, l2_ticket = desk.open(desk.a), accepted(desk, desk.a)
    assert services.resolve(desk.a.manager, l1_ticket.pk, resolution="Done").status == "resolved"
    services.escalate(desk.a.manager, l2_ticket.pk, to_level_id=desk.levels["L3"].pk,
                      handoff=full_handoff())
    assert services.accept(desk.a.l3, l2_ticket.pk).level.code == "L3"


def test_an_agent_serving_both_clients_sees_both(desk):
    both = make_agent("both@desk.test", groups=[desk.groups["sd"]],
                      clients=[desk.a.client, desk.b.client])
    a_ticket, b_ticket = desk.open(desk.a), desk.open(desk.b)
    assert set(selectors.queue_for(both, desk.levels["L1"])) == {a_ticket, b_ticket}
    assert services.take(both, b_ticket.pk).assignee.user == both


def test_an_inactive_or_profileless_user_sees_nothing(desk):
    ticket = desk.open(desk.a)
    gone = fresh(desk.a.l1)
    gone.is_active = False
    gone.save()
    bare = User.objects.create_user("bare@desk.test", "x", role=Role.AGENT)
    for actor in (fresh(gone), bare):
        assert list(selectors.visible_tickets(actor)) == []
        with pytest.raises(NotFound):
            selectors.access_ticket(actor, ticket.pk)
        assert selectors.my_tickets(actor) == []


def test_requesters_do_not_see_internal_events_in_the_journal(desk):
    ticket = taken(desk, desk.a)
    services.add_message(desk.a.l1, ticket.pk, body="Checking the tunnel")
    services.add_message(desk.a.l1, ticket.pk, body="Looks like MTU", internal=True)
    services.log_work(desk.a.l1, ticket.pk, minutes=5)
    staff_view = [e.kind for e in selectors.journal(desk.a.l1, ticket.pk)]
    assert staff_view == ["created", "assigned", "message", "note", "worklog"]
    for requester in (desk.a.requester, desk.a.client_manager):
        events = list(selectors.journal(requester, ticket.pk))
        assert [e.kind for e in events] == ["created", "message"]
        assert all(e.public for e in events)


def test_the_colleague_cannot_read_the_journal(desk):
    ticket = desk.open(desk.a)
    with pytest.raises(NotFound):
        selectors.journal(desk.a.colleague, ticket.pk)


def test_requesters_see_public_attachments_only(desk):
    ticket = taken(desk, desk.a)
    public = services.add_attachment(desk.a.requester, ticket.pk, upload("photo.png", b"png",
                                                                         "image/png"))
    internal = services.add_attachment(desk.a.l1, ticket.pk, upload(), public=False)
    assert list(selectors.attachments(desk.a.l3, ticket.pk)) == [public, internal]
    assert selectors.access_attachment(desk.a.l3, internal.pk) == internal
    for requester in (desk.a.requester, desk.a.client_manager):
        assert list(selectors.attachments(requester, ticket.pk)) == [public]
        assert selectors.access_attachment(requester, public.pk) == public
        with pytest.raises(NotFound):
            selectors.access_attachment(requester, internal.pk)
    with pytest.raises(NotFound):
        selectors.access_attachment(desk.a.colleague, public.pk)


def test_the_worklog_is_internal_to_the_desk(desk):
    ticket = taken(desk, desk.a)
    services.log_work(desk.a.l1, ticket.pk, minutes=10)
    assert [w.minutes for w in selectors.worklog(desk.a.l3, ticket.pk)] == [10]
    with pytest.raises(PermissionDenied):
        selectors.worklog(desk.a.requester, ticket.pk)


def test_any_staff_who_sees_a_ticket_may_reply_note_log_work_and_alert(desk):
    ticket = escalated(desk, desk.a)  # held by L2; L1 stays the requester's contact
    services.add_message(desk.a.l1, ticket.pk, body="L2 is on it")
    services.add_message(desk.a.l3, ticket.pk, body="Seen this before", internal=True)
    services.log_work(desk.a.l1, ticket.pk, minutes=5)
    services.alert_managers(desk.a.l1, ticket.pk, reason="Waiting for acceptance")
    assert [e.kind for e in selectors.journal(desk.a.l2, ticket.pk)][-4:] == [
        "message", "note", "worklog", "managers_alerted"]
