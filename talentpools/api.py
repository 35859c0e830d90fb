"""/api/v1/pools/: talent pools, their members, sharing, and moving members onto a job.

`pools_visible_to` scopes every pool (own, shared, system); the services decide who may change what.
"""

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from attract.access import candidate_for_user, pool_for_user
from attract.api import ServiceViewSet, object_id
from talentpools import services
from talentpools.models import TalentPool
from talentpools.selectors import pool_members, pools_with_counts
from talentpools.serializers import (
    MembersAddedSerializer,
    MembersSerializer,
    MoveResultSerializer,
    MoveToJobSerializer,
    PoolCreateSerializer,
    PoolMemberSerializer,
    PoolSerializer,
    PoolUpdateSerializer,
    ShareSerializer,
)

CANDIDATE_ID = OpenApiParameter(
    "candidate_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Candidate id."
)
NO_CONTENT = {status.HTTP_204_NO_CONTENT: None}


def _pools(user) -> QuerySet[TalentPool]:
    return pools_with_counts(user).prefetch_related("contributors")


@extend_schema_view(
    list=extend_schema(summary="Pools I may use: my own, shared with me, and system pools"),
    retrieve=extend_schema(summary="Get a pool"),
    create=extend_schema(
        summary="Create a pool", request=PoolCreateSerializer, responses={201: PoolSerializer}
    ),
    partial_update=extend_schema(
        summary="Rename or describe my pool", request=PoolUpdateSerializer, responses=PoolSerializer
    ),
    destroy=extend_schema(summary="Delete my pool", responses=NO_CONTENT),
)
class PoolViewSet(ServiceViewSet):
    queryset = TalentPool.objects.none()
    serializer_class = PoolSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["name", "created_at", "member_count"]

    def get_object(self) -> TalentPool:
        return pool_for_user(self.request.user, self.kwargs["pk"])

    def answer_pool(self, pool: TalentPool, code: int = status.HTTP_200_OK) -> Response:
        """The pool as listed, with its member count and contributors."""
        return self.answer(_pools(self.request.user).get(pk=pool.pk), code=code)

    def list(self, request) -> Response:
        return self.page(_pools(request.user))

    def retrieve(self, request, pk: str) -> Response:
        return self.answer_pool(self.get_object())

    def create(self, request) -> Response:
        pool = services.pool_create(by=request.user, **self.parse(PoolCreateSerializer))
        return self.answer_pool(pool, status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str) -> Response:
        pool = self.get_object()
        data = self.parse(PoolUpdateSerializer, partial=True)
        services.pool_update(
            pool=pool,
            by=request.user,
            name=data.get("name", pool.name),
            description=data.get("description", pool.description),
        )
        return self.answer_pool(pool)

    def destroy(self, request, pk: str) -> Response:
        services.pool_delete(pool=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Members

    @extend_schema(
        summary="The pool's members, newest first", responses=PoolMemberSerializer(many=True)
    )
    @action(
        detail=True,
        methods=["get"],
        serializer_class=PoolMemberSerializer,
        filter_backends=[],
    )
    def members(self, request, pk: str) -> Response:
        return self.page(pool_members(self.get_object()), PoolMemberSerializer)

    @extend_schema(
        summary="Add candidates (those already in the pool are skipped)",
        request=MembersSerializer,
        responses=MembersAddedSerializer,
    )
    @members.mapping.post
    def members_add(self, request, pk: str) -> Response:
        pool = self.get_object()
        candidates = self.parse(MembersSerializer)["candidates"]
        added = services.pool_add_members(pool=pool, by=request.user, candidates=candidates)
        return self.answer({"added": added}, MembersAddedSerializer)

    @extend_schema(
        summary="Remove a candidate from the pool",
        parameters=[CANDIDATE_ID],
        request=None,
        responses=NO_CONTENT,
    )
    @action(detail=True, methods=["delete"], url_path=r"members/(?P<candidate_id>[0-9]+)")
    def members_remove(self, request, pk: str, candidate_id: str) -> Response:
        pool = self.get_object()
        candidate = candidate_for_user(request.user, object_id(candidate_id))
        removed = services.pool_remove_members(pool=pool, by=request.user, candidates=[candidate])
        if not removed:
            raise Http404("That candidate is not in this pool.")
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Put members on a job (Prospect stage when the job has one, else Application)",
        request=MoveToJobSerializer,
        responses=MoveResultSerializer,
    )
    @action(detail=True, methods=["post"], url_path="move-to-job")
    def move_to_job(self, request, pk: str) -> Response:
        pool = self.get_object()
        data = self.parse(MoveToJobSerializer)
        moved, skipped = services.pool_members_move_to_job(pool=pool, by=request.user, **data)
        return self.answer({"moved": moved, "skipped": skipped}, MoveResultSerializer)

    # --- Sharing

    @extend_schema(
        summary="Share my pool with a recruiter or hiring manager",
        request=ShareSerializer,
        responses=PoolSerializer,
    )
    @action(detail=True, methods=["post"])
    def share(self, request, pk: str) -> Response:
        pool = self.get_object()
        user = self.parse(ShareSerializer)["user"]
        services.pool_share(pool=pool, by=request.user, user=user)
        return self.answer_pool(pool)

    @extend_schema(
        summary="Stop sharing my pool with someone",
        request=ShareSerializer,
        responses=PoolSerializer,
    )
    @action(detail=True, methods=["post"])
    def unshare(self, request, pk: str) -> Response:
        pool = self.get_object()
        user = self.parse(ShareSerializer)["user"]
        services.pool_unshare(pool=pool, by=request.user, user=user)
        return self.answer_pool(pool)
