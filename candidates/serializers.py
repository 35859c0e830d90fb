"""API shapes of candidates, applications, notes, feedback and rejection reasons.

Types and sizes only: de-duplication, the role matrix and every transition rule are services'.
References to other objects are ids (job numbers for jobs) scoped to what the user may see.
"""

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from attract.access import applications_visible_to, candidates_visible_to, jobs_visible_to
from attract.models import User
from attract.serializers import (
    Flag,
    Number,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
    Text,
)
from candidates.models import (
    Application,
    ApplicationEvent,
    Candidate,
    CandidateSource,
    InterviewFeedback,
    Note,
    NoteVisibility,
    Recommendation,
    RejectionReason,
    Tag,
)
from jobs.models import Job, JobStage


def candidate_field(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        scope=candidates_visible_to, queryset=Candidate.objects.all(), **kwargs
    )


def _applications(user: User) -> QuerySet[Application]:
    return applications_visible_to(user).select_related("job", "candidate")


def _applications_with_team(user: User) -> QuerySet[Application]:
    """With the job's team loaded: the role checks on it then cost no query."""
    return _applications(user).prefetch_related("job__team")


def application_field(*, with_team: bool = False, **kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        scope=_applications_with_team if with_team else _applications,
        queryset=Application.objects.all(),
        **kwargs,
    )


def job_field(**kwargs) -> ScopedSlugRelatedField:
    return ScopedSlugRelatedField(
        scope=jobs_visible_to,
        queryset=Job.objects.all(),
        slug_field="number",
        help_text="Job number, e.g. J-000123.",
        **kwargs,
    )


# --- Candidates


class CandidateSerializer(serializers.ModelSerializer):
    emails = serializers.SlugRelatedField(many=True, read_only=True, slug_field="email")
    primary_email = serializers.SerializerMethodField()
    phones = serializers.ListField(child=serializers.CharField(), read_only=True)
    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    linkedin_url = serializers.CharField(read_only=True, help_text="A URL, or empty.")

    class Meta:
        model = Candidate
        fields = [
            "id",
            "first_name",
            "last_name",
            "primary_email",
            "emails",
            "phones",
            "city",
            "region",
            "country",
            "current_company",
            "current_title",
            "linkedin_url",
            "linkedin_member_urn",
            "source",
            "tags",
            "consent_given_at",
            "consent_text",
            "retention_until",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_primary_email(self, candidate: Candidate) -> str:
        return candidate.primary_email


class CandidateCreatedSerializer(CandidateSerializer):
    created = serializers.SerializerMethodField(
        help_text="False when the email was already known: the existing record is returned."
    )

    class Meta(CandidateSerializer.Meta):
        fields = [*CandidateSerializer.Meta.fields, "created"]
        read_only_fields = fields

    def get_created(self, candidate: Candidate) -> bool:
        return bool(self.context.get("created"))


class CandidateFieldsSerializer(serializers.Serializer):
    """What may be changed on a record (`candidates.services.candidates.CANDIDATE_FIELDS`)."""

    first_name = Text(max_length=100)
    last_name = Text(max_length=100)
    phones = serializers.ListField(child=Text(max_length=40), max_length=10, required=False)
    tags = serializers.ListField(child=Text(max_length=50), max_length=50, required=False)
    city = Text(max_length=100, allow_blank=True, required=False)
    region = Text(max_length=100, allow_blank=True, required=False)
    country = Text(
        max_length=2, allow_blank=True, required=False, help_text="ISO 3166 alpha-2 code."
    )
    current_company = Text(max_length=200, allow_blank=True, required=False)
    current_title = Text(max_length=200, allow_blank=True, required=False)
    linkedin_url = serializers.URLField(max_length=300, allow_blank=True, required=False)
    linkedin_member_urn = Text(max_length=100, allow_blank=True, required=False)
    consent_given_at = serializers.DateTimeField(allow_null=True, required=False)
    consent_text = Text(allow_blank=True, required=False, max_length=20_000)
    retention_until = serializers.DateField(allow_null=True, required=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A referral",
            value={
                "first_name": "Grace",
                "last_name": "Hopper",
                "email": "grace@example.com",
                "phones": ["+47 22 00 00 00"],
                "source": "referral",
                "tags": ["Python"],
            },
            request_only=True,
        )
    ]
)
class CandidateCreateSerializer(CandidateFieldsSerializer):
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        help_text="A known email finds the existing candidate instead of creating a duplicate.",
    )
    source = serializers.ChoiceField(choices=CandidateSource.choices, required=False)


class CandidateUpdateSerializer(CandidateFieldsSerializer):
    """Every field optional (PATCH); `phones` and `tags` replace the lists."""


@extend_schema_field(OpenApiTypes.STR)
class TagField(serializers.SlugRelatedField):
    """A tag by its name, in any case (tags are shared by everyone: no scope)."""

    default_error_messages = {"does_not_exist": "No tag named {value}.", "invalid": "Invalid tag."}

    def __init__(self, **kwargs):
        super().__init__(slug_field="name__iexact", queryset=Tag.objects.all(), **kwargs)


class CandidateQuerySerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=500,
        help_text="Words in names, emails, titles, companies, tags and notes.",
    )
    source = serializers.ChoiceField(
        choices=CandidateSource.choices, required=False, allow_blank=True, default=""
    )
    tag = TagField(required=False, default=None, help_text="A tag name (any case).")


class MergeSerializer(serializers.Serializer):
    duplicate = candidate_field(
        help_text="The record folded into this one; it disappears, everything of it is kept."
    )


# --- Applications


class ApplicationSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)
    job = serializers.SlugRelatedField(slug_field="number", read_only=True)
    job_title = serializers.CharField(source="job.title", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)
    stage_kind = serializers.CharField(source="stage.kind", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "candidate",
            "candidate_name",
            "job",
            "job_title",
            "stage",
            "stage_name",
            "stage_kind",
            "status",
            "rejection_reason",
            "status_comment",
            "source",
            "stage_entered_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ApplicationEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationEvent
        fields = ["kind", "from_stage", "to_stage", "reason", "actor", "at"]
        read_only_fields = fields


class ApplicationDetailSerializer(ApplicationSerializer):
    history = ApplicationEventSerializer(many=True, read_only=True, help_text="Oldest first.")

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "history"]
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An applicant", value={"candidate": 2, "job": "J-000001"}, request_only=True
        ),
        OpenApiExample(
            "A prospect",
            value={"candidate": 2, "job": "J-000001", "prospect": True},
            request_only=True,
        ),
    ]
)
class ApplicationCreateSerializer(serializers.Serializer):
    candidate = candidate_field()
    job = job_field()
    prospect = Flag(
        required=False, default=False, help_text="Into the Prospect stage instead of Application."
    )
    source = serializers.ChoiceField(
        choices=CandidateSource.choices,
        required=False,
        default="",
        help_text="The candidate's own source when left out.",
    )


def _stages(user: User) -> QuerySet[JobStage]:
    return JobStage.objects.filter(job__in=jobs_visible_to(user).values("pk"))


@extend_schema_serializer(
    examples=[OpenApiExample("To a stage", value={"stage": 4}, request_only=True)]
)
class AdvanceSerializer(serializers.Serializer):
    stage = ScopedPrimaryKeyRelatedField(
        scope=_stages,
        queryset=JobStage.objects.all(),
        help_text="A stage of the application's job; its Hired stage hires.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "With a reason",
            value={"reason": 1, "comment": "Looking for more experience."},
            request_only=True,
        )
    ]
)
class RejectSerializer(serializers.Serializer):
    reason = serializers.PrimaryKeyRelatedField(
        queryset=RejectionReason.objects.all(), help_text="An active rejection reason's id."
    )
    comment = Text(required=False, allow_blank=True, default="", max_length=5000)


class CommentSerializer(serializers.Serializer):
    comment = Text(required=False, allow_blank=True, default="", max_length=5000)


class RejectionReasonSerializer(serializers.ModelSerializer):
    class Meta:
        model = RejectionReason
        fields = ["id", "name", "position"]
        read_only_fields = fields


# --- Notes


class NoteSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = Note
        fields = [
            "id",
            "candidate",
            "application",
            "author",
            "author_name",
            "body",
            "visibility",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_author_name(self, note: Note) -> str:
        return str(note.author) if note.author_id else ""


class NoteQuerySerializer(serializers.Serializer):
    candidate = candidate_field(help_text="The candidate whose notes to list.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "On an application, for its hiring team",
            value={
                "candidate": 1,
                "application": 1,
                "body": "Strong system design answers.",
                "visibility": "team",
            },
            request_only=True,
        )
    ]
)
class NoteCreateSerializer(serializers.Serializer):
    candidate = candidate_field()
    application = application_field(
        required=False,
        allow_null=True,
        default=None,
        help_text="One of the candidate's applications, to tie the note to it.",
    )
    body = Text(max_length=20_000)
    visibility = serializers.ChoiceField(
        choices=NoteVisibility.choices, required=False, default=NoteVisibility.EVERYONE
    )


class NoteUpdateSerializer(serializers.Serializer):
    body = Text(max_length=20_000, required=False)
    visibility = serializers.ChoiceField(choices=NoteVisibility.choices, required=False)


# --- Interview feedback


class FeedbackSerializer(serializers.ModelSerializer):
    interviewer_name = serializers.CharField(source="interviewer", read_only=True)
    ratings = serializers.DictField(
        child=serializers.IntegerField(), read_only=True, help_text="Attribute → rating 1..5."
    )

    class Meta:
        model = InterviewFeedback
        fields = [
            "id",
            "application",
            "interviewer",
            "interviewer_name",
            "recommendation",
            "ratings",
            "strengths",
            "concerns",
            "comments",
            "submitted_at",
        ]
        read_only_fields = fields


class FeedbackQuerySerializer(serializers.Serializer):
    application = application_field(
        with_team=True, help_text="The application whose feedback to list."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "After an interview",
            value={
                "application": 1,
                "recommendation": 4,
                "ratings": {"Communication": 4, "Problem solving": 5},
                "strengths": "Clear reasoning.",
                "concerns": "",
                "comments": "",
            },
            request_only=True,
        )
    ]
)
class FeedbackSubmitSerializer(serializers.Serializer):
    application = application_field()
    recommendation = serializers.ChoiceField(
        choices=Recommendation.choices, help_text="1 strong no … 5 strong yes."
    )
    ratings = serializers.DictField(
        child=Number(min_value=1, max_value=5),
        required=False,
        default=dict,
        help_text="Attribute name → rating from 1 to 5.",
    )
    strengths = Text(required=False, allow_blank=True, default="", max_length=10_000)
    concerns = Text(required=False, allow_blank=True, default="", max_length=10_000)
    comments = Text(required=False, allow_blank=True, default="", max_length=10_000)

    def validate_ratings(self, ratings: dict) -> dict:
        if any("\x00" in name for name in ratings):
            raise serializers.ValidationError("Attribute names cannot contain NUL characters.")
        return ratings
