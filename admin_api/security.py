"""Password hashes (argon2id), short-lived JWTs (HS256) and the login rate limiter."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice
from typing import Protocol

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from admin_api.errors import NotAuthenticated
from admin_api.roles import Principal, Role
from core.clock import Clock

ISSUER = "collectbot"


class Passwords:
    """argon2id hashes. The defaults follow OWASP (19 MiB, 2 passes, 1 lane); a stored hash
    keeps its own parameters, so changing them affects only new hashes."""

    def __init__(self, *, memory_kib: int = 19_456, time_cost: int = 2) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=1)
        # verified against when the user does not exist, so both paths cost the same time
        self._dummy = self._hasher.hash("collectbot-no-such-user")

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            ok = self._hasher.verify(password_hash or self._dummy, password)
        except (VerificationError, InvalidHashError):
            return False
        return ok and password_hash is not None


@dataclass(frozen=True, slots=True)
class _Verified:
    principal: Principal
    exp: float
    iat: float


@dataclass(frozen=True, slots=True)
class TokenService:
    """Issues and verifies JWTs. A verified token is remembered (bounded, first in first out)
    so the next request with the same token skips the signature check; its times are checked
    against the clock on every use, so a cached token stops working when it expires. Tokens
    are not revocable (see docs/admin-api.md): a cached entry holds nothing that the token
    itself does not say."""

    secret: str
    lifetime: timedelta
    clock: Clock
    cache_size: int = 10_000
    _cache: dict[str, _Verified] = field(default_factory=dict, compare=False, repr=False)
    _cache_lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def issue(self, principal: Principal) -> str:
        now = self.clock.now()
        claims: dict[str, object] = {
            "iss": ISSUER,
            "sub": principal.user_id,
            "name": principal.username,
            "role": principal.role.value,
            "iat": int(now.timestamp()),
            "exp": int((now + self.lifetime).timestamp()),
        }
        if principal.agent_id:
            claims["agent"] = principal.agent_id
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def verify(self, token: str) -> Principal:
        now = self.clock.now().timestamp()
        hit = self._cache.get(token)
        if hit is None:
            hit = self._decode(token)
            with self._cache_lock:
                while len(self._cache) >= self.cache_size:
                    del self._cache[next(iter(self._cache))]
                self._cache[token] = hit
        if hit.exp <= now:
            with self._cache_lock:
                self._cache.pop(token, None)
            raise NotAuthenticated("the token has expired")
        if hit.iat > now + 60:
            raise NotAuthenticated("the token was issued in the future")
        return hit.principal

    def _decode(self, token: str) -> _Verified:
        try:
            claims = jwt.decode(
                token,
                self.secret,
                algorithms=["HS256"],
                issuer=ISSUER,
                # times are checked in verify() against the injected clock, not the host's
                options={
                    "require": ["exp", "iat", "sub", "role", "iss"],
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                },
            )
            agent = claims.get("agent")
            principal = Principal(
                user_id=str(claims["sub"]),
                username=str(claims.get("name", "")),
                role=Role(claims["role"]),
                agent_id=str(agent) if agent else None,
            )
            return _Verified(principal, float(claims["exp"]), float(claims["iat"]))
        except (jwt.PyJWTError, ValueError, KeyError, TypeError) as e:
            raise NotAuthenticated("the token is not valid") from e


class RateLimiter(Protocol):
    def allow(self, key: str) -> bool:
        """Take one token from ``key``'s bucket; False when it is empty."""
        ...


@dataclass
class TokenBucketLimiter:
    """In-process token buckets (one per key). A Redis-backed limiter can replace it.

    Past ``max_keys`` buckets the least recently used ones are dropped, except a locked one
    (less than one token left): dropping it would give its key a fresh bucket. A locked bucket
    refills within ``capacity / per_second`` seconds, after which it can go too."""

    capacity: int
    per_second: float
    clock: Clock
    max_keys: int = 100_000
    _buckets: OrderedDict[str, tuple[float, float]] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _tokens(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (float(self.capacity), now))
        return min(float(self.capacity), tokens + (now - last) * self.per_second)

    def allow(self, key: str) -> bool:
        now = self.clock.monotonic()
        with self._lock:
            tokens = self._tokens(key, now)
            allowed = tokens >= 1.0
            self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
            self._buckets.move_to_end(key)
            if len(self._buckets) > self.max_keys:
                self._evict(now)
            return allowed

    def _evict(self, now: float) -> None:
        """Drop the oldest unlocked buckets until a tenth of the room is free again."""
        target = self.max_keys - max(self.max_keys // 10, 1)
        excess = len(self._buckets) - target
        oldest = islice(self._buckets, excess + 1000)  # bounded work when most are locked
        victims = [k for k in oldest if self._tokens(k, now) >= 1.0][:excess]
        for key in victims:
            del self._buckets[key]
