"""LinkedIn Recruiter actions on a member, called with a user's own member token: the seat's
projects, saving a member to a project, sending an InMail, and a profile-update alert.

Sandbox-defined stand-ins: LinkedIn publishes no partner API for these actions (LINKEDIN.md 4.4
describes only the buttons). The paths and fields are the sandbox's (linkedin/sandbox/
api_actions.py), in LinkedIn's Rest.li style (LINKEDIN.md 2.4); replace them here if LinkedIn
publishes one. Errors are the client's named errors (linkedin/client.py).
"""

from dataclasses import dataclass
from typing import Any

from linkedin import client, restli

# Reference: LINKEDIN.md 2.4, Rest.li protocol 2.0 (leaf values percent-encoded).
HEADERS = {"X-Restli-Protocol-Version": "2.0.0"}
PROJECTS = "/v2/recruiterProjects"
PROJECT_MEMBERS = "/v2/recruiterProjectMembers"
INMAILS = "/v2/recruiterInMails"
ALERTS = "/v2/recruiterAlerts"
PROFILE_UPDATES = "PROFILE_UPDATES"
# Guess: Recruiter's InMail form limits; the sandbox enforces the same (api_actions.py).
SUBJECT_MAX = 200
BODY_MAX = 1900


@dataclass(frozen=True)
class Project:
    urn: str
    name: str


def _created_id(body: Any, path: str) -> str:
    urn = body.get("urn") or body.get("id") if isinstance(body, dict) else None
    if not urn:
        raise client.LinkedInTemporaryError("LinkedIn's answer named nothing created.", path=path)
    return str(urn)


def seat_projects(member_token: str, *, seat: str) -> list[Project]:
    """The Recruiter projects the seat's contract shares (first 100)."""
    # Reference: sandbox-defined stand-in, GET /v2/recruiterProjects?q=seat&seat={seat}
    query = restli.query({"q": "seat", "seat": seat, "start": 0, "count": 100})
    body = client.call("GET", PROJECTS, member_token=member_token, query=query, headers=HEADERS)
    elements = body.get("elements") or [] if isinstance(body, dict) else []
    return [Project(str(e["urn"]), str(e.get("name") or e["urn"])) for e in elements if "urn" in e]


def save_to_project(member_token: str, *, seat: str, project: str, member: str) -> str:
    """Save the member to a project; the created membership's id."""
    # Reference: sandbox-defined stand-in, POST /v2/recruiterProjectMembers (201 + x-restli-id)
    payload = {"project": project, "seat": seat, "member": member}
    body = client.call(
        "POST", PROJECT_MEMBERS, member_token=member_token, json_body=payload, headers=HEADERS
    )
    return _created_id(body, PROJECT_MEMBERS)


def send_inmail(
    member_token: str, *, seat: str, member: str, subject: str, body: str, tracking_id: str
) -> str:
    """Send an InMail from the seat; the same `tracking_id` never sends twice."""
    # Reference: sandbox-defined stand-in, POST /v2/recruiterInMails (201 + x-restli-id)
    payload = {
        "seat": seat,
        "recipient": member,
        "subject": subject,
        "body": body,
        "trackingId": tracking_id,
    }
    answer = client.call(
        "POST", INMAILS, member_token=member_token, json_body=payload, headers=HEADERS
    )
    return _created_id(answer, INMAILS)


def create_alert(member_token: str, *, seat: str, member: str) -> str:
    """Alert the seat when the member's profile changes ("keep me updated")."""
    # Reference: sandbox-defined stand-in, POST /v2/recruiterAlerts (201 + x-restli-id)
    payload = {"seat": seat, "member": member, "alertType": PROFILE_UPDATES}
    body = client.call(
        "POST", ALERTS, member_token=member_token, json_body=payload, headers=HEADERS
    )
    return _created_id(body, ALERTS)
