"""The plain record of one finished call that the QA and the mining read."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from core.dialogue import Lang

CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True, slots=True)
class Turn:
    at: datetime
    speaker: str  # bot | debtor | dtmf | agent
    text: str


@dataclass(frozen=True, slots=True)
class CallFacts:
    attempt_id: str
    case_id: str
    lang: Lang
    jurisdiction: str
    outcome: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    turns: tuple[Turn, ...]
    script_version: str = ""
    agent_id: str | None = None


def detect_lang(turns: Sequence[Turn], default: Lang) -> Lang:
    """The call's language from what the bot said (Chinese characters: zh), else ``default``."""
    said = " ".join(t.text for t in turns if t.speaker == "bot")
    if not said.strip():
        return default
    return "zh" if len(CJK.findall(said)) * 4 >= len(said.replace(" ", "")) else "en"


def speaking_seconds(text: str, lang: Lang) -> float:
    """How long the TTS takes to say ``text``: ~2.6 words/s in English, ~4.5 characters/s in
    Mandarin (the estimate QA uses, since a transcript line carries only its start)."""
    if lang == "zh":
        return len(CJK.findall(text)) / 4.5 + len(re.findall(r"[A-Za-z0-9]+", text)) / 2.6
    return len(text.split()) / 2.6
