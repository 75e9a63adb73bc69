"""How much a secret can be guessed: the rule production applies to every configured secret.

A secret passes when it is at least 32 characters long, is not a published default, and its
estimated strength is at least 128 bits. The estimate is the smaller of two figures:

* Shannon: the entropy of the secret's own character distribution × its length (a secret made
  of few distinct characters, e.g. 32 × "a" or "abab…", scores low);
* pattern: the secret is cut into tokens, where a run of a repeated character, a run of
  consecutive characters ("abcd", "4321") or a repeat of an earlier substring of 3+ characters
  counts as one token; tokens × log2(the size of the character classes used: 16 for pure hex,
  else 26 lower, 26 upper, 10 digits, 33 symbols, 128 for anything else).

``secrets.token_urlsafe(32)`` (43 characters, what ``collectbot keys secret`` prints) scores
about 200 bits; ``secrets.token_hex(32)`` about 250.
"""

from __future__ import annotations

import math
import string
from collections import Counter

from core.errors import ConfigurationError

MIN_SECRET_BITS = 128
MIN_SECRET_CHARS = 32
PUBLISHED_DEFAULTS = frozenset(
    {
        "collectbot-development-secret-change-me",
        "collectbot-sandbox",
        "changeme",
        "change-me",
        "secret",
    }
)
_CLASSES = (
    (frozenset(string.ascii_lowercase), 26),
    (frozenset(string.ascii_uppercase), 26),
    (frozenset(string.digits), 10),
    (frozenset(string.punctuation + " "), 33),
)
_HEX = frozenset(string.hexdigits)
_MAX_CHARS = 512  # the estimate reads this much of a longer value


def shannon_bits(value: str) -> float:
    """The entropy of the value's character distribution, times its length."""
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -n * sum(c / n * math.log2(c / n) for c in counts.values())


def _pool(value: str) -> int:
    if value and set(value) <= _HEX and (value.lower() == value or value.upper() == value):
        return 16
    pool, chars = 0, set(value)
    for members, size in _CLASSES:
        if chars & members:
            pool += size
            chars -= members
    return pool + (128 if chars else 0)


def _tokens(value: str) -> int:
    """How many unpredictable pieces: runs, sequences and repeats count once."""
    tokens, i, n = 0, 0, len(value)
    while i < n:
        tokens += 1
        j = i + 1
        step = ord(value[j]) - ord(value[i]) if j < n else 0
        if j < n and abs(step) <= 1:  # a run ("aaaa") or a sequence ("abcd", "9876")
            while j < n and ord(value[j]) - ord(value[j - 1]) == step:
                j += 1
            i = j
            continue
        length = _repeat_length(value, i)
        i += max(length, 1)
    return tokens


def _repeat_length(value: str, i: int) -> int:
    """Length of the longest substring starting at ``i`` (3+ chars) seen before ``i``."""
    best = 0
    for length in range(3, len(value) - i + 1):
        if value[i : i + length] in value[: i + length - 1]:
            best = length
        else:
            break
    return best


def estimated_bits(value: str) -> float:
    """The guessing strength of a secret in bits (see the module's docstring)."""
    value = value[:_MAX_CHARS]
    if not value:
        return 0.0
    pattern = _tokens(value) * math.log2(_pool(value))
    return max(0.0, min(shannon_bits(value), pattern))


def secret_problem(value: str) -> str | None:
    """Why this value is not an acceptable production secret, or None when it is."""
    if value.strip().lower() in PUBLISHED_DEFAULTS:
        return "is a published development default"
    if len(value) < MIN_SECRET_CHARS:
        return f"has {len(value)} characters (at least {MIN_SECRET_CHARS} needed)"
    bits = estimated_bits(value)
    if bits < MIN_SECRET_BITS:
        return f"is guessable (about {bits:.0f} bits of entropy; at least {MIN_SECRET_BITS})"
    return None


def require_strong_secret(name: str, value: str) -> None:
    """Raise ConfigurationError naming the setting when the secret is weak."""
    problem = secret_problem(value)
    if problem is not None:
        raise ConfigurationError(
            f"{name} {problem}; generate one with `collectbot keys secret` "
            f"(or: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
