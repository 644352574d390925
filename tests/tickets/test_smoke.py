from palier.tickets import services
from tests.factories import full_handoff


def test_a_ticket_travels_l1_to_l2_and_is_resolved(desk):
    ticket = desk.open(desk.a)
    assert ticket.number == "INC-000001"
    assert ticket.level.code == "L1" and ticket.status == "new"
    services.take(desk.a.l1, ticket.pk)
    services.escalate(desk.a.l1, ticket.pk, to_level_id=desk.levels["L2"].pk,
                      handoff=full_handoff())
    ticket = services.accept(desk.a.l2, ticket.pk)
    assert ticket.level.code == "L2" and ticket.status == "open"
    ticket = services.resolve(desk.a.l2, ticket.pk, resolution="Raised the MTU")
    assert ticket.status == "resolved"
    assert list(ticket.events.values_list("kind", flat=True)) == [
        "created", "assigned", "escalated", "accepted", "resolved"]
