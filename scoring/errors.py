"""Errors of the scoring package: one root, derived from the project's root."""

from __future__ import annotations

from core.errors import CollectBotError


class ScoringError(CollectBotError):
    """Root of every error raised by ``scoring``."""


class ComplianceInputError(ScoringError):
    """A contact, history entry or debtor the guard cannot evaluate (bad zone, naive time...)."""


class UnknownJurisdictionError(ComplianceInputError):
    """No compliance profile exists for the requested jurisdiction."""


class StrategyError(ScoringError):
    """A strategy file that does not validate; the message says where and why."""


class ModelError(ScoringError):
    """Training or scoring could not proceed (too little data, one class only...)."""


class DatasetError(ScoringError):
    """A benchmark dataset could not be found or read."""


class AllocationError(ScoringError):
    """A case could not be assigned, reassigned or transferred."""


class CampaignError(ScoringError):
    """A campaign definition that does not validate; the message names the field and why."""


class TransitionRefused(CampaignError):
    """A campaign state change that is not allowed from the campaign's current state."""
