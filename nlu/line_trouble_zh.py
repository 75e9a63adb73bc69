"""A Mandarin answer that is about the call itself, not the debt: the line is bad or the place
is loud ("我在外面 太吵了", "信号不好 你大点声"), or the speaker did not hear ("你说啥", "你刚才说
什么"). Neither is a callback request nor a yes: the bot says its question again
(``out_of_scope``). A request to call later said with it ("太吵了 等会再打") stays a callback,
and any word of the debt, of who speaks or of anyone else leaves the line to the classifier.

``line_trouble_zh(text)`` reads a ``normalize``'d utterance (pauses as spaces).
"""

from __future__ import annotations

import re

# the line or the place: too loud, a bad signal, a voice too faint or broken
_BAD_LINE = re.compile(
    r"[太好很真特别]吵|吵死|听不[清见到]|听不太[清见]|信号(?:不太?好|很?差|太差|不行)|声音(?:太|有点)?小"
    r"|断断续续|风(?:太|很|好)?大"
)
# speak up, slow down: "你大点声", "说慢点"
_SPEAK_UP = re.compile(r"大(?:一)?点声|大声(?:一)?点|(?:说|讲)?慢(?:一)?点")
_FILLER = re.compile(r"[喂嗯啊哦呃哎诶]+")
# did not hear: "what did you say?"
_REPEAT = re.compile(
    r"(?:说|讲)(?:的)?(?:啥|什么)(?!时候)|没听(?:清|懂|明白|见|到)|再说一遍|再讲一遍|^(?:啥|什么)$"
)
# a request to call later, the debt, who speaks or anyone else: the classifier's
_OTHER_BUSINESS = re.compile(
    r"再打|晚点|晚些|等会|等一会|一会|待会|回头|打给我|打过来|回电|以后|明天|改天|下次|联系"
    r"|还|钱|款|付|欠|账|金额|多少|是我|本人|不是|谁|哪位|打错|他|她|找|工作|开车|开会|忙"
)
_CLAUSE = re.compile(r"\s+")


def line_trouble_zh(text: str) -> bool:
    """Whether the whole utterance complains of the line or asks to hear the question again
    (each clause either says so, or is a word or two of where the speaker is or a filler)."""
    if not text.strip() or _OTHER_BUSINESS.search(text):
        return False
    clauses = [c for c in _CLAUSE.split(text.strip()) if c]
    said = [c for c in clauses if _BAD_LINE.search(c) or _REPEAT.search(c)]
    if not said:
        return False
    # "我在外面 太吵了", "本 你说啥", "信号不太好 喂喂": the rest is where the speaker is, a
    # request to speak up, a filler or a lone sound
    return all(
        c in said
        or c.startswith(("我在", "在"))
        or _SPEAK_UP.fullmatch(c.removeprefix("你"))
        or _FILLER.fullmatch(c)
        or len(c) <= 1
        for c in clauses
    )
