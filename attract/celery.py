"""The Celery application: JSON only, late acks, one task at a time per worker process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attract.settings")

app = Celery("attract")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # A task whose worker dies is redelivered instead of lost (measured in NOTES.md).
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders() -> None:
    """The laptop's filesystem broker needs its folders before any process sends or reads."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)


if str(app.conf.broker_url).startswith("filesystem://"):
    _ensure_filesystem_broker_folders()
