"""LAPI problem+json error bodies, and which codes mean "illegal transition"."""

from __future__ import annotations

import re
from typing import Any

from gateway.errors import ParsedError
from gateway.providers.flexport_logistics import wire

INVALID_ORDER_STATUS = "407001"
"""S2's code for "the order is in a state that does not allow it" (answered 400)."""

CONFLICT_CODES = frozenset({INVALID_ORDER_STATUS})
"""Provider codes `Upstream` turns into Conflict whatever the HTTP status."""

# A 422 `detail` lists every problem joined with "; ", each led by its field path
# (`orderItems[0].quantityUOM must be EACH or CASE`).
_FIELD_PROBLEM = re.compile(r"^(?P<path>[a-z][\w.]*(?:\[\d+\][\w.]*)*) (?=\S)")


def parse_error(data: Any) -> ParsedError:
    """Code, message and field problems from a problem+json body.

    `code` may be an integer (six-digit where LAPI defines one, else the HTTP
    status) and `status`/`code`/`message` may be missing: `detail`, then
    `message`, then `title` is the message.
    """
    body = wire.Problem.model_validate(data)
    message = body.detail or body.message or body.title
    fields: dict[str, str] = {}
    if message and (body.status == 422 or body.code == "422"):
        for part in message.split("; "):
            match = _FIELD_PROBLEM.match(part)
            if match:
                fields[match["path"]] = part
    return ParsedError(code=body.code, message=message, fields=fields)
