"""The console in Debian's Chromium, continued: the dashboard's live board (pushed, or polled
when the browser has no EventSource), agents' time in state counting, the portfolio charts,
and the admin pages (an agent added, a script edited: a YAML error shown, then a new version).
The same seeded API as ``test_console_browser.py`` (its fixtures, a fresh instance here)."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Browser, expect
from sqlalchemy import select
from test_console_browser import NOW, Console, _page, _sign_in, browser, console

from data.models import Agent, ContactAttempt
from data.models.admin import ScriptVersion

__all__ = ["browser", "console"]


def _attempt(console: Console, n: int, campaign_id: str = "cmp_morning") -> None:
    with console.db.transaction() as s:
        s.add(
            ContactAttempt(
                id=f"att_push_{n}", idempotency_key=f"push:{n}", case_id=console.own_cases[0],
                campaign_id=campaign_id, channel="call", started_at=NOW, outcome="busy",
            )
        )  # fmt: skip


def test_the_board_is_pushed_and_agents_time_in_state_counts(
    console: Console, browser: Browser
) -> None:
    page = _page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    headers = {"Authorization": f"Bearer {console.token('agent')}"}
    r = httpx.put(f"{console.url}/agents/{console.agent_id}/status", json={"status": "paused"},
                  headers=headers)  # fmt: skip
    assert r.status_code == 200, r.text
    _sign_in(page, console, "supervisor")
    expect(page.locator("#board-live")).to_have_attribute("data-state", "live")
    expect(page.locator("#portfolio")).to_have_attribute("data-ready", "1")
    row = page.locator(f"#agents tr[data-agent='{console.agent_id}']")
    expect(row).to_contain_text("paused")
    clock = row.locator("[data-elapsed]")
    first = clock.inner_text()
    assert re.fullmatch(r"\d+:\d\d", first), first
    expect(clock).not_to_have_text(first, timeout=5_000)  # counts between two pushes
    placed = page.locator("tr[data-campaign='cmp_morning'] [data-k=attempts]")
    before = int(placed.inner_text())
    _attempt(console, 1)
    expect(placed).to_have_text(str(before + 1), timeout=10_000)
    # an agent's state change wakes every open board (the supervisors' topic)
    r = httpx.put(f"{console.url}/agents/{console.agent_id}/status",
                  json={"status": "available"}, headers=headers)  # fmt: skip
    assert r.status_code == 200
    expect(row).to_contain_text("available", timeout=3_000)
    page.screenshot(path=str(console.shots / "dashboard-agents-live.png"), full_page=True)
    assert not errors, errors
    page.context.close()


def test_without_eventsource_the_board_is_polled(console: Console, browser: Browser) -> None:
    page = _page(browser)
    page.add_init_script("delete window.EventSource")
    _sign_in(page, console, "supervisor")
    expect(page.locator("#board-live")).to_have_attribute("data-state", "polling")
    placed = page.locator("tr[data-campaign='cmp_morning'] [data-k=attempts]")
    before = int(placed.inner_text())
    _attempt(console, 2)
    expect(placed).to_have_text(str(before + 1), timeout=15_000)
    page.context.close()


def test_an_admin_adds_an_agent_and_edits_a_script_from_the_pages(
    console: Console, browser: Browser
) -> None:
    page = _page(browser)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _sign_in(page, console, "admin")
    page.get_by_role("link", name="Administration").click()
    form = page.locator("#new-agent")
    form.get_by_label("Name").fill("Chen Jing")
    form.get_by_label("Phone endpoint").fill("PJSIP/agent-7")
    form.get_by_label("Languages (comma separated; empty: any)").fill("zh")
    form.get_by_label("Risk tiers (comma separated; empty: any)").fill("high, medium")
    form.get_by_role("button", name="Add agent").click()
    expect(page.locator("#agents-saved")).to_be_visible()
    expect(page.locator("#agent-skills")).to_contain_text("Chen Jing")
    with console.db.transaction() as s:
        chen = s.scalars(select(Agent).where(Agent.display_name == "Chen Jing")).one()
        assert (chen.languages, chen.tiers) == (["zh"], ["high", "medium"])
    page.screenshot(path=str(console.shots / "admin.png"), full_page=True)

    page.get_by_role("link", name="Edit en.yml").click()
    expect(page.locator("#script-current [data-k=version]")).to_have_text("0")
    source = page.get_by_label("YAML", exact=True)
    text = source.input_value()
    source.fill(text.replace("  ask_name:\n", "  ask_name: [\n", 1))
    page.get_by_role("button", name="Save as a new version").click()
    alert = page.locator("#script-errors")
    expect(alert).to_contain_text("not valid YAML: line")
    page.screenshot(path=str(console.shots / "script-error.png"), full_page=True)
    fixed = text.replace("a virtual assistant.", "an automated assistant.", 1)
    page.get_by_label("YAML", exact=True).fill(fixed)
    page.get_by_label("What changed (optional)").fill("plainer greeting")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.locator("#script-saved")).to_be_visible()
    expect(page.locator("#script-current [data-k=version]")).to_have_text("1")
    expect(page.locator("#script-versions")).to_contain_text("plainer greeting")
    page.screenshot(path=str(console.shots / "script-editor.png"))
    with console.db.transaction() as s:
        saved = s.scalars(select(ScriptVersion)).one()
        assert saved.saved_by == "user:admin"
        assert "an automated assistant." in saved.source
    assert not errors, errors
    page.context.close()
