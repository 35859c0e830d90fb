"""The job pages: list, create, edit, the job page's tabs and its lifecycle actions.

Thin views (STYLE 2): a form parses the input, `job_for_user` checks access, one service acts.
"""

from jobs.views.base import job_header_context
from jobs.views.lifecycle import (
    job_activate,
    job_close,
    job_create,
    job_decide,
    job_delete,
    job_detail,
    job_edit,
    job_list,
    job_submit,
)
from jobs.views.tabs import job_analytics_page, job_postings
from jobs.views.team import job_process, job_team, job_team_delegate, job_team_remove

__all__ = [
    "job_activate",
    "job_analytics_page",
    "job_close",
    "job_create",
    "job_decide",
    "job_delete",
    "job_detail",
    "job_edit",
    "job_header_context",
    "job_list",
    "job_postings",
    "job_process",
    "job_submit",
    "job_team",
    "job_team_delegate",
    "job_team_remove",
]
