from __future__ import annotations

import pytest

from data.crypto import Keyring, load_keyring, new_key_spec, parse_keyring
from data.errors import KeyringError


def test_roundtrip_and_fresh_nonce() -> None:
    ring = Keyring.from_spec(new_key_spec())
    a = ring.encrypt("+14155550123", "debtor_phones.phone")
    b = ring.encrypt("+14155550123", "debtor_phones.phone")
    assert a != b  # random nonce: equal plaintexts do not give equal ciphertexts
    assert b"4155550123" not in a
    assert ring.decrypt(a, "debtor_phones.phone") == "+14155550123"
    assert ring.kid_of(a) == ring.active.kid


def test_value_bound_to_its_column() -> None:
    ring = Keyring.from_spec(new_key_spec())
    blob = ring.encrypt("Jane Doe", "debtors.name")
    with pytest.raises(KeyringError, match="failed authentication"):
        ring.decrypt(blob, "debtors.address")


def test_tampered_ciphertext_is_refused() -> None:
    ring = Keyring.from_spec(new_key_spec())
    blob = bytearray(ring.encrypt("123-45-6789", "debtors.national_id"))
    blob[-1] ^= 1
    with pytest.raises(KeyringError):
        ring.decrypt(bytes(blob), "debtors.national_id")


def test_rotation_keyring_decrypts_old_and_encrypts_new() -> None:
    old_spec, new_spec = new_key_spec(), new_key_spec()
    old = Keyring.from_spec(old_spec)
    blob = old.encrypt("secret", "c")
    both = Keyring.from_spec(f"{new_spec},{old_spec}")
    assert both.decrypt(blob, "c") == "secret"
    assert both.kid_of(both.encrypt("x", "c")) == both.active.kid != old.active.kid
    # lookups find values indexed under either key
    assert old.blind_index("v", "phone") in both.blind_indexes("v", "phone")
    only_new = Keyring.from_spec(new_spec)
    with pytest.raises(KeyringError, match="not in the keyring"):
        only_new.decrypt(blob, "c")


def test_blind_index_is_keyed_and_stable() -> None:
    spec = new_key_spec()
    a, b = Keyring.from_spec(spec), Keyring.from_spec(spec)
    assert a.blind_index("+8613800138000", "phone") == b.blind_index("+8613800138000", "phone")
    assert a.blind_index("+8613800138000", "phone") != a.blind_index(
        "+8613800138000", "national_id"
    )
    other = Keyring.from_spec(new_key_spec())
    assert other.blind_index("+8613800138000", "phone") != a.blind_index("+8613800138000", "phone")


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("not base64!!", "base64"),
        ("a:" + "QUJD", "32 bytes"),
        (
            "dup:" + new_key_spec().split(":")[1] + ",dup:" + new_key_spec().split(":")[1],
            "duplicate",
        ),
    ],
)
def test_bad_keyring_specs(spec: str, message: str) -> None:
    with pytest.raises(KeyringError, match=message):
        parse_keyring(spec)


def test_dev_key_generated_once_with_warning(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    first = load_keyring(None, tmp_path, environment="development")
    assert "DEVELOPMENT key" in capsys.readouterr().err
    second = load_keyring(None, tmp_path, environment="development")
    assert first.active.kid == second.active.kid
    assert (tmp_path / "dev-data-key").stat().st_mode & 0o777 == 0o600
    with pytest.raises(KeyringError, match="required in production"):
        load_keyring(None, tmp_path, environment="production")
