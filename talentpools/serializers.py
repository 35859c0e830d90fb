"""API shapes of talent pools and their members (types and sizes only)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from attract.serializers import Text, person_field
from candidates.serializers import ApplicationSerializer, candidate_field, job_field
from talentpools.models import TalentPool, TalentPoolMember


class PoolSerializer(serializers.ModelSerializer):
    owner_name = serializers.SerializerMethodField()
    is_system = serializers.BooleanField(read_only=True, help_text="System pools stay.")
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = TalentPool
        fields = [
            "id",
            "name",
            "description",
            "owner",
            "owner_name",
            "is_system",
            "contributors",
            "member_count",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_owner_name(self, pool: TalentPool) -> str:
        return str(pool.owner) if pool.owner_id else ""


class PoolCreateSerializer(serializers.Serializer):
    name = Text(max_length=120)
    description = Text(required=False, allow_blank=True, default="", max_length=5000)
    members = candidate_field(
        many=True, required=False, default=list, help_text="Candidate ids to start with."
    )


class PoolUpdateSerializer(serializers.Serializer):
    """Every field optional (PATCH)."""

    name = Text(max_length=120, required=False)
    description = Text(required=False, allow_blank=True, max_length=5000)


class PoolMemberSerializer(serializers.ModelSerializer):
    candidate_name = serializers.CharField(source="candidate.full_name", read_only=True)

    class Meta:
        model = TalentPoolMember
        fields = ["id", "candidate", "candidate_name", "added_by", "added_at"]
        read_only_fields = fields


class MembersSerializer(serializers.Serializer):
    candidates = candidate_field(many=True, allow_empty=False, help_text="Candidate ids.")


class MembersAddedSerializer(serializers.Serializer):
    added = PoolMemberSerializer(
        many=True, help_text="The new members; those already in are left out."
    )


class ShareSerializer(serializers.Serializer):
    user = person_field(help_text="A recruiter or hiring manager.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Two members onto a job",
            value={"candidates": [1, 2], "job": "J-000001"},
            request_only=True,
        )
    ]
)
class MoveToJobSerializer(serializers.Serializer):
    candidates = candidate_field(many=True, allow_empty=False, help_text="Members to move.")
    job = job_field()


class MoveResultSerializer(serializers.Serializer):
    moved = ApplicationSerializer(many=True, help_text="The applications created.")
    skipped = serializers.ListField(
        child=serializers.CharField(), help_text="Members the job refused, and why."
    )
