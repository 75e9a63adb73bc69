"""Mandarin key words by sound (zh11): the held-out lines of ``bench/heldout/zh_sound_zh11.yml``
through the product's parser and policy, each expectation checked.

Each line is said in a call of the demo case (李明, 3,500 CNY, minimum 500; Monday 7 Dec 2026,
verification by name) at the stage its ``at`` names, heard exactly as written (confidence 1.0).
Printed: lines whose every expectation holds, split into the lines that must match and those
that must not, and each line that fails with what was read.

    PYTHONPATH=$PWD .venv/bin/python bench/zh_sound.py [--corpus FILE] [--show]
"""

from __future__ import annotations

import argparse
import dataclasses
from datetime import UTC, date, datetime
from pathlib import Path

import yaml

from core.dialogue import (
    AmountEntity,
    CallAnswered,
    DateEntity,
    Outcome,
    Say,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import DialogueState, Stage, VerificationMode, decide, demo_case, load_script, start

TODAY = date(2026, 12, 7)
NOON = datetime(2026, 12, 7, 4, tzinfo=UTC)
BEFORE = {"identity": (), "ask_full": ("对，是我",), "promise": ("对，是我", "不行，一次还不了")}
PLAN_STAGES = (Stage.OFFER_PLAN, Stage.CONFIRM_PLAN)
# a line must NOT match when every expectation is a "no": false, none, or an unchanged reading
NEGATIVE_HEADER = "# --- must NOT match"


def _call(at: str, line: str) -> tuple[DialogueState, list[str]]:
    facts = dataclasses.replace(demo_case("zh"), verification=VerificationMode.NAME)
    state = start(facts, load_script("zh"), TODAY)
    state, _ = decide(state, CallAnswered(NOON))
    said: list[str] = []
    for text in (*BEFORE[at], line):
        parse = default_parser().parse(text, "zh", state.today).heard_with(1.0)
        state, out = decide(state, UtteranceHeard(text, "zh", parse))
        said = [c.text for c in out if isinstance(c, Say)]
    return state, said


def _read(at: str, line: str) -> dict[str, object]:
    state, said = _call(at, line)
    parse = default_parser().parse(line, "zh", TODAY)
    dates = [e.value.isoformat() for e in parse.entities if isinstance(e, DateEntity)]
    amounts = [str(e.value.normalize()) for e in parse.entities if isinstance(e, AmountEntity)]
    amount = state.promise_amount
    return {
        "minimum": any("最低" in s for s in said),
        "amount": "none" if amount is None else f"{amount.amount.normalize():f}",
        "date": "none" if state.promise_date is None else state.promise_date.isoformat(),
        "parse_date": dates[0] if dates else "none",
        "parse_amount": amounts[0] if amounts else "none",
        "dispute": state.outcome is Outcome.DISPUTE,
        "plan": state.stage in PLAN_STAGES or state.outcome is Outcome.PAYMENT_PLAN,
        "agent": state.stage is Stage.TRANSFERRING or state.outcome is Outcome.TRANSFERRED,
        "wrong_number": state.outcome is Outcome.WRONG_NUMBER,
        "verified": state.verified,
        "intent": parse.intent,
    }


def _negatives(path: Path) -> set[str]:
    """The lines after the file's must-not-match header."""
    raw = path.read_text(encoding="utf-8")
    tail = raw.split(NEGATIVE_HEADER, 1)[1] if NEGATIVE_HEADER in raw else ""
    body = yaml.safe_load("lines:\n" + tail.split("\n", 1)[1])["lines"] if tail else []
    return {str(line["text"]) for line in body or []}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--corpus", type=Path, default=Path("bench/heldout/zh_sound_zh11.yml"))
    ap.add_argument("--show", action="store_true", help="list every failing line")
    opts = ap.parse_args()
    lines = yaml.safe_load(opts.corpus.read_text(encoding="utf-8"))["lines"]
    negatives = _negatives(opts.corpus)
    passed = {"match": [0, 0], "must not match": [0, 0]}
    for line in lines:
        text, expect = str(line["text"]), line["expect"]
        got = _read(line["at"], text)
        wrong = {k: got[k] for k, v in expect.items() if str(got[k]).lower() != str(v).lower()}
        kind = "must not match" if text in negatives else "match"
        passed[kind][1] += 1
        passed[kind][0] += not wrong
        if wrong and opts.show:
            print(f"FAIL [{kind}] {text} @{line['at']}: expected {expect}, got {wrong}")
    for kind, (ok, total) in passed.items():
        print(f"{kind}: {ok}/{total}")


if __name__ == "__main__":
    main()
