"""English concessions: "yeah yeah I know", "I'm not disputing it", "I got your letters".

An acknowledgement concedes the point and asks for nothing: not a callback, not a "yes" to the
question, not a dispute. ``acknowledges`` reads the whole (normalised) utterance as a run of
pieces, in any order and with or without punctuation (the recogniser often prints none):

* an "I know" piece: I know (that / it / what I owe / why you're calling), I understand, I get
  it, I'm (well) aware, I realise, got it, understood, noted, fair enough, trust me, no need
  to remind me, I saw / got your letters (messages, emails, notices, reminders); not "that's
  right" (a confirmation);
* a conceded dispute: I'm not disputing / denying / arguing with it, I don't deny I owe it;
* an admission: I'm behind (late, overdue), I (still) owe it, it's mine, it slipped my mind,
  I've been meaning to sort it out, I haven't paid yet;
* fillers (uh, yeah, look, okay, and, so, but ...).

At least one "I know" piece or conceded dispute must be there, nothing else may be: "I know I
can pay friday" and "I know, call me later" are not acknowledgements. A refusal, a promise or
an amount or a date in the words makes it something else.

``without_conceded_dispute`` replaces a negated dispute ("I'm not disputing the debt") with "i
know", so that the dispute rule (a compliance rule, confidence 1.0) does not read a concession
as a dispute and the classifier sees the rest of the sentence as it is meant.
"""

from __future__ import annotations

import re

_OBJ = (
    r"(?:it|that|this|all that|the debt|the loan|the balance|the bill|the amount"
    r"|any of (?:it|that)|anything)"
)
_OWE = r"(?:(?:that )?i (?:still )?owe(?: (?:it|that|you|you guys|the money|money|this))?)"
_NEGATED_DISPUTE = (
    r"(?:(?:(?:i'?m|i am|we'?re|we are) |^)not (?:\w+ )?"
    r"(?:disputing|denying|contesting|arguing(?: with)?"
    rf"|questioning|saying i (?:don'?t|do not) owe)(?: {_OBJ}| {_OWE})?"
    r"|(?:i|we) (?:don'?t|do not|never|won'?t|didn'?t|can'?t|cannot|wouldn'?t) (?:\w+ )?"
    rf"(?:dispute|deny|denied|disputed|contest|argue(?: with)?|question)(?: {_OBJ}| {_OWE})?"
    r"|(?:i )?(?:never|didn'?t|did not) (?:say|said|claim|claimed) (?:that )?i (?:don'?t|do not"
    r"|didn'?t) owe(?: (?:it|that|you|the money|anything))?)"
)
_KNOW = (
    r"(?:i (?:already |totally |fully |completely |do |really )?(?:know|knew)"
    r"(?: (?:that|it|this|all that|that already|it already|exactly|all about it|about it"
    r"|what i owe|exactly what i owe|what this is about|why you'?re calling"
    r"|why you guys are calling))*"
    r"|i (?:totally |fully |completely |do |really )?(?:understand|realize|realise|get it|get that"
    r"|hear you|hear what you'?re saying|hear what you are saying|figured(?: as much"
    r"| (?:that'?s|that is|this is|this was|that was|it was|it'?s) (?:what (?:this|it) (?:is|was)"
    r"(?: about)?|why you'?re calling|why (?:you|y'?all|you guys) (?:are|were) calling))?)"
    r"|(?:i'?m|i am) (?:well |fully |very |totally |completely )?(?:aware|conscious)"
    r"(?: of (?:it|that|this))?"
    r"|got it|understood|noted|point taken|fair enough|fair point|i hear ya|trust me|believe me"
    r"|(?:there'?s )?no need to remind me|(?:you |i )?don'?t (?:have|need) to (?:remind|tell) me"
    r"|i (?:saw|seen|got|received|read|noticed|have seen|'?ve seen|'?ve gotten|'?ve got"
    r"|have gotten)"
    r" (?:the |your |all the |all your |all of the |both )?(?:\w+ )?(?:letters?|messages?"
    r"|e-?mails?|notices?|texts?|calls?|reminders?|statements?|voicemails?|mail)"
    r"(?: (?:you|you guys) sent(?: me)?| about (?:it|that|this))?"
    rf"|{_NEGATED_DISPUTE})"
)
_ADMIT = (
    r"(?:(?:that )?(?:i'?m|i am|i'?ve been|i have been|it'?s|it is|we'?re|we are|i was"
    r"|(?:the|my) (?:account|payment|loan|bill) (?:is|was)) (?:a (?:little|bit|few \w+) |really "
    r"|way |still )?(?:behind|late|overdue|past due|in arrears)"
    r"(?: on (?:it|this|that|the \w+|my \w+|payments?))?(?: again| already)?"
    rf"|{_OWE}|(?:that )?(?:it'?s|it is) (?:mine|my debt|my loan)|the debt is mine"
    r"|it (?:totally |just )?slipped my mind|i (?:just )?forgot(?: about it)?"
    r"|i'?ve been meaning to (?:pay|sort|deal with|take care of|handle|get to) (?:it|this|that)"
    r"(?: out)?|i (?:haven'?t|have not|didn'?t) paid(?: it| yet| it yet)?"
    r"|i missed (?:a |some |a couple of |a couple |the )?payments?)"
)
# one word each (and no word that is the start of another piece's words), so that a run of
# them is read one way only: a regex with two ways to read each of n fillers takes 2^n steps
_FILLER = (
    r"(?:uh|um|huh|oh|ok|okay|alright|all right|right|yeah|yes|yep|yup|well|look|listen|sure"
    r"|hmm|mm|mhm|and|but|so|like|i mean|man|no)"
)
_PIECE = rf"(?:{_KNOW}|{_ADMIT}|{_FILLER})"
_WHOLE = re.compile(rf"^(?:{_PIECE}(?: |$))+$")
_CONCEDES = re.compile(rf"\b{_KNOW}\b")
_NEGATED = re.compile(rf"\b{_NEGATED_DISPUTE}\b")


def acknowledges(norm: str) -> bool:
    """Whether the whole utterance (``training_data.normalize``'d English) only concedes."""
    text = norm.strip()
    return bool(text and _CONCEDES.search(text) and _WHOLE.match(text))


def without_conceded_dispute(norm: str) -> str:
    """``norm`` with every negated dispute ("i'm not disputing it") said as "i know"."""
    return _NEGATED.sub("i know", norm)
