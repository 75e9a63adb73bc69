"""The console in a real browser: Debian's Chromium driven by Playwright against the admin API
served by uvicorn (the console's assets from ``npm ci``, nothing from the internet).

A supervisor signs in, reads the day's board and charts, creates and starts a campaign; an
agent gets a transferred call's screen-pop with the live lines, records a promise that then
shows in the case's history; the agent cannot open another agent's case or a supervisor page;
the Chinese UI renders. The day's calls are seeded (not a sandbox campaign run). Screenshots go
to ``$COLLECTBOT_HOME/screenshots/console``.
"""

from __future__ import annotations

import io
import math
import os
import socket
import struct
import threading
import time
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import uvicorn
from api_fixtures import PASSWORD, fast_settings, seed
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlalchemy import select

from admin_api.app import create_app
from admin_api.console import NODE_MODULES, VENDOR
from admin_api.hub import agent_topic
from admin_api.main import build_services
from admin_api.services import Services
from core.clock import FixedClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.models import Campaign, Case, ContactAttempt, Promise
from data.models.audit import AuditEntry
from sms.file_gateway import FileSmsGateway
from sms.settings import SmsSettings

pytestmark = pytest.mark.integration
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
NOW = datetime(2026, 11, 29, 15, 0, tzinfo=UTC)
WAIT_MS = 30_000


@dataclass
class Console:
    url: str
    services: Services
    db: Database
    agent_id: str
    own_cases: list[str]
    other_cases: list[str]
    shots: Path
    clock: FixedClock

    def token(self, role: str) -> str:
        r = httpx.post(
            f"{self.url}/auth/token", data={"username": role, "password": PASSWORD}, timeout=30
        )
        r.raise_for_status()
        return str(r.json()["access_token"])


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed_day(db: Database, cases: list[str]) -> None:
    """A running campaign with a day of calls (outcomes by hour) and two promises."""
    outcomes = ["no_answer", "promise_to_pay", "refused", "busy", "machine", "hung_up"]
    with db.transaction() as s:
        s.add(
            Campaign(
                id="cmp_morning",
                name="Morning EN",
                status="running",
                definition={"max_lines": 4, "abandon_limit": 0.03},
                created_by="user:supervisor",
                created_at=NOW - timedelta(hours=7),
                updated_at=NOW - timedelta(hours=7),
            )
        )
        s.flush()
        for i in range(36):
            outcome = outcomes[i % len(outcomes)]
            at = NOW - timedelta(hours=6) + timedelta(minutes=10 * i)
            s.add(
                ContactAttempt(
                    id=f"att_seed_{i}",
                    idempotency_key=f"seed:{i}",
                    case_id=cases[i % len(cases)],
                    campaign_id="cmp_morning",
                    channel="call",
                    started_at=at,
                    ended_at=at + timedelta(minutes=2),
                    outcome=outcome,
                    connected=outcome in ("promise_to_pay", "refused"),
                    conversation=outcome == "promise_to_pay",
                )
            )
            if outcome == "promise_to_pay" and i < 20:
                s.flush()
                s.add(
                    Promise(
                        case_id=cases[i % len(cases)],
                        attempt_id=f"att_seed_{i}",
                        amount_minor=5_000 + 100 * i,
                        currency="USD",
                        due_date=(NOW + timedelta(days=7)).date(),
                        status="pending",
                        created_at=at,
                    )
                )


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    missing = [n for n, p in VENDOR.items() if not (NODE_MODULES / p).is_file()]
    assert not missing, f"run `make install` (npm ci) first: {missing}"
    tmp = tmp_path_factory.mktemp("console")
    url = f"sqlite:///{tmp / 'collectbot.sqlite3'}"
    migrate(url)
    db = Database.connect(url)
    keyring = Keyring.from_spec(new_key_spec())
    clock = FixedClock(NOW)
    agent_id = seed(db, keyring, clock, tmp, 12)
    with db.transaction() as s:
        ids = sorted(s.scalars(select(Case.id)))
    _seed_day(db, ids[4:])
    settings = fast_settings(tmp, login_burst=100, jwt_minutes=240)
    sms = SmsSettings(file_path=tmp / "outbox.jsonl", payment_link="https://pay.example/{case}")
    services = build_services(
        settings, db, keyring, clock, sms_settings=sms, sms_gateway=FileSmsGateway(sms.file_path)
    )
    with served(services) as url:
        yield Console(url, services, db, agent_id, ids[:2], ids[2:4], shots_dir(tmp), clock)
    db.dispose()


@contextmanager
def served(services: Services) -> Iterator[str]:
    """The API (with the console) served by uvicorn on a free port: its base URL."""
    port = _free_port()
    config = uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def shots_dir(tmp: Path) -> Path:
    """``$COLLECTBOT_HOME/screenshots/console`` (``tmp``'s without a home)."""
    shots = Path(os.environ.get("COLLECTBOT_HOME", tmp)) / "screenshots" / "console"
    shots.mkdir(parents=True, exist_ok=True)
    return shots


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def _page(browser: Browser) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    return page


def _sign_in(page: Page, console: Console, role: str) -> None:
    page.goto(f"{console.url}/")
    expect(page).to_have_url(f"{console.url}/console/login")
    page.get_by_label("Username").fill(role)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_supervisor_sees_the_day_and_creates_and_starts_a_campaign(
    console: Console, browser: Browser
) -> None:
    page = _page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, console, "supervisor")
    expect(page).to_have_url(f"{console.url}/console/dashboard")
    row = page.locator("tr[data-campaign='cmp_morning']")
    expect(row).to_contain_text("Morning EN")
    expect(row.locator("[data-k=attempts]")).to_have_text("36")
    expect(row.locator("[data-k=promises]")).to_have_text("4")  # i = 1, 7, 13, 19
    expect(page.locator("#agents")).to_contain_text("Agent One")
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    page.screenshot(path=str(console.shots / "dashboard.png"), full_page=True)

    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name").fill("Evening ZH")
    page.get_by_role("group", name="Debtor language").get_by_label("Chinese").check()
    page.get_by_label("Days past due from").fill("30")
    page.get_by_label("Lines", exact=True).fill("3")
    page.get_by_label("Pacing").select_option("progressive")
    page.get_by_label("Ring time (seconds)").fill("30")
    page.screenshot(path=str(console.shots / "campaign-form.png"), full_page=True)
    page.get_by_role("button", name="Create campaign").click()
    evening_id = _campaign_id("Evening ZH", console)
    expect(page).to_have_url(f"{console.url}/console/dashboard#c-{evening_id}")
    new_row = page.locator("tr", has_text="Evening ZH")
    expect(new_row).to_contain_text("draft")
    new_row.get_by_role("button", name="Start Evening ZH").click()
    expect(page.locator("tr", has_text="Evening ZH")).to_contain_text("running")
    # a figure written now shows on the board without reloading (htmx polls the board)
    _add_attempt(console, evening_id, console.other_cases[0])
    evening = page.locator("tr", has_text="Evening ZH").locator("[data-k=attempts]")
    expect(evening).to_have_text("1", timeout=WAIT_MS)
    with console.db.transaction() as s:
        c = s.scalars(select(Campaign).where(Campaign.name == "Evening ZH")).one()
        assert c.status == "running"
        assert c.definition["filter"]["languages"] == ["zh"]
        assert c.definition["pacing"] == "progressive"
    assert not errors, errors
    page.context.close()


def _campaign_id(name: str, console: Console) -> str:
    for _ in range(100):
        with console.db.transaction() as s:
            found = s.scalar(select(Campaign.id).where(Campaign.name == name))
        if found:
            return str(found)
        time.sleep(0.1)
    raise AssertionError(f"no campaign {name}")


def _add_attempt(console: Console, campaign_id: str, case_id: str) -> None:
    with console.db.transaction() as s:
        s.add(
            ContactAttempt(
                id="att_live_1",
                idempotency_key="live:1",
                case_id=case_id,
                campaign_id=campaign_id,
                channel="call",
                started_at=NOW,
                outcome="no_answer",
            )
        )


def test_an_agent_gets_the_screen_pop_and_records_a_promise(
    console: Console, browser: Browser
) -> None:
    page = _page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, console, "agent")
    expect(page).to_have_url(f"{console.url}/console/desk")
    expect(page.locator("#live-status")).to_have_attribute("data-state", "open")
    case_id = console.own_cases[1]
    body = {"agent_id": console.agent_id, "summary": "Wants to pay next week", "call_id": "c-77"}
    headers = {"Authorization": f"Bearer {console.token('supervisor')}"}
    r = httpx.post(f"{console.url}/cases/{case_id}/transfer", json=body, headers=headers)
    assert r.status_code == 202, r.text
    pop = page.locator("#screen-pop")
    expect(pop).to_be_visible()
    expect(pop.locator("#pop-case")).to_have_text(case_id)
    expect(pop).to_contain_text("Wants to pay next week")
    # the debtor's live lines, as the IVR publishes them during the transfer
    line = {"type": "transcript", "call_id": "c-77", "speaker": "debtor", "at": NOW.isoformat()}
    console.services.hub.publish(
        agent_topic(console.agent_id), line | {"text": "I can pay 40 dollars on Friday."}
    )
    expect(pop.locator("#pop-transcript")).to_contain_text("I can pay 40 dollars on Friday.")
    page.screenshot(path=str(console.shots / "screen-pop.png"), full_page=True)
    # a case assigned now appears in the queue at once (the websocket's case.assigned)
    moved = console.other_cases[1]
    reason = {"agent_id": console.agent_id, "reason": "language"}
    r = httpx.post(f"{console.url}/cases/{moved}/assign", json=reason, headers=headers)
    assert r.status_code == 200, r.text
    expect(page.locator("#queue-table")).to_contain_text(moved, timeout=5_000)

    page.get_by_role("link", name="Open the case and wrap up").click()
    expect(page.locator("#wrap-call-id")).to_have_value("c-77")
    due = (NOW + timedelta(days=5)).date().isoformat()
    page.get_by_label("Outcome").select_option("promise_to_pay")
    page.get_by_label("Promise: amount").fill("40.00")
    page.get_by_label("Promise: date").fill(due)
    page.get_by_label("Note").fill("Pays on Friday by card")
    page.get_by_role("button", name="Save wrap-up").click()
    expect(page.locator(".flash")).to_have_text("Wrap-up recorded.")
    promises = page.locator("#promises")
    expect(promises).to_contain_text("40.00")
    expect(promises).to_contain_text(due)
    expect(page.locator("#history")).to_contain_text("Pays on Friday by card")
    page.screenshot(path=str(console.shots / "case-after-wrapup.png"), full_page=True)
    # the agent's own wrap-up has no recording: no player for it
    expect(page.locator("#history details[open] audio[data-recording]")).to_have_count(0)
    # the API's own history shows the same promise
    history = httpx.get(f"{console.url}/cases/{case_id}/history", headers=headers).json()
    assert [p["amount"] for p in history["promises"]] == ["40.00"]
    assert history["attempts"][-1]["agent_id"] == console.agent_id
    assert not errors, errors
    page.context.close()


def test_an_agent_cannot_open_another_agents_case_or_a_supervisor_page(
    console: Console, browser: Browser
) -> None:
    page = _page(browser)
    _sign_in(page, console, "agent")
    expect(page).to_have_url(f"{console.url}/console/desk")
    expect(page.get_by_role("link", name="Dashboard")).to_have_count(0)
    r = page.goto(f"{console.url}/console/cases/{console.other_cases[0]}")
    assert r is not None
    assert r.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    r = page.goto(f"{console.url}/console/dashboard")
    assert r is not None
    assert r.status == 403
    r = page.goto(f"{console.url}/console/campaigns/new")
    assert r is not None
    assert r.status == 403
    page.screenshot(path=str(console.shots / "agent-refused.png"))
    page.context.close()


def test_the_chinese_ui_renders(console: Console, browser: Browser) -> None:
    page = _page(browser)
    _sign_in(page, console, "supervisor")
    page.get_by_role("link", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("link", name="监控面板")).to_be_visible()
    expect(page.get_by_role("heading", name="外呼活动")).to_be_visible()
    expect(page.locator("#charts")).to_have_attribute("data-ready", "1")
    page.screenshot(path=str(console.shots / "dashboard-zh.png"), full_page=True)
    page.goto(f"{console.url}/console/cases/{console.own_cases[0]}")
    expect(page.get_by_role("heading", name="通话小结")).to_be_visible()
    page.screenshot(path=str(console.shots / "case-zh.png"), full_page=True)
    page.context.close()


def test_sign_in_works_from_the_keyboard_alone(console: Console, browser: Browser) -> None:
    page = _page(browser)
    page.goto(f"{console.url}/console/login")
    expect(page.get_by_label("Username")).to_be_focused()  # autofocus
    page.keyboard.type("supervisor")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{console.url}/console/dashboard")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#main :focus").first).to_be_visible()
    page.context.close()


def test_reports_chart_the_apis_figures(console: Console, browser: Browser) -> None:
    console.clock.advance(timedelta(minutes=1))  # reports end at "now": past this test's writes
    page = _page(browser)
    _sign_in(page, console, "supervisor")
    page.get_by_role("link", name="Reports").click()
    expect(page.locator("#report-chart")).to_have_attribute("data-ready", "1")
    with console.db.transaction() as s:
        promises = len(s.scalars(select(Promise.id)).all())
    today = page.locator("#report-table tr", has_text=NOW.date().isoformat())
    expect(today.locator("td").nth(4)).to_have_text(str(promises))  # the agent's count too
    page.get_by_label("Report", exact=True).select_option("customer-analysis")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report-table")).to_contain_text("dpd_bucket")
    expect(page.locator("#report-chart")).to_have_attribute("data-ready", "1")
    page.screenshot(path=str(console.shots / "report-segments.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel").click()
    assert download.value.suggested_filename == "customer-analysis.xlsx"
    pdf = page.request.get(f"{console.url}/console/reports/daily.pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    (console.shots / "daily-report.pdf").write_bytes(pdf.body())
    page.context.close()


def _wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        tone = (
            int(8000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds))
        )
        w.writeframes(b"".join(struct.pack("<h", x) for x in tone))
    return buf.getvalue()


def test_a_calls_recording_plays_in_the_page_through_the_audited_endpoint(
    console: Console, browser: Browser
) -> None:
    case_id, attempt_id = console.own_cases[0], "att_recorded_1"
    ref = console.services.recordings.store(attempt_id, [_wav()], NOW)
    with console.db.transaction() as s:
        s.add(
            ContactAttempt(
                id=attempt_id, idempotency_key="rec:1", case_id=case_id, channel="call",
                started_at=NOW - timedelta(hours=1), ended_at=NOW - timedelta(minutes=58),
                outcome="refused", connected=True, conversation=False, recording_ref=ref,
            )
        )  # fmt: skip
    page = _page(browser)
    _sign_in(page, console, "agent")
    page.goto(f"{console.url}/console/cases/{case_id}")
    player = page.locator(f"audio[src$='/attempts/{attempt_id}/recording']")
    expect(player).to_have_count(1)
    duration = player.evaluate(
        """a => new Promise((ok, no) => {
            a.addEventListener("loadedmetadata", () => ok(a.duration));
            a.addEventListener("error", () => no(new Error("no audio")));
            a.load();
        })"""
    )
    assert abs(float(duration) - 1.0) < 0.05
    with console.db.transaction() as s:
        heard = s.scalars(
            select(AuditEntry).where(
                AuditEntry.action == "recording.listen", AuditEntry.subject_id == attempt_id
            )
        ).all()
    assert heard
    assert {e.actor for e in heard} == {"user:agent"}
    page.context.close()
