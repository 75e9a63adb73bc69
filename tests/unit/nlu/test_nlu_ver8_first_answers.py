"""Issue 9, ver8: first answers to "is this {name}?" that were read wrong. Lines written for
this branch before the code was changed (docs/nlu.md, "Session 11, ver8": figures before/after).

- a short form of the debtor's given name in a frame that says who speaks ("it's Bill" for
  William) is "it's me"; another short name ("it's Ben" for William) is not;
- a business or a household answering with the surname ("Smith Roofing, how can I help",
  李记餐馆) is somebody else: never verified;
- a self-correction in one answer is read by its last clause, both ways;
- a yes that asks who calls ("yes, who's calling please?", 是我 你哪位) is answered with who
  calls (no debt words) and the question once more (a bare "yes" may be how the phone was
  picked up); a 是我 before it goes on to the second factor where there is one (as today);
- Mandarin 嗯 with leave to speak (嗯 你说, 嗯嗯 好的, 嗯 讲) is leave, not "it's me".
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from safety_cases import MODES, NOON, TODAY, prompt_keys

from core.dialogue import CallAnswered, DialogueCommand, Lang, Say, UtteranceHeard
from nlu.parser import default_parser
from nlu.policy import VerificationMode, decide, demo_case, load_script, start
from nlu.policy.disclosure import DEBT_WORDS
from nlu.policy.state import DialogueState

SHORT_NAMES = [
    ("William Smith", "Bill"),
    ("Elizabeth Jones", "Liz"),
    ("Robert Brown", "Bob"),
    ("James Miller", "Jim"),
    ("Michael Davis", "Mike"),
    ("Richard Wilson", "Rick"),
    ("Thomas Moore", "Tom"),
    ("Katherine Taylor", "Kate"),
    ("Jennifer White", "Jen"),
    ("Anthony Harris", "Tony"),
    ("David Clark", "Dave"),
    ("Daniel Lewis", "Danny"),
    ("Joseph Walker", "Joe"),
    ("Christopher Hall", "Chris"),
    ("Matthew Young", "Matt"),
    ("Edward King", "Eddie"),
    ("Margaret Wright", "Maggie"),
    ("Deborah Scott", "Debbie"),
    ("Rebecca Green", "Becky"),
    ("Steven Baker", "Steve"),
    ("Timothy Adams", "Tim"),
    ("Kenneth Hill", "Ken"),
    ("Samuel Reed", "Sam"),
    ("Nicholas Ward", "Nick"),
    ("Elizabeth Cruz", "Beth"),
    ("William Ortiz", "Will"),
    ("Robert Price", "Bobby"),
]
SHORT_FRAMES = [
    "it's {s}",
    "{s} speaking",
    "{s} here",
    "{s} speaking, what can I do for you",
    "yeah, {s} here",
    "hi, it's {s}",
    "{s} speaking, how can I help you?",
    "yes, it's {s}",
    "oh hey, it's {s}",
    "{s} here, go ahead",
]


def _short_lines(*, own: bool) -> list[tuple[str, str]]:
    lines = []
    for i, (full, short) in enumerate(SHORT_NAMES):
        said = short if own else SHORT_NAMES[(i + 7) % len(SHORT_NAMES)][1]
        for frame in (
            SHORT_FRAMES[i % len(SHORT_FRAMES)],
            SHORT_FRAMES[(i + 3) % len(SHORT_FRAMES)],
        ):
            lines.append((full, frame.format(s=said)))
    return lines


SURNAMES = [
    "Smith",
    "Garcia",
    "Jones",
    "Johnson",
    "Brown",
    "Miller",
    "Davis",
    "Martinez",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
]
BUSINESS_FRAMES = [
    "{n} Roofing, how can I help",
    "yes, {n} Auto",
    "{n} residence",
    "{n}'s Bakery, good afternoon",
    "good morning, {n} and Sons",
    "{n} Plumbing, this is Tony speaking",
    "{n} household",
    "yeah, {n} family",
    "hello, {n} Dental, how may I direct your call?",
    "{n} Law Office",
    "thank you for calling {n} Insurance",
    "{n} Construction, yes?",
    "{n} Motors, can I help you",
    "yes, the {n}s' house",
    "{n} Farms, hello",
    "{n} Landscaping, this is Maria",
    "yes, {n} Towing",
    "{n} Realty, good afternoon",
    "hi, {n} Electric",
    "{n} and Associates",
]


def _business_lines() -> list[tuple[str, str]]:
    return [
        (f"John {SURNAMES[i % len(SURNAMES)]}", frame.format(n=SURNAMES[(i * 3) % len(SURNAMES)]))
        for i, frame in enumerate(BUSINESS_FRAMES * 2)
    ]


ZH_SURNAMES = ["李", "王", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"]
ZH_GIVEN = ["明", "伟", "芳", "静", "强", "磊", "洋", "勇", "军", "杰"]
BUSINESS_ZH = [
    "{s}记餐馆，您好",
    "你好 {s}氏装修",
    "{s}家 你找谁",
    "喂 {s}记五金店",
    "{s}氏律师事务所 您好",
    "你好，这里是{s}家",
    "{s}师傅修车行",
    "{s}氏牙科 请问有什么可以帮您",
    "喂，{s}记面馆",
    "{s}家小卖部 您好",
    "这里是{s}氏建材",
    "您好 {s}记快餐 要订餐吗",
    "{s}家装修公司 你好",
    "喂 {s}记水果店",
    "你好 {s}氏物流",
    "{s}老板的店 你找谁",
    "对 {s}家",
    "是的 {s}记超市",
    "{s}氏集团 前台",
    "喂 {s}家饭店 请讲",
]


def _business_lines_zh() -> list[tuple[str, str]]:
    lines = []
    for i, frame in enumerate(BUSINESS_ZH * 2):
        surname = ZH_SURNAMES[i % len(ZH_SURNAMES)]
        lines.append((surname + ZH_GIVEN[(i * 3) % len(ZH_GIVEN)], frame.format(s=surname)))
    return lines


CORRECTED_YES_EN = [
    "who's this... I mean yes, it's me",
    "no wait, yes that's me",
    "uh no, sorry, yes, this is John",
    "what? oh, yes, that's me",
    "who? oh sorry, yeah it's me",
    "nope... wait, actually yes, it's me",
    "no, I mean yes, this is him",
    "sorry, who... oh yes, that's me",
    "huh? oh yeah, speaking",
    "no no, sorry, yes it's me",
    "what's that? oh yes, this is John",
    "nah, wait, yeah that's me",
    "who did you say? oh, yes, it's me",
    "no... I mean yeah, this is him",
    "pardon? oh yes, it's me",
    "wait what? oh, yes, that's me",
    "no sorry I misheard, yes, it's me",
    "who? oh, John, yes that's me",
    "uh, no, actually yes, speaking",
    "what, sorry? yes, this is him",
]
CORRECTED_NO_EN = [
    "yes... no wait, you want my brother",
    "yeah, oh no, sorry, wrong number",
    "yes, I mean no, he's not here",
    "it's me, no wait, you want my dad",
    "yes, no sorry, this is his wife",
    "yeah... actually no, I'm not John",
    "yes, no wait, John's my son",
    "yeah, oh, no, you want my husband",
    "speaking, no wait, that's my father",
    "yes, oh no, sorry, no John here",
    "yeah it's, no, this is his roommate",
    "yes, I mean, no, he moved out",
    "yes... wait, no, that's my dad's name",
    "right, no, sorry, you've got the wrong person",
    "yeah, no, I think you want my son",
    "yes, oh wait no, this is his mother",
    "it's me, I mean, no, it's his phone, he's out",
    "yes, no, sorry, John's at work",
    "yeah, hold on, no, I'm his sister",
    "yes, actually no, wrong number",
]
CORRECTED_YES_ZH = [
    "不是… 哦对 是我",
    "不是 哦 对对 是我",
    "谁啊… 哦 是我是我",
    "不对不对 是我 我就是李明",
    "啊？哦 对 是我",
    "不是…哦不 是我本人",
    "你找谁…哦 李明啊 是我",
    "没…哦 对 是我",
    "不是不是 是我 我就是",
    "谁？哦哦 是我",
    "什么？哦 对 我就是李明",
    "不…哦是我",
    "啥？哦 对对 是我本人",
    "哪位…哦 对 是我",
    "不是…是我 是我",
    "嗯？哦 是的 我就是",
    "不 哦不对 是我",
    "谁…哦 我就是李明本人",
    "没听清…哦 是我",
    "什么…哦 对 是我啊",
]
CORRECTED_NO_ZH = [
    "是…不对 你找我哥",
    "对 不是 你找我爸吧",
    "是的…哦不是 打错了",
    "是我…不对 他不在",
    "对对…啊不是 我是他老婆",
    "是…哦不 我是他妹妹",
    "对 哦不对 你找错人了",
    "是的 不是不是 我是他朋友",
    "嗯 是…不对 这是他的手机",
    "是我…哦不 你要找的是我儿子",
    "对…不对 没有这个人",
    "是 哦 不是 我是他同事",
    "对的…不是 他出去了",
    "是我 哦不 你找我老公吧",
    "是…不是 你打错了",
    "对 不对 他不在家",
    "是的…哦 不是我",
    "是我…啊不 我是他姐姐",
    "对 哦不 这里没有叫李明的",
    "是…不对 我是他爸",
]
ASKS_WHO_EN = [
    "yes, who's calling please?",
    "yes who's this",
    "yeah, who is this?",
    "yes, may I ask who's calling?",
    "yes, who's it?",
    "yeah who wants to know",
    "yes, and you are?",
    "yes, who am I speaking with?",
    "yeah, who's calling?",
    "yes, who is calling please",
    "yep, who's this?",
    "yes ma'am, who's calling?",
    "uh, yes, who's this?",
    "yeah, who's asking?",
    "yes, what's your name?",
    "yes, and who are you?",
    "yeah, who's this calling?",
    "yes, sorry, who's calling?",
    "yes, who is this please?",
    "yeah. who is it?",
]
ASKS_WHO_ZH = [
    "是我 你哪位",
    "是我，你是哪位？",
    "对 你哪位",
    "是的 请问你是谁",
    "嗯 是我 哪位啊",
    "是 你哪位啊",
    "对对 您是哪个",
    "对，你是谁啊",
    "是的，您哪位？",
    "是我 请问您是哪位",
    "对 是我 你是谁",
    "是 请问哪位",
    "是我啊 你谁啊",
    "对的 你是哪位",
    "是的 你是哪里",
    "嗯 对 你哪位",
    "是我 您是哪位",
    "是的是的 你是谁",
    "对 哪位",
    "是我，请问哪位找我？",
]
_LEADS = ["嗯", "嗯嗯", "恩", "嗯嗯嗯", "喂 嗯", "嗯，"]
_LEAVES = [
    "你说",
    "好的",
    "讲",
    "说吧",
    "你讲",
    "请讲",
    "好",
    "行",
    "可以",
    "好的 你说吧",
    "你说吧",
    "请说",
    "讲吧",
    "好 你说",
]
MMM_LEAVE_ZH = [f"{_LEADS[i % len(_LEADS)]} {_LEAVES[i % len(_LEAVES)]}" for i in range(42)]
MMM_YES_ZH = [
    "嗯 是我 你说",
    "嗯 对 你说",
    "嗯 是的 好的",
    "嗯嗯 是我",
    "嗯 我就是 你讲",
    "嗯 对的 你说吧",
]

_CLAIM = re.compile(r"是我|我就是|本人")
PARSER = default_parser()


def run(
    lang: Lang, name: str, mode: VerificationMode, lines: list[str], heard: float = 0.8
) -> tuple[DialogueState, list[str], list[str]]:
    """A call to ``name`` through the real parser: the state, the prompt keys, the texts said."""
    facts = replace(demo_case(lang), debtor_name=name, verification=mode, id_last4="2468")
    state = start(facts, load_script(lang), TODAY)
    said: list[DialogueCommand] = []
    state, commands = decide(state, CallAnswered(NOON))
    said += commands
    for line in lines:
        if state.ended:
            break
        parse = PARSER.parse(line, lang, TODAY).heard_with(heard)
        state, commands = decide(state, UtteranceHeard(line, lang, parse))
        said += commands
    says = [c for c in said if isinstance(c, Say)]
    return state, prompt_keys(says), [s.text for s in says]


def _safe(texts: list[str]) -> bool:
    return not [t for t in texts if DEBT_WORDS.search(t)]


@pytest.mark.parametrize(("name", "line"), _short_lines(own=True))
def test_his_short_name_said_as_who_speaks_verifies(name: str, line: str) -> None:
    state, keys, _ = run("en", name, VerificationMode.NAME, [line])
    assert state.verified, keys


@pytest.mark.parametrize(("name", "line"), _short_lines(own=False))
@pytest.mark.parametrize("mode", MODES)
def test_another_short_name_verifies_nobody(name: str, line: str, mode: VerificationMode) -> None:
    state, keys, texts = run("en", name, mode, [line])
    assert not state.verified, keys
    assert state.stage.value == "verify_name", keys
    assert _safe(texts)


@pytest.mark.parametrize(("name", "line"), [*_business_lines(), *_business_lines_zh()])
@pytest.mark.parametrize("mode", MODES)
def test_a_business_or_household_with_the_surname_verifies_nobody(
    name: str, line: str, mode: VerificationMode
) -> None:
    lang: Lang = "en" if line.isascii() else "zh"
    state, keys, texts = run(lang, name, mode, [line])
    assert not state.verified, keys
    assert state.stage.value != "verify_second", keys
    assert _safe(texts)


@pytest.mark.parametrize(
    ("lang", "line"),
    [*(("en", s) for s in CORRECTED_YES_EN), *(("zh", s) for s in CORRECTED_YES_ZH)],
)
def test_a_no_corrected_to_yes_verifies(lang: Lang, line: str) -> None:
    state, keys, _ = run(
        lang, "John Smith" if lang == "en" else "李明", VerificationMode.NAME, [line]
    )
    assert state.verified, keys


@pytest.mark.parametrize(
    ("lang", "line"), [*(("en", s) for s in CORRECTED_NO_EN), *(("zh", s) for s in CORRECTED_NO_ZH)]
)
@pytest.mark.parametrize("mode", MODES)
def test_a_yes_corrected_to_no_verifies_nobody(
    lang: Lang, line: str, mode: VerificationMode
) -> None:
    state, keys, texts = run(lang, "John Smith" if lang == "en" else "李明", mode, [line])
    assert not state.verified, keys
    assert state.stage.value != "verify_second", keys
    assert _safe(texts)


@pytest.mark.parametrize(
    ("lang", "line"), [*(("en", s) for s in ASKS_WHO_EN), *(("zh", s) for s in ASKS_WHO_ZH)]
)
@pytest.mark.parametrize("mode", MODES)
def test_a_yes_asking_who_calls_hears_who_calls(
    lang: Lang, line: str, mode: VerificationMode
) -> None:
    state, keys, texts = run(lang, "John Smith" if lang == "en" else "李明", mode, [line])
    assert not state.verified
    assert not state.ended
    assert _safe(texts)
    assert {"identity_neutral", "identity_brief"} & set(keys), keys
    if mode is VerificationMode.NAME or not _CLAIM.search(line):
        # a bare "yes" may be how the phone was picked up: who calls, and the question again
        assert keys[-2:] == ["identity_neutral", "ask_name"], keys
    else:  # 是我 said before the question: who calls, then the second factor (test_nlu_claim_who)
        assert keys[-2:] in (
            ["identity_brief", "ask_birth_year"],
            ["identity_brief", "ask_id_last4"],
        )


@pytest.mark.parametrize(
    "line",
    [
        "yes?",
        "Yes? Hello?",
        "是？",
        "是吗？",
        "嗯？",
        "yes? who is it?",
        "Yeah? Who's this?",
        "是？你哪位？",
    ],
)
@pytest.mark.parametrize("mode", MODES)
def test_a_yes_said_as_a_question_discloses_nothing(line: str, mode: VerificationMode) -> None:
    lang: Lang = "en" if line.isascii() else "zh"
    state, keys, texts = run(lang, "John Smith" if lang == "en" else "李明", mode, [line])
    assert not state.verified, keys
    assert state.stage.value == "verify_name", keys
    assert _safe(texts)


@pytest.mark.parametrize("line", MMM_LEAVE_ZH)
@pytest.mark.parametrize("mode", MODES)
def test_mmm_with_leave_to_speak_is_leave_not_a_yes(line: str, mode: VerificationMode) -> None:
    state, keys, texts = run("zh", "李明", mode, [line])
    assert not state.verified, keys
    assert state.stage.value == "verify_name", keys
    assert _safe(texts)


@pytest.mark.parametrize("line", MMM_LEAVE_ZH[:6])
def test_mmm_with_leave_then_a_clear_yes_verifies(line: str) -> None:
    state, keys, _ = run("zh", "李明", VerificationMode.NAME, [line, "对，是我"])
    assert state.verified, keys


@pytest.mark.parametrize("line", MMM_YES_ZH)
def test_mmm_with_a_yes_word_is_still_the_yes(line: str) -> None:
    state, keys, _ = run("zh", "李明", VerificationMode.NAME, [line])
    assert state.verified, keys


# a second round, written after the first fix passed (3 Mandarin leave lines still verified)
SECOND_ROUND_YES = [
    # a third round: his name, then a greeting or an offer of help (asked again after round two)
    ("Katherine Taylor", "Katie speaking, can I help you?"),
    ("Jennifer White", "Jen here, hi"),
    ("William Smith", "Bill speaking, what do you need"),
    ("William Smith", "Hey, Bill here."), ("William Smith", "Bill Smith speaking."),
    ("William Smith", "It's Billy, what's up?"), ("Robert Brown", "Rob speaking, who's this?"),
    ("Robert Brown", "Bobby here, what do you need?"), ("Jennifer White", "Jenny speaking."),
    ("John Smith", "who... oh, yeah that's me, what's up"), ("李明", "啥？哦哦 我就是"),
    ("李明", "不是 哦 是的是的 我就是李明"), ("李明", "嗯？哦 是我 你说"),
]  # fmt: skip
SECOND_ROUND_NOT = [
    ("Jennifer White", "Jan here, hi"),
    ("Katherine Taylor", "Kate Smith here, hi"),
    ("John Smith", "Mike here, hi"),
    ("John Smith", "John's phone, hi"),
    ("John Smith", "Smith here, hi"),
    ("William Smith", "it's Bob"), ("Jennifer White", "Jan here"),
    ("Robert Brown", "Bill speaking, what can I do for you"),
    ("John Smith", "Smith Brothers Plumbing"),
    ("John Smith", "Good afternoon, Smith and Jones"), ("John Smith", "yes, Smith's garage"),
    ("John Smith", "Smith Family Dental, this is Amy"), ("John Smith", "hello, Acme Roofing"),
    ("李明", "您好 明辉贸易公司"), ("李明", "喂 这里是李家小院"), ("李明", "你好，李氏兄弟汽修"),
    ("李明", "喂 老李家 你哪位"), ("李明", "哦 嗯 你说吧"), ("李明", "嗯 好的 我在听"),
    ("李明", "嗯 你说 我听着呢"), ("李明", "嗯嗯 请讲请讲"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "line"), SECOND_ROUND_YES)
def test_second_round_right_party_verifies(name: str, line: str) -> None:
    lang: Lang = "en" if line.isascii() else "zh"
    state, keys, _ = run(lang, name, VerificationMode.NAME, [line])
    assert state.verified, keys


@pytest.mark.parametrize(("name", "line"), SECOND_ROUND_NOT)
@pytest.mark.parametrize("mode", MODES)
def test_second_round_others_verify_nobody(name: str, line: str, mode: VerificationMode) -> None:
    lang: Lang = "en" if line.isascii() else "zh"
    state, keys, texts = run(lang, name, mode, [line])
    assert not state.verified, keys
    assert state.stage.value == "verify_name", keys
    assert _safe(texts)
