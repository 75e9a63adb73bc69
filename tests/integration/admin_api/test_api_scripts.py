"""Dialogue scripts edited through the API: numbered versions, the policy's own parser, a
clear reason (line and column) for YAML that does not parse, nothing stored when refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import api_fixtures
import pytest
from api_fixtures import Api
from sqlalchemy import func, select

from admin_api.routers.scripts import check_script
from core.clock import FixedClock
from data.models.admin import ScriptVersion
from data.models.audit import AuditEntry
from data.script_store import SavedScripts
from nlu.errors import ScriptError
from nlu.policy.script import load_script

api = api_fixtures.api
sqlite_api = api_fixtures.sqlite_api
URL = "/scripts/collection/en"


def _bundled(api: Api) -> str:
    r = api.client.get(URL, headers=api.headers("auditor"))
    assert r.status_code == 200, r.text
    assert r.json()["version"] == 0
    return str(r.json()["source"])


def _put(
    api: Api, source: str, role: str = "supervisor", note: str = ""
) -> tuple[int, dict[str, Any]]:
    r = api.client.put(URL, json={"source": source, "note": note}, headers=api.headers(role))
    return r.status_code, r.json()


def _stored(api: Api) -> int:
    with api.db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(ScriptVersion)) or 0)


def test_a_saved_script_is_the_next_version_and_the_old_ones_stay(api: Api) -> None:
    source = _bundled(api)
    changed = source.replace("a virtual assistant.", "an automated assistant.", 1)
    assert changed != source
    status, first = _put(api, changed, note="softer greeting")
    assert status == 200, first
    assert first["version"] == 1
    assert first["note"] == "softer greeting"
    assert first["saved_by"] == "user:supervisor"
    again, same = _put(api, changed)  # the same text: no new version
    assert again == 200
    assert same["version"] == 1
    status, second = _put(api, source, role="admin")  # back to the bundled words
    assert status == 200
    assert second["version"] == 2
    current = api.client.get(URL, headers=api.headers("auditor")).json()
    assert current["version"] == 2
    assert current["source"] == source
    listed = api.client.get(f"{URL}/versions", headers=api.headers("supervisor")).json()
    assert [v["version"] for v in listed] == [2, 1, 0]
    one = api.client.get(f"{URL}/versions/1", headers=api.headers("admin")).json()
    assert "an automated assistant." in one["source"]
    assert api.client.get(f"{URL}/versions/7", headers=api.headers("admin")).status_code == 404
    with api.db.transaction() as s:
        saves = s.scalars(select(AuditEntry).where(AuditEntry.action == "script.save")).all()
        assert [(a.subject_id, a.details["version"]) for a in saves] == [
            ("collection/en", 1),
            ("collection/en", 2),
        ]


def test_bad_yaml_is_refused_with_its_line_and_column_and_nothing_is_stored(api: Api) -> None:
    source = _bundled(api)
    lines = source.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  greeting:"))
    lines[at] = "  greeting: [unclosed"
    status, body = _put(api, "\n".join(lines))
    assert status == 422
    assert "not valid YAML" in body["detail"]
    assert f"line {at + 2}" in body["detail"] or f"line {at + 1}" in body["detail"], body
    assert _stored(api) == 0


def test_a_script_the_dialogue_could_not_speak_is_refused(sqlite_api: Api) -> None:
    api = sqlite_api
    source = _bundled(api)
    no_greeting = "\n".join(
        line
        for line in source.splitlines()
        if not line.startswith("  greeting:") and "a virtual assistant. Am I" not in line
    )
    status, body = _put(api, no_greeting)
    assert status == 422
    assert "prompts missing" in body["detail"]
    assert "greeting" in body["detail"]
    nickname = source.replace("speaking with {debtor_name}?", "speaking with {debtor_nickname}?", 1)
    assert nickname != source
    status, body = _put(api, nickname)
    assert status == 422
    assert "{debtor_nickname}" in body["detail"]
    # a placeholder the dialogue has but does not give this prompt (the debt before verifying)
    early = source.replace(
        "speaking with {debtor_name}?", "speaking with {debtor_name} about {amount}?"
    )
    status, body = _put(api, early)
    assert status == 422
    assert "'greeting'" in body["detail"]
    assert "{amount}" in body["detail"]
    status, body = _put(api, source.replace("lang: en", "lang: zh", 1))
    assert status == 422
    assert "en version" in body["detail"]
    status, body = _put(
        api, source.replace("speaking with {debtor_name}?", "speaking with {debtor_name?")
    )
    assert status == 422, body
    assert _put(api, "just words")[0] == 422
    assert _stored(api) == 0
    missing = api.client.get("/scripts/nothing/en", headers=api.headers("admin"))
    assert missing.status_code == 404
    assert api.client.get("/scripts/collection/fr", headers=api.headers("admin")).status_code == 422


def test_agents_and_auditors_cannot_save_a_script(sqlite_api: Api) -> None:
    api = sqlite_api
    source = _bundled(api)
    for role in ("agent", "auditor"):
        assert _put(api, source + "\n# x\n", role=role)[0] == 403
    assert api.client.get(URL, headers=api.headers("agent")).status_code == 403
    assert _stored(api) == 0


def test_both_bundled_scripts_pass_their_own_check() -> None:
    for lang in ("en", "zh"):
        from admin_api.main import SCRIPTS_DIR

        text = (SCRIPTS_DIR / f"{lang}.yml").read_text("utf-8")
        assert check_script(text, "collection", lang) == []
        assert load_script(lang).prompts


def test_calls_speak_the_latest_saved_version_within_the_ttl(sqlite_api: Api) -> None:
    """The worker's loader (``SavedScripts``): the saved text once its cache has aged, the
    bundled one while nothing is saved or when a saved row is broken."""
    api = sqlite_api
    clock = FixedClock(api.clock.now())
    scripts = SavedScripts(api.db, clock, ttl=30)
    bundled = load_script("en")
    assert scripts("en", "collection").prompts == bundled.prompts
    source = _bundled(api)
    changed = source.replace("a virtual assistant. Am I", "an automated assistant. Am I", 1)
    assert _put(api, changed)[0] == 200
    assert scripts("en", "collection").prompts == bundled.prompts  # cached for 30 s
    clock.advance(timedelta(seconds=31))
    greeting = scripts("en", "collection").say("greeting", agent_name="Ann", debtor_name="Bo")
    assert greeting.text == "Hello, this is Ann, an automated assistant. Am I speaking with Bo?"
    assert scripts("zh", "collection").prompts == load_script("zh").prompts  # its own language
    with api.db.transaction() as s:  # a row written behind the API's back, not a script
        broken = {"source": "lang: [", "digest": "x", "note": "", "saved_by": "db"}
        s.add(ScriptVersion(name="collection", language="en", version=9,
                            created_at=api.clock.now(), **broken))  # fmt: skip
    clock.advance(timedelta(seconds=31))
    assert scripts("en", "collection").prompts == bundled.prompts
    with pytest.raises(ScriptError):
        scripts("en", "nothing")
