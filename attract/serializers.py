"""API shapes for users, and the fields every API serializer uses.

Serializers check shapes and types only; the rules live in the services. Types are taken at
their word: a number is not a string, `0` is not `false`, an object is not a list.
"""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.relations import MANY_RELATION_KWARGS

from attract.access import is_staff_user
from attract.models import SecurityRole, User

Scope = Callable[[User], QuerySet]


class Text(serializers.CharField):
    """A string: DRF would also take a number and turn it into one."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class Flag(serializers.BooleanField):
    """A JSON boolean: `true` or `false`, not 0, 1 or "yes" (query strings use BooleanField)."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class Number(serializers.IntegerField):
    """A whole JSON number: not "5", 5.0 or true."""

    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class IdList(serializers.ManyRelatedField):
    """A list of ids: an object is not a list (DRF would iterate over its keys)."""

    def to_internal_value(self, data: Any) -> list:
        if isinstance(data, dict):
            self.fail("not_a_list", input_type=type(data).__name__)
        return super().to_internal_value(data)


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the objects the requesting user may see; `scope` is an access selector.

    `queryset` only names the model for the schema: lookups always go through `scope(user)`, so an
    id the user may not see reads as unknown (400), exactly like one that does not exist.
    """

    default_error_messages = {
        "does_not_exist": "No such object (id {pk_value}).",
        "incorrect_type": "An id is a number, not {data_type}.",
    }

    def __init__(self, *, scope: Scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs) -> IdList:
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return IdList(child_relation=cls(*args, **kwargs), **list_kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["request"].user)

    def to_internal_value(self, data: Any) -> Any:
        # An id in a JSON body is a number; in a query string, digits.
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not data.isdigit():
            self.fail("incorrect_type", data_type="text")
        return super().to_internal_value(data)


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """Like ScopedPrimaryKeyRelatedField, for objects named by a slug (a job number)."""

    default_error_messages = {
        "does_not_exist": "No such object ({value}).",
        "invalid": "Invalid value.",
    }

    def __init__(self, *, scope: Scope, **kwargs):
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(self.context["request"].user)


def people_visible_to(user: User) -> QuerySet[User]:
    """Who staff may name (team members, approvers, pool contributors): every user."""
    return User.objects.all() if is_staff_user(user) else User.objects.none()


def person_field(**kwargs) -> ScopedPrimaryKeyRelatedField:
    return ScopedPrimaryKeyRelatedField(
        scope=people_visible_to, queryset=User.objects.all(), **kwargs
    )


ROLES_FIELD = serializers.ListField(child=serializers.ChoiceField(choices=SecurityRole.choices))


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField(help_text="Security roles.")
    email = serializers.CharField(read_only=True, help_text="An email address, or empty.")

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "roles",
            "is_active",
            "date_joined",
            "last_login",
        ]
        read_only_fields = fields

    @extend_schema_field(ROLES_FIELD)
    def get_roles(self, user: User) -> list[str]:
        return sorted(user.role_set)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A recruiter",
            value={
                "username": "sam",
                "email": "sam@example.com",
                "first_name": "Sam",
                "last_name": "Li",
                "roles": ["recruiter"],
            },
            request_only=True,
        )
    ]
)
class UserCreateSerializer(serializers.Serializer):
    username = Text(max_length=150)
    email = serializers.EmailField(max_length=254, allow_blank=True, default="")
    first_name = Text(max_length=150, allow_blank=True, default="")
    last_name = Text(max_length=150, allow_blank=True, default="")
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=SecurityRole.choices), max_length=10
    )
    password = Text(
        write_only=True,
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=128,
        help_text="Leave out to create a user who cannot sign in with a password yet.",
    )


class UserUpdateSerializer(serializers.Serializer):
    """Every field optional (PATCH): what is left out keeps its value."""

    email = serializers.EmailField(max_length=254, allow_blank=True, required=False)
    first_name = Text(max_length=150, allow_blank=True, required=False)
    last_name = Text(max_length=150, allow_blank=True, required=False)
    roles = serializers.ListField(
        child=serializers.ChoiceField(choices=SecurityRole.choices), max_length=10, required=False
    )


class UserQuerySerializer(serializers.Serializer):
    q = Text(
        required=False,
        allow_blank=True,
        default="",
        max_length=100,
        help_text="Words in name, username or email.",
    )
