"""The login limiter shared by every API process: token buckets in Redis.

One bucket per key (username + client address), kept in a Redis hash that a Lua script
refills and takes from atomically, so every uvicorn worker and every host that runs the API
(or ``collectbot serve``) draws from the same bucket. Times come from the injected clock
(wall time; hosts are expected to be NTP-synchronised) so the refill is testable.

When Redis fails (down, timeout, refused) the limiter does not let logins through unlimited.
``on_redis_down`` decides:

* ``"local"`` (the default): each process falls back to its own in-process token bucket with
  the same burst and rate, so an attacker gets at most ``burst × processes`` attempts at once
  and ``rate × processes`` per minute per username + address; staff can still log in;
* ``"closed"``: every login is refused with 503 until Redis answers again.

Either way the outage is logged once (``auth.limiter_redis_down``, error) and its end once
(``auth.limiter_redis_back``); while Redis is down it is retried every ``retry_s`` seconds,
so a dead Redis costs one short timeout per retry period, not one per login.
"""

from __future__ import annotations

import hashlib
import threading
from typing import Literal

import redis

from admin_api.errors import ApiError
from admin_api.security import RateLimiter
from core.clock import Clock
from core.logging import get_logger

log = get_logger(__name__)
KEY_PREFIX = "collectbot:login:"
RedisDown = Literal["local", "closed"]

# KEYS[1] bucket; ARGV capacity, tokens per second, now (s). Returns 1 to allow, 0 to refuse.
_BUCKET_LUA = """
local capacity = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(state[1])
local ts = tonumber(state[2])
if tokens == nil or ts == nil then
  tokens = capacity
  ts = now
end
if now > ts then
  tokens = math.min(capacity, tokens + (now - ts) * rate)
  ts = now
end
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(ts))
redis.call('PEXPIRE', KEYS[1], math.ceil(capacity / rate * 1000) + 60000)
return allowed
"""


class LoginUnavailable(ApiError):
    """The shared limiter cannot be reached and the API is set to refuse logins then."""

    status_code = 503


class RedisLoginLimiter:
    """``RateLimiter`` over Redis, with a per-process fallback (or refusal) when Redis fails."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        capacity: int,
        per_second: float,
        clock: Clock,
        fallback: RateLimiter,
        on_redis_down: RedisDown = "local",
        retry_s: float = 5.0,
    ) -> None:
        self._client = client
        self._script = client.register_script(_BUCKET_LUA)
        self._capacity = capacity
        self._per_second = per_second
        self._clock = clock
        self._fallback = fallback
        self._on_down = on_redis_down
        self._retry_s = retry_s
        self._down_until: float | None = None  # monotonic; None while Redis answers
        self._lock = threading.Lock()

    def degraded(self) -> bool:
        """True while Redis is considered down (the fallback or refusal is in force)."""
        return self._down_until is not None

    def allow(self, key: str) -> bool:
        if self._skip_redis():
            return self._when_down(key)
        bucket = KEY_PREFIX + hashlib.sha256(key.encode()).hexdigest()
        now = self._clock.now().timestamp()
        try:
            allowed = self._script(keys=[bucket], args=[self._capacity, self._per_second, now])
        except redis.RedisError as e:
            self._mark_down(e)
            return self._when_down(key)
        self._mark_up()
        return bool(allowed)

    def _skip_redis(self) -> bool:
        with self._lock:
            return self._down_until is not None and self._clock.monotonic() < self._down_until

    def _mark_down(self, error: redis.RedisError) -> None:
        with self._lock:
            first = self._down_until is None
            self._down_until = self._clock.monotonic() + self._retry_s
        if first:
            log.error(
                "auth.limiter_redis_down",
                error=type(error).__name__,
                message=str(error)[:200],
                fallback=self._on_down,
            )

    def _mark_up(self) -> None:
        with self._lock:
            was_down = self._down_until is not None
            self._down_until = None
        if was_down:
            log.warning("auth.limiter_redis_back")

    def _when_down(self, key: str) -> bool:
        if self._on_down == "closed":
            raise LoginUnavailable("login is unavailable: the rate limiter cannot be reached")
        return self._fallback.allow(key)
