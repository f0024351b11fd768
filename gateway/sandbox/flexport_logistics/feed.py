"""L16 `GET /events`: the change feed, oldest first, with a `page_info` cursor.

The body is a bare array; when more events match, a `Link: <…?limit=n&
page_info=…>; rel="next"` header points at the next page. The cursor carries
the filters it was issued for: a request may repeat them or leave them out,
but not change them. Every order ever created has its `*.Created` event here,
which is how a client discovers orders (LAPI cannot list them).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from aiohttp import web
from yarl import URL

from ..clock import iso
from .errors import bad_request
from .model import Event
from .params import Params
from .serialize import event_json
from .state import current
from .vocabulary import BASE

routes = web.RouteTableDef()

DEFAULT_LIMIT = 100
MAX_LIMIT = 100
_TYPE = re.compile(r"[\w.]{0,50}")
_FILTERS = ("ids", "type", "after", "orderId", "shipmentId")


def _cursor(position: int, filters: dict[str, Any]) -> str:
    raw = json.dumps(
        {"position": position, "filters": filters},
        sort_keys=True,
        separators=(",", ":"),
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _read_cursor(token: str) -> tuple[int, dict[str, Any]]:
    try:
        padded = token + "=" * (-len(token) % 4)
        data: Any = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise bad_request("page_info is not a valid cursor") from None
    position = data.get("position") if isinstance(data, dict) else None
    filters = data.get("filters") if isinstance(data, dict) else None
    if (
        not isinstance(position, int)
        or isinstance(position, bool)
        or position < 0
        or not isinstance(filters, dict)
    ):
        raise bad_request("page_info is not a valid cursor")
    return position, filters


def _filters(q: Params) -> dict[str, Any]:
    """The filters given on this request, normalised (absent ones omitted)."""
    found: dict[str, Any] = {}
    ids = q.id_list("ids")
    if ids is not None:
        if not all(raw.isascii() and raw.isdigit() for raw in ids):
            raise bad_request("ids must be integers")
        found["ids"] = sorted(int(raw) for raw in ids)
    kind = q.text("type")
    if kind:
        if not _TYPE.fullmatch(kind):
            raise bad_request(r"type must match [\w.]{0,50}")
        found["type"] = kind
    after = q.instant("after")
    if after is not None:
        found["after"] = iso(after)
    for name in ("orderId", "shipmentId"):
        value = q.text(name)
        if value is not None:
            if not (value.isascii() and value.isdigit()):
                raise bad_request(f"{name} must be an integer")
            found[name] = int(value)
    return found


def _matches(event: Event, filters: dict[str, Any]) -> bool:
    payload = event.payload
    return (
        ("ids" not in filters or event.id in filters["ids"])
        and ("type" not in filters or event.type == filters["type"])
        and ("after" not in filters or iso(event.time) > filters["after"])
        and ("orderId" not in filters or payload.get("orderId") == filters["orderId"])
        and (
            "shipmentId" not in filters
            or payload.get("shipmentId") == filters["shipmentId"]
        )
    )


@routes.get(BASE + "/events")
async def list_events(request: web.Request) -> web.Response:
    q = Params(request.query, ("limit", "page_info", *_FILTERS))
    limit = q.limit(DEFAULT_LIMIT, MAX_LIMIT)
    given = _filters(q)
    filters, position = given, 0
    token = q.text("page_info")
    if token is not None:
        position, filters = _read_cursor(token)
        if given and given != filters:
            raise bad_request("page_info was issued for different filters")
    events = current(request).events
    page: list[Event] = []
    following: int | None = None
    for event in events[position:]:
        if not _matches(event, filters):
            continue
        if len(page) == limit:
            following = event.seq
            break
        page.append(event)
    response = web.json_response([event_json(e) for e in page])
    if following is not None:
        base = URL(str(request.url)).with_query(None)
        target = base.with_query(
            {"limit": str(limit), "page_info": _cursor(following, filters)}
        )
        response.headers["Link"] = f'<{target}>; rel="next"'
    return response
