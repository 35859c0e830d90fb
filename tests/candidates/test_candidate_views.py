"""The candidate page: its tabs per role, every POST allowed and refused, bad input, escaping,
adding by hand, merging, and pinned query counts.

rita recruits on the job, hank manages it, ivan interviews; otto is a recruiter on no team of
that job (he sees the person but none of the job's applicants); rory is read-only (sees nothing).
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from attract.models import Event
from attract.selectors import organisation_get
from candidates.models import (
    ApplicationStatus,
    Candidate,
    CandidateEmail,
    Document,
    InterviewFeedback,
    Note,
    NoteVisibility,
)
from candidates.selectors import (
    applications_with_feedback,
    feedback_panel,
    feedback_visible_to,
)
from candidates.services import (
    application_create,
    application_reject,
    document_add,
    feedback_submit,
    note_add,
)
from jobs.choices import TeamRole
from jobs.services import job_activate, team_member_add
from tests.factories import CandidateFactory, rejection_reason
from tests.xss import PAYLOADS, assert_inert

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
ROLES = ["recruiter", "manager", "interviewer", "outsider", "readonly"]
TABS = ["detail", "applications", "notes", "feedback", "linkedin"]


def url(name: str, *args) -> str:
    return reverse(f"candidates:{name}", args=args)


def as_user(client, request, role: str):
    user = request.getfixturevalue(role)
    client.force_login(user)
    return user


def pdf(name: str = "cv.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def files_in(media_root) -> list[Path]:
    root = Path(media_root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def feedback_data(application, **fields) -> dict:
    """A feedback form as the browser posts it: three empty rating rows unless given."""
    prefix = f"fb{application.pk}"
    ratings = fields.pop("ratings", [])
    rows = [*ratings, *[("", "")] * 3]
    data = {
        f"{prefix}-ratings-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-ratings-INITIAL_FORMS": "0",
        f"{prefix}-ratings-MIN_NUM_FORMS": "0",
        f"{prefix}-ratings-MAX_NUM_FORMS": "20",
    }
    for index, (name, value) in enumerate(rows):
        data[f"{prefix}-ratings-{index}-attribute"] = name
        data[f"{prefix}-ratings-{index}-rating"] = str(value)
    for key, value in fields.items():
        data[f"{prefix}-{key}"] = value
    return data


@pytest.fixture
def team_job(make_job, recruiter, manager, interviewer):
    """Another active job with rita, hank and ivan on its team."""

    def make(**fields):
        job = make_job(**fields)
        team_member_add(job=job, by=recruiter, user=manager, role=TeamRole.HIRING_MANAGER)
        team_member_add(job=job, by=recruiter, user=interviewer, role=TeamRole.INTERVIEWER)
        job_activate(job=job, by=recruiter)
        return job

    return make


@pytest.fixture
def others_job(make_job, outsider):
    """An active job of otto's, whose team rita, hank and ivan are not on."""
    job = make_job(by=outsider, title="Accountant")
    job_activate(job=job, by=outsider)
    return job


def fill(candidate, jobs, *, recruiter, manager, rows: int) -> None:
    """`rows` applications, each with a note, a document and two feedback entries."""
    for index in range(rows):
        application = application_create(candidate=candidate, job=jobs(), by=recruiter)
        note_add(candidate=candidate, by=recruiter, body=f"Note {index}", application=application)
        document_add(candidate=candidate, by=recruiter, upload=pdf(), application=application)
        for user in (recruiter, manager):
            feedback_submit(application=application, by=user, recommendation=4)


# --- Who sees which tab


@pytest.mark.parametrize("tab", TABS)
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("recruiter", 200),
        ("manager", 200),
        ("interviewer", 200),
        ("outsider", 200),  # a recruiter elsewhere sees the person, not this job's applicants
        ("readonly", 404),
    ],
)
def test_each_tab_is_visible_to_the_roles_that_may_see_the_candidate(
    client, request, application, tab, role, status
):
    as_user(client, request, role)

    response = client.get(url(tab, application.candidate_id))

    assert response.status_code == status


@pytest.mark.parametrize("tab", TABS)
def test_an_interviewer_sees_no_candidate_of_a_job_they_do_not_interview_for(
    client, interviewer, others_job, outsider, tab
):
    stranger = CandidateFactory()
    application_create(candidate=stranger, job=others_job, by=outsider)
    client.force_login(interviewer)

    assert client.get(url(tab, stranger.pk)).status_code == 404


def test_the_tabs_are_links_with_the_current_one_marked(client, recruiter, application):
    client.force_login(recruiter)

    html = client.get(url("notes", application.candidate_id)).content.decode()

    assert '<nav aria-label="Candidate sections"' in html
    notes = url("notes", application.candidate_id)
    assert re.search(rf'href="{notes}"\s+aria-current="page"', html)
    assert html.count('aria-current="page"') == 1
    assert html.count("<h1") == 1


def test_a_signed_out_visitor_is_sent_to_sign_in(client, application):
    response = client.get(url("detail", application.candidate_id))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Overview


def test_the_overview_shows_contact_source_tags_consent_and_documents(
    client, recruiter, candidate, application
):
    from candidates.services import candidate_update

    candidate_update(
        candidate=candidate,
        by=recruiter,
        phones=["+47 400 00 000"],
        tags=["python", "remote"],
        city="Bergen",
        country="NO",
        linkedin_url="https://www.linkedin.com/in/someone",
    )
    document_add(candidate=candidate, by=recruiter, upload=pdf("cv-2024.pdf"))
    client.force_login(recruiter)

    html = client.get(url("detail", candidate.pk)).content.decode()

    assert candidate.primary_email in html
    assert "+47 400 00 000" in html
    assert "Bergen" in html
    assert "python" in html
    assert "remote" in html
    assert "https://www.linkedin.com/in/someone" in html
    assert "Added by hand" in html
    assert "Keep data until" in html
    document = candidate.documents.get()
    assert url("document_download", document.pk) in html
    assert "cv-2024.pdf" in html


@pytest.mark.parametrize(
    ("role", "controls"),
    [
        ("recruiter", True),
        ("manager", True),
        ("outsider", True),  # recruiters may edit any person's record (not their applications)
        ("interviewer", False),
    ],
)
def test_the_overview_offers_edit_merge_email_and_upload_only_to_editors(
    client, request, application, role, controls
):
    as_user(client, request, role)

    html = client.get(url("detail", application.candidate_id)).content.decode()

    for control in ("edit", "merge", "add_email", "document_upload"):
        assert (url(control, application.candidate_id) in html) is controls, control


def test_the_upload_form_offers_only_applications_one_may_edit(
    client, recruiter, outsider, application
):
    client.force_login(recruiter)
    mine = client.get(url("detail", application.candidate_id)).content.decode()
    client.force_login(outsider)
    theirs = client.get(url("detail", application.candidate_id)).content.decode()

    assert f'<option value="{application.pk}"' in mine
    assert f'<option value="{application.pk}"' not in theirs
    assert application.job.number not in theirs


def test_documents_of_an_application_are_hidden_from_outsiders(
    client, recruiter, outsider, interviewer, application
):
    on_application = document_add(
        candidate=application.candidate,
        by=recruiter,
        upload=pdf("interview.pdf"),
        application=application,
    )
    document_add(candidate=application.candidate, by=recruiter, upload=pdf("general.pdf"))

    client.force_login(outsider)
    outsider_html = client.get(url("detail", application.candidate_id)).content.decode()
    client.force_login(interviewer)
    interviewer_html = client.get(url("detail", application.candidate_id)).content.decode()

    assert "general.pdf" in outsider_html
    assert "interview.pdf" not in outsider_html
    assert url("document_download", on_application.pk) not in outsider_html
    assert "interview.pdf" in interviewer_html  # interviewers read application documents


def test_a_recruiter_uploads_a_document_to_an_application(client, recruiter, application):
    client.force_login(recruiter)

    response = client.post(
        url("document_upload", application.candidate_id),
        {"file": pdf("Résumé.pdf"), "kind": "resume", "application": application.pk},
    )

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.original_name, document.kind, document.application) == (
        "Résumé.pdf",
        "resume",
        application,
    )
    page = client.get(response["Location"]).content.decode()
    assert "Résumé.pdf uploaded." in page


@pytest.mark.parametrize(
    ("role", "on_application", "status"),
    [
        ("interviewer", False, 403),  # only recruiters, hiring managers and admins add documents
        ("interviewer", True, 403),  # interviewers read application documents, never add
        ("outsider", True, 404),  # not on the job's team: the application does not exist
        ("readonly", False, 404),
    ],
)
def test_a_refused_upload_changes_nothing(
    client, request, application, settings, role, on_application, status
):
    as_user(client, request, role)
    data = {"file": pdf(), "kind": "resume"}
    if on_application:
        data["application"] = application.pk

    response = client.post(url("document_upload", application.candidate_id), data)

    assert response.status_code == status
    assert not Document.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []


def test_a_png_disguised_as_a_pdf_is_refused_on_the_form(client, recruiter, application, settings):
    client.force_login(recruiter)

    response = client.post(
        url("document_upload", application.candidate_id),
        {"file": pdf("cv.pdf", PNG), "kind": "resume"},
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "This file type is not accepted." in html
    assert 'aria-invalid="true"' in html
    assert not Document.objects.exists()
    assert files_in(settings.MEDIA_ROOT) == []


def test_an_upload_without_a_file_says_so(client, recruiter, application):
    client.force_login(recruiter)

    response = client.post(url("document_upload", application.candidate_id), {"kind": "resume"})

    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Document.objects.exists()


def test_a_recruiter_adds_an_email(client, recruiter, candidate):
    client.force_login(recruiter)

    response = client.post(
        url("add_email", candidate.pk), {"email": "Second@Example.org", "primary": "on"}
    )

    assert response.status_code == 302
    assert candidate.primary_email == "second@example.org"


@pytest.mark.parametrize("email", ["not-an-email", "", "ann@@example.org"])
def test_an_invalid_email_is_refused_on_the_form(client, recruiter, candidate, email):
    client.force_login(recruiter)
    before = list(CandidateEmail.objects.values_list("email", flat=True))

    response = client.post(url("add_email", candidate.pk), {"email": email})

    assert response.status_code == 422
    html = response.content.decode()
    assert "email-errors" in html
    assert list(CandidateEmail.objects.values_list("email", flat=True)) == before


def test_an_email_of_another_person_points_to_a_merge(client, recruiter, candidate):
    CandidateFactory(email="bea@example.org")
    client.force_login(recruiter)

    response = client.post(url("add_email", candidate.pk), {"email": "bea@example.org"})

    assert response.status_code == 422
    assert "belongs to another candidate: merge the two records." in response.content.decode()
    assert candidate.emails.count() == 1


@pytest.mark.parametrize("role", ["interviewer", "readonly"])
def test_an_email_added_by_a_non_editor_is_refused(client, request, application, role):
    as_user(client, request, role)

    response = client.post(url("add_email", application.candidate_id), {"email": "x@example.org"})

    assert response.status_code == 403
    assert not CandidateEmail.objects.filter(email="x@example.org").exists()


# --- Edit


def test_a_recruiter_edits_the_record_with_tags_as_text_and_phones_per_line(
    client, recruiter, candidate
):
    client.force_login(recruiter)
    form = client.get(url("edit", candidate.pk))
    assert form.status_code == 200

    response = client.post(
        url("edit", candidate.pk),
        {
            "first_name": "Ingrid",
            "last_name": "Berg",
            "phones": "+47 1\n\n +47 2 \n",
            "tags": "python, Go ,, remote",
            "country": "no",
            "city": "Oslo",
        },
    )

    assert response.status_code == 302
    candidate.refresh_from_db()
    assert (candidate.first_name, candidate.country, candidate.phones) == (
        "Ingrid",
        "NO",
        ["+47 1", "+47 2"],
    )
    assert sorted(t.name for t in candidate.tags.all()) == ["Go", "python", "remote"]


def test_an_unknown_country_is_shown_on_the_edit_form(client, recruiter, candidate):
    client.force_login(recruiter)
    name = candidate.first_name

    response = client.post(
        url("edit", candidate.pk),
        {"first_name": "Changed", "last_name": "X", "country": "ZZ"},
    )

    assert response.status_code == 422
    assert "country-errors" in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.first_name == name


@pytest.mark.parametrize("role", ["interviewer", "readonly"])
def test_non_editors_cannot_open_or_post_the_edit_form(
    client, request, candidate, application, role
):
    as_user(client, request, role)
    name = candidate.first_name

    assert client.get(url("edit", candidate.pk)).status_code == 403
    response = client.post(url("edit", candidate.pk), {"first_name": "X", "last_name": "Y"})

    assert response.status_code == 403
    candidate.refresh_from_db()
    assert candidate.first_name == name


# --- Add a candidate by hand


def test_a_recruiter_adds_a_candidate_by_hand(client, recruiter):
    client.force_login(recruiter)
    assert client.get(url("create")).status_code == 200

    response = client.post(
        url("create"),
        {
            "first_name": "Nora",
            "last_name": "Dahl",
            "email": "Nora.Dahl@Example.org",
            "phones": "+47 999",
            "current_title": "Engineer",
            "tags": "referral, java",
            "source": "referral",
        },
    )

    nora = Candidate.objects.get(first_name="Nora")
    assert response.status_code == 302
    assert response["Location"] == url("detail", nora.pk)
    assert (nora.source, nora.primary_email, nora.phones) == (
        "referral",
        "nora.dahl@example.org",
        ["+47 999"],
    )
    assert "Nora Dahl added." in client.get(response["Location"]).content.decode()


def test_a_known_email_leads_to_the_existing_record(client, recruiter, candidate):
    client.force_login(recruiter)
    count = Candidate.objects.count()

    response = client.post(
        url("create"),
        {
            "first_name": "Someone",
            "last_name": "Else",
            "email": candidate.primary_email.upper(),
            "source": "manual",
        },
        follow=True,
    )

    assert response.redirect_chain == [(url("detail", candidate.pk), 302)]
    assert f"Already in Attract: {candidate.full_name}" in response.content.decode()
    assert Candidate.objects.count() == count


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"first_name": "", "last_name": "Dahl"}, "first_name"),
        ({"first_name": "Nora", "last_name": "Dahl", "email": "nora@"}, "email"),
        ({"first_name": "Nora", "last_name": "Dahl", "source": "linkedin_export"}, "source"),
        ({"first_name": "Nora", "last_name": "Dahl", "country": "XX"}, "country"),
    ],
)
def test_bad_input_on_the_add_form_saves_nothing(client, recruiter, data, field):
    client.force_login(recruiter)

    response = client.post(url("create"), {"source": "manual", **data})

    assert response.status_code == 422
    assert f"{field}-errors" in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize("role", ["interviewer", "readonly"])
def test_only_recruiters_managers_and_admins_add_candidates(client, request, role):
    as_user(client, request, role)

    assert client.get(url("create")).status_code == 403
    response = client.post(url("create"), {"first_name": "A", "last_name": "B", "source": "manual"})

    assert response.status_code == 403
    assert not Candidate.objects.exists()


def test_an_administrator_adds_a_candidate(client, admin_user):
    client.force_login(admin_user)

    response = client.post(url("create"), {"first_name": "A", "last_name": "B", "source": "import"})

    assert response.status_code == 302
    assert Candidate.objects.get().source == "import"


# --- Applications


def test_each_application_shows_its_job_stage_status_and_history(
    client, recruiter, application, stage
):
    from candidates.services import application_move

    application_move(application=application, stage=stage("screening"), by=recruiter)
    application_reject(application=application, by=recruiter, reason=rejection_reason())
    client.force_login(recruiter)

    html = client.get(url("applications", application.candidate_id)).content.decode()

    assert reverse("jobs:detail", args=[application.job.number]) in html
    assert "Rejected" in html
    assert rejection_reason().name in html
    assert "Stage history" in html
    assert "Moved" in html
    assert stage("application").name in html
    assert stage("screening").name in html
    assert str(recruiter) in html


@pytest.mark.parametrize(
    ("role", "advance", "reopen"),
    [
        ("recruiter", True, True),
        ("manager", True, False),  # hiring managers advance but do not reject or reopen
        ("interviewer", False, False),
    ],
)
def test_application_actions_are_offered_by_role(
    client, request, application, team_job, candidate, recruiter, role, advance, reopen
):
    rejected = application_create(candidate=candidate, job=team_job(title="Ops"), by=recruiter)
    application_reject(application=rejected, by=recruiter, reason=rejection_reason())
    as_user(client, request, role)

    html = client.get(url("applications", candidate.pk)).content.decode()

    assert (url("application_hire", candidate.pk, application.pk) in html) is advance
    assert (url("application_withdraw", candidate.pk, application.pk) in html) is advance
    assert (url("application_reopen", candidate.pk, rejected.pk) in html) is reopen


def test_an_outsider_sees_no_application_of_a_job_they_are_not_on(client, outsider, application):
    client.force_login(outsider)

    html = client.get(url("applications", application.candidate_id)).content.decode()

    assert "No applications you can see." in html
    assert application.job.number not in html


def test_a_recruiter_withdraws_hires_and_reopens(client, recruiter, application, team_job):
    client.force_login(recruiter)
    pk = application.candidate_id

    client.post(url("application_withdraw", pk, application.pk), {"comment": "Took another job"})
    application.refresh_from_db()
    assert (application.status, application.status_comment) == ("withdrawn", "Took another job")

    response = client.post(url("application_reopen", pk, application.pk))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE
    assert response["Location"] == url("applications", pk)

    client.post(url("application_hire", pk, application.pk))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert list(application.history.values_list("kind", flat=True)) == [
        "created",
        "withdrawn",
        "reopened",
        "hired",
    ]


def test_an_illegal_transition_is_explained_and_changes_nothing(client, recruiter, application):
    client.force_login(recruiter)

    response = client.post(
        url("application_reopen", application.candidate_id, application.pk), follow=True
    )

    assert "Only a rejected or withdrawn application can be reopened." in (
        response.content.decode()
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE


@pytest.mark.parametrize(
    ("role", "action", "status"),
    [
        ("interviewer", "application_hire", 403),
        ("interviewer", "application_withdraw", 403),
        ("interviewer", "application_reopen", 403),
        ("manager", "application_reopen", 403),
        ("outsider", "application_hire", 404),
        ("outsider", "application_withdraw", 404),
        ("readonly", "application_hire", 404),
    ],
)
def test_refused_application_actions_change_nothing(
    client, request, recruiter, application, role, action, status
):
    if action == "application_reopen":
        application_reject(application=application, by=recruiter, reason=rejection_reason())
    as_user(client, request, role)
    application.refresh_from_db()
    before = (application.status, application.history.count(), Event.objects.count())

    response = client.post(url(action, application.candidate_id, application.pk))

    assert response.status_code == status
    application.refresh_from_db()
    assert (application.status, application.history.count(), Event.objects.count()) == before


def test_an_application_of_another_candidate_is_not_found(client, recruiter, application):
    other = CandidateFactory()
    client.force_login(recruiter)

    response = client.post(url("application_hire", other.pk, application.pk))

    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACTIVE


# --- Notes


@pytest.fixture
def notes(application, recruiter, manager, outsider):
    """One note of each kind on the candidate."""
    candidate = application.candidate
    return {
        "general": note_add(candidate=candidate, by=recruiter, body="General note"),
        "on job": note_add(
            candidate=candidate, by=recruiter, body="Note on the job", application=application
        ),
        "team": note_add(
            candidate=candidate,
            by=manager,
            body="Team only note",
            visibility=NoteVisibility.HIRING_TEAM,
            application=application,
        ),
        "rita private": note_add(
            candidate=candidate, by=recruiter, body="Rita's own", visibility="private"
        ),
        "otto": note_add(candidate=candidate, by=outsider, body="Otto's note"),
    }


@pytest.mark.parametrize(
    ("role", "seen"),
    [
        ("recruiter", {"general", "on job", "team", "rita private", "otto"}),
        ("manager", {"general", "on job", "team", "otto"}),
        ("interviewer", {"general", "on job", "team", "otto"}),
        ("outsider", {"general", "otto"}),
    ],
)
def test_each_role_sees_the_notes_it_may(client, request, notes, role, seen):
    as_user(client, request, role)

    html = client.get(url("notes", notes["general"].candidate_id)).content.decode()

    for key, note in notes.items():
        assert (f'id="note-{note.pk}"' in html) is (key in seen), key


def test_edit_and_delete_are_offered_on_ones_own_notes_only(client, manager, notes):
    client.force_login(manager)
    pk = notes["general"].candidate_id

    html = client.get(url("notes", pk)).content.decode()

    assert url("note_edit", pk, notes["team"].pk) in html
    assert url("note_delete", pk, notes["team"].pk) in html
    assert url("note_edit", pk, notes["general"].pk) not in html
    assert url("note_delete", pk, notes["general"].pk) not in html


@pytest.mark.parametrize(
    ("role", "offered"),
    [("recruiter", True), ("manager", True), ("interviewer", False), ("outsider", False)],
)
def test_the_note_form_offers_applications_only_to_those_who_edit_their_notes(
    client, request, application, role, offered
):
    as_user(client, request, role)

    html = client.get(url("notes", application.candidate_id)).content.decode()

    assert url("note_add", application.candidate_id) in html  # candidate-level notes for all
    assert (f'<option value="{application.pk}"' in html) is offered
    assert ('value="team"' in html) is offered


def test_a_note_is_added_on_an_application_for_its_hiring_team(client, manager, application):
    client.force_login(manager)

    response = client.post(
        url("note_add", application.candidate_id),
        {"body": "Strong on SQL", "visibility": "team", "application": application.pk},
    )

    assert response.status_code == 302
    note = Note.objects.get()
    assert (note.body, note.visibility, note.application, note.author) == (
        "Strong on SQL",
        "team",
        application,
        manager,
    )


def test_an_interviewer_adds_a_note_about_the_candidate(client, interviewer, application):
    client.force_login(interviewer)

    response = client.post(
        url("note_add", application.candidate_id),
        {"body": "Met at a meetup", "visibility": "everyone"},
    )

    assert response.status_code == 302
    assert Note.objects.get().application is None


@pytest.mark.parametrize(
    ("role", "status"),
    [("interviewer", 403), ("outsider", 404), ("readonly", 404)],
)
def test_a_note_on_an_application_is_refused_to_those_who_may_not_edit_its_notes(
    client, request, application, role, status
):
    as_user(client, request, role)

    response = client.post(
        url("note_add", application.candidate_id),
        {"body": "Sneaky", "visibility": "everyone", "application": application.pk},
    )

    assert response.status_code == status
    assert not Note.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n  "])
def test_an_empty_note_is_refused_with_a_message(client, recruiter, application, body):
    client.force_login(recruiter)

    response = client.post(
        url("note_add", application.candidate_id), {"body": body, "visibility": "everyone"}
    )

    assert response.status_code == 422
    assert "A note needs some text." in response.content.decode()
    assert not Note.objects.exists()


def test_a_team_note_needs_an_application(client, recruiter, application):
    client.force_login(recruiter)

    response = client.post(
        url("note_add", application.candidate_id), {"body": "Hi", "visibility": "team"}
    )

    assert response.status_code == 422
    assert "Only a note on an application can be limited to its hiring team." in (
        response.content.decode()
    )
    assert not Note.objects.exists()


def test_a_note_is_edited_inline_with_htmx(client, recruiter, notes):
    note = notes["general"]
    client.force_login(recruiter)
    edit = url("note_edit", note.candidate_id, note.pk)

    form = client.get(edit, headers={"HX-Request": "true"})
    saved = client.post(
        edit,
        {"edit-body": "Updated text", "edit-visibility": "private"},
        headers={"HX-Request": "true"},
    )

    assert form.status_code == 200
    assert "<html" not in form.content.decode()
    assert 'name="edit-body"' in form.content.decode()
    assert saved.status_code == 200
    assert "<html" not in saved.content.decode()
    assert "Updated text" in saved.content.decode()
    assert "data-focus-after-swap" in saved.content.decode()
    note.refresh_from_db()
    assert (note.body, note.visibility) == ("Updated text", "private")


def test_an_inline_edit_with_errors_comes_back_as_the_form(client, recruiter, notes):
    note = notes["general"]
    client.force_login(recruiter)

    response = client.post(
        url("note_edit", note.candidate_id, note.pk),
        {"edit-body": "", "edit-visibility": "everyone"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200  # HTMX swaps only 2xx answers
    assert "A note needs some text." in response.content.decode()
    note.refresh_from_db()
    assert note.body == "General note"


def test_cancel_of_an_inline_edit_shows_the_note_again(client, recruiter, notes):
    note = notes["general"]
    client.force_login(recruiter)

    response = client.get(url("note", note.candidate_id, note.pk), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "General note" in response.content.decode()
    assert "<html" not in response.content.decode()


def test_a_note_is_edited_without_javascript_on_the_notes_page(client, recruiter, notes):
    note = notes["general"]
    client.force_login(recruiter)
    edit = url("note_edit", note.candidate_id, note.pk)

    page = client.get(edit)
    response = client.post(edit, {"edit-body": "Plain form", "edit-visibility": "everyone"})

    assert page.status_code == 200
    assert "Edit your note" in page.content.decode()
    assert "<h1" in page.content.decode()
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.body == "Plain form"


@pytest.mark.parametrize(
    ("role", "key", "status"),
    [
        ("manager", "general", 403),  # rita's note
        ("interviewer", "general", 403),
        ("outsider", "on job", 404),  # a note on an application of a job otto is not on
        ("manager", "rita private", 404),  # private notes are invisible to others
        ("readonly", "general", 404),
    ],
)
def test_others_cannot_edit_or_delete_a_note(client, request, notes, role, key, status):
    as_user(client, request, role)
    note = notes[key]
    pk = note.candidate_id

    edited = client.post(
        url("note_edit", pk, note.pk), {"edit-body": "Hacked", "edit-visibility": "everyone"}
    )
    deleted = client.post(url("note_delete", pk, note.pk))

    assert (edited.status_code, deleted.status_code) == (status, status)
    note.refresh_from_db()
    assert note.body != "Hacked"


def test_an_author_deletes_their_note(client, recruiter, notes):
    note = notes["general"]
    client.force_login(recruiter)

    response = client.post(url("note_delete", note.candidate_id, note.pk))

    assert response.status_code == 302
    assert not Note.objects.filter(pk=note.pk).exists()


# --- Feedback


def test_an_interviewer_sees_others_feedback_only_after_submitting_theirs(
    client, recruiter, manager, interviewer, application
):
    feedback_submit(application=application, by=recruiter, recommendation=5, strengths="Rita's")
    feedback_submit(application=application, by=manager, recommendation=2, strengths="Hank's")
    client.force_login(interviewer)
    page = url("feedback", application.candidate_id)

    before = client.get(page).content.decode()
    client.post(
        url("feedback_submit", application.candidate_id, application.pk),
        feedback_data(application, recommendation="4", strengths="Ivan's"),
    )
    after = client.get(page).content.decode()

    assert "Submit your feedback to see the others' (2 submitted)." in before
    assert "Rita&#x27;s" not in before
    assert "Hank&#x27;s" not in before
    assert all(s in after for s in ("Rita&#x27;s", "Hank&#x27;s", "Ivan&#x27;s"))
    assert "Revise your feedback" in after


@pytest.mark.parametrize("role", ["recruiter", "manager"])
def test_recruiters_and_managers_see_all_feedback_at_once(
    client, request, interviewer, application, role
):
    feedback_submit(application=application, by=interviewer, recommendation=1, concerns="Late")
    as_user(client, request, role)

    html = client.get(url("feedback", application.candidate_id)).content.decode()

    assert "Late" in html
    assert "Strong no" in html
    assert "Submit your feedback" in html  # they may add their own too


def test_an_interviewer_sees_all_when_the_job_does_not_hide_feedback(
    client, recruiter, interviewer, application
):
    application.job.hide_feedback_until_submitted = False
    application.job.save()
    feedback_submit(application=application, by=recruiter, recommendation=5, strengths="Visible")
    client.force_login(interviewer)

    html = client.get(url("feedback", application.candidate_id)).content.decode()

    assert "Visible" in html
    assert "Submit your feedback to see" not in html


def test_an_outsider_sees_no_feedback(client, outsider, recruiter, application):
    feedback_submit(application=application, by=recruiter, recommendation=5, strengths="Secret")
    client.force_login(outsider)

    html = client.get(url("feedback", application.candidate_id)).content.decode()

    assert "Secret" not in html
    assert url("feedback_submit", application.candidate_id, application.pk) not in html


def test_feedback_is_submitted_with_ratings_and_then_revised(client, interviewer, application):
    client.force_login(interviewer)
    submit = url("feedback_submit", application.candidate_id, application.pk)

    response = client.post(
        submit,
        feedback_data(
            application,
            recommendation="5",
            ratings=[("Communication", 4), ("Problem solving", 5)],
            strengths="Clear",
            concerns="None",
            comments="Hire",
        ),
    )
    assert response.status_code == 302
    form = client.get(url("feedback", application.candidate_id)).content.decode()
    client.post(submit, feedback_data(application, recommendation="3", ratings=[("Go", 2)]))

    feedback = InterviewFeedback.objects.get()
    assert (feedback.recommendation, feedback.ratings) == (3, {"Go": 2})
    # the revise form came back with the saved ratings and three empty rows
    assert 'value="Communication"' in form
    assert f'name="fb{application.pk}-ratings-4-attribute"' in form


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Choose a recommendation from strong no to strong yes."),
        ({"recommendation": "9"}, "Choose a recommendation from strong no to strong yes."),
        ({"recommendation": "4", "ratings": [("Communication", 7)]}, "Rate from 1 to 5."),
        ({"recommendation": "4", "ratings": [("Communication", "")]}, "Rate Communication from 1"),
        ({"recommendation": "4", "ratings": [("", 3)]}, "Name the attribute you rate."),
        ({"recommendation": "4", "ratings": [("Go", 3), ("go", 4)]}, "Rate each attribute once."),
        ({"recommendation": "4", "strengths": "x" * 10_001}, "at most 10000 characters"),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_error(
    client, interviewer, application, fields, message
):
    client.force_login(interviewer)

    response = client.post(
        url("feedback_submit", application.candidate_id, application.pk),
        feedback_data(application, **fields),
    )

    assert response.status_code == 422
    assert message in response.content.decode()
    assert not InterviewFeedback.objects.exists()


@pytest.mark.parametrize("role", ["outsider", "readonly"])
def test_feedback_from_outside_the_team_is_refused(client, request, application, role):
    as_user(client, request, role)

    response = client.post(
        url("feedback_submit", application.candidate_id, application.pk),
        feedback_data(application, recommendation="5"),
    )

    assert response.status_code == 404
    assert not InterviewFeedback.objects.exists()


@pytest.mark.parametrize("role", ["recruiter", "manager", "interviewer", "admin_user"])
def test_the_feedback_panel_agrees_with_feedback_visible_to(
    request, recruiter, manager, application, role
):
    user = request.getfixturevalue(role)
    feedback_submit(application=application, by=recruiter, recommendation=5)
    feedback_submit(application=application, by=manager, recommendation=3)

    (loaded,) = applications_with_feedback(user, application.candidate)
    panel = feedback_panel(user, loaded)

    assert [f.pk for f in panel.visible] == [f.pk for f in feedback_visible_to(user, application)]


# --- LinkedIn placeholder


# --- Merge


def test_two_records_are_merged_after_a_side_by_side_confirmation(
    client, recruiter, candidate, application
):
    duplicate = CandidateFactory(
        first_name="Dup", last_name="Licate", current_title="", email="dup@example.org"
    )
    duplicate.phones = ["+47 123"]
    duplicate.save()
    note_add(candidate=duplicate, by=recruiter, body="From the duplicate")
    client.force_login(recruiter)
    merge = url("merge", candidate.pk)

    picker = client.get(merge)
    confirm = client.get(merge, {"duplicate": "DUP@example.org"})
    by_id = client.get(merge, {"duplicate": f"#{duplicate.pk}"})
    response = client.post(merge, {"duplicate": duplicate.pk}, follow=True)

    assert picker.status_code == 200
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert f"Duplicate #{duplicate.pk} (removed)" in html
    assert "dup@example.org" in html
    assert "+47 123" in html
    assert by_id.status_code == 200
    assert response.redirect_chain == [(url("detail", candidate.pk), 302)]
    assert f"Dup Licate (#{duplicate.pk}) was merged into this record." in (
        response.content.decode()
    )
    assert not Candidate.objects.filter(pk=duplicate.pk).exists()
    assert set(candidate.emails.values_list("email", flat=True)) == {
        candidate.primary_email,
        "dup@example.org",
    }
    assert candidate.notes.filter(body="From the duplicate").exists()
    candidate.refresh_from_db()
    assert candidate.phones == ["+47 123"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("nobody@example.org", "No candidate you can see has this id or email."),
        ("999999", "No candidate you can see has this id or email."),
        ("not an id", "No candidate you can see has this id or email."),
    ],
)
def test_a_duplicate_that_is_not_found_is_said_so(client, recruiter, candidate, query, message):
    client.force_login(recruiter)

    response = client.get(url("merge", candidate.pk), {"duplicate": query})

    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_record_is_not_merged_with_itself(client, recruiter, candidate):
    client.force_login(recruiter)

    page = client.get(url("merge", candidate.pk), {"duplicate": str(candidate.pk)})
    response = client.post(url("merge", candidate.pk), {"duplicate": candidate.pk}, follow=True)

    assert "That is this record: pick the duplicate." in page.content.decode()
    assert "A candidate cannot be merged with itself." in response.content.decode()
    assert Candidate.objects.filter(pk=candidate.pk).exists()


@pytest.mark.parametrize(("role", "status"), [("interviewer", 403), ("readonly", 403)])
def test_only_editors_merge(client, request, application, role, status):
    duplicate = CandidateFactory()
    application_create(
        candidate=duplicate, job=application.job, by=request.getfixturevalue("recruiter")
    )
    as_user(client, request, role)

    page = client.get(url("merge", application.candidate_id))
    response = client.post(url("merge", application.candidate_id), {"duplicate": duplicate.pk})

    assert (page.status_code, response.status_code) == (status, status)
    assert Candidate.objects.filter(pk=duplicate.pk).exists()


def test_a_merge_post_naming_no_record_is_not_found(client, recruiter, candidate):
    client.force_login(recruiter)
    count = Candidate.objects.count()

    for duplicate in ("nonsense", "999999", ""):
        response = client.post(url("merge", candidate.pk), {"duplicate": duplicate})
        assert response.status_code == 404
    assert Candidate.objects.count() == count


# --- Escaping


@pytest.mark.parametrize("payload", PAYLOADS)
def test_user_text_renders_inert_on_every_tab(client, recruiter, application, payload):
    candidate = application.candidate
    candidate.first_name = payload
    candidate.current_company = payload
    candidate.save()
    note_add(candidate=candidate, by=recruiter, body=payload)
    feedback_submit(
        application=application,
        by=recruiter,
        recommendation=4,
        strengths=payload,
        ratings={payload: 4},
    )
    document = document_add(
        candidate=candidate, by=recruiter, upload=pdf(f"{payload}.pdf"), application=application
    )
    client.force_login(recruiter)

    pages = {tab: client.get(url(tab, candidate.pk)).content.decode() for tab in [*TABS, "edit"]}
    pages["merge"] = client.get(url("merge", candidate.pk), {"duplicate": candidate.pk}).content
    pages["merge"] = pages["merge"].decode()

    for html in pages.values():
        assert_inert(html)
    assert escape(payload) in pages["detail"]  # the name in the heading
    assert escape(document.original_name) in pages["detail"]
    assert escape(payload) in pages["notes"]
    assert pages["feedback"].count(escape(payload)) >= 2  # strengths and the rating's name


# --- Query counts (STYLE 9)


@pytest.fixture
def crowded(candidate, team_job, recruiter, manager):
    def add(rows: int):
        fill(candidate, team_job, recruiter=recruiter, manager=manager, rows=rows)
        organisation_get()  # the settings row exists in a running system
        return candidate

    return add


# session, user, the user's security roles, the organisation (base.html), the unread
# notification count (navigation), the candidate.
PAGE_QUERIES = 6


@pytest.mark.parametrize("rows", [3, 6])
def test_the_overview_query_count_does_not_grow_with_rows(
    client, recruiter, crowded, django_assert_num_queries, rows
):
    candidate = crowded(rows)
    client.force_login(recruiter)

    # the page, then: applications the user may write on with their jobs, the jobs' teams,
    # emails, tags, documents with their applications, jobs and uploaders.
    with django_assert_num_queries(PAGE_QUERIES + 5):
        response = client.get(url("detail", candidate.pk))

    assert response.content.decode().count("/download") == rows


@pytest.mark.parametrize("rows", [3, 6])
def test_the_applications_query_count_does_not_grow_with_rows(
    client, recruiter, crowded, django_assert_num_queries, rows
):
    candidate = crowded(rows)
    client.force_login(recruiter)

    # the page, then: applications with job, stage and rejection reason, their stage history
    # with stages and actors, the jobs' teams.
    with django_assert_num_queries(PAGE_QUERIES + 3):
        response = client.get(url("applications", candidate.pk))

    assert response.content.decode().count("Stage history on") == rows


@pytest.mark.parametrize("rows", [3, 6])
def test_the_feedback_query_count_does_not_grow_with_rows(
    client, interviewer, crowded, django_assert_num_queries, rows
):
    candidate = crowded(rows)
    client.force_login(interviewer)

    # the page, then: applications with job and stage, their feedback with interviewers,
    # the jobs' teams.
    with django_assert_num_queries(PAGE_QUERIES + 3):
        response = client.get(url("feedback", candidate.pk))

    assert response.content.decode().count("(2 submitted)") == rows


@pytest.mark.parametrize("rows", [3, 6])
def test_the_notes_query_count_does_not_grow_with_rows(
    client, recruiter, crowded, django_assert_num_queries, rows
):
    candidate = crowded(rows)
    client.force_login(recruiter)

    # the page, then: applications the user may write on with their jobs, the jobs' teams,
    # the visible notes with authors, applications and jobs.
    with django_assert_num_queries(PAGE_QUERIES + 3):
        response = client.get(url("notes", candidate.pk))

    assert response.content.decode().count('class="card mb-2"') == rows
