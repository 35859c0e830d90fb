"""Forms of the candidate LinkedIn tab's Recruiter actions (the services hold the rules)."""

from django import forms

from attract.forms import StyledForm
from linkedin.client_actions import BODY_MAX, SUBJECT_MAX, Project


class ProjectForm(StyledForm):
    project = forms.CharField(
        label="LinkedIn Recruiter project", max_length=200, widget=forms.Select
    )

    def set_projects(self, projects: list[Project]) -> None:
        choices = [("", "Choose a project")] + [(p.urn, p.name) for p in projects]
        self.fields["project"].widget.choices = choices


class InMailForm(StyledForm):
    subject = forms.CharField(label="Subject", max_length=SUBJECT_MAX)
    body = forms.CharField(
        label="Message",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"At most {BODY_MAX} characters.",
    )
