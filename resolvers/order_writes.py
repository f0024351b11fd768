"""Order mutations: create, update, cancel, and adding or cancelling one line."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.models import OrderCreate, OrderLineCreate, OrderUpdate
from resolvers.user_errors import (
    EXPECTED,
    invalid,
    plain,
    to_user_errors,
    validate,
)
from resolvers.write_args import decode, keyed, line_of
from resolvers.written import line_written, order_written
from schema.enums import Provider, provider_slug
from schema.node import Info
from schema.order_inputs import OrderCreateInput, OrderLineCreateInput, OrderUpdateInput
from schema.orders import Order, OrderLine
from schema.payloads import (
    OrderCancelPayload,
    OrderCreatePayload,
    OrderLineCancelPayload,
    OrderLineCreatePayload,
    OrderUpdatePayload,
)

OrderId = Annotated[strawberry.ID, strawberry.argument(description="The order's ID.")]
OPTIONS = {"flexe": Provider.FLEXE, "flexportLogistics": Provider.FLEXPORT_LOGISTICS}
"""Provider-only option blocks of OrderCreateInput, and the provider each is for."""


async def create_order(
    info: Info,
    input: Annotated[OrderCreateInput, strawberry.argument(description="The order.")],
) -> OrderCreatePayload | None:
    try:
        data = plain(input)
        del data["provider"]
        for name, provider in OPTIONS.items():
            if data.get(name) is not None and input.provider is not provider:
                raise invalid(
                    ["input", name], f"{name} is only for provider {provider.name}"
                )
        order_input, key = keyed(OrderCreate, data)
        slug = provider_slug(input.provider)
        order = await info.context.provider(slug).create_order(
            order_input, idempotency_key=key
        )
    except EXPECTED as exc:
        return OrderCreatePayload(user_errors=to_user_errors(exc))
    await order_written(info, slug, order)
    return OrderCreatePayload(order=Order.from_model(order))


async def update_order(
    info: Info,
    id: OrderId,
    input: Annotated[
        OrderUpdateInput, strawberry.argument(description="What to change.")
    ],
) -> OrderUpdatePayload | None:
    try:
        ref = decode(id, "Order")
        changes = validate(OrderUpdate, plain(input))
        order = await info.context.provider(ref).update_order(ref.id, changes)
    except EXPECTED as exc:
        return OrderUpdatePayload(user_errors=to_user_errors(exc, ["id"]))
    await order_written(info, ref.provider, order)
    return OrderUpdatePayload(order=Order.from_model(order))


async def cancel_order(
    info: Info,
    id: OrderId,
    reason: Annotated[
        str | None,
        strawberry.argument(
            description="Why; kept where the provider records a reason."
        ),
    ] = None,
) -> OrderCancelPayload | None:
    try:
        ref = decode(id, "Order")
        if reason is not None and len(reason) > 500:
            raise invalid(["reason"], "reason is at most 500 characters")
        order = await info.context.provider(ref).cancel_order(ref.id, reason=reason)
    except EXPECTED as exc:
        return OrderCancelPayload(user_errors=to_user_errors(exc, ["id"]))
    await order_written(info, ref.provider, order)
    return OrderCancelPayload(order=Order.from_model(order))


async def create_order_line(
    info: Info,
    order_id: OrderId,
    input: Annotated[
        OrderLineCreateInput, strawberry.argument(description="The new line.")
    ],
) -> OrderLineCreatePayload | None:
    try:
        ref = decode(order_id, "Order", at=["orderId"])
        data = plain(input)
        line_input, key = keyed(OrderLineCreate, data)
        line = await info.context.provider(ref).create_order_line(
            ref.id, line_input, idempotency_key=key
        )
    except EXPECTED as exc:
        return OrderLineCreatePayload(user_errors=to_user_errors(exc, ["orderId"]))
    await line_written(info, ref.provider, line)
    return OrderLineCreatePayload(order_line=OrderLine.from_model(line))


async def cancel_order_line(
    info: Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The order line's ID.")
    ],
) -> OrderLineCancelPayload | None:
    try:
        ref, order_id, line_id = line_of(id, at=["id"])
        line = await info.context.provider(ref).cancel_order_line(order_id, line_id)
    except EXPECTED as exc:
        return OrderLineCancelPayload(user_errors=to_user_errors(exc, ["id"]))
    await line_written(info, ref.provider, line)
    return OrderLineCancelPayload(order_line=OrderLine.from_model(line))
