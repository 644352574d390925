"""/api/v1/events: the desk's change feed, for integrations that keep a copy of the desk."""

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from palier.api.schemas import Error, EventOut
from palier.tickets import feed

router = Router(tags=["events"])


class FeedQuery(Schema):
    after: int = Field(default=0, ge=0, description="the id of the last event received")
    limit: int = Field(default=100, ge=1, le=feed.MAX_LIMIT)


class FeedEventOut(EventOut):
    ticket_id: int
    ticket_number: str = Field(alias="ticket.number")


class FeedOut(Schema):
    events: list[FeedEventOut]
    after: int = Field(description="pass it as `after` to read on; unchanged when nothing is new")


@router.get("/events", response={200: FeedOut, 400: Error, 401: Error, 422: Error})
def change_feed(request: HttpRequest, query: Query[FeedQuery]):
    """Journal events on the tickets you may read (requesters: their tickets' public
    entries), oldest first, from `after`. Events appear once they are 5 seconds old, so
    that reading on from the last id never skips one written by a slower transaction."""
    events = feed.events_after(request.auth, query.after, limit=query.limit)
    return {"events": events, "after": events[-1].pk if events else query.after}
