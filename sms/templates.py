"""SMS templates: ``{name}`` placeholders filled from a fixed set of variables."""

from __future__ import annotations

import string
from collections.abc import Mapping

from sms.errors import TemplateError

KNOWN_VARIABLES = frozenset(
    {"amount", "due_date", "payment_method", "payment_link", "company", "case_ref"}
)


def variables_of(body: str) -> tuple[str, ...]:
    """The placeholders of ``body`` in order; positional, formatted or unknown ones are refused."""
    names: list[str] = []
    try:
        parsed = list(string.Formatter().parse(body))
    except ValueError as e:
        raise TemplateError(f"template is malformed: {e}") from e
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise TemplateError(f"template field {{{field}}} must be a plain {{name}}")
        if field not in KNOWN_VARIABLES:
            raise TemplateError(
                f"unknown variable {{{field}}}; known: {', '.join(sorted(KNOWN_VARIABLES))}"
            )
        if field not in names:
            names.append(field)
    return tuple(names)


def render(body: str, values: Mapping[str, str]) -> str:
    needed = variables_of(body)
    missing = [n for n in needed if not values.get(n)]
    if missing:
        raise TemplateError(f"no value for {', '.join('{' + m + '}' for m in missing)}")
    return body.format_map({n: values[n] for n in needed})


def segments(text: str) -> int:
    """How many SMS parts the text needs (GSM-7 when ASCII, UCS-2 otherwise; concatenated)."""
    if text.isascii():
        single, multi = 160, 153
    else:
        single, multi = 70, 67
    n = len(text)
    return 1 if n <= single else -(-n // multi)
