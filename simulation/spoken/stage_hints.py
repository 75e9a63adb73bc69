"""Candidate English stage hints for the spoken benchmark (``bench/spoken_nlu.py
--stage-hints``): the recogniser's context for the question the debtor is answering.

A live call hears each answer with the hint of the question last asked (``asr.hints``; only
Mandarin has measured prompts). The benchmark's lines carry no question, so the stage is taken
from what the line means: the answers to "is this {name}?" (yes, no, who is this, wrong number,
someone else) are heard with the verification hint, everything else with the hint of "when can
you pay and how much?" (the question most answers after verification follow). The prompts are
written as the conversation so far, the question then the words likely in the answer, after the
domain prompt, like the Mandarin ones.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from asr.settings import AsrSettings
from simulation.spoken.corpus import Utterance

VERIFY_INTENTS = frozenset({"affirm", "deny", "ask_identity", "wrong_number", "third_party"})
EN_STAGE_PROMPTS: dict[str, str] = {
    "verify": (
        " Hi, am I speaking with Daniel? Yes, this is him. Speaking. Yeah, that's me. No. "
        "Who is this? Who's calling? Wrong number. He's not here. He moved out."
    ),
    "promise": (
        " When can you make a payment, and how much? I can pay 200 dollars on Friday. "
        "A hundred and fifty next week. By the 15th. End of the month. I already paid online. "
        "I lost my job. Can I do a payment plan? How much do I owe?"
    ),
}


def stage_of(utterance: Utterance) -> str:
    return "verify" if utterance.intent in VERIFY_INTENTS else "promise"


def prompt_of(utterances: Sequence[Utterance], language: str) -> Callable[[str], str | None]:
    """The stage hint of each line's text (domain prompt + the stage's words)."""
    domain = AsrSettings().default_prompt(language) or ""
    by_text = {u.text: f"{domain}{EN_STAGE_PROMPTS[stage_of(u)]}" for u in utterances}
    return by_text.get
