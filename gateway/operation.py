"""Operation scope: what a client's disconnect cancels, and what it lets finish.

aiohttp cancels a handler whose client hung up (`handler_cancellation`, on in
`gateway.__main__` and in aiohttp's TestServer). Most upstream work of the
operation runs in tasks that cancellation reaches by itself: the resolvers,
the adapters' `gather` fan-outs, the retry loop and the rate-limiter wait in
`gateway.http` all run in tasks the execution awaits. Two kinds do not:

* DataLoader batch loads: aiodataloader dispatches each batch in a task of its
  own, which nothing awaits but the loader's futures. `adopt_current_task`
  (called by `ProviderBatchLoader.batch_load_fn`) files it under the operation
  that scheduled it, and `OperationScope.close` cancels it.
* Single-flight fetches (`gateway.cache.inflight`) are shared with other
  operations: they run in tasks outside every scope (`detached`) and are
  cancelled by InFlight when their last waiter leaves.

`run_operation` runs one operation in a task of its own so that it decides what
a disconnect does: a read is cancelled at once with everything in its scope; a
write runs to its end (a half-applied write is worse than a finished one the
client did not see), then its scope closes. Other routes that write (webhooks)
are wrapped in `finish_despite_disconnect`; the rest (health) may be cancelled.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

log = logging.getLogger("gateway.operation")

T = TypeVar("T")
R = TypeVar("R")


class OperationScope:
    """The tasks one operation started that its own awaits do not reach."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closed = False

    def __len__(self) -> int:
        return len(self._tasks)

    def adopt(self, task: asyncio.Task[Any]) -> None:
        """Cancel `task` with the operation; at once if the operation is over."""
        if self.closed:
            # Scheduled before the operation ended, started after: nobody reads it.
            task.cancel()
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def close(self) -> None:
        """The operation is over (answered or abandoned): cancel what is left."""
        self.closed = True
        for task in list(self._tasks):
            task.cancel()
        self._tasks.clear()


current: contextvars.ContextVar[OperationScope | None] = contextvars.ContextVar(
    "operation_scope", default=None
)


def adopt_current_task() -> None:
    """File the running task under the operation whose context it inherited."""
    scope = current.get()
    task = asyncio.current_task()
    if scope is not None and task is not None:
        scope.adopt(task)


def detached() -> contextvars.Context:
    """A copy of the current context outside every operation scope, for a task
    that must outlive the operation that started it."""
    ctx = contextvars.copy_context()
    ctx.run(current.set, None)
    return ctx


async def run_operation(
    operation: Callable[[], Coroutine[Any, Any, T]],
    *,
    is_write: Callable[[], bool],
    background: set[asyncio.Task[Any]],
    keep_scope: Callable[[T], bool] = lambda _: False,
) -> T:
    """Await `operation()` in a task of its own, inside a fresh scope.

    When the caller is cancelled (the client left), `is_write()` decides: False
    cancels the operation and its scope; True lets it finish, held in
    `background` so shutdown can wait for it. The scope closes when the
    operation ends, unless `keep_scope(result)` (a stream still being read).
    """
    scope = OperationScope()

    async def scoped() -> T:
        current.set(scope)  # the task's own context: the caller's is untouched
        return await operation()

    task = asyncio.create_task(scoped())

    def ended(done: asyncio.Task[T]) -> None:
        failed = done.cancelled() or done.exception() is not None
        if failed or not keep_scope(done.result()):
            scope.close()

    task.add_done_callback(ended)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        if task.done():
            raise
        if is_write():
            log.info("client left during a write; letting it finish")
            background.add(task)
            task.add_done_callback(_reap(background))
        else:
            task.cancel()
            scope.close()
        raise


def _reap(background: set[asyncio.Task[Any]]) -> Callable[[asyncio.Task[Any]], None]:
    """Forget a finished write nobody awaits, logging a failure nobody saw."""

    def reap(done: asyncio.Task[Any]) -> None:
        background.discard(done)
        if done.cancelled():
            return
        if (exc := done.exception()) is not None:
            log.error("a write whose client left failed", exc_info=exc)

    return reap


def finish_despite_disconnect(
    handler: Callable[[R], Awaitable[T]],
    background: set[asyncio.Task[Any]],
) -> Callable[[R], Coroutine[Any, Any, T]]:
    """`handler` run to its end even if its client hangs up: for a route that
    writes (a webhook publishes events; cut between its dedupe mark and its
    publish, the provider's redelivery would be dropped as a duplicate)."""

    async def finished(request: R) -> T:
        async def handle() -> T:
            return await handler(request)

        return await run_operation(handle, is_write=lambda: True, background=background)

    return finished


async def drain(background: set[asyncio.Task[Any]], timeout_s: float) -> None:
    """Wait up to `timeout_s` for the writes whose clients left (at shutdown)."""
    if background:
        await asyncio.wait(list(background), timeout=timeout_s)


__all__ = [
    "OperationScope",
    "adopt_current_task",
    "current",
    "detached",
    "drain",
    "finish_despite_disconnect",
    "run_operation",
]
