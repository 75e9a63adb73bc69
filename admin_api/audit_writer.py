"""Audit records of personal-data reads, committed in groups before the data goes out.

Every response with personal data appends one record to the hash-chained audit log, and every
append serialises on the chain's head row. One transaction per read made that lock the
bottleneck of the API: with dozens of threadpool threads contending for the GIL, a request
holding the head row waited for the interpreter between its statements and every other read
queued behind it (PostgreSQL showed most sessions in ``Lock:transactionid``).

``GroupCommitAudit`` keeps the guarantee and removes the queue: a request thread hands its
record to one writer thread per process and blocks until the record is committed; the writer
appends everything that is waiting in one transaction (``data.audit.append_many``: one head
lock, three statements). A response is sent only after its record is durable, so a crash
loses no record of data that left the server; a failed commit fails the requests of that
batch (500), and their data is not sent. ``DirectAudit`` is the plain one-transaction-per-
record writer (``API_AUDIT_GROUP_COMMIT=false``).

The writer's lag (how long a record waited, from its hand-off to its commit) goes to
``observe`` per committed batch (the API's ``collectbot_audit_lag_seconds``): a slow or queued
writer shows before requests time out.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Protocol

from admin_api.errors import ApiError
from core.logging import get_logger
from data import audit
from data.db import Database

log = get_logger(__name__)
_Item = tuple[audit.Record, "Future[None]", float]  # the record, its waiter, its hand-off time
# per committed batch: each record's lag in seconds (hand-off to commit)
LagObserver = Callable[[Sequence[float]], None]


class AuditUnavailable(ApiError):
    """The audit record could not be written, so the personal data is not sent."""

    status_code = 503


class AuditWriter(Protocol):
    def write(self, record: audit.Record) -> None:
        """Return once ``record`` is committed to the audit log; raise if it was not."""
        ...

    def close(self) -> None:
        """Commit what is waiting and stop (a later ``write`` starts again)."""
        ...


@dataclass
class DirectAudit:
    db: Database
    observe: LagObserver | None = None

    def write(self, record: audit.Record) -> None:
        began = time.monotonic()
        _commit(self.db, [record])
        if self.observe is not None:
            self.observe([time.monotonic() - began])

    def close(self) -> None:
        return None


def _commit(db: Database, records: Sequence[audit.Record]) -> None:
    try:
        with db.transaction() as s:
            audit.append_many(s, records)
    except Exception as e:
        log.error("audit.write_failed", error=type(e).__name__, records=len(records))
        raise AuditUnavailable("the audit log cannot be written; no personal data sent") from e


class GroupCommitAudit:
    def __init__(
        self,
        db: Database,
        *,
        max_batch: int = 256,
        timeout_s: float = 30.0,
        observe: LagObserver | None = None,
    ) -> None:
        self._db = db
        self._observe = observe
        self._max_batch = max_batch
        self._timeout_s = timeout_s
        self._lock = threading.Lock()
        self._worker: tuple[threading.Thread, queue.SimpleQueue[_Item | None]] | None = None

    def write(self, record: audit.Record) -> None:
        done: Future[None] = Future()
        with self._lock:
            if self._worker is None:
                inbox: queue.SimpleQueue[_Item | None] = queue.SimpleQueue()
                thread = threading.Thread(
                    target=self._run, args=(inbox,), name="audit-writer", daemon=True
                )
                self._worker = (thread, inbox)
                thread.start()
            self._worker[1].put((record, done, time.monotonic()))
        try:
            done.result(timeout=self._timeout_s)
        except TimeoutError as e:
            log.error("audit.write_timeout", timeout_s=self._timeout_s)
            raise AuditUnavailable("the audit log did not answer; no personal data sent") from e

    def close(self) -> None:
        with self._lock:
            worker, self._worker = self._worker, None
            if worker is None:
                return
            worker[1].put(None)  # after every record already handed to this worker
        worker[0].join(timeout=self._timeout_s)

    def _run(self, inbox: queue.SimpleQueue[_Item | None]) -> None:
        stop = False
        while not stop:
            first = inbox.get()
            batch = [] if first is None else [first]
            stop = first is None
            while not stop and len(batch) < self._max_batch:
                try:
                    item = inbox.get_nowait()
                except queue.Empty:
                    break
                if item is None:
                    stop = True
                else:
                    batch.append(item)
            if batch:
                self._commit(batch)

    def _commit(self, batch: list[_Item]) -> None:
        try:
            _commit(self._db, [record for record, _, _ in batch])
        except AuditUnavailable as e:
            for _, done, _ in batch:
                done.set_exception(e)
        else:
            committed = time.monotonic()
            for _, done, _ in batch:
                done.set_result(None)
            if self._observe is not None:
                self._observe([committed - handed for _, _, handed in batch])
