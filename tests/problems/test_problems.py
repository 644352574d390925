"""Problems: created from incidents or a cluster, linked incidents journaled, known errors,
vendor references, and resolution that can resolve the open incidents with one message."""

from __future__ import annotations

import pytest

from palier.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from palier.problems import selectors, services
from palier.problems.models import ProblemStatus
from palier.tickets import services as tickets
from palier.tickets.models import EventKind, TicketEvent, TicketStatus
from tests.factories import kinds, taken


def _incidents(desk, side, n=3, **kwargs):
    return [desk.open(side, **kwargs) for _ in range(n)]


def test_create_from_incidents_links_and_journals_each(desk):
    incidents = _incidents(desk, desk.a)
    problem = services.create_problem(desk.a.l3, title="VPN concentrator drops tunnels",
                                      ticket_ids=[t.pk for t in incidents])
    assert problem.client_id == desk.a.client.pk
    assert problem.owner_group == desk.groups["infra"]  # the highest level's group
    assert list(selectors.incidents(desk.a.l3, problem.pk)) == incidents
    for ticket in incidents:
        event = TicketEvent.objects.get(ticket=ticket, kind=EventKind.PROBLEM_LINKED)
        assert event.data["problem"] == problem.pk and not event.public
    with pytest.raises(Conflict):
        services.link_incident(desk.a.l3, problem.pk, incidents[0].pk)


def test_problems_are_staff_only_and_never_cross_clients(desk):
    problem = services.create_problem(desk.a.l3, title="Tunnel drops",
                                      ticket_ids=[desk.open(desk.a).pk])
    for outsider in (desk.b.l3, desk.b.manager):
        with pytest.raises(NotFound):
            selectors.access_problem(outsider, problem.pk)
        with pytest.raises(NotFound):
            services.add_note(outsider, problem.pk, body="peek")
    with pytest.raises(NotFound):
        selectors.access_problem(desk.a.requester, problem.pk)
    with pytest.raises(PermissionDenied):
        services.create_problem(desk.a.requester, title="x")
    with pytest.raises(NotFound):  # another client's incident
        services.link_incident(desk.a.l3, problem.pk, desk.open(desk.b).pk)


def test_only_incidents_are_linked(desk):
    request = desk.open(desk.a, kind="request")
    with pytest.raises(ValidationFailed):
        services.create_problem(desk.a.l3, title="x", ticket_ids=[request.pk])


def test_investigation_root_cause_vendor_and_known_error(desk, publish):
    problem = services.create_problem(desk.a.l3, title="Tunnel drops")
    services.add_note(desk.a.l3, problem.pk, body="Seen only on firmware 7.2")
    services.update(desk.a.l3, problem.pk, root_cause="IKE rekey bug in 7.2",
                    vendor="Fortinet", vendor_reference="CASE-77")
    workaround = publish(desk.a.l3, title="Pin IKE lifetime", min_level_id=desk.levels["L1"].pk)
    known = services.mark_known_error(desk.a.l3, problem.pk, workaround_article_id=workaround.pk)
    assert known.status == ProblemStatus.KNOWN_ERROR
    assert (known.root_cause, known.vendor_reference) == ("IKE rekey bug in 7.2", "CASE-77")
    assert known.workaround_article == workaround
    with pytest.raises(Conflict):
        services.update(desk.a.l3, problem.pk, root_cause="stale", version=1)


def test_resolving_resolves_open_incidents_each_journaled(desk):
    open_one = taken(desk, desk.a)
    done = taken(desk, desk.a)
    tickets.resolve(desk.a.l1, done.pk, resolution="Restarted")
    problem = services.create_problem(desk.a.manager, title="Tunnel drops",
                                      ticket_ids=[open_one.pk, done.pk])
    before = kinds(open_one.pk)
    result = services.resolve_problem(desk.a.manager, problem.pk, resolution="Firmware 7.4",
                                      resolve_incidents=True,
                                      message="Fixed by the firmware upgrade.")
    assert result.problem.status == ProblemStatus.RESOLVED
    assert result.resolved_ticket_ids == [open_one.pk]
    open_one.refresh_from_db()
    assert open_one.status == TicketStatus.RESOLVED
    assert open_one.resolution == "Fixed by the firmware upgrade."
    assert kinds(open_one.pk) == [*before, EventKind.RESOLVED]


def test_resolution_is_all_or_nothing(desk):
    incident = taken(desk, desk.a)  # in the L1 queue: the L3 owner may not resolve it
    problem = services.create_problem(desk.a.l3, title="Tunnel drops", ticket_ids=[incident.pk])
    with pytest.raises(PermissionDenied):
        services.resolve_problem(desk.a.l3, problem.pk, resolution="fixed",
                                 resolve_incidents=True)
    problem.refresh_from_db()
    incident.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN and incident.status == TicketStatus.OPEN
    with pytest.raises(PermissionDenied):  # not the owner group
        services.resolve_problem(desk.a.l2, problem.pk, resolution="fixed")
    assert services.resolve_problem(desk.a.l3, problem.pk,
                                    resolution="fixed").resolved_ticket_ids == []


def test_clusters_group_similar_recent_incidents(desk):
    vpn = _incidents(desk, desk.a, 3, title="VPN tunnel drops every ten minutes",
                     description="The VPN tunnel disconnects again and again.")
    _incidents(desk, desk.a, 1, title="Printer out of toner", description="Toner empty.")
    found = selectors.clusters(desk.a.l1)
    assert [sorted(c.ticket_ids) for c in found] == [sorted(t.pk for t in vpn)]
    problem = services.create_from_cluster(desk.a.l3, found[0].ticket_ids)
    assert problem.title == found[0].title
    assert selectors.clusters(desk.a.l1) == []  # linked incidents leave the suggestions
    assert selectors.clusters(desk.b.l1) == [] and selectors.clusters(desk.a.requester) == []


def test_merged_duplicates_are_not_a_recurrence(desk):
    vpn = _incidents(desk, desk.a, 3, title="VPN tunnel drops every ten minutes",
                     description="The VPN tunnel disconnects again and again.")
    tickets.merge(desk.a.l1, vpn[2].pk, into_id=vpn[0].pk)
    assert selectors.clusters(desk.a.l1) == []  # two incidents left, under the minimum of 3


def test_incidents_embedded_on_the_fly_are_stored_for_the_next_page(desk, model, monkeypatch):
    """Regression: while the worker was behind (after a history import), every candidates
    page embedded the same 64 incidents again (1.5 s on 2 cores) and kept none."""
    from palier.knowledge.models import TicketVector

    vpn = _incidents(desk, desk.a, 3, title="VPN tunnel drops every ten minutes",
                     description="The VPN tunnel disconnects again and again.")
    encoded = []
    encode = model.encode
    monkeypatch.setattr(model, "encode", lambda texts: encoded.append(len(texts)) or encode(texts))
    first = selectors.clusters(desk.a.l1)
    assert encoded == [3] and set(TicketVector.objects.values_list("ticket_id", flat=True)) == {
        t.pk for t in vpn}
    assert selectors.clusters(desk.a.l1) == first and encoded == [3]


def test_the_worker_embeds_open_incidents_newest_first_for_the_clusters(desk, model):
    """Regression: only resolved tickets were embedded, so every candidates page embedded 64
    open incidents on the fly (190 ms at 1M tickets) and gave the others zero vectors."""
    from palier.knowledge.models import TicketVector
    from palier.knowledge.similar import embed_tickets

    old = desk.open(desk.a, title="Printer jammed on floor 2", description="Paper stuck.")
    new = [desk.open(desk.a, title=f"VPN drops every hour ({i})",
                     description="The VPN tunnel disconnects") for i in range(3)]
    assert embed_tickets(batch=3) == 3
    embedded = set(TicketVector.objects.values_list("ticket_id", flat=True))
    assert embedded == {t.pk for t in new}  # open incidents, newest first
    assert embed_tickets(batch=3) >= 1 and old.pk in set(
        TicketVector.objects.values_list("ticket_id", flat=True))
