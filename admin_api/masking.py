"""Masking of personal data for roles that do not need to see it."""

from __future__ import annotations


def mask_phone(e164: str) -> str:
    """``+15551234671`` → ``+1•••••••671``: the country code and the last three digits stay."""
    digits = e164.lstrip("+")
    cc = 1 if digits.startswith(("1", "7")) else 2
    if len(digits) < cc + 3 + 4:  # too short to show that much: only the last two digits
        return "+" + "•" * max(len(digits) - 2, 0) + digits[-2:]
    head, tail = digits[:cc], digits[-3:]
    return f"+{head}{'•' * (len(digits) - cc - 3)}{tail}"


def mask_name(name: str) -> str:
    """``John Roe`` → ``J*** R**``; every word keeps only its first letter."""
    return " ".join(w[0] + "*" * (len(w) - 1) for w in name.split() if w)


def mask_text(value: str) -> str:
    """Any other personal value: only its length shows."""
    return "•" * min(len(value), 12)


def mask_email(email: str) -> str:
    user, _, domain = email.partition("@")
    if not domain:
        return mask_text(email)
    return f"{user[:1]}***@{domain}"
