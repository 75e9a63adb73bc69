"""The recogniser's confidence on short first answers: what ``ASR_MIN_CONFIDENCE`` rests on.

Each line is synthesised with the voice ``collectbot simulate call`` uses for the language
(Piper for English, espeak-ng for Mandarin), degraded to telephone quality (8 kHz, 300-3400 Hz,
mu-law) and recognised by Whisper; so is line noise and silence. Prints what was heard, the
confidence (``asr.whisper.whisper_confidence``) and the raw signals. Run with
``.venv/bin/python bench/asr_confidence.py``.
"""

from __future__ import annotations

import asyncio

import numpy as np
from speech_bench import RATE, _telephone  # bench/ is on sys.path when run as a script

from asr.base import RecognitionOptions
from asr.whisper import WhisperRecognizer
from tts.base import Synthesizer
from tts.espeak import EspeakSynthesizer
from tts.piper import PiperSynthesizer

LINES = {
    "en": [
        "Yes.", "Yes, speaking.", "Yeah, that's me.", "This is he.", "Speaking.", "Who?",
        "Who is this?", "Who's calling?", "What is this about?", "Wrong number.", "No.",
        "He's not here.", "Hello?", "Sorry, who?", "Nobody by that name lives here.",
    ],
    "zh": [
        "是我。", "对，是我。", "我就是。", "是的。", "你找谁？", "你是谁？", "哪位？", "什么事？",
        "打错了。", "不是。", "他不在。", "喂？", "这里没有这个人。",
    ],
}  # fmt: skip


def _noise(seconds: float, level: float, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    samples = rng.normal(0, level * 32767, int(seconds * RATE)).clip(-32767, 32767)
    return samples.astype("<i2").tobytes()


async def main() -> None:
    recognizer = WhisperRecognizer()
    voices: dict[str, Synthesizer] = {"en": PiperSynthesizer(), "zh": EspeakSynthesizer()}
    for lang, lines in LINES.items():
        options = RecognitionOptions.of(lang)
        clips = [
            (line, _telephone(await voices[lang].synthesize(line, lang, RATE))) for line in lines
        ]
        clips += [
            (f"<noise {lv}>", _telephone(_noise(1.2, lv, i)))
            for i, lv in enumerate((0.01, 0.05, 0.2))
        ]
        for said, pcm in clips:
            t = await recognizer.transcribe(pcm, RATE, options)
            s = t.signals
            print(
                f"{lang} said={said!r:34} heard={t.text!r:34} conf={t.confidence}"
                f" logprob={s and s.avg_logprob and round(s.avg_logprob, 3)}"
                f" no_speech={s and s.no_speech_prob and round(s.no_speech_prob, 3)}"
            )


if __name__ == "__main__":
    asyncio.run(main())
