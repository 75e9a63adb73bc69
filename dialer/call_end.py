"""The end of a call, owned by one use case: ``CallEnding.record``.

Both sides of a call report its end here: the IVR (its ``IvrApp`` result sink, the moment the
session is over) and the dialer (when its ``Originator`` returns: the line's facts, and the
session's result if one ran). Whoever reports first writes; the other's report is a no-op, so an
attempt's end is written exactly once and never overwritten. One report is enough: the IVR's
result gives the same line facts the dialer would derive from it (``result_of``), and the rest
(the dialed phone, the case's other numbers, the attempts made) is read in the writing
transaction. The rules of ``dialer.next_action`` merge what the dialogue decided with what the
line did; ``data.call_records.save_call`` writes it all in one transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from core.call_end import LINE_LOST
from core.clock import Clock
from core.logging import get_logger
from data.call_records import AttemptAtEnd, CallRecord, attempt_at_end, save_call
from data.crypto import Keyring
from data.db import DATABASE_UNAVAILABLE
from data.recordings import note_recording_failure, replace_ref
from dialer.ari_originator import result_of
from dialer.next_action import CallFacts, CaseAtEnd, EndPlan, plan_end
from dialer.origination import DialResult
from dialer.recording_archive import RecordingArchive
from dialer.retry import RetryRules, rules_for
from ivr.calls import CallResult
from ivr.router import ResultSink
from scoring.campaign import parse_definition
from scoring.errors import CampaignError

log = get_logger(__name__)


def facts_of(result: DialResult) -> CallFacts:
    dialogue = result.dialogue
    return CallFacts(
        line=result.outcome,
        dialogue_ran=dialogue is not None,
        dialogue_outcome=dialogue.outcome if dialogue else None,
        records=tuple(dialogue.records) if dialogue else (),
        line_lost=dialogue is not None and dialogue.end_reason == LINE_LOST,
    )


def call_record(at_end: AttemptAtEnd, result: DialResult, plan: EndPlan) -> CallRecord:
    """What ``save_call`` writes for one finished call."""
    dialogue = result.dialogue
    detail: dict[str, object] = {"call_outcome": result.outcome.value, **result.detail}
    if dialogue is not None:
        detail |= {
            "end_reason": dialogue.end_reason,
            "processing_ms": [t.first_audio_ms for t in dialogue.timings],
        }
        if dialogue.recording_cut:  # cut short by the PBX: what it kept is still sealed
            detail["recording_cut"] = dialogue.recording_cut
        if dialogue.script_version:  # QA groups its findings by the version a call ran
            detail["script_version"] = dialogue.script_version
    answered_at = result.answered_at or (dialogue.started_at if dialogue else None)
    return CallRecord(
        attempt_id=at_end.attempt_id,
        case_id=at_end.case_id,
        started_at=at_end.started_at or (dialogue.started_at if dialogue else result.ended_at),
        answered_at=answered_at if plan.answered else None,
        ended_at=result.ended_at,
        outcome=plan.outcome,
        campaign_id=at_end.campaign_id,
        phone_id=at_end.phone_id,
        transcript=[(t.at, t.speaker, t.text) for t in dialogue.transcript] if dialogue else [],
        agent_id=dialogue.agent_id if dialogue else None,  # who took the transfer
        recording_ref=dialogue.recording if dialogue else None,
        records=list(dialogue.records) if dialogue else [],
        detail=detail,
        next_action=plan.next_action,
        next_action_at=plan.next_at,
        retire_phone=plan.retire_phone,
    )


class CallEnding:
    """Records the end of each call once (see the module's docstring)."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        keyring: Keyring,
        clock: Clock,
        rules: RetryRules | None = None,
        recordings: RecordingArchive | None = None,
        outage_s: float = 600.0,
    ) -> None:
        self._sessions, self._keyring, self._clock = sessions, keyring, clock
        self._rules = rules or RetryRules()
        self._recordings = recordings  # None: the recording stays on the PBX (simulations)
        self._outage_s = outage_s  # how long a call's end waits for the database to come back

    async def record(
        self, attempt_id: str, result: DialResult, *, case_id: str | None = None, by: str
    ) -> bool:
        """Write the call's end; False when it was written before (or names no stored case).
        ``case_id``: the case of a call placed without a ledger row (a simulated call).
        While the database does not answer the write is tried again (it is one conditional
        transaction: a commit that did land makes the next try a no-op) for ``outage_s``."""
        loop = asyncio.get_running_loop()
        give_up, pause = loop.time() + self._outage_s, 0.5
        while True:
            try:
                async with self._sessions() as s:
                    written = await s.run_sync(
                        lambda ss: self._write(ss, attempt_id, result, case_id)
                    )
                    await s.commit()
                break
            except DATABASE_UNAVAILABLE as e:
                if loop.time() + pause > give_up:
                    raise
                log.warning("call.end_write_retry", attempt_id=attempt_id, by=by, error=repr(e))
                await asyncio.sleep(pause)
                pause = min(pause * 2, 5.0)
        if written == "no_case":
            log.warning("call.end_without_case", attempt_id=attempt_id, by=by)
            return False
        if written == "recorded":
            log.info("call.end_already_recorded", attempt_id=attempt_id, by=by)
            return False
        log.info(
            "call.end_recorded",
            attempt_id=attempt_id,
            case_id=written.case_id,
            outcome=written.outcome,
            next_channel=str((written.next_action or {}).get("channel")),
            by=by,
        )
        if written.recording_ref and self._recordings is not None:
            await self._archive(self._recordings, written.attempt_id, written.recording_ref)
        return True

    async def _archive(self, archive: RecordingArchive, attempt_id: str, name: str) -> None:
        """The writer of the call's end moves its recording into the vault (logged on failure:
        the call's end stays recorded and the PBX keeps its copy)."""

        async def point_to(ref: str) -> bool:
            async with self._sessions() as s:
                moved = await s.run_sync(lambda ss: replace_ref(ss, attempt_id, name, ref))
                await s.commit()
            return moved

        try:
            ref = await archive.archive(name, attempt_id, point_to)
        except Exception as e:  # the call's end is written; the recording waits for a retry
            error = repr(e)
            log.error("call.recording_archive_failed", attempt_id=attempt_id, error=error)
            with contextlib.suppress(*DATABASE_UNAVAILABLE):  # the log line stays the record
                async with self._sessions() as s:
                    await s.run_sync(lambda ss: note_recording_failure(ss, attempt_id, error))
                    await s.commit()
            return
        log.info("call.recording_archived", attempt_id=attempt_id, stored=ref is not None)

    def _write(
        self, session: Session, attempt_id: str, result: DialResult, case_id: str | None
    ) -> CallRecord | Literal["no_case", "recorded"]:
        now = self._clock.now()
        at_end = attempt_at_end(session, attempt_id, case_id)
        if at_end is None:
            return "no_case"
        if at_end.recorded:
            return "recorded"
        case = CaseAtEnd(
            phone_position=at_end.phone_position,
            usable_phones=len(at_end.usable_phone_ids),
            attempts=at_end.attempts,
            timezone=at_end.timezone,
            outcomes=at_end.outcomes,
        )
        plan = plan_end(facts_of(result), case, self.rules_of(at_end), now)
        record = call_record(at_end, result, plan)
        return record if save_call(session, self._keyring, record, now) else "recorded"

    def rules_of(self, at_end: AttemptAtEnd) -> RetryRules:
        """The retry rules of the attempt's campaign (its ``retries`` over the dialer's), read in
        the writing transaction: the IVR's report and the dialer's apply the same ones. A stored
        definition that no longer parses is logged and the dialer's own rules apply."""
        if at_end.definition is None:
            return self._rules
        try:
            return rules_for(parse_definition(at_end.definition), self._rules)
        except CampaignError as e:
            log.warning("call.campaign_invalid", campaign_id=at_end.campaign_id, error=str(e))
            return self._rules

    async def ivr_ended(self, result: CallResult, case_id: str | None = None) -> None:
        """The IVR's report: the ``IvrApp`` result sink. A failed write is logged and raised."""
        try:
            await self.record(
                result.channel_id, result_of(result, self._clock), case_id=case_id, by="ivr"
            )
        except Exception as e:
            log.error("call.end_failed", call_id=result.call_id, error=repr(e))
            raise

    def sink_for(self, case_id: str) -> ResultSink:
        """The IVR sink of calls placed without a ledger row, all of case ``case_id``."""

        async def sink(result: CallResult) -> None:
            await self.ivr_ended(result, case_id)

        return sink
