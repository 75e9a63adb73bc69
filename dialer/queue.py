"""The dial queue: one Redis Stream per campaign, shared by dialer workers in a consumer group.

Workers claim entries (``XREADGROUP``), keep the ones they are working on alive (``XCLAIM``
with ``JUSTID`` resets the idle time), and acknowledge them when the attempt is recorded.
Entries of a dead worker are taken over with ``XAUTOCLAIM`` once idle for ``claim_idle_ms``.
Each worker also keeps a heartbeat key alive (same period): a worker without one is gone, and
the calls it left ``dialing`` are closed by the others (``dialer.recovery``).
Enqueueing is idempotent per slot key. Redis only distributes work: the attempt ledger in the
database decides whether a slot was dialed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import redis.asyncio as aioredis
from redis.exceptions import RedisError, ResponseError

from dialer.errors import QueueUnavailable

GROUP = "dialers"
T = TypeVar("T")
_ENQUEUE = """
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
  return redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
end
return false
"""


@dataclass(frozen=True, slots=True)
class DueContact:
    """A contact the strategy layer wants made: one case, one slot (e.g. a day's first call)."""

    case_id: str
    slot: str
    campaign_id: str

    @property
    def key(self) -> str:
        return f"{self.campaign_id}:{self.case_id}:{self.slot}"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    entry_id: str
    contact: DueContact
    taken_over: bool  # claimed from another (dead or slow) worker


class DialQueue:
    def __init__(
        self, client: aioredis.Redis, *, timeout_s: float = 5.0, claim_idle_ms: int = 30_000
    ) -> None:
        self._r = client
        self._timeout = timeout_s
        self.claim_idle_ms = claim_idle_ms
        self._enqueue = client.register_script(_ENQUEUE)

    @classmethod
    def from_url(cls, url: str, **kw: Any) -> DialQueue:
        return cls(aioredis.Redis.from_url(url, decode_responses=True), **kw)

    @staticmethod
    def stream(campaign_id: str) -> str:
        return f"cb:dial:{campaign_id}"

    async def _call(self, aw: Awaitable[T], extra_s: float = 0.0) -> T:
        # asyncio.timeout, not wait_for: Python 3.11's wait_for returns the reply instead of
        # raising when a cancellation arrives in the same loop turn as the reply, and a worker's
        # keep-alive, ended by cancelling it, then looped on forever
        try:
            async with asyncio.timeout(self._timeout + extra_s):
                return await aw
        except (RedisError, OSError, TimeoutError) as e:
            raise QueueUnavailable(f"redis: {e.__class__.__name__}: {e}") from e

    async def ensure_group(self, campaign_id: str) -> None:
        try:
            await self._call(
                self._r.xgroup_create(self.stream(campaign_id), GROUP, id="0", mkstream=True)
            )
        except QueueUnavailable as e:
            if isinstance(e.__cause__, ResponseError) and "BUSYGROUP" in str(e.__cause__):
                return
            raise

    async def enqueue(self, contacts: Sequence[DueContact], dedup_ttl_s: int = 3 * 86_400) -> int:
        """Add contacts once per slot key; returns how many were new."""
        added = 0
        for c in contacts:
            fields = ["case_id", c.case_id, "slot", c.slot, "campaign_id", c.campaign_id]
            keys = [self.stream(c.campaign_id), f"cb:dialkey:{c.key}"]
            result = await self._call(self._enqueue(keys=keys, args=[dedup_ttl_s, *fields]))
            added += bool(result)
        return added

    def _entries(self, raw: Sequence[Any], taken_over: bool) -> list[QueueEntry]:
        out = []
        for entry_id, fields in raw:
            if not fields:  # deleted while pending
                continue
            f = cast(Mapping[str, str], fields)
            out.append(
                QueueEntry(
                    entry_id, DueContact(f["case_id"], f["slot"], f["campaign_id"]), taken_over
                )
            )
        return out

    async def claim(
        self, campaign_id: str, consumer: str, count: int, block_ms: int = 1000
    ) -> list[QueueEntry]:
        """Up to ``count`` entries: first those abandoned by dead workers, then new ones."""
        if count <= 0:
            return []
        stream = self.stream(campaign_id)
        claimed = await self._call(
            self._r.xautoclaim(stream, GROUP, consumer, self.claim_idle_ms, "0-0", count=count)
        )
        entries = self._entries(claimed[1], taken_over=True)
        if len(entries) < count:
            fresh = await self._call(
                self._r.xreadgroup(
                    GROUP, consumer, {stream: ">"}, count=count - len(entries), block=block_ms
                ),
                extra_s=block_ms / 1000,
            )
            for _, raw in cast(list[tuple[str, list[Any]]], fresh or []):
                entries += self._entries(raw, taken_over=False)
        return entries

    async def keep_alive(self, campaign_id: str, consumer: str, entry_ids: Sequence[str]) -> None:
        """Reset the idle time of entries this worker is still working on."""
        if entry_ids:
            await self._call(
                self._r.xclaim(
                    self.stream(campaign_id), GROUP, consumer, 0, list(entry_ids), justid=True
                )
            )

    @staticmethod
    def alive_key(worker_id: str) -> str:
        return f"cb:dialer:alive:{worker_id}"

    async def heartbeat(self, worker_id: str) -> None:
        """Say this worker is alive for the next ``claim_idle_ms`` (refreshed every third)."""
        await self._call(self._r.set(self.alive_key(worker_id), "1", px=self.claim_idle_ms))

    async def alive(self, worker_ids: Sequence[str]) -> set[str]:
        """Which of these workers sent a heartbeat within the last ``claim_idle_ms``."""
        ids = sorted(set(worker_ids))
        if not ids:
            return set()
        pipe = self._r.pipeline(transaction=False)
        for w in ids:
            pipe.exists(self.alive_key(w))
        flags = await self._call(pipe.execute())
        return {w for w, f in zip(ids, flags, strict=True) if f}

    async def ack(self, campaign_id: str, entry_id: str) -> None:
        stream = self.stream(campaign_id)
        pipe = self._r.pipeline(transaction=True)
        pipe.xack(stream, GROUP, entry_id)
        pipe.xdel(stream, entry_id)
        await self._call(pipe.execute())

    async def pending(self, campaign_id: str) -> int:
        info = await self._call(self._r.xpending(self.stream(campaign_id), GROUP))
        return int(info["pending"])

    async def backlog(self, campaign_id: str) -> int:
        return int(await self._call(self._r.xlen(self.stream(campaign_id))))

    async def depth(self, campaign_id: str) -> tuple[int, float]:
        """Entries in the stream (waiting + being worked on; acknowledged ones are deleted) and
        the age in seconds of the oldest, by Redis' own clock (0 when empty)."""
        stream = self.stream(campaign_id)
        pipe = self._r.pipeline(transaction=False)
        pipe.xlen(stream)
        pipe.xrange(stream, "-", "+", count=1)
        pipe.time()
        length, first, (secs, micros) = await self._call(pipe.execute())
        if not first:
            return int(length), 0.0
        oldest_ms = int(str(first[0][0]).split("-", 1)[0])
        return int(length), max(0.0, secs + micros / 1e6 - oldest_ms / 1000)

    async def close(self) -> None:
        await self._r.aclose()
