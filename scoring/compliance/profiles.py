"""Jurisdiction profiles: the configurable numbers behind each compliance rule."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import time
from pathlib import Path
from typing import cast

import yaml

from scoring.errors import ComplianceInputError, UnknownJurisdictionError


@dataclass(frozen=True, slots=True)
class JurisdictionProfile:
    """Limits for one jurisdiction; ``None`` switches a rule off.

    Contact hours are half-open in the debtor's local time: ``hours_start <= t < hours_end``.
    Windows of ``window_days`` are read strictly: an earlier contact counts when it is less than
    ``window_days`` x 24 h ago OR on one of the last ``window_days`` local calendar days.
    """

    code: str
    hours_start: time
    hours_end: time
    call_cap_7d: int | None = None
    after_conversation_days: int | None = None
    daily_connected_cap: int | None = None
    sms_cap_7d: int | None = None
    window_days: int = 7
    do_not_call_covers_sms: bool = True


US = JurisdictionProfile(
    code="US",
    hours_start=time(8, 0),
    hours_end=time(21, 0),
    call_cap_7d=7,
    after_conversation_days=7,
)
CN = JurisdictionProfile(
    code="CN",
    hours_start=time(8, 0),
    hours_end=time(22, 0),
    daily_connected_cap=3,
    sms_cap_7d=3,
)
DEFAULT_PROFILES: Mapping[str, JurisdictionProfile] = {"US": US, "CN": CN}

_INT_FIELDS = (
    "call_cap_7d",
    "after_conversation_days",
    "daily_connected_cap",
    "sms_cap_7d",
    "window_days",
)


def profile_for(code: str, profiles: Mapping[str, JurisdictionProfile]) -> JurisdictionProfile:
    try:
        return profiles[code.upper()]
    except KeyError as e:
        known = ", ".join(sorted(profiles))
        raise UnknownJurisdictionError(
            f"no compliance profile for {code!r} (known: {known})"
        ) from e


def _parse_time(value: object, where: str) -> time:
    try:
        return time.fromisoformat(str(value))
    except ValueError as e:
        raise ComplianceInputError(f"{where}: not a time of day (HH:MM): {value!r}") from e


def _override(
    base: JurisdictionProfile, raw: Mapping[str, object], where: str
) -> JurisdictionProfile:
    unknown = set(raw) - {"hours_start", "hours_end", "do_not_call_covers_sms", *_INT_FIELDS}
    if unknown:
        raise ComplianceInputError(f"{where}: unknown keys {sorted(unknown)}")
    changes: dict[str, object] = {}
    for key in ("hours_start", "hours_end"):
        if key in raw:
            changes[key] = _parse_time(raw[key], f"{where}.{key}")
    for key in _INT_FIELDS:
        if key in raw:
            value = raw[key]
            if value is not None and (not isinstance(value, int) or value < 0):
                raise ComplianceInputError(f"{where}.{key}: needs a whole number >= 0 or null")
            changes[key] = value
    if "do_not_call_covers_sms" in raw:
        changes["do_not_call_covers_sms"] = bool(raw["do_not_call_covers_sms"])
    result = replace(base, **changes)  # type: ignore[arg-type]
    if result.hours_start >= result.hours_end:
        raise ComplianceInputError(f"{where}: hours_start must be before hours_end")
    return result


def load_profiles(path: Path | None) -> Mapping[str, JurisdictionProfile]:
    """The defaults, with overrides and new jurisdictions read from a YAML file.

    File format: ``{US: {hours_end: "20:00"}, GB: {base: US, call_cap_7d: 5}}``.
    """
    if path is None:
        return DEFAULT_PROFILES
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as e:
        raise ComplianceInputError(f"cannot read compliance profiles {path}: {e}") from e
    if not isinstance(raw, dict):
        raise ComplianceInputError(f"{path}: expected a mapping of jurisdiction -> limits")
    profiles = dict(DEFAULT_PROFILES)
    for code, body in cast(dict[object, object], raw).items():
        where = f"{path}:{code}"
        if not isinstance(body, dict):
            raise ComplianceInputError(f"{where}: expected a mapping")
        entries = {str(k): v for k, v in cast(dict[object, object], body).items()}
        key = str(code).upper()
        base_code = str(entries.pop("base", key)).upper()
        base = profiles.get(base_code)
        if base is None:
            raise ComplianceInputError(f"{where}: new jurisdiction needs 'base: US' or 'base: CN'")
        profiles[key] = replace(_override(base, entries, where), code=key)
    return profiles
