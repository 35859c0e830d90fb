"""The pipeline board of a job: columns, moves, rejections, bulk actions, adding a candidate."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from candidates.models import (
    Application,
    ApplicationStatus,
    Candidate,
    CandidateSource,
)
from candidates.services import application_create, application_reject
from jobs.choices import StageKind, TeamRole
from jobs.services import job_activate, team_member_add
from talentpools.models import TalentPool
from talentpools.services import pool_create
from tests.factories import CandidateFactory, UserFactory, rejection_reason
from tests.xss import PAYLOADS, assert_inert

HX = {"HTTP_HX_REQUEST": "true"}


def board_url(job, **query):
    url = reverse("jobs:board:board", args=[job.number])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def move_url(application):
    return reverse("jobs:board:move", args=[application.job.number, application.pk])


def reject_url(application):
    return reverse("jobs:board:reject", args=[application.job.number, application.pk])


def bulk_url(job, action):
    return reverse(f"jobs:board:bulk_{action}", args=[job.number])


def add_url(job):
    return reverse("jobs:board:add", args=[job.number])


def applicants(job, by, n, **candidate_fields):
    """n applicants put on the job through the production service."""
    return [
        application_create(candidate=CandidateFactory(**candidate_fields), job=job, by=by)
        for _ in range(n)
    ]


def bulk_applicants(job, n, *, kinds=(StageKind.APPLICATION,)):
    """Many applicants at the cost of two INSERTs, spread round-robin over stages of `kinds`."""
    stages = [job.stages.get(kind=kind) for kind in kinds]
    people = Candidate.objects.bulk_create(
        Candidate(first_name=f"Bulk{i}", last_name="Person", current_title="Engineer")
        for i in range(n)
    )
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(
            candidate=person,
            job=job,
            stage=stages[i % len(stages)],
            source=CandidateSource.IMPORT,
            stage_entered_at=now - timedelta(hours=i),
        )
        for i, person in enumerate(people)
    )


def snapshot(*applications):
    """What a refused request must leave untouched."""
    rows = Application.objects.filter(pk__in=[a.pk for a in applications]).order_by("pk")
    return list(rows.values_list("pk", "stage_id", "status", "rejection_reason_id"))


@pytest.fixture
def readonly_on_team(job, recruiter, readonly):
    team_member_add(job=job, by=recruiter, user=readonly, role=TeamRole.INTERVIEWER)
    return readonly


@pytest.fixture
def reason():
    return rejection_reason()


# --- Reading the board.


def test_each_column_shows_its_stage_count_and_cards_with_name_title_source_and_days(
    client, job, recruiter, stage
):
    # given two applicants, one of them in Screen since three days
    first, second = applicants(job, recruiter, 2)
    Application.objects.filter(pk=second.pk).update(
        stage=stage(StageKind.SCREENING), stage_entered_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(recruiter)
    # when
    page = client.get(board_url(job)).content.decode()
    # then the columns follow the process, each with its count
    names = [s.name for s in job.stages.order_by("position")]
    positions = [page.index(f">{name}</span>") for name in names]
    assert positions == sorted(positions)
    assert page.count('data-count>1<span class="visually-hidden"> cards') == 2
    assert first.candidate.full_name in page
    assert first.candidate.current_title in page
    assert "Added by hand · 0 days in stage" in page
    assert "3 days in stage" in page
    assert reverse("candidates:detail", args=[second.candidate_id]) in page


@pytest.mark.parametrize(
    ("actor", "move", "reject", "add", "bulk"),
    [
        ("recruiter", True, True, True, True),
        ("manager", True, False, True, True),
        ("interviewer", False, False, False, False),
        ("readonly_on_team", False, False, False, False),
        ("admin_user", True, True, True, True),
    ],
)
def test_the_board_offers_each_role_only_its_controls(
    client, request, application, actor, move, reject, add, bulk
):
    client.force_login(request.getfixturevalue(actor))
    response = client.get(board_url(application.job))
    page = response.content.decode()
    assert response.status_code == 200
    assert application.candidate.full_name in page
    assert ('class="board-move' in page) is move
    assert (page.count("data-movable") > page.count("[data-movable]")) is move
    assert (reject_url(application) in page) is reject
    assert ("Reject selected" in page) is reject
    assert ('id="add-candidate"' in page) is add
    assert ('name="applications"' in page) is bulk


@pytest.mark.parametrize("actor", ["outsider", "readonly"])
def test_people_outside_the_team_get_404_for_the_board(client, request, application, actor):
    client.force_login(request.getfixturevalue(actor))
    assert client.get(board_url(application.job)).status_code == 404


def test_the_board_needs_a_sign_in(client, application):
    response = client.get(board_url(application.job))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_rejected_withdrawn_and_hired_cards_appear_only_when_the_filter_asks(
    client, job, recruiter, reason
):
    kept, dropped = applicants(job, recruiter, 2)
    application_reject(application=dropped, by=recruiter, reason=reason)
    client.force_login(recruiter)
    page = client.get(board_url(job)).content.decode()
    assert kept.candidate.full_name in page
    assert dropped.candidate.full_name not in page
    page = client.get(board_url(job, show="rejected")).content.decode()
    assert dropped.candidate.full_name in page
    assert 'value="rejected"\n                 id="show-rejected"\n                 checked' in page
    # a rejected card cannot be moved or rejected again from the board
    assert move_url(dropped) not in page
    assert reject_url(dropped) not in page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_names_and_titles_render_inert(client, job, recruiter, payload):
    person = CandidateFactory(first_name=payload, last_name="Smith", current_title=payload)
    application_create(candidate=person, job=job, by=recruiter)
    client.force_login(recruiter)
    page = client.get(board_url(job)).content.decode()
    assert_inert(page)
    assert escape(payload) in page


# --- Query counts (STYLE 9).


def board_queries(client, django_assert_num_queries, job, expected):
    # 1 session, 2 user, 3 the user's security roles, 4 the job, 5-6 the user's team roles
    # (job_for_user's view check and its require_job), 7 the stages, 8 the counts per stage
    # (one aggregate), 9 every column's first page of cards with their candidates (one windowed
    # query), 10 the hiring team for the controls, 11 rejection reasons, 12 the user's talent
    # pools, 13 the organisation (base template), 14 the unread-notification count (navigation).
    with django_assert_num_queries(expected):
        response = client.get(board_url(job))
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_costs_the_same_queries_for_3_and_for_300_applicants(
    client, job, recruiter, django_assert_num_queries
):
    client.force_login(recruiter)
    client.get(board_url(job))  # the first request of the suite creates the organisation row
    kinds = (StageKind.APPLICATION, StageKind.SCREENING, StageKind.INTERVIEW, StageKind.OFFER)
    bulk_applicants(job, 3, kinds=kinds)
    page = board_queries(client, django_assert_num_queries, job, 14)
    assert page.count('class="card board-card') == 3
    bulk_applicants(job, 297, kinds=kinds)
    page = board_queries(client, django_assert_num_queries, job, 14)
    # four columns of 74 to 76 cards: 50 shown in each, and a "Show more" per column
    assert page.count('class="card board-card') == 200
    assert page.count(">Show more<") == 4
    counts = re.findall(r"data-count>(\d+)<", page)
    assert sum(map(int, counts)) == 300


def test_the_show_more_fragment_costs_a_constant_number_of_queries(
    client, job, recruiter, stage, django_assert_num_queries
):
    bulk_applicants(job, 120)
    client.force_login(recruiter)
    column = stage(StageKind.APPLICATION)
    client.get(board_url(job))  # the first request of the suite creates the organisation row
    # session, user, roles, job, team roles twice (job_for_user), the stages, the hiring team
    # for the card controls, the page of cards with their candidates, the organisation
    with django_assert_num_queries(10):
        response = client.get(board_url(job, stage=column.pk, page=2), **HX)
    assert response.content.decode().count('class="card board-card') == 50


# --- Column pagination.


def test_a_column_beyond_50_cards_paginates_with_and_without_javascript(
    client, job, recruiter, stage
):
    # given 120 applicants in Application, the newest first
    rows = bulk_applicants(job, 120)
    newest_first = [a.candidate.first_name for a in rows]  # stage_entered_at goes back in time
    column = stage(StageKind.APPLICATION)
    client.force_login(recruiter)
    # the board shows the first 50 and a link to the next page of that column
    page = client.get(board_url(job)).content.decode()
    assert page.count('class="card board-card') == 50
    assert f">{newest_first[49]} Person<" in page
    assert f">{newest_first[50]} Person<" not in page
    assert f"?stage={column.pk}&amp;page=2" in page
    # without JavaScript, page 2 of that column is a page of its own
    page = client.get(board_url(job, stage=column.pk, page=2)).content.decode()
    assert "Cards 51 to 100 of 120." in page
    assert f">{newest_first[50]} Person<" in page
    assert f">{newest_first[49]} Person<" not in page
    assert f"?stage={column.pk}&amp;page=3" in page
    # with HTMX, the "Show more" answers only the next cards, the link moving on out of band
    fragment = client.get(board_url(job, stage=column.pk, page=3), **HX).content.decode()
    assert "<html" not in fragment
    assert fragment.count('class="card board-card') == 20
    assert f">{newest_first[100]} Person<" in fragment
    assert f'id="more-{column.pk}" hx-swap-oob="innerHTML"' in fragment
    assert "Show more" not in fragment
    assert fragment.count("data-focus-after-swap") == 1


def test_a_page_of_an_unknown_stage_is_404_with_htmx(client, application, recruiter):
    client.force_login(recruiter)
    response = client.get(board_url(application.job, stage=999999, page=2), **HX)
    assert response.status_code == 404


# --- Moving a card.


def test_a_recruiter_moves_a_card_and_returns_to_the_board(client, application, recruiter, stage):
    client.force_login(recruiter)
    screen = stage(StageKind.SCREENING)
    response = client.post(move_url(application), {"stage": screen.pk}, follow=True)
    application.refresh_from_db()
    assert application.stage == screen
    assert response.redirect_chain == [(board_url(application.job), 302)]
    assert f"Moved {application.candidate.full_name} to Screen." in response.content.decode()


def test_the_filter_survives_a_move(client, application, recruiter, stage):
    client.force_login(recruiter)
    url = move_url(application) + "?show=rejected"
    response = client.post(url, {"stage": stage(StageKind.SCREENING).pk})
    assert response["Location"] == board_url(application.job, show="rejected")


def test_a_move_with_htmx_answers_the_board_region_with_counts_focus_and_announcement(
    client, application, recruiter, stage
):
    client.force_login(recruiter)
    screen = stage(StageKind.SCREENING)
    response = client.post(move_url(application), {"stage": screen.pk}, **HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Retarget"] == "#board-region"
    assert "<html" not in html
    # the moved card is in Screen and keeps the focus; Screen counts one, Application none
    screen_column = html[html.index(f'id="column-{screen.pk}"') :]
    assert f'id="card-{application.pk}"' in screen_column
    assert html.count("data-focus-after-swap") == 1
    assert f'id="column-{screen.pk}"' in html
    assert html.count('data-count>1<span class="visually-hidden"> cards') == 1
    assert '<div id="messages" hx-swap-oob="innerHTML">' in html
    assert f"Moved {application.candidate.full_name} to Screen." in html


def test_moving_into_the_hired_stage_hires(client, application, recruiter, stage):
    client.force_login(recruiter)
    hired = stage(StageKind.HIRED)
    response = client.post(move_url(application), {"stage": hired.pk}, **HX)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.HIRED
    assert application.stage == hired
    html = response.content.decode()
    assert f"{application.candidate.full_name} hired." in html
    # hired cards leave the default view: the Hired column takes the focus instead
    assert (
        f'id="column-{hired.pk}"\n                tabindex="-1"\n                data-focus' in html
    )


def test_moving_a_rejected_application_is_refused_with_a_clear_message(
    client, application, recruiter, stage, reason
):
    application_reject(application=application, by=recruiter, reason=reason)
    client.force_login(recruiter)
    before = snapshot(application)
    response = client.post(
        move_url(application), {"stage": stage(StageKind.SCREENING).pk}, follow=True
    )
    assert snapshot(application) == before
    assert "A rejected application cannot be moved." in response.content.decode()


def test_a_move_to_a_stage_of_another_job_changes_nothing(client, application, recruiter, make_job):
    other = make_job(title="Other job")
    client.force_login(recruiter)
    before = snapshot(application)
    response = client.post(move_url(application), {"stage": other.stages.first().pk}, follow=True)
    assert snapshot(application) == before
    assert "That stage is not part of this job&#x27;s process." in response.content.decode()


def test_an_application_is_reached_only_through_its_own_job(
    client, application, recruiter, make_job, stage
):
    other = make_job(title="Other job")
    client.force_login(recruiter)
    url = reverse("jobs:board:move", args=[other.number, application.pk])
    response = client.post(url, {"stage": stage(StageKind.SCREENING).pk})
    assert response.status_code == 404


def test_a_hiring_manager_moves_a_card(client, application, manager, stage):
    client.force_login(manager)
    client.post(move_url(application), {"stage": stage(StageKind.INTERVIEW).pk})
    application.refresh_from_db()
    assert application.stage.kind == StageKind.INTERVIEW


@pytest.mark.parametrize(
    ("actor", "status"), [("interviewer", 403), ("readonly_on_team", 403), ("outsider", 404)]
)
def test_a_move_by_someone_who_may_not_is_refused_and_changes_nothing(
    client, request, application, stage, actor, status
):
    client.force_login(request.getfixturevalue(actor))
    before = snapshot(application)
    response = client.post(move_url(application), {"stage": stage(StageKind.SCREENING).pk})
    assert response.status_code == status
    assert snapshot(application) == before


def test_the_move_endpoint_takes_only_posts(client, application, recruiter):
    client.force_login(recruiter)
    assert client.get(move_url(application)).status_code == 405


# --- Rejecting one card.


def test_a_recruiter_rejects_a_card_with_a_reason(client, application, recruiter, reason):
    client.force_login(recruiter)
    form = client.get(reject_url(application))
    assert form.status_code == 200
    assert reason.name in form.content.decode()
    response = client.post(reject_url(application), {"reason": reason.pk, "comment": "Too far"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.REJECTED
    assert application.rejection_reason == reason
    assert application.status_comment == "Too far"


def test_a_rejection_without_a_reason_is_refused_on_the_form(client, application, recruiter):
    client.force_login(recruiter)
    before = snapshot(application)
    response = client.post(reject_url(application), {"reason": ""})
    assert response.status_code == 422
    assert "Choose a rejection reason." in response.content.decode()
    assert snapshot(application) == before


def test_the_reject_form_loads_beside_the_board_with_htmx(client, application, recruiter, reason):
    client.force_login(recruiter)
    html = client.get(reject_url(application), **HX).content.decode()
    assert "<html" not in html
    assert 'hx-target="#board-dialog"' in html
    response = client.post(reject_url(application), {"reason": reason.pk}, **HX)
    assert response["HX-Retarget"] == "#board-region"
    assert (
        f"Rejected {application.candidate.full_name}: {reason.name}." in response.content.decode()
    )


@pytest.mark.parametrize(
    ("actor", "status"),
    [("manager", 403), ("interviewer", 403), ("readonly_on_team", 403), ("outsider", 404)],
)
def test_only_recruiters_reject_and_a_refused_rejection_changes_nothing(
    client, request, application, reason, actor, status
):
    client.force_login(request.getfixturevalue(actor))
    before = snapshot(application)
    assert client.get(reject_url(application)).status_code == status
    assert client.post(reject_url(application), {"reason": reason.pk}).status_code == status
    assert snapshot(application) == before


# --- Bulk actions.


def test_a_bulk_move_moves_every_selected_card_and_skips_those_already_there(
    client, job, recruiter, stage
):
    screen = stage(StageKind.SCREENING)
    one, two, three = applicants(job, recruiter, 3)
    client.force_login(recruiter)
    client.post(move_url(three), {"stage": screen.pk})
    response = client.post(
        bulk_url(job, "move"), {"applications": [one.pk, two.pk, three.pk], "stage": screen.pk}
    )
    assert response.status_code == 302
    assert set(Application.objects.values_list("stage", flat=True)) == {screen.pk}
    page = client.get(board_url(job)).content.decode()
    assert "Moved 2 to Screen." in page


def test_a_bulk_move_with_one_failure_changes_nothing_and_says_why(
    client, job, recruiter, stage, reason
):
    one, two, rejected = applicants(job, recruiter, 3)
    application_reject(application=rejected, by=recruiter, reason=reason)
    client.force_login(recruiter)
    before = snapshot(one, two, rejected)
    response = client.post(
        bulk_url(job, "move"),
        {"applications": [one.pk, two.pk, rejected.pk], "stage": stage(StageKind.SCREENING).pk},
        follow=True,
    )
    assert snapshot(one, two, rejected) == before
    html = response.content.decode()
    assert "Nothing changed." in html
    assert f"{rejected.candidate.full_name}: A rejected application cannot be moved." in html


def test_a_bulk_rejection_rejects_every_selected_card_in_one_go(client, job, recruiter, reason):
    chosen = applicants(job, recruiter, 3)
    client.force_login(recruiter)
    response = client.post(
        bulk_url(job, "reject"),
        {"applications": [a.pk for a in chosen], "reason": reason.pk, "comment": "Filled"},
        **HX,
    )
    assert response.status_code == 200
    assert f"Rejected 3: {reason.name}." in response.content.decode()
    rows = Application.objects.filter(pk__in=[a.pk for a in chosen])
    assert set(rows.values_list("status", "rejection_reason", "status_comment")) == {
        (ApplicationStatus.REJECTED, reason.pk, "Filled")
    }


def test_a_bulk_rejection_with_one_invalid_id_changes_nothing(
    client, job, recruiter, reason, make_job
):
    chosen = applicants(job, recruiter, 2)
    other_job = make_job(title="Other job")
    job_activate(job=other_job, by=recruiter)
    elsewhere = applicants(other_job, recruiter, 1)[0]
    client.force_login(recruiter)
    before = snapshot(*chosen, elsewhere)
    for wrong in (elsewhere.pk, 999999, "x"):
        response = client.post(
            bulk_url(job, "reject"),
            {"applications": [*(a.pk for a in chosen), wrong], "reason": reason.pk},
            follow=True,
        )
        assert "Nothing changed: That application is not on this job." in (
            response.content.decode()
        )
    assert snapshot(*chosen, elsewhere) == before


def test_a_bulk_rejection_with_one_already_rejected_changes_nothing(client, job, recruiter, reason):
    one, two = applicants(job, recruiter, 2)
    application_reject(application=two, by=recruiter, reason=reason)
    client.force_login(recruiter)
    before = snapshot(one, two)
    response = client.post(
        bulk_url(job, "reject"), {"applications": [one.pk, two.pk], "reason": reason.pk}, **HX
    )
    assert snapshot(one, two) == before
    assert "A rejected application cannot be rejected." in response.content.decode()


def test_a_bulk_action_needs_a_selection_and_its_choice(client, job, recruiter, reason):
    (one,) = applicants(job, recruiter, 1)
    client.force_login(recruiter)
    before = snapshot(one)
    html = client.post(bulk_url(job, "reject"), {"reason": reason.pk}, follow=True).content
    assert b"Select at least one card first." in html
    html = client.post(bulk_url(job, "reject"), {"applications": [one.pk]}, follow=True).content
    assert b"Choose a rejection reason." in html
    html = client.post(bulk_url(job, "move"), {"applications": [one.pk]}, follow=True).content
    assert b"Choose the stage to move the selected cards to." in html
    assert snapshot(one) == before


@pytest.mark.parametrize(
    ("actor", "status"), [("manager", 403), ("interviewer", 403), ("outsider", 404)]
)
def test_a_bulk_rejection_by_someone_who_may_not_reject_is_refused(
    client, request, job, recruiter, reason, actor, status
):
    chosen = applicants(job, recruiter, 2)
    client.force_login(request.getfixturevalue(actor))
    before = snapshot(*chosen)
    response = client.post(
        bulk_url(job, "reject"), {"applications": [a.pk for a in chosen], "reason": reason.pk}
    )
    assert response.status_code == status
    assert snapshot(*chosen) == before


@pytest.mark.parametrize(
    ("actor", "status"), [("interviewer", 403), ("readonly_on_team", 403), ("outsider", 404)]
)
def test_a_bulk_move_by_someone_who_may_not_move_is_refused(
    client, request, job, recruiter, stage, actor, status
):
    chosen = applicants(job, recruiter, 2)
    client.force_login(request.getfixturevalue(actor))
    before = snapshot(*chosen)
    response = client.post(
        bulk_url(job, "move"),
        {"applications": [a.pk for a in chosen], "stage": stage(StageKind.SCREENING).pk},
    )
    assert response.status_code == status
    assert snapshot(*chosen) == before


def test_selected_cards_go_into_a_talent_pool_the_user_contributes_to(
    client, job, recruiter, manager
):
    chosen = applicants(job, recruiter, 2)
    pool = pool_create(by=manager, name="Backend talent")
    client.force_login(manager)
    page = client.get(board_url(job)).content.decode()
    assert "Backend talent" in page
    response = client.post(
        bulk_url(job, "pool"), {"applications": [a.pk for a in chosen], "pool": pool.pk}, **HX
    )
    assert "Added 2 to the pool Backend talent." in response.content.decode()
    assert set(pool.memberships.values_list("candidate", flat=True)) == {
        a.candidate_id for a in chosen
    }


def test_a_pool_the_user_cannot_see_is_refused(client, job, recruiter, outsider):
    (one,) = applicants(job, recruiter, 1)
    hidden = pool_create(by=outsider, name="Otto's pool")
    client.force_login(recruiter)
    assert "Otto&#x27;s pool" not in client.get(board_url(job)).content.decode()
    response = client.post(
        bulk_url(job, "pool"), {"applications": [one.pk], "pool": hidden.pk}, follow=True
    )
    assert "Nothing changed" in response.content.decode()
    assert not hidden.memberships.exists()


def test_an_interviewer_cannot_add_cards_to_a_pool(client, job, recruiter, interviewer):
    (one,) = applicants(job, recruiter, 1)
    pool = pool_create(by=recruiter, name="Shared")
    response = client.post(bulk_url(job, "pool"), {"applications": [one.pk], "pool": pool.pk})
    assert response.status_code == 302  # not signed in: to the login page
    client.force_login(interviewer)
    response = client.post(bulk_url(job, "pool"), {"applications": [one.pk], "pool": pool.pk})
    assert response.status_code == 403
    assert not TalentPool.objects.get(pk=pool.pk).memberships.exists()


# --- Adding a candidate to this job.


PERSON = {"first_name": "Nora", "last_name": "Berg", "email": "Nora@Example.org", "phone": "+47 1"}


def test_a_recruiter_adds_a_new_candidate_to_the_application_stage(client, job, recruiter):
    client.force_login(recruiter)
    response = client.post(add_url(job), PERSON, follow=True)
    person = Candidate.objects.get(emails__email="nora@example.org")
    application = person.applications.get()
    assert (person.first_name, person.phones) == ("Nora", ["+47 1"])
    assert application.job == job
    assert application.stage.kind == StageKind.APPLICATION
    assert "Added Nora Berg to Application." in response.content.decode()


def test_adding_with_a_known_email_puts_the_existing_person_on_the_job(client, job, recruiter):
    known = CandidateFactory(first_name="Nora", last_name="Known", email="nora@example.org")
    client.force_login(recruiter)
    response = client.post(add_url(job), PERSON, **HX)
    assert Candidate.objects.count() == 1
    assert known.applications.get().job == job
    html = response.content.decode()
    assert "Added Nora Known (an existing candidate with that email) to Application." in html
    # the form is reset out of band and the new card takes the focus
    assert '<div id="add-candidate" hx-swap-oob="innerHTML">' in html
    card = html[html.index(f'id="card-{known.applications.get().pk}"') :]
    assert card.index("data-focus-after-swap") < card.index("</li>")


def test_a_candidate_already_on_the_job_is_refused_on_the_form(client, application, recruiter):
    email = application.candidate.primary_email
    client.force_login(recruiter)
    data = {**PERSON, "email": email}
    response = client.post(add_url(application.job), data)
    assert response.status_code == 422
    assert f"is already on {application.job.number}." in response.content.decode()
    assert Application.objects.count() == 1
    html = client.post(add_url(application.job), data, **HX).content.decode()
    assert "<html" not in html
    assert "already on" in html


def test_an_invalid_email_is_refused_on_the_form_and_nothing_is_created(client, job, recruiter):
    client.force_login(recruiter)
    response = client.post(add_url(job), {**PERSON, "email": "not-an-email"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "Enter a valid email address." in html
    assert 'aria-invalid="true"' in html
    assert '<details class="border rounded p-2 mb-3" open>' in html
    assert not Candidate.objects.exists()


def test_names_are_required_to_add_someone(client, job, recruiter):
    client.force_login(recruiter)
    response = client.post(add_url(job), {"email": "a@example.org"})
    assert response.status_code == 422
    assert not Candidate.objects.exists()


def test_a_recruiter_may_add_a_prospect(client, job, recruiter):
    client.force_login(recruiter)
    assert b"Add as a prospect" in client.get(board_url(job)).content
    client.post(add_url(job), {**PERSON, "as_prospect": "on"})
    assert Application.objects.get().stage.kind == StageKind.PROSPECT


def test_a_hiring_manager_adds_applicants_but_prospects_only_when_the_stage_allows(
    client, job, manager, stage
):
    client.force_login(manager)
    assert b"Add as a prospect" not in client.get(board_url(job)).content
    # a ticked box the form did not offer is ignored: the person lands in Application
    client.post(add_url(job), {**PERSON, "as_prospect": "on"})
    assert Application.objects.get().stage.kind == StageKind.APPLICATION
    prospect = stage(StageKind.PROSPECT)
    prospect.hiring_manager_can_add_prospects = True
    prospect.save()
    assert b"Add as a prospect" in client.get(board_url(job)).content


@pytest.mark.parametrize(
    ("actor", "status"), [("interviewer", 403), ("readonly_on_team", 403), ("outsider", 404)]
)
def test_adding_by_someone_who_may_not_is_refused_and_creates_nothing(
    client, request, job, actor, status
):
    client.force_login(request.getfixturevalue(actor))
    assert client.post(add_url(job), PERSON).status_code == status
    assert not Candidate.objects.exists()


def test_a_job_that_is_not_active_offers_no_moves_or_additions(client, make_job, recruiter):
    draft = make_job(title="Draft job")
    client.force_login(recruiter)
    page = client.get(board_url(draft)).content.decode()
    assert "This job is draft" in page
    assert 'id="add-candidate"' not in page
    response = client.post(add_url(draft), PERSON)
    assert response.status_code == 422
    assert "Only an active job takes candidates." in response.content.decode()
    assert not Candidate.objects.exists()


def test_someone_without_a_recruiting_role_cannot_add_even_as_a_team_member(client, job, recruiter):
    # on the team as an interviewer but holding no security role: sees no job at all
    guest = UserFactory(username="gus")
    team_member_add(job=job, by=recruiter, user=guest, role=TeamRole.INTERVIEWER)
    client.force_login(guest)
    assert client.post(add_url(job), PERSON).status_code == 404
    assert not Candidate.objects.exists()
