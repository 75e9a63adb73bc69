"""The verified-token cache of ``TokenService``: a hit skips the signature check, but expiry is
checked on every use, a changed token is verified afresh, and the cache stays bounded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from admin_api.errors import NotAuthenticated
from admin_api.roles import Principal, Role
from admin_api.security import TokenService
from core.clock import FixedClock

SECRET = "c" * 40


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 29, 12, tzinfo=UTC))


def _no_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> dict[str, object]:
        raise jwt.InvalidSignatureError("decode called")

    monkeypatch.setattr(jwt, "decode", refuse)


def test_a_cached_token_skips_decoding_until_it_expires(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = TokenService(SECRET, timedelta(minutes=15), clock)
    who = Principal("usr_1", "ann", Role.SUPERVISOR)
    token = tokens.issue(who)
    assert tokens.verify(token) == who
    _no_decoding(monkeypatch)
    assert tokens.verify(token) == who  # served from the cache
    clock.advance(timedelta(minutes=14, seconds=59))
    assert tokens.verify(token) == who
    clock.advance(timedelta(seconds=1))
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.verify(token)
    monkeypatch.undo()
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.verify(token)  # decoded again, still expired


def test_a_changed_token_is_verified_not_matched(clock: FixedClock) -> None:
    tokens = TokenService(SECRET, timedelta(minutes=15), clock)
    token = tokens.issue(Principal("usr_1", "ann", Role.AGENT, "agt_1"))
    tokens.verify(token)
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    forged = jwt.encode({**claims, "role": "admin"}, "f" * 40, algorithm="HS256")
    head, payload, _sig = token.split(".")
    for bad in (forged, f"{head}.{payload}.AAAA", token + "x"):
        with pytest.raises(NotAuthenticated):
            tokens.verify(bad)
    for _ in range(2):  # a refused token is not remembered as valid either
        with pytest.raises(NotAuthenticated):
            tokens.verify(forged)


def test_a_token_from_another_secret_is_refused_by_every_instance(clock: FixedClock) -> None:
    one = TokenService(SECRET, timedelta(minutes=15), clock)
    other = TokenService("o" * 40, timedelta(minutes=15), clock)
    token = one.issue(Principal("usr_1", "ann", Role.ADMIN))
    assert one.verify(token).role is Role.ADMIN
    with pytest.raises(NotAuthenticated):
        other.verify(token)  # caches are per service; nothing leaks between them


def test_the_cache_is_bounded_first_in_first_out(
    clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = TokenService(SECRET, timedelta(minutes=15), clock, cache_size=3)
    issued = [tokens.issue(Principal(f"usr_{i}", f"u{i}", Role.AGENT)) for i in range(5)]
    for t in issued:
        tokens.verify(t)
    _no_decoding(monkeypatch)
    for t in issued[2:]:  # the last three are still cached
        assert tokens.verify(t).user_id.startswith("usr_")
    for t in issued[:2]:  # the first two were evicted: they would need decoding again
        with pytest.raises(NotAuthenticated, match="not valid"):
            tokens.verify(t)


def test_a_token_issued_in_the_future_is_refused_even_when_cached(clock: FixedClock) -> None:
    tokens = TokenService(SECRET, timedelta(minutes=15), clock)
    token = tokens.issue(Principal("usr_1", "ann", Role.AGENT))
    tokens.verify(token)
    clock.advance(timedelta(minutes=-5))  # the clock is corrected backwards
    with pytest.raises(NotAuthenticated, match="future"):
        tokens.verify(token)
