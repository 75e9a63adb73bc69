"""The one environment switch: ``COLLECTBOT_ENVIRONMENT`` governs every package.

Package-level switches (``API_ENVIRONMENT``, ``ARI_ENVIRONMENT`` …) are no longer read on their
own: when one is set and says something else than ``COLLECTBOT_ENVIRONMENT`` (unset means
``development``), nothing starts, so two packages can never disagree about being in production.
Pure: the caller passes the environment variables in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Literal

from core.errors import ConfigurationError

Environment = Literal["development", "production"]
ENVIRONMENT_VAR: Final = "COLLECTBOT_ENVIRONMENT"
ENVIRONMENTS: Final = ("development", "production")
PACKAGE_ENVIRONMENT_VARS: Final = (
    "API_ENVIRONMENT",
    "ARI_ENVIRONMENT",
    "ASR_ENVIRONMENT",
    "DIALER_ENVIRONMENT",
    "IVR_ENVIRONMENT",
    "NLU_ENVIRONMENT",
    "SCORING_ENVIRONMENT",
    "SMS_ENVIRONMENT",
    "TTS_ENVIRONMENT",
)


def parse_environment(value: str, source: str = ENVIRONMENT_VAR) -> Environment:
    name = value.strip().lower()
    if name == "development":
        return "development"
    if name == "production":
        return "production"
    raise ConfigurationError(f"{source}={value!r}: use development or production")


def check_package_switches(environment: str, environ: Mapping[str, str]) -> None:
    """Refuse a package-level environment variable that disagrees with the one switch."""
    resolved = parse_environment(environment)
    upper = {k.upper(): v for k, v in environ.items()}
    for var in PACKAGE_ENVIRONMENT_VARS:
        if var in upper and parse_environment(upper[var], var) != resolved:
            raise ConfigurationError(
                f"{var}={upper[var]!r} disagrees with {ENVIRONMENT_VAR}={resolved!r}: "
                f"{ENVIRONMENT_VAR} alone decides the environment of every package "
                f"(set it, and unset {var})"
            )


def environment_by_name(data: object) -> object:
    """For a package's settings whose ``environment`` is read from ``COLLECTBOT_ENVIRONMENT``
    only: accept ``environment=`` as a keyword too (a pydantic "before" validator's body)."""
    if isinstance(data, dict) and "environment" in data:
        data = dict(data)
        data[ENVIRONMENT_VAR.lower()] = data.pop("environment")
    return data


def is_production(environment: str) -> bool:
    return parse_environment(environment) == "production"
