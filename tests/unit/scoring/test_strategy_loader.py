"""Strategy YAML validation: clear errors that name the place, and the shipped default."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from cli.scoring_commands import app
from scoring.errors import StrategyError
from scoring.strategy import Step, load_strategy, parse_strategy

DEFAULT = yaml.safe_load(
    (Path(__file__).parents[3] / "scoring/strategy/default_strategy.yaml").read_text()
)


def broken(path: str, value: object) -> dict[str, object]:
    raw = yaml.safe_load(yaml.safe_dump(DEFAULT))
    node = raw
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[int(key)] if isinstance(node, list) else node[key]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return raw  # type: ignore[no-any-return]


def test_the_shipped_default_is_valid_and_matches_the_seed() -> None:
    s = load_strategy()
    assert s.treatments["gentle_reminder"].steps == (Step.SMS, Step.BOT_CALL)
    assert Step.AGENT_CALL in s.treatments["agent_negotiation"].steps
    assert s.treatments["agent_negotiation"].negotiation.plan_lengths == (3, 6)
    esc = s.treatments["escalation"]
    assert (esc.letter, esc.field_visit, esc.legal_review) == (True, True, True)
    assert str(s.challenger_share) == "0.10"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("champion.0.treatment", "nope", "champion[0]: unknown treatment 'nope'"),
        ("champion.1.when", {"dpd_buckets": ["ancient"]}, "unknown dpd bucket(s) ['ancient']"),
        ("treatments.gentle_reminder.cadence_days", 0, "gentle_reminder.cadence_days"),
        ("treatments.gentle_reminder.steps", ["fax"], "gentle_reminder.steps.0"),
        ("treatments.gentle_reminder.hours", {"start": "20:00", "end": "09:00"}, "start must"),
        ("treatments.escalation.colour", "red", "escalation.colour: Extra inputs"),
        ("challenger_share", "1.5", "challenger_share"),
        ("champion.5", None, "champion: the last rule must be a catch-all"),
        ("name", None, "name: Field required"),
        (
            "treatments.escalation.negotiation.min_promise_share",
            "2",
            "negotiation.min_promise_share",
        ),
    ],
)
def test_invalid_files_name_the_problem(path: str, value: object, message: str) -> None:
    if path == "champion.5":  # drop the catch-all
        raw = broken("champion", DEFAULT["champion"][:5])
    else:
        raw = broken(path, value)
    with pytest.raises(StrategyError) as err:
        parse_strategy(raw, "s.yaml")
    assert message in str(err.value)
    assert str(err.value).startswith("s.yaml: invalid strategy:")


def test_challenger_share_needs_challenger_rules() -> None:
    raw = broken("challenger", [])
    with pytest.raises(StrategyError, match="needs challenger rules"):
        parse_strategy(raw)


def test_validate_command(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(DEFAULT))
    result = CliRunner().invoke(app, ["strategy", "validate", str(good)])
    assert result.exit_code == 0
    assert "valid strategy 'default'" in result.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ntreatments: [\n")
    result = CliRunner().invoke(app, ["strategy", "validate", str(bad)])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output
