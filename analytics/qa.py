"""Call QA: one pass over a finished call's transcript and timings, a score and findings.

Checks (each a finding code, with a severity and the line that shows it):

* ``debt_before_verification`` — a debt-revealing line before the right party was verified;
* ``disclosure_missing`` / ``disclosure_late`` — a verified call without the mini-Miranda
  (告知身份和来电目的), or with it only after the debt was stated;
* ``recording_notice_missing`` / ``recording_notice_late`` — the same for the recording notice;
* ``forbidden_phrase`` — a bot or agent line with a phrase of the language's forbidden list;
* ``talk_over`` — the debtor's line came before the bot could have finished (``talk_over_max``
  or more times: the bot does not leave room);
* ``long_silence`` — a gap with nobody speaking longer than ``silence_s``;
* ``agent_request_unmet`` — the debtor asked for a person and the call was not transferred;
* ``readback_missing`` — a promise or plan recorded without reading it back;
* ``call_too_long`` — longer than ``max_call_s``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from analytics.calls import CallFacts, Turn, speaking_seconds
from analytics.catalog import LineRole, PromptCatalog
from core.call_end import right_party
from core.dialogue import Lang


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


PENALTY = {Severity.CRITICAL: 40, Severity.MAJOR: 15, Severity.MINOR: 5}
FINDINGS: Mapping[str, Severity] = {
    "debt_before_verification": Severity.CRITICAL,
    "disclosure_missing": Severity.CRITICAL,
    "forbidden_phrase": Severity.CRITICAL,
    "disclosure_late": Severity.MAJOR,
    "recording_notice_missing": Severity.MAJOR,
    "agent_request_unmet": Severity.MAJOR,
    "readback_missing": Severity.MAJOR,
    "recording_notice_late": Severity.MINOR,
    "talk_over": Severity.MINOR,
    "long_silence": Severity.MINOR,
    "call_too_long": Severity.MINOR,
}
DEFAULT_FORBIDDEN: Mapping[str, tuple[str, ...]] = {
    "en": (
        "jail",
        "arrest",
        "police",
        "sue you",
        "stupid",
        "idiot",
        "shut up",
        "deadbeat",
        "liar",
        "your family will",
        "tell your employer",
        "ruin your",
    ),
    "zh": (
        "坐牢",
        "抓你",
        "报警",
        "起诉你",
        "傻",
        "笨蛋",
        "骗子",
        "老赖",
        "通知你家人",
        "曝光你",
        "闭嘴",
    ),
}
AGENT_WORDS = re.compile(
    r"\b(real|live|actual) (person|human)|\bhuman\b|\b(an? )?(agent|representative|operator"
    r"|supervisor|manager)\b|人工|真人|工作人员|客服|主管|经理",
    re.I,
)
PROMISE_OUTCOMES = frozenset({"promise_to_pay", "payment_plan"})
IntentOf = Callable[[str, Lang], str]
HEARD = ("debtor", "dtmf")


@dataclass(frozen=True, slots=True)
class QaRules:
    forbidden: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: DEFAULT_FORBIDDEN)
    require_recording_notice: bool = True
    silence_s: float = 8.0
    talk_over_max: int = 2
    talk_over_grace_s: float = 0.5
    max_call_s: float = 600.0

    @classmethod
    def from_mapping(cls, raw: Mapping[str, object]) -> QaRules:
        """Rules from a parsed YAML/JSON mapping; unknown keys are refused."""
        known = set(cls.__dataclass_fields__)
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown QA rule(s): {sorted(unknown)}")
        values = dict(raw)
        if "forbidden" in values:
            lists = values["forbidden"]
            if not isinstance(lists, Mapping):
                raise ValueError("forbidden: a mapping of language to phrases")
            if not all(isinstance(v, list | tuple) for v in lists.values()):
                raise ValueError("forbidden: each language needs a list of phrases")
            values["forbidden"] = {str(k): tuple(map(str, v)) for k, v in lists.items()}
        return cls(**values)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    at_s: float | None  # seconds from the answer (None: the call as a whole)
    evidence: str

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "severity": self.severity.value,
            "at_s": self.at_s,
            "evidence": self.evidence,
        }


@dataclass(frozen=True, slots=True)
class QaResult:
    attempt_id: str
    score: int
    findings: tuple[Finding, ...]
    script_version: str
    lang: Lang
    verified: bool
    duration_s: float | None

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)


def _finding(code: str, at_s: float | None, evidence: str) -> Finding:
    return Finding(code, FINDINGS[code], None if at_s is None else round(at_s, 1), evidence)


@dataclass(frozen=True, slots=True)
class _Line:
    index: int
    turn: Turn
    role: LineRole
    at_s: float


def _bot_lines(call: CallFacts, catalog: PromptCatalog, t0: datetime) -> list[_Line]:
    return [
        _Line(i, t, catalog.role(t.text), (t.at - t0).total_seconds())
        for i, t in enumerate(call.turns)
        if t.speaker == "bot"
    ]


def _first(lines: Sequence[_Line], test: Callable[[LineRole], bool]) -> _Line | None:
    return next((x for x in lines if test(x.role)), None)


def _verified_at(call: CallFacts, lines: list[_Line]) -> _Line | None:
    """The first line the policy says only to the right party; for a right-party call
    without one (a script that skips the disclosure), the bot's first line after the debtor
    answered the last verification question."""
    marker = _first(lines, lambda r: r.verified)
    if marker is not None or not right_party(call.outcome):
        return marker
    asks = [x for x in lines if x.role.verify_ask]
    if not asks:
        return None
    answered = [i for i, t in enumerate(call.turns) if i > asks[-1].index and t.speaker in HEARD]
    return next((x for x in lines if answered and x.index > answered[0]), None)


def _disclosure_findings(call: CallFacts, lines: list[_Line], rules: QaRules) -> list[Finding]:
    verified = _verified_at(call, lines)
    out: list[Finding] = []
    cut = verified.index if verified else len(call.turns)
    early = [x for x in lines if x.index < cut and x.role.debt and not x.role.disclosure]
    if early:
        out.append(_finding("debt_before_verification", early[0].at_s, early[0].turn.text))
    if verified is None:
        return out
    after = [x for x in lines if x.index >= verified.index]
    debt = _first(after, lambda r: r.debt and not r.disclosure and not r.recording)
    for code, test, required in (
        ("disclosure", lambda r: r.disclosure, True),
        ("recording_notice", lambda r: r.recording, rules.require_recording_notice),
    ):
        said = _first(after, test)
        if said is None and required:
            out.append(_finding(f"{code}_missing", verified.at_s, verified.turn.text))
        elif said is not None and debt is not None and said.index > debt.index:
            out.append(_finding(f"{code}_late", said.at_s, said.turn.text))
    return out


def _forbidden(call: CallFacts, rules: QaRules, t0: datetime) -> list[Finding]:
    phrases = [p.lower() for p in rules.forbidden.get(call.lang, ())]
    out = []
    for t in call.turns:
        if t.speaker not in ("bot", "agent"):
            continue
        low = t.text.lower()
        hit = next((p for p in phrases if _contains(low, p, call.lang)), None)
        if hit is not None:
            out.append(_finding("forbidden_phrase", (t.at - t0).total_seconds(), t.text))
    return out


def _contains(text: str, phrase: str, lang: Lang) -> bool:
    if lang == "zh" or not phrase.isascii():
        return phrase in text
    return re.search(rf"\b{re.escape(phrase)}\b", text) is not None


def _timing(call: CallFacts, rules: QaRules, t0: datetime) -> list[Finding]:
    out: list[Finding] = []
    overlaps: list[Turn] = []
    for prev, cur in zip(call.turns, call.turns[1:], strict=False):
        spoken = speaking_seconds(prev.text, call.lang) if prev.speaker == "bot" else 0.0
        gap = (cur.at - prev.at).total_seconds() - spoken
        if prev.speaker == "bot" and cur.speaker == "debtor" and gap < -rules.talk_over_grace_s:
            overlaps.append(cur)
        if gap > rules.silence_s:
            out.append(_finding("long_silence", (prev.at - t0).total_seconds(), f"{gap:.1f} s"))
    if len(overlaps) >= rules.talk_over_max:
        at = (overlaps[0].at - t0).total_seconds()
        out.append(_finding("talk_over", at, f"{len(overlaps)} overlaps"))
    return out


def _agent_request(
    call: CallFacts, lines: list[_Line], intent_of: IntentOf | None, t0: datetime
) -> list[Finding]:
    def asked(t: Turn) -> bool:
        if intent_of is not None and intent_of(t.text, call.lang) == "request_agent":
            return True
        return AGENT_WORDS.search(t.text) is not None

    request = next((t for t in call.turns if t.speaker == "debtor" and asked(t)), None)
    if request is None:
        return []
    got = call.outcome == "transferred" or call.agent_id is not None
    got = got or any(x.role.transfer and x.turn.at >= request.at for x in lines)
    if got:
        return []
    return [_finding("agent_request_unmet", (request.at - t0).total_seconds(), request.text)]


def assess(
    call: CallFacts,
    catalog: PromptCatalog,
    rules: QaRules | None = None,
    intent_of: IntentOf | None = None,
) -> QaResult:
    """Score one call (100 = clean; each finding costs its severity's penalty)."""
    rules = rules or QaRules()
    t0 = call.answered_at or call.started_at
    lines = _bot_lines(call, catalog, t0)
    findings = [
        *_disclosure_findings(call, lines, rules),
        *_forbidden(call, rules, t0),
        *_timing(call, rules, t0),
        *_agent_request(call, lines, intent_of, t0),
    ]
    if call.outcome in PROMISE_OUTCOMES and _first(lines, lambda r: r.readback) is None:
        findings.append(_finding("readback_missing", None, call.outcome or ""))
    end = call.ended_at or (call.turns[-1].at if call.turns else None)
    duration = (end - t0).total_seconds() if end is not None else None
    if duration is not None and duration > rules.max_call_s:
        findings.append(_finding("call_too_long", None, f"{duration:.0f} s"))
    score = max(0, 100 - sum(PENALTY[f.severity] for f in findings))
    return QaResult(
        attempt_id=call.attempt_id,
        score=score,
        findings=tuple(findings),
        script_version=call.script_version or catalog.version,
        lang=call.lang,
        verified=_verified_at(call, lines) is not None,
        duration_s=None if duration is None else round(duration, 1),
    )
