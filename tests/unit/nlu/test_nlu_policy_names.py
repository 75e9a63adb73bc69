"""A yes that says a name, judged by how the name sounds (nlu.policy.names): the debtor's name as
the recogniser spells it verifies; another name never does, whatever the classifier scores."""

from __future__ import annotations

from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, call_lines

from core.dialogue import CallAnswered, Lang, Parse, Say, UtteranceHeard
from nlu.name_sounds import sound_key
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.names import names_another, with_debtor_name


@pytest.mark.parametrize(
    ("said", "name"),
    [("Jon", "John"), ("Lord's", "Lord"), ("Catherine", "Kathryn"), ("Steven", "Stephen"),
     ("Rahvi", "Ravi"), ("Philip", "Fillip"), ("Smyth", "Smith"), ("twain", "Dwayne"),
     ("Geoff", "Geof"), ("Sarah", "Sara"), ("Katie", "Katy"), ("Mariah", "Maria")],
)  # fmt: skip
def test_spellings_of_one_sound_share_a_key(said: str, name: str) -> None:
    assert sound_key(said) == sound_key(name)


@pytest.mark.parametrize(
    ("said", "name"),
    [("Priya", "Ravi"), ("Mike", "John"), ("Robbie", "Ravi"), ("Jonathan", "John"),
     ("Maria", "Mark"), ("Lena", "Ellen"), ("Tamika", "Keisha"),
     # one consonant frame, another vowel: a wife or sister sharing the surname
     ("Jane", "John"), ("Joan", "John"), ("June", "John"), ("Jean", "John"), ("Allen", "Ellen"),
     # one frame, another ending: a daughter, a son, a sister
     ("Daniela", "Daniel"), ("Paula", "Paul"), ("Julio", "Julia"), ("Roberta", "Robert"),
     ("Antonia", "Antonio"), ("Mario", "Maria"), ("Erica", "Eric"), ("Alexa", "Alex"),
     ("Marie", "Maria")],
)  # fmt: skip
def test_other_names_have_other_keys(said: str, name: str) -> None:
    assert sound_key(said) != sound_key(name)


@pytest.mark.parametrize(
    ("lang", "text", "name", "another"),
    [
        ("en", "Yes, Priya speaking", "Ravi Menon", True),
        ("en", "Yes, this is Mike.", "John Carter", True),
        ("en", "yeah it's Tamika", "Keisha Brown", True),
        ("en", "this is Kowalski", "Robert Kowalski", False),  # the surname is his
        ("en", "yes, this is Anna Kowalski", "Robert Kowalski", True),  # his wife's is not
        ("en", "Yes, this is the Lord's.", "Marcus Lord", False),
        ("en", "yes I'm tired, what is it", "John Carter", False),  # no capital: no name
        ("en", "this is his wife", "John Carter", False),
        ("en", "yeah it's me", "John Carter", False),
        ("en", "yes this is the right number", "John Carter", False),
        ("en", "he's not here", "John Carter", False),
        ("en", "yes, this is Jane Carter", "John Carter", True),
        ("en", "yes this is Mohammed", "Muhammad Ali", False),  # the usual spellings
        ("zh", "是的，我是王芳", "李明", True),
        ("zh", "对 我是李敏", "李明", True),  # li min is not li ming
        ("zh", "我是张薇", "张伟", False),  # zhang wei: near, not another (unsure_name)
        ("zh", "嗯 我就是老赵", "赵德顺", False),
        ("en", "Yes, Antonia.", "Antonio Russo", True),
        ("en", "Yes sir, Mario.", "Maria Lopez", True),
        ("en", "Yes, Please.", "John Smith", False),
        ("zh", "我是他老婆", "张伟", False),
        ("zh", "我就是本人", "李明", False),
    ],
)
def test_names_another(lang: str, text: str, name: str, another: bool) -> None:
    assert names_another(text, lang, name) is another


@pytest.mark.parametrize(
    ("text", "name", "another"),
    [("Hello? Yeah, this is Bob Kowalski.", "Robert Kowalski", False),
     ("yes, Liz speaking", "Elizabeth Warren", False), ("it's Tony", "Anthony Russo", False),
     ("yeah this is Mike", "Michael Okafor", False), ("yeah this is Mike", "Marcus Okafor", True),
     ("this is Becky Lynch", "Rebecca Stone", True)],
)  # fmt: skip
def test_a_usual_short_form_of_the_given_name_is_his(text: str, name: str, another: bool) -> None:
    assert names_another(text, "en", name) is another


def test_a_name_that_sounds_like_the_debtors_is_spelled_as_his() -> None:
    assert with_debtor_name("yes this is Jon", "en", "John Carter") == "yes this is John"
    assert with_debtor_name("Yes, this is the Lord's.", "en", "Marcus Lord") == "Yes, this is Lord."
    assert with_debtor_name("我叫德顺", "zh", "赵德顺") == "我叫赵德顺"
    assert with_debtor_name("是的 我就是刘阳", "zh", "刘洋") == "是的 我就是刘洋"  # liu2 yang2
    # near, not surely his: left as said, for unsure_name to ask again
    assert with_debtor_name("嗯呐 我就是老赵", "zh", "赵德顺") == "嗯呐 我就是老赵"
    assert with_debtor_name("我是张薇", "zh", "张伟") == "我是张薇"
    assert with_debtor_name("this is Bob Kowalski", "en", "Robert Kowalski") == (
        "this is Robert Kowalski"
    )
    assert with_debtor_name("Yes, Priya speaking", "en", "Ravi Menon") == "Yes, Priya speaking"


def _first_answer(lang: Lang, name: str, text: str, score: float) -> bool:
    facts = replace(demo_case(lang), debtor_name=name, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    parse = Parse("affirm", score, (), 0.9)
    state, _ = decide(state, UtteranceHeard(text, lang, parse))
    return state.verified


@pytest.mark.parametrize(
    ("lang", "name", "text"),
    [("en", "Ravi Menon", "Yes, Priya speaking"), ("en", "John Carter", "Yes, this is Mike."),
     ("en", "Daniel Ortiz", "yeah this is Carlos"), ("en", "Keisha Brown", "Yes. It's Tamika."),
     ("en", "Robert Kowalski", "Yeah, this is Anna Kowalski."),
     ("zh", "李明", "是的，我是王芳"), ("zh", "刘洋", "对，我就是刘强")],
)  # fmt: skip
def test_another_name_never_verifies_however_sure_the_classifier(
    lang: Lang, name: str, text: str
) -> None:
    assert not _first_answer(lang, name, text, 0.99)


@pytest.mark.parametrize(
    ("lang", "name", "text", "score"),
    [("en", "John Carter", "yes this is Jon", 0.96),
     ("en", "Dwayne Price", "yes this is twain", 0.5),
     ("en", "Kathryn Lee", "yeah this is Catherine", 0.4), ("zh", "王芳", "对，我是王方", 0.4),
     ("zh", "刘洋", "是的 我就是刘阳", 0.35),
     ("en", "Marcus Lord", "yes, it's Marcus Lord's", 0.5)],
)  # fmt: skip
def test_the_debtors_name_as_the_recogniser_spells_it_verifies(
    lang: Lang, name: str, text: str, score: float
) -> None:
    assert _first_answer(lang, name, text, score)


@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "what's this regarding? oh, this is John Smith"),
     ("en", "ugh what do you want now, yes this is John"),
     ("en", "What the hell do you people want? Yeah, it's John."),
     ("zh", "干嘛呀 我就是李明")],
)  # fmt: skip
def test_a_question_then_the_debtors_own_name_answers(lang: Lang, text: str) -> None:
    state, _ = call_lines(lang, VerificationMode.NAME, [text])
    assert state.verified


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("lang", "text"),
    [("en", "what do you want? it's John's wife"), ("en", "who's asking? this is John"),
     ("en", "what is it, yeah"), ("en", "what? no, John's not here"),
     ("en", "what's this about? this is Mike"), ("zh", "干嘛 是我"), ("zh", "你谁啊 我是李明"),
     ("zh", "什么事 我是李明她妈"), ("zh", "什么事 我是王芳")],
)  # fmt: skip
def test_a_question_then_anything_else_is_no_answer(
    lang: Lang, text: str, mode: VerificationMode
) -> None:
    state, says = call_lines(lang, mode, [text])
    assert not state.verified
    assert not any(DEBT_WORDS.search(s.text) for s in says)


@pytest.mark.parametrize(
    ("lang", "name", "text"),
    [("en", "John Smith", "yes that's my dad"), ("en", "John Smith", "that'd be my son, yes"),
     ("en", "John Smith", "yes, my brother"), ("en", "Maria Lopez", "Yeah. That's my mom."),
     ("en", "Tom Baker", "uh huh my husband"), ("en", "Tom Baker", "yeah, our landlord"),
     ("zh", "李明", "对 是我老公"), ("zh", "王芳", "对 我闺女"), ("zh", "张伟", "对，是我弟"),
     ("zh", "张伟", "嗯 那是我爸爸"), ("zh", "李明", "是的 我同事")],
)  # fmt: skip
def test_a_relative_named_as_the_answer_is_someone_else(lang: Lang, name: str, text: str) -> None:
    assert not _first_answer(lang, name, text, 0.99)


@pytest.mark.parametrize(
    ("lang", "name", "text"),
    [("en", "John Smith", "yes this is Smith"), ("en", "John Smith", "Smith here"),
     ("en", "Eric Olson", "Yeah, Olson."), ("en", "Robert Kowalski", "this is Kowalski"),
     ("zh", "李明", "我是小李 啥事"), ("zh", "赵德顺", "嗯呐 我就是老赵"),
     ("zh", "张伟", "对，我是张薇"), ("zh", "王芳", "我是小王")],
)  # fmt: skip
def test_a_name_only_near_his_is_asked_again_and_a_yes_then_verifies(
    lang: Lang, name: str, text: str
) -> None:
    """The surname alone, or his name in other tones, is what a father, a sister or a wife
    sharing it says: no yes on its own. The question comes again; his plain yes verifies."""
    assert not _first_answer(lang, name, text, 0.99)
    facts = replace(demo_case(lang), debtor_name=name, verification=VerificationMode.NAME)
    state, _ = decide(start(facts, load_script(lang), TODAY), CallAnswered(NOON))
    state, commands = decide(state, UtteranceHeard(text, lang, Parse("affirm", 0.99, (), 0.9)))
    assert not any(DEBT_WORDS.search(c.text) for c in commands if isinstance(c, Say))
    yes = "yes, that's me" if lang == "en" else "对，是我"
    state, _ = decide(state, UtteranceHeard(yes, lang, Parse("affirm", 0.95, (), 0.9)))
    assert state.verified


@pytest.mark.parametrize(
    ("lang", "name", "text"),
    [("en", "John Smith", "yes this is John Smith, my wife said you called"),
     ("en", "Eric Olson", "Yes, Eric."), ("en", "Alex Kim", "Yes, Alex Kim."),
     ("zh", "李明", "对 我是李明 我老婆说你们打过电话")],
)  # fmt: skip
def test_his_own_name_with_a_relative_mentioned_still_verifies(
    lang: Lang, name: str, text: str
) -> None:
    assert _first_answer(lang, name, text, 0.95)
