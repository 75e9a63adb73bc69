"""Configuration of the scoring package (environment variables prefixed ``SCORING_``)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ScoringSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SCORING_", extra="ignore")

    compliance_profiles: Path | None = Field(
        default=None, description="YAML file overriding or adding jurisdiction profiles"
    )
    strategy_file: Path | None = Field(
        default=None, description="strategy YAML; the packaged default_strategy.yaml when unset"
    )
    tier_low_from: float = Field(
        default=0.6, description="probability of payment >= this is low risk"
    )
    tier_high_below: float = Field(
        default=0.25, description="probability of payment < this is high risk"
    )
    datasets_dir: Path = Field(
        default_factory=lambda: Path(os.environ.get("COLLECTBOT_HOME", "var")) / "datasets",
        description="where benchmark archives are looked for when the package is not installed",
    )
    seed: int = 20260101
