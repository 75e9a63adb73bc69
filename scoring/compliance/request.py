"""Parse the JSON form of a guard question (``collectbot compliance check`` reads it on stdin)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from scoring.compliance.types import Channel, Contact, Debtor, HistoryEntry, require_aware
from scoring.errors import ComplianceInputError


@dataclass(frozen=True, slots=True)
class GuardRequest:
    contact: Contact
    history: tuple[HistoryEntry, ...]
    debtor: Debtor
    now: datetime


def _text(obj: Mapping[str, object], key: str, where: str) -> str:
    value = obj.get(key)
    if not isinstance(value, str) or not value:
        raise ComplianceInputError(f"{where}{key}: a non-empty string is required")
    return value


def _instant(value: object, where: str) -> datetime:
    if not isinstance(value, str):
        raise ComplianceInputError(f"{where}: an ISO 8601 time with an offset is required")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as e:
        raise ComplianceInputError(f"{where}: not an ISO 8601 time: {value!r}") from e
    require_aware(parsed, where)
    return parsed


def _channel(value: object, where: str) -> Channel:
    try:
        return Channel(str(value))
    except ValueError as e:
        raise ComplianceInputError(
            f"{where}: channel must be 'call' or 'sms', got {value!r}"
        ) from e


def _strings(value: object, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ComplianceInputError(f"{where}: a list of strings is required")
    return cast(list[str], value)


def _entry(raw: object, i: int) -> HistoryEntry:
    where = f"history[{i}]."
    if not isinstance(raw, dict):
        raise ComplianceInputError(f"history[{i}]: an object is required")
    item = cast(dict[str, object], raw)
    return HistoryEntry(
        channel=_channel(item.get("channel"), f"{where}channel"),
        at=_instant(item.get("at"), f"{where}at"),
        debt_id=_text(item, "debt_id", where),
        connected=bool(item.get("connected", False)),
        conversation=bool(item.get("conversation", False)),
    )


def parse_request(raw: object) -> GuardRequest:
    """Validate one guard question; every problem names the field it is about."""
    if not isinstance(raw, dict):
        raise ComplianceInputError("the input must be one JSON object")
    obj = cast(dict[str, object], raw)
    debtor_raw = obj.get("debtor")
    if not isinstance(debtor_raw, dict):
        raise ComplianceInputError("debtor: an object is required")
    d = cast(dict[str, object], debtor_raw)
    extra = tuple(_strings(d.get("timezones"), "debtor.timezones"))
    consent = {
        _channel(c, "debtor.consent")
        for c in (_strings(d["consent"], "debtor.consent") if "consent" in d else ("call", "sms"))
    }
    debtor = Debtor.of(
        jurisdiction=_text(obj, "jurisdiction", ""),
        timezone=_text(d, "timezone", "debtor."),
        flags=_strings(d.get("flags"), "debtor.flags"),
        do_not_call=_strings(d.get("do_not_call"), "debtor.do_not_call"),
        extra_timezones=extra,
        consent_call=Channel.CALL in consent,
        consent_sms=Channel.SMS in consent,
    )
    history_raw = obj.get("history", [])
    if not isinstance(history_raw, list):
        raise ComplianceInputError("history: a list is required")
    contact = Contact(
        channel=_channel(obj.get("channel"), "channel"),
        debt_id=_text(obj, "debt_id", ""),
        phone=_text(obj, "phone", ""),
    )
    history = tuple(_entry(h, i) for i, h in enumerate(history_raw))
    return GuardRequest(contact, history, debtor, _instant(obj.get("now"), "now"))
