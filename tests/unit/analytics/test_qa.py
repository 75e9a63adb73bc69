"""Call QA on crafted transcripts rendered from the real scripts (and a deliberately bad one)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from analytics.calls import CallFacts, Turn, detect_lang, speaking_seconds
from analytics.catalog import PromptCatalog
from analytics.qa import QaRules, assess
from analytics.qa_report import ScoredCall, report, review_queue
from core.dialogue import Lang
from nlu.policy.script import load_script

T0 = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
VALUES = {
    "debtor_name": "Mary Smith",
    "agent_name": "Ava",
    "company": "Acme Lending",
    "product": "personal loan",
    "amount": "500 dollars",
    "days_overdue": "31",
    "promise_amount": "200 dollars",
    "promise_date": "Friday",
    "payment_methods": "the app",
    "min_amount": "100 dollars",
    "latest_date": "December 15",
}


def say(lang: Lang, key: str) -> str:
    script = load_script(lang)
    values = VALUES | ({"debtor_name": "王伟", "company": "某银行"} if lang == "zh" else {})
    return script.say(key, **values).text  # type: ignore[arg-type]


def call(
    lines: list[tuple[str, str]],
    *,
    lang: Lang = "en",
    outcome: str = "promise_to_pay",
    pause: float = 1.5,
    **kw: object,
) -> CallFacts:
    """Each line starts ``pause`` seconds after the previous one ends (its speaking time)."""
    at, built = T0, []
    for who, text in lines:
        built.append(Turn(at, who, text))
        at += timedelta(seconds=max(0.2, speaking_seconds(text, lang) + pause))
    turns = tuple(built)
    return CallFacts(
        attempt_id="a1",
        case_id="c1",
        lang=lang,
        jurisdiction="US" if lang == "en" else "CN",
        outcome=outcome,
        started_at=T0,
        answered_at=T0,
        ended_at=turns[-1].at,
        turns=turns,
        **kw,  # type: ignore[arg-type]
    )


def good_call(lang: Lang = "en", jur: str = "US") -> list[tuple[str, str]]:
    return [
        ("bot", say(lang, "greeting")),
        ("debtor", "yes speaking" if lang == "en" else "我是"),
        ("bot", say(lang, "ask_birth_year")),
        ("debtor", "1980"),
        ("bot", say(lang, f"disclosure.{jur}")),
        ("bot", say(lang, "recording_notice")),
        ("bot", say(lang, "state_debt")),
        ("bot", say(lang, "ask_full")),
        ("debtor", "I can pay 200 on Friday" if lang == "en" else "周五还两百"),
        ("bot", say(lang, "confirm_promise")),
        ("debtor", "yes" if lang == "en" else "对"),
        ("bot", say(lang, "promise_thanks")),
    ]


def catalog(lang: Lang) -> PromptCatalog:
    return PromptCatalog(load_script(lang))


@pytest.mark.parametrize(("lang", "jur"), [("en", "US"), ("en", "CN"), ("zh", "CN"), ("zh", "US")])
def test_a_correct_call_is_clean(lang: Lang, jur: str) -> None:
    result = assess(call(good_call(lang, jur), lang=lang), catalog(lang))
    assert result.findings == ()
    assert result.score == 100
    assert result.verified
    assert result.script_version == catalog(lang).version


def test_debt_before_verification_is_critical() -> None:
    lines = good_call()
    lines.insert(1, ("bot", say("en", "state_debt")))
    result = assess(call(lines), catalog("en"))
    assert "debt_before_verification" in result.codes
    assert result.score <= 60


def test_unknown_script_lines_are_judged_by_their_words() -> None:
    lines = [
        ("bot", "Hi Mary, you owe us 500 dollars and it is overdue."),
        ("debtor", "who is this"),
    ]
    result = assess(call(lines, outcome="refused"), catalog("en"))
    assert "debt_before_verification" in result.codes


@pytest.mark.parametrize(
    ("drop", "code"),
    [
        ("disclosure.US", "disclosure_missing"),
        ("recording_notice", "recording_notice_missing"),
        ("confirm_promise", "readback_missing"),
    ],
)
def test_missing_steps(drop: str, code: str) -> None:
    lines = [x for x in good_call() if x[1] != say("en", drop)]
    if drop == "disclosure.US":  # still verified: the policy's identity line marks it
        lines.insert(4, ("bot", say("en", "identity_verified")))
    result = assess(call(lines), catalog("en"))
    assert code in result.codes


def test_disclosure_after_the_debt_is_late() -> None:
    lines = good_call()
    debt = ("bot", say("en", "state_debt"))
    lines.remove(debt)
    lines.insert(4, ("bot", say("en", "identity_verified")))
    lines.insert(5, debt)
    result = assess(call(lines), catalog("en"))
    assert {"disclosure_late", "recording_notice_late"} <= result.codes


def test_recording_notice_may_be_made_optional() -> None:
    lines = [x for x in good_call() if x[1] != say("en", "recording_notice")]
    rules = QaRules(require_recording_notice=False)
    assert assess(call(lines), catalog("en"), rules).findings == ()


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "If you do not pay you will go to jail."),
        ("en", "Stop being an IDIOT and pay."),
        ("zh", "你这个老赖，再不还钱就通知你家人。"),
    ],
)
def test_forbidden_phrasing(lang: Lang, text: str) -> None:
    lines = good_call(lang, "CN" if lang == "zh" else "US")
    lines.insert(-1, ("bot", text))
    result = assess(call(lines, lang=lang), catalog(lang))
    assert "forbidden_phrase" in result.codes
    assert any(f.evidence == text for f in result.findings)


def test_the_debtor_swearing_is_not_the_bots_fault_and_words_inside_words_do_not_count() -> None:
    lines = good_call()
    lines.insert(-1, ("debtor", "you idiots, call the police"))
    lines.insert(-1, ("bot", "Policies allow a later date."))
    assert "forbidden_phrase" not in assess(call(lines), catalog("en")).codes


def test_forbidden_list_is_configurable() -> None:
    rules = QaRules.from_mapping({"forbidden": {"en": ["later date"]}})
    lines = good_call()
    lines.insert(-1, ("bot", "We can agree on a later date."))
    assert "forbidden_phrase" in assess(call(lines), catalog("en"), rules).codes
    with pytest.raises(ValueError, match="unknown"):
        QaRules.from_mapping({"silence": 3})
    with pytest.raises(ValueError, match="list of phrases"):
        QaRules.from_mapping({"forbidden": {"en": "jail"}})  # not one phrase per letter


def test_talk_over_and_long_silence_from_timings() -> None:
    fast = assess(call(good_call(), pause=-3.0), catalog("en"))
    assert "talk_over" in fast.codes
    slow = assess(call(good_call(), pause=12.0), catalog("en"))
    assert "long_silence" in slow.codes
    assert "talk_over" not in slow.codes


def test_asked_for_a_person() -> None:
    lines = [*good_call()[:4], ("debtor", "I want to talk to a real person")]
    lines.append(("bot", say("en", "transfer_failed")))
    unmet = assess(call(lines, outcome="callback_scheduled"), catalog("en"))
    assert "agent_request_unmet" in unmet.codes
    met = [*lines[:-1], ("bot", say("en", "transfer_requested"))]
    assert (
        "agent_request_unmet" not in assess(call(met, outcome="transferred"), catalog("en")).codes
    )


def test_asked_for_a_person_by_intent() -> None:
    lines = [*good_call()[:4], ("debtor", "put somebody else on")]
    result = assess(
        call(lines, outcome="refused"), catalog("en"), intent_of=lambda text, lang: "request_agent"
    )
    assert "agent_request_unmet" in result.codes


def test_call_too_long() -> None:
    rules = QaRules(silence_s=100, max_call_s=120)
    result = assess(call(good_call(), pause=10.0), catalog("en"), rules)
    assert result.codes == {"call_too_long"}


def test_language_detected_from_the_bot() -> None:
    zh = [Turn(T0, "bot", say("zh", "greeting"))]
    assert detect_lang(zh, "en") == "zh"
    assert detect_lang([Turn(T0, "bot", say("en", "greeting"))], "zh") == "en"
    assert detect_lang([], "zh") == "zh"


def test_report_shares_and_queue() -> None:
    calls = [
        ScoredCall("a", "en-1", "en", 100, frozenset()),
        ScoredCall("b", "en-1", "en", 60, frozenset({"debt_before_verification"})),
        ScoredCall("c", "en-2", "en", 85, frozenset({"talk_over"})),
        ScoredCall("d", "en-1", "en", 100, frozenset()),
        ScoredCall("e", "en-1", "en", 95, frozenset({"talk_over"})),
    ]
    rows = {r.script_version: r for r in report(calls)}
    assert rows["en-1"].calls == 4
    assert rows["en-1"].shares == {"debt_before_verification": 0.25, "talk_over": 0.25}
    assert rows["en-1"].clean_share == 0.5
    assert rows["en-2"].shares == {"talk_over": 1.0}
    queue = review_queue(calls, clean_sample=1, seed=3)
    assert [c.attempt_id for c in queue[:3]] == ["b", "c", "e"]
    assert len(queue) == 4
    assert not queue[3].codes
    assert queue == review_queue(calls, clean_sample=1, seed=3)


def test_a_script_without_the_disclosure_is_caught_after_verification() -> None:
    """An edited script whose verification is followed straight by the debt: the call still
    verified the right party (its outcome says so), so the finding is the missing disclosure,
    not a debt stated before verification."""
    lines = [x for x in good_call() if x[1] != say("en", "disclosure.US")]
    result = assess(call(lines), catalog("en"))
    assert "disclosure_missing" in result.codes
    assert "debt_before_verification" not in result.codes
    assert result.verified
    early = [*lines[:2], ("bot", say("en", "state_debt"))]
    hung_up = assess(call(early, outcome="hung_up"), catalog("en"))
    assert "debt_before_verification" in hung_up.codes  # not a right-party call
