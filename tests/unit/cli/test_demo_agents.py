"""The demo's agents: a second ``make demo`` reuses the agents the first one created (it used to
add two more per language each run and leave the old ones in wrap-up)."""

from __future__ import annotations

from typing import Any

from cli.demo_campaign import AGENT_LINE, AGENTS, _agents


class FakeApi:
    """The admin API's /agents as the demo's supervisor client sees it."""

    def __init__(self, agents: list[dict[str, Any]]) -> None:
        self.agents = agents
        self.posted: list[dict[str, Any]] = []

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        if (method, path) == ("GET", "/agents"):
            return list(self.agents)
        assert (method, path) == ("POST", "/agents"), (method, path)
        agent = {"id": f"agt_new{len(self.posted)}", "status": "offline", **body}
        self.posted.append(body)
        self.agents.append(agent)
        return agent


def agent(aid: str, name: str, langs: list[str], endpoint: str = AGENT_LINE) -> dict[str, Any]:
    return {"id": aid, "display_name": name, "endpoint": endpoint, "languages": langs,
            "status": "wrap_up"}  # fmt: skip


async def test_a_first_run_creates_two_agents_per_language_on_the_agent_line() -> None:
    api = FakeApi([])
    en = await _agents(api, "en")  # type: ignore[arg-type]
    zh = await _agents(api, "zh")  # type: ignore[arg-type]
    assert len(set(en + zh)) == 4
    assert [b["display_name"] for b in api.posted] == [*AGENTS["en"], *AGENTS["zh"]]
    assert {b["endpoint"] for b in api.posted} == {AGENT_LINE}
    assert [b["languages"] for b in api.posted] == [["en"], ["en"], ["zh"], ["zh"]]


async def test_a_second_run_reuses_the_agents_it_finds_even_in_wrap_up() -> None:
    first, second = AGENTS["en"]
    api = FakeApi([agent("agt_a", first, ["en"]), agent("agt_b", second, ["en", "zh"])])
    assert await _agents(api, "en") == ["agt_a", "agt_b"]  # type: ignore[arg-type]
    assert api.posted == []


async def test_a_namesake_on_another_line_or_language_is_not_taken_for_a_demo_agent() -> None:
    first, second = AGENTS["en"]
    api = FakeApi([
        agent("agt_desk", first, ["en"], endpoint="PJSIP/desk-7"),  # a real person's phone
        agent("agt_zh", second, ["zh"]),  # speaks another language
    ])  # fmt: skip
    got = await _agents(api, "en")  # type: ignore[arg-type]
    assert not {"agt_desk", "agt_zh"} & set(got)
    assert [b["display_name"] for b in api.posted] == [first, second]
