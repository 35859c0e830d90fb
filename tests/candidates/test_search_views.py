"""The candidate search page: free text, filters, scoping, pagination, bulk add to a pool.

Runs on SQLite (icontains fallback) and on PostgreSQL (stored tsvector + GIN index):
DATABASE_URL=postgres://postgres@127.0.0.1:5432/attract_dev .venv/bin/pytest <this file>
"""

import importlib

import pytest
from django.db import connection
from django.urls import reverse

from attract.selectors import organisation_get
from candidates.models import CandidateSource
from candidates.search import SearchFilters, search_candidates
from candidates.services import (
    application_create,
    application_move,
    candidate_create,
    candidate_refresh_search,
    note_add,
)
from jobs.choices import StageKind
from talentpools.models import TalentPool
from talentpools.services import pool_add_members, pool_create
from tests.conftest import service_missing
from tests.xss import PAYLOADS, assert_inert

SEARCH = reverse("candidates:search")
ADD = reverse("talentpools:add_members")


@pytest.fixture
def person(recruiter):
    """A candidate made through the production service, with its search text refreshed."""

    def make(first, last, *, email="", title="", company="", tags=(), source="manual", **kw):
        candidate, _ = candidate_create(
            by=recruiter,
            first_name=first,
            last_name=last,
            email=email,
            current_title=title,
            current_company=company,
            tags=tags,
            source=source,
            **kw,
        )
        candidate_refresh_search(candidate_id=candidate.pk)
        candidate.refresh_from_db()
        return candidate

    return make


@pytest.fixture
def people(person):
    return {
        "ada": person(
            "Ada", "Lovelace", email="ada@analytical.example", title="Mathematician",
            company="Analytical Engines", tags=["python", "maths"],
        ),
        "grace": person(
            "Grace", "Hopper", email="grace@navy.example", title="Rear admiral",
            company="US Navy", tags=["cobol"], source=CandidateSource.REFERRAL,
        ),
        "alan": person(
            "Alan", "Turing", email="alan@bletchley.example", title="Cryptanalyst",
            company="Bletchley Park", tags=["maths"],
        ),
    }  # fmt: skip


def names(response) -> set[str]:
    return {c.full_name for c in response.context["page_obj"].object_list}


def search(client, **params):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    return response


# --- Free text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lovelace", {"Ada Lovelace"}),
        ("grace", {"Grace Hopper"}),
        ("alan@bletchley.example", {"Alan Turing"}),
        ("cryptanalyst", {"Alan Turing"}),
        ("Navy", {"Grace Hopper"}),
        ("maths", {"Ada Lovelace", "Alan Turing"}),
        ("maths Turing", {"Alan Turing"}),
        ("nobody-like-this", set()),
    ],
)
def test_free_text_finds_names_emails_titles_companies_and_tags(
    client, recruiter, people, text, expected
):
    client.force_login(recruiter)
    assert names(search(client, q=text)) == expected


def test_notes_are_searched_but_private_notes_are_not(client, recruiter, people):
    note_add(candidate=people["ada"], by=recruiter, body="Brilliant on difference engines")
    note_add(candidate=people["alan"], by=recruiter, body="secret enigma", visibility="private")
    for candidate in people.values():
        candidate_refresh_search(candidate_id=candidate.pk)
    client.force_login(recruiter)
    assert names(search(client, q="difference")) == {"Ada Lovelace"}
    assert names(search(client, q="enigma")) == set()


def test_without_text_every_visible_candidate_is_listed_by_name(client, recruiter, people):
    client.force_login(recruiter)
    listed = [c.full_name for c in search(client).context["page_obj"].object_list]
    assert listed == ["Grace Hopper", "Ada Lovelace", "Alan Turing"]


def test_a_result_shows_title_company_source_and_tags_and_links_to_the_candidate(
    client, recruiter, people
):
    client.force_login(recruiter)
    html = search(client, q="Hopper").content.decode()
    grace = people["grace"]
    assert reverse("candidates:detail", args=[grace.pk]) in html
    for text in ["Rear admiral", "US Navy", "Referral", "cobol", "grace@navy.example"]:
        assert text in html
    assert "1 candidate found" in html


def test_the_best_match_comes_first_on_postgresql(client, recruiter, person):
    if connection.vendor != "postgresql":
        service_missing("ranking by ts_rank needs PostgreSQL")
    person("Zed", "Once", title="python developer")
    person("Abe", "Thrice", title="python python python", tags=["python"])
    client.force_login(recruiter)
    listed = [c.full_name for c in search(client, q="python").context["page_obj"].object_list]
    assert listed == ["Abe Thrice", "Zed Once"]


# --- Filters


@pytest.fixture
def on_job(job, recruiter, people, stage):
    """Ada applied to the job and is in Screen; Alan is in Application; Grace is on no job."""
    ada = application_create(candidate=people["ada"], job=job, by=recruiter)
    application_move(application=ada, stage=stage(StageKind.SCREENING), by=recruiter)
    application_create(candidate=people["alan"], job=job, by=recruiter)
    return job


def test_filters_by_job_and_by_a_stage_of_that_job(client, recruiter, on_job, stage):
    client.force_login(recruiter)
    assert names(search(client, job=on_job.pk)) == {"Ada Lovelace", "Alan Turing"}
    screen = stage(StageKind.SCREENING)
    assert names(search(client, job=on_job.pk, stage=screen.pk)) == {"Ada Lovelace"}
    assert names(search(client, job=on_job.pk, q="Turing")) == {"Alan Turing"}


def test_the_stage_select_offers_the_chosen_jobs_stages_only(
    client, recruiter, on_job, make_job, stage
):
    other = make_job(title="Other job")
    client.force_login(recruiter)
    response = search(client, job=on_job.pk)
    offered = set(response.context["form"].fields["stage"].queryset)
    assert offered == set(on_job.stages.all())
    # A stage of another job (left over after changing the job) is ignored, not an error.
    leftover = other.stages.first()
    assert names(search(client, job=on_job.pk, stage=leftover.pk)) == {
        "Ada Lovelace",
        "Alan Turing",
    }
    assert search(client, stage=stage(StageKind.SCREENING).pk).context["form"].is_valid()


def test_filters_by_source_tag_and_pool(client, recruiter, people):
    client.force_login(recruiter)
    assert names(search(client, source=CandidateSource.REFERRAL)) == {"Grace Hopper"}
    maths = people["ada"].tags.get(name="maths")
    assert names(search(client, tag=maths.pk)) == {"Ada Lovelace", "Alan Turing"}
    pool = pool_create(by=recruiter, name="Pioneers")
    pool_add_members(pool=pool, by=recruiter, candidates=[people["grace"]])
    assert names(search(client, pool=pool.pk)) == {"Grace Hopper"}
    assert names(search(client, pool=pool.pk, tag=maths.pk)) == set()


def test_pools_of_others_are_not_offered_nor_accepted(client, recruiter, manager, people):
    hidden = pool_create(by=manager, name="Hank's private pool")
    pool_add_members(pool=hidden, by=manager, candidates=[people["ada"]])
    client.force_login(recruiter)
    response = client.get(SEARCH, {"pool": hidden.pk})
    assert response.context["form"].errors["pool"]
    assert names(response) == set()
    assert "Hank&#x27;s private pool" not in response.content.decode()


# --- Scoping


def test_an_interviewer_finds_only_the_candidates_of_jobs_they_interview_for(
    client, interviewer, on_job, people
):
    client.force_login(interviewer)
    assert names(search(client)) == {"Ada Lovelace", "Alan Turing"}
    assert names(search(client, q="Hopper")) == set()
    assert names(search(client, q="maths")) == {"Ada Lovelace", "Alan Turing"}


def test_an_interviewer_has_no_pool_filter_and_no_bulk_add(client, interviewer, on_job):
    client.force_login(interviewer)
    response = search(client)
    html = response.content.decode()
    assert "pool" not in response.context["form"].fields
    assert "Add selected to pool" not in html
    assert 'name="candidates"' not in html


def test_job_filters_only_offer_and_accept_jobs_whose_applicants_the_user_sees(
    client, outsider, on_job, people
):
    client.force_login(outsider)
    response = search(client)
    assert list(response.context["form"].fields["job"].queryset) == []
    refused = client.get(SEARCH, {"job": on_job.pk})
    assert refused.context["form"].errors["job"]
    assert names(refused) == set()
    # Otto is a recruiter: he sees every candidate, but not who applied to Rita's job.
    assert names(search(client, q="maths")) == {"Ada Lovelace", "Alan Turing"}


def test_a_read_only_user_finds_nobody(client, readonly, people):
    client.force_login(readonly)
    assert names(search(client)) == set()


def test_search_needs_a_sign_in(client, db):
    response = client.get(SEARCH)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- Pagination


def test_results_are_paginated_25_a_page_keeping_the_query(client, recruiter, person):
    for n in range(30):
        person("Pat", f"Example{n:02d}", title="Welder")
    client.force_login(recruiter)
    first = search(client, q="welder")
    assert len(first.context["page_obj"].object_list) == 25
    assert "30 candidates found" in first.content.decode()
    assert "?q=welder&amp;page=2" in first.content.decode()
    second = search(client, q="welder", page=2)
    assert len(second.context["page_obj"].object_list) == 5
    assert not names(first) & names(second)


def test_htmx_gets_the_results_fragment_with_the_stage_select(client, recruiter, on_job):
    client.force_login(recruiter)
    response = client.get(SEARCH, {"q": "Ada", "job": on_job.pk}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<h1>" not in html
    assert "1 candidate found" in html
    assert 'hx-swap-oob="innerHTML:#stage-field"' in html
    assert "Screen" in html


# --- Escaping


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_in_names_titles_and_tags_render_inert(client, recruiter, person, payload):
    person(payload, "Payload", title=payload, company=payload, tags=[payload[:50]])
    client.force_login(recruiter)
    html = search(client, q="Payload").content.decode()
    assert_inert(html)
    assert "1 candidate found" in html


# --- Bulk add to a pool


def test_selected_results_are_added_to_an_existing_pool(client, recruiter, people):
    pool = pool_create(by=recruiter, name="Pioneers")
    pool_add_members(pool=pool, by=recruiter, candidates=[people["ada"]])
    client.force_login(recruiter)
    back = f"{SEARCH}?q=maths"
    response = client.post(
        ADD,
        {"candidates": [people["ada"].pk, people["alan"].pk], "pool": pool.pk, "next": back},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == back
    assert set(pool.memberships.values_list("candidate", flat=True)) == {
        people["ada"].pk,
        people["alan"].pk,
    }
    html = response.content.decode()
    assert "1 candidate added to" in html
    assert "1 already there" in html


def test_selected_results_are_added_to_a_new_pool(client, recruiter, people):
    client.force_login(recruiter)
    response = client.post(
        ADD, {"candidates": [people["grace"].pk], "pool": "", "new_pool": "Admirals"}
    )
    pool = TalentPool.objects.get(name="Admirals")
    assert pool.owner == recruiter
    assert list(pool.memberships.values_list("candidate", flat=True)) == [people["grace"].pk]
    assert response["Location"] == SEARCH


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pool": "", "new_pool": "Empty"}, "Select at least one candidate."),
        ({"pool": "", "new_pool": ""}, "Choose a pool or name a new one."),
        ({"pool": "", "new_pool": "   "}, "Choose a pool or name a new one."),
    ],
)
def test_bad_bulk_add_input_changes_nothing_and_says_why(client, recruiter, people, data, message):
    client.force_login(recruiter)
    if "Empty" not in data["new_pool"]:
        data = {**data, "candidates": [people["ada"].pk]}
    response = client.post(ADD, data, follow=True)
    assert message in response.content.decode()
    assert not TalentPool.objects.filter(system_key="").exists()


def test_a_bulk_add_to_a_pool_not_shared_with_me_changes_nothing(
    client, recruiter, manager, people
):
    hidden = pool_create(by=manager, name="Hank's pool")
    client.force_login(recruiter)
    client.post(ADD, {"candidates": [people["ada"].pk], "pool": hidden.pk})
    assert not hidden.memberships.exists()


def test_an_interviewer_cannot_add_to_pools_by_a_direct_post(client, interviewer, people):
    client.force_login(interviewer)
    response = client.post(ADD, {"candidates": [people["ada"].pk], "new_pool": "Mine"})
    assert response.status_code == 404
    assert not TalentPool.objects.filter(name="Mine").exists()


def test_the_next_url_must_stay_on_this_site(client, recruiter, people):
    pool = pool_create(by=recruiter, name="Pioneers")
    client.force_login(recruiter)
    response = client.post(
        ADD,
        {"candidates": [people["ada"].pk], "pool": pool.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == SEARCH


# --- Query counts


@pytest.mark.parametrize("rows", [3, 30])
def test_the_results_page_needs_the_same_queries_for_3_and_30_results(
    client, recruiter, person, django_assert_num_queries, rows
):
    for n in range(rows):
        person("Kim", f"Welder{n:02d}", title="Welder", tags=["steel", f"t{n}"])
    organisation_get()  # the settings row exists in any running installation
    client.force_login(recruiter)
    # session, user, user's roles, result count, organisation, job options, tag options,
    # filter pool options, page of candidates, their tags, their emails, bulk-add pool options
    # + the unread-notification count in the navigation
    with django_assert_num_queries(13):
        response = client.get(SEARCH, {"q": "welder"})
    assert len(response.context["page_obj"].object_list) == min(rows, 25)


# --- PostgreSQL full-text search: stored vector and GIN index (migration 0003)


def _require_postgresql():
    if connection.vendor != "postgresql":
        service_missing("the stored tsvector and its GIN index exist on PostgreSQL only")


def _column_and_index() -> tuple[bool, bool]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT is_generated FROM information_schema.columns "
            "WHERE table_name = 'candidates_candidate' AND column_name = 'search_vector'"
        )
        column = cursor.fetchone()
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'candidate_search_vector_gin'"
        )
        index = cursor.fetchone()
    return bool(column and column[0] == "ALWAYS"), bool(index and "gin" in index[0].lower())


def test_the_search_vector_is_a_generated_column_with_a_gin_index(db):
    _require_postgresql()
    assert _column_and_index() == (True, True)


def test_the_migration_drops_and_recreates_the_column_and_index(db):
    _require_postgresql()
    migration = importlib.import_module("candidates.migrations.0003_search_vector")
    with connection.schema_editor() as editor:
        migration.drop_search_vector(None, editor)
    assert _column_and_index() == (False, False)
    with connection.schema_editor() as editor:
        migration.add_search_vector(None, editor)
    assert _column_and_index() == (True, True)


def test_the_vector_follows_the_search_document(recruiter, person):
    _require_postgresql()
    ada = person("Ada", "Lovelace", title="Mathematician")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_vector::text FROM candidates_candidate WHERE id = %s", [ada.pk]
        )
        assert "'mathematician'" in cursor.fetchone()[0]


def test_a_text_search_uses_the_gin_index(recruiter, person):
    _require_postgresql()
    for n in range(20):
        person("Kim", f"Welder{n:02d}", title="Welder")
    person("Ada", "Lovelace", title="Mathematician")
    query = search_candidates(recruiter, SearchFilters(q="mathematician"))
    with connection.cursor() as cursor:
        # Few rows in a test database: make a sequential scan unattractive, as it is on 50,000.
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = query.explain()
    assert "candidate_search_vector_gin" in plan, plan
    assert [c.full_name for c in query] == ["Ada Lovelace"]


def test_sqlite_has_no_vector_and_searches_with_icontains(recruiter, person):
    if connection.vendor != "sqlite":
        pytest.skip("the fallback is for SQLite")
    person("Ada", "Lovelace", title="Mathematician")
    columns = [
        c.name
        for c in connection.introspection.get_table_description(
            connection.cursor(), "candidates_candidate"
        )
    ]
    assert "search_vector" not in columns
    query = search_candidates(recruiter, SearchFilters(q="MATHEMATIC love"))
    assert "LIKE" in str(query.query)
    assert [c.full_name for c in query] == ["Ada Lovelace"]
