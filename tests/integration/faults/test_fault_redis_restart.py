"""Redis killed (SIGKILL) under a running campaign and started again, under a real worker.

A private Redis (``scripts/services.sh`` with its own folder and port, append-only file synced
every second, as the shared one runs), a private sandbox Asterisk, a real ``collectbot worker``
and a campaign in PostgreSQL. While calls are up Redis is killed; a few seconds later it starts
again from its append-only file. Redis only distributes work (the ledger in the database says
what was dialed), so the test asks:

* the worker notices (``dialer.queue_unavailable``), survives and finishes the campaign;
* every due case gets exactly one attempt, one originate per attempt id reaches Asterisk, and
  at the end nothing is left pending in the stream (entries lost with the last second of the
  append-only file are fed again from the database; ones delivered twice are refused by the
  ledger);
* the time from the restart to the next originate is printed.
"""

from __future__ import annotations

import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from ari_probe import Ari
from fault_rig import (
    PrivateAsterisk,
    PrivateService,
    Worker,
    campaign_done,
    make_campaign,
    originates,
    own_pg_url,
    private_asterisk,
    running_service,
    wait,
)

from dialer.queue import GROUP, DialQueue

__all__ = ["own_pg_url", "private_asterisk"]

LINES = 3
DOWN_S = 5.0


@pytest.fixture
def private_redis() -> Iterator[PrivateService]:
    with running_service("redis") as service:
        yield service


def test_redis_killed_under_a_campaign_nobody_lost_nobody_dialed_twice(
    private_asterisk: PrivateAsterisk,
    private_redis: PrivateService,
    own_pg_url: str,
    tmp_path: Path,
) -> None:
    ast, rds = private_asterisk, private_redis
    camp = make_campaign(own_pg_url, tmp_path, LINES)
    ari = Ari(ast.ari)
    url = f"redis://127.0.0.1:{rds.port}/0"
    worker = Worker(
        tmp_path, f"rds-{camp.id[5:]}", camp, own_pg_url, url, ast, LINES, IVR_MAX_CALL_S="6"
    )
    try:

        def calls_up() -> bool:
            assert worker.alive(), worker.tail()
            rows = camp.attempts()
            return sum(r.state == "dialing" for r in rows) == LINES and any(
                r.state == "done" for r in rows
            )

        wait("calls up and one done", calls_up, 600, worker)
        os.kill(rds.pid(), signal.SIGKILL)
        killed = time.monotonic()
        time.sleep(DOWN_S)
        assert worker.alive(), worker.tail()
        dialed_before = {r.id for r in camp.attempts()}
        rds.run("start")
        restarted = time.monotonic()
        wait(
            "an originate after the restart",
            lambda: bool({r.id for r in camp.attempts()} - dialed_before),
            120,
            worker,
        )
        next_s = time.monotonic() - restarted

        done_s = wait("every due case to be done", campaign_done(camp, worker), 300, worker)
        wait("no channel left", lambda: not ari.ids("channels"), 60, worker)
        print(
            f"Redis down {restarted - killed:.1f} s; next originate {next_s:.1f} s after its"
            f" restart, campaign done {done_s + next_s:.1f} s after it"
        )
        client = redis.Redis(port=rds.port, decode_responses=True)
        wait(
            "nothing pending in the stream",
            lambda: client.xpending(DialQueue.stream(camp.id), GROUP)["pending"] == 0,
            30,
            worker,
        )
        client.close()
        assert worker.stop() == 0, worker.tail()
    finally:
        if worker.alive():
            worker.proc.kill()
        camp.db.dispose()

    assert worker.events("dialer.queue_unavailable")  # it noticed, and it went on
    rows = camp.attempts()
    per_case = Counter(r.case_id for r in rows)
    assert set(per_case) == camp.cases  # none lost
    assert max(per_case.values()) == 1  # none dialed twice
    assert originates(ast.log()) == Counter({r.id: 1 for r in rows})
    assert all(r.outcome not in (None, "interrupted") for r in rows), [r.outcome for r in rows]
