"""Session 10 (en7): the answer to "is someone looking after their affairs?" after a death report,
when it is a name said alone or with a title, a hedge or a relative ("Mary", "his brother Tom",
"the lawyer, Mr. Patel", "that'd be me I guess"), as the recogniser prints it (often lower case).
Lines written before the change (docs/nlu.md, "Session 10, en7"). What is not a contact (a no, a
question, a refusal, a hallucination, the deceased's own name) records nothing."""

from __future__ import annotations

import pytest
from test_nlu_unseen_en import call

from core.dialogue import Outcome, RecordEstateContact
from nlu.estate import gives_contact

DECEASED = "John Smith"  # the demo case's debtor, reported dead

GIVES = [
    "Mary",
    "mary jenkins",
    "Susan.",
    "uh, Robert, his brother",
    "her sister linda takes care of things",
    "you could try Kevin Walsh",
    "ask for pete",
    "his ex wife karen i suppose",
    "well I guess that'd be me",
    "i guess me",
    "probably me",
    "me i suppose",
    "id say me",
    "its me i guess",
    "Tom Becker, the attorney",
    "mister okafor handles all that",
    "call frank",
    "Linda Morales",
    "the executor is a mr green",
    "send it to janet, same address",
    "maybe james",
    "yeah michael",
    "Dolores. Dolores Smith.",
    "uh his partner, Chris",
    "that would be Mrs. Alvarez next door",
    "try Dr. Nwosu",
]
NONE = [
    "no",
    "I don't know.",
    "nobody really",
    "no idea sorry",
    "I'd rather not say",
    "why do you need that",
    "who is this?",
    "what company is this",
    "Thank you.",
    "you",
    "Okay.",
    "yes",
    "yeah there is",
    "leave us alone",
    "don't call here again",
    "I can't talk right now",
    "bye",
    "sorry what?",
    "Hello?",
    "uh huh",
    "I'll think about it",
    "not that I know of",
    "I don't want to give that out",
    "字幕由Amara.org社区提供",
    "Please.",
    "John handled everything himself",
    "it was just John",
    "mm",
]


@pytest.mark.parametrize("line", GIVES)
def test_a_name_said_is_a_contact(line: str) -> None:
    assert gives_contact(line, "en", DECEASED)


@pytest.mark.parametrize("line", NONE)
def test_what_names_nobody_is_no_contact(line: str) -> None:
    assert not gives_contact(line, "en", DECEASED)


@pytest.mark.parametrize("line", ["mary jenkins", "his brother Tom", "the lawyer, Mr. Patel"])
def test_the_name_is_noted_and_the_call_closes(line: str) -> None:
    state, out = call("en", "she passed away in march", line)
    assert state.outcome is Outcome.DECEASED
    assert [c.said for c in out if isinstance(c, RecordEstateContact)] == [line]


@pytest.mark.parametrize("line", ["John handled everything himself", "Thank you."])
def test_the_deceased_or_a_hallucination_is_not_noted(line: str) -> None:
    state, out = call("en", "she passed away in march", line)
    assert state.outcome is Outcome.DECEASED
    assert not any(isinstance(c, RecordEstateContact) for c in out)
