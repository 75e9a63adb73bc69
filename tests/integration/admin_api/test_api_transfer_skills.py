"""A manual transfer (``POST /cases/{id}/transfer``) goes only to an agent who takes the case's
language (and product and tier) and has room; otherwise 409 and nothing changes."""

from __future__ import annotations

import api_fixtures
from api_fixtures import Api
from sqlalchemy import func, select, update

from data.models import Agent, Case, Debtor

api = api_fixtures.api


def cases_in(api: Api, language: str) -> list[str]:
    with api.db.transaction() as s:
        return list(
            s.scalars(
                select(Case.id)
                .join(Debtor, Debtor.id == Case.debtor_id)
                .where(Debtor.language == language, Case.status == "open")
                .order_by(Case.id)
            )
        )


def transfer(api: Api, case_id: str, agent_id: str) -> tuple[int, str]:
    r = api.client.post(
        f"/cases/{case_id}/transfer",
        json={"agent_id": agent_id, "summary": "wants a person"},
        headers=api.headers("supervisor"),
    )
    return r.status_code, r.text


def owner(api: Api, case_id: str) -> str | None:
    with api.db.transaction() as s:
        return s.get_one(Case, case_id).assigned_agent_id


def test_a_case_goes_only_to_an_agent_who_speaks_its_language(api: Api) -> None:
    en, zh = cases_in(api, "en"), cases_in(api, "zh")
    assert en
    assert zh, "the fixture portfolio has Mandarin cases"
    before = owner(api, zh[0])
    status, text = transfer(api, zh[0], "agt_1")  # agt_1 speaks English only
    assert status == 409
    assert "language 'zh'" in text
    assert owner(api, zh[0]) == before
    assert transfer(api, zh[0], "agt_2")[0] == 202  # agt_2 speaks Mandarin
    assert owner(api, zh[0]) == "agt_2"
    free = next(c for c in en if owner(api, c) != "agt_1")
    assert transfer(api, free, "agt_1")[0] == 202
    assert transfer(api, free, "agt_nobody")[0] == 404


def test_an_agent_at_capacity_takes_no_more_but_keeps_what_they_have(api: Api) -> None:
    en = cases_in(api, "en")
    with api.db.transaction() as s:
        load = s.scalar(
            select(func.count()).where(Case.assigned_agent_id == "agt_1", Case.status == "open")
        )
        s.execute(update(Agent).where(Agent.id == "agt_1").values(capacity=load))
    held = next(c for c in en if owner(api, c) == "agt_1")
    other = next(c for c in en if owner(api, c) != "agt_1")
    status, text = transfer(api, other, "agt_1")
    assert status == 409
    assert "capacity" in text
    assert owner(api, other) != "agt_1"
    # a live call on a case the agent already holds still reaches them
    assert transfer(api, held, "agt_1")[0] == 202
