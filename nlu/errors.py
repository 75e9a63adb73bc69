"""Errors raised by the NLU package."""

from __future__ import annotations

from core.errors import CollectBotError


class NluError(CollectBotError):
    """Root of every NLU error."""


class TrainingDataError(NluError):
    """Training data that is not valid Rasa NLU YAML, or names an unknown intent."""


class ModelUnavailableError(NluError):
    """The embedding model cannot be loaded (package missing or broken)."""


class ScriptError(NluError):
    """A dialogue script is missing a prompt or has a template that cannot be rendered."""
