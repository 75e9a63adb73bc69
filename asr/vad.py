"""Voice activity detection (webrtcvad) and an endpointer for turn ends and barge-in.

:class:`FrameClassifier` says whether one 10/20/30 ms frame is speech (2-7 µs per frame, so it
may run on the event loop). :class:`Endpointer` takes audio in chunks of any size, frames it,
and reports :class:`SpeechStarted` once ``start_ms`` of voiced frames were seen within a short
window (the IVR stops playback on it: barge-in) and :class:`SpeechEnded` after
``end_silence_ms`` of silence, carrying the utterance audio with ``preroll_ms`` before the
start, ready for ``Recognizer.transcribe``. With ``on_pause``, it also reports
:class:`SpeechPaused` after ``pause_ms`` of silence inside a turn, so decoding can start early
(``asr.early.EarlyTranscriber``). Offsets are milliseconds of audio fed, so the
endpointer needs no clock and is deterministic in tests.
"""

from __future__ import annotations

import collections
from collections.abc import Callable
from dataclasses import dataclass

import webrtcvad

from asr.audio import check_pcm
from asr.errors import AudioFormatError
from asr.settings import AsrSettings

VAD_RATES = frozenset({8000, 16000, 32000, 48000})
VAD_FRAME_MS = frozenset({10, 20, 30})


@dataclass(frozen=True, slots=True)
class SpeechStarted:
    """The caller started speaking ``offset_ms`` into the stream (start of the first frame)."""

    offset_ms: int


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    """The caller stopped: the last voiced frame ended at ``offset_ms``; ``pcm`` is the turn."""

    offset_ms: int
    start_ms: int
    pcm: bytes

    @property
    def speech_ms(self) -> int:
        return self.offset_ms - self.start_ms


@dataclass(frozen=True, slots=True)
class SpeechPaused:
    """``pause_ms`` of silence inside a turn: a chance to start decoding before the turn ends.

    ``offset_ms`` is where the last voiced frame ended, as in the :class:`SpeechEnded` that
    follows if the caller stays silent; ``pcm`` is the turn so far.
    """

    offset_ms: int
    start_ms: int
    pcm: bytes


VadEvent = SpeechStarted | SpeechEnded


class FrameClassifier:
    """webrtcvad over fixed-size frames of 16-bit mono PCM."""

    def __init__(self, sample_rate: int, frame_ms: int = 20, mode: int = 2) -> None:
        if sample_rate not in VAD_RATES:
            raise AudioFormatError(f"webrtcvad does not take {sample_rate} Hz audio")
        if frame_ms not in VAD_FRAME_MS:
            raise AudioFormatError(f"webrtcvad frames are 10, 20 or 30 ms, not {frame_ms}")
        self.sample_rate = sample_rate
        self.frame_ms = frame_ms
        self.frame_bytes = sample_rate * frame_ms // 1000 * 2
        self._vad = webrtcvad.Vad(mode)

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != self.frame_bytes:
            raise AudioFormatError(f"frame must be {self.frame_bytes} bytes, got {len(frame)}")
        return bool(self._vad.is_speech(frame, self.sample_rate))


class Endpointer:
    """Speech start / end detection over a continuous stream of caller audio."""

    def __init__(
        self,
        sample_rate: int,
        *,
        settings: AsrSettings | None = None,
        classifier: FrameClassifier | None = None,
        on_pause: Callable[[SpeechPaused], None] | None = None,
    ) -> None:
        s = settings or AsrSettings()
        check_pcm(b"", sample_rate)
        self._clf = classifier or FrameClassifier(sample_rate, s.vad_frame_ms, s.vad_mode)
        fm = self._clf.frame_ms
        self._start_frames = max(1, s.vad_start_ms // fm)
        window_len = 2 * self._start_frames
        self._window: collections.deque[bool] = collections.deque(maxlen=window_len)
        self._end_frames = max(1, s.vad_end_silence_ms // fm)
        self._pause_frames = max(1, s.vad_pause_ms // fm)
        self._on_pause = on_pause
        self._preroll: collections.deque[bytes] = collections.deque(
            maxlen=s.vad_preroll_ms // fm + window_len
        )
        self._pending = b""
        self._frames_seen = 0
        self._in_speech = False
        self._silent_run = 0
        self._start_frame = 0
        self._turn: list[bytes] = []

    @property
    def in_speech(self) -> bool:
        return self._in_speech

    def _ms(self, frames: int) -> int:
        return frames * self._clf.frame_ms

    def _on_frame(self, frame: bytes, voiced: bool) -> VadEvent | None:
        self._frames_seen += 1
        if not self._in_speech:
            self._preroll.append(frame)
            self._window.append(voiced)
            if sum(self._window) < self._start_frames:
                return None
            self._in_speech = True
            self._silent_run = 0
            first_voiced = len(self._window) - list(self._window).index(True)
            self._start_frame = self._frames_seen - first_voiced
            self._turn = list(self._preroll)
            self._preroll.clear()
            self._window.clear()
            return SpeechStarted(offset_ms=self._ms(self._start_frame))
        self._turn.append(frame)
        self._silent_run = 0 if voiced else self._silent_run + 1
        if self._silent_run == self._pause_frames < self._end_frames and self._on_pause:
            self._on_pause(self._paused())
        if self._silent_run < self._end_frames:
            return None
        return self._end_turn()

    def _paused(self) -> SpeechPaused:
        end_frame = self._frames_seen - self._silent_run
        pcm = b"".join(self._turn)
        start_ms = self._ms(self._start_frame)
        return SpeechPaused(offset_ms=self._ms(end_frame), start_ms=start_ms, pcm=pcm)

    def _end_turn(self) -> SpeechEnded:
        end_frame = self._frames_seen - self._silent_run
        keep = len(self._turn) - self._silent_run + min(self._silent_run, 10)
        pcm = b"".join(self._turn[:keep])
        self._in_speech = False
        self._turn = []
        self._silent_run = 0
        return SpeechEnded(
            offset_ms=self._ms(end_frame), start_ms=self._ms(self._start_frame), pcm=pcm
        )

    def feed(self, pcm: bytes) -> list[VadEvent]:
        """Add caller audio (any length); return the events it completed, in order."""
        check_pcm(pcm, self._clf.sample_rate)
        data = self._pending + pcm
        size = self._clf.frame_bytes
        events: list[VadEvent] = []
        whole = len(data) - len(data) % size
        for start in range(0, whole, size):
            frame = data[start : start + size]
            event = self._on_frame(frame, self._clf.is_speech(frame))
            if event is not None:
                events.append(event)
        self._pending = data[whole:]
        return events

    def flush(self) -> SpeechEnded | None:
        """End of the stream (hang-up, max duration): close an open turn, if any."""
        self._pending = b""
        if not self._in_speech:
            return None
        return self._end_turn()

    def reset(self) -> None:
        """Forget everything (e.g. after the bot's own prompt was played back)."""
        self._pending = b""
        self._in_speech = False
        self._silent_run = 0
        self._turn = []
        self._window.clear()
        self._preroll.clear()
