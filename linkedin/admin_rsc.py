"""The Recruiter System Connect section of the admin LinkedIn integration tab."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from linkedin import selectors_rsc, selectors_sync, services_rsc, views_sync
from linkedin.forms_rsc import ClientSecretForm, ContractForm
from linkedin.models_rsc import RecruiterConnection, RscStatus

INTEGRATION_LABELS = {
    "ONE_CLICK_EXPORT": "1-click export",
    "IN_ATS_INDICATOR": "In-ATS indicator",
    "PROFILE_PLUGIN": "Profile widget",
    "CSA_API": "InMails, notes and stub profiles (contract)",
}
STATUS_LABELS = {
    "PENDING_PARTNER": "Notify partner",
    "PARTNER_READY": "Partner ready",
    "ENABLED": "Enabled",
    "DISABLED": "Turned off",
    "": "Not requested",
}
SIGNED_IN = {
    RscStatus.CHOOSE_CONTRACT,
    RscStatus.READY_TO_REQUEST,
    RscStatus.NOTIFY_PARTNER,
    RscStatus.PARTNER_READY,
    RscStatus.ENABLED,
    RscStatus.DISABLED,
}


def admin_context(request: HttpRequest) -> dict:
    connection = selectors_rsc.connection_for_admin(request.user)
    status = connection.status
    return {
        "rsc": connection,
        "rsc_connected": status in SIGNED_IN,
        "rsc_can_request": status == RscStatus.READY_TO_REQUEST,
        "rsc_can_notify": status == RscStatus.NOTIFY_PARTNER and connection.has_application,
        "rsc_can_refresh": bool(connection.organization_urn) and status in SIGNED_IN,
        "rsc_features": selectors_rsc.features(connection.access_level),
        "rsc_integrations": _integrations(connection),
        "rsc_contract_form": _contract_form(connection),
        "rsc_secret_form": ClientSecretForm() if connection.has_application else None,
        "rsc_callback_url": request.build_absolute_uri(
            reverse("linkedin:callback", args=[connection.callback_token])
        ),
        # Guess: LinkedIn Recruiter's admin settings (More → Admin Settings → ATS); the sandbox
        # serves its stand-in at this path.
        "rsc_recruiter_admin_url": f"{settings.LINKEDIN_OAUTH_BASE_URL.rstrip('/')}"
        "/recruiter/admin/ats",
        # Lazy: read only when the sync dashboard is rendered.
        "sync_exports": SimpleLazyObject(lambda: selectors_sync.export_summary(request.user)),
        "sync_outbox": SimpleLazyObject(lambda: selectors_sync.outbox_summary(request.user)),
        "sync_settings_form": SimpleLazyObject(views_sync.settings_form),
        "sync_flows": SimpleLazyObject(lambda: selectors_sync.flow_counts(request.user)),
        "sync_history": SimpleLazyObject(lambda: selectors_sync.history_status(request.user)),
        "sync_history_form": SimpleLazyObject(views_sync.HistoryAgainForm),
    }


def _contract_form(connection: RecruiterConnection) -> ContractForm | None:
    several = len(connection.contracts) > 1
    if connection.status == RscStatus.CHOOSE_CONTRACT or (
        several and connection.status == RscStatus.READY_TO_REQUEST
    ):
        initial = {"contract": connection.contract_urn} if connection.contract_urn else {}
        return ContractForm(initial=initial, contracts=connection.contracts)
    return None


def _integrations(connection: RecruiterConnection) -> list[tuple[str, str]]:
    if not connection.organization_urn:
        return []
    types = [*services_rsc.ORGANIZATION_TYPES, services_rsc.CONTRACT_TYPE]
    statuses = connection.integration_statuses or {}
    return [
        (INTEGRATION_LABELS[t], STATUS_LABELS.get(statuses.get(t, ""), statuses.get(t, "")))
        for t in types
    ]
