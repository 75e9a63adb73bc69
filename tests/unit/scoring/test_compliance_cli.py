"""`collectbot compliance check`: JSON on stdin, a decision on stdout."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from cli.scoring_commands import app

RUNNER = CliRunner()


def ask(payload: object) -> tuple[int, str]:
    result = RUNNER.invoke(app, ["compliance", "check"], input=json.dumps(payload))
    return result.exit_code, result.output


def request(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "jurisdiction": "US",
        "channel": "call",
        "now": "2026-03-10T20:59:00-05:00",
        "debt_id": "L1",
        "phone": "+13125550100",
        "debtor": {"timezone": "America/Chicago", "flags": [], "do_not_call": []},
        "history": [],
    }
    base.update(changes)
    return base


def test_allowed_contact() -> None:
    code, out = ask(request())
    assert code == 0
    assert json.loads(out) == {"allowed": True, "reasons": []}


def test_refused_contact_lists_the_reasons() -> None:
    history = [
        {
            "channel": "call",
            "at": f"2026-03-{d:02d}T10:00:00-05:00",
            "debt_id": "L1",
            "connected": d == 9,
            "conversation": d == 9,
        }
        for d in range(4, 11)
    ]
    code, out = ask(
        request(
            now="2026-03-10T21:01:00-05:00",
            debtor={
                "timezone": "America/Chicago",
                "flags": ["attorney"],
                "do_not_call": ["+1 312 555 0100"],
            },
            history=history,
        )
    )
    assert code == 0
    assert json.loads(out) == {
        "allowed": False,
        "reasons": [
            "attorney",
            "do_not_call",
            "outside_hours",
            "call_cap_7d",
            "after_conversation_7d",
        ],
    }


def test_cn_sms_cap_through_the_cli() -> None:
    history = [
        {"channel": "sms", "at": f"2026-05-0{d}T10:00:00+08:00", "debt_id": "L1"} for d in (1, 2, 3)
    ]
    code, out = ask(
        request(
            jurisdiction="CN",
            channel="sms",
            now="2026-05-04T10:00:00+08:00",
            debtor={"timezone": "Asia/Shanghai"},
            history=history,
        )
    )
    assert code == 0
    assert json.loads(out) == {"allowed": False, "reasons": ["sms_cap_7d"]}


def test_invalid_input_exits_with_a_message() -> None:
    for payload, fragment in [
        (request(now="2026-03-10T20:59:00"), "timezone-aware"),
        (request(jurisdiction="FR"), "no compliance profile"),
        (request(channel="fax"), "channel"),
        (
            request(history=[{"channel": "call", "at": "yesterday", "debt_id": "L1"}]),
            "history[0].at",
        ),
    ]:
        code, out = ask(payload)
        assert code == 2
        assert fragment in out
    result = RUNNER.invoke(app, ["compliance", "check"], input="not json")
    assert result.exit_code == 2
