"""EarlyTranscriber: decode a turn at its first pause, not only after the turn has ended.

A turn ends after ``vad_end_silence_ms`` (600 ms) of silence; most turns are already complete
at the first ``vad_pause_ms`` (200 ms) of it. On :class:`~asr.vad.SpeechPaused` the turn so far
is decoded in the background; on :class:`~asr.vad.SpeechEnded` at the same offset (no speech
since) that result is used, so the transcript is ready when the turn ends instead of one
decode later. If the caller spoke again, the early decode is cancelled and the whole turn is
decoded. The pause and the end carry the same audio, so the result is the same.
"""

from __future__ import annotations

import asyncio

from asr.base import RecognitionOptions, Recognizer, Transcript
from asr.errors import AsrError
from asr.vad import SpeechEnded, SpeechPaused


class EarlyTranscriber:
    """Pass :meth:`on_pause` to the ``Endpointer``; call :meth:`transcribe` on ``SpeechEnded``.

    The background decodes are tasks of the caller's TaskGroup (the call session's), so they
    end with the call.
    """

    def __init__(
        self,
        recognizer: Recognizer,
        sample_rate: int,
        options: RecognitionOptions,
        task_group: asyncio.TaskGroup,
    ) -> None:
        self._recognizer = recognizer
        self._rate = sample_rate
        self.options = options
        self._tg = task_group
        self._early: tuple[int, asyncio.Task[Transcript | AsrError]] | None = None
        self.reused = 0
        self.discarded = 0

    def on_pause(self, paused: SpeechPaused) -> None:
        self._drop()
        task = self._tg.create_task(self._decode(paused.pcm))
        self._early = (paused.offset_ms, task)

    async def _decode(self, pcm: bytes) -> Transcript | AsrError:
        """An engine error must not end the session's TaskGroup: it is raised on use instead."""
        try:
            return await self._recognizer.transcribe(pcm, self._rate, self.options)
        except AsrError as e:
            return e

    def _drop(self) -> None:
        if self._early is not None:
            self._early[1].cancel()
            self.discarded += 1
            self._early = None

    async def transcribe(self, ended: SpeechEnded) -> Transcript:
        """The turn's transcript: the early decode when it covers the whole turn."""
        early, self._early = self._early, None
        if early is not None and early[0] == ended.offset_ms:
            self.reused += 1
            result = await early[1]
            if isinstance(result, AsrError):
                raise result
            return result
        if early is not None:
            early[1].cancel()
            self.discarded += 1
        return await self._recognizer.transcribe(ended.pcm, self._rate, self.options)

    def cancel(self) -> None:
        """Barge-in handled elsewhere, hang-up, language switch: forget the early decode."""
        self._drop()
