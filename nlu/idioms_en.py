"""English answers whose words say more than the classifier hears in them.

Each reading takes the whole utterance (``training_data.normalize``'d: lower case, no sentence
punctuation) and is checked by the parser after the legal-weight rules:

* ``idiom_yes``: a yes said as an idiom that names the speaker as the one asked for: "the one
  and only", "that'd be me", "guilty as charged", "in the flesh", "yours truly" (alone or with
  "that's me" / "yes"); never with a negation or a question after it;
* ``listening``: the caller was heard and may go on ("right okay", "okay go on", "I'm
  listening", "alright I see"): an acknowledgement, never a yes to "am I speaking with …?";
* ``denies_being``: "I ain't him", "nah that ain't me", "I'm not her": a denial (``deny``);
* ``asks_what_about``: "is this about my car warranty?", "is this regarding a bill?": the
  debtor asks who calls and why (``ask_identity``), when nothing else is said;
* ``not_until_later``: nothing can be paid now, only later ("can't pay nothing till January",
  "I won't have a dime until after the holidays"): hardship, when no amount is offered.
"""

from __future__ import annotations

import re

_FILLER = r"(?:(?:oh|uh|um|well|yeah|yes|yep|aye|ha|haha|heh|lol|hi|hello|mhm|mm)\s+)*"
_YES_IDIOM = (
    r"(?:the one and only|that'?d be me|that would be me|that be me|guilty as charged"
    r"|in the flesh|yours truly|(?:that'?s|it'?s) (?:yours truly|me alright|me all right)"
    r"|last (?:time )?i checked|that'?s what they call me|that'?s my name"
    r"|you(?:'?ve| have)? (?:got|found|reached) (?:him|her|me)"
    r"|you'?re (?:talking|speaking) (?:to|with) (?:him|her|me))"
)
_YES_TAIL = (
    r"(?:\s+(?:that'?s me|it'?s me|yes|yeah|yep|indeed|sir|ma'?am|pal|buddy|mate|son|dear|honey"
    r"|darling|love|hon|sweetheart|my friend|friend|go ahead|go on|speaking))*"
)
_IDIOM_YES = re.compile(rf"^{_FILLER}{_YES_IDIOM}{_YES_TAIL}$")

_ACK = r"(?:right|okay|ok|alright|all right|i see|mhm|uh huh|hmm|mm)"
_GO_ON = (
    r"(?:go on|carry on|keep going|continue|go ahead and explain|i'?m listening|i am listening"
    r"|i'?m all ears|i'?m still here|still here|i hear ya|i hear you)"
)
_LISTENING = re.compile(
    # "right okay", "okay right", "alright i see", "right right" (two tokens, one of them
    # "right" or "i see": "okay" alone and "okay okay" agree, and stay with the classifier)
    rf"^(?:so\s+|well\s+)?(?:right\s+(?:right|okay|ok|alright|all right|i see|then)"
    rf"|(?:okay|ok|alright|all right|mhm|uh huh|hmm|mm)\s+(?:right|i see)"
    rf"|i see(?:\s+{_ACK})?)(?:\s+{_ACK})*$"
    # "okay go on", "sure sure i'm listening", "alright carry on", "i'm listening"
    rf"|^(?:(?:{_ACK}|sure|yeah|yes|well)\s+)*{_GO_ON}(?:\s+(?:then|please|now))?$"
)

# "I ain't him", "nah that ain't me", "I'm not her": the whole answer denies being the one asked
_NOT_ME = re.compile(
    r"^(?:(?:no|nah|naw|nope|uh|um|oh|well|sorry|man|bro)\s+)*(?:i|that|this|it)(?:'?s|'?m| is"
    r"| am)?\s+(?:not|ain'?t|aint|isn'?t|is not|am not|never was|never been)\s+"
    r"(?:him|her|me|them|the one|that (?:guy|man|woman|lady|person|dude|fella))"
    r"(?:\s+(?:sorry|man|bro|pal|buddy|mate|sir|ma'?am|dude|love|sweetheart|honey|no|either))*$"
)
_ASKS_ABOUT = re.compile(
    r"^(?:(?:uh|um|oh|well|wait|hold on|sorry|hello|hi|so|and)\s+)*"
    # ("it's this about …": the recogniser's "is this")
    r"(?:is|was|would|will|it'?s) (?:this|that|it|the call|this call)(?: call)?\s+"
    r"(?:be\s+)?(?:about|regarding|concerning|in regards? to|to do with|in reference to)\b"
)

_NOTHING = (
    r"(?:nothing|anything|nuthin|a thing|a dime|a penny|a cent|one red cent|no money|any money)"
)
_NOT_UNTIL = re.compile(
    r"\b(?:can'?t|cannot|cant|ain'?t|aint|won'?t|wont|not|no way i can|unable to|don'?t|dont)\s+"
    r"(?:be able to\s+|gonna\s+|going to\s+|got\s+|have\s+|get to\s+)?"
    rf"(?:pay|give|send|have|do)\s+(?:y'?all\s+|you\s+|you guys\s+)?(?:{_NOTHING}\s+)?"
    r"(?:at all\s+|right now\s+|now\s+|this month\s+|for now\s+)?"
    r"(?:till|until|til|'til|before|no sooner than)\b"
)


def idiom_yes(norm: str) -> bool:
    """The whole answer is an idiomatic "yes, I am the one you asked for"."""
    return _IDIOM_YES.match(norm.strip()) is not None


def listening(norm: str) -> bool:
    """The whole answer only says the caller was heard and may go on."""
    return _LISTENING.match(norm.strip()) is not None


def denies_being(norm: str) -> bool:
    """The whole answer denies being the one asked for ("I ain't him")."""
    return _NOT_ME.match(norm.strip()) is not None


def asks_what_about(norm: str) -> bool:
    """The answer asks what the call is about ("is this about my car warranty?")."""
    return _ASKS_ABOUT.match(norm.strip()) is not None


def not_until_later(norm: str) -> bool:
    """The debtor can pay nothing now, only some time later ("can't pay nothing till January")."""
    return _NOT_UNTIL.search(norm) is not None
