"""Typed identifiers. External ids (from the lender's files) are kept as given."""

from __future__ import annotations

import uuid
from typing import NewType

DebtorId = NewType("DebtorId", str)
LoanId = NewType("LoanId", str)
CaseId = NewType("CaseId", str)
CampaignId = NewType("CampaignId", str)
AttemptId = NewType("AttemptId", str)
AgentId = NewType("AgentId", str)
UserId = NewType("UserId", str)
CallId = NewType("CallId", str)


def new_id(prefix: str) -> str:
    """A new random id with a readable prefix, e.g. ``att_3f2a…``."""
    return f"{prefix}_{uuid.uuid4().hex}"
