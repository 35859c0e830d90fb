"""`manage.py seed_demo`: a realistic demo organisation, made through the services, once."""

from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import F
from django.test import override_settings
from django.utils import timezone

from attract.demo.data import LOGINS, DemoUser
from attract.demo.organisation import create_demo_user, ensure_users
from attract.models import Event, SecurityRole, User
from candidates.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Candidate,
    InterviewFeedback,
    Note,
)
from jobs.choices import CloseReason, JobStatus, StageKind
from jobs.html import text_length
from jobs.models import Job
from talentpools.models import TalentPool, TalentPoolMember

PASSWORD = "attract-demo"
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]
COUNTED = (User, Job, Candidate, Application, ApplicationEvent, Note, InterviewFeedback, Event)


def seed_demo(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the module, inside a transaction rolled back when the module is done.

    It runs with DEBUG off and --force, which is also the test that --force works.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(
                DEBUG=False,
                PASSWORD_HASHERS=FAST_HASHER,
                DEMO_PASSWORD=PASSWORD,
                MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
            ):
                yield seed_demo("--force")
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db
def test_refuses_to_run_without_debug(settings):
    # given
    settings.DEBUG = False
    before = counts()
    # when / then
    with pytest.raises(CommandError, match="--force"):
        seed_demo()
    assert counts() == before


@pytest.mark.django_db
def test_force_seeds_with_debug_off_and_reports(seeded):
    assert "Nordlys Technologies demo created" in seeded
    assert "Candidates: 300" in seeded
    assert f"admin / recruiter / manager / interviewer / readonly, password: {PASSWORD}" in seeded


@pytest.mark.django_db
def test_a_second_run_adds_nothing(seeded, settings):
    # given
    settings.DEBUG = True
    before = counts()
    pools = (TalentPool.objects.count(), TalentPoolMember.objects.count())
    # when
    output = seed_demo()
    # then
    assert "Demo data already present" in output
    assert counts() == before
    assert (TalentPool.objects.count(), TalentPoolMember.objects.count()) == pools


@pytest.mark.django_db
def test_the_demo_logins_work_with_the_demo_password(seeded):
    for username in LOGINS:
        assert authenticate(username=username, password=PASSWORD) is not None, username
    assert User.objects.count() == 7


@pytest.mark.django_db
def test_jobs_cover_every_status_and_several_countries(seeded):
    jobs = Job.objects.all()
    assert jobs.count() >= 20
    assert set(jobs.values_list("status", flat=True)) == set(JobStatus.values)
    assert set(jobs.filter(status=JobStatus.CLOSED).values_list("close_reason", flat=True)) == set(
        CloseReason.values
    )
    assert {"NO", "SE", "NL", "FR", "GB", "US", "DE"} <= set(jobs.values_list("country", flat=True))
    assert jobs.filter(country="US").exclude(region="").exists()
    assert jobs.filter(internal_only=True).exists()
    assert jobs.filter(publish_salary=True).exists()
    assert min(text_length(job.description) for job in jobs) >= 300


@pytest.mark.django_db
def test_filled_jobs_have_someone_hired(seeded):
    filled = Job.objects.filter(close_reason=CloseReason.FILLED)
    assert filled.exists()
    for job in filled:
        assert job.applications.filter(status=ApplicationStatus.HIRED).exists(), job.number


@pytest.mark.django_db
def test_applications_cover_every_status_and_stage_kind(seeded):
    assert Candidate.objects.count() >= 250
    applications = Application.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert set(applications.values_list("stage__kind", flat=True)) == set(StageKind.values)
    rejected = applications.filter(status=ApplicationStatus.REJECTED)
    assert not rejected.filter(rejection_reason=None).exists()


@pytest.mark.django_db
def test_every_application_sits_in_a_stage_of_its_own_job(seeded):
    assert not Application.objects.exclude(stage__job=F("job")).exists()
    assert not ApplicationEvent.objects.exclude(to_stage__job=F("application__job")).exists()


@pytest.mark.django_db
def test_histories_are_in_time_order_over_the_last_weeks(seeded):
    now = timezone.now()
    history = defaultdict(list)
    for event in ApplicationEvent.objects.order_by("id"):
        history[event.application_id].append(event.at)
    for application in Application.objects.all():
        times = history[application.pk]
        assert times == sorted(set(times)), application.pk  # strictly increasing
        assert application.created_at == times[0]
        assert application.stage_entered_at <= times[-1] < now
    oldest = min(times[0] for times in history.values())
    assert 30 < (now - oldest).days < 90


@pytest.mark.django_db
def test_notes_feedback_and_search_are_filled_in(seeded):
    assert Note.objects.values("visibility").distinct().count() == 3
    feedback = InterviewFeedback.objects.all()
    assert feedback.count() >= 50
    assert all(1 <= value <= 5 for f in feedback for value in f.ratings.values())
    assert not Candidate.objects.filter(search_document="").exists()
    assert TalentPool.objects.count() == 4  # three demo pools and the system LinkedIn pool


@pytest.mark.django_db
def test_a_weak_demo_password_is_still_set():
    # given a DEMO_PASSWORD that Django's validators refuse (too short)
    spec = DemoUser("extra", "wendy.weak", "Wendy", "Weak", (SecurityRole.RECRUITER,))
    # when
    user = create_demo_user(spec, "demo")
    # then
    assert authenticate(username="wendy.weak", password="demo") == user
    assert user.has_role(SecurityRole.RECRUITER)


@pytest.mark.django_db
def test_a_user_the_demo_did_not_make_keeps_its_password(seeded):
    # given an "admin" made by someone else (e.g. createsuperuser)
    admin = User.objects.get(username="admin")
    admin.email = "boss@example.com"
    admin.set_password("their-own-Secret-42")
    admin.save()
    # when
    users = ensure_users(PASSWORD)
    # then
    assert users.foreign == ["admin"]
    assert authenticate(username="admin", password="their-own-Secret-42") == admin
    assert authenticate(username="recruiter", password=PASSWORD) is not None
