"""/api/v1/ candidates, applications, notes, interview feedback and rejection reasons.

Objects come from the access helpers and scoped selectors (an outsider gets 404 on another job's
applications); each write is one service call, which enforces the role matrix.
"""

from django import forms
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from attract.access import (
    application_for_user,
    applications_visible_to,
    candidate_for_user,
    candidates_visible_to,
)
from attract.api import ServiceViewSet, object_id
from candidates import services
from candidates.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Candidate,
    InterviewFeedback,
    Note,
    RejectionReason,
)
from candidates.search import SearchFilters, search_candidates
from candidates.selectors import feedback_visible_to, notes_visible_to
from candidates.selectors_board import active_rejection_reasons
from candidates.serializers import (
    AdvanceSerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    CandidateCreatedSerializer,
    CandidateCreateSerializer,
    CandidateQuerySerializer,
    CandidateSerializer,
    CandidateUpdateSerializer,
    CommentSerializer,
    FeedbackQuerySerializer,
    FeedbackSerializer,
    FeedbackSubmitSerializer,
    MergeSerializer,
    NoteCreateSerializer,
    NoteQuerySerializer,
    NoteSerializer,
    NoteUpdateSerializer,
    RejectionReasonSerializer,
    RejectSerializer,
)
from jobs.choices import StageKind

NO_CONTENT = {status.HTTP_204_NO_CONTENT: None}
MAX_ID = 2**63 - 1


# --- Candidates


@extend_schema_view(
    list=extend_schema(
        summary="Search candidates",
        description="Best match first when `q` is given, else by name.",
        parameters=[CandidateQuerySerializer],
    ),
    retrieve=extend_schema(summary="Get a candidate"),
    create=extend_schema(
        summary="Add a candidate, or find them by email",
        description=(
            "One person is one record: when the email is already known the existing candidate "
            "is returned with `created: false` and status 200; a new one answers 201."
        ),
        request=CandidateCreateSerializer,
        responses={201: CandidateCreatedSerializer, 200: CandidateCreatedSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit a candidate's profile, phones and tags",
        request=CandidateUpdateSerializer,
        responses=CandidateSerializer,
    ),
)
class CandidateViewSet(ServiceViewSet):
    queryset = Candidate.objects.none()
    serializer_class = CandidateSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["last_name", "first_name", "created_at", "updated_at"]

    def get_object(self) -> Candidate:
        return candidate_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request) -> Response:
        filters = SearchFilters(**self.query(CandidateQuerySerializer))
        return self.page(search_candidates(request.user, filters))

    def retrieve(self, request, pk: str) -> Response:
        return self.answer(self.get_object())

    def create(self, request) -> Response:
        data = self.parse(CandidateCreateSerializer)
        candidate, created = services.candidate_create(by=request.user, **data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return self.answer(candidate, CandidateCreatedSerializer, code=code, created=created)

    def partial_update(self, request, pk: str) -> Response:
        candidate = self.get_object()
        data = self.parse(CandidateUpdateSerializer, partial=True)
        return self.answer(services.candidate_update(candidate=candidate, by=request.user, **data))

    @extend_schema(
        summary="Merge a duplicate record into this candidate",
        request=MergeSerializer,
        responses=CandidateSerializer,
    )
    @action(detail=True, methods=["post"])
    def merge(self, request, pk: str) -> Response:
        primary = self.get_object()
        duplicate = self.parse(MergeSerializer)["duplicate"]
        merged = services.candidate_merge(primary=primary, duplicate=duplicate, by=request.user)
        return self.answer(merged)


# --- Applications


class IdFilter(filters.NumberFilter):
    """An id: a whole number within the database's range (a bigger one is a 400, not a crash)."""

    field_class = forms.IntegerField

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class TrueOrFalse(forms.NullBooleanField):
    """`true` or `false` (empty: no filter); Django's field would read "null" or "2" as empty."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in ("true", "false"):
            return value == "true"
        raise forms.ValidationError("Use true or false.", code="invalid")


class BooleanFilter(filters.BooleanFilter):
    field_class = TrueOrFalse

    def __init__(self, **kwargs):
        super().__init__(widget=forms.TextInput, **kwargs)


class ApplicationFilter(filters.FilterSet):
    job = filters.CharFilter(field_name="job__number", help_text="Job number, e.g. J-000123.")
    stage = IdFilter(field_name="stage", help_text="Stage id.")
    status = filters.ChoiceFilter(choices=ApplicationStatus.choices)
    candidate = IdFilter(field_name="candidate", help_text="Candidate id.")
    prospect = BooleanFilter(
        method="filter_prospect", help_text="Only prospects (true) or only applicants (false)."
    )

    class Meta:
        model = Application
        fields = ["job", "stage", "status", "candidate", "prospect"]

    def filter_prospect(self, queryset, name, value):
        if value is None:
            return queryset
        prospects = {"stage__kind": StageKind.PROSPECT}
        return queryset.filter(**prospects) if value else queryset.exclude(**prospects)


APPLICATION_WRITE = {"200": ApplicationSerializer}


@extend_schema_view(
    list=extend_schema(summary="List applications on jobs whose hiring team I am on"),
    retrieve=extend_schema(summary="Get an application with its stage history"),
    create=extend_schema(
        summary="Put a candidate on a job (Application stage, or Prospect)",
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
    ),
    destroy=extend_schema(summary="Remove a candidate from a job altogether", responses=NO_CONTENT),
)
class ApplicationViewSet(ServiceViewSet):
    queryset = Application.objects.none()
    serializer_class = ApplicationSerializer
    filter_backends = [filters.DjangoFilterBackend, OrderingFilter]
    filterset_class = ApplicationFilter
    ordering_fields = ["created_at", "updated_at", "stage_entered_at"]

    def get_object(self) -> Application:
        return application_for_user(self.request.user, self.kwargs["pk"])

    def list(self, request) -> Response:
        visible = applications_visible_to(request.user).select_related("candidate", "job", "stage")
        return self.page(visible)

    def retrieve(self, request, pk: str) -> Response:
        application = self.get_object()
        history = ApplicationEvent.objects.order_by("at", "id")
        prefetch_related_objects([application], Prefetch("history", queryset=history))
        return self.answer(application, ApplicationDetailSerializer)

    def create(self, request) -> Response:
        data = self.parse(ApplicationCreateSerializer)
        application = services.application_create(by=request.user, **data)
        return self.answer(application, code=status.HTTP_201_CREATED)

    def destroy(self, request, pk: str) -> Response:
        services.application_delete(application=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary="Move to another stage of the job (its Hired stage hires)",
        request=AdvanceSerializer,
        responses=APPLICATION_WRITE,
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, pk: str) -> Response:
        application = self.get_object()
        stage = self.parse(AdvanceSerializer)["stage"]
        return self.answer(
            services.application_move(application=application, stage=stage, by=request.user)
        )

    @extend_schema(
        summary="Reject with a reason", request=RejectSerializer, responses=APPLICATION_WRITE
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk: str) -> Response:
        application = self.get_object()
        data = self.parse(RejectSerializer)
        return self.answer(
            services.application_reject(application=application, by=request.user, **data)
        )

    @extend_schema(
        summary="Record that the candidate withdrew",
        request=CommentSerializer,
        responses=APPLICATION_WRITE,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk: str) -> Response:
        application = self.get_object()
        data = self.parse(CommentSerializer)
        return self.answer(
            services.application_withdraw(application=application, by=request.user, **data)
        )

    @extend_schema(summary="Hire", request=None, responses=APPLICATION_WRITE)
    @action(detail=True, methods=["post"])
    def hire(self, request, pk: str) -> Response:
        application = self.get_object()
        return self.answer(services.application_hire(application=application, by=request.user))

    @extend_schema(
        summary="Undo a rejection or withdrawal", request=None, responses=APPLICATION_WRITE
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk: str) -> Response:
        application = self.get_object()
        return self.answer(services.application_reopen(application=application, by=request.user))


@extend_schema_view(list=extend_schema(summary="Active rejection reasons, in the offered order"))
class RejectionReasonViewSet(ServiceViewSet):
    queryset = RejectionReason.objects.none()
    serializer_class = RejectionReasonSerializer
    filter_backends: list = []

    def list(self, request) -> Response:
        return self.page(active_rejection_reasons().order_by("position", "name"))


# --- Notes


def _note_for(user, pk: str) -> Note:
    """A note the user may see (its candidate, then `notes_visible_to`), else 404."""
    note = (
        Note.objects.filter(
            candidate__in=candidates_visible_to(user).values("pk"), pk=object_id(pk)
        )
        .select_related("candidate")
        .first()
    )
    if note is None or not notes_visible_to(user, note.candidate).filter(pk=note.pk).exists():
        raise Http404("No such note.")
    return note


@extend_schema_view(
    list=extend_schema(
        summary="A candidate's notes that I may see", parameters=[NoteQuerySerializer]
    ),
    retrieve=extend_schema(summary="Get a note"),
    create=extend_schema(
        summary="Add a note on a candidate (optionally tied to an application)",
        request=NoteCreateSerializer,
        responses={201: NoteSerializer},
    ),
    partial_update=extend_schema(
        summary="Edit my note", request=NoteUpdateSerializer, responses=NoteSerializer
    ),
    destroy=extend_schema(summary="Delete my note", responses=NO_CONTENT),
)
class NoteViewSet(ServiceViewSet):
    queryset = Note.objects.none()
    serializer_class = NoteSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "updated_at"]

    def get_object(self) -> Note:
        return _note_for(self.request.user, self.kwargs["pk"])

    def list(self, request) -> Response:
        candidate = self.query(NoteQuerySerializer)["candidate"]
        return self.page(notes_visible_to(request.user, candidate).order_by("-created_at", "-id"))

    def retrieve(self, request, pk: str) -> Response:
        return self.answer(self.get_object())

    def create(self, request) -> Response:
        note = services.note_add(by=request.user, **self.parse(NoteCreateSerializer))
        return self.answer(note, code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str) -> Response:
        note = self.get_object()
        data = self.parse(NoteUpdateSerializer, partial=True)
        body = data.get("body", note.body)
        note = services.note_edit(
            note=note, by=request.user, body=body, visibility=data.get("visibility")
        )
        return self.answer(note)

    def destroy(self, request, pk: str) -> Response:
        services.note_delete(note=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Interview feedback


def _feedback_for(user, pk: str) -> InterviewFeedback:
    """Feedback on an application the user may see, if `feedback_visible_to` shows it; else 404."""
    feedback = (
        InterviewFeedback.objects.filter(
            application__in=applications_visible_to(user).values("pk"), pk=object_id(pk)
        )
        .select_related("application__job")
        .first()
    )
    if feedback is None:
        raise Http404("No such feedback.")
    visible = feedback_visible_to(user, feedback.application).filter(pk=feedback.pk).first()
    if visible is None:
        raise Http404("No such feedback.")
    return visible


@extend_schema_view(
    list=extend_schema(
        summary="The interview feedback on an application that I may see",
        description=(
            "An interviewer sees the others' feedback only after submitting theirs when the job "
            "says so."
        ),
        parameters=[FeedbackQuerySerializer],
    ),
    retrieve=extend_schema(summary="Get one interview feedback"),
    create=extend_schema(
        summary="Submit (or revise) my interview feedback on an application",
        request=FeedbackSubmitSerializer,
        responses={201: FeedbackSerializer},
    ),
)
class FeedbackViewSet(ServiceViewSet):
    queryset = InterviewFeedback.objects.none()
    serializer_class = FeedbackSerializer
    filter_backends = [OrderingFilter]
    ordering_fields = ["submitted_at"]

    def list(self, request) -> Response:
        application = self.query(FeedbackQuerySerializer)["application"]
        visible = feedback_visible_to(request.user, application)
        return self.page(visible.order_by("-submitted_at", "-id"))

    def retrieve(self, request, pk: str) -> Response:
        return self.answer(_feedback_for(request.user, pk))

    def create(self, request) -> Response:
        feedback = services.feedback_submit(by=request.user, **self.parse(FeedbackSubmitSerializer))
        return self.answer(feedback, code=status.HTTP_201_CREATED)
