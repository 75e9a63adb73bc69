"""What the disclosure-safety tests share: the day of the calls and the verification settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

from core.dialogue import (
    CallAnswered,
    DialogueCommand,
    DialogueEvent,
    DtmfReceived,
    Lang,
    Say,
    SilenceTimedOut,
    UtteranceHeard,
)
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.state import DialogueState, Stage

TODAY = date(2026, 11, 29)
NOON = datetime(2026, 11, 29, 14, 0, tzinfo=UTC)
# every setting that verifies ("none" discloses at once, by design)
MODES = [m for m in VerificationMode if m is not VerificationMode.NONE]


def call_lines(
    lang: Lang, mode: VerificationMode, turns: list[str | None], *, heard: float = 0.8
) -> tuple[DialogueState, list[Say]]:
    """A call of the demo case through the real parser: each turn a line heard at ``heard``,
    ``None`` a silence, ``"key:1"`` keys pressed; the state at the end and everything said."""
    parser = default_parser()
    facts = replace(demo_case(lang), verification=mode, id_last4="2468")
    state = start(facts, load_script(lang), TODAY)
    said: list[DialogueCommand] = []
    for turn in [CallAnswered(NOON), *turns]:
        if state.ended:
            break
        event: DialogueEvent
        if isinstance(turn, CallAnswered):
            event = turn
        elif turn is None:
            event = SilenceTimedOut(5.0)
        elif turn.startswith("key:"):
            event = DtmfReceived(turn[4:])
        else:
            event = UtteranceHeard(turn, lang, parser.parse(turn, lang, TODAY).heard_with(heard))
        state, commands = decide(state, event)
        said += commands
    return state, [c for c in said if isinstance(c, Say)]


def prompt_keys(says: list[Say]) -> list[str]:
    """The prompts said, without their variant ("ask_name#1" -> "ask_name")."""
    return [s.prompt_key.split("#")[0] for s in says]


# the Mandarin first-answer tests' settings: by name, and by name and birth year
MODES_ZH = (VerificationMode.NAME, VerificationMode.NAME_AND_BIRTH_YEAR)


def first_answer_zh(text: str, conf: float, mode: VerificationMode) -> DialogueState:
    """The Mandarin demo call after its first answer, ``text`` heard at ``conf``."""
    facts = replace(demo_case("zh"), verification=mode)
    state, _ = decide(start(facts, load_script("zh"), TODAY), CallAnswered(NOON))
    parse = default_parser().parse(text, "zh", TODAY).heard_with(conf)
    state, _ = decide(state, UtteranceHeard(text, "zh", parse))
    return state


def accepted(state: DialogueState) -> bool:
    """Verified, the debt said, or moved on to the second factor."""
    return state.verified or state.disclosed or state.stage is Stage.VERIFY_SECOND
