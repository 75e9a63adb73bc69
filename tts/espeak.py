"""espeak-ng (Debian package) through ``espeak-ng --stdout``: the fallback voice, and Mandarin.

~10-20 ms per sentence including the process start; robotic but intelligible in English.
Mandarin goes through pypinyin (tone numbers) and the ``cmn-latn-pinyin`` voice: the plain
``cmn`` voice reads the tone digits in English and is never used. The process runs as an
asyncio subprocess, so nothing blocks the event loop.
"""

from __future__ import annotations

import asyncio
import re
import shutil

from pypinyin import Style, lazy_pinyin

from tts.audio import FloatArray, wav_to_float
from tts.base import VoiceParams
from tts.errors import SynthesisError, VoiceNotAvailableError
from tts.settings import TtsSettings
from tts.streaming import ClauseSynthesizer
from tts.zh_pron import mark_repay

_BROKEN_VOICES = frozenset({"cmn", "zh", "zh-cmn", "sit/cmn"})
_ZH_PUNCT = re.compile(r"[，、：；,;:]")
_ZH_STOP = re.compile(r"[。！？!?.]")


def to_pinyin(text: str) -> str:
    """'还款一千元。' -> 'huan2 kuan3 yi1 qian1 yuan2 .' (tone numbers, 5 for neutral tone)."""
    text = mark_repay(text)  # 还 read huán where it means "repay"
    text = _ZH_STOP.sub(" . ", _ZH_PUNCT.sub(" , ", text))
    syllables = lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True)
    return re.sub(r"\s+", " ", " ".join(s.strip() for s in syllables)).strip()


class EspeakSynthesizer(ClauseSynthesizer):
    """Formant TTS for every language espeak-ng has a voice for (configured in settings)."""

    name = "espeak"

    def __init__(self, settings: TtsSettings | None = None) -> None:
        self._settings = settings or TtsSettings()
        binary = shutil.which(self._settings.espeak_binary)
        if binary is None:
            raise VoiceNotAvailableError(
                f"{self._settings.espeak_binary} not found: install the Debian package espeak-ng"
            )
        self._binary = binary
        for language, voice in self._settings.espeak_voices.items():
            if language == "zh" and voice.lower() in _BROKEN_VOICES:
                raise VoiceNotAvailableError(
                    f"espeak-ng voice {voice!r} misreads Mandarin; use 'cmn-latn-pinyin'"
                )

    @property
    def languages(self) -> frozenset[str]:
        return frozenset(self._settings.espeak_voices)

    def _voice(self, language: str, params: VoiceParams) -> str:
        return params.voice or self._settings.espeak_voices[language]

    def voice_id(self, language: str, params: VoiceParams | None = None) -> str:
        p = params or self._default_params()
        return f"espeak:{self._voice(language, p)}:p{p.pitch if p.pitch is not None else 50}"

    def _default_params(self) -> VoiceParams:
        return VoiceParams(rate=self._settings.rate, pitch=self._settings.pitch)

    def _command(self, clause: str, language: str, params: VoiceParams) -> list[str]:
        wpm = round(self._settings.espeak_words_per_minute * params.rate)
        text = to_pinyin(clause) if language == "zh" else clause
        command = [self._binary, "--stdout", "-v", self._voice(language, params)]
        command += ["-s", str(max(80, min(450, wpm)))]
        if params.pitch is not None:
            command += ["-p", str(params.pitch)]
        return [*command, "--", text]

    async def _render(
        self, clause: str, language: str, params: VoiceParams
    ) -> tuple[FloatArray, int]:
        process = await asyncio.create_subprocess_exec(
            *self._command(clause, language, params),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            async with asyncio.timeout(self._settings.espeak_timeout_s):
                out, err = await process.communicate()
        except TimeoutError as e:
            process.kill()
            await process.wait()
            raise SynthesisError("espeak-ng timed out") from e
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if process.returncode != 0:
            raise SynthesisError(f"espeak-ng failed: {err.decode(errors='replace')[:200]}")
        return wav_to_float(out)
