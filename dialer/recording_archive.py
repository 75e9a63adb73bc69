"""A finished call's recording moved off the PBX into the encrypted vault (``data.recordings``).

Asterisk writes the bridge recording as a plain WAV in its spool. When the call's end is
recorded, its writer (``CallEnding``) hands the recording here: it is fetched over ARI, sealed
into the vault under the active data key, the attempt is pointed at the sealed copy, and only
then is the PBX's plain copy deleted. A failure leaves the PBX copy and the attempt's ref as
they were (logged), so nothing is lost and ``collectbot recordings archive`` can retry it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import wave
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from core.clock import Clock
from core.logging import get_logger
from data.db import Database
from data.recordings import RecordingVault, pending, replace_ref
from dialer.errors import DialerError
from ivr.errors import AriError, AriNotFound

log = get_logger(__name__)


class RecordingSource(Protocol):
    """The part of the ARI client a recording's move needs."""

    async def stop_recording(self, name: str) -> None: ...

    async def stored_recording_file(self, name: str, *, timeout_s: float = 30.0) -> bytes: ...

    async def delete_stored_recording(self, name: str) -> None: ...


class RecordingUnavailable(DialerError):
    """The PBX never produced the finished recording file."""


def _complete(data: bytes) -> bool:
    """A WAV whose header is final (Asterisk writes the sizes when it closes the file)."""
    if not data.startswith(b"RIFF"):
        return bool(data)  # another format: whatever the PBX gives once the file is stored
    try:
        with wave.open(io.BytesIO(data)) as w:
            w.getnframes()
    except (wave.Error, EOFError):
        return False
    return True


@dataclass
class RecordingArchive:
    source: RecordingSource
    vault: RecordingVault
    clock: Clock
    polls: int = 100
    poll_s: float = 0.05
    timeout_s: float = 30.0

    async def _fetch(self, name: str) -> bytes:
        with contextlib.suppress(AriNotFound):  # the session normally stopped it already
            await self.source.stop_recording(name)
        for _ in range(self.polls):  # finalised just after the stop; no event tells when
            with contextlib.suppress(AriError):
                data = await self.source.stored_recording_file(name, timeout_s=self.timeout_s)
                if _complete(data):
                    return data
            await asyncio.sleep(self.poll_s)
        raise RecordingUnavailable(f"recording {name} never became available on the PBX")

    async def archive(
        self, name: str, attempt_id: str, point_to: Callable[[str], Awaitable[bool]]
    ) -> str | None:
        """Seal recording ``name`` of ``attempt_id``; ``point_to(ref)`` stores the ref (False:
        the attempt no longer names this recording: the sealed copy is dropped). The PBX copy
        is deleted once the ref is stored. Returns the ref, or None when it was not stored."""
        data = await self._fetch(name)
        ref = await asyncio.to_thread(self.vault.store, attempt_id, [data], self.clock.now())
        del data
        if not await point_to(ref):
            await asyncio.to_thread(self.vault.delete, ref)
            return None
        await self.source.delete_stored_recording(name)
        return ref


@dataclass
class SweepReport:
    archived: int = 0
    failed: int = 0


async def archive_pending(archive: RecordingArchive, db: Database) -> SweepReport:
    """Every finished call whose recording is still on the PBX (its archive failed, or the
    call's end was written by a side without an archive), moved into the vault now."""
    report = SweepReport()
    for attempt_id, name in await asyncio.to_thread(pending, db):

        async def point_to(ref: str, attempt_id: str = attempt_id, name: str = name) -> bool:
            def move() -> bool:
                with db.transaction() as s:
                    return replace_ref(s, attempt_id, name, ref)

            return await asyncio.to_thread(move)

        try:
            stored = await archive.archive(name, attempt_id, point_to)
        except Exception as e:  # one missing file does not stop the others
            log.warning("recording.sweep_failed", attempt_id=attempt_id, error=repr(e))
            report.failed += 1
            continue
        report.archived += int(stored is not None)
    return report
