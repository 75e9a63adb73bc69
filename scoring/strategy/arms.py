"""Champion/challenger: a deterministic share of cases, chosen by a hash of the case id."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal

import numpy as np
import numpy.typing as npt

CHAMPION = "champion"
CHALLENGER = "challenger"
_BUCKETS = 10_000


def bucket(case_id: str, experiment: str) -> int:
    """A stable number in [0, 10000) for a case within one experiment."""
    digest = hashlib.blake2b(f"{experiment}:{case_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % _BUCKETS


def arm_of(case_id: str, experiment: str, challenger_share: Decimal) -> str:
    """Whether the case is in the challenger arm; the same answer on every run and host."""
    limit = int(challenger_share * _BUCKETS)
    return CHALLENGER if bucket(case_id, experiment) < limit else CHAMPION


def challenger_mask(
    case_ids: Iterable[str], experiment: str, challenger_share: Decimal
) -> npt.NDArray[np.bool_]:
    limit = int(challenger_share * _BUCKETS)
    buckets = np.fromiter((bucket(c, experiment) for c in case_ids), dtype=np.int32)
    return buckets < limit
