"""The collectbot CLI for data: exit codes 0/1/2, BOM and JSON Lines, audit verify."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from cli.main import app
from data.crypto import new_key_spec
from data.db import Database

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("COLLECTBOT_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLLECTBOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("COLLECTBOT_DATA_KEY", new_key_spec())
    return tmp_path


def demo(env: Path, cases: int = 40) -> Path:
    out = env / "p.csv"
    result = runner.invoke(
        app,
        [
            "demo-data",
            "--cases",
            str(cases),
            "--seed",
            "3",
            "--out",
            str(out),
            "--as-of",
            "2026-11-29",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (env / "p.profiles.jsonl").exists()
    return out


def test_demo_data_is_deterministic(env: Path) -> None:
    a = demo(env).read_bytes()
    b = demo(env).read_bytes()
    assert a == b
    profiles = [json.loads(x) for x in (env / "p.profiles.jsonl").read_text().splitlines()]
    assert len(profiles) == 40
    assert {"propensity_to_pay", "preferred_hours", "likely_replies"} <= set(profiles[0])


def test_exit_codes(env: Path) -> None:
    path = demo(env)
    ok = runner.invoke(app, ["portfolio", "import", str(path)])
    assert ok.exit_code == 0, ok.output
    assert "40 stored" in ok.output
    with path.open("a", encoding="utf-8") as f:
        f.write("D9,Bad Row,1,notaphone,,en,America/New_York,L9,personal,1,1,USD,2026-01-01,3\n")
    some = runner.invoke(app, ["portfolio", "import", str(path)])
    assert some.exit_code == 1
    assert "1 rejected" in some.output
    rejects = list(csv.DictReader((env / "p.csv.rejects.csv").open(encoding="utf-8")))
    assert rejects[0]["line"] == "42"
    assert "phone 'notaphone'" in rejects[0]["reason"]


def test_unusable_files_exit_2_and_store_nothing(env: Path) -> None:
    missing = env / "missing.csv"
    missing.write_text("debtor_id,name\nD1,Jane\n", encoding="utf-8")
    r = runner.invoke(app, ["portfolio", "import", str(missing)])
    assert r.exit_code == 2
    assert "missing core column(s): national_id" in r.output
    latin = env / "latin.csv"
    good = demo(env).read_text(encoding="utf-8").splitlines()
    latin.write_bytes(
        ("\n".join([*good[:5], good[5] + ",Müller"]) + "\n").encode("latin-1", "replace")
    )
    r = runner.invoke(app, ["portfolio", "import", str(latin)])
    assert r.exit_code == 2
    assert "not UTF-8" in r.output
    db = Database.connect(f"sqlite:///{env / 'cli.sqlite3'}")
    with db.transaction() as s:
        assert s.execute(text("SELECT count(*) FROM loans")).scalar() == 0
    db.dispose()


def test_bom_csv_and_jsonl(env: Path) -> None:
    path = demo(env, cases=10)
    bom = env / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert runner.invoke(app, ["portfolio", "import", str(bom)]).exit_code == 0
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    jsonl = env / "p.jsonl"
    rows[0]["loan_id"] = "J1"
    with jsonl.open("w", encoding="utf-8") as f:
        for row in rows[:3]:
            principal = float(row["principal"]) if row is rows[1] else row["principal"]
            f.write(json.dumps({**row, "principal": principal}) + "\n")
        f.write("{broken json\n")
    r = runner.invoke(app, ["portfolio", "import", str(jsonl)])
    assert r.exit_code == 1, r.output
    assert "3 stored" in r.output
    assert "1 rejected" in r.output


def test_audit_verify_cli(env: Path) -> None:
    runner.invoke(app, ["portfolio", "import", str(demo(env, cases=5))])
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0
    assert "intact" in r.output
    db = Database.connect(f"sqlite:///{env / 'cli.sqlite3'}")
    with db.transaction() as s:
        s.execute(text("DROP TRIGGER audit_log_no_update"))
        s.execute(text("UPDATE audit_log SET details = '{}' WHERE seq = 1"))
    db.dispose()
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 1
    assert "TAMPERED: entry 1" in r.output
