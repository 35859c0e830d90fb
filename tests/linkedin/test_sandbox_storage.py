"""The sandbox's own storage: a SQLite file that survives restarts and is safe across threads."""

from concurrent.futures import ThreadPoolExecutor

import requests

from linkedin.sandbox.core import Options, Sandbox
from linkedin.sandbox.server import serve_in_thread
from linkedin.sandbox.storage import Storage


def test_file_storage_survives_a_restart(tmp_path):
    path = str(tmp_path / "sandbox.sqlite3")
    first = Sandbox(Options(storage=path))
    first.storage.put("note", "n1", {"text": "kept"})
    first.clock.advance(60)
    second = Sandbox(Options(storage=path))
    assert second.storage.get("note", "n1") == {"text": "kept"}
    assert second.storage.meta("clock_offset") == 60
    second.reset()
    assert second.storage.get("note", "n1") is None
    assert second.application("attract-partner") is not None


def test_counters_are_atomic_across_threads(tmp_path):
    storage = Storage(str(tmp_path / "s.sqlite3"))
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda _: storage.incr("hits"), range(400)))
    assert storage.counter("hits") == 400


def test_transaction_rolls_back(tmp_path):
    storage = Storage(":memory:")
    try:
        with storage.transaction():
            storage.put("x", "1", {"a": 1})
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert storage.get("x", "1") is None


def test_threaded_server_on_a_file_answers_concurrent_clients(tmp_path):
    server, url = serve_in_thread(Options(storage=str(tmp_path / "t.sqlite3")))
    try:
        form = {
            "grant_type": "client_credentials",
            "client_id": "attract-partner",
            "client_secret": "attract-partner-secret",
        }

        def token(_):
            return requests.post(f"{url}/oauth/v2/accessToken", data=form, timeout=10).status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            assert set(pool.map(token, range(40))) == {200}
        state = requests.get(f"{url}/_sandbox/state", timeout=10).json()
        assert len(state["token"]) == 40
    finally:
        server.shutdown()
        server.server_close()
