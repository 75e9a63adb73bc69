"""What the disclosure-safety tests share: the day of the calls and the verification settings."""

from __future__ import annotations

from datetime import UTC, date, datetime

from nlu.policy import VerificationMode

TODAY = date(2026, 11, 29)
NOON = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
# every setting that verifies ("none" discloses at once, by design)
MODES = [m for m in VerificationMode if m is not VerificationMode.NONE]
