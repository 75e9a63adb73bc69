"""The dialer's ``AriOriginator`` against the real sandbox Asterisk.

An ``IvrApp`` (Stasis app ``collectbot-dialer-test``) runs with a fake recognizer and
synthesizer and a scripted conversation; the originator dials Local channels into dialplan
contexts that are busy, never answer, do not exist, are congested, or answer (then the IVR
session talks and its result becomes the ``DialResult``).

Run under the sandbox lock: ``flock /tmp/collectbot-sandbox.lock .venv/bin/pytest …``.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import pytest
from dialer_sandbox import asterisk

from asr.fake import FakeRecognizer
from core.clock import SystemClock
from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    Hangup,
    Lang,
    Outcome,
    Parse,
    RecordPromise,
    Say,
)
from core.money import Money
from dialer.ari_originator import AriOriginator
from dialer.origination import CallOutcome, DialRequest, DialResult
from ivr.ari import AriClient, Channel
from ivr.calls import CallResult
from ivr.errors import AlreadyWatched, AriError
from ivr.router import IvrApp
from ivr.session import CallSession
from ivr.settings import AriSettings, IvrSettings
from tts.fake import FakeSynthesizer

__all__ = ["asterisk"]

APP = "collectbot-dialer-test"


class PromiseConversation:
    """Greets, records a promise and hangs up: no listening needed."""

    def understand(self, text: str, lang: Lang) -> Parse:
        return Parse("promise_to_pay", 0.9)

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]:
        if isinstance(event, CallAnswered):
            return [
                Say("Hello, this is Example Bank.", "greet", "en"),
                RecordPromise(Money.of("120", "USD"), date(2026, 12, 4)),
                Hangup(Outcome.PROMISE_TO_PAY),
            ]
        return []


@dataclass
class Rig:
    app: IvrApp
    originator: AriOriginator
    destinations: dict[str, str]
    args: list[tuple[str, ...]] = field(default_factory=list)
    results: list[CallResult] = field(default_factory=list)


def _request(ring_timeout_s: float = 15.0) -> DialRequest:
    return DialRequest(
        attempt_id=f"t-att-{uuid.uuid4().hex[:12]}",
        case_id="case-1",
        campaign_id="camp-1",
        phone="+15550100",
        language="en",
        ring_timeout_s=ring_timeout_s,
        variables={"CB_CASE_ID": "case-1"},
    )


@pytest.fixture
async def rig(asterisk: AriSettings) -> AsyncIterator[Rig]:
    settings = asterisk.model_copy(update={"app": APP})
    ivr_settings = IvrSettings(no_input_s=5.0, max_call_s=30.0)
    async with AriClient(settings) as ari:
        box: list[Rig] = []

        def factory(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            box[0].args.append(args)
            return CallSession.over_ari(
                ari=ari, channel_id=channel.id, conversation=PromiseConversation(),
                recognizer=FakeRecognizer(), synthesizer=FakeSynthesizer(),
                clock=SystemClock(), settings=ivr_settings, claim=claim,
            )  # fmt: skip

        async def on_result(result: CallResult) -> None:
            box[0].results.append(result)

        app = IvrApp(settings, ari, factory, on_result)
        destinations: dict[str, str] = {}
        originator = AriOriginator(
            ari,
            app.watchers,
            SystemClock(),
            endpoint_for=lambda r: destinations[r.attempt_id],
            app=APP,
            max_call_s=30.0,
        )
        box.append(Rig(app, originator, destinations))
        task = asyncio.create_task(app.run())
        try:
            await asyncio.wait_for(app.ready.wait(), 10)
            yield box[0]
        finally:
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task


async def _place(rig: Rig, endpoint: str, within: float = 25.0) -> tuple[DialRequest, DialResult]:
    request = _request()
    rig.destinations[request.attempt_id] = endpoint
    result = await asyncio.wait_for(rig.originator.place(request), within)
    return request, result


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ("sim-busy", CallOutcome.BUSY),
        ("sim-noanswer", CallOutcome.NO_ANSWER),
        ("sim-invalid", CallOutcome.INVALID_NUMBER),
        ("sim-congestion", CallOutcome.FAILED),
    ],
)
async def test_unanswered_calls_end_with_the_cause_outcome(
    rig: Rig, context: str, expected: CallOutcome
) -> None:
    started = asyncio.get_running_loop().time()
    _, result = await _place(rig, f"Local/s@{context}/n")
    took = asyncio.get_running_loop().time() - started
    print(context, result, f"{took:.2f} s")
    assert result.outcome == expected
    assert result.answered_at is None
    assert rig.args == []  # no session was started for a call nobody answered


async def test_answered_call_maps_the_session_result(rig: Rig) -> None:
    request, result = await _place(rig, "Local/s@answer-wait/n")
    print("answered", result)
    assert isinstance(result, DialResult)
    assert result.outcome == CallOutcome.ANSWERED
    assert result.right_party
    assert result.conversation
    assert result.disposition == "promise_to_pay"
    assert result.answered_at is not None
    assert result.answered_at <= result.ended_at
    assert result.detail["call_id"] == request.attempt_id
    # the fourth argument: answering-machine detection mode (DIALER_AMD, default heuristic)
    assert rig.args == [("outbound", request.case_id, request.language, "amd=heuristic")]
    [session] = rig.results
    assert session.channel_id == request.attempt_id
    assert RecordPromise(Money.of("120", "USD"), date(2026, 12, 4)) in session.records


async def test_a_second_originate_of_the_same_attempt_is_refused(rig: Rig) -> None:
    request = _request()
    rig.destinations[request.attempt_id] = "Local/s@answer-wait/n"
    first = asyncio.create_task(rig.originator.place(request))
    await asyncio.sleep(0.3)
    with pytest.raises(AriError):  # Asterisk refuses a second channel with that id
        await rig.app.ari.originate("Local/s@answer-wait/n", app=APP, channel_id=request.attempt_id)
    with pytest.raises(AlreadyWatched):  # and the originator does not even try
        await rig.originator.place(request)
    result = await asyncio.wait_for(first, 25)
    assert result.outcome == CallOutcome.ANSWERED


async def test_a_far_end_that_only_rings_is_given_up_after_the_ring_timeout(rig: Rig) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    _, result = await _place(rig, "Local/s@sim-ring/n", within=30)
    took = loop.time() - started
    print("ring timeout:", result, f"{took:.2f} s")
    assert result.outcome == CallOutcome.NO_ANSWER
    assert 15.0 <= took < 20.0  # rings at least 15 s, then gives up
    assert rig.args == []
