"""The public career site: job list, job page (LinkedIn's applyUrl), apply form, confirmation.

No sign-in. Only public jobs (active, not internal, not expired) exist here: every other
number answers 404, for a GET and a POST alike.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from attract import ratelimit
from attract.context_processors import request_organisation
from attract.env import env_str
from attract.forms import add_service_errors
from candidates.services.apply import candidate_apply, retention_sentence
from jobs import public
from jobs.forms_careers import ApplyForm, CareerFilterForm

PER_PAGE = 20
# Applications per client address: bulk spam stops here, a person correcting typos does not.
APPLY_RATE = ratelimit.parse_rate(env_str("ATTRACT_APPLY_RATE", "10/hour"))


@require_safe
def job_list(request: HttpRequest) -> HttpResponse:
    form = CareerFilterForm(request.GET or None, countries=public.public_countries())
    jobs = public.public_job_list(**form.filters())
    page_obj = Paginator(jobs, PER_PAGE).get_page(request.GET.get("page"))
    page_obj.object_list = [(job, public.location_text(job)) for job in page_obj.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page_obj": page_obj, "query_string": query.urlencode()}
    name = "careers/job_list.html#results" if request.htmx else "careers/job_list.html"
    return render(request, name, context)


@require_safe
def job_detail(request: HttpRequest, number: str) -> HttpResponse:
    job = public.public_job_get(number)
    organisation = request_organisation(request)
    # The organisation's public address wins over the Host header: the canonical URL is stable.
    base_url = (organisation.public_site_url or request.build_absolute_uri("/")).rstrip("/")
    logo_url = base_url + reverse("settings:logo") if organisation.logo else ""
    context = {
        "job": job,
        "canonical_url": base_url + reverse("careers:job", args=[job.number]),
        "location": public.location_text(job),
        "salary": public.salary_text(job),
        "jsonld": public.job_posting_jsonld(
            job, organisation, base_url=base_url, logo_url=logo_url
        ),
    }
    return render(request, "careers/job_detail.html", context)


@require_http_methods(["GET", "POST"])
def job_apply(request: HttpRequest, number: str) -> HttpResponse:
    job = public.public_job_get(number)
    if request.method == "GET":
        return _apply_page(request, job, ApplyForm())
    verdict = ratelimit.hit(f"apply:{ratelimit.client_ip(request)}", APPLY_RATE)
    if not verdict.allowed:
        minutes = -(-verdict.retry_after // 60)
        context = {"job": job, "retry_minutes": minutes}
        response = render(request, "careers/rate_limited.html", context, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    form = ApplyForm(request.POST, request.FILES)
    if form.is_spam():
        return redirect("careers:applied", job.number)  # looks accepted; nothing is stored
    if not form.is_valid():
        return _apply_page(request, job, form)
    data = form.cleaned_data
    try:
        candidate_apply(
            job=job,
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            phone=data["phone"],
            resume=data["resume"],
            cover_letter=data.get("cover_letter"),
            consent=data["consent"],
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "duplicate_application":
            return _apply_page(request, job, form, duplicate=True)
        add_service_errors(form, exc)
        return _apply_page(request, job, form)
    return redirect("careers:applied", job.number)


def _apply_page(
    request: HttpRequest, job, form: ApplyForm, *, duplicate: bool = False
) -> HttpResponse:
    """The form, or its corrections: 200 either way, as a 4xx would log a console error in the
    applicant's browser for what is only a typo."""
    organisation = request_organisation(request)
    context = {
        "job": job,
        "location": public.location_text(job),
        "form": form,
        "duplicate": duplicate,
        "privacy_notice": organisation.privacy_notice,
        "retention": retention_sentence(organisation),
    }
    return render(request, "careers/apply.html", context)


@require_safe
def job_applied(request: HttpRequest, number: str) -> HttpResponse:
    job = public.public_job_get(number)
    return render(request, "careers/applied.html", {"job": job})
