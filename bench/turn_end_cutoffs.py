"""Cut-offs of the turn end from meaning, without Asterisk: every debtor line of the English
simulation scenarios (simulation/scenarios/*_en.yml), spoken by the shipped voice (Piper) at
8 kHz and followed by 2 s of silence, fed to ``ivr.early_turn.MeaningEndpointer`` with the
shipped recogniser and parser after each of several questions (yes/no, promise, year, confirm,
callback time). Each early decode is awaited at once (instant ASR: the earliest a turn could
end, the worst case for cut-offs). A line heard as more than one turn is a cut-off.

    PYTHONPATH=$PWD nice -n 10 .venv/bin/python bench/turn_end_cutoffs.py
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import yaml

from asr.prompt_check import PromptCheckedRecognizer
from asr.vad import SpeechEnded
from asr.whisper import WhisperRecognizer
from core.dialogue import Lang, Parse
from core.logging import configure_logging
from ivr.early_turn import Expectation, MeaningEndpointer
from nlu.parser import default_parser
from tts import engines

RATE = 8000
FRAME = RATE * 2 * 20 // 1000
KEYS = ("greeting", "state_debt", "ask_birth_year", "confirm_promise", "callback_ask_time")
SCENARIOS = Path(__file__).resolve().parent.parent / "simulation" / "scenarios"


def _lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SCENARIOS.glob("*_en.yml")):
        for line in yaml.safe_load(path.read_text()).get("debtor", []):
            if isinstance(line, str) and not line.startswith("<"):
                lines.append(line)
    return list(dict.fromkeys(lines))


async def _turns(
    recognizer: PromptCheckedRecognizer, pcm: bytes, key: str, understand: object
) -> tuple[list[str], int]:
    async with asyncio.TaskGroup() as tg:
        endpointer = MeaningEndpointer(
            recognizer, RATE, tg, understand=understand,  # type: ignore[arg-type]
            expecting=lambda: Expectation.after(key, "en"),
        )  # fmt: skip
        ends: list[SpeechEnded] = []
        for start in range(0, len(pcm), FRAME):
            ends += [
                e for e in endpointer.feed(pcm[start : start + FRAME]) if isinstance(e, SpeechEnded)
            ]
            decoding = endpointer.decoding
            if decoding is not None and not decoding.done():
                await asyncio.wait([decoding])
        texts = [(await endpointer.transcribe(e)).text for e in ends]
    return texts, endpointer.stats.early_ends


async def main() -> None:
    recognizer = PromptCheckedRecognizer(WhisperRecognizer())
    await recognizer.warm_up()
    voice = await engines.voice_for("en")
    parser = await asyncio.to_thread(default_parser)

    def understand(text: str, lang: Lang) -> Parse:
        return parser.parse(text, lang, date(2026, 11, 29))

    lines = _lines()
    runs = split = early = 0
    for line in lines:
        pcm = await voice.synthesize(line, "en", RATE) + bytes(RATE * 2 * 2)
        for key in KEYS:
            texts, ended_early = await _turns(recognizer, pcm, key, understand)
            runs, early = runs + 1, early + ended_early
            if len(texts) != 1:
                split += 1
                print(f"  cut off after {key}: {line!r} heard as {texts}")
    print(f"{len(lines)} lines x {len(KEYS)} questions: {runs} turns, {split} cut off, "
          f"{early} ended from meaning")  # fmt: skip


if __name__ == "__main__":
    configure_logging(level="WARNING")
    asyncio.run(main())
