"""Group commit of the audit records of personal-data reads: a write returns only once its
record is committed (visible to another connection), concurrent writers all land in one
verifiable chain, and a failing audit log refuses the read (503, no personal data sent)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import api_fixtures
import pytest
from api_fixtures import Api
from sqlalchemy import delete, func, select

from admin_api.audit_writer import AuditUnavailable, DirectAudit, GroupCommitAudit
from data import audit
from data.db import Database
from data.models import AuditEntry, AuditHead

AT = datetime(2026, 11, 29, 12, tzinfo=UTC)
api = api_fixtures.api
sqlite_api = api_fixtures.sqlite_api


def _record(i: int) -> audit.Record:
    return audit.Record(AT, "user:t", "case.read_pii", "case", f"case_{i}", {"n": i})


def _count(db: Database, subject: str | None = None) -> int:
    stmt = select(func.count()).select_from(AuditEntry)
    if subject is not None:
        stmt = stmt.where(AuditEntry.subject_id == subject)
    with db.transaction() as s:
        return int(s.scalar(stmt) or 0)


def test_concurrent_writes_are_committed_before_they_return(db: Database) -> None:
    writer = GroupCommitAudit(db, max_batch=16)
    seen_late: list[int] = []
    lock = threading.Lock()

    def one(i: int) -> None:
        writer.write(_record(i))
        if _count(db, f"case_{i}") != 1:  # another connection must already see it
            with lock:
                seen_late.append(i)

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(one, range(120)))
    finally:
        writer.close()
    assert seen_late == []
    assert _count(db) == 120
    with db.transaction() as s:
        report = audit.verify(s)
        subjects = set(s.scalars(select(AuditEntry.subject_id)))
    assert report.ok, report.problems
    assert report.entries == 120
    assert subjects == {f"case_{i}" for i in range(120)}


def test_append_many_chains_like_single_appends(db: Database) -> None:
    with db.transaction() as s:
        audit.append(s, at=AT, actor="a", action="x", subject_type="case", subject_id="1")
        entries = audit.append_many(s, [_record(i) for i in range(5)])
        audit.append(s, at=AT, actor="a", action="y", subject_type="case", subject_id="2")
    assert [e.seq for e in entries] == [2, 3, 4, 5, 6]
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    with db.transaction() as s:
        report = audit.verify(s)
        assert audit.append_many(s, []) == []
    assert report.ok, report.problems
    assert report.entries == 7


def test_a_closed_writer_starts_again_and_close_is_idempotent(sqlite_url: str) -> None:
    db = Database.connect(sqlite_url)
    writer = GroupCommitAudit(db)
    writer.close()  # never started
    writer.write(_record(1))
    writer.close()
    writer.write(_record(2))
    writer.close()
    writer.close()
    assert _count(db) == 2
    db.dispose()


@pytest.mark.parametrize("make", [GroupCommitAudit, DirectAudit])
def test_a_broken_audit_log_raises(sqlite_url: str, make: type) -> None:
    db = Database.connect(sqlite_url)
    with db.transaction() as s:
        s.execute(delete(AuditHead))  # the chain cannot be extended any more
    writer = make(db)
    with pytest.raises(AuditUnavailable):
        writer.write(_record(1))
    writer.close()
    assert _count(db) == 0
    db.dispose()


def test_a_read_is_refused_when_its_audit_record_cannot_be_written(
    sqlite_api: Api,
) -> None:
    api = sqlite_api
    case_id = api.own_cases[0]
    ok = api.client.get(f"/cases/{case_id}", headers=api.headers("agent"))
    assert ok.status_code == 200
    name = ok.json()["debtor"]["name"]
    with api.db.transaction() as s:
        s.execute(delete(AuditHead))
    for path in (f"/cases/{case_id}", f"/cases/{case_id}/history"):
        r = api.client.get(path, headers=api.headers("agent"))
        assert r.status_code == 503
        assert name not in r.text
        assert "audit" in r.json()["detail"]


def test_parallel_reads_through_the_api_are_each_audited(api: Api) -> None:
    case_id = api.own_cases[0]
    before = _count(api.db)

    def get(_: int) -> int:
        r = api.client.get(f"/cases/{case_id}", headers=api.headers("agent"))
        return r.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(get, range(40)))
    assert statuses == [200] * 40
    assert _count(api.db) == before + 40
    with api.db.transaction() as s:
        report = audit.verify(s)
    assert report.ok, report.problems


def test_the_lag_is_observed_per_record_from_hand_off_to_commit(sqlite_url: str) -> None:
    db = Database.connect(sqlite_url)
    batches: list[list[float]] = []
    writer = GroupCommitAudit(db, observe=lambda lags: batches.append(list(lags)))
    held = threading.Lock()
    commit = audit.append_many

    def slow(s: object, records: list[audit.Record]) -> object:
        with held:  # a commit waits while the test holds the lock: the records queue up
            return commit(s, records)  # type: ignore[arg-type]

    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(audit, "append_many", slow)
            held.acquire()
            with ThreadPoolExecutor(max_workers=4) as pool:
                done = [pool.submit(writer.write, _record(i)) for i in range(4)]
                threading.Event().wait(0.3)
                held.release()
                for f in done:
                    f.result()
    finally:
        writer.close()
        db.dispose()
    lags = [lag for batch in batches for lag in batch]
    assert len(lags) == 4  # one lag per committed record, failures are not lags
    assert max(lags) >= 0.25  # the first waited for the held commit
    assert all(0 <= lag < 5 for lag in lags)


def test_a_failed_commit_is_no_lag(sqlite_url: str) -> None:
    db = Database.connect(sqlite_url)
    with db.transaction() as s:
        s.execute(delete(AuditHead))
    lags: list[float] = []
    writer = GroupCommitAudit(db, observe=lags.extend)
    with pytest.raises(AuditUnavailable):
        writer.write(_record(1))
    writer.close()
    db.dispose()
    assert lags == []
