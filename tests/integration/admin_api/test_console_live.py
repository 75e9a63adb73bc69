"""The dashboard's live board (one read shared by every viewer, pushed as Server-Sent Events),
agents' time in state, the board's head (lines, calls, agents) and the portfolio charts."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import api_fixtures
from api_fixtures import Api
from sqlalchemy import select, update
from test_console_pages import browser, console_app

from admin_api.console.day import in_state
from admin_api.console.live_board import BoardFeed, event
from data.models import Case, ContactAttempt, Loan, Payment, Promise

sqlite_api = api_fixtures.sqlite_api


def test_many_viewers_share_one_read_and_a_change_asks_for_a_new_one() -> None:
    calls: list[int] = []

    def load() -> dict[str, object]:
        time.sleep(0.05)  # a slow query: every viewer arrives while it runs
        calls.append(1)
        return {"n": len(calls)}

    async def run() -> None:
        feed = BoardFeed(load, interval=3)
        start = time.monotonic()
        boards = await asyncio.gather(*(feed.latest(start) for _ in range(25)))
        assert feed.reads == 1
        assert {b["n"] for b in boards} == {1}
        assert (await feed.latest(start - 10))["n"] == 1  # old enough for this viewer
        assert (await feed.latest(time.monotonic()))["n"] == 2  # a change after the read
        assert feed.reads == 2

    asyncio.run(run())


def test_an_event_carries_every_line_of_the_board() -> None:
    assert (
        event("board", "<p>a</p>\n<p>b</p>") == "event: board\ndata: <p>a</p>\ndata: <p>b</p>\n\n"
    )
    assert event("board", "") == "event: board\ndata: \n\n"


def test_time_in_state_and_its_thresholds() -> None:
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    assert in_state("available", None, now) == {"elapsed": None, "in_state": "—", "long": False}
    assert in_state("available", now - timedelta(seconds=299), now)["long"] is False
    five = in_state("available", now - timedelta(seconds=301), now)
    assert five == {"elapsed": 301, "in_state": "5:01", "long": True}
    assert in_state("on_call", now - timedelta(seconds=301), now)["long"] is False
    assert in_state("wrap_up", now - timedelta(seconds=121), now)["long"] is True
    hour = in_state("paused", now - timedelta(hours=1, seconds=5), now)
    assert hour == {"elapsed": 3605, "in_state": "1:00:05", "long": True}
    assert in_state("offline", now - timedelta(hours=9), now)["long"] is False
    assert in_state("available", now + timedelta(seconds=5), now)["elapsed"] == 0  # clock skew


def test_the_board_shows_lines_calls_and_each_agents_time_in_state(sqlite_api: Api) -> None:
    api = sqlite_api
    r = api.client.put(
        "/agents/agt_1/status", json={"status": "paused"}, headers=api.headers("agent")
    )
    assert r.status_code == 200
    api.clock.advance(timedelta(minutes=16, seconds=3))
    with api.db.transaction() as s:
        case_id = s.scalars(select(Case.id)).first()
        # an answered call, a line still ringing, a claimed line, a finished call that was up
        up = api.clock.now()
        rows = (("dialing", up), ("dialing", None), ("claimed", None), ("done", up))
        for i, (state, live_since) in enumerate(rows):
            s.add(
                ContactAttempt(
                    id=f"att_live_{i}", idempotency_key=f"live:{i}", case_id=case_id,
                    channel="call", started_at=api.clock.now(), state=state,
                    outcome="no_answer" if state == "done" else None, live_since=live_since,
                )
            )  # fmt: skip
    board = browser(api, "supervisor").get("/console/dashboard").text
    row = board.split('data-agent="agt_1"', 1)[1].split("</tr>", 1)[0]
    assert 'class="badge a-paused"' in row
    assert 'data-elapsed="963"' in row
    assert "16:03" in row
    assert 'class="num long"' in row  # paused more than 15 minutes
    other = board.split('data-agent="agt_2"', 1)[1].split("</tr>", 1)[0]
    assert "data-elapsed" not in other  # never changed: not known
    assert 'data-k="lines_in_use">3<' in board
    assert 'data-k="calls">1<' in board  # the ringing line is in use, but no call yet
    assert 'data-k="agents_paused">1<' in board
    same = browser(api, "auditor").get("/console/dashboard/board")
    assert same.status_code == 200
    assert 'data-elapsed="963"' in same.text
    assert browser(api, "agent").get("/console/dashboard/stream").status_code == 403


def test_the_portfolio_charts_are_the_reports_figures(sqlite_api: Api) -> None:
    api = sqlite_api
    now = api.clock.now()
    with api.db.transaction() as s:
        loans = {c.id: s.get(Loan, c.loan_id) for c in s.scalars(select(Case))}
        case_id, loan = next(iter(loans.items()))
        assert loan is not None
        s.execute(update(Loan).where(Loan.id == loan.id).values(days_past_due=45))
        s.add(Payment(reference="p-1", loan_id=loan.id, amount_minor=12_345,
                      currency=loan.currency, paid_at=now - timedelta(days=3), channel="bank",
                      recorded_at=now))  # fmt: skip
        for n, status in enumerate(("kept", "broken", "kept", "pending")):
            s.add(Promise(case_id=case_id, amount_minor=1000, currency=loan.currency,
                          due_date=now.date(), status=status,
                          created_at=now - timedelta(days=2, minutes=n)))  # fmt: skip
        same_bucket = [x for x in loans.values() if x is not None and 31 <= x.days_past_due <= 60]
        total = sum(
            Decimal(x.outstanding_minor) / 100 for x in same_bucket if x.currency == loan.currency
        )
    data = browser(api, "auditor").get("/console/dashboard/portfolio.json").json()
    assert data["currency"] == loan.currency
    i = data["buckets"].index("31-60")
    assert data["cases"][i] == len(same_bucket)
    expected = round(float(Decimal("123.45") / (total + Decimal("123.45")) * 100), 1)
    assert data["recovery"][i] == expected
    week = data["promises"].index(4)
    assert data["kept_rate"][week] == 50.0
    collected = [Decimal(v) for v in data["collected"][loan.currency]]
    assert sum(collected) == Decimal("123.45")  # the one payment, in one week
    assert len(data["weeks"]) == len(collected) == len(data["promises"])
    assert data["labels"]["recovery"] == "Recovery (%)"
    assert browser(api, "agent").get("/console/dashboard/portfolio.json").status_code == 403


def test_the_stream_pushes_the_board_as_server_sent_events(sqlite_api: Api) -> None:
    api = sqlite_api
    feed = console_app(api).state.board_feed
    feed.stream_seconds = 0  # one board, then the stream ends (a browser would reconnect)
    zh = browser(api, "auditor")
    zh.get("/console/lang/zh?next=/console/dashboard")
    r = zh.get("/console/dashboard/stream")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/event-stream")
    assert r.text.startswith("retry: 3000\n\n")
    events = r.text.split("\n\n")[1:]
    assert events[0].startswith("event: board\ndata: ")
    lines = events[0].splitlines()[1:]
    assert all(line.startswith("data: ") for line in lines)
    html = "\n".join(line.removeprefix("data: ") for line in lines)
    assert 'data-k="lines_in_use"' in html
    assert "占用线路" in html  # in the viewer's language
    assert "Agent One" in html
    assert 'name="csrf"' not in html  # an auditor gets no campaign actions
    sup = browser(api, "supervisor").get("/console/dashboard/stream").text
    assert 'name="csrf"' in sup or "No campaign today." in sup
    anonymous = browser(api).get("/console/dashboard/stream")
    assert anonymous.status_code == 303
