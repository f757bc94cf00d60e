"""Pseudonyms and raw-archive encryption: deterministic, keyed, separated."""

from __future__ import annotations

import hashlib
import hmac
import pickle
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijkzicht.store.keys import INFO_ARCHIVE, INFO_PSEUDONYM, DecryptError, Keys, derive

KEY = "wijkzicht-test-key-0123456789"
bsns = st.text("0123456789", min_size=9, max_size=9).filter(
    lambda b: b not in ("999999999", "000000000")
)


@given(bsns)
def test_pseudonym_is_deterministic_and_keyed(bsn):
    a, b = Keys(KEY), Keys(KEY)
    assert a.pseudonym(bsn) == b.pseudonym(bsn)
    assert a.pseudonym(bsn) != Keys(KEY + "x").pseudonym(bsn)
    assert bsn not in (a.pseudonym(bsn) or "")


def test_pseudonym_is_hmac_sha256_with_the_derived_key():
    expected = hmac.new(derive(KEY, INFO_PSEUDONYM), b"999900006", hashlib.sha256).hexdigest()
    assert Keys(KEY).pseudonym("999900006") == expected
    assert Keys(KEY).pseudonym(" 999900006 ") == expected


def test_unknown_and_unborn_bsn_have_no_pseudonym():
    keys = Keys(KEY)
    assert keys.pseudonym("999999999") is None
    assert keys.pseudonym("000000000") is None
    assert keys.pseudonym("") is None
    assert keys.pseudonym(None) is None


def test_pseudonym_and_archive_keys_are_separated():
    assert derive(KEY, INFO_PSEUDONYM) != derive(KEY, INFO_ARCHIVE)
    assert KEY.encode() not in (derive(KEY, INFO_PSEUDONYM), derive(KEY, INFO_ARCHIVE))


@given(st.binary(max_size=2000))
def test_encrypt_round_trip_and_determinism(data):
    keys = Keys(KEY)
    sha = hashlib.sha256(data).hexdigest()
    blob = keys.encrypt(data, sha)
    assert keys.decrypt(blob, sha) == data
    assert keys.encrypt(data, sha) == blob  # same bytes, same stored value (crash-safe re-runs)


def test_decrypt_needs_the_right_key_and_row():
    data = b"<Bsn>999900006</Bsn>" * 10
    sha = hashlib.sha256(data).hexdigest()
    blob = Keys(KEY).encrypt(data, sha)
    assert b"999900006" not in blob
    with pytest.raises(DecryptError):
        Keys(KEY + "other").decrypt(blob, sha)
    with pytest.raises(DecryptError):
        Keys(KEY).decrypt(blob, "0" * 64)
    tampered = blob[:-1] + bytes([blob[-1] ^ 1])
    with pytest.raises(DecryptError):
        Keys(KEY).decrypt(tampered, sha)


def test_keys_survive_pickling_for_worker_processes():
    keys = pickle.loads(pickle.dumps(Keys(KEY)))  # noqa: S301 - our own bytes
    assert keys.pseudonym("999900006") == Keys(KEY).pseudonym("999900006")


def test_format_1_blobs_of_older_stores_still_decrypt():
    # format 1: zlib level 1, nonce = HMAC(nonce key, sha256)[:12]
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from wijkzicht.store.keys import INFO_NONCE

    data = b"<Bericht><Bsn>999900006</Bsn></Bericht>" * 20
    sha = hashlib.sha256(data).hexdigest()
    nonce = hmac.digest(derive(KEY, INFO_NONCE), sha.encode(), "sha256")[:12]
    body = AESGCM(derive(KEY, INFO_ARCHIVE)).encrypt(nonce, zlib.compress(data, 1), sha.encode())
    assert Keys(KEY).decrypt(b"\x01" + nonce + body, sha) == data
    assert Keys(KEY).encrypt(data, sha)[:1] == b"\x02"
    with pytest.raises(DecryptError):
        Keys(KEY).decrypt(b"\x03" + nonce + body, sha)


def test_the_nonce_depends_on_the_compressed_bytes(monkeypatch):
    # another compressor (or version) packing the same item differently must not reuse a nonce
    import wijkzicht.store.keys as mod

    keys = Keys(KEY)
    data = b"<a>" + b"x" * 500 + b"</a>"
    sha = hashlib.sha256(data).hexdigest()
    blob = keys.encrypt(data, sha)
    assert zlib.decompress(keys._aead().decrypt(blob[1:13], blob[13:], sha.encode())) == data

    class Other:
        @staticmethod
        def compress(d: bytes, level: int) -> bytes:
            return zlib.compress(d, 9)

    monkeypatch.setattr(mod, "isal_zlib", Other)
    other = keys.encrypt(data, sha)
    assert other[13:] != blob[13:]  # packed differently
    assert keys.decrypt(other, sha) == data
    assert other[1:13] != blob[1:13]
