"""/api/v1/jobs/: jobs by number, their lifecycle, process (stages) and hiring team.

Each view finds the job with `job_for_user` (404 for who may not see it) and calls one service,
which enforces the role matrix (403) and the lifecycle rules (400 with the service's code).
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from attract.access import job_for_user
from attract.api import ServiceViewSet, object_id
from jobs import selectors, services
from jobs.models import Job
from jobs.process import StageSpec
from jobs.serializers import (
    JOB_NUMBER_PATTERN,
    CloseSerializer,
    DecideSerializer,
    DelegateSerializer,
    JobCreateSerializer,
    JobQuerySerializer,
    JobSerializer,
    JobStageSerializer,
    JobUpdateSerializer,
    ProcessSerializer,
    SubmitSerializer,
    TeamAddSerializer,
    TeamMemberSerializer,
)

MEMBER_ID = OpenApiParameter(
    "member_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="Team membership id."
)
NO_CONTENT = {status.HTTP_204_NO_CONTENT: None}


@extend_schema_view(
    list=extend_schema(summary="List jobs", parameters=[JobQuerySerializer]),
    retrieve=extend_schema(summary="Get a job"),
    create=extend_schema(
        summary="Create a draft job",
        request=JobCreateSerializer,
        responses={201: JobSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a job's details (an approved or pending job returns to Draft)",
        request=JobUpdateSerializer,
        responses=JobSerializer,
    ),
    destroy=extend_schema(summary="Delete a job", responses=NO_CONTENT),
)
class JobViewSet(ServiceViewSet):
    queryset = Job.objects.none()
    serializer_class = JobSerializer
    lookup_field = "number"
    lookup_value_regex = JOB_NUMBER_PATTERN
    filter_backends = [OrderingFilter]
    ordering_fields = ["updated_at", "created_at", "number", "title", "status"]

    def get_object(self) -> Job:
        return job_for_user(self.request.user, self.kwargs["number"])

    def answer_job(self, job: Job, code: int = status.HTTP_200_OK) -> Response:
        """The job as listed, with its applicant count."""
        return self.answer(selectors.job_list_for(self.request.user).get(pk=job.pk), code=code)

    def list(self, request) -> Response:
        filters = self.query(JobQuerySerializer)
        return self.page(selectors.job_list_for(request.user, **filters))

    def retrieve(self, request, number: str) -> Response:
        return self.answer_job(self.get_object())

    def create(self, request) -> Response:
        job = services.job_create(by=request.user, **self.parse(JobCreateSerializer))
        return self.answer_job(job, status.HTTP_201_CREATED)

    def partial_update(self, request, number: str) -> Response:
        job = self.get_object()
        data = self.parse(JobUpdateSerializer, partial=True)
        return self.answer_job(services.job_update(job=job, by=request.user, **data))

    def destroy(self, request, number: str) -> Response:
        services.job_delete(job=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- Lifecycle

    @extend_schema(summary="Submit a job for approval", request=SubmitSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, number: str) -> Response:
        job = self.get_object()
        approvers = self.parse(SubmitSerializer).get("approvers") or None
        services.job_submit_for_approval(job=job, by=request.user, approvers=approvers)
        return self.answer_job(job)

    @extend_schema(
        summary="Approve or reject a job waiting for my approval", request=DecideSerializer
    )
    @action(detail=True, methods=["post"])
    def decide(self, request, number: str) -> Response:
        job = self.get_object()
        services.job_decide_approval(job=job, by=request.user, **self.parse(DecideSerializer))
        return self.answer_job(job)

    @extend_schema(summary="Activate a job: it takes applicants", request=None)
    @action(detail=True, methods=["post"])
    def activate(self, request, number: str) -> Response:
        return self.answer_job(services.job_activate(job=self.get_object(), by=request.user))

    @extend_schema(
        summary="Close a job, as cancelled or filled",
        description=(
            "With `reason` `filled` and an `application`, an active applicant is hired first; "
            "without one, the job must already have a hired applicant."
        ),
        request=CloseSerializer,
    )
    @action(detail=True, methods=["post"])
    def close(self, request, number: str) -> Response:
        job = self.get_object()
        data = self.parse(CloseSerializer)
        if data["application"] is not None:
            services.job_close_filled(
                job=job, by=request.user, application=data["application"], comment=data["comment"]
            )
        else:
            services.job_close(
                job=job, by=request.user, reason=data["reason"], comment=data["comment"]
            )
        return self.answer_job(job)

    # --- Process

    @extend_schema(summary="The job's stages, in order", responses=JobStageSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def stages(self, request, number: str) -> Response:
        return self.answer(selectors.job_stages(self.get_object()), JobStageSerializer)

    @extend_schema(
        summary="Replace the job's process (until the job is activated)",
        description="Keep a stage by sending its `id`; a stage left out is removed.",
        request=ProcessSerializer,
        responses=JobStageSerializer(many=True),
    )
    @stages.mapping.put
    def set_stages(self, request, number: str) -> Response:
        job = self.get_object()
        specs = [StageSpec(**stage) for stage in self.parse(ProcessSerializer)["stages"]]
        services.job_process_set(job=job, by=request.user, stages=specs)
        return self.answer(selectors.job_stages(job), JobStageSerializer)

    # --- Hiring team

    @extend_schema(summary="The job's hiring team", responses=TeamMemberSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def team(self, request, number: str) -> Response:
        job = selectors.with_team(self.get_object())
        return self.answer(list(job.team.all()), TeamMemberSerializer)

    @extend_schema(
        summary="Add a member to the hiring team",
        request=TeamAddSerializer,
        responses={201: TeamMemberSerializer},
    )
    @team.mapping.post
    def team_add(self, request, number: str) -> Response:
        job = self.get_object()
        member = services.team_member_add(job=job, by=request.user, **self.parse(TeamAddSerializer))
        return self.answer(member, TeamMemberSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Name a delegate for myself on this job",
        request=DelegateSerializer,
        responses={201: TeamMemberSerializer},
    )
    @action(detail=True, methods=["post"], url_path="team/delegate")
    def team_delegate(self, request, number: str) -> Response:
        job = self.get_object()
        delegate = self.parse(DelegateSerializer)["delegate"]
        member = services.team_delegate_add(job=job, by=request.user, delegate=delegate)
        return self.answer(member, TeamMemberSerializer, code=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Remove a member (and their delegates) from the hiring team",
        parameters=[MEMBER_ID],
        request=None,
        responses=NO_CONTENT,
    )
    @action(detail=True, methods=["delete"], url_path=r"team/(?P<member_id>[0-9]+)")
    def team_remove(self, request, number: str, member_id: str) -> Response:
        member = selectors.team_member_of(self.get_object(), object_id(member_id))
        services.team_member_remove(member=member, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
