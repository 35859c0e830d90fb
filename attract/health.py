"""Liveness of the parts the product needs: the database and the Celery broker."""

import time

from django.db import connection

from attract.celery import app


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **detail}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"vendor": connection.vendor}


def _broker() -> dict:
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
        return {
            "transport": conn.transport_cls if isinstance(conn.transport_cls, str) else "custom"
        }


def run_checks() -> dict:
    return {"database": _timed(_database), "broker": _timed(_broker)}
