"""Sign-in, the dashboard, the Django admin, /healthz and document downloads."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from attract import health
from candidates.services import document_add
from jobs.process import StageSpec
from jobs.services import job_submit_for_approval, template_save


def test_an_administrator_signs_in_and_sees_the_dashboard(client, admin_user):
    response = client.post(reverse("login"), {"username": "ada", "password": "pw-Attract-123"})
    assert response.status_code == 302
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200
    assert b"Welcome" in page.content
    assert b"Administrator" in page.content


def test_a_wrong_password_is_refused_with_a_message(client, admin_user):
    response = client.post(reverse("login"), {"username": "ada", "password": "nope"})
    assert response.status_code == 200
    assert b'role="alert"' in response.content


def test_the_dashboard_needs_a_sign_in(client, db):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_dashboard_lists_my_jobs_and_approvals_waiting_for_me(
    client, job, make_job, admin_user, manager
):
    template = template_save(
        by=admin_user,
        name="Approved hiring",
        requires_approval=True,
        stages=[StageSpec("Application", "application"), StageSpec("Offer", "offer")],
    )
    waiting = make_job(title="Data analyst", template=template)
    job_submit_for_approval(job=waiting, by=waiting.created_by, approvers=[manager])
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert job.number in page
    assert "Data analyst" in page


@pytest.mark.parametrize(
    "model",
    [m for m in apps.get_models() if m in admin.site._registry],
    ids=lambda m: m._meta.label,
)
def test_every_admin_changelist_loads_with_filters_and_search(client, admin_user, job, model):
    client.force_login(admin_user)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url, {"q": "x"})
    assert response.status_code == 200


def test_every_model_of_the_product_is_registered_in_the_admin():
    ours = {"attract", "jobs", "candidates", "talentpools"}
    missing = [
        m._meta.label
        for m in apps.get_models()
        if m._meta.app_label in ours and m not in admin.site._registry
    ]
    assert missing == []


def test_non_administrators_cannot_reach_the_django_admin(client, recruiter):
    client.force_login(recruiter)
    response = client.get(reverse("admin:jobs_job_changelist"))
    assert response.status_code == 302


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


def test_healthz_answers_503_when_the_broker_is_down(client, db, monkeypatch):
    def broken():
        raise ConnectionRefusedError("broker unreachable")

    monkeypatch.setattr(health, "_broker", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == {
        "ok": False,
        "error": "ConnectionRefusedError: broker unreachable",
    }


@pytest.fixture
def cv(application, recruiter):
    upload = SimpleUploadedFile("Jane CV.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n")
    return document_add(
        candidate=application.candidate,
        application=application,
        by=recruiter,
        upload=upload,
        kind="resume",
    )


def test_the_team_downloads_a_document_as_an_attachment(client, cv, interviewer):
    client.force_login(interviewer)
    response = client.get(reverse("candidates:document_download", args=[cv.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="Jane CV.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


@pytest.mark.parametrize("who", ["outsider", "readonly"])
def test_outsiders_cannot_download_a_jobs_documents(client, cv, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("candidates:document_download", args=[cv.pk]))
    assert response.status_code == 404
