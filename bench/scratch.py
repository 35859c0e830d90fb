"""A scratch PostgreSQL database beside the one of DATABASE_URL, for a benchmark run."""

import os
from urllib.parse import urlsplit, urlunsplit


def scratch_url(base: str, label: str) -> str:
    """The URL of a database named after the benchmark and this process, on `base`'s server."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"/attract_bench_{label}_{os.getpid()}"))


def admin_sql(base: str, sql: str) -> None:
    """Run one statement (CREATE / DROP DATABASE) on `base`'s server, outside a transaction."""
    import psycopg2

    parts = urlsplit(base)
    conn = psycopg2.connect(
        host=parts.hostname,
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()
