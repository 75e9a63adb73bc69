"""Asterisk killed (SIGKILL) mid-campaign and started again, under a real worker.

A private sandbox Asterisk (not the shared one), a real ``collectbot worker`` on it, a campaign
in PostgreSQL, Redis. The far end answers and stays on the line in silence. Once the worker has
its calls up (debtor leg, media leg, bridge each), Asterisk is killed; after a few seconds it is
started again. The test then asks:

* every call that was in flight ends with a stored, honest result: ``interrupted`` (the IVR
  finds its channels gone when it reconnects: end reason ``line_lost``, not "the debtor hung
  up"), the lost recording said on the attempt, the case retried by the interruption rule, and
  nothing is left ``dialing``;
* the worker survives, reconnects (its IVR answers calls placed after the restart) and finishes
  the campaign; every due case gets its attempt;
* nobody is dialed twice: one originate per attempt id in Asterisk's logs (both lives), one
  attempt per case, and the results stored before the kill are unchanged;
* the recovery times (restart -> in-flight calls closed, -> first new call answered) printed.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from ari_probe import Ari
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
    wait,
)

from data.models import Case

__all__ = ["own_pg_url", "private_asterisk"]

LINES = 3
DOWN_S = 5.0
SPOKEN = {"promise_to_pay", "dispute", "wrong_number", "refused", "callback", "already_paid"}


def test_asterisk_killed_mid_campaign_calls_closed_honestly_worker_goes_on(
    private_asterisk: PrivateAsterisk, own_pg_url: str, tmp_path: Path
) -> None:
    ensure_service("redis", REDIS_PORT)
    ast = private_asterisk
    camp = make_campaign(own_pg_url, tmp_path, LINES)
    assert len(camp.cases) > 2 * LINES
    ari = Ari(ast.ari)
    worker = Worker(
        tmp_path, f"ast-{camp.id[5:]}", camp, own_pg_url, f"redis://127.0.0.1:{REDIS_PORT}/0", ast,
        LINES, IVR_MAX_CALL_S="12",
    )  # fmt: skip
    try:

        def calls_up() -> bool:
            assert worker.alive(), worker.tail()
            live = {r.id for r in camp.attempts() if r.state == "dialing"}
            return len(live) == LINES and ari.of_calls("bridges", live) == {f"{i}-br" for i in live}

        wait("the worker's calls to be up", calls_up, 600, worker)
        before = {r.id: (r.state, r.outcome) for r in camp.attempts() if r.state == "done"}
        in_flight = {r.id for r in camp.attempts() if r.state == "dialing"}
        ast.kill()
        killed_at = datetime.now(UTC)
        time.sleep(DOWN_S)
        assert worker.alive(), worker.tail()  # Asterisk gone is no reason to die
        ari_s = ast.restart()
        restarted = time.monotonic()

        def closed() -> bool:
            return all(r.state == "done" for r in camp.attempts() if r.id in in_flight)

        closed_s = wait("the in-flight calls to be stored", closed, 120, worker)

        def new_call_answered() -> bool:
            return any(
                r.answered_at is not None and r.id not in in_flight and r.started_at > killed_at
                for r in camp.attempts()
            )

        wait("a call placed after the restart to be answered", new_call_answered, 120, worker)
        answered_s = time.monotonic() - restarted

        wait("every due case to be done", campaign_done(camp, worker), 300, worker)
        wait(
            "no channel or bridge left",
            lambda: not ari.ids("channels") and not ari.ids("bridges"),
            60,
            worker,
        )
        print(
            f"Asterisk down {DOWN_S:.0f} s, ARI back {ari_s:.1f} s after start; in-flight calls"
            f" stored {closed_s:.1f} s and a new call answered {answered_s:.1f} s after restart"
        )
        assert worker.stop() == 0, worker.tail()
    finally:
        if worker.alive():
            worker.proc.kill()
        camp.db.dispose()

    rows = {r.id: r for r in camp.attempts()}
    for attempt_id in in_flight:
        row = rows[attempt_id]
        print(attempt_id, row.outcome, row.detail)
        assert row.outcome not in SPOKEN  # nobody spoke: no conversation outcome is invented
        # not "hung_up": nobody hung up; the line went with Asterisk (found on reconnecting)
        assert row.outcome == "interrupted", (row.outcome, row.detail)
        assert row.detail is not None
        assert row.detail["end_reason"] == "line_lost"
        assert row.answered_at is not None
        # Asterisk never finished the recording it was writing: said, not hidden
        assert "RecordingUnavailable" in row.detail["recording_error"]
    assert {k: (rows[k].state, rows[k].outcome) for k in before} == before  # nothing stored lost
    with camp.db.transaction() as s:
        for attempt_id in in_flight:
            case = s.get(Case, rows[attempt_id].case_id)
            assert case is not None
            assert case.next_action == {"channel": "call", "after": "interrupted"}
            assert case.next_action_at is not None
            assert case.next_action_at > killed_at  # retried by the rules, not redialed now
    per_case = Counter(r.case_id for r in rows.values())
    assert set(per_case) >= camp.cases
    assert max(per_case.values()) == 1
    # one originate per attempt id across both lives of Asterisk, none the ledger does not know
    assert originates(ast.log()) == Counter(dict.fromkeys(rows, 1))
