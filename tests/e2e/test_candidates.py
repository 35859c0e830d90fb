"""The candidate page in Chromium: interview feedback hidden until one's own is in, and notes
only their author may see."""

import re

import pytest
from playwright.sync_api import expect

from candidates.models import InterviewFeedback, Note, NoteVisibility, Recommendation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# The flush after each transactional test drops the rows data migrations made. serialized_rollback
# cannot bring them back here once Playwright runs: Django then hands out a new connection object
# without the serialized contents. So they are made again, idempotently, by the migrations' code.


def open_tab(page, candidate, tab: str):
    page.goto(f"/candidates/{candidate.pk}/")
    page.get_by_role("navigation", name="Candidate sections").get_by_role("link", name=tab).click()
    expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")


def test_an_interviewer_sees_the_others_feedback_only_after_submitting_theirs(
    page, login, application, recruiter, interviewer
):
    candidate = application.candidate

    # given rita has said "strong yes"
    login(recruiter)
    open_tab(page, candidate, "Feedback")
    page.get_by_label("Strong yes").check()
    page.get_by_label("Strengths").fill("Clear thinker")
    page.get_by_role("button", name="Submit my feedback").click()
    expect(page.get_by_role("status")).to_contain_text("Your feedback on")

    # when ivan opens the Feedback tab, rita's feedback is withheld
    login(interviewer)
    open_tab(page, candidate, "Feedback")
    expect(
        page.get_by_text("Submit your feedback to see the others' (1 submitted).")
    ).to_be_visible()
    expect(page.get_by_text("Clear thinker")).to_have_count(0)

    # and he submits his own with two ratings
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Attribute 1").fill("Communication")
    page.get_by_label("Rating 1").select_option("4")
    page.get_by_label("Attribute 2").fill("Problem solving")
    page.get_by_label("Rating 2").select_option("5")
    page.get_by_label("Strengths").fill("Explains trade-offs well")
    page.get_by_label("Concerns").fill("Little Kubernetes")
    page.get_by_role("button", name="Add a rating row").click()
    expect(page.get_by_label("Attribute 4")).to_be_focused()
    page.get_by_role("button", name="Submit my feedback").click()

    # then he sees both entries
    entries = page.get_by_role("article")
    expect(entries).to_have_count(2)
    expect(entries.filter(has_text="Clear thinker")).to_contain_text("Strong yes")
    expect(entries.filter(has_text="Explains trade-offs well")).to_contain_text("Communication")
    expect(page.get_by_text("Submit your feedback to see the others'")).to_have_count(0)
    ivan = InterviewFeedback.objects.get(application=application, interviewer=interviewer)
    assert (ivan.recommendation, ivan.ratings, ivan.concerns) == (
        Recommendation.YES,
        {"Communication": 4, "Problem solving": 5},
        "Little Kubernetes",
    )
    assert InterviewFeedback.objects.get(interviewer=recruiter).recommendation == 5
    assert page.console_errors == []


def test_a_private_note_is_seen_by_its_author_only_and_edited_in_place(
    page, login, application, recruiter, manager
):
    candidate = application.candidate

    # given rita writes a note only she may see
    login(recruiter)
    open_tab(page, candidate, "Notes")
    page.get_by_role("textbox", name="Note", exact=True).fill("Salary expectations are high")
    page.get_by_label("Only me").check()
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_role("status")).to_contain_text("Note added.")
    note = Note.objects.get()
    assert (note.visibility, note.author) == (NoteVisibility.PRIVATE, recruiter)

    # when she edits it in place (HTMX: no page load)
    page.get_by_role("link", name="Edit this note").click()
    editor = page.locator(f"#note-{note.pk}")
    expect(page).to_have_url(re.compile(r"/notes/$"))  # swapped in place, no navigation
    expect(editor.get_by_role("textbox", name="Note", exact=True)).to_be_focused()
    editor.get_by_role("textbox", name="Note", exact=True).fill("Salary expectations are very high")
    editor.get_by_role("button", name="Save note").click()
    expect(editor).to_contain_text("Salary expectations are very high")
    expect(editor).to_contain_text("saved")
    expect(page).to_have_url(re.compile(r"/notes/$"))
    note.refresh_from_db()
    assert note.body == "Salary expectations are very high"

    # then hank, on the same hiring team, does not see it
    login(manager)
    open_tab(page, candidate, "Notes")
    expect(page.get_by_text("No notes you can see.")).to_be_visible()
    expect(page.get_by_text("Salary expectations")).to_have_count(0)
    assert page.console_errors == []
