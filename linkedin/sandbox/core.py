"""The sandbox instance: storage, clock and options shared by the API, pages and controls."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from typing import Any

from linkedin.sandbox import seed
from linkedin.sandbox.storage import Clock, Record, Storage

DEFAULT_STORAGE = "var/linkedin-sandbox.sqlite3"


def _env_float(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    return float(raw) if raw else default


@dataclass
class Options:
    """Process options: the command line and environment give them, tests override them."""

    storage: str = DEFAULT_STORAGE
    rate_scale: float = field(
        default_factory=lambda: _env_float("LINKEDIN_SANDBOX_RATE_SCALE", 1.0)
    )
    # Guess (LINKEDIN.md 2.2 / open item 9): 2-legged tokens live about 30 minutes.
    app_token_ttl: int = 1800
    # Reference: LinkedIn 3-legged access tokens live 60 days, refresh tokens 365 days.
    member_token_ttl: int = 60 * 24 * 3600
    refresh_token_ttl: int = 365 * 24 * 3600
    # Reference: authorization codes live 30 minutes.
    auth_code_ttl: int = 30 * 60
    push_timeout: float = 10.0


class Sandbox:
    def __init__(self, options: Options | None = None) -> None:
        self.options = options or Options()
        self.storage = Storage(self.options.storage)
        self.clock = Clock(self.storage)
        if self.storage.get("application", seed.PARTNER_CLIENT_ID) is None:
            self.reset()
        self.storage.set_meta("rate_scale", self.options.rate_scale)

    def reset(self) -> None:
        """Forget everything and seed the out-of-the-box records again."""
        with self.storage.transaction():
            self.storage.clear()
            self.storage.set_meta("rate_scale", self.options.rate_scale)
            seed.seed(self.storage, self.clock.now_ms())

    @property
    def rate_scale(self) -> float:
        return float(self.storage.meta("rate_scale", self.options.rate_scale))

    # Small shared helpers -----------------------------------------------------------------------

    def new_id(self) -> str:
        return secrets.token_hex(8)

    def application(self, client_id: str) -> Record | None:
        return self.storage.get("application", client_id)

    def application_by_urn(self, urn: str) -> Record | None:
        found = self.storage.all("application", lambda a: a["key"] == urn)
        return found[0] if found else None

    def member(self, person_id: str) -> Record | None:
        return self.storage.get("member", person_id)

    def member_by_urn(self, urn: str) -> Record | None:
        return self.member(urn.rsplit(":", 1)[-1]) if urn.startswith("urn:li:person:") else None

    def seat(self, seat_urn: str) -> Record | None:
        return self.storage.get("seat", seat_urn.rsplit(":", 1)[-1])

    def seats_of(self, person_urn: str) -> list[Record]:
        return self.storage.all("seat", lambda s: s["seatHolder"] == person_urn and s["active"])

    def contract(self, urn: str) -> Record | None:
        return self.storage.get("contract", urn)

    def contracts_of_org(self, org_urn: str) -> list[Record]:
        return self.storage.all("contract", lambda c: c["organization"] == org_urn)

    def org_of_context(self, context: str) -> str | None:
        """The organisation an integration context (organisation or contract URN) belongs to."""
        if context.startswith("urn:li:organization:"):
            return context if self.storage.get("organization", context) else None
        contract = self.contract(context)
        return contract["organization"] if contract else None

    def authorized_orgs(self, app: Record) -> set[str]:
        return {c["organization"] for c in app.get("authorizedContexts", [])}

    def authorized_contracts(self, app: Record) -> set[str]:
        return {c["contract"] for c in app.get("authorizedContexts", []) if c.get("contract")}

    def info(self) -> dict[str, Any]:
        return {"storage": self.storage.path, "rate_scale": self.rate_scale}
