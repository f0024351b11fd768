"""`page`/`per` pagination into `/api/collections/paginated` with absolute links."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from aiohttp import web

from .errors import invalid_pagination
from .params import Params

T = TypeVar("T")
Json = dict[str, Any]

DEFAULT_PER = 20
MAX_PER = 100
DIRECTIONS = ("desc", "asc")


@dataclass(frozen=True)
class PageRequest:
    page: int
    per: int
    sort: str | None
    descending: bool


def _whole(q: Params, name: str, message: str) -> int | None:
    value = q.text(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise invalid_pagination(message) from None


def page_request(
    q: Params,
    sorts: Sequence[str] = (),
    default_sort: str | None = None,
    default_direction: str = "asc",
) -> PageRequest:
    """Read page, per and (when `sorts` is given) sort and direction."""
    page_message = "Invalid Page. must be an integer >= 1"
    page = _whole(q, "page", page_message)
    if page is not None and page < 1:
        raise invalid_pagination(page_message)
    per_message = f"Invalid Per Page. allowed values: 1 to {MAX_PER}"
    per = _whole(q, "per", per_message)
    if per is not None and not 1 <= per <= MAX_PER:
        raise invalid_pagination(per_message)
    sort, direction = default_sort, default_direction
    if sorts:
        direction = q.text("direction") or default_direction
        if direction not in DIRECTIONS:
            # Verbatim from the S3 error sample.
            raise invalid_pagination(
                "Invalid Sort Direction. allowed values: desc, asc"
            )
        sort = q.text("sort") or default_sort
        if sort not in sorts:
            raise invalid_pagination(
                f"Invalid Sort Field. allowed values: {', '.join(sorts)}"
            )
    return PageRequest(page or 1, per or DEFAULT_PER, sort, direction == "desc")


def page_link(request: web.Request, page: int) -> str:
    """The request's own URL with `page` replaced; every other parameter kept."""
    rest = [(k, v) for k, v in request.url.query.items() if k != "page"]
    return str(request.url.with_query([("page", str(page)), *rest]))


def paginated(
    request: web.Request,
    items: Sequence[T],
    render: Callable[[T], Json],
    pr: PageRequest,
) -> Json:
    start = (pr.page - 1) * pr.per
    chunk = items[start : start + pr.per]
    has_next = start + pr.per < len(items)
    return {
        "_object": "/api/collections/paginated",
        "prev": page_link(request, pr.page - 1) if pr.page > 1 else None,
        "next": page_link(request, pr.page + 1) if has_next else None,
        "total_count": len(items),
        "data": [render(item) for item in chunk],
    }


def embedded(items: Sequence[T], render: Callable[[T], Json]) -> Json:
    """A whole collection embedded in its parent (`expand=`): one page, no links."""
    return {
        "_object": "/api/collections/paginated",
        "prev": None,
        "next": None,
        "total_count": len(items),
        "data": [render(item) for item in items],
    }
