"""The words that mining reads, per signal and language (regular expressions, lower case).

Each signal is a cue a person would underline in a transcript: a willingness or an unwillingness
to pay, a hedge on a promise, one of four attitudes, one of four stated reasons, a promise.
Kept in one table so both languages stay side by side and a reviewer can read what counts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

ATTITUDES = ("cooperative", "evasive", "hostile", "distressed")
REASONS = ("job_loss", "illness", "dispute", "forgot")
STANCES = ("willing", "unwilling", "hedge", "promise")

_EN: Mapping[str, str] = {
    "willing": r"\b(i('ll| will) (pay|send|transfer|settle)|i can pay|no problem|definitely"
    r"|for sure|i('ll| will) take care of it|happy to pay)\b",
    "unwilling": r"\b(won'?t pay|not (going to|gonna) pay|refuse|not paying|no money|leave me alone"
    r"|stop calling|never pay|not my problem)\b",
    "hedge": r"\b(maybe|try|i'?ll see|probably|not sure|perhaps|we'?ll see|i guess|might"
    r"|hopefully|if i can)\b",
    "promise": r"\b(i('ll| will)|i can|i could) (pay|send)\b|\bpay (you |it )?(on|by|this|next"
    r"|tomorrow|friday|monday)\b",
    "cooperative": r"\b(thanks?|thank you|sure|okay|ok|yes|of course|glad|appreciate)\b",
    "evasive": r"\b(busy|call (me )?(back|later)|not a good time|driving|in a meeting|later"
    r"|who is this|don'?t know|can'?t talk)\b",
    "hostile": r"\b(damn|hell|shut up|idiot|stupid|scam\w*|harass\w*|sue|lawyer|go away"
    r"|f+u+c+k\w*|screw)\b",
    "distressed": r"\b(sorry|struggling|can'?t afford|hard time|desperate|stress\w*|worried"
    r"|please|overwhelmed|behind on everything)\b",
    "job_loss": r"\b(lost (my )?job|laid off|unemployed|out of work|fired|no (job|work)"
    r"|between jobs)\b",
    "illness": r"\b(sick|ill|illness|hospital\w*|surgery|medical|cancer|injur\w*|doctor)\b",
    "dispute": r"\b(dispute|never (took|borrowed)|not my (loan|debt)|fraud|wrong amount"
    r"|don'?t owe|already paid)\b",
    "forgot": r"\b(forgot|forget|slipped my mind|didn'?t (know|realize)|wasn'?t aware|missed it)\b",
}
_ZH: Mapping[str, str] = {
    "willing": r"我(会|可以|能|马上|一定)还|马上还|一定还|没问题|肯定还|这就还",
    "unwilling": r"不还|不会还|不想还|没钱|别再打|不要再打|拒绝|不管|爱咋咋",
    "hedge": r"可能|试试|看看吧|尽量|再说|不一定|说不准|争取|也许",
    "promise": r"(周[一二三四五六日天]|明天|后天|下周|月底|号|今天).{0,6}还|还.{0,6}(块|元)",
    "cooperative": r"谢谢|好的|可以|没问题|行|明白",
    "evasive": r"在忙|很忙|开车|开会|晚点|以后再说|再打|回头|不方便|你是谁",
    "hostile": r"滚|骗子|神经病|烦死|投诉|骚扰|律师|闭嘴|去死|有病",
    "distressed": r"困难|太难|压力|着急|求求|帮帮|对不起|不好意思|没办法|撑不下去",
    "job_loss": r"失业|丢了工作|被裁|裁员|没工作|下岗|工作没了",
    "illness": r"生病|住院|病了|手术|看病|医院|受伤",
    "dispute": r"没借过|不认|不是我的|诈骗|金额不对|已经还了|有异议",
    "forgot": r"忘了|忘记|不知道要还|没注意|没想起来",
}
PATTERNS: Mapping[str, Mapping[str, re.Pattern[str]]] = {
    "en": {k: re.compile(v, re.I) for k, v in _EN.items()},
    "zh": {k: re.compile(v) for k, v in _ZH.items()},
}
# what an NLU intent adds when a parser is given (its words are the whole line)
INTENT_SIGNALS: Mapping[str, tuple[str, ...]] = {
    "promise_to_pay": ("promise", "willing"),
    "refuse": ("unwilling",),
    "stop_calling": ("unwilling", "hostile"),
    "hardship": ("distressed",),
    "dispute": ("dispute",),
    "callback_later": ("evasive",),
    "installment": ("willing",),
}
