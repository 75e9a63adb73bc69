"""Understanding debtor utterances and the collection dialogue policy (pure domain code).

``parse(text, lang, today)`` gives a ``core.dialogue.Parse``; ``nlu.policy.decide`` runs the
dialogue. The default parser is built on first use, never at import.
"""

from nlu.parser import NluParser, default_parser, parse

__all__ = ["NluParser", "default_parser", "parse"]
