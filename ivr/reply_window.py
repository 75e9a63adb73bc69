"""The calls that are between a debtor's end of turn and their reply's first audio.

That window is what the caller hears as the bot's delay (voice-to-voice): process-wide
housekeeping that may stall the threads the calls' ASR and TTS run in (``malloc_trim``, which
walks glibc's arenas under their locks) waits until no call is in it. One object per process,
shared by every ``CallSession`` (``dialer.wiring.Speech.replies``); the event loop only, no lock.
"""

from __future__ import annotations


class ReplyWindows:
    """``open``: calls waiting for their reply's first audio now; ``opened``: windows ever
    opened (two readings tell whether a turn ended in between)."""

    __slots__ = ("open", "opened")

    def __init__(self) -> None:
        self.open = 0
        self.opened = 0

    def enter(self) -> None:
        self.open += 1
        self.opened += 1

    def leave(self) -> None:
        if self.open <= 0:
            raise RuntimeError("a reply window closed that was never opened")
        self.open -= 1

    def quiet(self) -> bool:
        return self.open == 0
