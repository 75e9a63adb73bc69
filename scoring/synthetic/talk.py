"""What a simulated debtor says on a call, driven by the hidden behaviour profile.

Used to give the simulated history transcripts (the mining benchmark). The persona picks the
stated reason (hardship: job loss or illness; disputer: a dispute; forgetful: forgot) and the
attitude (avoiders evade and sometimes turn hostile, hardship debtors sound distressed); the
hidden promise-keeping rate decides whether a promise is made firmly or hedged ("maybe I can
try Friday"), which is what a listener would notice and the history alone does not show. Lines
that carry nothing (greetings, yes) are mixed in, and any persona sometimes says any line.
"""

from __future__ import annotations

import random

from scoring.synthetic.portfolio import BehaviourProfile

LINES: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "neutral": ("Yes, speaking.", "Hello?", "Okay.", "Uh-huh.", "Right."),
        "firm": ("I will pay on Friday, no problem.", "I can pay it next Monday, definitely.",
                 "Sure, I'll pay by the fifteenth."),
        "hedged": ("Maybe I can try to pay on Friday.", "I'll see, I might pay next week.",
                   "Probably I can pay something, not sure when."),
        "job_loss": ("I lost my job last month.", "I was laid off, I'm out of work."),
        "illness": ("I've been sick and in the hospital.", "I had surgery, medical bills."),
        "dispute": ("I never took this loan.", "I don't owe this, it's the wrong amount."),
        "forgot": ("Oh, I forgot about it.", "Sorry, it slipped my mind."),
        "evasive": ("I'm busy, call me back later.", "I'm driving, not a good time.",
                    "Who is this? I can't talk."),
        "hostile": ("Stop harassing me.", "This is a scam, go away.", "I'll call my lawyer."),
        "distressed": ("I'm really struggling, please.", "I can't afford it, I'm so worried."),
        "cooperative": ("Thank you for calling.", "Okay, I appreciate it."),
        "refuse": ("I won't pay.", "Leave me alone, I'm not paying."),
    },
    "zh": {
        "neutral": ("喂？", "嗯。", "是我。", "对。", "你说。"),
        "firm": ("周五我一定还，没问题。", "下周一我马上还。", "十五号我会还的。"),
        "hedged": ("我尽量周五还吧。", "可能下周能还一点，不一定。", "我试试看，再说吧。"),
        "job_loss": ("我上个月失业了。", "公司裁员，我没工作了。"),
        "illness": ("我生病住院了。", "刚做了手术，在看病。"),
        "dispute": ("这笔钱我没借过。", "金额不对，我不认。"),
        "forgot": ("哎呀我忘了。", "不好意思，没注意到。"),
        "evasive": ("我在忙，晚点再打。", "我在开车，不方便。", "你是谁？回头再说。"),
        "hostile": ("别骚扰我了。", "骗子吧你们，滚。", "我要投诉你们。"),
        "distressed": ("我现在真的很困难。", "压力太大了，求求你们。"),
        "cooperative": ("谢谢你们。", "好的，明白。"),
        "refuse": ("我不还。", "没钱，别再打了。"),
    },
}  # fmt: skip
PERSONA_MOODS = {
    "cooperative": ("cooperative",),
    "forgetful": ("forgot", "cooperative"),
    "hardship": ("distressed",),
    "avoider": ("evasive", "evasive", "hostile"),
    "disputer": ("dispute", "hostile"),
    "already_paid": ("cooperative",),
}
NOISE = 0.15  # share of lines drawn from any category (people are not their persona)


def debtor_lines(
    profile: BehaviourProfile, outcome: str | None, lang: str, rng: random.Random
) -> list[str]:
    """What the debtor says on one answered call that reached them (2-4 lines)."""
    bank = LINES["zh" if lang == "zh" else "en"]
    said = [rng.choice(bank["neutral"])]
    moods = PERSONA_MOODS.get(profile.persona, ("neutral",))
    said.append(rng.choice(bank[rng.choice(moods)]))
    if profile.persona == "hardship":
        said.append(rng.choice(bank[rng.choice(("job_loss", "illness"))]))
    if outcome == "promise":
        firm = rng.random() < profile.promise_keep_rate
        said.append(rng.choice(bank["firm" if firm else "hedged"]))
    elif outcome == "refused":
        said.append(rng.choice(bank["refuse"]))
    if rng.random() < NOISE:
        said[rng.randrange(len(said))] = rng.choice(bank[rng.choice(sorted(bank))])
    return said
