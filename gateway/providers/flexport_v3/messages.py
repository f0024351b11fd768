"""What a v3 error message means: the field it names, and whether it is a conflict.

Flexport v3 answers every rejected write with one `/api/error` whose `code` is
`unprocessable_entity` whatever the cause (providers.md §3.4 and §3.5), so the
message is the only thing that tells an illegal state transition from bad
input, and the only place a field is named. The rules below are the messages
of §3.4 and the sandbox's documented wording (docs/sandbox.md, decision 14).
"""

from __future__ import annotations

import re

ILLEGAL_TRANSITION = (
    # S3: cancelling a PO that already has a booking.
    re.compile(r"\bmay not be cancelled since it has an active booking\b"),
    # A closed or cancelled PO cannot be reopened, moved to the other final
    # status, or amended (§3.4, inferred wording "is <status> and cannot be …").
    re.compile(r"\bis (closed|cancelled) and cannot be \w+"),
)
"""Messages of a 422 that are really a Conflict: the PO's state forbids the write."""

_PATH = r"[a-z_]+(?:\[\d+\])?(?:\.[a-z_]+(?:\[\d+\])?)*"

_NAMED_PATH = (
    re.compile(rf"^Unknown attribute (?P<path>{_PATH})$"),
    # "line_items[0].product: product_sku must be specified"
    re.compile(rf"^(?P<path>{_PATH}): "),
    # "name is required", "line_items[0].units must be a whole number >= 1"
    re.compile(rf"^(?P<path>{_PATH}) (?:is required|must |accepts |needs )"),
)

_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"is not a valid Purchase Order Status$"), "status"),
    (re.compile(r"is an invalid transportation mode\b"), "transportation_mode"),
    (re.compile(r"^Invalid incoterm\b"), "incoterm"),
    (re.compile(r"at least one line item\b"), "line_items"),
    (re.compile(r"multiple line items with same item key$"), "line_items"),
    (re.compile(r"^Cannot (?:remove|update a) line items?\b"), "line_items"),
    (re.compile(r"^Company does not exist for reference\b"), "parties"),
    (re.compile(r"can not change the seller role\b"), "parties"),
    (re.compile(r"^Unknown unit of measure$"), "unit_of_measure"),
    (re.compile(r"^Must arrive date\b"), "must_arrive_date"),
)
"""S3's sentences that name a field in words rather than by path."""


def is_illegal_transition(message: str | None) -> bool:
    """Whether a 422's message says the PO's state forbids the change."""
    return message is not None and any(p.search(message) for p in ILLEGAL_TRANSITION)


def field_of(message: str | None) -> str | None:
    """The request-body path a message names (`line_items[0].units`), if any."""
    if not message:
        return None
    for pattern in _NAMED_PATH:
        match = pattern.match(message)
        if match:
            return match.group("path")
    for pattern, field in _PHRASES:
        if pattern.search(message):
            return field
    return None
