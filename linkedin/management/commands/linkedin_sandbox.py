"""`python manage.py linkedin_sandbox --port 8765`: run the LinkedIn sandbox as its own process."""

import logging
import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from linkedin.sandbox.core import DEFAULT_STORAGE, Options, Sandbox
from linkedin.sandbox.server import serve


class Command(BaseCommand):
    help = "Run the LinkedIn sandbox (a stand-in for LinkedIn's partner APIs) on loopback."
    # The sandbox is a separate service: it needs neither the product's checks nor its URLs.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (loopback)")
        parser.add_argument(
            "--port", type=int, default=settings.LINKEDIN_SANDBOX_PORT, help="0 picks a free port"
        )
        parser.add_argument(
            "--storage",
            default=os.environ.get(
                "LINKEDIN_SANDBOX_STORAGE", str(settings.BASE_DIR / DEFAULT_STORAGE)
            ),
            help="SQLite file of the sandbox's own storage, or :memory:",
        )
        parser.add_argument(
            "--rate-scale",
            type=float,
            default=float(os.environ.get("LINKEDIN_SANDBOX_RATE_SCALE") or 1.0),
            help="multiply LinkedIn's rate limits (e.g. 0.001 for tests)",
        )
        parser.add_argument("--reset", action="store_true", help="start from the seed data")
        parser.add_argument("--quiet", action="store_true", help="no access log")

    def handle(self, *args: object, **options: object) -> None:
        logger = logging.getLogger("linkedin.sandbox")
        logger.setLevel(logging.WARNING if options["quiet"] else logging.INFO)
        if not logger.handlers:
            handler = logging.StreamHandler()
            handler.setFormatter(logging.Formatter("%(asctime)s sandbox %(message)s"))
            logger.addHandler(handler)
            logger.propagate = False
        sandbox_options = Options(
            storage=str(options["storage"]),
            rate_scale=float(options["rate_scale"]),  # type: ignore[arg-type]
        )
        if options["reset"]:
            Sandbox(sandbox_options).reset()
        serve(str(options["host"]), int(options["port"]), sandbox_options)  # type: ignore[call-overload]
