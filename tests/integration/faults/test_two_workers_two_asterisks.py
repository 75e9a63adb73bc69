"""Two workers on two Asterisk servers share one campaign (how N workers scale out).

Two private sandbox Asterisks (own folders and ports), a real ``collectbot worker`` on each
(own ARI app and worker id), one campaign in PostgreSQL, one Redis stream. The far end answers
and holds for a few seconds. The test asks: the work spreads (each worker places calls on its
own Asterisk), every due case gets exactly one attempt, and no attempt reaches both servers
(one originate per attempt id over both Asterisks' logs, each on the server of the worker that
recorded it).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from conftest import ensure_service
from fault_rig import (
    REDIS_PORT,
    PrivateAsterisk,
    Worker,
    campaign_done,
    make_campaign,
    originates,
    own_pg_url,
    private_asterisk,
    second_asterisk,
    wait,
)

__all__ = ["own_pg_url", "private_asterisk", "second_asterisk"]

LINES = 2


def test_two_workers_on_two_asterisks_split_a_campaign_nobody_dialed_twice(
    private_asterisk: PrivateAsterisk,
    second_asterisk: PrivateAsterisk,
    own_pg_url: str,
    tmp_path: Path,
) -> None:
    ensure_service("redis", REDIS_PORT)
    camp = make_campaign(own_pg_url, tmp_path, 2 * LINES)
    redis_url = f"redis://127.0.0.1:{REDIS_PORT}/0"
    pairs = [
        (ast, Worker(
            tmp_path, f"{tag}-{camp.id[5:]}", camp, own_pg_url, redis_url, ast, LINES,
            IVR_MAX_CALL_S="6",
        ))
        for tag, ast in (("w1", private_asterisk), ("w2", second_asterisk))
    ]  # fmt: skip
    workers = [w for _, w in pairs]
    try:
        took = wait("every due case to be done", campaign_done(camp, *workers), 900, *workers)
        print(f"{len(camp.cases)} cases over two workers and two Asterisks in {took:.1f} s")
        for w in workers:
            assert w.stop() == 0, w.tail()
    finally:
        for w in workers:
            if w.alive():
                w.proc.kill()
        camp.db.dispose()

    rows = camp.attempts()
    per_case = Counter(r.case_id for r in rows)
    assert set(per_case) == camp.cases
    assert max(per_case.values()) == 1
    by_worker = Counter(r.worker for r in rows)
    assert set(by_worker) == {w.name for w in workers}  # the work spread
    assert min(by_worker.values()) >= 2
    seen = Counter[str]()
    for ast, w in pairs:
        on_this = originates(ast.log())
        assert set(on_this) == {r.id for r in rows if r.worker == w.name}
        seen += on_this
    assert seen == Counter({r.id: 1 for r in rows})
    assert all(r.answered_at is not None for r in rows)
