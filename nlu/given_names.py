"""Telling an English name in what the recogniser prints, where no frame ("this is ...") says one
is coming: a capitalised word that is no common word ("Mary", "Mr. Patel"; the recogniser
capitalises names), or, in lower-case text, one of the commonest given names of the English-
speaking world ("mary jenkins", "ask for pete"). Given names that are also everyday words (will,
mark, frank, grace, may, june, rose, ray, pat, jack, don ...) count only capitalised. Pure data
and text: used by ``nlu.estate`` (who handles a deceased's affairs) and ``nlu.policy.names``
(which words after "this is" can be a name; which spellings are one name)."""

from __future__ import annotations

import re

# what may follow "this is" / "it's" / "I'm", or start a sentence, without being a name
NOT_NAMES_EN = frozenset(
    re.split(
        r"\s+",
        """a an the he she him her me it us them they we you his their my your our its this that
    yes yeah yep no not nope right correct true fine good okay ok sure speaking here there who
    what why how when where which one person guy lady man woman number phone line house home
    residence place about regarding concerning re for from with at in on to of by just still
    really actually definitely indeed certainly busy driving working work available calling
    going gonna trying doing sorry afraid glad happy listening cool alright all well so and but
    or now today tonight him's her's mine myself himself herself hers theirs somebody someone
    nobody anyone everyone wrong bad terrible great perfect whatever i im is was been be gonna
    over all late too afraid aware sick tired broke out away back sorry exactly uh um huh ah
    oh er eh hey hi hello ya yup yah uhhuh ok dis dat please sir ma'am maam mam madam thanks
    thank boss buddy man dude mate mister mr mrs missus miss ms doctor dr""",
    )
)
# words that start or fill an answer but name nobody, beyond the above: said alone after "who
# handles the affairs?" ("Honestly, no idea", "Leave us alone") they are no contact
_NOT_NAMES_ALONE_EN = NOT_NAMES_EN | frozenset(
    re.split(
        r"\s+",
        """bye goodbye maybe probably perhaps why don't can can't could would should won't do
    does did
    have has had if then than also only even ever never always mm hmm mhm wait hold hang
    call send write ask try talk speak tell let give take get go come see look leave stop
    no-one none nothing everything anything something god jesus christ amen dear sweet honey
    love hell damn shit fuck honestly seriously listen excuse pardon again later anymore
    anybody nope nah""",
    )
)
# the commonest given names (US, UK, Irish, Hispanic, African-American, Indian, Nigerian and
# Chinese in English spelling); not those that are everyday words too
GIVEN_NAMES_EN = frozenset(
    re.split(
        r"\s+",
        """aaron abigail adam adrian alan albert alex alexander alice alicia allison alma amanda
    amber amy andrea andrew angela anita ann anna anne annie anthony antonio arthur ashley
    barbara benjamin betty beverly brandon brenda brian brittany bruce bryan carl carlos carmen
    carol caroline catherine charles charlotte cheryl chris christina christine christopher
    cindy claire clara colleen connie craig crystal cynthia daniel danielle darlene darren
    david deborah debbie debra denise dennis derek diana diane dolores donald donna doris
    dorothy douglas dylan edward eileen elaine eleanor elizabeth ellen emily emma eric erica
    esther ethan eugene evelyn francis gary george gerald gina gladys gloria gordon gregory
    hannah harold heather helen henry howard ian irene isabel jacob james jamie janet janice
    jason jeffrey jennifer jeremy jerry jesse jessica joan joanne joe joel john jonathan jose
    joseph joshua joyce juan judith judy julia julie justin karen katherine kathleen kathryn
    kathy keith kelly kenneth kevin kimberly kyle larry laura lauren lawrence leonard leslie
    linda lisa lois lori louis louise lucy luis margaret maria marie marilyn martha martin mary
    matthew megan melissa michael michelle mike monica nancy natalie nathan nicholas nicole
    norma olivia pamela patricia patrick paul paula peggy pete peter philip phyllis priscilla
    rachel ralph randy raymond rebecca regina rhonda richard rita robert roberto roger ronald
    ruth ryan samantha samuel sandra sara sarah scott sean sharon shawn shirley stephanie
    stephen steve steven susan tammy teresa theresa thomas timothy tina todd tom tommy tony
    tracy travis tyler valerie vanessa victor victoria vincent virginia walter wanda wayne
    wendy william yolanda zachary dave tim jim jimmy bobby bob chuck danny jeff ken kenny
    larry ron ronnie steve susie tony ricky rick nick greg andy liz beth katie kate becky
    marcus tyrone darnell jamal keisha latoya tamika deshawn andre terrence reginald cedric
    priya ravi rahul raj anil sunil sunita deepak anita pooja amit vijay sanjay neha
    chidi chinedu ngozi emeka tunde femi funmi bola tola oluwaseun adebayo chiamaka
    wei li ming jun hui ling mei xiao chen lin fang jing yan
    miguel maria jose juan carlos luis jorge pedro manuel rosa ana lucia sofia alejandro
    javier francisco fernando ricardo eduardo guadalupe""",
    )
)
# spellings of one given name said the same way, as the recogniser prints any of them ("Yep,
# Lewis" for Luis): ``nlu.policy.names.sound_key`` keys each as the first. Only the same name:
# Louise is not Luis (a wife), Shane is not Shawn, Stephanie is not Stephen, Kathleen is not
# Kathryn.
SAME_NAME_EN = (
    ("luis", "lewis", "louis"), ("sean", "shawn", "shaun", "shon"), ("john", "jon"),
    ("catherine", "kathryn", "katherine", "katharine", "cathryn", "kathrine"),
    ("steven", "stephen"), ("amy", "aimee", "aimie", "amie"),
    ("jeffrey", "geoffrey", "jeffery"), ("jeff", "geoff", "geof"), ("brian", "bryan"),
    ("alan", "allan", "allen"), ("eric", "erik"), ("mark", "marc"), ("carl", "karl"),
    ("caitlin", "kaitlyn", "katelyn", "caitlyn", "kaitlin"), ("megan", "meghan", "meagan"),
    ("teresa", "theresa"), ("philip", "phillip"), ("nicholas", "nicolas"),
    ("matthew", "mathew"), ("zachary", "zackary"), ("lindsay", "lindsey"),
    ("dwayne", "duane"), ("rachel", "rachael"), ("allison", "alison"), ("isabel", "isabelle"),
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


_SENTENCE = re.compile(r"[^.!?]+")


def names_said_en(text: str) -> list[str]:
    """The words of ``text`` that are names (see the module), in order, as written. A
    capitalised word that starts a sentence of more than three words is no name unless it is a
    given name ("Honestly, I have no idea who" is none; "Dolores. Dolores Smith." is one)."""
    said: list[str] = []
    for sentence in _SENTENCE.finditer(text):
        words = list(_WORD.finditer(sentence.group()))
        for i, found in enumerate(words):
            word, bare = found.group(), found.group().lower().removesuffix("'s")
            if bare in _NOT_NAMES_ALONE_EN or len(bare) < 2 or "'" in bare or not _vowelled(bare):
                continue
            capital = word[0].isupper() and (i > 0 or len(words) <= 3)
            if bare in GIVEN_NAMES_EN or capital:
                said.append(word)
    return said


def _vowelled(word: str) -> bool:
    """A word with a vowel ("mhm", "hmm" are sounds, not names)."""
    return re.search(r"[aeiouy]", word) is not None
