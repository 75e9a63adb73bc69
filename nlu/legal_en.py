"""English phrasings with legal weight that the rules (``nlu.rules``) read: a cease of calls at
work (noted), attorney representation, a dispute of the amount only (session 13, en10), a
bankruptcy filed and relief of fees asked for (session 12)."""

from __future__ import annotations

import re

# "don't call me at work", "stop calling my job": the place refused (FDCPA 805(a)(3)). There is
# no contact restriction by place to record yet (the compliance guard knows numbers and hours,
# not workplaces), and the number called may be the workplace's: it stays a cease (the rules),
# noted ``no_calls_at_work`` for the person who reviews it; a promise said with it is kept
# (``nlu.policy.cease``)
_AT_WORK_EN = (
    r"\s+(?:me\s+|him\s+|her\s+)?(?:again\s+)?(?:(?:at|on|to)\s+(?:my|the|his|her)?\s*|(?:my|his|her)\s+)"
    r"(?:work|job|office|workplace|employer|work (?:number|phone|line))\b"
)
# "I have a lawyer", "talk to my attorney, Sarah Goldberg", "I'm represented by counsel": the
# debtor is represented (FDCPA 805(a)(2): the collector speaks to the attorney, not the debtor):
# a person takes the call. "I'm a lawyer", "should I get a lawyer?" are no representation
ATTORNEY_EN = (
    r"\b(?:my|our|his|her)\s+(?:\w+\s+)?(?:lawyer|attorney|counsel|legal (?:aid|counsel|team))\b"
    r"|\b(?:i|we)(?:'ve|\s+have|\s+got|'ve got|\s+hired|\s+retained)\s+(?:a|an)\s+(?:\w+\s+)?"
    r"(?:lawyer|attorney)\b"
    r"|\brepresented by\b|\b(?:i'?m|i am|we'?re)\s+(?:legally\s+)?represented\b"
    r"|\b(?:lawyer|attorney)\s+(?:is\s+)?(?:handling|representing|dealing with)\b"
)
# "I owe three hundred, not four fifty", "it's only 300 not 450", "that's not what I owe": the
# amount is disputed (a dispute all the same: the debt is checked before collecting again)
_AMOUNT_WORD_EN = (
    r"(?:\$?\d[\d,.]*|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen"
    r"|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a)(?:[\s-]\w+){0,3}?)"
)
AMOUNT_DISPUTE_EN = (
    rf"\b(?:i|we)\s+(?:only\s+)?(?:owe|owed|borrowed)\s+(?:you\s+)?(?:only\s+)?{_AMOUNT_WORD_EN}"
    rf"[\s,]+(?:not|and not|ain'?t)\s+{_AMOUNT_WORD_EN}"
    r"|\b(?:not|isn'?t|ain'?t)\s+(?:what|how much)\s+i\s+owe\b"
    r"|\b(?:the|that|your)\s+(?:amount|balance|number|figure)\s+(?:is|'s|are)\s+"
    r"(?:wrong|off|not right|incorrect|way off)\b|\b(?:wrong|incorrect)\s+(?:amount|balance)\b"
    # "I only borrowed eight hundred", "that's way more than I owe"
    r"|\bi only (?:ever )?(?:borrowed|took out|owed?)\b|\bi (?:just|only) borrowed\b"
    r"|\bmore than i (?:ever )?(?:borrowed|owed?|took out)\b"
)


def no_calls_at_work(text: str, lang: str) -> bool:
    """Whether the debtor refuses calls at work ("don't ever call me at work again")."""
    return (
        lang == "en"
        and re.search(
            rf"\b(?:don'?t|do not|never|dont|stop|quit|no more)\s+(?:ever\s+)?(?:call|calling|phone"
            rf"|phoning|contact|contacting|calls)\b{_AT_WORK_EN}",
            text.lower(),
        )
        is not None
    )


# a bankruptcy filed (not "I'm practically bankrupt"): a person takes it
BANKRUPTCY_EN = (
    r"\b(?:filed|filing|file|declared|declaring|declare|going through|went through|in|under"
    r"|my|a|the)\s+(?:for\s+)?(?:personal\s+)?(?:bankruptcy|chapter (?:7|seven|13|thirteen))\b"
    r"|\bbankruptcy (?:lawyer|attorney|case|court|trustee|protection|petition|filing)\b"
)
# the fees or the interest asked off, a settlement for less: answered with a plan
ASK_RELIEF_EN = (
    r"\b(?:waive|waiving|drop|dropping|remove|forgive|reduce|lower|cut|discount|knock off"
    r"|take off|get rid of)\b.{0,25}\b(?:fees?|interest|charges?|penalt(?:y|ies))\b"
    r"|\bsettle\b.{0,25}\bfor (?:less|a (?:lower|smaller|reduced))\b"
)
