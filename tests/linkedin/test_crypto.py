"""Secrets at rest: Fernet round trip, key rotation and the re-encrypt command."""

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from attract import crypto
from linkedin.models_rsc import LinkedInAccount, RecruiterConnection


def raw_column(model, field: str, pk) -> str:
    table = model._meta.db_table
    column = model._meta.get_field(field).column
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_a_secret_round_trips_and_is_not_stored_in_clear(settings):
    settings.ATTRACT_ENCRYPTION_KEYS = []
    token = crypto.encrypt("s3cret-value")
    assert "s3cret" not in token
    assert crypto.decrypt(token) == "s3cret-value"


def test_each_encryption_differs_but_both_open(settings):
    settings.ATTRACT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    first, second = crypto.encrypt("same"), crypto.encrypt("same")
    assert first != second
    assert crypto.decrypt(first) == crypto.decrypt(second) == "same"


def test_the_default_key_comes_from_secret_key(settings):
    settings.ATTRACT_ENCRYPTION_KEYS = []
    token = crypto.encrypt("hello")
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


def test_an_old_key_still_decrypts_after_a_new_key_is_put_first(settings):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ATTRACT_ENCRYPTION_KEYS = [old]
    token = crypto.encrypt("rotate me")
    settings.ATTRACT_ENCRYPTION_KEYS = [new, old]
    assert crypto.decrypt(token) == "rotate me"
    rotated = crypto.rotate(token)
    settings.ATTRACT_ENCRYPTION_KEYS = [new]
    assert crypto.decrypt(rotated) == "rotate me"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token)


@pytest.mark.django_db
def test_the_field_stores_a_token_and_reads_the_plaintext(settings):
    settings.ATTRACT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    connection_row = RecruiterConnection.objects.create(client_secret="child-secret-123")
    stored = raw_column(RecruiterConnection, "client_secret", connection_row.pk)
    assert "child-secret-123" not in stored
    assert RecruiterConnection.objects.get().client_secret == "child-secret-123"
    # An empty secret stays empty (nothing to hide, and "" is not a valid token).
    assert raw_column(RecruiterConnection, "previous_client_secret", connection_row.pk) == ""


@pytest.mark.django_db
def test_reencrypt_moves_every_secret_to_the_newest_key(settings, recruiter, capsys):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.ATTRACT_ENCRYPTION_KEYS = [old]
    RecruiterConnection.objects.create(client_secret="child-secret", admin_access_token="adm-tok")
    LinkedInAccount.objects.create(
        user=recruiter, member_urn="urn:li:person:x", access_token="member-token"
    )
    # given a new key first, the old one still listed
    settings.ATTRACT_ENCRYPTION_KEYS = [new, old]
    # when
    call_command("reencrypt_secrets")
    # then only the new key is needed
    assert "3 secrets re-encrypted" in capsys.readouterr().out
    settings.ATTRACT_ENCRYPTION_KEYS = [new]
    saved = RecruiterConnection.objects.get()
    assert (saved.client_secret, saved.admin_access_token) == ("child-secret", "adm-tok")
    assert LinkedInAccount.objects.get().access_token == "member-token"


@pytest.mark.django_db
def test_reencrypt_reports_secrets_no_key_opens(settings):
    settings.ATTRACT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    RecruiterConnection.objects.create(client_secret="lost")
    settings.ATTRACT_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="1 secrets could not be decrypted"):
        call_command("reencrypt_secrets")
