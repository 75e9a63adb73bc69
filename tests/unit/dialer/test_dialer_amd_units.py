"""The dialer's answering-machine plumbing without Asterisk (the ``amd=`` Stasis argument is
tested with ``StasisArgs``): the originate into the AMD dialplan context (with the app
subscribed to the channel) or straight into the app, a machine outcome mapped to
``CallOutcome.MACHINE``, and a call that was over before it could be watched."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest

from core.clock import FixedClock
from core.dialogue import Outcome
from dialer.ari_originator import AriOriginator, result_of
from dialer.origination import CallOutcome, DialRequest
from ivr.ari.client import AriClient
from ivr.call_watch import CallWatchers
from ivr.calls import CallResult
from ivr.errors import AriError
from ivr.settings import AriSettings

NOW = datetime(2026, 11, 30, 19, 0, tzinfo=UTC)
REQUEST = DialRequest("att-1", "case-7", "camp", "+15550100", "en", 20.0, {"CALLERID(num)": "1"})


def test_a_machine_outcome_is_a_machine_call() -> None:
    end = CallResult("a1", "a1", NOW, outcome=Outcome.MACHINE, ended_at=NOW)
    result = result_of(end, FixedClock(NOW))
    assert result.outcome is CallOutcome.MACHINE
    assert result.disposition == "machine"
    assert not result.right_party
    assert not result.conversation


class RecordingAri(AriClient):
    """Records originate/subscribe calls; subscribe fails with ``subscribe_error``."""

    def __init__(self, subscribe_error: AriError | None = None) -> None:
        super().__init__(AriSettings())
        self.originated: list[dict[str, object]] = []
        self.subscribed: list[tuple[str, str | None]] = []
        self.subscribe_error = subscribe_error

    async def originate(  # type: ignore[override]
        self,
        endpoint: str,
        *,
        app: str | None = None,
        app_args: Sequence[str] = (),
        channel_id: str | None = None,
        timeout_s: int = 30,
        variables: Mapping[str, str] | None = None,
        dialplan: tuple[str, str, int] | None = None,
    ) -> None:
        self.originated.append(
            {"endpoint": endpoint, "app": app, "app_args": tuple(app_args),
             "channel_id": channel_id, "variables": dict(variables or {}), "dialplan": dialplan}
        )  # fmt: skip

    async def subscribe(self, event_source: str, app: str | None = None) -> None:
        self.subscribed.append((event_source, app))
        if self.subscribe_error is not None:
            raise self.subscribe_error


def _originator(ari: RecordingAri, watchers: CallWatchers, amd: str) -> AriOriginator:
    return AriOriginator(
        ari, watchers, FixedClock(NOW), endpoint_for=lambda r: "PJSIP/15550100@trunk",
        app="bot", amd=amd, amd_context="collectbot-amd",
    )  # fmt: skip


async def _answer_as_machine(watchers: CallWatchers) -> None:
    await asyncio.sleep(0.01)
    watchers.finished(CallResult("att-1", "att-1", NOW, outcome=Outcome.MACHINE, ended_at=NOW))


async def test_asterisk_amd_originates_into_the_context_and_subscribes_the_app() -> None:
    ari, watchers = RecordingAri(), CallWatchers()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(_answer_as_machine(watchers))
        result = await _originator(ari, watchers, "asterisk").place(REQUEST)
    await ari.aclose()
    assert result.outcome is CallOutcome.MACHINE
    [call] = ari.originated
    assert call["dialplan"] == ("collectbot-amd", "s", 1)
    assert call["app"] is None
    assert call["channel_id"] == "att-1"
    assert call["variables"] == {
        "CALLERID(num)": "1", "COLLECTBOT_APP": "bot", "COLLECTBOT_CASE": "case-7",
        "COLLECTBOT_LANG": "en", "COLLECTBOT_SCRIPT": "", "COLLECTBOT_TRANSFERS": "yes",
    }  # fmt: skip
    assert ari.subscribed == [("channel:att-1", "bot")]


@pytest.mark.parametrize("mode", ["heuristic", "off"])
async def test_other_modes_originate_into_the_app_with_the_mode_as_fourth_arg(mode: str) -> None:
    ari, watchers = RecordingAri(), CallWatchers()
    async with asyncio.TaskGroup() as tg:
        tg.create_task(_answer_as_machine(watchers))
        await _originator(ari, watchers, mode).place(REQUEST)
    await ari.aclose()
    [call] = ari.originated
    assert call["app"] == "bot"
    assert call["dialplan"] is None
    assert call["app_args"] == ("outbound", "case-7", "en", f"amd={mode}")
    assert ari.subscribed == []


async def test_a_call_over_before_the_app_could_subscribe_is_failed_not_lost() -> None:
    gone = AriError("Event source does not exist", status=422, retryable=False)
    ari, watchers = RecordingAri(gone), CallWatchers()
    result = await _originator(ari, watchers, "asterisk").place(REQUEST)
    assert result.outcome is CallOutcome.FAILED
    assert result.detail == {"reason": "ended_before_watch"}
    await asyncio.sleep(0)  # the cancelled watch's done-callback runs
    watchers.watch("att-1")  # the watch was released
    broken = RecordingAri(AriError("boom", status=500, retryable=True))
    with pytest.raises(AriError):
        await _originator(broken, CallWatchers(), "asterisk").place(REQUEST)
    await ari.aclose()
    await broken.aclose()
