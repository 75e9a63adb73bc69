"""PostgreSQL stopped under a running campaign's worker, then started again.

A private PostgreSQL cluster (``scripts/services.sh`` with its own folder and port; the shared
one is never touched), a private sandbox Asterisk, Redis, and a real ``collectbot worker``. With
calls up, PostgreSQL is stopped; the calls end while it is down (the IVR's longest call is a few
seconds), so their results cannot be written. Then it is started again. The test asks:

* the worker survives the outage (``dialer.database_unavailable``) and finishes the campaign;
* the calls that ended during the outage are stored once it is back, with the IVR's own result
  (the dialogue's end reason and the transcript: nothing invented, nothing dropped), each in one
  transaction (outcome, end time, transcript and the case's next action together);
* nobody is dialed twice (one attempt per case, one originate per attempt id);
* the time from the restart to the results stored is printed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from ari_probe import Ari
from conftest import ensure_service
from fault_rig import (
    REDIS_PORT,
    PrivateAsterisk,
    PrivateService,
    Worker,
    campaign_done,
    make_campaign,
    originates,
    private_asterisk,
    running_service,
    wait,
)
from sqlalchemy import select

from data.db import migrate
from data.models import Case

__all__ = ["private_asterisk"]

LINES = 3
MAX_CALL_S = 8
DOWN_S = 15.0  # longer than a call: the calls in flight end while the database is away


@pytest.fixture
def private_pg() -> Iterator[PrivateService]:
    with running_service("postgres") as service:
        yield service


def test_postgres_stopped_under_the_worker_results_kept_nobody_dialed_twice(
    private_asterisk: PrivateAsterisk, private_pg: PrivateService, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    ast, pg = private_asterisk, private_pg
    url = f"postgresql+psycopg://postgres@127.0.0.1:{pg.port}/collectbot"
    migrate(url)
    camp = make_campaign(url, tmp_path, LINES)
    ari = Ari(ast.ari)
    worker = Worker(
        tmp_path, f"pgw-{camp.id[5:]}", camp, url, f"redis://127.0.0.1:{REDIS_PORT}/0", ast,
        LINES, IVR_MAX_CALL_S=str(MAX_CALL_S),
    )  # fmt: skip
    try:

        def calls_up() -> bool:  # answered: the IVR has bridged each one
            assert worker.alive(), worker.tail()
            live = {r.id for r in camp.attempts() if r.state == "dialing"}
            return len(live) == LINES and ari.of_calls("bridges", live) == {f"{i}-br" for i in live}

        wait("the worker's calls to be up", calls_up, 600, worker)
        in_flight = {r.id for r in camp.attempts() if r.state == "dialing"}
        camp.db.dispose()  # the test's own connections go with the server
        pg.run("stop")
        time.sleep(DOWN_S)
        assert worker.alive(), worker.tail()
        assert worker.events("call.end_write_retry")  # the calls ended while it was away
        pg.run("start")

        def stored() -> bool:
            return all(r.state == "done" for r in camp.attempts() if r.id in in_flight)

        stored_s = wait("the calls that ended in the outage to be stored", stored, 120, worker)

        done_s = wait("every due case to be done", campaign_done(camp, worker), 300, worker)
        print(
            f"PostgreSQL down {DOWN_S:.0f} s; the outage's call results stored {stored_s:.1f} s"
            f" after its restart, campaign done {stored_s + done_s:.1f} s after it"
        )
        assert worker.stop() == 0, worker.tail()
    finally:
        if worker.alive():
            worker.proc.kill()

    assert worker.events("dialer.database_unavailable")
    assert not worker.events("dialer.worker_failed")  # it went on; no restart needed
    rows = {r.id: r for r in camp.attempts()}
    with camp.db.transaction() as s:
        cases = {c.id: c for c in s.scalars(select(Case))}
    for attempt_id in in_flight:
        row = rows[attempt_id]
        assert row.outcome not in (None, "interrupted"), (row.outcome, row.detail)
        assert row.detail is not None
        assert row.detail.get("end_reason")  # the IVR's own result, not the line's guess
        assert row.ended_at is not None
        assert row.transcript_enc  # the bot's greeting at least, written with it
        assert cases[row.case_id].next_action_at is not None
    per_case = Counter(r.case_id for r in rows.values())
    assert set(per_case) == camp.cases
    assert max(per_case.values()) == 1
    assert originates(ast.log()) == Counter(dict.fromkeys(rows, 1))
    camp.db.dispose()
