"""The console's pages over the API's fixtures: sign-in cookie, CSRF, every page's roles,
masking and reveal (audited), the campaign form, the wrap-up writing the bot's records."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import cast

import api_fixtures
import pytest
from api_fixtures import PASSWORD, ROLES, Api
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.testclient import TestClient
from sqlalchemy import select
from starlette.routing import Mount
from starlette.websockets import WebSocketDisconnect

from admin_api.campaign_schemas import CampaignDefinition, PortfolioFilter
from admin_api.console import ROUTERS, campaign_form, i18n
from admin_api.console.render import TEMPLATES
from admin_api.console.session import COOKIE, PageGuard
from data.models import Campaign, Promise
from data.models.audit import AuditEntry as AuditLog

sqlite_api = api_fixtures.sqlite_api
PUBLIC = {"/login", "/lang/{code}"}
WS = "/console/live/agent"


def browser(api: Api, role: str | None = None) -> TestClient:
    """A client with its own cookie jar, signed in as ``role`` through the login form."""
    client = TestClient(api.client.app, follow_redirects=False)
    if role is not None:
        r = client.post("/console/login", data={"username": role, "password": PASSWORD})
        assert r.status_code == 303, r.text
    return client


def csrf(client: TestClient, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert found, "the page has no CSRF token"
    return found.group(1)


def test_login_sets_an_httponly_strict_cookie_and_sends_each_role_home(sqlite_api: Api) -> None:
    client = browser(sqlite_api)
    r = client.post("/console/login", data={"username": "supervisor", "password": PASSWORD})
    assert r.status_code == 303
    assert r.headers["location"] == "/console/dashboard"
    cookie = r.headers["set-cookie"].lower()
    assert f"{COOKIE}=" in cookie
    assert "httponly" in cookie
    assert "samesite=strict" in cookie
    agent = browser(sqlite_api, "agent")
    assert agent.get("/console/").headers["location"] == "/console/desk"
    assert client.get("/").headers["location"] == "/console/"


def test_wrong_password_is_refused_and_audited_like_the_api(sqlite_api: Api) -> None:
    client = browser(sqlite_api)
    r = client.post("/console/login", data={"username": "supervisor", "password": "nope"})
    assert r.status_code == 401
    assert COOKIE not in r.headers.get("set-cookie", "")
    assert "Wrong username or password." in r.text
    assert client.get("/console/dashboard").headers["location"] == "/console/login"


def test_posts_need_the_session_csrf_token_and_this_origin(sqlite_api: Api) -> None:
    client = browser(sqlite_api, "supervisor")
    token = csrf(client, "/console/campaigns/new")
    form = {"name": "no token", "max_lines": "2", "pacing": "bot", "ring_seconds": "25",
            "abandon_limit_pct": "3", "window_start": "09:00", "window_end": "20:00"}  # fmt: skip
    assert client.post("/console/campaigns", data=form).status_code == 403
    assert client.post("/console/campaigns", data={**form, "csrf": "0" * 64}).status_code == 403
    other = {"Origin": "http://evil.example"}
    r = client.post("/console/campaigns", data={**form, "csrf": token}, headers=other)
    assert r.status_code == 403
    r = client.post("/console/campaigns", data={**form, "csrf": token})
    assert r.status_code == 303, r.text
    # another user's token does not fit this session
    admin_token = csrf(browser(sqlite_api, "admin"), "/console/campaigns/new")
    assert client.post("/console/logout", data={"csrf": admin_token}).status_code == 403
    assert client.post("/console/logout", data={"csrf": token}).status_code == 303


def _concrete(path: str, api: Api) -> str:
    path = path.replace("{action}", "start").replace("{code}", "zh")
    return re.sub(r"\{[^}]+\}", "x", path)


def console_app(api: Api) -> FastAPI:
    """The console's own app, mounted under ``/console``."""
    mount = next(r for r in api.client.app.routes if isinstance(r, Mount) and r.path == "/console")  # type: ignore[attr-defined]
    return cast(FastAPI, mount.app)


def test_every_page_declares_its_roles_and_refuses_the_others(sqlite_api: Api) -> None:
    api = sqlite_api
    console_app(api).state.board_feed.stream_seconds = 0  # the live stream: one event, then ends
    clients = {role: browser(api, role) for role in ROLES}
    anonymous = browser(api)
    checked = 0
    for route in (r for router in ROUTERS for r in router.routes):
        if not isinstance(route, APIRoute | APIWebSocketRoute) or route.path in PUBLIC:
            continue
        found = [d.call for d in route.dependant.dependencies if isinstance(d.call, PageGuard)]
        assert len(found) == 1, route.path
        if isinstance(route, APIWebSocketRoute):
            continue
        allowed = {str(r) for r in found[0].roles}
        for method in route.methods or ():
            path = "/console" + _concrete(route.path, api)
            r = anonymous.request(method, path)
            assert r.status_code in (303, 403), (method, path, r.status_code)
            for role, client in clients.items():
                r = client.request(method, path)
                if role in allowed:
                    assert r.status_code != 403 or method == "POST", (method, path, role)
                else:
                    assert r.status_code == 403, (method, path, role, r.status_code)
                checked += 1
    assert checked >= 40


def test_an_agent_cannot_open_another_agents_case_and_the_try_is_audited(sqlite_api: Api) -> None:
    api = sqlite_api
    agent = browser(api, "agent")
    assert agent.get(f"/console/cases/{api.own_cases[0]}").status_code == 200
    r = agent.get(f"/console/cases/{api.other_cases[0]}")
    assert r.status_code == 404
    with api.db.transaction() as s:
        refused = s.scalars(
            select(AuditLog).where(
                AuditLog.action == "access.refused", AuditLog.subject_id == api.other_cases[0]
            )
        ).all()
    assert refused
    assert refused[-1].actor == "user:agent"
    listing = agent.get("/console/cases").text
    assert api.own_cases[0] in listing
    assert api.other_cases[0] not in listing
    assert agent.get("/console/dashboard").status_code == 403
    assert agent.get("/console/campaigns/new").status_code == 403


def test_staff_see_masked_data_until_they_reveal_it_which_is_audited(sqlite_api: Api) -> None:
    api = sqlite_api
    case_id = api.own_cases[0]
    sup = browser(api, "supervisor")
    masked = sup.get(f"/console/cases/{case_id}").text
    name = re.search(r'id="debtor-name">([^<]+)<', masked)
    assert name
    assert "*" in name.group(1)
    clear = sup.get(f"/console/cases/{case_id}?reveal=true").text
    revealed = re.search(r'id="debtor-name">([^<]+)<', clear)
    assert revealed
    assert "*" not in revealed.group(1)
    assert revealed.group(1)[0] == name.group(1)[0]
    with api.db.transaction() as s:
        reads = s.scalars(
            select(AuditLog).where(
                AuditLog.action == "case.read_pii", AuditLog.subject_id == case_id
            )
        ).all()
    assert [r.details["masked"] for r in reads][-2:] == [True, False]
    auditor = browser(api, "auditor")
    assert auditor.get(f"/console/cases/{case_id}?reveal=true").status_code == 403
    assert "Reveal" not in auditor.get(f"/console/cases/{case_id}").text


def test_the_campaign_form_offers_every_setting_of_the_schema() -> None:
    assert set(CampaignDefinition.model_fields) == campaign_form.OFFERED["definition"]
    assert set(PortfolioFilter.model_fields) == campaign_form.OFFERED["filter"]


def test_a_campaign_made_in_the_form_is_the_apis_campaign(sqlite_api: Api) -> None:
    api = sqlite_api
    sup = browser(api, "supervisor")
    token = csrf(sup, "/console/campaigns/new")
    form = {"csrf": token, "name": "Morning EN", "status": ["open", "promised"],
            "risk_tiers": ["high"], "languages": ["en"], "dpd_min": "30", "dpd_max": "90",
            "products": "card, loan", "jurisdictions": "us", "case_ids": "", "script": "collection",
            "language": "en", "window_start": "10:00", "window_end": "18:30", "max_lines": "4",
            "pacing": "progressive", "abandon_limit_pct": "2.5", "ring_seconds": "30",
            "retry_no_answer_after": "90", "retry_no_answer_max": "2", "retry_busy_after": "15",
            "retry_busy_max": "1", "retry_failed_after": "240", "retry_failed_max": "2",
            "retry_machine_after": "240", "retry_machine_max": "0",
            "agents_take_transfers": "on"}  # fmt: skip
    r = sup.post("/console/campaigns", data=form)
    assert r.status_code == 303, r.text
    with api.db.transaction() as s:
        c = s.scalars(select(Campaign).where(Campaign.name == "Morning EN")).one()
        d, created_by, cid = c.definition, c.created_by, c.id
    assert created_by == "user:supervisor"
    assert d["filter"]["status"] == ["open", "promised"]
    assert d["filter"]["risk_tiers"] == ["high"]
    assert d["filter"]["products"] == ["card", "loan"]
    assert d["filter"]["jurisdictions"] == ["US"]
    assert (d["filter"]["dpd_min"], d["filter"]["dpd_max"]) == (30, 90)
    assert d["window"] == {"start": "10:00:00", "end": "18:30:00"}
    assert (d["max_lines"], d["pacing"], d["ring_seconds"]) == (4, "progressive", 30)
    assert d["abandon_limit"] == pytest.approx(0.025)
    assert d["retries"]["busy"] == {"after_minutes": 15, "max_attempts": 1}
    assert d["agents_take_transfers"] is True
    bad = sup.post("/console/campaigns", data={**form, "name": "Bad", "ring_seconds": "5",
                                               "window_end": "08:00"})  # fmt: skip
    assert bad.status_code == 422
    assert "ring_seconds" in bad.text
    assert "window" in bad.text
    board = sup.get("/console/dashboard/board").text
    assert "Morning EN" in board
    token = csrf(sup, "/console/dashboard")
    assert sup.post(f"/console/campaigns/{cid}/start", data={"csrf": token}).status_code == 303
    assert sup.post(f"/console/campaigns/{cid}/start", data={"csrf": token}).status_code == 409
    assert (
        api.client.get(f"/campaigns/{cid}", headers=api.headers("auditor")).json()["status"]
        == "running"
    )


def _wrapup_form(token: str, **fields: str) -> dict[str, str]:
    return {"csrf": token, "tz": "UTC", "amount": "", "due_date": "", "callback_at": "",
            "note": "", "dispute_reason": "", "call_id": "", **fields}  # fmt: skip


def test_an_agents_promise_from_the_form_is_the_bots_record(sqlite_api: Api) -> None:
    api = sqlite_api
    case_id = api.own_cases[0]
    agent = browser(api, "agent")
    token = csrf(agent, f"/console/cases/{case_id}")
    due = (api.clock.now() + timedelta(days=5)).date().isoformat()
    form = _wrapup_form(token, outcome="promise_to_pay", amount="12.50", due_date=due,
                        note="will pay on Friday", call_id="call-42")  # fmt: skip
    r = agent.post(f"/console/cases/{case_id}/wrapup", data=form)
    assert r.status_code == 303, r.text
    page = agent.get(r.headers["location"]).text
    assert "Wrap-up recorded." in page
    for shown in ("12.50", due, "will pay on Friday"):
        assert shown in page
    with api.db.transaction() as s:
        p = s.scalars(select(Promise).where(Promise.case_id == case_id)).one()
        assert (p.amount_minor, p.status, p.due_date.isoformat()) == (1250, "pending", due)
    history = api.client.get(f"/cases/{case_id}/history", headers=api.headers("supervisor"))
    attempt = history.json()["attempts"][-1]
    assert attempt["outcome"] == "promise_to_pay"
    assert attempt["agent_id"] == api.agent_id
    detail = api.client.get(f"/cases/{case_id}", headers=api.headers("supervisor")).json()
    assert detail["case"]["status"] == "promised"
    # an impossible promise is refused with the endpoint's reason, nothing written
    late = _wrapup_form(token, outcome="promise_to_pay", amount="1", due_date="2001-01-01")
    assert agent.post(f"/console/cases/{case_id}/wrapup", data=late).status_code == 409
    missing = _wrapup_form(token, outcome="promise_to_pay")
    assert agent.post(f"/console/cases/{case_id}/wrapup", data=missing).status_code == 422
    other = agent.post(
        f"/console/cases/{api.other_cases[0]}/wrapup", data=_wrapup_form(token, outcome="refused")
    )
    assert other.status_code == 404


def test_the_chinese_ui_has_every_text_in_its_catalogue(sqlite_api: Api) -> None:
    texts = set()
    for path in TEMPLATES.glob("*.html"):
        texts |= set(re.findall(r"""_\(["']([^"']+)["']\)""", path.read_text("utf-8")))
    texts |= {"Wrap-up recorded.", "Wrong username or password.", "Sign-in refused."}
    texts |= {"Daily collection report", "Too many attempts; wait a minute."}
    zh = i18n.translator("zh")
    missing = sorted(t for t in texts | set(i18n.EN) if zh(t) == i18n.EN.get(t, t) and t != "—")
    assert not missing, missing
    client = browser(sqlite_api, "supervisor")
    r = client.get("/console/lang/zh?next=/console/dashboard")
    assert r.headers["location"] == "/console/dashboard"
    page = client.get("/console/dashboard").text
    assert "监控面板" in page
    assert 'lang="zh-CN"' in page
    evil = client.get("/console/lang/zh?next=https://evil.example/")
    assert evil.headers["location"] == "/console/"


def test_the_agent_websocket_takes_the_session_cookie_of_an_agent_only(sqlite_api: Api) -> None:
    api = sqlite_api
    for role in ("supervisor", None):
        client = browser(api, role)
        with (
            pytest.raises(WebSocketDisconnect) as closed,
            client.websocket_connect("/console/live/agent"),
        ):
            pass
        assert closed.value.code == 1008
    agent = browser(api, "agent")
    bad_origin = {"origin": "http://evil.example"}
    with (
        pytest.raises(WebSocketDisconnect),
        agent.websocket_connect("/console/live/agent", headers=bad_origin),
    ):
        pass
    with agent.websocket_connect("/console/live/agent") as ws:
        body = {"agent_id": api.agent_id, "summary": "wants a plan", "call_id": "c1"}
        r = api.client.post(
            f"/cases/{api.own_cases[1]}/transfer", json=body, headers=api.headers("supervisor")
        )
        assert r.status_code == 202, r.text
        pop = ws.receive_json()
    assert pop["type"] == "screen_pop"
    assert pop["case"]["id"] == api.own_cases[1]
    assert pop["summary"] == "wants a plan"


def test_reports_show_the_apis_rows_and_download_as_csv_and_excel(sqlite_api: Api) -> None:
    import io

    from openpyxl import load_workbook  # type: ignore[import-untyped]

    api = sqlite_api
    sup = browser(api, "auditor")
    page = sup.get("/console/reports?name=customer-analysis&days=30")
    assert page.status_code == 200, page.text
    assert "dpd_bucket" in page.text
    assert 'id="report-chart"' in page.text
    csv = sup.get("/console/reports/customer-analysis.csv?days=30")
    assert csv.status_code == 200
    api_csv = api.client.get(
        "/reports/customer-analysis?format=csv", headers=api.headers("auditor")
    )
    assert csv.text == api_csv.text
    xlsx = sup.get("/console/reports/customer-analysis.xlsx?days=30")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == tuple(csv.text.splitlines()[0].split(","))
    assert len(rows) == len(csv.text.splitlines())
    assert browser(api, "agent").get("/console/reports").status_code == 403
    assert sup.get("/console/reports?days=0").status_code == 422


def test_an_agent_sets_their_own_state_which_the_board_shows(sqlite_api: Api) -> None:
    api = sqlite_api
    agent = browser(api, "agent")
    token = csrf(agent, "/console/desk")
    assert (
        agent.post("/console/desk/state", data={"csrf": token, "status": "paused"}).status_code
        == 303
    )
    assert 'value="paused" selected' in agent.get("/console/desk").text
    bad = agent.post("/console/desk/state", data={"csrf": token, "status": "asleep"})
    assert bad.status_code == 422
    board = browser(api, "supervisor").get("/console/dashboard/board").text
    assert 'class="badge a-paused"' in board


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_daily_report_prints_as_a_pdf(sqlite_api: Api, lang: str) -> None:
    viewer = browser(sqlite_api, "auditor")
    viewer.get(f"/console/lang/{lang}")
    r = viewer.get("/console/reports/daily.pdf")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert len(r.content) > 2000
    assert browser(sqlite_api, "agent").get("/console/reports/daily.pdf").status_code == 403


def test_admin_pages_list_through_the_api_and_save_templates_with_its_checks(
    sqlite_api: Api,
) -> None:
    api = sqlite_api
    admin = browser(api, "admin")
    page = admin.get("/console/admin")
    assert page.status_code == 200
    assert 'id="users"' in page.text
    assert "Agent Two" in page.text
    sup = browser(api, "supervisor")
    assert 'id="users"' not in sup.get("/console/admin").text  # users are the admins' only
    token = csrf(sup, "/console/admin")
    form = {"csrf": token, "name": "hello_note", "language": "en", "body": "Pay {amount}"}
    assert sup.post("/console/admin/templates", data=form).status_code == 303
    listed = api.client.get("/sms/templates", headers=api.headers("auditor")).json()
    assert any(t["name"] == "hello_note" and t["body"] == "Pay {amount}" for t in listed)
    unknown = sup.post("/console/admin/templates", data={**form, "body": "Hi {nobody}"})
    assert unknown.status_code == 422
    assert 'id="template-errors"' in unknown.text
    bad = sup.post("/console/admin/templates", data={**form, "name": "Bad Name!"})
    assert bad.status_code == 422
    assert "Bad Name!" in bad.text  # the draft stays in the form
    assert browser(api, "auditor").get("/console/admin").status_code == 403
