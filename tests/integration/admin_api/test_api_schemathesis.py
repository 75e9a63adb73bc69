"""Schemathesis over the app's OpenAPI schema, in-process (ASGI): no input finds a server error.

Every operation is exercised with bounded, derandomised examples as an admin (who may call
almost everything) and as an agent (whose cases are scoped), so the run stays short.
"""

from __future__ import annotations

from typing import Any

import api_fixtures
import schemathesis
from api_fixtures import Api
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case

sqlite_api = api_fixtures.sqlite_api
EXAMPLES = 20


def test_no_generated_request_finds_a_server_error(sqlite_api: Api) -> None:
    api = sqlite_api
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.client.app)
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 30
    calls = 0
    for operation in operations:

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case: Case[Any]) -> None:
            nonlocal calls
            for role in ("admin", "agent"):
                case.call_and_validate(headers=api.headers(role), checks=[not_a_server_error])
                calls += 1

        run()
    assert calls >= len(operations) * 2
