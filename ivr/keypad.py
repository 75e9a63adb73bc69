"""Keypad digits of a call: what the policy asked for (``AskDTMF``) and what was pressed.

Digits nobody asked for are collected too, until ``#`` or a pause of ``interdigit_s``.
"""

from __future__ import annotations

from core.dialogue import AskDTMF, DtmfReceived


class Keypad:
    def __init__(self, interdigit_s: float) -> None:
        self._interdigit_s = interdigit_s
        self.ask: AskDTMF | None = None
        self.digits = ""

    def expect(self, ask: AskDTMF) -> None:
        self.ask, self.digits = ask, ""

    def wait_s(self, no_input_s: float) -> float:
        """How long the call waits for the caller now (the digit timeout while keying)."""
        return self.ask.timeout_seconds if self.ask else no_input_s

    def pressed(self, digit: str) -> DtmfReceived | None:
        """One key; the digits once the entry is complete (terminator or length)."""
        if self.ask is None:  # digits nobody asked for: collect until # or a pause
            self.ask = AskDTMF("keypad", max_digits=32, timeout_seconds=self._interdigit_s)
        if digit == self.ask.terminator:
            return self.done()
        self.digits += digit
        return self.done() if len(self.digits) >= self.ask.max_digits else None

    def timed_out(self) -> DtmfReceived | None:
        """The wait ran out: the digits keyed so far, if any (else the ask is dropped)."""
        if self.ask is not None and self.digits:
            return self.done()
        self.ask = None
        return None

    def done(self) -> DtmfReceived:
        digits, self.digits, self.ask = self.digits, "", None
        return DtmfReceived(digits)
