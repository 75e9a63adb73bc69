"""The debtor reported dead (``deceased``), in any stage: condolences, nothing of the debt, no
question about when to reach them, and no automated contact again (``RecordDeceased``,
``Outcome.DECEASED``; a person takes the case). One question follows the condolences, as a
collector would ask it, without a word of the debt: is someone handling the affairs (family, an
executor) a letter could go to? A name or a number said is noted (``RecordEstateContact``:
personal data, an encrypted case note); whatever the answer, the call then closes politely.

Who died matters once the right party is verified: the verified debtor who says "my husband
died" or "he passed away" tells their own loss (hardship); only a death that names the debtor
("Harold died in March", "the account holder passed away", 王芳已经去世了) is the debtor's.
Before verification whoever speaks is not the debtor, so "my husband died" is theirs. A name
said with 走了 and a time since (老王去年走了) is a death only of a name the debtor is called by
(老/小 and the surname, the surname and 大爷/师傅 ...); of another name it is a third party.
"""

from __future__ import annotations

import re

from core.dialogue import (
    DialogueEvent,
    Outcome,
    Parse,
    RecordDeceased,
    RecordEstateContact,
    UtteranceHeard,
)
from nlu.bereavement import gone_by_name, who_died
from nlu.estate import gives_contact
from nlu.policy.common import Result, end, say
from nlu.policy.state import DialogueState, Stage
from nlu.text import mandarin_words
from nlu.training_data import normalize

# a report heard less surely than this is not acted on (it would stop a case): asked again
DEATH_ASR_MIN = 0.3
_THE_DEBTOR = re.compile(
    r"\b(?:account holder|borrower|the person you'?re|the person you are|the one you'?re)"
    r"|借款人|本人|这个人|机主|户主|你们找的|你找的"
)


def bereaved(state: DialogueState, text: str, parse: Parse) -> Result | Parse:
    """The call closed for a death report, or the parse to go on with (hardship: the verified
    debtor's own loss; out of scope: a report heard too unsurely to stop a case on)."""
    if parse.asr_confidence is not None and parse.asr_confidence < DEATH_ASR_MIN:
        return Parse("out_of_scope", 0.0, parse.entities, parse.asr_confidence)
    called = gone_by_name(normalize(text), state.facts.lang)
    if called is not None and state.facts.debtor_name[:1] not in called:
        # 老王去年走了 of 李明: somebody else gone (or moved away), no word of the debtor's death
        return Parse("third_party", parse.confidence, parse.entities, parse.asr_confidence)
    if state.verified and called is None and not names_the_debtor(state, text):
        return Parse("hardship", parse.confidence, parse.entities, parse.asr_confidence)
    who = who_died(normalize(text), state.facts.lang)
    noted = state.noted("deceased_reported" if who != "kin" else "deceased_reported_by_kin")
    asking = noted.to(Stage.ESTATE_CONTACT)  # condolences, then one question: who handles it
    return asking, [RecordDeceased(text), say(asking, "deceased_estate_ask")]


def estate_answer(state: DialogueState, event: DialogueEvent) -> Result:
    """The answer to "is someone handling the affairs?": a name or a number is noted for the
    person who follows up (``RecordEstateContact``); any answer, silence or the keypad closes
    the call politely as ``DECEASED`` (a hang-up too: ``decide``)."""
    if isinstance(event, UtteranceHeard) and gives_contact(
        event.text, state.facts.lang, state.facts.debtor_name
    ):
        closed, commands = end(
            state.noted("estate_contact"), Outcome.DECEASED, "deceased_close_noted"
        )
        return closed, [RecordEstateContact(event.text), *commands]
    return end(state.noted("estate_contact_none"), Outcome.DECEASED, "deceased_close")


def names_the_debtor(state: DialogueState, text: str) -> bool:
    """The words name the one the call is for: a part of their name or "the account holder"."""
    lang, name = state.facts.lang, state.facts.debtor_name
    folded = mandarin_words(text) if lang == "zh" else text.lower()
    if _THE_DEBTOR.search(folded):
        return True
    if lang == "zh":
        called = (f"老{name[:1]}", f"小{name[:1]}")  # 老李 / 小李 of 李明
        return (
            name in folded
            or (len(name) == 3 and name[1:] in folded)
            or any(c in folded for c in called)
        )
    parts = [p for p in re.split(r"[\s.'-]+", name.lower()) if len(p) >= 3]
    return any(re.search(rf"\b{re.escape(p)}\b", folded) for p in parts)
