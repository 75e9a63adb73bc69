"""How much a secret can be guessed: the rule production applies to every configured secret.

A secret passes when it is not a published default and
1. it has at least 32 characters, and its length × log2(alphabet) is at least 128 bits, the
   alphabet being the character classes it uses (16 for pure hex; else 26 lower, 26 upper,
   10 digits, 33 symbols, 128 for anything else);
2. it uses at least half as many distinct characters as a random string of that length and
   alphabet would (32 × "a", "abab…", "password" × 4 fail);
3. after a run of one character, a run of consecutive characters ("abcd", "4321") or a repeat
   of an earlier substring counts as one piece, pieces × log2(alphabet) is still at least
   84 bits (⅔ of 128: the margin a truly random 128-bit value needs to pass every time).

``secrets.token_hex(16)`` (32 characters, 128 bits) passes, as do ``token_urlsafe(32)``
(what ``collectbot keys secret`` prints) and the base64 of 32 random bytes; human passwords
and repeated patterns do not. Dictionary words are not detected: generate secrets, never type
them.
"""

from __future__ import annotations

import math
import string
from collections import Counter

from core.errors import ConfigurationError

MIN_SECRET_BITS = 128
MIN_SECRET_CHARS = 32
MIN_PATTERN_BITS = 84
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
    """How many unpredictable pieces: runs and sequences of 3+ and repeats count once."""
    tokens, i, n = 0, 0, len(value)
    while i < n:
        tokens += 1
        step = ord(value[i + 1]) - ord(value[i]) if i + 2 < n else 2
        if abs(step) <= 1 and ord(value[i + 2]) - ord(value[i + 1]) == step:
            j = i + 2  # a run ("aaa…") or a sequence ("abc…", "987…")
            while j < n and ord(value[j]) - ord(value[j - 1]) == step:
                j += 1
            i = j
            continue
        i += max(_repeat_length(value, i), 1)
    return tokens


def _repeat_length(value: str, i: int) -> int:
    """Length of the longest substring starting at ``i`` (4+ chars) seen before ``i``."""
    best = 0
    for length in range(4, len(value) - i + 1):
        if value[i : i + length] in value[: i + length - 1]:
            best = length
        else:
            break
    return best


def estimated_bits(value: str) -> float:
    """The pattern estimate of rule 3 (pieces × log2 of the alphabet), in bits."""
    value = value[:_MAX_CHARS]
    return _tokens(value) * math.log2(_pool(value)) if value else 0.0


def secret_problem(value: str) -> str | None:
    """Why this value is not an acceptable production secret, or None when it is."""
    if value.strip().lower() in PUBLISHED_DEFAULTS:
        return "is a published development default"
    if len(value) < MIN_SECRET_CHARS:
        return f"has {len(value)} characters (at least {MIN_SECRET_CHARS} needed)"
    sample = value[:_MAX_CHARS]
    pool = _pool(sample)
    nominal = len(sample) * math.log2(pool)
    if nominal < MIN_SECRET_BITS:
        return f"is too short for its alphabet ({nominal:.0f} bits; at least {MIN_SECRET_BITS})"
    distinct = len(set(sample))
    expected = pool * (1 - (1 - 1 / pool) ** len(sample))
    if distinct < expected / 2:
        return f"is guessable (only {distinct} distinct characters)"
    bits = estimated_bits(sample)
    if bits < MIN_PATTERN_BITS:
        return f"is guessable (runs, sequences or repeats: about {bits:.0f} bits)"
    return None


def require_strong_secret(name: str, value: str) -> None:
    """Raise ConfigurationError naming the setting when the secret is weak."""
    problem = secret_problem(value)
    if problem is not None:
        raise ConfigurationError(
            f"{name} {problem}; generate one with `collectbot keys secret` "
            f"(or: python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
