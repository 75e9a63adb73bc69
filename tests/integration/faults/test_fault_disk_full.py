"""A disk full while calls are recorded, under a real worker: our vault's, then Asterisk's own.

The worker's recording vault (``COLLECTBOT_RECORDINGS_DIR``) is a 32 KiB tmpfs: the first few
seconds of any call's audio do not fit, so sealing a recording fails with the kernel's own
ENOSPC. The calls must go on and end as they would (stored with the IVR's result), each failure
must be recorded (``call.recording_archive_failed`` in the log and ``recording_error`` on the
attempt), and Asterisk must keep its copy: once space is back, ``collectbot recordings
archive`` seals every one of them.

Asterisk's own spool full (its recording folder a 32 KiB tmpfs with 4 KiB free): Asterisk's
WAV writer fails ("Bad write ... No space left on device"), it stops the recording and says
only ``RecordingFinished``, as for any recording. The IVR notices that the recording ended
while the call went on: the call continues to its own end, the attempt says
``recording_cut`` (and ``ivr.recording_cut`` is logged as an error), and what Asterisk did
write is sealed. Needs root (mount); a private sandbox Asterisk.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ensure_service
from fault_rig import (
    COLLECTBOT,
    REDIS_PORT,
    FaultCampaign,
    PrivateAsterisk,
    Worker,
    campaign_done,
    make_campaign,
    own_pg_url,
    private_asterisk,
    wait,
)

from data.crypto import Keyring
from data.recordings import RecordingVault, is_sealed

__all__ = ["own_pg_url", "private_asterisk"]

LINES = 2


@contextlib.contextmanager
def tiny_tmpfs(folder: Path, mode: str) -> Iterator[Path]:
    """``folder`` on a 32 KiB tmpfs (the kernel's own ENOSPC once it is full); needs root."""
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size=32k,mode={mode}", "tmpfs", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, f"cannot mount a tmpfs (needs root): {done.stderr}"
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def run_worker(
    ast: PrivateAsterisk, camp: FaultCampaign, folder: Path, url: str, lines: int, call_s: int,
    recordings: Path,
) -> Worker:  # fmt: skip
    """A worker on the campaign until every due case is done; stopped after."""
    ensure_service("redis", REDIS_PORT)
    worker = Worker(
        folder, f"disk-{camp.id[5:]}", camp, url, f"redis://127.0.0.1:{REDIS_PORT}/0", ast,
        lines, IVR_MAX_CALL_S=str(call_s), COLLECTBOT_RECORDINGS_DIR=str(recordings),
    )  # fmt: skip
    try:
        wait("every due case to be done", campaign_done(camp, worker), 900, worker)
        assert worker.stop() == 0, worker.tail()
    finally:
        if worker.alive():
            worker.proc.kill()
    return worker


def sweep(ast: PrivateAsterisk, camp: FaultCampaign, folder: Path, url: str, vault: Path) -> str:
    """``collectbot recordings archive`` into ``vault``; its output."""
    env = {
        **os.environ, **ast.env(), "COLLECTBOT_HOME": str(folder),
        "COLLECTBOT_DATABASE_URL": url, "COLLECTBOT_DATA_KEY": camp.key,
        "COLLECTBOT_RECORDINGS_DIR": str(vault),
    }  # fmt: skip
    swept = subprocess.run(
        [COLLECTBOT, "recordings", "archive"], env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert swept.returncode == 0, swept.stdout + swept.stderr
    return swept.stdout


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "recordings"
    mount.mkdir()
    with tiny_tmpfs(mount, "0700") as folder:
        yield folder


def test_disk_full_while_recording_calls_go_on_failures_recorded_archived_later(
    private_asterisk: PrivateAsterisk, full_disk: Path, own_pg_url: str, tmp_path: Path
) -> None:
    ast = private_asterisk
    camp = make_campaign(own_pg_url, tmp_path, LINES, loans=12)
    worker = run_worker(ast, camp, tmp_path, own_pg_url, LINES, 6, full_disk)

    rows = camp.attempts()
    answered = [r for r in rows if r.answered_at is not None]
    assert answered
    for row in answered:
        assert row.outcome not in (None, "interrupted", "failed"), (row.outcome, row.detail)
        assert row.detail is not None
        assert row.detail.get("end_reason")  # the call went on to its own end
        assert row.transcript_enc
        assert row.recording_ref is not None
        assert not is_sealed(row.recording_ref)  # still the PBX's name
        assert "No space left on device" in row.detail["recording_error"]
    failures = worker.events("call.recording_archive_failed")
    assert len(failures) == len(answered)
    assert not list(full_disk.rglob("*.tmp"))  # no half-sealed file left behind
    assert max(Counter(r.case_id for r in rows).values()) == 1

    # space again: the sweep seals what the PBX kept
    subprocess.run(["mount", "-o", "remount,size=64m", str(full_disk)], check=True)
    swept = sweep(ast, camp, tmp_path, own_pg_url, full_disk)
    assert f"archived {len(answered)} recordings (0 could not be fetched)" in swept
    vault = RecordingVault(full_disk, Keyring.from_spec(camp.key))
    for row in camp.attempts():
        if row.answered_at is not None:
            assert row.recording_ref is not None
            assert is_sealed(row.recording_ref)
            with vault.open(row.recording_ref, row.id) as reader:
                audio = b"".join(reader.read())
            assert audio.startswith(b"RIFF")
            assert len(audio) > 16_000  # more than the first second: the whole call was kept
    camp.db.dispose()


@pytest.fixture
def full_spool(private_asterisk: PrivateAsterisk) -> Iterator[Path]:
    """Asterisk's OWN recording folder (in its root) on a 32 KiB tmpfs, 28 KiB of it taken: a
    recording's first 4 KiB fit, then every write fails with the kernel's ENOSPC."""
    spool = private_asterisk.layout.root / "var/spool/asterisk/recording"
    with tiny_tmpfs(spool, "0777"):
        (spool / "filler").write_bytes(b"\0" * 28 * 1024)
        yield spool


def test_asterisk_spool_full_calls_go_on_and_the_cut_recording_is_recorded(
    private_asterisk: PrivateAsterisk, full_spool: Path, own_pg_url: str, tmp_path: Path
) -> None:
    ast = private_asterisk
    # one line: each recording has the free 4 KiB to itself (two would share them, and one
    # could get no byte at all: no WAV to seal, ever)
    camp = make_campaign(own_pg_url, tmp_path, 1, loans=8)
    vault = tmp_path / "vault"
    worker = run_worker(ast, camp, tmp_path, own_pg_url, 1, 8, vault)
    rows = camp.attempts()
    answered = [r for r in rows if r.answered_at is not None]
    assert answered
    for row in answered:  # the call went on to its own end, and the cut is on the attempt
        assert row.outcome not in (None, "interrupted", "failed"), (row.outcome, row.detail)
        assert row.detail is not None
        assert row.detail.get("end_reason") == "max_duration", row.detail
        assert row.transcript_enc
        assert row.recording_ref is not None
        assert row.detail.get("recording_cut", "").startswith("the PBX ended the recording"), (
            row.detail
        )
    assert len(worker.events("ivr.recording_cut")) == len(answered)
    assert "No space left on device" in ast.log()  # Asterisk's own write failed
    assert max(Counter(r.case_id for r in rows).values()) == 1

    # space again: whatever the PBX kept and the call's end could not seal is sealed now
    subprocess.run(["mount", "-o", "remount,size=64m", str(full_spool)], check=True)
    sweep(ast, camp, tmp_path, own_pg_url, vault)
    for row in camp.attempts():
        if row.answered_at is not None:
            assert row.recording_ref is not None
            assert is_sealed(row.recording_ref), (row.recording_ref, row.detail)
            assert row.detail is not None
            assert row.detail["recording_cut"]  # the note stays as the recording's history
    camp.db.dispose()
