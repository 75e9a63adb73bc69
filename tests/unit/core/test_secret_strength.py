"""The production secret rule: length is not enough, a secret must be hard to guess."""

from __future__ import annotations

import base64
import secrets

import pytest

from core.environment import check_package_switches, parse_environment
from core.errors import ConfigurationError
from core.secrets import MIN_PATTERN_BITS, estimated_bits, require_strong_secret, secret_problem

WEAK = [
    "a" * 32,
    "a" * 200,
    "abcdefghijklmnopqrstuvwxyzabcdef",
    "0123456789abcdef0123456789abcdef",
    "zyxwvutsrqponmlkjihgfedcbaZYXWVUTSRQ",
    "password" * 4,
    "Xk9#mP2$" * 4,
    "Tr0ub4dor&3" * 3,
    secrets.token_urlsafe(12) * 3,  # a random 16 characters, repeated
    "collectbot-development-secret-change-me",
    "COLLECTBOT-DEVELOPMENT-SECRET-CHANGE-ME ",
    "ab" * 40,
    secrets.token_hex(8) * 2,
    secrets.token_hex(8) + "0" * 16,
    "deadbeef" * 4,
    "a1" * 16,
    "q" * 31 + "Z",
    "short",
    "",
]


@pytest.mark.parametrize("value", WEAK)
def test_weak_secrets_are_refused(value: str) -> None:
    assert secret_problem(value) is not None
    with pytest.raises(ConfigurationError, match="API_JWT_SECRET"):
        require_strong_secret("API_JWT_SECRET", value)


def test_generated_secrets_pass_every_time() -> None:
    for _ in range(3000):
        for value in (
            secrets.token_hex(16),  # 32 characters, exactly 128 bits
            secrets.token_hex(16).upper(),
            secrets.token_urlsafe(32),
            secrets.token_hex(32),
            base64.b64encode(secrets.token_bytes(32)).decode(),
            base64.b64encode(secrets.token_bytes(24)).decode(),
        ):
            assert secret_problem(value) is None, value
            assert estimated_bits(value) >= MIN_PATTERN_BITS


def test_the_estimate_reads_a_bounded_prefix_of_a_huge_value() -> None:
    assert secret_problem("a" * 1_000_000) is not None
    assert secret_problem(secrets.token_urlsafe(800_000)) is None


@pytest.mark.parametrize(
    ("collectbot", "package", "refused"),
    [
        ("development", {"API_ENVIRONMENT": "production"}, True),
        ("production", {"API_ENVIRONMENT": "development"}, True),
        ("production", {"ari_environment": "development"}, True),
        ("production", {"API_ENVIRONMENT": "Production"}, False),
        ("development", {"API_ENVIRONMENT": "development"}, False),
        ("production", {}, False),
        ("production", {"SOME_OTHER_ENVIRONMENT": "x"}, False),
    ],
)
def test_a_package_switch_that_disagrees_is_refused(
    collectbot: str, package: dict[str, str], refused: bool
) -> None:
    if refused:
        with pytest.raises(ConfigurationError, match="disagrees with COLLECTBOT_ENVIRONMENT"):
            check_package_switches(collectbot, package)
    else:
        check_package_switches(collectbot, package)


@pytest.mark.parametrize("value", ["prod", "staging", "", "test"])
def test_unknown_environment_names_are_refused(value: str) -> None:
    with pytest.raises(ConfigurationError, match="development or production"):
        parse_environment(value)
