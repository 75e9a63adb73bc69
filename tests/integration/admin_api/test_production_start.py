"""Production never starts on a development default, whichever package switch is set.

Every combination of COLLECTBOT_ENVIRONMENT × API_ENVIRONMENT × missing/weak/strong secrets goes
through the real start path (``app_from_environment``, and ``collectbot serve-api`` in a
process); a token forged with the public development secret is refused by the started API.
"""

from __future__ import annotations

import base64
import itertools
import os
import secrets
import socket
import ssl
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi.testclient import TestClient

from admin_api.main import app_from_environment
from admin_api.settings import DEV_SECRET, ApiSettings
from core.errors import ConfigurationError
from data.crypto import new_key_spec
from data.errors import KeyringError
from ivr.settings import AriSettings

ROOT = Path(__file__).resolve().parents[3]
API_SECRETS = ("API_JWT_SECRET", "API_WEBHOOK_SECRET", "API_SMS_RECEIPT_SECRET")
ANY = "0.0.0.0"  # noqa: S104 - the address these tests are about
WEAK_KEY = "k1:" + base64.b64encode(b"\x00" * 32).decode()


def _secrets(kind: str) -> dict[str, str]:
    if kind == "missing":
        return {}
    if kind == "weak":
        return {**dict.fromkeys(API_SECRETS, "a" * 32), "COLLECTBOT_DATA_KEY": WEAK_KEY}
    return {
        **{name: secrets.token_urlsafe(32) for name in API_SECRETS},
        "COLLECTBOT_DATA_KEY": new_key_spec(),
    }


def _environ(monkeypatch: pytest.MonkeyPatch, home: Path, values: dict[str, str | None]) -> None:
    for name in (
        "COLLECTBOT_ENVIRONMENT", "API_ENVIRONMENT", "COLLECTBOT_DATA_KEY",
        "COLLECTBOT_DATABASE_URL", "COLLECTBOT_CLOCK_OFFSET_S", "COLLECTBOT_LOG_PII",
        "API_DOCS", *API_SECRETS,
    ):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLLECTBOT_HOME", str(home))
    for name, value in values.items():
        if value is not None:
            monkeypatch.setenv(name, value)


def _expected(collectbot: str | None, api: str | None, kind: str) -> str | None:
    """The words of the refusal, or None when the API must start."""
    effective = collectbot or "development"
    if api is not None and api != effective:
        return "disagrees with COLLECTBOT_ENVIRONMENT"
    if effective == "development":
        return None
    return {"missing": "COLLECTBOT_DATA_KEY", "weak": "guessable|not random", "strong": None}[kind]


def _forged(secret: str, role: str = "admin") -> str:
    now = datetime.now(UTC)
    claims = {
        "iss": "collectbot", "sub": "usr_forged", "name": "mallory", "role": role,
        "iat": int(now.timestamp()), "exp": int((now + timedelta(minutes=5)).timestamp()),
    }  # fmt: skip
    return jwt.encode(claims, secret, algorithm="HS256")


COMBINATIONS = list(
    itertools.product(
        (None, "development", "production"),
        (None, "development", "production"),
        ("missing", "weak", "strong"),
    )
)


@pytest.mark.parametrize(("collectbot", "api", "kind"), COMBINATIONS)
def test_every_combination_through_app_from_environment(
    collectbot: str | None,
    api: str | None,
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = _secrets(kind)
    _environ(
        monkeypatch,
        tmp_path,
        {"COLLECTBOT_ENVIRONMENT": collectbot, "API_ENVIRONMENT": api, **values},
    )
    refusal = _expected(collectbot, api, kind)
    if refusal is not None:
        with pytest.raises((ConfigurationError, KeyringError), match=refusal):
            app_from_environment()
        assert not (tmp_path / "dev-data-key").exists()  # never a generated key on refusal
        return
    app = app_from_environment()
    production = collectbot == "production"
    assert (tmp_path / "dev-data-key").exists() == (kind == "missing")
    with TestClient(app) as client:
        assert client.get("/health").status_code == 200
        assert client.get("/openapi.json").status_code == (404 if production else 200)
        forged = {"Authorization": f"Bearer {_forged(DEV_SECRET)}"}
        users = client.get("/users", headers=forged)
        real_secret = values.get("API_JWT_SECRET", DEV_SECRET)
        genuine = {"Authorization": f"Bearer {_forged(real_secret)}"}
        assert client.get("/users", headers=genuine).status_code == 200
        if production:
            assert users.status_code == 401, users.text


@pytest.mark.parametrize(
    ("extra", "refusal"),
    [
        ({"COLLECTBOT_CLOCK_OFFSET_S": "3600"}, "CLOCK_OFFSET"),
        ({"COLLECTBOT_LOG_PII": "1"}, "LOG_PII"),
        ({"COLLECTBOT_DATA_KEY": None}, "COLLECTBOT_DATA_KEY is required"),
        ({"COLLECTBOT_DATA_KEY": WEAK_KEY}, "not random"),
        ({"API_JWT_SECRET": DEV_SECRET}, "published development default"),
        ({"API_WEBHOOK_SECRET": "0123456789" * 4}, "API_WEBHOOK_SECRET is guessable"),
        ({"API_SMS_RECEIPT_SECRET": "short"}, "API_SMS_RECEIPT_SECRET has 5 characters"),
        ({"ARI_ENVIRONMENT": "development"}, "ARI_ENVIRONMENT"),
    ],
)
def test_production_refuses_each_development_default_alone(
    extra: dict[str, str | None], refusal: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values: dict[str, str | None] = {"COLLECTBOT_ENVIRONMENT": "production", **_secrets("strong")}
    _environ(monkeypatch, tmp_path, {**values, **extra})  # None: the variable is unset
    with pytest.raises((ConfigurationError, KeyringError), match=refusal):
        app_from_environment()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _cli_env(home: Path, values: dict[str, str]) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.endswith("_ENVIRONMENT") and not k.startswith(("API_", "COLLECTBOT_"))
    }
    return {**env, "PYTHONPATH": str(ROOT), "COLLECTBOT_HOME": str(home), **values}


@pytest.mark.parametrize(
    ("values", "refusal"),
    [
        ({"COLLECTBOT_ENVIRONMENT": "production", "COLLECTBOT_DATA_KEY": new_key_spec()},
         "API_JWT_SECRET is a published development default"),
        ({"API_ENVIRONMENT": "production"}, "API_ENVIRONMENT='production' disagrees"),
    ],
)  # fmt: skip
def test_serve_api_refuses_with_a_message_not_a_traceback(
    values: dict[str, str], refusal: str, tmp_path: Path
) -> None:
    cmd = [sys.executable, "-m", "cli.main", "serve-api", "--port", str(_free_port())]
    done = subprocess.run(
        cmd, env=_cli_env(tmp_path, values), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert refusal in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "dev-data-key").exists()


def test_serve_api_in_production_rejects_a_token_forged_with_the_default_secret(
    tmp_path: Path,
) -> None:
    values = {"COLLECTBOT_ENVIRONMENT": "production", **_secrets("strong")}
    port = _free_port()
    cmd = [sys.executable, "-m", "cli.main", "serve-api", "--port", str(port)]
    with subprocess.Popen(cmd, env=_cli_env(tmp_path, values), stderr=subprocess.PIPE) as proc:
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                try:
                    if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.2)
            forged = httpx.get(
                f"{base}/users", headers={"Authorization": f"Bearer {_forged(DEV_SECRET)}"}
            )
            assert forged.status_code == 401
            genuine = _forged(values["API_JWT_SECRET"])
            ok = httpx.get(f"{base}/users", headers={"Authorization": f"Bearer {genuine}"})
            assert ok.status_code == 200
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def test_production_refuses_the_sandbox_ari_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARI_PASSWORD", raising=False)
    monkeypatch.delenv("API_ENVIRONMENT", raising=False)
    monkeypatch.delenv("ARI_ENVIRONMENT", raising=False)
    monkeypatch.setenv("COLLECTBOT_ENVIRONMENT", "production")
    with pytest.raises(ConfigurationError, match="ARI_PASSWORD is a published development"):
        AriSettings()
    monkeypatch.setenv("ARI_PASSWORD", "a" * 40)
    with pytest.raises(ConfigurationError, match="ARI_PASSWORD is guessable"):
        AriSettings()
    monkeypatch.setenv("ARI_PASSWORD", secrets.token_urlsafe(32))
    assert AriSettings().environment == "production"
    monkeypatch.setenv("COLLECTBOT_ENVIRONMENT", "development")
    monkeypatch.delenv("ARI_PASSWORD")
    assert AriSettings().password.get_secret_value() == "collectbot-sandbox"  # the sandbox's


@pytest.mark.parametrize(
    ("environment", "host", "extra", "refused"),
    [
        ("production", ANY, {}, True),
        ("production", "10.1.2.3", {}, True),
        ("production", ANY, {"behind_tls_proxy": True}, False),
        ("production", ANY, {"tls_cert": "c.pem", "tls_key": "k.pem"}, False),
        ("production", "127.0.0.1", {}, False),
        ("production", "::1", {}, False),
        ("development", ANY, {}, False),
        ("development", "127.0.0.1", {"tls_cert": "c.pem"}, True),  # a cert without its key
    ],
)
def test_production_refuses_plain_http_on_a_reachable_address(
    environment: str, host: str, extra: dict[str, Any], refused: bool
) -> None:
    strong: dict[str, Any] = {
        name.removeprefix("API_").lower(): secrets.token_urlsafe(32) for name in API_SECRETS
    }
    settings = ApiSettings(environment=environment, **strong, **extra)
    if refused:
        with pytest.raises(ConfigurationError, match="TLS"):
            settings.check_bind(host)
    else:
        settings.check_bind(host)


def _self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .not_valid_before(now - timedelta(minutes=1)).not_valid_after(now + timedelta(days=1))
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def test_serve_api_serves_https_itself_in_production(tmp_path: Path) -> None:
    cert, key = _self_signed(tmp_path)
    trust = ssl.create_default_context(cafile=str(cert))
    values = {
        "COLLECTBOT_ENVIRONMENT": "production", **_secrets("strong"),
        "API_TLS_CERT": str(cert), "API_TLS_KEY": str(key), "API_HOST": ANY,
    }  # fmt: skip
    port = _free_port()
    cmd = [sys.executable, "-m", "cli.main", "serve-api", "--port", str(port)]
    with subprocess.Popen(cmd, env=_cli_env(tmp_path, values), stderr=subprocess.PIPE) as proc:
        try:
            deadline, status = time.monotonic() + 60, 0
            while time.monotonic() < deadline and not status:
                try:
                    status = httpx.get(
                        f"https://localhost:{port}/health", verify=trust, timeout=1
                    ).status_code
                except httpx.TransportError:
                    time.sleep(0.2)
            assert status == 200
            with pytest.raises(httpx.TransportError):
                httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
