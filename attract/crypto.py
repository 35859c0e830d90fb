"""Secrets at rest: Fernet encryption with key rotation (MultiFernet).

`settings.ATTRACT_ENCRYPTION_KEYS` lists Fernet keys, newest first: the first encrypts, every one
decrypts, so a new key can be put in front and `manage.py reencrypt_secrets` moves every stored
secret onto it before the old key is dropped. Without keys a key derived from SECRET_KEY is used
(a laptop default; rotating SECRET_KEY then needs the old one listed as an encryption key).
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models

__all__ = ["DecryptionError", "EncryptedTextField", "decrypt", "encrypt", "rotate"]


class DecryptionError(Exception):
    """A stored secret no configured key can open (a key was dropped too early)."""


def _derived_key(secret_key: str) -> bytes:
    digest = hashlib.sha256(f"attract-secrets-at-rest:{secret_key}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    materials = [k.encode() for k in keys] if keys else [_derived_key(secret_key)]
    return MultiFernet([Fernet(k) for k in materials])


def _current() -> MultiFernet:
    return _fernet(tuple(settings.ATTRACT_ENCRYPTION_KEYS), settings.SECRET_KEY)


def encrypt(plaintext: str) -> str:
    """The Fernet token of `plaintext` under the newest key."""
    return _current().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    """The plaintext of a token made under any configured key."""
    try:
        return _current().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key opens this secret.") from exc


def rotate(token: str) -> str:
    """The same secret re-encrypted under the newest key."""
    try:
        return _current().rotate(token.encode()).decode()
    except InvalidToken as exc:
        raise DecryptionError("No configured encryption key opens this secret.") from exc


class EncryptedTextField(models.TextField):
    """A text column holding a Fernet token; Python sees the plaintext ("" stays "")."""

    description = "Text encrypted at rest"

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)
