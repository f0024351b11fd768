"""TokenBucket: a waiter cancelled before its turn hands its token back only
when nobody reserved after it, so no later request shares another's slot."""

from __future__ import annotations

import asyncio

from gateway.ratelimit import TokenBucket


class Clock:
    """A clock that stands still: only reservations move the balance."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def waiter(bucket: TokenBucket) -> asyncio.Task[bool]:
    return asyncio.create_task(bucket.acquire())


async def test_the_last_waiter_cancelled_gives_its_token_back() -> None:
    bucket = TokenBucket(100.0, 1, clock=Clock())
    assert await bucket.acquire()
    queued = waiter(bucket)
    await settle()
    queued.cancel()
    await settle()
    assert round(bucket.reserve() * 100) == 1, "the next waits one slot, not two"


async def test_a_waiter_cancelled_before_others_keeps_its_slot_spent() -> None:
    bucket = TokenBucket(100.0, 1, clock=Clock())
    assert await bucket.acquire()
    first, second = waiter(bucket), waiter(bucket)
    await settle()
    first.cancel()
    await settle()
    assert round(bucket.reserve() * 100) == 3, "the second still waits for slot 2"
    second.cancel()


async def test_waiters_cancelled_from_the_tail_all_give_their_tokens_back() -> None:
    bucket = TokenBucket(100.0, 1, clock=Clock())
    assert await bucket.acquire()
    first, second = waiter(bucket), waiter(bucket)
    await settle()
    first.cancel()
    await settle()
    second.cancel()
    await settle()
    # Both gone and nobody after them: as if neither had asked.
    assert round(bucket.reserve() * 100) == 1


async def test_a_served_waiter_ends_the_claims_of_those_before_it() -> None:
    bucket = TokenBucket(100.0, 1, clock=Clock())
    assert await bucket.acquire()
    first, second = waiter(bucket), waiter(bucket)
    await settle()
    first.cancel()
    assert await second
    third = waiter(bucket)
    await settle()
    third.cancel()
    await settle()
    # Only the third's token comes back: the first's slot is in the past.
    assert round(bucket.reserve() * 100) == 3
