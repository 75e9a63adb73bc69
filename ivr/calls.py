"""What a call session produces and needs: its result, transcript, timings, transfer event,
and the ``Conversation`` protocol (NLU + policy) it talks to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from core.dialogue import DialogueCommand, DialogueEvent, Lang, Outcome, Parse


class Conversation(Protocol):
    """The dialogue brain of one call: NLU and policy, holding the dialogue state."""

    def understand(self, text: str, lang: Lang) -> Parse: ...

    def decide(self, event: DialogueEvent) -> Sequence[DialogueCommand]: ...


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    at: datetime
    speaker: Literal["bot", "debtor", "dtmf"]
    text: str


@dataclass(frozen=True, slots=True)
class TurnTiming:
    """One debtor turn: end of turn -> transcript -> decision -> first bot audio
    (``first_audio_ms``, the processing time); ``voice_to_voice_ms`` from the caller's last
    voiced frame, ``end_silence_ms`` the silence waited before the turn ended."""

    asr_ms: float
    decide_ms: float
    first_audio_ms: float | None
    voice_to_voice_ms: float | None = None
    nlu_ms: float | None = None
    tts_first_audio_ms: float | None = None
    end_silence_ms: float | None = None


@dataclass(frozen=True, slots=True)
class TransferStarted:
    """Published when the agent joins: the admin API turns it into a screen-pop."""

    call_id: str
    agent_channel_id: str
    reason: str
    summary: str
    transcript: tuple[TranscriptLine, ...]
    case_id: str | None = None
    agent_id: str | None = None  # None: the call went to the agents' queue


@dataclass(slots=True)
class CallResult:
    call_id: str
    channel_id: str
    started_at: datetime
    outcome: Outcome | None = None
    records: list[DialogueCommand] = field(default_factory=list)
    transcript: list[TranscriptLine] = field(default_factory=list)
    timings: list[TurnTiming] = field(default_factory=list)
    recording: str | None = None
    recording_cut: str = ""  # the PBX ended this call's recording before the call ended: why
    agent_channel_id: str | None = None
    agent_id: str | None = None  # the agent who took the transfer (None: queue or none)
    ended_at: datetime | None = None
    end_reason: str = ""
    script_version: str = ""  # the script the dialogue ran (``analytics.catalog``); "" if none
