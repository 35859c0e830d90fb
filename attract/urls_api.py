"""The REST API (/api/v1/), its OpenAPI schema (/api/schema/) and interactive docs (/api/docs/)."""

from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import exceptions
from rest_framework.decorators import (
    api_view,
    authentication_classes,
    permission_classes,
    throttle_classes,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from attract.api import UserViewSet
from candidates.api import (
    ApplicationViewSet,
    CandidateViewSet,
    FeedbackViewSet,
    NoteViewSet,
    RejectionReasonViewSet,
)
from jobs.api import JobViewSet
from talentpools.api import PoolViewSet


class Router(DefaultRouter):
    include_format_suffixes = False  # JSON only: `/jobs.json` is not a second address


router = Router()
router.register("jobs", JobViewSet, basename="job")
router.register("applications", ApplicationViewSet, basename="application")
router.register("candidates", CandidateViewSet, basename="candidate")
router.register("notes", NoteViewSet, basename="note")
router.register("feedback", FeedbackViewSet, basename="feedback")
router.register("pools", PoolViewSet, basename="pool")
router.register("rejection-reasons", RejectionReasonViewSet, basename="rejection-reason")
router.register("users", UserViewSet, basename="user")

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@extend_schema(exclude=True)
@api_view(ALL_METHODS)
@authentication_classes([])
@permission_classes([])
@throttle_classes([])
def not_found(request: Request, rest: str = "") -> Response:
    """Unknown API addresses answer in the API's error format, not with an HTML page."""
    hint = "" if request.path.endswith("/") else " Addresses end with a slash."
    raise exceptions.NotFound(f"No such API endpoint.{hint}")


urlpatterns = [
    path("v1/", include((router.urls, "api"), namespace="api")),
    re_path(r"^v1/(?P<rest>.*)$", not_found, name="api-not-found"),
    # The schema is public (it holds no data; tools fetch it before signing in) and not
    # throttled: a test run or a CI job loading it must never meet a 429.
    path("schema/", SpectacularAPIView.as_view(throttle_classes=[]), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
