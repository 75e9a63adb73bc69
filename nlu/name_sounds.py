"""How an English given name sounds, for comparing a name said on the line with the debtor's
(``nlu.policy.names``): a key of its consonants and vowels (``sound_key``: "John" and "Jon"
alike, "Jane" and "Joan" not), the short forms of common names, and a name's pair (Daniel /
Danielle: two people). Pure."""

from __future__ import annotations

import re

from nlu.given_names import SAME_NAME_EN

_UNVOICED = str.maketrans("d", "t")


_AS_SPELLED = {form: forms[0] for forms in SAME_NAME_EN for form in forms}


def sound_key(word: str) -> str:
    """A key of an English name as it sounds ("John" and "Jon" -> "JN-O1"): its consonants,
    its first vowel, its last vowel, its syllables."""
    bare = word.lower().removesuffix("'s")
    word = _AS_SPELLED.get(bare, bare)
    w = re.sub(r"[^a-z]", "", word)
    if not w:
        return ""
    for spelled, sound in (("ph", "f"), ("ck", "k"), ("dg", "j"), ("gh", ""), ("wh", "w"),
                           ("sch", "sk"), ("sh", "x"), ("ch", "x"), ("th", "0"), ("qu", "kw"),
                           ("q", "k"), ("x", "ks"), ("z", "s"), ("v", "f")):  # fmt: skip
        w = w.replace(spelled, sound)
    w = re.sub(r"^(?:kn|gn|wr)", lambda m: m.group()[1], w)
    w = re.sub(r"c(?=[eiy])", "s", w).replace("c", "k")
    w = w.translate(_UNVOICED)  # a phone line blurs voicing: "Dwayne" heard "twain"
    first, rest = w[0], w[1:]
    rest = re.sub(r"[aeiouyhw]", "", rest)
    key = first + rest
    key = re.sub(r"(.)\1+", r"\1", key)
    if first in "aeiouy":
        key = "A" + key[1:]
    return key.upper() + _first_vowel(word) + _last_vowel(word) + str(_syllables(word))


def _syllables(word: str) -> int:
    """How many syllables a name has, by its vowel groups ("Carl" 1, "Carol" 2; "Dina" 2,
    "Diana" 3: an "ia" / "io" / "ua" is two, "iya" too; a final silent "e" none)."""
    groups = re.findall(r"[aeiouy]+", re.sub(r"(?<=[aeiou])y(?=[aeiou])", "-", word))
    count = len(groups) + sum(1 for g in groups if re.search(r"i[ao]|ua", g))
    silent_e = re.search(r"[^aeiouy]e$", word) is not None and count > 1
    return count - silent_e


# the first vowel's sound, so that a consonant frame is not enough: "Jane", "Joan" and "June"
# are not "John" (a wife who shares the surname), "Jon" is; "twain" is "Dwayne"
_VOWEL_CLASSES = (
    ("AI", ("ai", "ay", "ei", "ey", "aye")), ("EE", ("ee", "ea", "ie")),
    ("OW", ("oa", "ow", "oe", "ou")), ("U", ("u", "oo", "ue")), ("I", ("i", "y", "ia", "ya")),
    ("AW", ("aw", "au")),
)  # fmt: skip
# a vowel made long by a final silent "e" after one consonant: "Rose" is not "Ross", "Jane" is
# "Jayne"
_LONG_BY_E = {"a": "AI", "e": "EE", "i": "IY", "o": "OW", "u": "U"}


def _first_vowel(word: str) -> str:
    bare = re.sub(r"^y(?=[aeiou])", "", word.lower().removesuffix("'s"))  # "Yolanda": a y sound
    cluster = re.search(r"[aeiouy]+(?:w(?![aeiouy]))?", bare)
    run = cluster.group() if cluster else ""
    if re.fullmatch(r"[^aeiouy]*[aeiou][^aeiouyw]e", bare):
        return "-" + _LONG_BY_E[run]
    for sound, spellings in _VOWEL_CLASSES:
        if run in spellings:
            return "-" + sound
    return "-" + run[:1].upper() if run else ""


def _last_vowel(word: str) -> str:
    """The sound a name ends on when it ends on a vowel: "Daniela" is not "Daniel", "Mario" not
    "Maria", "Erica" not "Eric" (a daughter, a son, a sister); a final silent "e" ends on the
    consonant ("Dwayne", "twain")."""
    bare = word.lower().removesuffix("'s")
    for sound, ending in (("A", r"(?:a|ah)$"), ("O", r"(?:o|oh|ow)$"),
                          ("E", r"(?:ie|ee|ey|y|i|oe)$")):  # fmt: skip
        if re.search(ending, bare) and len(bare) > 2:
            return "+" + sound
    return ""


# the short forms of common English given names: "this is Bob Kowalski" is Robert Kowalski
NICKNAMES_EN: dict[str, tuple[str, ...]] = {
    "muhammad": ("mohammed", "mohamed", "mohammad", "muhammed"),
    "robert": ("bob", "bobby", "rob", "robbie", "bert"), "william": ("bill", "billy", "will",
    "willie", "liam"), "james": ("jim", "jimmy", "jamie"), "michael": ("mike", "mikey", "mick"),
    "richard": ("rick", "ricky", "dick", "rich", "richie"), "thomas": ("tom", "tommy"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza"), "katherine": ("kate", "katie",
    "kathy", "kat"), "catherine": ("kate", "katie", "cathy", "cat"), "jennifer": ("jen", "jenny"),
    "anthony": ("tony",), "david": ("dave", "davey"), "daniel": ("dan", "danny"),
    "joseph": ("joe", "joey"), "christopher": ("chris",), "matthew": ("matt",),
    "samuel": ("sam", "sammy"), "alexander": ("alex",), "edward": ("ed", "eddie", "ted"),
    "john": ("jack", "johnny"), "susan": ("sue", "susie"), "patricia": ("pat", "patty", "trish"),
    "patrick": ("pat",), "nicholas": ("nick",), "andrew": ("andy", "drew"),
    "gregory": ("greg",), "jeffrey": ("jeff",), "ronald": ("ron", "ronnie"),
    "donald": ("don", "donnie"), "lawrence": ("larry",), "charles": ("charlie", "chuck"),
    "henry": ("hank", "harry"), "margaret": ("maggie", "meg", "peggy"),
    "deborah": ("deb", "debbie"), "rebecca": ("becky", "becca"), "victoria": ("vicky", "tori"),
    "stephen": ("steve",), "steven": ("steve",), "timothy": ("tim",), "benjamin": ("ben",),
    "kenneth": ("ken", "kenny"), "raymond": ("ray",), "gerald": ("jerry",),
    "jacqueline": ("jackie",), "abigail": ("abby",), "samantha": ("sam",),
}  # fmt: skip


# the endings that make a name's pair (Daniel / Danielle, Paul / Paula, Jean / Jeanne): two
# people, often of one household, whose names the sound key may not tell apart
_PAIR_ENDINGS = ("a", "e", "le", "lle", "elle", "ette", "tte", "ne", "ine", "ina")


# spellings of one name, not a pair (Ann / Anne is one woman's name spelt two ways, as Jon /
# John and Carl / Karl are one man's): the pair's ending does not part them
SAME_NAME_SPELLINGS = frozenset(
    {frozenset(p) for p in (("ann", "anne"), ("lynn", "lynne"), ("jayne", "jane"),
                            ("sara", "sarah"), ("hanna", "hannah"), ("eric", "erik"),
                            ("philip", "phillip"), ("allan", "allen"), ("alan", "allan"))}
)  # fmt: skip


def paired_name(said: str, own: str) -> bool:
    """``said`` is ``own`` with a pair's ending, or the other way round ("danielle", "daniel")."""
    short, long = sorted((said, own), key=len)
    return (
        frozenset((short, long)) not in SAME_NAME_SPELLINGS
        and len(short) >= 3 and short != long and long.startswith(short)
        and long[len(short) :] in _PAIR_ENDINGS
    )  # fmt: skip
