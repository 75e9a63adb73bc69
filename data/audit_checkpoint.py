"""Signed checkpoints of the audit chain, kept outside the database.

Deleting the last entries and rewriting ``audit_head`` leaves a chain that verifies: nothing in
the database remembers how long it was. A checkpoint is the last entry's sequence number and
hash, signed (HMAC-SHA256) with the audit key, written to a file the operator keeps elsewhere
(``collectbot audit checkpoint``). ``check`` then proves the chain still holds that entry
unchanged: a truncation below it, or a rewrite of it, is reported. The signature makes a
forged or edited checkpoint file fail instead of vouching for a rewritten chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.audit import GENESIS
from data.crypto import AuditKeys
from data.models import AuditEntry

_FIELDS = ("seq", "hash", "at", "kid")


def _mac(key: bytes, body: Mapping[str, object]) -> str:
    text = json.dumps({k: body[k] for k in _FIELDS}, sort_keys=True, separators=(",", ":"))
    return hmac.new(
        key, b"collectbot-audit-checkpoint-v1\x00" + text.encode(), hashlib.sha256
    ).hexdigest()


def make(session: Session, keys: AuditKeys, now: datetime) -> dict[str, object]:
    """A signed checkpoint of the chain's last entry (seq 0 for an empty chain)."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).one_or_none()
    kid, key = keys.active
    body: dict[str, object] = {
        "seq": int(last.seq) if last else 0,
        "hash": str(last.hash) if last else GENESIS,
        "at": now.astimezone(UTC).isoformat(),
        "kid": kid,
    }
    return {**body, "mac": _mac(key, body)}


def check(session: Session, checkpoint: Mapping[str, object], keys: AuditKeys) -> list[str]:
    """What is wrong between the chain and a checkpoint; empty when the chain still holds it."""
    if not all(isinstance(checkpoint.get(k), int | str) for k in (*_FIELDS, "mac")):
        return ["the checkpoint file is not a checkpoint (seq, hash, at, kid, mac)"]
    key = dict(keys.keys).get(str(checkpoint["kid"]))
    if key is None:
        return [f"the checkpoint was signed with key {checkpoint['kid']!r}, not in the keyring"]
    if not hmac.compare_digest(_mac(key, checkpoint), str(checkpoint["mac"])):
        return ["the checkpoint file was altered (its signature does not match)"]
    seq = checkpoint["seq"]
    if not isinstance(seq, int) or seq == 0:
        return []
    stored = session.scalar(select(AuditEntry.hash).where(AuditEntry.seq == seq))
    if stored is None:
        last = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()).limit(1))
        return [
            f"the log was truncated: the checkpoint of {checkpoint['at']} holds entry {seq}, "
            f"the log now ends at entry {last or 0}"
        ]
    if stored != checkpoint["hash"]:
        return [f"entry {seq} differs from the checkpoint of {checkpoint['at']} (rewritten)"]
    return []
