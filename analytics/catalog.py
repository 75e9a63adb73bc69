"""What each line the bot said was, recognised from the scripts themselves.

A ``PromptCatalog`` turns every prompt template of a script into a pattern (its literal text,
each ``{variable}`` matching anything) so a stored transcript line is traced back to its prompt
key. The roles QA checks are derived from the script, not from a hand-kept list:

* *disclosure* (mini-Miranda / 告知身份和来电目的): the ``disclosure.<jurisdiction>`` prompts the
  policy says on verification;
* *recording notice*: any prompt whose literal text announces recording (record / 录音);
* *debt-revealing*: ``nlu.policy.disclosure.debt_revealing_keys`` (debt words or variables);
* *verified marker*: what the policy says only once the right party is confirmed (the
  disclosures and ``identity_verified``);
* *read-back*: the confirmation prompts of a promise or a plan (``confirm_*``);
* *transfer*: the prompts that hand the call to a person (``transfer_*`` but the failure).

A line that matches no template (an older or edited script, an agent) is classified by its
words: debt words (``DEBT_WORDS``), recording words, and the literal core of the disclosures.
"""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass

from nlu.policy.disclosure import DEBT_WORDS, base_key, debt_revealing_keys
from nlu.policy.script import Script

RECORDING_WORDS = re.compile(
    r"\b(call|conversation)s? (is|are|will be|may be|might be) (being )?(monitored and )?recorded"
    r"|\brecorded for\b|录音",
    re.I,
)
DISCLOSURE_CORE = re.compile(
    r"attempt to collect a debt|collect(ing)? a debt|debt collector|催收欠款|受出借方委托|还款事宜",
    re.I,
)
VERIFIED_KEYS = frozenset({"identity_verified"})
# what the policy asks to verify the right party (the answer to the last one verifies)
VERIFY_ASK_KEYS = frozenset(
    {"greeting", "ask_name", "keypad_identity", "ask_birth_year", "ask_id_last4", "verify_retry"}
)
READBACK_KEYS = frozenset({"confirm_promise", "confirm_plan"})


def _pattern(template: str) -> re.Pattern[str]:
    parts: list[str] = []
    for literal, field, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(_squash(literal)))
        if field:
            parts.append(".+?")
    return re.compile("".join(parts), re.S | re.I)


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True, slots=True)
class LineRole:
    key: str | None  # the prompt key it matched (None: no template matched)
    verify_ask: bool
    disclosure: bool
    recording: bool
    debt: bool
    verified: bool
    readback: bool
    transfer: bool


class PromptCatalog:
    """The prompts of one script version, with the role of each (see the module docstring)."""

    def __init__(self, script: Script) -> None:
        self.lang = script.lang
        self.version = script_version(script)
        items = sorted(script.prompts.items())
        self._patterns = [(base_key(k), _pattern(t)) for k, variants in items for t in variants]
        self._debt = debt_revealing_keys(script)
        self._recording = frozenset(
            base_key(k)
            for k, variants in items
            if any(RECORDING_WORDS.search(_literal(t)) for t in variants)
        )

    def key_of(self, text: str) -> str | None:
        line = _squash(text)
        for key, pattern in self._patterns:
            if pattern.fullmatch(line):
                return key
        return None

    def role(self, text: str) -> LineRole:
        key = self.key_of(text)
        if key is None:
            disclosure = DISCLOSURE_CORE.search(text) is not None
            return LineRole(
                None,
                verify_ask=False,
                disclosure=disclosure,
                recording=RECORDING_WORDS.search(text) is not None,
                debt=DEBT_WORDS.search(text) is not None,
                verified=disclosure,
                readback=False,
                transfer=False,
            )
        disclosure = key.startswith("disclosure.")
        return LineRole(
            key,
            verify_ask=key.removeprefix("reprompt.") in VERIFY_ASK_KEYS,
            disclosure=disclosure,
            recording=key in self._recording,
            debt=key in self._debt,
            verified=disclosure or key in VERIFIED_KEYS,
            readback=key in READBACK_KEYS,
            transfer=key.startswith("transfer_") and key != "transfer_failed",
        )


def _literal(template: str) -> str:
    return "".join(text for text, _, _, _ in string.Formatter().parse(template))


def script_version(script: Script) -> str:
    """``<lang>-<8 hex>``: a digest of the script's prompts, so an edited script is a new
    version in the QA report."""
    body = "\n".join(f"{k}={'|'.join(v)}" for k, v in sorted(script.prompts.items()))
    return f"{script.lang}-{hashlib.sha256(body.encode()).hexdigest()[:8]}"
