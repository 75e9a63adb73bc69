"""Call recordings at rest on real SQLite and PostgreSQL: moved off the PBX into the sealed vault
when the call's end is written (no plain copy left), purged after the retention (audited), and
re-encrypted by a key rotation."""

from __future__ import annotations

import base64
import io
import os
import stat
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from cli.data_commands import write_demo_data
from cli.main import app as cli_app
from core.clock import FixedClock
from core.dialogue import Outcome
from data.attempts import claim_attempt, mark_dialing
from data.crypto import Keyring, new_key_spec
from data.db import Database
from data.models import AuditEntry, Case, ContactAttempt
from data.portfolio.importer import import_portfolio
from data.recordings import RecordingVault, is_sealed, purge_expired, reseal_all
from dialer.ari_originator import result_of
from dialer.call_end import CallEnding
from dialer.recording_archive import RecordingArchive, archive_pending
from ivr.calls import CallResult, TranscriptLine
from ivr.errors import AriNotFound

NOW = datetime(2026, 12, 1, 16, 0, tzinfo=UTC)


def wav(seconds: float, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(os.urandom(int(seconds * rate) * 2))
    return out.getvalue()


@dataclass
class FakePbx:
    """The ARI calls a recording's move makes, over an in-memory spool."""

    files: dict[str, bytes] = field(default_factory=dict)
    not_ready_polls: int = 0  # how many fetches answer 404 before the file is finalised
    deleted: list[str] = field(default_factory=list)

    async def stop_recording(self, name: str) -> None:
        raise AriNotFound(f"no live recording {name}")

    async def stored_recording_file(self, name: str, *, timeout_s: float = 30.0) -> bytes:
        if self.not_ready_polls > 0 or name not in self.files:
            self.not_ready_polls -= 1
            raise AriNotFound(f"no stored recording {name}")
        return self.files[name]

    async def delete_stored_recording(self, name: str) -> None:
        self.deleted.append(name)
        del self.files[name]


@dataclass
class Rig:
    db: Database
    keyring: Keyring
    vault: RecordingVault
    pbx: FakePbx
    ending: CallEnding
    case_id: str

    async def call(self, slot: str, audio: bytes | None, started: datetime = NOW) -> str:
        async with self.ending._sessions() as s:
            ledger = await claim_attempt(
                s, key=f"c:{self.case_id}:{slot}", case_id=self.case_id, campaign_id=None,
                channel="call", phone_id=None, worker="w1", now=started,
            )  # fmt: skip
            assert await mark_dialing(s, ledger.attempt_id, "w1", None)
        name = None
        if audio is not None:
            name = f"call-{ledger.attempt_id}"
            self.pbx.files[name] = audio
        result = CallResult(
            ledger.attempt_id, ledger.attempt_id, started, outcome=Outcome.REFUSED,
            transcript=[TranscriptLine(started, "debtor", "no")], recording=name,
            ended_at=started + timedelta(seconds=30), end_reason="bot_hung_up",
        )  # fmt: skip
        await self.ending.ivr_ended(result)
        return ledger.attempt_id

    def ref(self, attempt_id: str) -> str | None:
        with self.db.transaction() as s:
            return s.get_one(ContactAttempt, attempt_id).recording_ref

    def heard(self, attempt_id: str, keyring: Keyring | None = None) -> bytes:
        ref = self.ref(attempt_id)
        assert ref is not None
        vault = RecordingVault(self.vault.root, keyring or self.keyring)
        with vault.open(ref, attempt_id) as reader:
            return b"".join(reader.read())


@pytest.fixture
async def rig(db: Database, keyring: Keyring, tmp_path: Path) -> AsyncIterator[Rig]:
    path = tmp_path / "p.csv"
    write_demo_data(3, 5, path, date(2026, 12, 1))
    import_portfolio(db, keyring, path, FixedClock(NOW))
    with db.transaction() as s:
        case_id = s.scalars(select(Case.id).order_by(Case.id)).first()
    assert case_id is not None
    vault = RecordingVault(tmp_path / "recordings", keyring)
    pbx = FakePbx()
    clock = FixedClock(NOW)
    sessions = db.async_sessions()
    archive = RecordingArchive(pbx, vault, clock, polls=20, poll_s=0.001)
    made = Rig(db, keyring, vault, pbx, CallEnding(sessions, keyring, clock, recordings=archive),
               case_id)  # fmt: skip
    yield made
    await sessions.kw["bind"].dispose()


async def test_the_recording_leaves_the_pbx_sealed_and_bound_to_its_attempt(rig: Rig) -> None:
    audio = wav(2.5)
    rig.pbx.not_ready_polls = 3  # the file appears a moment after the stop
    attempt = await rig.call("1", audio)
    ref = rig.ref(attempt)
    assert is_sealed(ref)
    assert rig.pbx.files == {}  # no plain copy left on the PBX
    assert rig.heard(attempt) == audio
    assert ref is not None
    path = rig.vault.path_of(ref)
    sealed = path.read_bytes()
    assert audio[1000:1064] not in sealed
    assert b"WAVE" not in sealed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary left
    # the same file under another attempt's name does not open
    other = await rig.call("2", wav(0.5))
    other_ref = rig.ref(other)
    assert other_ref is not None
    os.replace(path, rig.vault.path_of(other_ref))
    with pytest.raises(Exception, match="authentication"):
        rig.heard(other)


async def test_a_pbx_that_never_finishes_the_file_keeps_its_copy_and_the_call_is_recorded(
    rig: Rig,
) -> None:
    rig.pbx.not_ready_polls = 10_000
    attempt = await rig.call("1", wav(0.2))
    assert rig.ref(attempt) == f"call-{attempt}"  # still names the PBX's copy: nothing lost
    assert rig.pbx.deleted == []
    with rig.db.transaction() as s:
        assert s.get_one(ContactAttempt, attempt).outcome == "refused"
    # later, the sweep (`collectbot recordings archive`) moves it once the PBX has it
    lost = await rig.call("2", wav(0.1))
    rig.pbx.files.pop(f"call-{lost}")  # ... and one the PBX lost meanwhile: reported, kept
    rig.pbx.not_ready_polls = 0
    archive = RecordingArchive(rig.pbx, rig.vault, FixedClock(NOW), polls=3, poll_s=0.001)
    report = await archive_pending(archive, rig.db)
    assert (report.archived, report.failed) == (1, 1)
    assert is_sealed(rig.ref(attempt))
    assert rig.ref(lost) == f"call-{lost}"
    assert rig.pbx.files == {}


async def test_a_second_report_of_the_same_end_does_not_move_anything_again(rig: Rig) -> None:
    attempt = await rig.call("1", wav(0.3))
    ref = rig.ref(attempt)
    result = CallResult(attempt, attempt, NOW, outcome=Outcome.REFUSED, recording=f"call-{attempt}",
                        ended_at=NOW + timedelta(seconds=5))  # fmt: skip
    assert not await rig.ending.record(attempt, result_of(result, FixedClock(NOW)), by="dialer")
    assert rig.ref(attempt) == ref
    assert rig.pbx.deleted == [f"call-{attempt}"]


async def test_retention_deletes_old_recordings_only_and_audits_each(rig: Rig) -> None:
    old = await rig.call("old", wav(0.2), started=NOW - timedelta(days=200))
    recent = await rig.call("new", wav(0.2), started=NOW - timedelta(days=10))
    no_audio = await rig.call("none", None, started=NOW - timedelta(days=300))
    old_ref = rig.ref(old)
    assert old_ref is not None
    # a file a stopped move left behind (nobody points at it): old ones go, a young one stays
    orphan = rig.vault.store("att-gone", [b"RIFF"], NOW - timedelta(days=200))
    young_orphan = rig.vault.store("att-busy", [b"RIFF"], NOW)
    aged = (NOW - timedelta(days=200)).timestamp()
    os.utime(rig.vault.path_of(orphan), (aged, aged))
    report = purge_expired(rig.db, rig.vault, now=NOW, retention_days=180, actor="test")
    assert (report.deleted, report.missing, report.unsealed, report.orphans) == (1, 0, 0, 1)
    assert not rig.vault.path_of(orphan).exists()
    assert rig.vault.path_of(young_orphan).exists()
    assert rig.ref(old) is None
    assert is_sealed(rig.ref(recent))
    assert rig.ref(no_audio) is None
    assert not rig.vault.path_of(old_ref).exists()
    with rig.db.transaction() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "recording.delete")).all()
        assert [(e.subject_id, e.actor, e.details["reason"]) for e in entries] == [
            (old, "test", "retention")
        ]
    again = purge_expired(rig.db, rig.vault, now=NOW, retention_days=180, actor="test")
    assert (again.deleted, again.missing, again.orphans) == (0, 0, 0)
    with rig.db.transaction() as s:
        swept = s.scalars(select(AuditEntry).where(AuditEntry.action == "recording.delete_orphans"))
        assert [e.details["files"] for e in swept] == [1]


async def test_a_rotation_reseals_every_recording_under_the_new_key(rig: Rig) -> None:
    first = await rig.call("1", wav(0.4))
    second = await rig.call("2", wav(0.1))
    before = {a: rig.heard(a) for a in (first, second)}
    rotated = Keyring([Keyring.from_spec(new_key_spec()).active, rig.keyring.active])
    vault = RecordingVault(rig.vault.root, rotated)
    assert reseal_all(rig.db, vault) == 2
    assert reseal_all(rig.db, vault) == 0  # resumable: nothing left under the old key
    only_new = Keyring([rotated.active])
    for attempt, audio in before.items():
        assert rig.heard(attempt, only_new) == audio


async def test_the_purge_command_applies_the_configured_retention(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = await rig.call("old", wav(0.2), started=datetime.now(UTC) - timedelta(days=40))
    kept = await rig.call("kept", wav(0.2), started=datetime.now(UTC) - timedelta(days=20))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", rig.db.url)
    key = base64.b64encode(rig.keyring.active.key).decode()
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", f"{rig.keyring.active.kid}:{key}")
    monkeypatch.setenv("COLLECTBOT_RECORDINGS_DIR", str(rig.vault.root))
    monkeypatch.setenv("COLLECTBOT_RECORDING_RETENTION_DAYS", "30")
    done = CliRunner().invoke(cli_app, ["recordings", "purge"])
    assert done.exit_code == 0, done.output
    assert "deleted 1 recordings older than 30 days" in done.output
    assert rig.ref(old) is None
    assert is_sealed(rig.ref(kept))
