"""One debtor turn's timing, kept in the call's result and logged as ``ivr.turn``.

The moments (event-loop seconds): the caller's last voiced frame (``voice_ended``), the end of
turn decided (``ended``: after the silence the turn-end policy waited), the transcript ready
(``heard``), the NLU reading's duration, the policy's decision, the first audio frame of the
reply sent and how long the speech took to its first frame. ``ivr.turn`` carries durations
and the language only (``telemetry.metrics`` turns its ``<name>_ms`` fields into histograms):
no words, no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.dialogue import Lang
from core.logging import get_logger
from ivr.calls import TurnTiming

log = get_logger(__name__)


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


@dataclass(frozen=True, slots=True)
class TurnClock:
    voice_ended: float
    ended: float
    heard: float
    nlu_s: float

    def done(
        self, lang: Lang, decide_s: float, first_audio: float | None, tts_first_s: float | None
    ) -> TurnTiming:
        """The turn's timing (the reply's first frame left at ``first_audio``, None: no
        speech in the reply), logged as ``ivr.turn``."""
        v2v = None if first_audio is None else _ms(first_audio - self.voice_ended)
        processing = None if first_audio is None else _ms(first_audio - self.ended)
        tts_first = None if tts_first_s is None else _ms(tts_first_s)
        timing = TurnTiming(
            asr_ms=_ms(self.heard - self.ended),
            decide_ms=_ms(decide_s),
            first_audio_ms=processing,
            voice_to_voice_ms=v2v,
            nlu_ms=_ms(self.nlu_s),
            tts_first_audio_ms=tts_first,
            end_silence_ms=_ms(self.ended - self.voice_ended),
        )
        log.info(
            "ivr.turn",
            language=lang,
            voice_to_voice_ms=v2v,
            processing_ms=processing,
            end_silence_ms=timing.end_silence_ms,
            asr_ms=timing.asr_ms,
            nlu_ms=timing.nlu_ms,
            decide_ms=timing.decide_ms,
            tts_first_audio_ms=tts_first,
        )
        return timing
