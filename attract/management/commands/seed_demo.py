"""`manage.py seed_demo`: a realistic demo organisation for a laptop, made through the services."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from attract.demo import demo_present, ensure_users, seed, summary
from attract.demo.data import COMPANY_NAME, LOGINS


class Command(BaseCommand):
    help = (
        f"Fill the database with the {COMPANY_NAME} demo: users, process templates, jobs in "
        "every state, about 300 candidates with two months of history, notes, feedback and "
        "talent pools. Running it again adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. Never do this on a real organisation's database.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo fills the database with fictitious people and known passwords, so it "
                "only runs with DEBUG on. Pass --force to run it anyway (never on production)."
            )
        password = settings.DEMO_PASSWORD
        if not password:
            raise CommandError("DEMO_PASSWORD is empty: the demo users need a password.")
        started = time.monotonic()
        try:
            with transaction.atomic():
                users = ensure_users(password)
                present = demo_present()
                if not present:
                    seed(users.by_key)
        except ValidationError as exc:
            raise CommandError(f"Seeding stopped, nothing was saved: {exc}") from exc
        if present:
            self.stdout.write("Demo data already present: nothing added (demo logins checked).")
        else:
            self._report(time.monotonic() - started)
        self._logins(password, users.foreign)

    def _logins(self, password: str, foreign: list[str]) -> None:
        self.stdout.write(f"Logins: {' / '.join(LOGINS)}, password: {password}")
        for username in foreign:
            self.stdout.write(
                self.style.WARNING(
                    f"User {username!r} existed before the demo and keeps its own password."
                )
            )

    def _report(self, seconds: float) -> None:
        self.stdout.write(self.style.SUCCESS(f"{COMPANY_NAME} demo created in {seconds:.1f} s."))
        for label, value in summary():
            self.stdout.write(f"  {label}: {value}")
