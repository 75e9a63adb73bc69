"""The IVR's result sink: every finished call is written to the database in one transaction.

``CallStore`` is passed to ``IvrApp(on_result=store.save)``; its ``wrap`` wraps the session
factory to learn each call's case from the StasisStart arguments, which the dialer's
``AriOriginator`` sends as ``outbound,<case_id>,<lang>``. The attempt id is the channel id (the
dialer originates with ``channel_id = attempt id``). The synchronous database work runs in a
thread, off the event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from core.clock import Clock
from core.logging import get_logger
from data.call_records import CallRecord, save_call
from data.crypto import Keyring
from data.db import Database
from ivr.ari import Channel
from ivr.calls import CallResult
from ivr.router import SessionFactory
from ivr.session import CallSession

log = get_logger(__name__)


def case_id_of(args: tuple[str, ...]) -> str | None:
    """The case id in StasisStart args ``outbound,<case_id>[,<lang>]`` (None if absent)."""
    return args[1] if len(args) >= 2 and args[0] == "outbound" and args[1] else None


def call_record(result: CallResult, case_id: str) -> CallRecord:
    """What ``save_call`` writes for one finished call."""
    return CallRecord(
        attempt_id=result.channel_id,
        case_id=case_id,
        started_at=result.started_at,
        answered_at=result.started_at,  # a session starts on StasisStart: the call is up
        ended_at=result.ended_at or result.started_at,
        outcome=str(result.outcome),
        transcript=[(line.at, line.speaker, line.text) for line in result.transcript],
        agent_id=result.agent_id,  # who took the transfer, for the agents' figures
        recording_ref=result.recording,
        records=list(result.records),
        detail={
            "end_reason": result.end_reason,
            "processing_ms": [t.first_audio_ms for t in result.timings],
        },
    )


class CallStore:
    """Writes finished calls (attempt, outcome, transcript, recording, promise/plan, flags)."""

    def __init__(self, db: Database, keyring: Keyring, clock: Clock) -> None:
        self._db, self._keyring, self._clock = db, keyring, clock
        self._cases: dict[str, str] = {}  # channel id -> case id, while the call runs

    def wrap(self, factory: SessionFactory) -> SessionFactory:
        """A session factory that remembers the case of each call it starts."""

        def remembering(
            channel: Channel, args: tuple[str, ...], claim: Callable[[str], None]
        ) -> CallSession:
            case_id = case_id_of(args)
            if case_id is not None:
                self._cases[channel.id] = case_id
            return factory(channel, args, claim)

        return remembering

    async def save(self, result: CallResult) -> None:
        """The ``IvrApp`` result sink. A call without a case (inbound, unknown) is only logged;
        a failed write is logged and raised (the caller decides whether to retry)."""
        case_id = self._cases.pop(result.channel_id, None)
        if case_id is None:
            log.warning("ivr.persist.no_case", call_id=result.call_id)
            return
        record = call_record(result, case_id)
        try:
            await asyncio.to_thread(self._write, record)
        except Exception as e:
            log.error("ivr.persist.failed", call_id=result.call_id, error=repr(e))
            raise
        log.info("ivr.persist.saved", call_id=result.call_id, outcome=record.outcome)

    def _write(self, record: CallRecord) -> None:
        with self._db.transaction() as session:
            save_call(session, self._keyring, record, self._clock.now())
