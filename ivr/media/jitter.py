"""Reordering by RTP sequence number, and re-chunking into fixed frames."""

from __future__ import annotations

from dataclasses import dataclass


def extend_sequence(seq: int, reference: int) -> int:
    """The 16-bit ``seq`` unwrapped to the extended number closest to ``reference``."""
    candidate = (reference & ~0xFFFF) | seq
    if candidate - reference > 0x8000:
        candidate -= 0x10000
    elif reference - candidate > 0x8000:
        candidate += 0x10000
    return candidate


MAX_CONCEAL = 50  # packets (1 s): a longer gap is skipped, not filled with silence
MAX_JUMP = 3000  # packets: a bigger jump in sequence numbers is a new stream


@dataclass(slots=True)
class JitterCounters:
    released: int = 0
    lost: int = 0
    late: int = 0
    duplicates: int = 0


class JitterBuffer:
    """Puts packets back in sequence order.

    A packet is released as soon as everything before it was released. When a gap is not
    filled while ``depth`` later packets wait, the missing packet is declared lost and
    ``conceal`` bytes of silence (the size of the last frame) stand in for it, so the
    audio keeps its timing. Late packets (behind what was released) and duplicates are
    dropped. Payload sizes may vary (Asterisk's first frame is often short).
    """

    def __init__(self, depth: int = 3, *, conceal: bool = True) -> None:
        if depth < 1:
            raise ValueError("depth must be >= 1")
        self.depth = depth
        self.conceal = conceal
        self.counters = JitterCounters()
        self._pending: dict[int, bytes] = {}
        self._next: int | None = None
        self._highest: int = 0
        self._last_size = 0

    def push(self, sequence: int, payload: bytes) -> list[bytes]:
        """Add one packet; returns the payloads now ready, in order."""
        if self._next is None:
            self._next = self._highest = sequence
        ext = extend_sequence(sequence, self._highest)
        if abs(ext - self._next) > MAX_JUMP:  # the sender restarted its stream: start over
            out = self.flush()
            self._next = self._highest = ext
            self._pending[ext] = payload
            return out + self._drain()
        if ext < self._next:
            self.counters.late += 1
            return []
        if ext in self._pending:
            self.counters.duplicates += 1
            return []
        self._pending[ext] = payload
        self._highest = max(self._highest, ext)
        return self._drain()

    def _drain(self) -> list[bytes]:
        out: list[bytes] = []
        assert self._next is not None
        while True:
            payload = self._pending.pop(self._next, None)
            if payload is not None:
                out.append(payload)
                self._last_size = len(payload)
                self._next += 1
                continue
            if len(self._pending) < self.depth:
                break
            gap_end = min(self._pending)
            self.counters.lost += gap_end - self._next
            if self.conceal and gap_end - self._next <= MAX_CONCEAL:
                out.extend(bytes(self._last_size) for _ in range(gap_end - self._next))
            self._next = gap_end
        self.counters.released += len(out)
        return out

    def flush(self) -> list[bytes]:
        """Release whatever waits (end of stream), gaps skipped."""
        out = [self._pending[k] for k in sorted(self._pending)]
        if self._pending:
            self._next = max(self._pending) + 1
        self._pending.clear()
        self.counters.released += len(out)
        return out


class FrameAssembler:
    """Turns chunks of any size into frames of exactly ``frame_bytes`` (for VAD/ASR)."""

    def __init__(self, frame_bytes: int) -> None:
        if frame_bytes <= 0:
            raise ValueError("frame_bytes must be positive")
        self.frame_bytes = frame_bytes
        self._carry = b""

    def push(self, chunk: bytes) -> list[bytes]:
        data = self._carry + chunk
        cut = len(data) - len(data) % self.frame_bytes
        self._carry = data[cut:]
        return [data[i : i + self.frame_bytes] for i in range(0, cut, self.frame_bytes)]

    def flush(self, *, pad: bool = True) -> bytes | None:
        """The last partial frame, zero-padded to full size (or None if nothing is left)."""
        if not self._carry:
            return None
        rest, self._carry = self._carry, b""
        return rest + bytes(self.frame_bytes - len(rest)) if pad else rest
