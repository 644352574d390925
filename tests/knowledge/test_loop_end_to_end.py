"""The loop the knowledge base exists for, with the packaged model: L2 resolves a ticket,
turns it into an article, a reviewer publishes it, and the next similar ticket at L1 gets
it as its first suggestion and is resolved with it; the counters show it."""

from __future__ import annotations

import pytest

from palier.knowledge import selectors, services
from palier.tickets import services as tickets
from palier.tickets.models import EventKind, TicketEvent, TicketStatus
from tests.factories import accepted

pytestmark = pytest.mark.slow


def test_knowledge_flows_down_from_l2_to_l1(desk, model, publish,
                                             django_capture_on_commit_callbacks):
    publish(desk.a.l2, title="Printer offline after a driver update",
            body="Reinstall the previous printer driver from the vendor site.")
    publish(desk.a.l2, title="Outlook asks for the password again and again",
            body="Clear the stored credentials in the Windows credential manager.")
    first = accepted(desk, desk.a, title="VPN disconnects every few minutes",
                     description="The tunnel drops, the client shows error 809.")
    tickets.resolve(desk.a.l2, first.pk, resolution="Lowered the tunnel MTU to 1400 and "
                                                   "allowed UDP 4500 on the home router.")
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_from_ticket(desk.a.l2, first.pk)
        services.submit_for_review(desk.a.l2, draft.pk)
        services.publish(desk.a.l3, draft.pk)

    second = desk.open(desk.a, title="My VPN keeps dropping the connection",
                       description="Since yesterday the VPN connection is lost repeatedly.")
    tickets.take(desk.a.l1, second.pk)
    suggestions = selectors.suggest(desk.a.l1, f"{second.title}\n{second.description}",
                                    client_id=desk.a.client.pk)
    assert suggestions.mode == "hybrid"
    assert suggestions.articles[0].article == draft
    assert suggestions.tickets[0].ticket == first  # the similar resolved ticket, too
    assert "MTU" in suggestions.tickets[0].resolution

    resolved = services.resolve_with_article(desk.a.l1, second.pk, article_id=draft.pk)
    assert resolved.status == TicketStatus.RESOLVED
    event = TicketEvent.objects.get(ticket=second, kind=EventKind.RESOLVED)
    assert event.data == {"level": "L1", "article": draft.pk}
    services.vote(desk.a.l1, draft.pk, helpful=True)
    stats = selectors.stats(desk.a.manager, draft.pk)
    assert stats == {"uses": 1, "helpful": 1, "unhelpful": 0, "deflections": 0,
                     "resolved_by_level": {"L1": 1}}


def test_semantic_search_finds_a_paraphrase_without_shared_words(desk, model, publish):
    publish(desk.a.l2, title="Printer offline after a driver update",
            body="Reinstall the previous driver.")
    publish(desk.a.l2, title="Mailbox full", body="Archive old mail.")
    result = selectors.search(desk.a.l1, "cannot print any document")
    assert result.mode == "hybrid" and result.reason == ""
    assert result.hits[0].article.title == "Printer offline after a driver update"


def test_the_in_memory_index_follows_retirement_and_levels(desk, model, publish,
                                                           django_capture_on_commit_callbacks):
    article = publish(desk.a.l2, title="Printer offline", body="Reinstall the driver.")
    secret = publish(desk.a.l2, title="Printer firmware flashing", body="Flash the firmware.",
                     min_level_id=desk.levels["L2"].pk)
    l1_titles = {h.article.title for h in selectors.search(desk.a.l1, "printing broken").hits}
    assert l1_titles == {"Printer offline"}
    assert secret.pk in {h.article.pk for h in selectors.search(desk.a.l2, "printing").hits}
    with django_capture_on_commit_callbacks(execute=True):
        services.retire(desk.a.l2, article.pk)
    assert selectors.search(desk.a.l1, "printing broken").hits == []
