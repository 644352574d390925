"""Console problem pages: the list with its filters and counts, one problem, the candidate
clusters, and each action through the problem services; staff of the client only."""

from __future__ import annotations

import re

import pytest
from django.test import Client as HttpClient

from palier.accounts.models import Agent, Role, User
from palier.knowledge import services as kb
from palier.problems import services
from palier.problems.models import Problem, ProblemIncident, ProblemNote, ProblemStatus
from palier.tickets.models import EventKind, TicketEvent, TicketStatus
from tests.factories import taken


@pytest.fixture
def workaround(desk):
    """A published internal article usable from L1."""
    article = kb.create_article(desk.a.manager, title="Pin the IKE lifetime",
                                body="Set the IKE lifetime to 8 hours.", audience="internal",
                                min_level_id=desk.levels["L1"].pk)
    kb.submit_for_review(desk.a.manager, article.pk)
    return kb.publish(desk.a.manager, article.pk)


def _problem(desk, side=None, n=2, **kwargs):
    side = side or desk.a
    incidents = [desk.open(side) for _ in range(n)]
    kwargs.setdefault("title", "VPN concentrator drops tunnels")
    return services.create_problem(side.l3, ticket_ids=[t.pk for t in incidents], **kwargs)


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_list_shows_each_problem_with_its_incident_count(desk, browse):
    problem = _problem(desk, n=3)
    page = browse(desk.a.l1).get("/console/problems/").content.decode()
    assert problem.number in page and "VPN concentrator drops tunnels" in page
    assert "<td>3</td>" in page


def test_list_filters_by_status_and_known_error(desk, browse, workaround):
    open_one = _problem(desk, title="Open one")
    known = _problem(desk, title="Known one")
    services.mark_known_error(desk.a.l3, known.pk, workaround_article_id=workaround.pk)
    http = browse(desk.a.l3)
    page = http.get("/console/problems/?known_error=yes").content.decode()
    assert known.number in page and open_one.number not in page
    assert "Pin the IKE lifetime" in page
    page = http.get("/console/problems/?known_error=no").content.decode()
    assert open_one.number in page and known.number not in page
    page = http.get("/console/problems/?status=known_error").content.decode()
    assert known.number in page and open_one.number not in page


def test_shared_problem_counts_only_the_incidents_the_agent_may_see(desk, browse):
    both = User.objects.create_user("l3-both@desk.test", "secret", role=Role.AGENT)
    agent = Agent.objects.create(user=both, hourly_cost=50)
    agent.groups.add(desk.groups["infra"])
    agent.clients.add(desk.a.client, desk.b.client)
    problem = services.create_problem(both, title="Shared DNS outage",
                                      ticket_ids=[desk.open(desk.a).pk, desk.open(desk.b).pk,
                                                  desk.open(desk.b).pk])
    assert problem.client_id is None
    page = browse(desk.a.l3).get("/console/problems/").content.decode()
    assert problem.number in page and "<td>1</td>" in page
    detail = browse(desk.a.l3).get(f"/console/problems/{problem.pk}/").content.decode()
    # the other client's incidents stay hidden
    assert len(re.findall(r'href="/console/tickets/\d+/"', detail)) == 1


def test_problem_page_shows_cause_workaround_incidents_and_notes(desk, browse, workaround):
    problem = _problem(desk)
    services.add_note(desk.a.l3, problem.pk, body="Seen only on firmware 7.2")
    services.mark_known_error(desk.a.l3, problem.pk, workaround_article_id=workaround.pk,
                              root_cause="IKE rekey bug")
    incident = problem.links.first().ticket
    page = browse(desk.a.l1).get(f"/console/problems/{problem.pk}/").content.decode()
    for text in ("IKE rekey bug", "Pin the IKE lifetime", f"/console/kb/{workaround.pk}/",
                 "Seen only on firmware 7.2", incident.number, "Known error"):
        assert text in page


def test_open_a_problem_from_the_ticket_page(desk, browse):
    ticket = desk.open(desk.a)
    http = browse(desk.a.l2)
    assert 'id="panel-open-problem"' in http.get(f"/console/tickets/{ticket.pk}/").content.decode()
    response = http.post("/console/problems/new/", {"ticket": ticket.pk, "title": "Tunnels drop"})
    problem = Problem.objects.get()
    assert response["Location"] == f"/console/problems/{problem.pk}/"
    assert list(problem.links.values_list("ticket_id", flat=True)) == [ticket.pk]
    assert TicketEvent.objects.filter(ticket=ticket, kind=EventKind.PROBLEM_LINKED).exists()
    assert problem.number in http.get(f"/console/tickets/{ticket.pk}/").content.decode()


def test_opening_a_problem_without_a_title_is_refused(desk, browse):
    ticket = desk.open(desk.a)
    response = browse(desk.a.l2).post("/console/problems/new/", {"ticket": ticket.pk,
                                                                 "title": ""}, follow=True)
    assert "Title: This field is required." in _messages(response)
    assert not Problem.objects.exists()


def test_opening_a_problem_from_a_service_request_is_refused(desk, browse):
    request = desk.open(desk.a, kind="request", title="New laptop")
    response = browse(desk.a.l2).post("/console/problems/new/", {
        "ticket": request.pk, "title": "Laptops"}, follow=True)
    assert "is a service request; problems link incidents." in _messages(response)
    assert not Problem.objects.exists()


def test_link_an_incident_by_number_and_unlink_it(desk, browse):
    problem = _problem(desk, n=1)
    incident = desk.open(desk.a)
    http = browse(desk.a.l3)
    response = http.post(f"/console/problems/{problem.pk}/act/link/",
                         {"ticket": incident.number.lower()}, follow=True)
    assert "Incident linked." in _messages(response)
    assert ProblemIncident.objects.filter(problem=problem, ticket=incident).exists()
    response = http.post(f"/console/problems/{problem.pk}/act/unlink/",
                         {"ticket": incident.pk}, follow=True)
    assert "Incident unlinked." in _messages(response)
    assert not ProblemIncident.objects.filter(problem=problem, ticket=incident).exists()
    assert TicketEvent.objects.filter(ticket=incident, kind=EventKind.PROBLEM_UNLINKED,
                                      data__problem=problem.pk).exists()


def test_linking_another_clients_incident_says_it_was_not_found(desk, browse):
    problem = _problem(desk, n=1)
    other = desk.open(desk.b)
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/link/",
                                      {"ticket": other.number}, follow=True)
    assert "No such incident or article was found." in _messages(response)
    assert problem.links.count() == 1


def test_linking_a_malformed_number_is_a_form_error(desk, browse):
    problem = _problem(desk, n=1)
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/link/",
                                      {"ticket": "printer"}, follow=True)
    assert "Enter an incident number such as INC-000123." in _messages(response)


def test_unlinking_from_a_resolved_problem_is_refused(desk, browse):
    problem = _problem(desk, n=1)
    incident = problem.links.get().ticket
    services.resolve_problem(desk.a.l3, problem.pk, resolution="Firmware 7.4")
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/unlink/",
                                      {"ticket": incident.pk}, follow=True)
    assert "is resolved; its incidents stay linked." in _messages(response)
    assert problem.links.count() == 1


def test_add_a_note_and_an_empty_one_is_refused(desk, browse):
    problem = _problem(desk, n=1)
    http = browse(desk.a.l2)
    http.post(f"/console/problems/{problem.pk}/act/note/", {"body": "Firmware 7.2 only"})
    assert list(ProblemNote.objects.values_list("body", flat=True)) == ["Firmware 7.2 only"]
    response = http.post(f"/console/problems/{problem.pk}/act/note/", {"body": ""}, follow=True)
    assert "Note: This field is required." in _messages(response)
    assert ProblemNote.objects.count() == 1


def test_record_the_root_cause_and_vendor(desk, browse):
    problem = _problem(desk, n=1)
    browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/update/", {
        "root_cause": "IKE rekey bug", "vendor": "Fortinet", "vendor_reference": "CASE-77",
        "version": problem.version})
    problem.refresh_from_db()
    assert (problem.root_cause, problem.vendor, problem.vendor_reference) == (
        "IKE rekey bug", "Fortinet", "CASE-77")


def test_a_stale_version_is_refused_with_a_message(desk, browse):
    problem = _problem(desk, n=1)
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/update/", {
        "root_cause": "stale", "version": problem.version - 1}, follow=True)
    assert "was changed by someone else" in _messages(response)
    problem.refresh_from_db()
    assert problem.root_cause == ""


def test_mark_as_known_error_with_a_workaround_article(desk, browse, workaround):
    problem = _problem(desk, n=1)
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/known-error/", {
        "workaround_article": workaround.pk, "root_cause": "IKE rekey bug",
        "version": problem.version}, follow=True)
    assert "The problem is now a known error." in _messages(response)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.KNOWN_ERROR
    assert problem.workaround_article_id == workaround.pk


def test_known_error_with_an_unknown_article_is_refused(desk, browse):
    problem = _problem(desk, n=1)
    response = browse(desk.a.l3).post(f"/console/problems/{problem.pk}/act/known-error/", {
        "workaround_article": 999999}, follow=True)
    assert "No such incident or article was found." in _messages(response)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_resolve_the_problem_and_its_open_incidents(desk, browse):
    incident = taken(desk, desk.a)
    problem = services.create_problem(desk.a.manager, title="Tunnel drops",
                                      ticket_ids=[incident.pk])
    response = browse(desk.a.manager).post(f"/console/problems/{problem.pk}/act/resolve/", {
        "resolution": "Firmware 7.4", "resolve_incidents": "on",
        "message": "Fixed by the firmware upgrade.", "version": problem.version}, follow=True)
    assert "Problem resolved." in _messages(response)
    problem.refresh_from_db()
    incident.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED
    assert incident.status == TicketStatus.RESOLVED
    assert incident.resolution == "Fixed by the firmware upgrade."


def test_resolving_is_refused_outside_the_owner_group(desk, browse):
    problem = _problem(desk, n=1)  # owned by Infrastructure Engineering (L3)
    response = browse(desk.a.l2).post(f"/console/problems/{problem.pk}/act/resolve/", {
        "resolution": "Fixed"}, follow=True)
    assert "Only the owner group or a manager resolves a problem." in _messages(response)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_candidate_problems_become_a_problem(desk, browse):
    similar = [desk.open(desk.a, title="VPN tunnel drops every ten minutes",
                         description="The VPN tunnel disconnects again and again.")
               for _ in range(3)]
    http = browse(desk.a.l3)
    page = http.get("/console/problems/candidates/").content.decode()
    assert all(t.number in page for t in similar)
    response = http.post("/console/problems/from-cluster/", {
        "tickets": ",".join(str(t.pk) for t in similar), "title": "Tunnels drop"})
    problem = Problem.objects.get()
    assert response["Location"] == f"/console/problems/{problem.pk}/"
    assert problem.title == "Tunnels drop" and problem.links.count() == 3
    assert similar[0].number not in http.get("/console/problems/candidates/").content.decode()


def test_a_cluster_of_one_is_refused(desk, browse):
    ticket = desk.open(desk.a)
    response = browse(desk.a.l3).post("/console/problems/from-cluster/", {
        "tickets": str(ticket.pk)}, follow=True)
    assert "A cluster has at least two incidents." in _messages(response)
    assert not Problem.objects.exists()


def test_another_clients_problem_is_not_found(desk, browse):
    problem = _problem(desk, n=1)
    outsider = browse(desk.b.l3)
    assert outsider.get(f"/console/problems/{problem.pk}/").status_code == 404
    assert problem.number not in outsider.get("/console/problems/").content.decode()
    for action, data in (("note", {"body": "peek"}), ("link", {"ticket": "INC-000001"}),
                         ("resolve", {"resolution": "x"})):
        response = outsider.post(f"/console/problems/{problem.pk}/act/{action}/", data)
        assert response.status_code == 404
    assert not ProblemNote.objects.exists()
    ticket = desk.open(desk.a)
    assert outsider.post("/console/problems/new/", {"ticket": ticket.pk,
                                                    "title": "x"}).status_code == 404
    assert Problem.objects.count() == 1


def test_problem_pages_are_not_found_for_requesters(desk, browse):
    problem = _problem(desk, n=1)
    http = browse(desk.a.requester)
    assert http.get("/console/problems/").status_code == 404
    assert http.get(f"/console/problems/{problem.pk}/").status_code == 404
    assert http.get("/console/problems/candidates/").status_code == 404


def test_unknown_action_is_not_found(desk, browse):
    problem = _problem(desk, n=1)
    assert browse(desk.a.l3).post(
        f"/console/problems/{problem.pk}/act/delete/").status_code == 404


def test_problem_actions_require_post_and_csrf(desk):
    problem = _problem(desk, n=1)
    http = HttpClient(enforce_csrf_checks=True)
    http.force_login(desk.a.l3)
    assert http.get(f"/console/problems/{problem.pk}/act/note/").status_code == 405
    assert http.post(f"/console/problems/{problem.pk}/act/note/",
                     {"body": "x"}).status_code == 403
    assert http.post("/console/problems/new/", {"title": "x"}).status_code == 403


def test_navigation_links_to_problems(desk, browse):
    page = browse(desk.a.l1).get("/console/problems/").content.decode()
    assert re.search(r'<a [^>]*href="/console/problems/" aria-current="page"', page)


def test_problem_pages_in_french(desk, browse):
    problem = _problem(desk, n=1)
    http = browse(desk.a.l3)
    page = http.get(f"/console/problems/{problem.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content
    assert "Incidents liés" in page.decode()
    assert "Problèmes" in http.get("/console/problems/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
