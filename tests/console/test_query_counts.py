"""Pinned query counts of the console's list and detail pages: they do not grow with the
rows shown (each count is taken on a page with several rows of every kind)."""

from __future__ import annotations

import pytest

from palier.problems import services as problems
from palier.tickets import services


@pytest.fixture
def busy(desk):
    """Tickets in every queue of L1 (mine, pending, resolved, unassigned), two problems with
    incidents and notes."""
    made = [desk.open(desk.a, title=f"VPN issue {n}") for n in range(8)]
    for ticket in made[:4]:
        services.take(desk.a.l1, ticket.pk)
    services.set_pending(desk.a.l1, made[0].pk, waiting_on="The log file")
    services.resolve(desk.a.l1, made[1].pk, resolution="Restarted the client.")
    problem = problems.create_problem(desk.a.l3, title="Tunnels drop",
                                      ticket_ids=[t.pk for t in made[4:]])
    for n in range(3):
        problems.add_note(desk.a.l3, problem.pk, body=f"Note {n}")
    problems.create_problem(desk.a.l3, title="Certificates expire", ticket_ids=[made[2].pk])
    return {"tickets": made, "problem": problem}


@pytest.mark.parametrize(("queue", "queries"), [
    ("mine", 4), ("level", 5), ("unassigned", 4), ("breaching", 4), ("pending", 4),
    ("resolved", 4)])
def test_queue_pages(desk, browse, busy, django_assert_max_num_queries, queue, queries):
    http = browse(desk.a.l1)
    http.get(f"/console/queues/{queue}/")  # warm the session and caches
    with django_assert_max_num_queries(queries):
        assert http.get(f"/console/queues/{queue}/").status_code == 200


def test_ticket_page(desk, browse, busy, django_assert_max_num_queries):
    ticket = busy["tickets"][4]  # linked to a problem, with a journal
    http = browse(desk.a.l1)
    http.get(f"/console/tickets/{ticket.pk}/")
    with django_assert_max_num_queries(15):  # + the requester's other open tickets
        assert http.get(f"/console/tickets/{ticket.pk}/").status_code == 200


def test_problem_list(desk, browse, busy, django_assert_max_num_queries):
    http = browse(desk.a.l3)
    http.get("/console/problems/")
    with django_assert_max_num_queries(4):
        assert http.get("/console/problems/?status=open").status_code == 200


def test_problem_page(desk, browse, busy, django_assert_max_num_queries):
    url = f"/console/problems/{busy['problem'].pk}/"
    http = browse(desk.a.l3)
    http.get(url)
    with django_assert_max_num_queries(6):
        assert http.get(url).status_code == 200


def test_candidate_problems(desk, browse, django_assert_max_num_queries):
    for _ in range(4):
        desk.open(desk.a, title="Printer jams on every print job",
                  description="The office printer jams again.")
    http = browse(desk.a.l3)
    assert "Printer jams" in http.get("/console/problems/candidates/").content.decode()
    with django_assert_max_num_queries(5):
        assert http.get("/console/problems/candidates/").status_code == 200
