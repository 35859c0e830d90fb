"""Writes of the candidates app (STYLE habit 1): import services from here."""

from candidates.services.applications import (
    BulkActionFailed,
    application_create,
    application_delete,
    application_hire,
    application_move,
    application_reject,
    application_reopen,
    application_withdraw,
    applications_move,
    applications_reject,
    candidate_add_to_job,
)
from candidates.services.candidates import (
    candidate_add_email,
    candidate_create,
    candidate_erase,
    candidate_find_by_email,
    candidate_merge,
    candidate_refresh_search,
    candidate_update,
    candidates_past_retention,
    normalise_email,
)
from candidates.services.documents import (
    document_add,
    document_delete,
    documents_sweep_orphans,
)
from candidates.services.notes import feedback_submit, note_add, note_delete, note_edit

__all__ = [
    "BulkActionFailed",
    "application_create",
    "application_delete",
    "application_hire",
    "application_move",
    "application_reject",
    "application_reopen",
    "application_withdraw",
    "applications_move",
    "applications_reject",
    "candidate_add_email",
    "candidate_add_to_job",
    "candidate_create",
    "candidate_erase",
    "candidate_find_by_email",
    "candidate_merge",
    "candidate_refresh_search",
    "candidate_update",
    "candidates_past_retention",
    "document_add",
    "document_delete",
    "documents_sweep_orphans",
    "feedback_submit",
    "normalise_email",
    "note_add",
    "note_delete",
    "note_edit",
]
