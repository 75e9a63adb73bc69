"""Who may close a ``dialing`` attempt, what the reaper hangs up, and the retry after a lost
call (no I/O: the ARI side is a fake of the few calls the reaper makes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from data.attempts import InDoubt
from dialer.reaper import AriCallReaper, belongs
from dialer.recovery import is_lost
from dialer.retry import RetryRules, plan_after_interruption
from dialer.settings import DialerSettings
from dialer.worker import hard_limit_s
from ivr.ari.models import Bridge, Channel
from ivr.errors import AriNotFound

NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
START = NOW - timedelta(minutes=5)  # when the worker "me" started
LONGEST = timedelta(seconds=3625)


def _attempt(worker: str | None, age: timedelta, attempt_id: str = "att_1") -> InDoubt:
    return InDoubt(attempt_id, "case-1", worker, NOW - age)


@pytest.mark.parametrize(
    ("attempt", "alive", "placing", "lost"),
    [
        (_attempt("dead", timedelta(seconds=10)), {"me"}, set(), True),
        (_attempt("other", timedelta(seconds=10)), {"other"}, set(), False),
        (_attempt("other", timedelta(seconds=10)), None, set(), False),  # Redis can't tell
        (_attempt("other", LONGEST + timedelta(seconds=1)), {"other"}, set(), True),  # backstop
        (_attempt("other", LONGEST - timedelta(seconds=1)), {"other"}, set(), False),
        (_attempt("me", timedelta(minutes=10)), {"me"}, set(), True),  # an earlier run of me
        (_attempt("me", timedelta(minutes=1)), {"me"}, set(), False),  # mine, since my start
        (_attempt("me", LONGEST * 2), {"me"}, {"att_1"}, False),  # I am placing it
        (_attempt(None, timedelta(seconds=10)), set(), set(), True),
    ],
)
def test_which_dialing_attempts_are_lost(
    attempt: InDoubt, alive: set[str] | None, placing: set[str], lost: bool
) -> None:
    assert is_lost(attempt, "me", alive, placing, START, NOW, LONGEST) is lost


@pytest.mark.parametrize(
    ("resource", "mine"),
    [
        ("att_1", True),
        ("att_1;2", True),
        ("att_1-em", True),
        ("att_1-agent-2", True),
        ("att_1-br", True),
        ("att_12", False),
        ("att_12-em", False),
        ("xatt_1", False),
    ],
)
def test_what_belongs_to_a_call(resource: str, mine: bool) -> None:
    assert belongs(resource, "att_1") is mine


class FakeAri:
    def __init__(self, channels: dict[str, str], bridges: list[str]) -> None:
        self.channels, self.bridges = dict(channels), list(bridges)
        self.hung_up: list[str] = []
        self.destroyed: list[str] = []

    async def list_channels(self) -> list[Channel]:
        return [Channel(i, f"Local/{i}", state) for i, state in self.channels.items()]

    async def list_bridges(self) -> list[Bridge]:
        return [Bridge(b, "simple_bridge", "mixing", ()) for b in self.bridges]

    async def hangup(self, channel_id: str, reason: str = "normal") -> None:
        if channel_id.endswith(";2"):  # went with its ;1 half
            raise AriNotFound(f"channel {channel_id} not found")
        self.hung_up.append(channel_id)

    async def destroy_bridge(self, bridge_id: str) -> None:
        self.destroyed.append(bridge_id)


async def test_reaper_ends_every_leg_and_bridge_of_the_call_and_nothing_else() -> None:
    ari = FakeAri(
        {"att_1": "Up", "att_1;2": "Up", "att_1-em": "Up", "att_2": "Up", "att_2-em": "Up"},
        ["att_1-br", "att_2-br"],
    )
    assert await AriCallReaper(ari).reap("att_1") == "Up"
    assert sorted(ari.hung_up) == ["att_1", "att_1-em"]
    assert ari.destroyed == ["att_1-br"]


async def test_reaper_reports_a_call_that_is_already_gone() -> None:
    ari = FakeAri({"att_2": "Up"}, [])
    assert await AriCallReaper(ari).reap("att_1") is None
    assert ari.hung_up == []


def test_retry_after_a_lost_call_and_the_hard_limit() -> None:
    rules = RetryRules()
    assert plan_after_interruption(rules, 1) == timedelta(minutes=30)
    assert plan_after_interruption(rules, rules.max_attempts_per_case) is None
    settings = DialerSettings(ring_timeout_s=25, max_call_s=600)
    assert hard_limit_s(settings) == 630  # Asterisk ends the call 5 s after the dialer gives up
