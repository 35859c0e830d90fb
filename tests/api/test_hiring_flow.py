"""A whole hiring flow over HTTP, as an integrator would drive it: API tokens only, every id
taken from earlier answers (nothing read from the database until the final checks)."""

from attract.models import Event
from candidates.models import Application, ApplicationStatus, Candidate
from jobs.choices import CloseReason, JobStatus
from jobs.models import Job
from tests.api.conftest import token_client


def test_create_staff_activate_apply_advance_hire_and_close_filled(recruiter, manager, interviewer):
    rita, hank, ivan = token_client(recruiter), token_client(manager), token_client(interviewer)

    def ok(response, status=200) -> dict | list:
        assert response.status_code == status, response.content
        return response.json() if response.content else {}

    # a draft job, staffed
    job = ok(
        rita.post(
            "/api/v1/jobs/",
            {
                "title": "Site reliability engineer",
                "description": "<p>Keep Attract running.</p>",
                "city": "Oslo",
                "country": "NO",
                "workplace_type": "hybrid",
            },
        ),
        201,
    )
    base = f"/api/v1/jobs/{job['number']}/"
    ok(rita.post(f"{base}team/", {"user": manager.pk, "role": "hiring_manager"}), 201)
    ok(rita.post(f"{base}team/", {"user": interviewer.pk, "role": "interviewer"}), 201)
    assert {m["role"] for m in ok(rita.get(f"{base}team/"))} == {
        "recruiter",
        "hiring_manager",
        "interviewer",
    }
    # activated by the hiring manager
    assert ok(hank.post(f"{base}activate/"))["status"] == JobStatus.ACTIVE

    # the candidate, found again by email instead of duplicated
    person = {"first_name": "Grace", "last_name": "Hopper", "email": "grace@example.com"}
    candidate = ok(rita.post("/api/v1/candidates/", person), 201)
    again = ok(rita.post("/api/v1/candidates/", {**person, "email": "GRACE@example.com"}), 200)
    assert (again["id"], again["created"]) == (candidate["id"], False)

    # the application moves through the job's own stages
    application = ok(
        rita.post("/api/v1/applications/", {"candidate": candidate["id"], "job": job["number"]}),
        201,
    )
    app_url = f"/api/v1/applications/{application['id']}/"
    stages = {s["kind"]: s["id"] for s in ok(rita.get(f"{base}stages/"))}
    for kind in ("screening", "interview"):
        ok(hank.post(f"{app_url}advance/", {"stage": stages[kind]}))
    feedback = {"application": application["id"], "recommendation": 5, "ratings": {"Linux": 5}}
    ok(ivan.post("/api/v1/feedback/", feedback), 201)
    ok(rita.post("/api/v1/notes/", {"candidate": candidate["id"], "body": "Offer sent."}), 201)
    assert ok(hank.post(f"{app_url}advance/", {"stage": stages["offer"]}))["stage_kind"] == "offer"

    # a second applicant is rejected with a reason from the list
    other = ok(rita.post("/api/v1/candidates/", {"first_name": "Alan", "last_name": "T"}), 201)
    second = ok(
        rita.post("/api/v1/applications/", {"candidate": other["id"], "job": job["number"]}), 201
    )
    reason = ok(rita.get("/api/v1/rejection-reasons/"))["results"][0]["id"]
    rejected = ok(rita.post(f"/api/v1/applications/{second['id']}/reject/", {"reason": reason}))
    assert rejected["status"] == ApplicationStatus.REJECTED

    # hired, then the job closes as filled
    assert ok(rita.post(f"{app_url}hire/"))["status"] == ApplicationStatus.HIRED
    closed = ok(rita.post(f"{base}close/", {"reason": "filled", "application": application["id"]}))
    assert (closed["status"], closed["close_reason"]) == (JobStatus.CLOSED, CloseReason.FILLED)
    history = [h["kind"] for h in ok(rita.get(app_url))["history"]]
    assert history == ["created", "moved", "moved", "moved", "hired"]

    # then: the database agrees, and every step left its audit event
    stored = Job.objects.get(number=job["number"])
    assert (stored.status, stored.close_reason) == (JobStatus.CLOSED, CloseReason.FILLED)
    assert Candidate.objects.filter(emails__email="grace@example.com").count() == 1
    hired = Application.objects.get(pk=application["id"])
    assert (hired.status, hired.stage.kind) == (ApplicationStatus.HIRED, "hired")
    types = set(Event.objects.filter(job=stored).values_list("type", flat=True))
    assert {"job.created", "job.team_member_added", "job.transitioned"} <= types
