"""A supervisor runs a real (small) campaign from the console and watches the dashboard follow it.

Debian's Chromium (Playwright) signs in, creates a campaign in the form and starts it on the
dashboard; the dialer's ``CampaignWorker`` then calls the due cases through the sandbox Asterisk
(real Redis, the same SQLite file as the API; ``AriOriginator`` into an ``IvrApp``, each far end
answering with a promise, busy or not existing, the answered ones talking to a scripted bot
with fake speech) while the page, never reloaded, receives the board over Server-Sent Events:
the calls placed, the promises and the lines in use change, and the supervisor finishes the
campaign. Run under ``flock /tmp/collectbot-sandbox.lock`` (this test only: it holds Asterisk).
"""

from __future__ import annotations

import asyncio
import hashlib
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from api_fixtures import fast_settings, seed
from playwright.sync_api import Browser, expect, sync_playwright
from sqlalchemy import select
from test_console_browser import (
    ARGS,
    CHROMIUM,
    WAIT_MS,
    Console,
    _page,
    _sign_in,
    served,
    shots_dir,
)

from admin_api.main import build_services
from core.clock import FixedClock
from data.crypto import Keyring, new_key_spec
from data.db import Database, migrate
from data.models import Campaign, Case, ContactAttempt, Debtor
from dialer.origination import DialRequest
from ivr.settings import AriSettings

# the dialer's own sandbox fixture and campaign runner (tests/integration/dialer)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "dialer"))
from dialer_sandbox import asterisk
from test_dialer_campaign_asterisk import NOW, PromiseBot, run_on_asterisk

__all__ = ["asterisk"]
pytestmark = pytest.mark.integration
APP = "collectbot-console-test"
FAR_ENDS = {  # a campaign of a minute at most: a ringing far end holds its line 15 s
    "promise": "Local/s@answer-wait/n",
    "busy": "Local/s@sim-busy/n",
    "invalid": "Local/s@sim-invalid/n",
    "ring": "Local/s@sim-ring/n",
}


def _far_end(case_id: str) -> str:
    digest = hashlib.sha256(case_id.encode()).digest()
    return list(FAR_ENDS)[digest[0] % len(FAR_ENDS)]


@pytest.fixture
def sandbox_console(tmp_path: Path) -> Iterator[tuple[Console, Keyring]]:
    url = f"sqlite:///{tmp_path / 'collectbot.sqlite3'}"
    migrate(url)
    db = Database.connect(url)
    keyring = Keyring.from_spec(new_key_spec())
    clock = FixedClock(NOW)  # the worker's clock: inside the US calling hours
    agent_id = seed(db, keyring, clock, tmp_path, 12)
    settings = fast_settings(tmp_path, login_burst=100, jwt_minutes=240)
    services = build_services(settings, db, keyring, clock)
    with served(services) as url:
        shots = shots_dir(tmp_path)
        yield Console(url, services, db, agent_id, [], [], shots, clock), keyring
    db.dispose()


@pytest.fixture
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


def test_a_campaign_run_on_the_sandbox_shows_live_on_the_dashboard(
    asterisk: AriSettings,
    sandbox_console: tuple[Console, Keyring],
    chromium: Browser,
) -> None:
    console, keyring = sandbox_console
    shots = console.shots
    page = _page(chromium)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, console, "supervisor")
    page.get_by_role("link", name="New campaign").click()
    page.get_by_label("Name").fill("Sandbox US")
    page.get_by_label("Jurisdictions (country codes; empty: all)").fill("US")
    page.get_by_label("Lines", exact=True).fill("2")
    page.get_by_label("Ring time (seconds)").fill("15")
    page.get_by_role("button", name="Create campaign").click()
    row = page.locator("tr", has_text="Sandbox US")
    row.get_by_role("button", name="Start Sandbox US").click()
    row = page.locator("tr", has_text="Sandbox US")
    expect(row).to_contain_text("running")
    expect(page.locator("#board-live")).to_have_attribute("data-state", "live")
    expect(row.locator("[data-k=attempts]")).to_have_text("0")
    with console.db.transaction() as s:
        cid = s.scalars(select(Campaign.id).where(Campaign.name == "Sandbox US")).one()
    page.evaluate("window.__loaded = performance.timeOrigin")  # a reload would forget this

    dialed: list[str] = []

    def endpoint(request: DialRequest) -> str:
        dialed.append(request.case_id)
        return FAR_ENDS[_far_end(request.case_id)]

    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(
                run_on_asterisk(
                    asterisk, console.db, cid, keyring, PromiseBot, endpoint, lines=2, app_name=APP
                )
            )
        except BaseException as e:  # reported in the test's own thread
            failure.append(e)

    worker = threading.Thread(target=run, name="campaign-worker")
    worker.start()
    # while the worker calls: the placed calls and the lines in use reach the open page by
    # themselves (a ringing far end holds its line for the campaign's 15 s ring time)
    placed = row.locator("[data-k=attempts]")
    expect(placed).not_to_have_text("0", timeout=60_000)
    if any(_far_end(c) == "ring" for c in dialed) or not dialed:
        busy = page.locator("#now [data-k=lines_in_use]")
        expect(busy).not_to_contain_text("0 /", timeout=30_000)
    page.screenshot(path=str(shots / "dashboard-live-campaign.png"), full_page=True)
    worker.join(timeout=180)
    assert not worker.is_alive(), "the campaign did not end"
    assert not failure, failure
    with console.db.transaction() as s:
        rows = s.scalars(select(ContactAttempt).where(ContactAttempt.campaign_id == cid)).all()
        us = set(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.jurisdiction == "US")
            )
        )
    assert len(dialed) >= 2, dialed
    assert len(rows) == len(dialed) == len(set(dialed))
    assert set(dialed) <= us  # the form's filter, honoured by the dialer
    promised = sum(1 for r in rows if r.outcome == "promise_to_pay")
    assert promised == sum(1 for c in dialed if _far_end(c) == "promise")
    rang = sorted(str(r.outcome) for r in rows if _far_end(r.case_id) == "ring")
    assert rang == ["no_answer"] * sum(1 for c in dialed if _far_end(c) == "ring")
    print(f"calls {len(rows)}: promises {promised}, rang out {len(rang)}")
    expect(placed).to_have_text(str(len(rows)), timeout=WAIT_MS)
    expect(row.locator("[data-k=promises]")).to_have_text(str(promised), timeout=WAIT_MS)
    expect(page.locator("#now [data-k=lines_in_use]")).to_contain_text("0 / 2")
    assert page.evaluate("window.__loaded") is not None  # the same page all along
    assert int(page.locator("#board").get_attribute("data-updates") or 0) >= 2
    row.get_by_role("button", name="Finish Sandbox US").click()
    expect(page.locator("tr", has_text="Sandbox US")).to_contain_text("finished")
    page.screenshot(path=str(shots / "dashboard-campaign-finished.png"), full_page=True)
    assert not errors, errors
    page.context.close()
