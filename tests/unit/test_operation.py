"""Operation scope: a read whose caller is cancelled takes its adopted tasks with
it; a write runs to its end; what is left when an operation ends is cancelled."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway import operation


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


class Work:
    """An operation that schedules one task of its own, as a DataLoader does,
    and waits until released."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.finished = False
        self.side: asyncio.Task[None] | None = None

    async def side_task(self) -> None:
        operation.adopt_current_task()
        await asyncio.Event().wait()

    async def __call__(self) -> str:
        self.side = asyncio.create_task(self.side_task())
        await self.release.wait()
        self.finished = True
        return "answer"


def run(work: Work, *, write: bool, background: set[asyncio.Task[Any]]) -> Any:
    return asyncio.create_task(
        operation.run_operation(work, is_write=lambda: write, background=background)
    )


async def test_a_cancelled_read_cancels_the_operation_and_its_tasks() -> None:
    work, background = Work(), set[asyncio.Task[Any]]()
    caller = run(work, write=False, background=background)
    await settle()
    caller.cancel()
    await settle()
    assert work.side is not None
    assert work.side.cancelled()
    work.release.set()
    await settle()
    assert not work.finished
    assert background == set()
    with pytest.raises(asyncio.CancelledError):
        await caller


async def test_a_cancelled_write_runs_to_its_end() -> None:
    work, background = Work(), set[asyncio.Task[Any]]()
    caller = run(work, write=True, background=background)
    await settle()
    caller.cancel()
    await settle()
    assert len(background) == 1
    assert work.side is not None
    assert not work.side.done()
    work.release.set()
    await operation.drain(background, timeout_s=1.0)
    await settle()
    assert work.finished
    assert background == set()
    # Its scope closed when it ended: the task nobody reads is cancelled.
    assert work.side.cancelled()


async def test_an_answered_operation_cancels_what_it_left_behind() -> None:
    work, background = Work(), set[asyncio.Task[Any]]()
    caller = run(work, write=False, background=background)
    await settle()
    work.release.set()
    assert await caller == "answer"
    await settle()
    assert work.side is not None
    assert work.side.cancelled()


async def test_a_stream_keeps_its_scope_open() -> None:
    work = Work()
    work.release.set()
    answer = await operation.run_operation(
        work, is_write=lambda: False, background=set(), keep_scope=lambda _: True
    )
    await settle()
    assert answer == "answer"
    assert work.side is not None
    assert not work.side.done()
    work.side.cancel()


async def test_a_task_adopted_after_the_operation_ended_is_cancelled() -> None:
    scope = operation.OperationScope()
    scope.close()
    operation.current.set(scope)
    late = asyncio.create_task(Work().side_task())
    await settle()
    assert late.cancelled()
    assert len(scope) == 0


async def test_without_a_scope_nothing_is_adopted() -> None:
    task = asyncio.create_task(Work().side_task())
    await settle()
    assert not task.done()
    task.cancel()
    assert operation.detached().get(operation.current) is None


async def test_a_webhook_handler_finishes_though_its_caller_is_cancelled() -> None:
    release, done = asyncio.Event(), []
    background = set[asyncio.Task[Any]]()

    async def handler(request: str) -> str:
        await release.wait()
        done.append(request)
        return "published"

    wrapped = operation.finish_despite_disconnect(handler, background)
    caller = asyncio.create_task(wrapped("event"))
    await settle()
    caller.cancel()
    await settle()
    release.set()
    await operation.drain(background, timeout_s=1.0)
    assert done == ["event"]
    assert caller.cancelled()
