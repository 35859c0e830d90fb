"""The candidate search page: free text and filters, 25 results a page, bulk "add to pool"."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from attract.access import can_use_pools, jobs_with_applicants_visible_to, pools_visible_to
from attract.models import User
from candidates.models import Candidate, CandidateSource, Tag
from candidates.search import SearchFilters, search_candidates
from jobs.models import JobStage
from talentpools.forms import PoolAddMembersForm, ScopedForm

PER_PAGE = 25


class StageField(forms.ModelChoiceField):
    """A stage left over from the previously chosen job is dropped rather than refused."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            return None


class CandidateSearchForm(ScopedForm):
    q = forms.CharField(
        required=False,
        max_length=200,
        label="Search",
        help_text="Names, emails, titles, companies, tags and notes.",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    job = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any job")
    stage = StageField(
        queryset=None,
        required=False,
        empty_label="Any stage",
        help_text="Stages of the chosen job (choose a job, then search).",
    )
    source = forms.ChoiceField(
        required=False, choices=[("", "Any source"), *CandidateSource.choices]
    )
    tag = forms.ModelChoiceField(queryset=Tag.objects.all(), required=False, empty_label="Any tag")
    pool = forms.ModelChoiceField(
        queryset=None, required=False, empty_label="Any pool", label="Talent pool"
    )

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def scope(self) -> None:
        user = self.user
        jobs = jobs_with_applicants_visible_to(user).order_by("number")
        self.fields["job"].queryset = jobs
        job_id = str(self.data.get("job") or "")
        stages = JobStage.objects.filter(job__in=jobs, job_id=job_id) if job_id.isdigit() else None
        self.fields["stage"].queryset = stages if stages is not None else JobStage.objects.none()
        self.fields["pool"].queryset = pools_visible_to(user).order_by("-system_key", "name")
        if not can_use_pools(user):
            del self.fields["pool"]

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            q=data.get("q", ""),
            job=data.get("job"),
            stage=data.get("stage") if data.get("job") else None,
            source=data.get("source", ""),
            tag=data.get("tag"),
            pool=data.get("pool"),
        )


@login_required
def candidate_search(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CandidateSearchForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        results = Candidate.objects.none()
    else:
        results = search_candidates(user, form.filters() if form.is_bound else SearchFilters())
    page_obj = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "query_string": query.urlencode(),
        "add_form": _add_form(request) if can_use_pools(user) else None,
    }
    template = "candidates/search.html#results" if request.htmx else "candidates/search.html"
    return render(request, template, context)


def _add_form(request: HttpRequest) -> PoolAddMembersForm:
    return PoolAddMembersForm(user=request.user, initial={"next": request.get_full_path()})
