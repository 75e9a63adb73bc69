"""The console's admin forms: users (admins only), agents and skills, strategy upload and the
script editor, each through the API's own function (its checks, its audit record)."""

from __future__ import annotations

import re

import api_fixtures
from api_fixtures import PASSWORD, Api
from sqlalchemy import select
from test_console_pages import browser, csrf

from data.models import Agent, User
from data.models.admin import ScriptVersion
from data.models.audit import AuditEntry

sqlite_api = api_fixtures.sqlite_api
ADMIN = "/console/admin"
SCRIPT = "/console/admin/scripts/collection/en"


def _actions(api: Api, action: str) -> list[AuditEntry]:
    with api.db.transaction() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_an_admin_adds_a_user_who_can_sign_in_and_changes_their_role(sqlite_api: Api) -> None:
    api = sqlite_api
    admin = browser(api, "admin")
    token = csrf(admin, ADMIN)
    form = {"csrf": token, "username": "maria", "password": "short", "role": "agent"}
    short = admin.post(f"{ADMIN}/users", data=form)
    assert short.status_code == 422
    assert 'id="users-errors"' in short.text
    assert "maria" in short.text
    assert "short" not in re.findall(r'value="([^"]*)"', short.text)  # no password echoed
    r = admin.post(f"{ADMIN}/users", data={**form, "password": PASSWORD})
    assert r.status_code == 303
    assert browser(api, "maria").get("/console/").headers["location"] == "/console/desk"
    taken = admin.post(f"{ADMIN}/users", data={**form, "password": PASSWORD})
    assert taken.status_code == 422
    assert "exists" in taken.text
    with api.db.transaction() as s:
        maria = s.scalar(select(User).where(User.username == "maria"))
        assert maria is not None
        maria_id = maria.id
    r = admin.post(f"{ADMIN}/users/{maria_id}", data={"csrf": token, "role": "auditor"})
    assert r.status_code == 303  # the box left unticked: disabled as well
    with api.db.transaction() as s:
        maria = s.get(User, maria_id)
        assert maria is not None
        assert maria.role == "auditor"
        assert not maria.active
    assert [a.subject_id for a in _actions(api, "user.create")] == [maria_id]
    assert [a.subject_id for a in _actions(api, "user.update")] == [maria_id]
    # the last admin cannot demote themselves: the API's rule, shown on the page
    last = admin.post(
        f"{ADMIN}/users/usr_admin", data={"csrf": token, "role": "agent", "active": "on"}
    )
    assert last.status_code == 422
    assert "last active admin" in last.text
    sup = browser(api, "supervisor")
    sup_token = csrf(sup, ADMIN)
    assert sup.post(f"{ADMIN}/users", data={**form, "csrf": sup_token}).status_code == 403
    assert sup.post(f"{ADMIN}/users/usr_agent", data={"csrf": sup_token}).status_code == 403


def test_a_supervisor_adds_an_agent_and_edits_their_skills(sqlite_api: Api) -> None:
    api = sqlite_api
    sup = browser(api, "supervisor")
    token = csrf(sup, ADMIN)
    form = {"csrf": token, "display_name": "Li Wei", "endpoint": "PJSIP/agent-9",
            "languages": "zh, en", "products": "", "tiers": "high", "capacity": "30"}  # fmt: skip
    assert sup.post(f"{ADMIN}/agents", data=form).status_code == 303
    with api.db.transaction() as s:
        li = s.scalar(select(Agent).where(Agent.display_name == "Li Wei"))
        assert li is not None
        assert (li.languages, li.products, li.tiers, li.capacity) == (
            ["zh", "en"],
            [],
            ["high"],
            30,
        )
        li_id = li.id
    edit = {**form, "languages": "zh", "tiers": "", "capacity": "12", "display_name": "Li Wei"}
    assert sup.post(f"{ADMIN}/agents/{li_id}", data=edit).status_code == 303
    with api.db.transaction() as s:
        li = s.get(Agent, li_id)
        assert li is not None
        assert (li.languages, li.tiers, li.capacity) == (["zh"], [], 12)
    bad = sup.post(f"{ADMIN}/agents/{li_id}", data={**edit, "languages": "chinese"})
    assert bad.status_code == 422
    assert 'id="agents-errors"' in bad.text
    assert 'value="chinese"' in bad.text  # the draft stays in that agent's form
    assert sup.post(f"{ADMIN}/agents/agt_none", data=edit).status_code == 422
    assert [a.subject_id for a in _actions(api, "agent.update")] == [li_id]
    agent = browser(api, "agent")
    assert agent.post(f"{ADMIN}/agents", data=form).status_code == 403


def test_a_strategy_is_uploaded_from_the_page_and_its_problems_listed(sqlite_api: Api) -> None:
    api = sqlite_api
    sup = browser(api, "supervisor")
    token = csrf(sup, ADMIN)
    files = {"file": ("broken.yaml", b"name: [oops", "text/yaml")}
    r = sup.post(f"{ADMIN}/strategies", data={"csrf": token}, files=files)
    assert r.status_code == 303
    page = sup.get(ADMIN).text
    listed = page.split('id="strategy-list"', 1)[1]
    assert "broken.yaml" in listed
    assert "not valid YAML" in listed
    assert sup.post(f"{ADMIN}/strategies", data={"csrf": token}).status_code == 422
    assert len(_actions(api, "strategy.upload")) == 1
    assert sup.post(f"{ADMIN}/strategies", files=files).status_code == 403  # no CSRF token


def test_the_script_editor_saves_versions_and_shows_why_yaml_is_refused(sqlite_api: Api) -> None:
    api = sqlite_api
    sup = browser(api, "supervisor")
    page = sup.get(SCRIPT)
    assert page.status_code == 200
    token = re.search(r'name="csrf" value="([0-9a-f]{64})"', page.text)
    assert token
    source = api.client.get("/scripts/collection/en", headers=api.headers("admin")).json()["source"]
    bad = sup.post(SCRIPT, data={"csrf": token.group(1), "source": source + "\n  oops: [\n"})
    assert bad.status_code == 422
    assert 'id="script-errors"' in bad.text
    assert "not valid YAML: line" in bad.text
    assert "oops: [" in bad.text  # the text is kept for the fix
    changed = source.replace("a virtual assistant.", "an automated assistant.", 1)
    ok = sup.post(SCRIPT, data={"csrf": token.group(1), "source": changed, "note": "wording"})
    assert ok.status_code == 303
    shown = sup.get(ok.headers["location"]).text
    assert 'data-k="version">1<' in shown
    assert "wording" in shown
    old = sup.get(f"{SCRIPT}?version=0").text
    assert 'id="script-old"' in old
    assert "a virtual assistant." in old
    with api.db.transaction() as s:
        rows = s.scalars(select(ScriptVersion)).all()
        assert [(r.version, r.saved_by) for r in rows] == [(1, "user:supervisor")]
    assert browser(api, "agent").get(SCRIPT).status_code == 403
    assert browser(api, "auditor").post(SCRIPT, data={"source": changed}).status_code == 403
