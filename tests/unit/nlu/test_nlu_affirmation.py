"""A plain "yes, that's me" read on its own words, and how the verification step uses it: it
narrows a classifier's middling ``affirm`` to the answers that name nobody else, deny nothing
and ask nothing; it never makes a "yes" of another intent or of a badly heard answer."""

from __future__ import annotations

import pytest

from core.dialogue import Parse
from nlu.affirmation import permission_only, plain_yes
from nlu.policy.verification import asks_back, confident_yes, name_answer

ZH_NAME, EN_NAME = "李明", "John Smith"


@pytest.mark.parametrize(
    "text",
    ["是的，我就是李明。", "是的,我就是李明晨。", "对，是我", "嗯，是我", "喂，是我，怎么了",
     "没错", "对对对", "是本人", "我就是", "我是李明", "对的，本人", "嗯，我就是他。",
     "我就是他本人", "对头，是我"],
)  # fmt: skip
def test_mandarin_plain_yes(text: str) -> None:
    assert plain_yes(text, "zh", ZH_NAME)


@pytest.mark.parametrize(
    "text",
    ["我是他老婆", "是的，我是他朋友", "不是", "我是王强", "他不在", "是他", "我是李明的妻子",
     "你找谁", "轻轻轻的", "对不起打错了", "嗯，他妈妈", "没有这个人", "是李明家", "我不是李明",
     "我就是他老婆", "我就是他朋友", "他就是我", "我就是他，他不在", "我不就是他", ""],
)  # fmt: skip
def test_mandarin_not_a_plain_yes(text: str) -> None:
    assert not plain_yes(text, "zh", ZH_NAME)


@pytest.mark.parametrize(
    "text",
    ["Yes, speaking.", "Yeah, that's me.", "This is he.", "Speaking.", "yes this is john smith",
     "Um, yes.", "I'm John.", "Yep it's me", "uh huh"],
)  # fmt: skip
def test_english_plain_yes(text: str) -> None:
    assert plain_yes(text, "en", EN_NAME)


@pytest.mark.parametrize(
    "text",
    ["Yes, I'm his wife.", "No.", "Yes I'm busy", "Who is this?", "This is not him",
     "yeah he's not here", "Thank you.", "I'm not John", "yes but I can't talk now",
     "This is Mike", "Yes, this is his mother speaking", "Nope", "", "Hello?"],
)  # fmt: skip
def test_english_not_a_plain_yes(text: str) -> None:
    assert not plain_yes(text, "en", EN_NAME)


def test_a_middling_affirm_counts_only_when_the_words_are_a_plain_yes() -> None:
    heard = Parse("affirm", 0.69, asr_confidence=0.7)
    assert confident_yes("是的，我就是李明。", heard, "zh", ZH_NAME)
    assert not confident_yes("是的，我是他老婆。", heard, "zh", ZH_NAME)
    assert not confident_yes("我是王强", heard, "zh", ZH_NAME)


@pytest.mark.parametrize(
    ("parse", "why"),
    [
        (Parse("affirm", 0.2, asr_confidence=0.9), "affirm score too low even for a plain yes"),
        (Parse("third_party", 0.95, asr_confidence=0.9), "another intent is never a yes"),
        (Parse("affirm", 0.69, asr_confidence=0.2), "the recogniser does not vouch for it"),
        (Parse("affirm", 0.69, asr_confidence=None), "unknown recogniser confidence"),
    ],
)
def test_a_plain_yes_never_overrides_the_other_checks(parse: Parse, why: str) -> None:
    assert not confident_yes("对，是我", parse, "zh", ZH_NAME), why
    assert not confident_yes("Yes, speaking.", parse, "en", EN_NAME), why


@pytest.mark.parametrize(
    ("text", "lang", "asks"),
    [
        ("是我，怎么了", "zh", False),  # answered, then asks what it is about
        ("对，是我，什么事", "zh", False),
        ("Yes, it's me, what is this about?", "en", False),
        ("Speaking. How can I help?", "en", False),
        ("是我怎么了", "zh", False),  # no pause heard, yet "是我" says who speaks before asking
        ("怎么了是我", "zh", True),
        ("是吗？", "zh", True),
        ("是我，你是谁？", "zh", True),
        ("Yes?", "en", True),
        ("Yes, who is this?", "en", True),
        ("Yeah, what's your name?", "en", True),
        ("Who? Yes.", "en", True),
        # a greeting before the answer is not the answer's first clause
        ("喂，对，是我，有什么事？", "zh", False),
        ("喂，喂，是我，怎么了？", "zh", False),
        ("Hello, yes it's me, what's this about?", "en", False),
        ("喂，是吗？", "zh", True),
        ("喂，你是谁？", "zh", True),
        ("喂？", "zh", True),
        ("Hello?", "en", True),
        ("Uh, hello, who is this?", "en", True),
        # a "yes" said as a question, or a "hello?" after it: the question was not heard
        ("Yeah, and you are?", "en", True),
        ("yes what company is this", "en", True),
        ("yeah where you calling from", "en", True),
        ("Yes? Hello?", "en", True),
        ("Yeah? What's up?", "en", True),
        ("Yes, hello?", "en", True),
        ("是？你说", "zh", True),
        ("对，喂？", "zh", True),
        ("喂？是我。", "zh", False),
        ("Hello? Yes.", "en", False),
    ],
)
def test_asking_back(text: str, lang: str, asks: bool) -> None:
    name = ZH_NAME if lang == "zh" else EN_NAME
    assert asks_back(text, lang, name) is asks
    heard = Parse("affirm", 0.95, asr_confidence=0.9)
    assert confident_yes(text, heard, lang, name) is not asks


@pytest.mark.parametrize(
    "text",
    ["是这样的", "是我怎么了", "对不起", "是不是", "嗯，这个嘛", "好的我考虑一下", "对啊他出去了"],
)
def test_a_mandarin_statement_that_merely_starts_like_a_yes(text: str) -> None:
    assert not plain_yes(text, "zh", ZH_NAME)


@pytest.mark.parametrize(
    "text",
    ["john speaking", "smith here", "it's john", "yeah john here", "this is john smith",
     "uh it is john speaking", "john smith on the line"],
)  # fmt: skip
def test_english_saying_ones_own_name_is_a_plain_yes(text: str) -> None:
    assert plain_yes(text, "en", EN_NAME)


@pytest.mark.parametrize(
    "text",
    ["john?", "john", "is john there", "mike speaking", "it's johns wife", "john's not here",
     "this is johns mom speaking", "here john", "john speaking?", "not john here"],
)  # fmt: skip
def test_english_a_name_without_a_claim_is_no_yes(text: str) -> None:
    assert not plain_yes(text, "en", EN_NAME)


@pytest.mark.parametrize("text", ["我就是李明", "对，是李明本人", "我就是李明啊", "嗯 是我"])
def test_mandarin_yes_words_then_the_name(text: str) -> None:
    assert plain_yes(text, "zh", ZH_NAME)


@pytest.mark.parametrize(
    "text",
    ["嗯 是我 啥事", "是我啥事", "对是我有什么事吗", "喂 对 是我 什么事", "是我，有什么事吗",
     "yes it's me what's this about"],
)  # fmt: skip
def test_an_answer_then_a_question_of_its_own_answers(text: str) -> None:
    lang = "en" if text.isascii() else "zh"
    assert not asks_back(text, lang, EN_NAME if lang == "en" else ZH_NAME)


@pytest.mark.parametrize(
    "text",
    ["对，你找李明吗", "嗯 你找谁", "是我 你是谁", "是吗", "是我吗", "你哪位 是我", "啥事",
     "嗯 你是哪里", "是李明吗"],
)  # fmt: skip
def test_a_question_about_who_calls_or_who_is_wanted_still_asks_back(text: str) -> None:
    assert asks_back(text, "zh", ZH_NAME)


def test_a_name_claim_the_classifier_calls_a_third_party_verifies() -> None:
    heard = Parse("third_party", 0.3, asr_confidence=0.8)
    read = name_answer("this is john", heard, "en", EN_NAME)
    assert read.intent == "affirm"
    assert confident_yes("this is john", read, "en", EN_NAME)
    for other in ("this is johns wife", "this is mike", "john isnt here"):
        assert name_answer(other, heard, "en", EN_NAME).intent == "third_party"


@pytest.mark.parametrize(
    "text",
    ["Yes, Priya speaking.", "yes priya here", "Yes, revenue this side.", "yeah mark on the line"],
)
def test_a_yes_with_another_name_in_a_frame_that_says_who_speaks_is_no_yes(text: str) -> None:
    """Asked for Ravi Menon, "yes, Priya speaking" is somebody else (merge review, 7 Dec)."""
    assert not plain_yes(text, "en", "Ravi Menon")
    assert plain_yes(
        text.replace("Priya", "Ravi").replace("priya", "ravi"), "en", "Ravi Menon"
    ) == ("priya" in text.lower())


@pytest.mark.parametrize(
    ("text", "leave_only"),
    [("Sure, what's this concerning?", True), ("Of course.", True), ("okay", True),
     ("Certainly, may I ask what it's regarding", True), ("alright one moment", True),
     ("sure, this is him", False), ("Sure, speaking.", False), ("of course it's me", False),
     ("yes", False), ("yeah sure", False), ("sure, John Smith speaking", False)],
)  # fmt: skip
def test_leave_to_speak_is_no_yes(text: str, leave_only: bool) -> None:
    """To "may I speak with John Smith?", "sure" gives leave (or goes to fetch him): whatever
    the classifier's score it is asked again, unless a word says who speaks."""
    assert permission_only(text, "en", EN_NAME) is leave_only
    heard = Parse("affirm", 0.99, asr_confidence=0.95)
    if leave_only:
        assert not confident_yes(text, heard, "en", EN_NAME)
        assert not plain_yes(text, "en", EN_NAME)


@pytest.mark.parametrize(
    ("text", "someone_else"),
    [("yes um I think you want my son", True), ("yeah you'd want her husband", True),
     ("yes, try my brother's cell", True), ("yes, this is her", False), ("you got him", False),
     ("yes it's John", False)],
)  # fmt: skip
def test_a_relation_named_in_the_answer_is_never_a_yes(text: str, someone_else: bool) -> None:
    """A relation in the answer brings somebody other than the one asked for into it: whatever
    the classifier's score, asked again ("this is her" / "you got him" name the one asked)."""
    heard = Parse("affirm", 0.99, asr_confidence=0.95)
    assert confident_yes(text, heard, "en", EN_NAME) is not someone_else
