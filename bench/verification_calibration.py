"""How often would something that is not "yes, that's me" pass right-party verification?

For each language: every utterance of the NLU's held-out test sets (``test`` and
``test_hard``) whose intent is not ``affirm``, a probe set of first answers strangers give and
the recogniser's inventions, and random text; each parsed by the shipped parser. "Before" is the
old rule (any ``affirm`` the parser returns verifies); "after" is
``nlu.policy.verification.confident_yes`` with the text heard exactly (recogniser confidence
1.0: the recogniser's own check comes on top). Also the affirm score sweep the threshold was
chosen from, and how many true affirmations still pass. Run with
``.venv/bin/python bench/verification_calibration.py``.
"""

from __future__ import annotations

import random

from core.dialogue import Lang
from nlu.evaluation import EVAL_TODAY
from nlu.parser import default_parser
from nlu.policy.verification import AFFIRM_MIN_CONFIDENCE, confident_yes
from nlu.training_data import load_split, normalize

PROBES: dict[Lang, list[str]] = {
    "en": ["who", "who?", "Who is this?", "who's calling", "what", "huh", "hello?", "Yes?",
           "okay?", "What is this about?", "Thank you.", "you", "Thanks for watching!", "Bye.",
           "I", "so", "Mm-hmm.", "sorry?", "Sorry, yes.", "Okay.", "Two.", "There's calling.",
           "yes yes yes yes", "Hello.", "speaking?", "Who do you want?"],
    "zh": ["你找谁", "轻轻轻的", "谁", "喂", "喂？", "你是谁", "哪位", "什么事",
           "字幕由Amara.org社区提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
           "明镜与点点栏目", "嗯", "啊", "好", "对对对对", "是是是是", "谢谢观看", "哈哈哈",
           "谁啊", "找谁呀", "比我。", "别的。", "等一会。", "是吗？", "你说什么？", "刘宇宙。"],
}  # fmt: skip
WORDS: dict[Lang, str] = {
    "en": "the a to of and in is it you that he was for on are with as his they be at one have"
    " this from or had by but what some we can out other were all there when up your how said"
    " an each she which do their time if will way about many then them would like so these",
    "zh": "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可"
    "下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女",
}


def _random_lines(lang: Lang, count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    if lang == "en":
        words = WORDS["en"].split()
        return [" ".join(rng.choices(words, k=rng.randint(1, 5))) for _ in range(count)]
    chars = WORDS["zh"]
    return ["".join(rng.choices(chars, k=rng.randint(1, 6))) for _ in range(count)]


def _passing(lang: Lang, lines: list[str]) -> tuple[int, int]:
    """(passes the old rule, passes the new one) over ``lines``."""
    parser = default_parser()
    before = after = 0
    for text in lines:
        parse = parser.parse(text, lang, EVAL_TODAY)
        before += parse.intent == "affirm"
        after += confident_yes(text, parse.heard_with(1.0), lang)
    return before, after


def main() -> None:
    parser = default_parser()
    print(f"affirm threshold {AFFIRM_MIN_CONFIDENCE}")
    for lang in ("en", "zh"):
        lang_: Lang = "zh" if lang == "zh" else "en"
        tests = [e for split in ("test", "test_hard") for e in load_split(lang_, split)]
        others = [e.text for e in tests if e.intent != "affirm"]
        affirms = [e.text for e in tests if e.intent == "affirm"]
        scores = parser.classifier.probabilities([normalize(t) for t in others], lang_)
        top = max(s["affirm"] for s in scores)
        print(f"\n{lang}: {len(others)} non-affirm test utterances, highest affirm score {top:.3f}")
        for name, lines in (
            ("non-affirm test utterances", others),
            ("stranger/recogniser probes", PROBES[lang_]),
            ("random text", _random_lines(lang_, 2000)),
            ("affirm test utterances (should pass)", affirms),
        ):
            before, after = _passing(lang_, lines)
            print(f"  {name:<38} n={len(lines):5}  verify before {before:5}  after {after:5}")
        sweep = parser.classifier.probabilities(
            [normalize(t) for t in _random_lines(lang_, 2000)], lang_
        )
        for threshold in (0.5, 0.6, 0.7, 0.8, 0.9):
            n = sum(s["affirm"] >= threshold for s in sweep)
            kept = sum(
                p.intent == "affirm" and p.confidence >= threshold
                for p in (parser.parse(t, lang_, EVAL_TODAY) for t in affirms)
            )
            print(f"  threshold {threshold}: random text scoring affirm >= it {n:4}/2000;"
                  f" affirm test utterances kept {kept}/{len(affirms)}")  # fmt: skip


if __name__ == "__main__":
    main()
