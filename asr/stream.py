"""A recognition stream for engines that decode whole utterances (Whisper).

Whisper keeps no state between decodes, and re-decoding while the caller speaks multiplies the
work (~4.7x, measured) without shortening the final decode, so the stream buffers audio and
gives no partial results; the endpointer (``asr.vad``) decides when to ``finish``.
"""

from __future__ import annotations

from typing import Protocol

from asr.audio import check_pcm
from asr.base import RecognitionOptions, Transcript
from asr.errors import StreamClosedError


class _Transcriber(Protocol):
    async def transcribe(
        self, pcm: bytes, sample_rate: int, options: RecognitionOptions
    ) -> Transcript: ...


class BufferedStream:
    """Collects the utterance; decodes it once on :meth:`finish`."""

    def __init__(self, engine: _Transcriber, sample_rate: int, options: RecognitionOptions) -> None:
        check_pcm(b"", sample_rate)
        self._engine = engine
        self._rate = sample_rate
        self._options = options
        self._chunks: list[bytes] = []
        self._closed = False

    async def feed(self, pcm: bytes) -> Transcript | None:
        if self._closed:
            raise StreamClosedError("stream already finished")
        check_pcm(pcm, self._rate)
        self._chunks.append(pcm)
        return None

    async def finish(self) -> Transcript:
        if self._closed:
            raise StreamClosedError("stream already finished")
        self._closed = True
        audio = b"".join(self._chunks)
        self._chunks.clear()
        return await self._engine.transcribe(audio, self._rate, self._options)

    async def aclose(self) -> None:
        self._closed = True
        self._chunks.clear()
