"""API shapes of jobs, their stages and hiring team (types and sizes only: rules are services')."""

from django.db import models
from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from attract.access import applications_visible_to
from attract.models import User
from attract.serializers import Flag, Number, ScopedPrimaryKeyRelatedField, Text, person_field
from candidates.models import Application
from jobs.choices import (
    CloseReason,
    JobFunction,
    JobStatus,
    SalaryPeriod,
    Seniority,
    StageKind,
    TeamRole,
)
from jobs.models import HiringTeamMember, Job, JobStage, ProcessTemplate
from jobs.services import EDITABLE_FIELDS, JOB_DETAIL_FIELDS

JOB_NUMBER_PATTERN = r"J-[0-9]+"


def _optional_choice(choices: list) -> serializers.ChoiceField:
    """An output choice that may be blank ("" = not set): the schema must allow it too."""
    return serializers.ChoiceField(choices=choices, allow_blank=True, read_only=True)


class JobSerializer(serializers.ModelSerializer):
    seniority = _optional_choice(Seniority.choices)
    job_function = _optional_choice(JobFunction.choices)
    salary_period = _optional_choice(SalaryPeriod.choices)
    close_reason = _optional_choice(CloseReason.choices)
    applicant_count = serializers.IntegerField(
        read_only=True, help_text="Active applicants past the Prospect stage."
    )

    class Meta:
        model = Job
        fields = [
            "number",
            *JOB_DETAIL_FIELDS,
            "poster",
            "status",
            "close_reason",
            "requires_approval",
            "approval_round",
            "template",
            "created_by",
            "created_at",
            "updated_at",
            "activated_at",
            "closed_at",
            "applicant_count",
        ]
        read_only_fields = fields


class JobUpdateSerializer(serializers.ModelSerializer):
    """The editable details (`jobs.services.EDITABLE_FIELDS`); description is sanitised HTML."""

    poster = person_field(required=False, help_text="User id; their email is the posterEmail.")
    # The service upper-cases and checks the code: no model validator on the raw input here.
    country = Text(max_length=2, help_text="ISO 3166 alpha-2 code.")

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: Text,
        models.TextField: Text,
        models.BooleanField: Flag,
    }

    class Meta:
        model = Job
        fields = sorted(EDITABLE_FIELDS)
        validators: list = []


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A hybrid job in Oslo",
            value={
                "title": "Backend engineer",
                "description": "<p>Build the hiring product with Python and Django.</p>",
                "city": "Oslo",
                "country": "NO",
                "workplace_type": "hybrid",
                "employment_type": "full_time",
                "openings": 1,
            },
            request_only=True,
        )
    ]
)
class JobCreateSerializer(JobUpdateSerializer):
    template = serializers.PrimaryKeyRelatedField(
        queryset=ProcessTemplate.objects.all(),
        required=False,
        help_text="Process template id; the default template when left out.",
    )

    class Meta(JobUpdateSerializer.Meta):
        fields = [*sorted(EDITABLE_FIELDS), "template"]


class JobQuerySerializer(serializers.Serializer):
    """Filters of the job list; an empty one filters nothing."""

    status = serializers.ChoiceField(choices=JobStatus.choices, required=False, allow_blank=True)
    country = serializers.CharField(
        required=False, allow_blank=True, max_length=2, help_text="ISO 3166 alpha-2 code."
    )
    city = serializers.CharField(required=False, allow_blank=True, max_length=100)
    mine = serializers.BooleanField(
        required=False, default=False, help_text="Only jobs whose hiring team I am on."
    )
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Words in the title or the job number.",
    )


class JobStageSerializer(serializers.ModelSerializer):
    class Meta:
        model = JobStage
        fields = ["id", "name", "kind", "position", "hiring_manager_can_add_prospects"]
        read_only_fields = fields


class StageSpecSerializer(serializers.Serializer):
    id = Number(
        required=False,
        allow_null=True,
        default=None,
        help_text="An existing stage's id to keep it (and its candidates); null for a new stage.",
    )
    name = Text(max_length=80)
    kind = serializers.ChoiceField(choices=StageKind.choices)
    hiring_manager_can_add_prospects = Flag(required=False, default=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Application, case study, offer",
            value={
                "stages": [
                    {"name": "Application", "kind": "application"},
                    {"name": "Case study", "kind": "assessment"},
                    {"name": "Offer", "kind": "offer"},
                    {"name": "Hired", "kind": "hired"},
                ]
            },
            request_only=True,
        )
    ]
)
class ProcessSerializer(serializers.Serializer):
    stages = StageSpecSerializer(many=True, help_text="The whole process, in order.")


class TeamMemberSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user", read_only=True)

    class Meta:
        model = HiringTeamMember
        fields = ["id", "user", "user_name", "role", "delegate_of", "added_at"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An interviewer",
            value={"user": 3, "role": "interviewer"},
            request_only=True,
        )
    ]
)
class TeamAddSerializer(serializers.Serializer):
    user = person_field()
    role = serializers.ChoiceField(choices=TeamRole.choices)


class DelegateSerializer(serializers.Serializer):
    delegate = person_field(help_text="Who acts for me on this job, in my team role.")


class SubmitSerializer(serializers.Serializer):
    approvers = person_field(
        many=True,
        required=False,
        help_text="User ids; the job's hiring managers when left out or empty.",
    )


class DecideSerializer(serializers.Serializer):
    approve = Flag()
    comment = Text(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Required to reject.",
    )


def _applications(user: User) -> QuerySet[Application]:
    return applications_visible_to(user).select_related("job", "stage")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Filled by an applicant",
            value={"reason": "filled", "application": 1},
            request_only=True,
        ),
        OpenApiExample(
            "Cancelled",
            value={"reason": "cancelled", "comment": "Budget frozen."},
            request_only=True,
        ),
    ]
)
class CloseSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CloseReason.choices)
    comment = Text(required=False, allow_blank=True, default="", max_length=5000)
    application = ScopedPrimaryKeyRelatedField(
        scope=_applications,
        queryset=Application.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=(
            "With reason `filled`: the applicant who fills the job; an active one is hired first."
        ),
    )

    def validate(self, data: dict) -> dict:
        if data["application"] is not None and data["reason"] != CloseReason.FILLED:
            raise serializers.ValidationError(
                {"application": "Name an applicant only when the position is filled."}
            )
        return data
