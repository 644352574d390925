"""Fuzzing the inbound path: mutated messages never raise, and each one ends somewhere."""

from __future__ import annotations

import contextlib
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from palier.channels.inbound.parse import Unparseable, parse
from palier.channels.models import InboundMessage, Outcome
from palier.channels.services import compose
from palier.channels.services.inbound import receive
from palier.tickets.models import Ticket, TicketEvent
from tests.channels.conftest import EML

_serial = itertools.count()
SEEDS = sorted(p.read_bytes() for p in EML.glob("*.eml"))
HEADERS = [b"From: ", b"Subject: =?utf-8?B?", b"Content-Type: multipart/mixed; boundary=",
           b"Content-Transfer-Encoding: base64", b"charset=\"x-unknown\"", b"\r\n\r\n",
           b"--", b"=?", b"?=", b"\x00", b"\xff\xfe", b"Message-ID: <", b"In-Reply-To: <",
           b"Auto-Submitted: no", b"References: <ticket-inc-000001@palier.localhost>"]


@st.composite
def mutated(draw) -> bytes:
    raw = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["flip", "cut", "insert", "splice", "dup"]))
        at = draw(st.integers(0, max(0, len(raw) - 1)))
        if op == "flip" and raw:
            raw[at] = draw(st.integers(0, 255))
        elif op == "cut":
            raw = raw[:at] + raw[at + draw(st.integers(1, 200)):]
        elif op == "insert":
            raw[at:at] = draw(st.sampled_from(HEADERS)) + draw(st.binary(max_size=40))
        elif op == "splice":
            raw[at:at] = draw(st.sampled_from(SEEDS))[:draw(st.integers(0, 400))]
        else:
            raw += raw[at:at + 300]
    return bytes(raw)


@given(raw=mutated())
@settings(max_examples=300, deadline=None)
def test_the_parser_raises_nothing_but_unparseable(raw):
    with contextlib.suppress(Unparseable):
        parse(raw, lambda mid: mid.endswith("@palier.localhost>"))


@pytest.mark.django_db
@given(raw=mutated())
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_mutated_message_ends_as_ticket_message_or_quarantine(desk, raw):
    raw = raw.replace(b"Message-ID: <", b"Message-ID: <fuzz%d-" % next(_serial), 1)
    before = InboundMessage.objects.count()
    result = receive(raw)
    record = result.record
    record.refresh_from_db()
    if result.duplicate:  # the mutation kept the Message-ID of an earlier example
        assert InboundMessage.objects.count() == before
        return
    assert record.outcome in (Outcome.TICKET, Outcome.MESSAGE, Outcome.QUARANTINED,
                              Outcome.IGNORED)
    if record.outcome in (Outcome.TICKET, Outcome.MESSAGE):
        assert record.ticket_id and TicketEvent.objects.filter(ticket=record.ticket).exists()
    elif record.outcome == Outcome.QUARANTINED:
        assert bytes(record.raw) == raw and record.reason
    else:  # only automatic mail is ignored, and it touched no ticket
        assert record.reason and record.ticket_id is None
        parsed = parse(raw, compose.is_ours)
        assert parsed.automatic
    assert Ticket.objects.filter(pk=record.ticket_id).exists() or record.ticket_id is None
