"""Text-only calls for the analytics' end-to-end check: the real NLU and dialogue policy on the
demo database's cases, each debtor speaking from their hidden profile, written as finished
calls (attempt, transcript, promise) so that ``collectbot qa run`` has something to score.

No Asterisk and no audio: each debtor line is heard exactly as written. Timings are simulated:
the bot speaks at the QA's own speaking rate, the debtor answers after a 0.5-2.5 s pause,
interrupts the bot on about 12 % of turns and stays silent 9-14 s on about 4 %. One script
version is deliberately bad (``--bad`` of the English calls): no mini-Miranda, no recording
notice, no read-back, a threat in the first ask.

    PYTHONPATH=$PWD COLLECTBOT_HOME=$PWD/var .venv/bin/python bench/analytics_calls.py --calls 90
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
from datetime import datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from pathlib import Path
from types import MappingProxyType

from sqlalchemy import select

from analytics.calls import speaking_seconds
from analytics.catalog import script_version
from cli.context import AppContext
from core.dialogue import (
    CallAnswered,
    CallerHungUp,
    DialogueCommand,
    Hangup,
    Outcome,
    Say,
    SilenceTimedOut,
    TransferToAgent,
    UtteranceHeard,
)
from data.call_records import CallRecord, save_call
from data.case_facts import case_facts
from data.models import Case
from nlu.parser import default_parser
from nlu.policy import CaseFacts, Script, VerificationMode, decide, load_script, start
from tts.numbers import cardinal_en, cardinal_zh, digits_en, digits_zh, year_en

SILENCE = "<silence>"
BAD = {
    "disclosure.US": ("Thank you, {debtor_name}.",),
    "recording_notice": ("Okay.",),
    "ask_full": ("Pay the full {amount} today, or we will tell your employer.",),
    "confirm_promise": ("Great. Is that right?",),
}


def bad_script() -> Script:
    good = load_script("en")
    return replace(good, prompts=MappingProxyType({**good.prompts, **BAD}))


def _amount(facts: CaseFacts) -> int:
    step = Decimal(100 if facts.lang == "zh" else 50)
    floor = max(facts.limits.min_promise.amount, Decimal(1))
    amount = (floor / step).quantize(Decimal(1), rounding=ROUND_CEILING) * step
    return int(min(amount, facts.balance.amount.quantize(Decimal(1), rounding="ROUND_FLOOR")))


def _verify(facts: CaseFacts) -> list[str]:
    zh = facts.lang == "zh"
    if facts.verification is VerificationMode.NAME_AND_BIRTH_YEAR and facts.birth_year:
        year = facts.birth_year
        return [
            f"我是{digits_zh(str(year))}年出生的。" if zh else f"I was born in {year_en(year)}."
        ]
    if facts.verification is VerificationMode.NAME_AND_ID_LAST4 and facts.id_last4:
        last4 = facts.id_last4
        return [
            f"后四位是{digits_zh(last4)}。"
            if zh
            else f"The last four digits are {digits_en(last4)}."
        ]
    return []


def lines(persona: str, facts: CaseFacts, rng: random.Random) -> list[str]:
    zh = facts.lang == "zh"
    me = [f"是的，我就是{facts.debtor_name}。" if zh else "Yes, speaking.", *_verify(facts)]
    n = _amount(facts)
    promise = (
        ["全部还不了。", f"这周五我可以还{cardinal_zh(n)}块钱。", "好的，没问题。"]
        if zh
        else ["No, I cannot pay all of it.", f"I can pay {cardinal_en(n)} dollars on Friday.",
              "Yes, that is correct."]
    )  # fmt: skip
    by_persona = {
        "cooperative": promise,
        "forgetful": [("哎呀我忘了。" if zh else "Oh, I forgot about it."), *promise],
        "hardship": [("我上个月失业了。" if zh else "I lost my job last month."),
                     ("我要找人工客服。" if zh else "I want to talk to a real person."), SILENCE],
        "avoider": ["我在开车，明天再打给我吧。" if zh else
                    "I am driving right now. Please call me back tomorrow."],
        "disputer": ["这笔钱我没借过，我不认这笔账。" if zh else
                     "I dispute this debt. I never took this loan."],
    }  # fmt: skip
    if persona in ("wrong_number", "third_party"):
        return ["你打错了，这里没有这个人。" if zh else "No, you have the wrong number."]
    said = by_persona.get(persona, promise)
    if rng.random() < 0.1:
        said = [*said[:1], "I'm busy." if not zh else "我在忙。", *said[1:]]
    return [*me, *said]


class TextCall:
    def __init__(self, facts: CaseFacts, script: Script, at: datetime, rng: random.Random) -> None:
        self.state = start(facts, script, at.date())
        self.facts, self.now, self.rng = facts, at, rng
        self.transcript: list[tuple[datetime, str, str]] = []
        self.records: list[DialogueCommand] = []
        self.outcome: str | None = None
        self.last_bot_end = at

    def send(self, event: object) -> None:
        self.state, commands = decide(self.state, event)  # type: ignore[arg-type]
        for c in commands:
            match c:
                case Say():
                    start_at = max(self.now, self.last_bot_end)
                    self.transcript.append((start_at, "bot", c.text))
                    self.last_bot_end = start_at + timedelta(
                        seconds=speaking_seconds(c.text, self.facts.lang) + 0.4
                    )
                case TransferToAgent():
                    self.outcome = Outcome.TRANSFERRED.value
                case Hangup():
                    self.outcome = self.outcome or c.outcome.value
                case _:
                    self.records.append(c)

    def say(self, text: str) -> None:
        r = self.rng.random()
        if r < 0.12:  # interrupts the bot
            at = self.last_bot_end - timedelta(seconds=self.rng.uniform(1.5, 3.0))
        elif r < 0.16:
            at = self.last_bot_end + timedelta(seconds=self.rng.uniform(9, 14))
        else:
            at = self.last_bot_end + timedelta(seconds=self.rng.uniform(0.5, 2.5))
        self.now = max(at, self.transcript[-1][0] + timedelta(seconds=0.3))
        self.transcript.append((self.now, "debtor", text))
        self.now += timedelta(seconds=speaking_seconds(text, self.facts.lang) + 0.3)
        self.last_bot_end = self.now

    def run(self, said: list[str]) -> None:
        parser = default_parser()
        self.send(CallAnswered(self.now))
        for line in said:
            if self.outcome:
                break
            if line == SILENCE:
                self.now = self.last_bot_end + timedelta(seconds=8)
                self.send(SilenceTimedOut(8.0))
                continue
            self.say(line)
            parse = parser.parse(line, self.facts.lang, self.now.date()).heard_with(1.0)
            self.send(UtteranceHeard(line, self.facts.lang, parse))
        for _ in range(8):
            if self.outcome:
                break
            self.now = self.last_bot_end + timedelta(seconds=8)
            self.send(SilenceTimedOut(8.0))
        if not self.outcome:
            self.send(CallerHungUp(self.now))
            self.outcome = self.outcome or Outcome.HUNG_UP.value


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--calls", type=int, default=90)
    ap.add_argument("--bad", type=float, default=0.3, help="share of English calls, bad script")
    ap.add_argument("--seed", type=int, default=2026)
    args = ap.parse_args()
    ctx = AppContext.build()
    rng = random.Random(args.seed)
    folder = Path(ctx.settings.home) / "demo"
    profiles = {
        p["loan_id"]: p
        for p in map(json.loads, (folder / "portfolio.profiles.jsonl").read_text().splitlines())
    }
    with ctx.db.transaction() as s:
        ids = sorted(s.scalars(select(Case.id)))
    rng.shuffle(ids)
    versions = {"en": script_version(load_script("en")), "zh": script_version(load_script("zh"))}
    bad = bad_script()
    counts: dict[str, int] = {}
    for i, case_id in enumerate(ids[: args.calls]):
        facts = case_facts(ctx.db, ctx.keyring, case_id, None, "Acme Lending")
        lang = facts.lang
        if lang == "zh":
            facts = replace(facts, company="安信金融")
        use_bad = lang == "en" and rng.random() < args.bad
        script = bad if use_bad else load_script(lang)
        version = script_version(script) if use_bad else versions[lang]
        at = ctx.clock.now() - timedelta(hours=rng.uniform(1, 72))
        call = TextCall(facts, script, at, rng)
        call.run(lines(profiles[case_id]["persona"], facts, rng))
        record = CallRecord(
            attempt_id=f"textcall-{args.seed}-{i}",
            case_id=case_id,
            started_at=at - timedelta(seconds=12),
            answered_at=at,
            ended_at=call.now + timedelta(seconds=1),
            outcome=call.outcome or "hung_up",
            transcript=call.transcript,
            records=call.records,
            detail={"script_version": version, "simulated": "text"},
        )
        with ctx.db.transaction() as s:
            save_call(s, ctx.keyring, record, ctx.clock.now())
        key = f"{version} {record.outcome}"
        counts[key] = counts.get(key, 0) + 1
    print(json.dumps(dict(sorted(counts.items())), indent=1))


if __name__ == "__main__":
    main()
