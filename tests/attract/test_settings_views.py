"""Admin settings (administrators only) and user settings (everyone signed in), through the web.

ada administers; rita, hank, ivan and rory hold other roles and must be refused every admin page
and every admin POST with a 403 that changes nothing.
"""

import io
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from attract.models import Event, Organisation, SecurityRole, User, UserRole
from attract.selectors import organisation_get
from attract.services import user_create, user_reactivate, user_update
from candidates.models import RejectionReason
from candidates.services.reasons import (
    rejection_reason_deactivate,
    rejection_reason_move,
    rejection_reason_save,
)
from jobs.models import ProcessTemplate
from jobs.process import StageSpec
from jobs.services import template_save
from tests.factories import UserFactory, default_template
from tests.xss import PAYLOADS, assert_inert

R = SecurityRole
NON_ADMINS = ["recruiter", "manager", "interviewer", "readonly"]
GOOD_PASSWORD = "Fjord-Lantern-42"
DEFAULT_STAGES = [
    ("Prospect", "prospect"),
    ("Application", "application"),
    ("Screen", "screening"),
    ("Interview", "interview"),
    ("Offer", "offer"),
    ("Hired", "hired"),
]


def png_bytes(size: tuple[int, int] = (8, 8), noise: bool = False) -> bytes:
    if noise:
        import os

        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def template_data(name: str, stages: list[tuple[str, str]], **fields) -> dict:
    """The editor's POST: the template fields and one formset row per stage, in order."""
    data = {
        "name": name,
        "description": "",
        "stages-TOTAL_FORMS": str(len(stages)),
        "stages-INITIAL_FORMS": str(len(stages)),
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
    }
    for index, (stage_name, kind) in enumerate(stages):
        data[f"stages-{index}-name"] = stage_name
        data[f"stages-{index}-kind"] = kind
        data[f"stages-{index}-ORDER"] = str(index + 1)
    return {**data, **fields}


def stage_names(template: ProcessTemplate) -> list[str]:
    return list(template.stages.order_by("position").values_list("name", flat=True))


def company_data(**fields) -> dict:
    return {
        "company_name": "Fjord Analytics",
        "public_site_url": "https://jobs.fjord.example",
        "privacy_notice": "We keep your data for two years.",
        "retention_days": "365",
        **fields,
    }


@pytest.fixture
def nora(admin_user):
    return user_create(
        by=admin_user,
        username="nora",
        email="nora@example.com",
        roles=[R.RECRUITER],
        password=GOOD_PASSWORD,
        first_name="Nora",
        last_name="Berg",
    )


@pytest.fixture
def other_template(admin_user):
    return template_save(
        by=admin_user,
        name="Graduate programme",
        stages=[StageSpec("Application", "application"), StageSpec("Offer", "offer")],
    )


@pytest.fixture
def reason(admin_user):
    return rejection_reason_save(by=admin_user, name="Moved abroad")


def as_admin(client, admin_user):
    client.force_login(admin_user)
    return client


def world() -> tuple:
    """Everything an admin page could change, to prove a refused request changed nothing."""
    organisation_get()
    return (
        Event.objects.count(),
        list(User.objects.order_by("pk").values_list("username", "first_name", "is_active")),
        list(UserRole.objects.order_by("pk").values_list("user_id", "role")),
        list(Organisation.objects.values_list("company_name", "logo", "retention_days")),
        list(ProcessTemplate.objects.order_by("pk").values_list("name", "is_default")),
        list(RejectionReason.objects.order_by("pk").values_list("name", "is_active", "position")),
    )


# --- Who may come in


ADMIN_PAGES = [
    ("settings:admin", None),
    ("settings:company", None),
    ("settings:users", None),
    ("settings:user_new", None),
    ("settings:user_edit", "nora"),
    ("settings:templates", None),
    ("settings:template_new", None),
    ("settings:template_edit", "other_template"),
    ("settings:reasons", None),
    ("settings:linkedin", None),
]


def admin_posts(request) -> list[tuple[str, dict]]:
    """Each admin write with a body an administrator would get accepted."""
    nora = request.getfixturevalue("nora")
    template = request.getfixturevalue("other_template")
    reason = request.getfixturevalue("reason")
    new_user = {
        "username": "mallory",
        "first_name": "Mal",
        "last_name": "Lory",
        "email": "mal@example.com",
        "roles": [R.ADMINISTRATOR],
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
    }
    edit = {"first_name": "N", "last_name": "B", "email": "", "roles": [R.ADMINISTRATOR]}
    return [
        (reverse("settings:company"), company_data()),
        (reverse("settings:user_new"), new_user),
        (reverse("settings:user_edit", args=[nora.pk]), edit),
        (reverse("settings:user_deactivate", args=[nora.pk]), {}),
        (reverse("settings:user_reactivate", args=[nora.pk]), {}),
        (reverse("settings:template_new"), template_data("Evil", DEFAULT_STAGES)),
        (
            reverse("settings:template_edit", args=[template.pk]),
            template_data("Renamed", DEFAULT_STAGES),
        ),
        (reverse("settings:template_make_default", args=[template.pk]), {}),
        (reverse("settings:reasons"), {"new-name": "Too tall"}),
        (reverse("settings:reason_rename", args=[reason.pk]), {f"r{reason.pk}-name": "X"}),
        (reverse("settings:reason_deactivate", args=[reason.pk]), {}),
        (reverse("settings:reason_reactivate", args=[reason.pk]), {}),
        (reverse("settings:reason_up", args=[reason.pk]), {}),
        (reverse("settings:reason_down", args=[reason.pk]), {}),
    ]


@pytest.mark.parametrize("who", NON_ADMINS)
@pytest.mark.parametrize(("name", "arg"), ADMIN_PAGES)
def test_admin_pages_are_refused_to_everyone_but_administrators(client, request, who, name, arg):
    args = [request.getfixturevalue(arg).pk] if arg else []
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse(name, args=args)).status_code == 403


@pytest.mark.parametrize(("name", "arg"), ADMIN_PAGES)
def test_admin_pages_open_for_an_administrator(client, request, admin_user, name, arg):
    args = [request.getfixturevalue(arg).pk] if arg else []
    response = as_admin(client, admin_user).get(reverse(name, args=args))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<nav aria-label="Admin settings"' in html
    assert html.count("<h1") == 1
    assert 'aria-current="page"' in html


@pytest.mark.parametrize("who", NON_ADMINS)
def test_every_admin_post_is_refused_and_changes_nothing(client, request, who):
    posts = admin_posts(request)
    client.force_login(request.getfixturevalue(who))
    before = world()
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert world() == before


def test_a_signed_out_visitor_is_sent_to_sign_in(client, db):
    for name in ["settings:company", "settings:users", "settings:profile", "settings:password"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_the_tabs_link_every_admin_page(client, admin_user):
    html = as_admin(client, admin_user).get(reverse("settings:users")).content.decode()
    for label in [
        "Company",
        "Users and roles",
        "Process templates",
        "Rejection reasons",
        "LinkedIn integration",
    ]:
        assert f">{label}</a>" in html
    assert f'href="{reverse("settings:users")}" aria-current="page"' in html


# --- Company


def test_an_administrator_saves_the_company_settings(client, admin_user):
    response = as_admin(client, admin_user).post(reverse("settings:company"), company_data())
    assert response.status_code == 302
    organisation = organisation_get()
    assert organisation.company_name == "Fjord Analytics"
    assert organisation.public_site_url == "https://jobs.fjord.example"
    assert organisation.retention_days == 365
    assert Event.objects.filter(type="organisation.updated", actor=admin_user).exists()
    assert "Fjord Analytics" in client.get(reverse("dashboard")).content.decode()


def test_a_logo_is_uploaded_and_served_with_its_content_type(client, admin_user):
    upload = SimpleUploadedFile("brand.png", png_bytes(), content_type="image/png")
    data = company_data(logo=upload)
    assert as_admin(client, admin_user).post(reverse("settings:company"), data).status_code == 302
    assert organisation_get().logo.name.endswith(".png")
    page = client.get(reverse("settings:company")).content.decode()
    assert reverse("settings:logo") in page
    response = client.get(reverse("settings:logo"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    client.logout()  # public, like the career site that shows it
    assert client.get(reverse("settings:logo")).status_code == 200


def test_the_logo_is_removed_on_request(client, admin_user):
    upload = SimpleUploadedFile("brand.png", png_bytes(), content_type="image/png")
    as_admin(client, admin_user).post(reverse("settings:company"), company_data(logo=upload))
    client.post(reverse("settings:company"), company_data(remove_logo="on"))
    assert not organisation_get().logo
    assert client.get(reverse("settings:logo")).status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: b"<svg onload=alert(1)>", "Upload a valid image"),
        (lambda: png_bytes((1100, 1100), noise=True), "at most 2 MB"),
    ],
    ids=["not-an-image", "too-large"],
)
def test_a_bad_logo_is_refused_with_a_message(client, admin_user, upload, message):
    before = world()
    data = company_data(company_name="Changed", logo=SimpleUploadedFile("brand.png", upload()))
    response = as_admin(client, admin_user).post(reverse("settings:company"), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert world() == before


def test_bad_company_settings_show_errors(client, admin_user):
    data = company_data(company_name="", public_site_url="not a url", retention_days="0")
    response = as_admin(client, admin_user).post(reverse("settings:company"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "Enter a valid URL." in html
    assert 'aria-invalid="true"' in html
    assert organisation_get().company_name != ""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_hostile_company_name_renders_inert(client, admin_user, payload):
    as_admin(client, admin_user).post(
        reverse("settings:company"), company_data(company_name=payload)
    )
    assert organisation_get().company_name == payload
    for name in ["settings:company", "settings:users", "dashboard"]:
        html = client.get(reverse(name)).content.decode()
        assert_inert(html)
        assert "&lt;" in html.split("<title>")[1].split("</title>")[0] or "<" not in payload


def test_the_linkedin_tab_shows_the_job_posting_and_recruiter_system_connect_sections(
    client, admin_user
):
    html = as_admin(client, admin_user).get(reverse("settings:linkedin")).content.decode()
    assert "Job postings" in html
    assert "Recruiter System Connect" in html


# --- Users and roles


def test_the_user_list_shows_roles_and_active_flags(client, admin_user, nora, recruiter):
    from attract.services import user_deactivate

    user_deactivate(user=recruiter, by=admin_user)
    html = as_admin(client, admin_user).get(reverse("settings:users")).content.decode()
    assert "Nora Berg" in html
    assert "Recruiter" in html
    assert "Administrator" in html
    assert "Deactivated" in html


def test_the_user_list_searches(client, admin_user, nora, recruiter):
    html = as_admin(client, admin_user).get(reverse("settings:users"), {"q": "nora"})
    html = html.content.decode()
    assert "Nora Berg" in html
    assert recruiter.get_full_name() not in html


def test_the_user_search_answers_htmx_with_the_results_only(client, admin_user, nora):
    response = as_admin(client, admin_user).get(
        reverse("settings:users"), {"q": "berg"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert "Nora Berg" in html
    assert "<nav" not in html.split("<table")[0]
    assert "<h1" not in html


def test_the_user_list_paginates(client, admin_user):
    UserFactory.create_batch(30, roles=[R.INTERVIEWER])
    page_one = as_admin(client, admin_user).get(reverse("settings:users")).content.decode()
    assert "Page 1 of 2" in page_one
    page_two = client.get(reverse("settings:users"), {"page": 2}).content.decode()
    assert "Page 2 of 2" in page_two


@pytest.mark.parametrize("count", [3, 30])
def test_the_user_list_costs_the_same_queries_for_3_and_30_users(
    client, admin_user, django_assert_num_queries, count
):
    UserFactory.create_batch(count, roles=[R.RECRUITER, R.INTERVIEWER])
    organisation_get()
    as_admin(client, admin_user)
    # session, user, user's roles, organisation, count of users, page of users, their roles
    # + the unread-notification count in the navigation
    with django_assert_num_queries(8):
        response = client.get(reverse("settings:users"))
    assert response.status_code == 200


def create_user_data(**fields) -> dict:
    return {
        "username": "nora",
        "first_name": "Nora",
        "last_name": "Berg",
        "email": "nora@example.com",
        "roles": [R.RECRUITER],
        "password": GOOD_PASSWORD,
        "password_confirm": GOOD_PASSWORD,
        **fields,
    }


def test_an_administrator_creates_a_user_who_can_sign_in(client, admin_user):
    response = as_admin(client, admin_user).post(reverse("settings:user_new"), create_user_data())
    assert response.status_code == 302
    nora = User.objects.get(username="nora")
    assert nora.get_full_name() == "Nora Berg"
    assert nora.role_set == {R.RECRUITER}
    assert Event.objects.filter(type="user.created", actor=admin_user, subject_id=nora.pk).exists()
    client.logout()
    assert client.login(username="nora", password=GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"username": "ada"}, "A user with that username already exists."),
        ({"password": "password", "password_confirm": "password"}, "This password is too common."),
        ({"password": "a1", "password_confirm": "a1"}, "This password is too short."),
        ({"password_confirm": "Something-else-9"}, "The two passwords differ."),
        ({"roles": ["superhero"]}, "Select a valid choice."),
        ({"roles": []}, "Choose at least one role."),
        ({"email": "ada@example.com"}, "Another user already has this email address."),
        ({"username": "bad name!"}, "Enter a valid username."),
    ],
    ids=[
        "duplicate-username",
        "common-password",
        "short-password",
        "mismatch",
        "unknown-role",
        "no-role",
        "duplicate-email",
        "bad-username",
    ],
)
def test_bad_user_input_shows_an_error_and_creates_nobody(client, admin_user, fields, message):
    before = world()
    response = as_admin(client, admin_user).post(
        reverse("settings:user_new"), create_user_data(**fields)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert world() == before


def test_an_administrator_edits_names_and_roles(client, admin_user, nora):
    data = {
        "first_name": "Nora",
        "last_name": "Berg-Lund",
        "email": "nora.bl@example.com",
        "roles": [R.RECRUITER, R.HIRING_MANAGER],
    }
    url = reverse("settings:user_edit", args=[nora.pk])
    assert as_admin(client, admin_user).post(url, data).status_code == 302
    nora = User.objects.get(pk=nora.pk)
    assert (nora.last_name, nora.email) == ("Berg-Lund", "nora.bl@example.com")
    assert nora.role_set == {R.RECRUITER, R.HIRING_MANAGER}
    types = set(Event.objects.filter(subject_id=nora.pk).values_list("type", flat=True))
    assert {"user.updated", "user.roles_changed"} <= types


def test_the_last_administrator_keeps_the_role(client, admin_user):
    data = {"first_name": "Ada", "last_name": "L", "email": "", "roles": [R.RECRUITER]}
    before = world()
    response = as_admin(client, admin_user).post(
        reverse("settings:user_edit", args=[admin_user.pk]), data
    )
    assert response.status_code == 422
    assert "at least one active administrator" in response.content.decode()
    assert world() == before


def test_a_user_is_deactivated_and_reactivated(client, admin_user, nora):
    as_admin(client, admin_user)
    response = client.post(reverse("settings:user_deactivate", args=[nora.pk]), follow=True)
    assert "deactivated" in response.content.decode()
    assert not User.objects.get(pk=nora.pk).is_active
    assert not client.login(username="nora", password=GOOD_PASSWORD)
    client.force_login(admin_user)
    client.post(reverse("settings:user_reactivate", args=[nora.pk]))
    assert User.objects.get(pk=nora.pk).is_active
    types = list(Event.objects.filter(subject_id=nora.pk).values_list("type", flat=True))
    assert "user.deactivated" in types
    assert "user.reactivated" in types


def test_an_administrator_cannot_deactivate_themselves(client, admin_user):
    response = as_admin(client, admin_user).post(
        reverse("settings:user_deactivate", args=[admin_user.pk]), follow=True
    )
    assert "You cannot deactivate yourself." in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).is_active


def test_the_last_administrator_cannot_be_deactivated(client, admin_user):
    root = UserFactory(username="root", is_superuser=True)
    client.force_login(root)
    response = client.post(reverse("settings:user_deactivate", args=[admin_user.pk]), follow=True)
    assert "at least one active administrator" in response.content.decode()
    assert User.objects.get(pk=admin_user.pk).is_active


def test_deactivation_is_a_post(client, admin_user, nora):
    response = as_admin(client, admin_user).get(reverse("settings:user_deactivate", args=[nora.pk]))
    assert response.status_code == 405


def test_an_unknown_user_is_a_404(client, admin_user):
    response = as_admin(client, admin_user).get(reverse("settings:user_edit", args=[999999]))
    assert response.status_code == 404


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_user_names_render_inert(client, admin_user, payload):
    person = UserFactory(first_name=payload, last_name=payload, roles=[R.RECRUITER])
    as_admin(client, admin_user)
    for url in [reverse("settings:users"), reverse("settings:user_edit", args=[person.pk])]:
        html = client.get(url).content.decode()
        assert_inert(html)
    client.force_login(person)
    assert_inert(client.get(reverse("settings:profile")).content.decode())


# --- Process templates


def test_the_template_list_marks_the_default(client, admin_user, other_template):
    html = as_admin(client, admin_user).get(reverse("settings:templates")).content.decode()
    assert "Default process" in html
    assert "Graduate programme" in html
    assert html.count(">Default</span>") == 1
    assert "Make default<span" in html


def test_the_template_list_costs_a_fixed_number_of_queries(
    client, admin_user, django_assert_num_queries
):
    for index in range(4):
        template_save(
            by=admin_user,
            name=f"Template {index}",
            stages=[StageSpec("Application", "application"), StageSpec("Offer", "offer")],
        )
    organisation_get()
    as_admin(client, admin_user)
    # session, user, user's roles, organisation, templates, their stages
    # + the unread-notification count in the navigation
    with django_assert_num_queries(7):
        response = client.get(reverse("settings:templates"))
    assert response.status_code == 200


def test_the_new_template_form_starts_from_the_default_stages(client, admin_user):
    html = as_admin(client, admin_user).get(reverse("settings:template_new")).content.decode()
    for name, _kind in DEFAULT_STAGES:
        assert f'value="{name}"' in html
    assert 'id="stage-template"' in html
    assert "js/settings.js" in html


def test_an_administrator_creates_a_template_with_an_extra_stage(client, admin_user):
    stages = [*DEFAULT_STAGES[:3], ("Case study", "assessment"), *DEFAULT_STAGES[3:]]
    data = template_data("Engineering", stages, requires_approval="on")
    response = as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    assert response.status_code == 302
    template = ProcessTemplate.objects.get(name="Engineering")
    assert stage_names(template)[3] == "Case study"
    assert template.requires_approval
    assert not template.is_default
    assert Event.objects.filter(type="template.created", actor=admin_user).exists()


def test_a_template_without_an_offer_stage_is_refused(client, admin_user):
    stages = [s for s in DEFAULT_STAGES if s[1] != "offer"]
    before = world()
    response = as_admin(client, admin_user).post(
        reverse("settings:template_new"), template_data("No offer", stages)
    )
    assert response.status_code == 422
    assert "The process must keep a stage of kind Offer." in response.content.decode()
    assert world() == before


def test_a_removed_offer_row_is_refused_too(client, admin_user):
    data = template_data("No offer", DEFAULT_STAGES, **{"stages-4-DELETE": "on"})
    response = as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    html = response.content.decode()
    assert "The process must keep a stage of kind Offer." in html
    # the row comes back still marked for removal, so it can be kept on the next try
    assert re.search(r'<input type="checkbox" name="stages-4-DELETE"[^>]* checked', html)
    assert not ProcessTemplate.objects.filter(name="No offer").exists()


def test_stages_follow_their_positions_and_removed_rows_go(client, admin_user):
    data = template_data(
        "Reordered",
        DEFAULT_STAGES,
        **{"stages-2-ORDER": "4", "stages-3-ORDER": "3", "stages-0-DELETE": "on"},
    )
    as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    template = ProcessTemplate.objects.get(name="Reordered")
    assert stage_names(template) == ["Application", "Interview", "Screen", "Offer", "Hired"]


def test_add_a_stage_without_javascript_adds_an_empty_row_and_saves_nothing(client, admin_user):
    data = template_data("Draft template", DEFAULT_STAGES, add_stage="1")
    response = as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="stages-6-name"' in html
    assert 'name="stages-TOTAL_FORMS" value="7"' in html
    assert not ProcessTemplate.objects.filter(name="Draft template").exists()


def test_a_blank_added_row_is_ignored(client, admin_user):
    data = template_data("With blank", DEFAULT_STAGES)
    data.update({"stages-TOTAL_FORMS": "7", "stages-6-name": "", "stages-6-ORDER": "7"})
    response = as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    assert response.status_code == 302
    assert len(stage_names(ProcessTemplate.objects.get(name="With blank"))) == 6


@pytest.mark.parametrize(
    ("stages", "message"),
    [
        ([("Application", "application"), ("", "offer")], "This field is required."),
        ([("Application", "application"), ("Offer", "wizardry")], "Select a valid choice."),
        (
            [("Offer", "offer"), ("Application", "application")],
            "The Application stage comes first",
        ),
        ([("Same", "application"), ("same", "offer")], "Stage names must be different"),
    ],
    ids=["empty-name", "unknown-kind", "order", "duplicate-names"],
)
def test_a_bad_stage_list_shows_errors_and_saves_nothing(client, admin_user, stages, message):
    before = world()
    response = as_admin(client, admin_user).post(
        reverse("settings:template_new"), template_data("Broken", stages)
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert world() == before


def test_a_duplicate_template_name_is_refused(client, admin_user):
    response = as_admin(client, admin_user).post(
        reverse("settings:template_new"), template_data("Default process", DEFAULT_STAGES)
    )
    assert response.status_code == 422
    assert "already exists" in response.content.decode()


def test_an_administrator_edits_a_template(client, admin_user, other_template):
    stages = [("Application", "application"), ("Phone screen", "screening"), ("Offer", "offer")]
    url = reverse("settings:template_edit", args=[other_template.pk])
    assert client.get(url).status_code == 302  # not signed in yet
    as_admin(client, admin_user)
    assert 'value="Graduate programme"' in client.get(url).content.decode()
    assert client.post(url, template_data("Graduates", stages)).status_code == 302
    other_template.refresh_from_db()
    assert other_template.name == "Graduates"
    assert stage_names(other_template) == ["Application", "Phone screen", "Offer"]
    assert Event.objects.filter(type="template.updated").exists()


def test_the_default_template_stays_default_when_edited(client, admin_user):
    template = default_template()
    url = reverse("settings:template_edit", args=[template.pk])
    html = as_admin(client, admin_user).get(url).content.decode()
    assert "Make another template the default instead." in html
    client.post(url, template_data("Default process", DEFAULT_STAGES))  # is_default not sent
    assert ProcessTemplate.objects.get(pk=template.pk).is_default


def test_an_administrator_makes_another_template_the_default(client, admin_user, other_template):
    url = reverse("settings:template_make_default", args=[other_template.pk])
    assert as_admin(client, admin_user).post(url).status_code == 302
    assert ProcessTemplate.objects.get(is_default=True) == other_template
    assert stage_names(other_template) == ["Application", "Offer"]


def test_a_new_template_can_become_the_default(client, admin_user):
    data = template_data("New default", DEFAULT_STAGES, is_default="on")
    as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    assert ProcessTemplate.objects.get(is_default=True).name == "New default"


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_template_and_stage_names_render_inert(client, admin_user, payload):
    stages = [("Application", "application"), (payload, "screening"), ("Offer", "offer")]
    data = template_data(payload[:120], stages)
    as_admin(client, admin_user).post(reverse("settings:template_new"), data)
    template = ProcessTemplate.objects.get(name=payload[:120].strip())
    for url in [
        reverse("settings:templates"),
        reverse("settings:template_edit", args=[template.pk]),
    ]:
        assert_inert(client.get(url).content.decode())


# --- Rejection reasons


def test_reasons_are_listed_in_order(client, admin_user):
    html = as_admin(client, admin_user).get(reverse("settings:reasons")).content.decode()
    names = list(RejectionReason.objects.order_by("position").values_list("name", flat=True))
    positions = [html.index(f'value="{name}"') for name in names]
    assert positions == sorted(positions)


def test_an_administrator_adds_a_reason_at_the_end(client, admin_user):
    response = as_admin(client, admin_user).post(
        reverse("settings:reasons"), {"new-name": "  Relocated  "}
    )
    assert response.status_code == 302
    last = RejectionReason.objects.order_by("position").last()
    assert last.name == "Relocated"
    assert Event.objects.filter(type="rejection_reason.created", actor=admin_user).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Give the rejection reason a name."),
        ("   ", "Give the rejection reason a name."),
        ("not enough EXPERIENCE", "There is already a reason"),
    ],
)
def test_a_bad_reason_name_shows_an_error(client, admin_user, name, message):
    before = world()
    response = as_admin(client, admin_user).post(reverse("settings:reasons"), {"new-name": name})
    assert response.status_code == 422
    assert message in response.content.decode()
    assert world() == before


def test_a_reason_is_renamed(client, admin_user, reason):
    url = reverse("settings:reason_rename", args=[reason.pk])
    response = as_admin(client, admin_user).post(url, {f"r{reason.pk}-name": "Relocated"})
    assert response.status_code == 302
    reason.refresh_from_db()
    assert reason.name == "Relocated"
    assert Event.objects.filter(type="rejection_reason.renamed").exists()


def test_an_empty_rename_is_refused_in_place_with_htmx(client, admin_user, reason):
    url = reverse("settings:reason_rename", args=[reason.pk])
    response = as_admin(client, admin_user).post(
        url, {f"r{reason.pk}-name": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Give the rejection reason a name." in html
    assert "<h1" not in html
    reason.refresh_from_db()
    assert reason.name == "Moved abroad"


def test_a_reason_is_deactivated_and_reactivated(client, admin_user, reason):
    as_admin(client, admin_user)
    client.post(reverse("settings:reason_deactivate", args=[reason.pk]))
    reason.refresh_from_db()
    assert not reason.is_active
    assert "Not offered" in client.get(reverse("settings:reasons")).content.decode()
    client.post(reverse("settings:reason_reactivate", args=[reason.pk]))
    reason.refresh_from_db()
    assert reason.is_active
    types = set(Event.objects.values_list("type", flat=True))
    assert {"rejection_reason.deactivated", "rejection_reason.reactivated"} <= types


def test_a_reason_moves_up_and_down(client, admin_user, reason):
    def order():
        return list(RejectionReason.objects.order_by("position").values_list("name", flat=True))

    as_admin(client, admin_user)
    assert order()[-1] == "Moved abroad"
    response = client.post(reverse("settings:reason_up", args=[reason.pk]), HTTP_HX_REQUEST="true")
    assert order()[-2] == "Moved abroad"
    assert "data-focus-after-swap" in response.content.decode()
    client.post(reverse("settings:reason_down", args=[reason.pk]))
    assert order()[-1] == "Moved abroad"
    assert Event.objects.filter(type="rejection_reason.moved").count() == 2


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_reason_names_render_inert(client, admin_user, payload):
    as_admin(client, admin_user).post(reverse("settings:reasons"), {"new-name": payload})
    assert RejectionReason.objects.filter(name=" ".join(payload.split())).exists()
    assert_inert(client.get(reverse("settings:reasons")).content.decode())


# --- User settings: everyone signed in, about themselves


@pytest.mark.parametrize("who", [*NON_ADMINS, "admin_user", "outsider"])
def test_every_signed_in_user_reaches_their_settings(client, request, who):
    client.force_login(request.getfixturevalue(who))
    for name in ["settings:profile", "settings:password", "settings:connections"]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert '<nav aria-label="My settings"' in html
        assert html.count("<h1") == 1


def test_a_user_updates_their_profile(client, recruiter):
    client.force_login(recruiter)
    data = {"first_name": "Rita", "last_name": "Hansen", "email": "Rita.Hansen@Example.com"}
    assert client.post(reverse("settings:profile"), data).status_code == 302
    recruiter.refresh_from_db()
    assert recruiter.get_full_name() == "Rita Hansen"
    assert recruiter.email == "rita.hansen@example.com"
    assert Event.objects.filter(type="user.profile_updated", actor=recruiter).exists()


def test_a_taken_email_is_refused_on_the_profile(client, recruiter, manager):
    client.force_login(recruiter)
    data = {"first_name": "Rita", "last_name": "Hansen", "email": manager.email}
    response = client.post(reverse("settings:profile"), data)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Another user already has this email address." in html
    recruiter.refresh_from_db()
    assert recruiter.email == "rita@example.com"
    assert not Event.objects.filter(type="user.profile_updated").exists()


def test_the_profile_cannot_touch_roles(client, recruiter):
    client.force_login(recruiter)
    data = {"first_name": "R", "last_name": "H", "email": "", "roles": [R.ADMINISTRATOR]}
    client.post(reverse("settings:profile"), data)
    recruiter.refresh_from_db()
    assert recruiter.role_set == {R.RECRUITER}


def test_a_password_change_keeps_me_signed_in_and_the_old_password_stops_working(client, recruiter):
    client.force_login(recruiter)
    data = {
        "old_password": "pw-Attract-123",
        "new_password1": GOOD_PASSWORD,
        "new_password2": GOOD_PASSWORD,
    }
    response = client.post(reverse("settings:password"), data, follow=True)
    assert "Your password is changed." in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 200  # still signed in
    assert Event.objects.filter(type="user.password_changed", actor=recruiter).exists()
    client.logout()
    assert not client.login(username="rita", password="pw-Attract-123")
    assert client.login(username="rita", password=GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"old_password": "wrong", "new_password1": GOOD_PASSWORD},
            "Your old password was entered incorrectly.",
        ),
        ({"new_password1": "password"}, "This password is too common."),
        ({"new_password2": "Different-Pass-77"}, "The two password fields"),
    ],
    ids=["wrong-old", "weak", "mismatch"],
)
def test_a_bad_password_change_is_refused(client, recruiter, data, message):
    client.force_login(recruiter)
    body = {
        "old_password": "pw-Attract-123",
        "new_password1": GOOD_PASSWORD,
        **data,
    }
    body.setdefault("new_password2", body["new_password1"])
    if "new_password2" in data:
        body["new_password2"] = data["new_password2"]
    response = client.post(reverse("settings:password"), body)
    assert response.status_code == 422
    assert message in response.content.decode()
    recruiter.refresh_from_db()
    assert recruiter.check_password("pw-Attract-123")


@pytest.mark.parametrize(
    "write",
    [
        lambda by, nora, reason: user_update(
            user=nora, by=by, first_name="X", last_name="Y", email="", roles=[R.ADMINISTRATOR]
        ),
        lambda by, nora, reason: user_reactivate(user=nora, by=by),
        lambda by, nora, reason: rejection_reason_save(by=by, name="Sneaky"),
        lambda by, nora, reason: rejection_reason_save(by=by, reason=reason, name="Sneaky"),
        lambda by, nora, reason: rejection_reason_deactivate(by=by, reason=reason),
        lambda by, nora, reason: rejection_reason_move(by=by, reason=reason, offset=-1),
    ],
    ids=["user_update", "user_reactivate", "reason_add", "reason_rename", "deactivate", "move"],
)
def test_the_services_refuse_non_administrators_too(recruiter, nora, reason, write):
    before = world()
    with pytest.raises(PermissionDenied):
        write(recruiter, nora, reason)
    assert world() == before
