"""Input of the talent pool pages; every choice is scoped to what the user may see."""

from django import forms

from attract.access import candidates_visible_to, jobs_with_applicants_visible_to, pools_visible_to
from attract.forms import StyledForm, style_widgets
from attract.models import User
from talentpools.models import TalentPool
from talentpools.selectors import jobs_open_for_pool_moves, users_to_share_with

PICK_CANDIDATES = {
    "required": "Select at least one candidate.",
    "invalid_choice": "One of the selected candidates is not available any more.",
    "invalid_pk_value": "One of the selected candidates is not available any more.",
}


class ScopedForm(StyledForm):
    """A form whose choices depend on the user or the pool.

    StyledForm.__init__ styles the fields in error, which validates bound data at once: the
    scoped querysets must be in place before that, so `scope()` runs first.
    """

    def __init__(self, *args, **kwargs):
        forms.Form.__init__(self, *args, **kwargs)
        self.scope()
        style_widgets(self)

    def scope(self) -> None:
        raise NotImplementedError


class PoolForm(StyledForm):
    name = forms.CharField(
        max_length=120, error_messages={"required": "A pool needs a name."}, label="Name"
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class PoolAddMembersForm(ScopedForm):
    """Bulk "add to pool" from the search results (and any other list of candidates)."""

    candidates = forms.ModelMultipleChoiceField(
        queryset=None, error_messages=PICK_CANDIDATES, widget=forms.MultipleHiddenInput
    )
    pool = forms.ModelChoiceField(
        queryset=None, required=False, label="Talent pool", empty_label="New pool…"
    )
    new_pool = forms.CharField(
        required=False,
        max_length=120,
        label="New pool name",
        help_text="Used when “New pool…” is chosen.",
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def scope(self) -> None:
        self.fields["candidates"].queryset = candidates_visible_to(self.user)
        self.fields["pool"].queryset = pools_visible_to(self.user).order_by("-system_key", "name")

    def clean(self):
        data = super().clean()
        if data.get("pool") is None and not data.get("new_pool") and "pool" not in self.errors:
            self.add_error("new_pool", "Choose a pool or name a new one.")
        if data.get("pool") is not None and data.get("new_pool"):
            self.add_error("new_pool", "Choose an existing pool or name a new one, not both.")
        return data


class PoolMembersForm(ScopedForm):
    """The members ticked on a pool page."""

    candidates = forms.ModelMultipleChoiceField(queryset=None, error_messages=PICK_CANDIDATES)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args, pool: TalentPool, user: User, **kwargs):
        self.pool, self.user = pool, user
        super().__init__(*args, **kwargs)

    def scope(self) -> None:
        members = candidates_visible_to(self.user).filter(pool_memberships__pool=self.pool)
        self.fields["candidates"].queryset = members


class PoolMoveForm(PoolMembersForm):
    job = forms.ModelChoiceField(
        queryset=None,
        label="Move onto job",
        error_messages={"required": "Choose the job to move the selected members onto."},
    )

    def scope(self) -> None:
        super().scope()
        # Offered: active jobs the user may add to. Accepted: any job whose applicants they see,
        # so a job closed since the page was shown gets the service's clear message.
        field = self.fields["job"]
        field.queryset = jobs_with_applicants_visible_to(self.user)
        field.choices = [("", "Choose a job"), *job_choices(self.user)]


def job_choices(user: User) -> list[tuple[int, str]]:
    return [(job.pk, f"{job.number} {job.title}") for job in jobs_open_for_pool_moves(user)]


class PoolShareForm(ScopedForm):
    user = forms.ModelChoiceField(
        queryset=None,
        label="Share with",
        empty_label="Choose a recruiter or hiring manager",
        help_text="They can add, remove and move members; only you can rename, share or delete.",
    )

    def __init__(self, *args, pool: TalentPool, **kwargs):
        self.pool = pool
        super().__init__(*args, **kwargs)

    def scope(self) -> None:
        field = self.fields["user"]
        field.queryset = users_to_share_with(self.pool)
        field.label_from_instance = lambda u: f"{u.get_full_name() or u.username} ({u.username})"
