"""What every API view shares (thin views: parse, scoped lookup, one service), and /users/.

Objects come from the access helpers (`job_for_user`, `application_for_user`, ...) or the scoped
selectors; the service called then enforces the role matrix, so the API refuses exactly what the
web app refuses. Errors take one shape (attract.api_errors).
"""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from attract.access import is_admin
from attract.models import User
from attract.selectors import user_for_admin, users_for_admin
from attract.serializers import (
    UserCreateSerializer,
    UserQuerySerializer,
    UserSerializer,
    UserUpdateSerializer,
)
from attract.services import user_create, user_deactivate, user_reactivate, user_update


class Pagination(PageNumberPagination):
    """`page` from 1, `page_size` rows (50 unless asked; more than 200 gives 200)."""

    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({"page_size": ["A whole number of rows, from 1 to 200."]})
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
        return parameters


def object_id(value: Any) -> int:
    """An id taken from the path; anything but a whole number names no object (404)."""
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404("No such object.") from exc


class ServiceViewSet(viewsets.GenericViewSet):
    """Helpers for thin API views; `queryset` only names the model for the schema."""

    pagination_class = Pagination

    def parse(self, serializer_class: type, *, data: Any = None, partial: bool = False) -> dict:
        """The request body (or `data`) checked by a serializer: its valid data, or a 400."""
        serializer = serializer_class(
            data=self.request.data if data is None else data,
            partial=partial,
            context=self.get_serializer_context(),
        )
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def query(self, serializer_class: type) -> dict:
        return self.parse(serializer_class, data=self.request.query_params)

    def answer(
        self, instance: Any, serializer_class: type | None = None, *, code: int = 200, **context
    ) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        many = isinstance(instance, list | QuerySet)
        context = {**self.get_serializer_context(), **context}
        return Response(serializer_class(instance, many=many, context=context).data, status=code)

    def page(self, queryset: QuerySet, serializer_class: type | None = None) -> Response:
        serializer_class = serializer_class or self.get_serializer_class()
        rows = self.paginate_queryset(self.filter_queryset(queryset))
        context = self.get_serializer_context()
        return self.get_paginated_response(serializer_class(rows, many=True, context=context).data)


class IsAdministrator(permissions.BasePermission):
    message = "Only administrators manage users."

    def has_permission(self, request, view) -> bool:
        return is_admin(request.user)


@extend_schema_view(
    list=extend_schema(summary="List users", parameters=[UserQuerySerializer]),
    retrieve=extend_schema(summary="Get a user"),
    create=extend_schema(
        summary="Create a user",
        request=UserCreateSerializer,
        responses={201: UserSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a user's names, email or security roles",
        request=UserUpdateSerializer,
        responses=UserSerializer,
    ),
)
class UserViewSet(ServiceViewSet):
    """Users and their security roles: administrators only, everyone else gets 403."""

    queryset = User.objects.none()
    serializer_class = UserSerializer
    permission_classes = [permissions.IsAuthenticated, IsAdministrator]
    filter_backends = [OrderingFilter]
    ordering_fields = ["username", "last_name", "date_joined", "last_login"]

    def list(self, request) -> Response:
        search = self.query(UserQuerySerializer)["q"]
        return self.page(users_for_admin(request.user, search=search))

    def retrieve(self, request, pk: str) -> Response:
        return self.answer(user_for_admin(request.user, pk))

    def create(self, request) -> Response:
        user = user_create(by=request.user, **self.parse(UserCreateSerializer))
        return self.answer(user_for_admin(request.user, user.pk), code=status.HTTP_201_CREATED)

    def partial_update(self, request, pk: str) -> Response:
        user = user_for_admin(request.user, pk)
        data = self.parse(UserUpdateSerializer, partial=True)
        user_update(
            user=user,
            by=request.user,
            first_name=data.get("first_name", user.first_name),
            last_name=data.get("last_name", user.last_name),
            email=data.get("email", user.email),
            roles=data.get("roles"),
        )
        return self.answer(user_for_admin(request.user, pk))

    @extend_schema(summary="Deactivate a user", request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk: str) -> Response:
        user_deactivate(user=user_for_admin(request.user, pk), by=request.user)
        return self.answer(user_for_admin(request.user, pk))

    @extend_schema(summary="Reactivate a user", request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request, pk: str) -> Response:
        user_reactivate(user=user_for_admin(request.user, pk), by=request.user)
        return self.answer(user_for_admin(request.user, pk))
