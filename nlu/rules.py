"""Rules on top of the classifier for the intents with legal weight, and an abuse lexicon
(answering machines: ``nlu.machine_greeting``).

Classifiers confuse "stop calling me" with callback_later; a missed cease request or dispute is a
compliance breach, so these patterns override the classifier. Order is priority: a debtor who
says "I don't owe this, stop calling me" has asked to stop calling.
"""

from __future__ import annotations

import re

from core.dialogue import Intent
from nlu.concession import acknowledges
from nlu.given_names import GIVEN_NAMES_EN
from nlu.legal_en import AMOUNT_DISPUTE_EN, ASK_RELIEF_EN, ATTORNEY_EN, BANKRUPTCY_EN

# "he moved out", "she doesn't live here any more", "this isn't his number any more"
_MOVED_EN = (
    r"\b(?:he|she|they|he'?s|she'?s|they'?re|they'?ve)\s+(?:\w+\s+)?moved\b(?!\s+(?:in|back)\b)"
    r"|\bmoved\s+(?:out|away)\b"
    # "lives" in the South and in AAVE is also "stays": "she don't stay here no more"; a stay
    # that is only for now ("not staying here tonight") is no move
    r"|\b(?:doesn'?t|does not|don'?t|dont|do not|no longer|not|ain'?t|aint|never)\s+(?:\w+\s+)?"
    r"(?:lives?|living|stays?|staying(?=\s+\w+(?:\s+\w+)?\s+(?:no more|any\s?more)))\s+"
    r"(?:here|there|at this)"
    r"|\b(?:hasn'?t|has not|haven'?t|have not|ain'?t|aint)\s+(?:lived|stayed)\s+(?:here|there)"
    # "he ain't been here in years" (not "all day": that is a third party)
    r"|\b(?:hasn'?t|has not|haven'?t|have not|ain'?t|aint)\s+been\s+(?:here|there|around)\s+"
    r"(?:in|for|since)\s+(?:years|months|ages|a (?:long )?(?:while|time)|\d{4}|(?:a|two|three"
    r"|four|five|six|\d+|a couple|a few)\s+(?:of\s+)?(?:years?|months?))\b"
    r"|\bused to (?:live|stay) (?:here|there|at this)\b|\blived here before\b"
    r"|\bprevious (?:tenant|owner|occupant|resident)s?\b"
    r"|\b(?:isn'?t|is not|not|no longer)\s+(?:his|her|their)\s+(?:number|phone)\b"
    r"|\b(?:changed|got a new)\s+(?:his|her|their)\s+(?:number|phone)\b"
)
# a debt disowned: "not (even) my loan", "that ain't my debt", "the bill isn't mine", "paying
# for something that ain't mine"; a phone or number that is not theirs is a wrong number
_DEBT_NOUN_EN = r"(?:debt|loan|account|bill|balance|card|credit card|money|charge)s?"
_NOT_MINE_EN = (
    rf"\b(?:not|ain'?t|aint|isn'?t|wasn'?t|never was|never)\s+(?:even\s+)?my\s+{_DEBT_NOUN_EN}\b"
    rf"|\b(?:it|that|this|something|{_DEBT_NOUN_EN})(?:\s+that)?(?:'?s|\s+is|\s+was)?\s+"
    r"(?:not|ain'?t|aint|isn'?t|wasn'?t|never(?:\s+been)?)\s+(?:even\s+)?mine\b"
)
# a request for the debt in writing (validation: a right of the debtor, FDCPA 809): "can you
# just mail me something", "send me that in writing", "I want a letter showing what this is",
# "not paying till I see a statement"; not a payment's address or link ("mail me the address",
# "text me the link") and not letters already received ("I got your letters")
_PAPER_EN = (
    r"(?:letter|statement|paperwork|papers|documents?|documentation|proof|bill|notice|contract)"
)
_WRITTEN_EN = (
    r"\b(?:mail|post|send|email|e-mail)\s+(?:me|us)\s+(?:\w+\s+)?(?:something|anything|that|it|this"
    rf"|the details|(?:a|an|the|some|your)\s+(?:\w+\s+)?{_PAPER_EN}s?)\b(?!\s+(?:address|link))"
    r"|\b(?:put|send|have|get|give)\s+(?:\w+\s+){0,2}?in writing\b(?!\s+only\b)"
    r"|\bin writing (?:first|before)\b"
    rf"|\b(?:want|need|like|see|get|show me|have)\s+(?:a|an|the|some|that|your)\s+(?:\w+\s+)?"
    rf"{_PAPER_EN}s?\s+(?:(?:that|which)\s+)?(?:show(?:ing|s)?|saying|says|proving|proves"
    r"|explaining|explains|with|from|of what)\b"
    r"|\b(?:till|until|unless|before|til)\s+(?:i|we)\s+(?:see|get|receive|have)\s+(?:\w+\s+){0,3}?"
    rf"(?:{_PAPER_EN}s?|something in writing|it in writing)\b"
    r"|\bvalidat(?:e|ion)\b"
)
_MOVED_ZH = r"搬走|搬家了|搬出去|不住(?:在)?(?:这|這)|不在(?:这|這)(?:里|儿)?住|换号了|不用这个号"

# "we have no Daniel", "no Marcus works here": a common given name (no everyday word: "we have
# no idea") unknown where the call was answered, the clause ending on it
_NO_SUCH_NAME_EN = (
    r"(?:\b(?:there'?s|there is|we(?:'ve)? got|we have|ain'?t)\s+no|\bwe don'?t have an?y?"
    rf"|^(?:(?:uh|um|sorry|oh)\s+)*no)\s+(?:{'|'.join(sorted(GIVEN_NAMES_EN, key=len)[::-1])})"
    r"(?:\s+(?:works?|working|lives?|living)\s+here)?(?=$|\s+(?:sorry|here|at|in)\b)"
)
_EN: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        "stop_calling",
        re.compile(
            r"\b(stop|quit|cease)\s+(?:\w+\s+){0,2}?"
            r"(calling|phoning|contacting|harass|these calls|the calls)"
            r"|\b(don'?t|do not|never|dont)\s+(ever\s+)?(call|contact|phone)\b"
            r"|\bno more (phone )?calls\b|\b(take|remove|delete) (me|my number|this number)"
            r"\b(?! to\b)"
            r"|\bdo not call list\b|\blose (?:my|this|that|the) number\b|\brevoke\b.*\bconsent\b"
            r"|\bcease (all )?(communication|contact)\b|\bin writing only\b"
            r"|\bcalls? to stop\b|\bcan'?t call me anymore\b"
            # telephone-band Whisper hears "please stop calling me" as "please start calling
            # me" (1 in 12 measured); no debtor asks a collector for more calls
            r"|\b(please )?start (calling|contacting|phoning) me\b",
            re.I,
        ),
    ),
    (
        "dispute",
        re.compile(
            r"\b(don'?t|do not|dont) owe\b|\bdisput"
            # "it's not even my loan", "that ain't my debt", "something that ain't mine"
            rf"|{_NOT_MINE_EN}"
            r"|\bnever (took out|borrowed|had|opened|signed|got that money|applied)"
            r"|\bidentity theft\b|\b(stole|used) my identity\b"
            # "that's fraud" disputes; "is this a fraud call?" suspects the caller (below)
            r"|(?<!is this )(?<!is this a )(?<!one of those )\bfraud\b(?!\s+calls?\b)"
            r"|\bvalidation notice\b|\bcontest"
            # "somebody must have used my name", "someone opened that in my name"
            r"|\b(?:somebody|someone|some \w+|they|he|she)\b.{0,25}\b(?:used|stole|took|opened"
            r"|took out|put)\b.{0,25}\b(?:my name|my identity|my info(?:rmation)?|my social"
            r"|my ssn)\b"
            r"|\bproof (that )?i owe\b|\bverification of the debt\b"
            rf"|{AMOUNT_DISPUTE_EN}"
            rf"|{_WRITTEN_EN}",
            re.I,
        ),
    ),
    (
        "request_agent",
        re.compile(
            # ("am I speaking to a real person?", "is this a real human?" ask who calls)
            r"(?<!\bam i )(?<!\bare we )\b(speak|talk|transfer|connect|put)\b(?!ing (?:to|with) an?"
            r" (?:real|actual|live) (?:human|person)\b)"
            r".{0,25}\b(human|person|agent|representative"
            r"|supervisor|manager|somebody|someone|operator)\b"
            r"|^(agent|representative|operator|human)( please)?( \w+)?$"
            r"|\blive (agent|person)\b",
            re.I,
        ),
    ),
    # a bankruptcy filed (not "I'm practically bankrupt"): collection must stop for it, a
    # person takes it (the transcript says why)
    ("request_agent", re.compile(BANKRUPTCY_EN, re.I)),
    ("request_agent", re.compile(ATTORNEY_EN, re.I)),
    # relief on the fees asked for: answered with a plan, as 能不能减免利息 is
    ("installment", re.compile(ASK_RELIEF_EN, re.I)),
    (
        "wrong_number",
        re.compile(
            r"\bwrong (number|person|guy)\b|\bno(body| one)\b.{0,20}\bby that name\b"
            # "you dialed wrong", "i think you called wrong, pal"
            r"|\byou(?:'?ve| have)?\s+(?:dialed|dialled|called|rang|phoned)\s+(?:it\s+)?wrong\b"
            # "there's nobody called Daniel here", "we got no one named that at this number"
            r"|\bno(?:body| one| \w+)\s+(?:called|named)\s+"
            r"(?!(?:me|you|him|her|us|them|it|back)\b)\w+\s+(?:here|at this)\b"
            r"|\bno such person\b|\bnever heard of (him|her|them|that)\b"
            # "there's no Kevin here", "we don't have a Kevin at this number" (a name, not "no one")
            r"|\b(?:(?:there'?s|there is|we(?:'ve)? got|we have|ain'?t)\s+no|we don'?t have an?y?)"
            r"\s+(?!(?:one|body|money|way|time|need|problem|point|reason|signal|service)\b)[a-z]+"
            r"\s+(?:here|at this (?:number|address|house))\b"
            r"(?!\s+(?:right now|today|at the moment))"
            rf"|{_NO_SUCH_NAME_EN}"
            # moved away: this number no longer reaches them (not a third party to ask)
            rf"|{_MOVED_EN}",
            re.I,
        ),
    ),
)

# someone else's debt, the caller sent to them: 我老公的账你别找我, 他欠的钱你找他去 (the one who
# answers is not the debtor: a third party; "it was my ex who borrowed it, I never signed" said
# by the debtor is a dispute and names no one to go to)
_KIN_ZH = (
    r"(?:老公|老婆|丈夫|媳妇儿?|爱人|对象|男人|男朋友|女朋友|儿子|女儿|闺女|孩子|爸爸?|妈妈?|老汉"
    r"|老爸|老妈|弟弟?|哥哥?|姐姐?|妹妹?|前夫|前妻|家里人|他|她)"
)
_SOMEONE_ELSES_ZH = (
    rf"{_KIN_ZH}(?:的|欠的|借的)(?:账|债|钱|贷款|事儿?)"
    r"[^。]{0,12}?(?:(?:你们?|就)?(?:别|不要|甭|莫)(?:来)?找我|(?:你们?|就)?(?:去)?找(?:他|她)(?:去|本人)?"
    r"|跟我(?:说|讲)(?:也)?(?:没用|有啥用|有什么用)|我(?:不管|管不了|不负责))"
)
# a request to cut the interest or the fees (利息能不能少一点, 能不能减免一点利息): what the policy
# answers with a plan (a dispute over the rate, 高利贷 / 乱收费, is ruled first)
_ASK_ZH = r"(?:能不能|能否|可不可以|可以|能|行不行|帮我|给我|申请|想|希望)"
_FEES_ZH = r"(?:利息|罚息|违约金|滞纳金|手续费)"
_RELIEF_ZH = r"(?:减免|免掉|免了|免除|少算|少收|减少|减一?点|少一?点|打个?折|优惠)"
_ASK_RELIEF_ZH = (
    rf"{_ASK_ZH}[^,，。]{{0,8}}?(?:减免|免除|少算|打个?折|优惠)"
    rf"|{_FEES_ZH}[^,，。]{{0,8}}?{_RELIEF_ZH}"
    rf"|{_ASK_ZH}[^,，。]{{0,6}}?{_RELIEF_ZH}[^,，。]{{0,4}}?{_FEES_ZH}"
)

_ZH: tuple[tuple[Intent, re.Pattern[str]], ...] = (
    (
        "stop_calling",
        re.compile(
            r"(别|不要|不许|不准|停止)(再)?(给我|往我|打我|打到我)?.{0,4}(打|来电|联系|骚扰)"
            r"|骚扰|删(掉|除)?(我的)?号码|拉黑|别打了"
        ),
    ),
    ("third_party", re.compile(_SOMEONE_ELSES_ZH)),
    # a bankruptcy filed (not 我都快破产了): a person takes it
    (
        "request_agent",
        re.compile(r"申请(?:了|过)?(?:个人)?破产|破产(?:申请|程序|清算|重整|案)|宣告(?:了)?破产"),
    ),
    # a lawyer acting for the debtor (我请了律师, 跟我律师说, 律师在处理): a person takes it, as
    # for "I have an attorney" (not 你是律师吗, 我是他的律师, nor a threat: 再打我就找律师)
    (
        "request_agent",
        re.compile(
            r"(?:请|委托|找|聘)了(?:个|一个|专业)?律师|委托律师"
            r"|(?:跟|和|找|联系|问|去找)我(?:的)?律师|我(?:的)?律师(?:会|已经|在|来|跟|和|联系|处理)"
            r"|(?:交给|让)律师|律师(?:在|正在)?(?:处理|代理|负责|跟进)"
        ),
    ),
    (
        "dispute",
        re.compile(
            r"没借过|不是我借的|(?<!没说)(?<!不是)(?<!又没)不欠|异议|冒用|盗用|没申请过|没有这笔"
            r"|(?<!没说)(?<!不是)(?<!又没)(?<!并没)不认(这|账)|不是我的(账|债)"
            r"|没签过|申诉|算错|乱收费|高利贷|这笔债不是"
            # the amount disputed: 我只借了三千, 怎么变成这么多, 没借那么多, 金额不对
            r"|(?:只|就|才)(?:借了?|欠了?|贷了?|借过)(?:[零一二两三四五六七八九十百千万0-9]|这么|那么)"
            r"|怎么(?:变成|会有|会是|成了)(?:这么|那么)多|没(?:有)?(?:借|欠)(?:这么|那么)多"
            r"|金额不对|数(?:目|字)?不对|多算了"
            r"|(?:账|债|这笔|那笔|贷款)(?:也|都|根本|压根)?不是我(?:的|借的|欠的)"
        ),
    ),
    (
        "request_agent",
        re.compile(
            r"转人工|人工客服|要人工|找人工|接人工|人工服务|转接|(找|要|跟|和)真人|真人客服|^人工"
        ),
    ),
    (
        "wrong_number",
        re.compile(rf"打错|没有这个人|没这个人|查无此人|找错人|拨错|{_MOVED_ZH}"),
    ),
    ("installment", re.compile(_ASK_RELIEF_ZH)),
)

# An acknowledgement ("I know I'm behind", 我知道最近手头紧): the debtor concedes the point and
# asks for nothing (not a callback, not a yes to the question). The whole utterance must be one:
# fillers, an "I know" phrase, and at most an admission of being behind.
_ACK_FILLER_EN = (
    r"(?:(?:uh|um|oh|ok|okay|alright|all right|right|yeah|yes|yep|well|look|sure|hmm)\s*)*"
)
_ACK_EN = re.compile(
    rf"^{_ACK_FILLER_EN}(?:i know|i knew|i understand|i'?m aware|i am aware|i realize|i get it"
    r"|got it|understood|i hear you|fair enough|i'?m not denying (?:it|that))"
    r"(?:\s+(?:i know|that|it|of that|all that|that already))*"
    r"(?:\s+(?:that\s+)?(?:i'?m|i am|i'?ve been|i have been|it'?s|it is|we'?re|i|i still)\s+"
    r"(?:a (?:little|bit|few \w+) )?(?:behind|late|overdue|past due|owe(?: (?:you|it|money|you guys"
    r"|that))?|in arrears|been late|been behind)(?: on (?:it|this|that|the \w+|my \w+|payments?))?"
    r"(?: again| already)?)?\s*$"
)
_ACK_ZH = re.compile(
    r"^[嗯哦啊呃噢对是好行哎唉呀嘛的了啦吧,， ]*(?:我)?(?:都|也)?"
    r"(?:知道|晓得|明白|清楚|了解|理解|心里有数)"
    r"(?:了|啦|的|呀|啊|嘛|呢|我知道|知道了|明白)*"
    r"(?:[,， ]*(?:我)?(?:是|确实|最近|这段时间|现在)*(?:手头|手里|经济)?(?:有点|比较|挺|很)?"
    r"(?:紧|逾期了?|欠着(?:呢)?|欠(?:你们)?钱|拖了|晚了|没还|还没还|心里有数))?"
    r"[了呢啊呀的吧嘛,， ]*$"
)

# a Mandarin utterance of hesitation only ("嗯 那个", "呃…就是…"): the speaker has not said
# anything yet. 嗯 / 嗯嗯 alone are a yes (backchannel), so is 就是就是; 那个, 这个, 呃 make it
# a pause
_HESITATION_ZH = re.compile(
    r"^(?=.*(?:那个|这个|那啥|然后|呃|额))"
    r"(?:嗯|呃|额|啊|哦|那个|这个|就是说?|那啥|然后|[ ,，.。…])+$"
    r"|^(?:嗯[ ,，.。…]*){4,}$"  # a long run of 嗯 is noise in nlu/data, never an answer
)


# a negated dispute or refusal (我没说不认这笔账, 我又不是不认账, 我不是不还, 我不否认): a
# concession. Taken out so that neither the dispute rule nor the classifier (which learnt 不认
# as a dispute, 不还 as a refusal) reads it; when nothing else is said, it is said as 我知道
_CONCEDED_ZH = re.compile(
    r"我?(?:又|并|也|从来)?(?:没说(?:过)?|没有说(?:过)?|不是|并不是)(?:我)?(?:不认|不想还|不还)"
    r"(?:这笔账|这个账|这笔钱|这笔|账|钱)?|我?(?:不否认|没否认)(?:这笔账|这个账|这笔钱|这笔|账)?"
)
_LEFT_OVER = re.compile(r"^[\s,，。啊呀的了嘛呢吧]*$")


def without_conceded_dispute_zh(text: str) -> str:
    """``text`` without its negated Mandarin disputes (我知道 when nothing else is left)."""
    rest = _CONCEDED_ZH.sub(" ", text)
    if rest == text:
        return text
    return "我知道" if _LEFT_OVER.match(rest) else " ".join(rest.split())


def is_hesitation(text: str, lang: str) -> bool:
    """Whether the utterance is hesitation only ("嗯 那个"), never an answer (Mandarin)."""
    return lang == "zh" and bool(_HESITATION_ZH.match(text.strip()))


# "I paid this" said in the past tense is the already-paid claim, whatever else surrounds it
# ("I don't understand why you're calling, I paid this"); a promise ("I'll pay") never matches
_PAID_EN = re.compile(
    r"\b(?:i|we|my \w+)(?:'ve|\s+have)?\s+(?:already\s+|just\s+)?(?:paid|payed)\b(?!\s+for\b)"
    # "my girl sent y'all the money": someone of theirs paid it
    r"|\b(?:i|we|my \w+)(?:'ve|\s+have)?\s+(?:already\s+|just\s+)?"
    r"(?:sent|mailed|made|took care of)\s+"
    r"(?:it|that|this|the (?:money|payment|bill|balance)|a (?:payment|check)|my payment"
    r"|(?:you|y'?all|you guys) (?:the money|a check|the payment))\b"
    # "I sent y'all two hundred on the second", "my son mailed you guys $300"
    r"|\b(?:i|we|my \w+)\s+(?:already\s+|just\s+)?(?:sent|mailed|wired|gave)\s+"
    r"(?:(?:you all|you|y'?all|you guys|ya|your (?:company|office))\s+)?(?:like\s+|about\s+)?"
    r"(?:\$?\d|(?:a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty"
    r"|forty|fifty|sixty|seventy|eighty|ninety) (?:hundred|grand|thousand|dollars|bucks)\b"
    r"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\b)"
    r"|\b(?:it'?s|it is|that'?s|that is|this is|(?:it|that|this) was|it'?s been|that'?s been"
    r"|has been)\s+"
    r"(?:already\s+)?paid\b|\balready paid\b"
)
_BARE_DAY_ZH = (
    r"(?:礼拜|星期|周)[一二三四五六日天]|[0-9一二三四五六七八九十]{1,3}(?:号|日)"
    r"|(?:昨|前)儿(?:个)?|大前天"
)
PAID_ZH = re.compile(
    r"(?:已经|早就|早都)(?:还|付|交|转|打)(?![不没])|(?:还|付|交)(?:清|完)了|还过(?:了|的)"
    r"|我(?:已经)?还了(?!一半就)|钱还了|已还"
    # a day gone by, then the payment done: 我昨天还了两千, 前天在网上还的, 上礼拜五用微信转了
    r"|(?:昨天|昨晚|前天|刚才|刚刚|上(?:个)?(?:周|礼拜|星期)[一二三四五六日天]|上个?月[^还付交转]{0,4})"
    r"(?:就|已经|刚|都)?(?:(?:在|用|通过|从)[^还付交转会要能]{1,5})?(?:还|付|交|转)(?:款|账|钱)?"
    r"(?:了|过|的(?!话))"
    # a bare day (周六, 礼拜一, 15号, 前儿个) then a pay verb done: 我礼拜六在支付宝上还了五百,
    # 礼拜一我儿子帮我转过去了; a day to come (下周六) or what follows the payment (还了就…) is none
    rf"|(?<![下这本])(?:{_BARE_DAY_ZH})(?:支付宝|[^,，。还付交转缴会要能再下明后]){{0,8}}?"
    r"(?:还|付|交|转|缴)(?:款|账|钱)?(?:过去|进去)?(?:了|过(?![去来]))"  # 周五转过去: to come
    r"(?![^,，。]{0,4}(?:就|再|以后|之后))"
)

_ABUSE_EN = re.compile(
    r"\b(fuck\w*|f\*+k|shit\w*|bitch\w*|asshole|bastard|cunt|dickhead|motherf\w*|go to hell"
    r"|piece of crap|screw you)\b",
    re.I,
)
_ABUSE_ZH = re.compile(r"傻逼|傻b|煞笔|他妈的|操你|草你|滚蛋|滚开|去死|王八蛋|混蛋|狗日|贱人|妈的")


def rule_intent(text: str, lang: str) -> Intent | None:
    """The legally weighty intent the text clearly expresses, if any."""
    for intent, pattern in _ZH if lang == "zh" else _EN:
        if pattern.search(text):
            return intent
    return None


def says_wrong_number(text: str, lang: str) -> bool:
    """Whether the text says the number is wrong or the one asked for is unknown here, whatever
    else it says ("there's no Thomas here, quit calling this number": a stranger's request)."""
    rules = _ZH if lang == "zh" else _EN
    return any(intent == "wrong_number" and p.search(text) for intent, p in rules)


def moved_away(text: str, lang: str) -> bool:
    """Whether the answer says the debtor moved away ("he moved out", 他搬走了)."""
    return re.search(_MOVED_ZH if lang == "zh" else _MOVED_EN, text.lower()) is not None


def is_acknowledgement(text: str, lang: str) -> bool:
    """Whether the whole utterance only acknowledges ("I know I'm behind", 我知道)."""
    if lang == "zh":
        return bool(_ACK_ZH.match(text.strip()))
    return bool(_ACK_EN.match(text.strip())) or acknowledges(text)


# "how about I paid it over twelve months?" (the recogniser's "paid" for "pay") proposes
_PROPOSAL_EN = re.compile(r"\b(?:how about|what about|what if)\s+(?:i|we)\s+(?:paid|payed)\b")


# "till it's paid off", "once it's paid", "when that's paid": a payment still to come
_PAID_LATER_EN = re.compile(
    r"\b(?:till|until|til|'til|untill|once|when|before|after|by the time)\s+(?:it'?s|it is|that'?s"
    r"|that is|it'?s been|it gets|it will be|it'?ll be|everything'?s)\s+(?:all\s+)?(?:paid|payed)"
    r"(?:\s+(?:off|up|in full))?\b"
)


def is_paid_claim(text: str, lang: str) -> bool:
    """Whether the debtor says they have already paid (past tense), not that they will."""
    if lang != "zh":
        if _PROPOSAL_EN.search(text):
            return False
        text = _PAID_LATER_EN.sub(" ", text)
    return bool((PAID_ZH if lang == "zh" else _PAID_EN).search(text))


# "no money" said outright (没钱, 冇钱 = 没有钱, 钱都没有, 一分都没有); not asked, not denied
# (不是没钱), not "I have money"
_NO_MONEY_ZH = re.compile(r"(?<!不是)(?<!谁说)没有?钱|钱(?:都|也)?没有|一分钱?都没有")
_NOT_NO_MONEY_ZH = re.compile(r"[吗呢?？]|不是没|(?<!没)有钱")


def says_no_money_zh(text: str) -> bool:
    """A Mandarin line that says the debtor has no money (for the classifier's unsure reading
    of "冇钱啊 真系冇")."""
    return bool(_NO_MONEY_ZH.search(text)) and not _NOT_NO_MONEY_ZH.search(text)


def is_abusive(text: str, lang: str) -> bool:
    return bool((_ABUSE_ZH if lang == "zh" else _ABUSE_EN).search(text))
