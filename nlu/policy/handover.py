"""The phone handed to somebody else while we ask who is speaking: "hold on, here he is", "let me
get her", "你等一下我叫他", "他来了"; or a plain "hold on" / "稍等一下" from whoever answered.

Either way the call waits (``wait``) and, when a voice comes back, asks who is speaking again
from the start: the person handing over is not the debtor, so nothing they said is held, and
the one who comes to the phone is verified like anyone else. Never more than ``MAX_HANDOVERS``
waits in a call: "hold on" said over and over is no answer. Pure text and state, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from nlu.policy.common import Result, say
from nlu.policy.state import DialogueState, Stage

MAX_HANDOVERS = 2
# silences waited on hold before the question is asked again
HOLD_SILENCES = 2

_EN_FETCH = re.compile(
    r"\b(?:here (?:he|she) is|here'?s (?:he|she|him|her)"
    r"|(?:let me|lemme|i'?ll|i will|i'?m gonna|i'?m going to|gonna|i can) (?:go )?"
    r"(?:get|grab|call|fetch|find|holler at) (?:him|her)(?! (?:to|a|the|your)\b)"
    r"|(?:let me|lemme|i'?ll|i will) (?:put|pass|hand) (?:him|her) (?:on|over)"
    r"|(?:let me|lemme|i'?ll|i will) (?:pass|hand|give) (?:you|the phone|it) (?:to|over)"
    r"|(?:he|she)(?:'?s| is) (?:coming(?: to the phone)?|right here|here now|on (?:his|her) way)"
    r"|(?:he|she)'?ll be right (?:there|here|with you))"
)
_EN_WAIT = re.compile(
    r"^(?:(?:uh|um|oh|ok|okay|yeah|yes|sure|alright|wait)\s+)*"
    r"(?:hold on|hang on|one (?:sec|second|moment|minute)|just a (?:sec|second|moment|minute)"
    r"|wait a (?:sec|second|moment|minute)|give me a (?:sec|second|moment|minute)"
    r"|hold the line)(?:\s+(?:please|a (?:sec|second|moment|minute)))?$"
)
# who was asked for is away, whatever else is said: a third party, not a hand-over
_EN_AWAY = re.compile(r"\b(?:not|isn'?t|ain'?t|no)\b[\w' ]*\b(?:here|home|around|available|in)\b")
_ZH_FETCH = re.compile(
    r"(?:我|我去|我这就|我马上|我给你|我帮你)(?:叫|喊|找)(?:他|她)(?:来|过来)?(?:接|听)?"
    r"(?![回打给明晚下再别不说])"
    r"|(?<!等)(?:他|她)(?:来了|过来了|马上来|马上就来|就来)"
    r"|(?:电话|手机)(?:给|递给|交给)(?:他|她)|(?:让|叫)(?:他|她)(?:来)?接(?:电话)?"
)
_ZH_WAIT = re.compile(
    r"^(?:喂|嗯|哦|好|好的|行|啊|哎|诶)*(?:你|您)?(?:请)?(?:稍等|等一下|等一会儿?|等等|等下|等会儿?)"
    r"(?:一下)?(?:啊|哈|吧|哦|呀)?$"
)
_ZH_AWAY = re.compile(r"不在|没在|不回来|出去了|出门了|上班|出差|不方便|打错")
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def hands_over(text: str, lang: str) -> bool:
    """Whether ``text`` hands the phone to somebody, or asks us to hold."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if lang == "zh":
        bare = _PUNCT.sub("", folded)
        return not _ZH_AWAY.search(bare) and bool(_ZH_FETCH.search(bare) or _ZH_WAIT.match(bare))
    words = " ".join(re.findall(r"[a-z']+", folded.replace("’", "'")))
    return not _EN_AWAY.search(words) and bool(_EN_FETCH.search(words) or _EN_WAIT.match(words))


def wait(state: DialogueState) -> Result | None:
    """Hold for whoever comes to the phone, or None when this call has waited enough."""
    if state.handovers >= MAX_HANDOVERS:
        return None
    state = replace(
        state.to(Stage.VERIFY_NAME), on_hold=True, handovers=state.handovers + 1, held=None
    )
    return state, [say(state, "hold_wait")]


def silence_on_hold(state: DialogueState) -> Result | None:
    """A silence while we hold: say we are still here (twice), then None (ask again)."""
    if not state.on_hold or state.misses >= HOLD_SILENCES:
        return None
    state = replace(state, misses=state.misses + 1)
    return state, [say(state, "hold_still_here")]
