"""Domain filters -> X1/X7 query parameters, plus what only the adapter can check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.models import Order, OrderKind
from gateway.providers.base import OrderFilter, ShipmentFilter
from gateway.providers.flxpoint.api import Query
from gateway.providers.flxpoint.status import (
    FR_STATUSES,
    SHIPPING_STATUSES,
    status_query,
)


@dataclass(frozen=True)
class OrderQuery:
    """One OrderFilter as X1 parameters and the checks X1 cannot make.

    X1 filters statuses only as an AND of two lists and has no SKU or creation
    date filter, so `keep` re-checks the unified status, `has_errors`, SKUs and
    `created_before` on each FR; `created_after` ends the walk instead, because
    FR ids ascend with `generatedAt`.
    """

    params: Query
    filter: OrderFilter
    nothing: bool = False
    """No FR can match (another kind, or only statuses Flxpoint never has)."""

    def keep(self, order: Order) -> bool:
        f = self.filter
        if f.statuses and order.status not in f.statuses:
            return False
        if f.has_errors is not None and order.has_errors != f.has_errors:
            return False
        if f.skus and not {line.sku for line in order.lines or ()} & set(f.skus):
            return False
        return not (
            f.created_before
            and order.created_at
            and order.created_at >= _aware(f.created_before)
        )

    def too_old(self, order: Order) -> bool:
        """Older than `created_after`: this FR and every lower id can be skipped."""
        after = self.filter.created_after
        return bool(after and order.created_at and order.created_at < _aware(after))


def order_query(filter: OrderFilter) -> OrderQuery:
    """X1 `filterStatus`/`filterFulfilmentStatus` (csv, as documented) for `filter`."""
    if filter.kinds and OrderKind.FULFILLMENT_REQUEST not in filter.kinds:
        return OrderQuery([], filter, nothing=True)
    statuses = status_query(filter.statuses, filter.has_errors)
    if statuses.empty:
        return OrderQuery([], filter, nothing=True)
    params: Query = []
    if statuses.request is not None and statuses.request != FR_STATUSES:
        params.append(("filterStatus", ",".join(sorted(statuses.request))))
    if statuses.shipping is not None and statuses.shipping != SHIPPING_STATUSES:
        params.append(("filterFulfilmentStatus", ",".join(sorted(statuses.shipping))))
    return OrderQuery(params, filter)


def shipment_params(filter: ShipmentFilter) -> Query:
    """X7's date filters (inclusive upstream)."""
    params: Query = []
    if filter.created_after:
        params.append(("filterCreatedAfter", instant(filter.created_after)))
    if filter.updated_after:
        params.append(("filterUpdatedAfter", instant(filter.updated_after)))
    return params


def instant(moment: datetime) -> str:
    """ISO 8601 UTC with milliseconds, as Flxpoint writes its own timestamps."""
    utc = _aware(moment).astimezone(UTC)
    return utc.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _aware(moment: datetime) -> datetime:
    # A naive datetime from a caller means UTC, as every Flxpoint timestamp is.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
