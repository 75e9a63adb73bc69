"""Tokens, passwords, the login limiter, masking, webhook signatures, campaign transitions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import jwt
import pytest

from admin_api.errors import NotAuthenticated
from admin_api.masking import mask_email, mask_name, mask_phone
from admin_api.roles import Principal, Role
from admin_api.security import Passwords, TokenBucketLimiter, TokenService
from admin_api.settings import ApiSettings
from admin_api.webhooks import sign, verify_signature
from core.clock import FixedClock
from core.errors import ConfigurationError
from scoring.campaign import CampaignAction, transition
from scoring.errors import TransitionRefused

SECRET = "q8Vt-3mZ_kR1xW9pL4nY7cB2hJ6sD0fG5aE"  # strong enough for production


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 11, 29, 12, tzinfo=UTC))


def test_token_round_trip_and_every_way_it_is_refused(clock: FixedClock) -> None:
    tokens = TokenService(SECRET, timedelta(minutes=15), clock)
    who = Principal("usr_1", "ann", Role.AGENT, "agt_1")
    token = tokens.issue(who)
    assert tokens.verify(token) == who
    with pytest.raises(NotAuthenticated):
        TokenService("x" * 40, timedelta(minutes=15), clock).verify(token)
    claims = jwt.decode(
        token, SECRET, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False}
    )
    forged = jwt.encode({**claims, "role": "admin"}, "g" * 40, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        tokens.verify(forged)
    unsigned = jwt.encode({**claims, "role": "admin"}, key="", algorithm="none")
    with pytest.raises(NotAuthenticated):
        tokens.verify(unsigned)
    bad_role = jwt.encode({**claims, "role": "root"}, SECRET, algorithm="HS256")
    with pytest.raises(NotAuthenticated):
        tokens.verify(bad_role)
    clock.advance(timedelta(minutes=15))
    with pytest.raises(NotAuthenticated, match="expired"):
        tokens.verify(token)


def test_passwords() -> None:
    pw = Passwords(memory_kib=1024, time_cost=1)
    h = pw.hash("correct horse battery")
    assert h.startswith("$argon2id$")
    assert pw.verify(h, "correct horse battery")
    assert not pw.verify(h, "correct horse battery!")
    assert not pw.verify(None, "anything")
    assert not pw.verify("not-a-hash", "anything")


def test_token_bucket(clock: FixedClock) -> None:
    limiter = TokenBucketLimiter(capacity=3, per_second=0.5, clock=clock)
    assert [limiter.allow("a|1") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b|1")
    clock.advance(timedelta(seconds=2))
    assert limiter.allow("a|1")
    assert not limiter.allow("a|1")


def test_a_full_limiter_evicts_the_oldest_unlocked_keys_and_never_frees_a_locked_one(
    clock: FixedClock,
) -> None:
    limiter = TokenBucketLimiter(capacity=3, per_second=1 / 60, clock=clock, max_keys=1000)
    assert [limiter.allow("victim|1") for _ in range(4)] == [True, True, True, False]
    for i in range(50_000):  # an attacker fills the table with fresh keys
        limiter.allow(f"spray{i}|9")
    assert not limiter.allow("victim|1")  # still locked: no fresh tries
    assert len(limiter._buckets) <= 1001
    assert "spray49999|9" in limiter._buckets  # the newest kept, the oldest evicted
    assert "spray0|9" not in limiter._buckets
    clock.advance(timedelta(seconds=60))
    assert limiter.allow("victim|1")  # it refills at its own rate


def test_a_table_of_locked_keys_keeps_them_all(clock: FixedClock) -> None:
    limiter = TokenBucketLimiter(capacity=1, per_second=1 / 60, clock=clock, max_keys=100)
    for i in range(300):
        assert limiter.allow(f"k{i}")
    assert all(not limiter.allow(f"k{i}") for i in range(300))  # none was reset


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("+15551234671", "+1•••••••671"),
        ("+8613800138000", "+86••••••••000"),
        ("+44123", "+•••23"),
    ],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_mask_name_and_email() -> None:
    assert mask_name("John Roe") == "J*** R**"
    assert mask_name("王小明") == "王**"
    assert mask_email("john.roe@example.com") == "j***@example.com"


def test_default_secrets_are_refused_outside_development() -> None:
    ApiSettings()  # development: fine
    with pytest.raises(ConfigurationError, match="JWT_SECRET"):
        ApiSettings(environment="production")
    ApiSettings(
        environment="production",
        jwt_secret=SECRET,
        webhook_secret=SECRET,
        sms_receipt_secret=SECRET,
    )


def test_webhook_signature() -> None:
    body = b'{"event":"outcome"}'
    header = sign(SECRET, 1000, body)
    assert verify_signature(SECRET, header, body, now=1100, tolerance=300)
    assert not verify_signature(SECRET, header, body + b" ", now=1100, tolerance=300)
    assert not verify_signature(SECRET, header, body, now=2000, tolerance=300)
    assert not verify_signature("other", header, body, now=1100, tolerance=300)
    assert not verify_signature(SECRET, "garbage", body, now=1100, tolerance=300)


def test_campaign_transitions_form_the_documented_machine() -> None:
    def target(state: str, action: str) -> str | None:
        try:
            return transition(state, action).value
        except TransitionRefused:
            return None

    states = ("draft", "running", "paused", "stopped", "finished")
    allowed = {(s, a): target(s, a) for s in states for a in CampaignAction}
    assert {k: v for k, v in allowed.items() if v} == {
        ("draft", "start"): "running",
        ("running", "pause"): "paused",
        ("paused", "resume"): "running",
        ("running", "stop"): "stopped",
        ("paused", "stop"): "stopped",
        ("running", "finish"): "finished",
        ("paused", "finish"): "finished",
    }
