"""The candidate page and its tabs, adding and merging candidates, document downloads.

Each view checks access through `attract.access`, parses input with a form, calls one service
and redirects; the services hold the rules and refuse what the role matrix forbids.
"""

from candidates.views.applications import (
    application_hire_view,
    application_reopen_view,
    application_withdraw_view,
    candidate_applications,
)
from candidates.views.feedback import (
    candidate_feedback,
    feedback_submit_view,
)
from candidates.views.notes import (
    candidate_notes,
    note_add_view,
    note_delete_view,
    note_detail,
    note_edit_view,
)
from candidates.views.profile import (
    candidate_add_email_view,
    candidate_create_view,
    candidate_detail,
    candidate_edit,
    candidate_linkedin,
    candidate_merge_view,
    document_download,
    document_upload,
)

__all__ = [
    "application_hire_view",
    "application_reopen_view",
    "application_withdraw_view",
    "candidate_add_email_view",
    "candidate_applications",
    "candidate_create_view",
    "candidate_detail",
    "candidate_edit",
    "candidate_feedback",
    "candidate_linkedin",
    "candidate_merge_view",
    "candidate_notes",
    "document_download",
    "document_upload",
    "feedback_submit_view",
    "note_add_view",
    "note_delete_view",
    "note_detail",
    "note_edit_view",
]
