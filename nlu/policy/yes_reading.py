"""Whether an answer to "is this {name}?" is a yes, and how surely: pure readings of the text,
the NLU's parse and the recogniser's confidence (no state; ``verification`` decides on them).

``confident_yes``: a clear affirmation scored at least ``AFFIRM_MIN_CONFIDENCE`` (or a plain
"yes, that's me" at the lower ``PLAIN_YES_MIN_CONFIDENCE``), heard at ``ASR_MIN_CONFIDENCE``,
plain speech, asking nothing back, naming nobody else. ``plausible_yes``: a yes that verifies as
one of two, heard at ``SECOND_YES_ASR_MIN``. ``name_answer``: the parse as verification reads it.
"""

from __future__ import annotations

from core.dialogue import Parse
from nlu.affirmation import permission_only, plain_yes, relation_said_en
from nlu.hallucination import Hearing, judge
from nlu.policy.answers import PLAIN_YES_MIN_CONFIDENCE, answered_then_asked, asks_back
from nlu.policy.answers import name_answer as _name_answer
from nlu.policy.first_answers import answers_as_a_business, corrected_yes, named_then_greets
from nlu.policy.names import claims_own_name_en, names_another, speaks_of_another, unsure_name
from nlu.policy.no_answers import read_no

# the NLU's affirm score a "yes" to "are you <name>?" needs (docs/nlu.md: calibration)
AFFIRM_MIN_CONFIDENCE = 0.8
# the recogniser's own confidence that the text is what was said (asr.whisper: the mean token
# probability times the probability of speech), per language: bench/asr_confidence.py measured
# right answers at 0.58-0.92 and mis-hearings ("Sorry, who?" heard "Sorry, yes.") up to 0.55 in
# English; Whisper base on Mandarin mis-hearings up to 0.41 (docs/nlu.md). English stays 0.6:
# the second opinion (asr.second_opinion) takes the lower of two disagreeing confidences, so a
# mis-hearing at 0.55 beside a sure, different second hearing stays 0.55; at 0.5 that stranger
# would verify (the integrator's merge, 7 Dec: test_nlu_wrong_party "sorry who heard as sorry
# yes"); agreement still raises a true yes over the bar
ASR_MIN_CONFIDENCE: dict[str, float] = {"en": 0.6, "zh": 0.5}
# two "yes" answers in a row verify when each is a plain "yes" heard with at least this much
# recogniser confidence (bench/spoken_nlu.py: the spoken corpus' true yeses and non-answers)
SECOND_YES_ASR_MIN: dict[str, float] = {"en": 0.4, "zh": 0.35}


def name_answer(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> Parse:
    """The parse of an answer to "is this {name}?" as verification reads it: a self-correction
    that ends on "yes, it's me" is a yes (``first_answers.corrected_yes``); his own name (a
    short form too) said as who speaks is a yes however low the score ("it's Dave"); a claim of
    the name (``answers.name_answer``); then a "no" read for who speaks (``no_answers.read_no``):
    "no, I can't pay that right now" is the debtor on the debt, "no, wrong number" a stranger."""
    if corrected_yes(text, lang, debtor_name) is not None:  # "who's this... I mean yes, it's me"
        return Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, parse.entities, parse.asr_confidence)
    if (
        lang == "en"
        and parse.intent in ("affirm", "ask_identity", "out_of_scope", "third_party")
        and (parse.intent != "affirm" or parse.confidence < PLAIN_YES_MIN_CONFIDENCE)
        and _plain_answer(text, lang, debtor_name)
        and claims_own_name_en(text, debtor_name)
    ):  # "it's Dave" (David Clark) scored 0.28, "Jen here, hi" a third party at 0.31: his name
        # (a short form) said as who speaks
        return Parse("affirm", PLAIN_YES_MIN_CONFIDENCE, parse.entities, parse.asr_confidence)
    return read_no(text, _name_answer(text, parse, lang, debtor_name), lang, debtor_name)


def _plain_answer(text: str, lang: str, debtor_name: str | None) -> bool:
    """A plain "yes, that's me", or his name said as who speaks followed by a question of its
    own that is not who calls ("Bill speaking, what can I do for you" for William; not "yes,
    I'm busy, what")."""
    if plain_yes(text, lang, debtor_name) or named_then_greets(text, lang, debtor_name):
        return True  # "it's tom" for Thomas; "Katie speaking, can I help you?"
    return answered_then_asked(text, lang, debtor_name) and claims_own_name_en(text, debtor_name)


def confident_yes(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> bool:
    """Whether ``parse`` of ``text`` is a clear, confidently heard "yes" (see the docstring):
    the NLU's affirm score passes the high threshold, or it passes the lower one and the words
    read as a plain "yes, that's me" on their own (``nlu.affirmation.plain_yes``)."""
    if parse.intent != "affirm" or parse.confidence < PLAIN_YES_MIN_CONFIDENCE:
        return False
    if parse.confidence < AFFIRM_MIN_CONFIDENCE and not _plain_answer(text, lang, debtor_name):
        return False
    return (
        heard_clearly(parse, lang)
        and judge(text, lang) is Hearing.SPEECH
        and not asks_back(text, lang, debtor_name)
        and not _someone_else(text, lang, debtor_name)
        and not permission_only(text, lang, debtor_name)
    )


def plausible_yes(text: str, parse: Parse, lang: str, debtor_name: str | None = None) -> bool:
    """A "yes" that does not verify alone but would as one of two in a row: the words read as a
    plain "yes, that's me" (``plain_yes``), the NLU calls it ``affirm`` at the lower bar, the
    recogniser heard it at ``SECOND_YES_ASR_MIN`` at least, and it is plain speech that does not
    ask back. Calibrated on the spoken corpus (docs/nlu.md, "A second yes")."""
    least = SECOND_YES_ASR_MIN.get(lang, max(SECOND_YES_ASR_MIN.values()))
    return (
        parse.intent == "affirm"
        and parse.confidence >= PLAIN_YES_MIN_CONFIDENCE
        and parse.asr_confidence is not None
        and parse.asr_confidence >= least
        and _plain_answer(text, lang, debtor_name)
        and judge(text, lang) is Hearing.SPEECH
        and not asks_back(text, lang, debtor_name)
        and not _someone_else(text, lang, debtor_name)
        and not permission_only(text, lang, debtor_name)
    )


def _someone_else(text: str, lang: str, debtor_name: str | None) -> bool:
    """No score outweighs another name said, the one asked for spoken of as someone else, or a
    name only near his (the surname alone, his name in other tones): that one is asked again."""
    return (
        names_another(text, lang, debtor_name)
        or speaks_of_another(text, lang, debtor_name)
        or unsure_name(text, lang, debtor_name)
        or _relation_not_self(text, lang, debtor_name)
        or answers_as_a_business(text, lang, debtor_name)
    )


def _relation_not_self(text: str, lang: str, debtor_name: str | None) -> bool:
    """A relation named ("yes um I think you want my son") by someone who does not say he is
    the debtor ("yes this is John Smith, my wife said you called" does)."""
    return lang == "en" and relation_said_en(text) and not claims_own_name_en(text, debtor_name)


def heard_clearly(parse: Parse, lang: str) -> bool:
    """The recogniser vouches for the text (unknown confidence does not)."""
    least = ASR_MIN_CONFIDENCE.get(lang, max(ASR_MIN_CONFIDENCE.values()))
    return parse.asr_confidence is not None and parse.asr_confidence >= least
