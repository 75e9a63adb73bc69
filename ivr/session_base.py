"""The state every part of a ``CallSession`` shares, and the small helpers they all use.

``CallSession`` (ivr/session.py) is assembled from ``SessionBase`` + ``Listening``
(ivr/listening.py: VAD, ASR, barge-in, DTMF) + ``Transferring`` (ivr/transfer.py: the agent
leg). This module holds the constructor, the inputs (``deliver``), the transcript, waiting for
one ARI event, and the clean-up step helper.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Literal

from asr.base import Recognizer
from asr.vad import SpeechEnded, SpeechStarted
from core.clock import Clock
from core.dialogue import AskDTMF, DialogueEvent, Lang, Say
from core.logging import get_logger
from ivr.ari.client import AriClient
from ivr.ari.models import AriEvent
from ivr.calls import CallResult, Conversation, TranscriptLine, TransferStarted
from ivr.errors import AriError, AriNotFound
from ivr.media import RtpEndpoint, RtpSender
from ivr.settings import IvrSettings
from ivr.transfer_desk import AgentDesk, LiveFeed
from tts.base import Synthesizer, VoiceParams

log = get_logger(__name__)

HANGUP_EVENTS = frozenset({"StasisEnd", "ChannelDestroyed", "ChannelHangupRequest"})


@dataclass(frozen=True, slots=True)
class Vad:
    event: SpeechStarted | SpeechEnded
    at: float


Signal = AriEvent | Vad
Publish = Callable[[TransferStarted], Awaitable[None]]


class CallOver(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(slots=True)
class Media:
    endpoint: RtpEndpoint
    em_id: str
    bridge_id: str
    sender: RtpSender
    extra_legs: list[str] = field(default_factory=list)  # e.g. the snoop after a transfer
    extra_bridges: list[str] = field(default_factory=list)


class SessionBase:
    """Runs one call. ``deliver`` feeds it the ARI events of its channels (in order)."""

    def __init__(
        self,
        *,
        ari: AriClient,
        channel_id: str,
        conversation: Conversation,
        recognizer: Recognizer,
        synthesizer: Synthesizer,
        clock: Clock,
        lang: Lang = "en",
        voice: VoiceParams | None = None,
        settings: IvrSettings | None = None,
        claim: Callable[[str], None] = lambda _id: None,
        publish: Publish | None = None,
        case_id: str | None = None,
        desk: AgentDesk | None = None,
        live: LiveFeed | None = None,
    ) -> None:
        self.ari, self.channel_id, self.lang = ari, channel_id, lang
        self._conversation, self._recognizer, self._synth = conversation, recognizer, synthesizer
        self._clock, self._voice = clock, voice
        self._settings = settings or IvrSettings()
        self._claim, self._publish = claim, publish
        self._case_id, self._desk, self._live = case_id, desk, live
        self.call_id = channel_id
        self.result = CallResult(self.call_id, channel_id, clock.now())
        self._inbox: asyncio.Queue[Signal] = asyncio.Queue()
        self._ari_events: asyncio.Queue[AriEvent] = asyncio.Queue()
        self._media: Media | None = None
        self._speaking: Say | None = None
        self._last_prompt: str | None = None  # the question being answered (recognition hint)
        self._barged = False
        self._dtmf_ask: AskDTMF | None = None
        self._digits = ""
        self._speech_end_at: float | None = None
        self._pending_timing: tuple[float, float] | None = None
        self._pending_events: list[DialogueEvent] = []

    # --- inputs ----------------------------------------------------------------------------
    def deliver(self, event: AriEvent) -> None:
        """An ARI event of one of this session's channels (called by the router, in order)."""
        self._inbox.put_nowait(event)
        self._ari_events.put_nowait(event)
        if event.channel_id == self.channel_id and event.type in HANGUP_EVENTS and self._media:
            self._media.sender.stop()  # nobody listens any more

    def _line(self, speaker: Literal["bot", "debtor", "dtmf"], text: str) -> None:
        self.result.transcript.append(TranscriptLine(self._clock.now(), speaker, text))

    # --- helpers ---------------------------------------------------------------------------
    async def _wait_ari(self, kind: str, channel_id: str, within: float) -> AriEvent:
        async with asyncio.timeout(within):
            while True:
                event = await self._ari_events.get()
                if event.type == kind and event.channel_id == channel_id:
                    return event
                if event.channel_id == self.channel_id and event.type in HANGUP_EVENTS:
                    self._inbox.put_nowait(event)
                    raise CallOver("caller_hung_up")

    async def _tidy(self, step: str, call: Awaitable[None]) -> None:
        """One clean-up step; what is already gone is fine, other failures are logged."""
        try:
            await call
        except AriNotFound:
            pass
        except AriError as e:
            log.warning("ivr.cleanup_failed", call_id=self.call_id, step=step, error=str(e))
