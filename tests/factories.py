"""Factories for rows. State changes go through services (tests/conftest.py), not factories."""

import factory
from django.utils import timezone

from attract.models import SecurityRole, User, UserRole
from candidates.models import Candidate, CandidateEmail, RejectionReason
from jobs.models import ProcessTemplate


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-Attract-123")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            UserRole.objects.create(user=self, role=role)
        self.is_staff = SecurityRole.ADMINISTRATOR in (extracted or ())
        if create:
            self.save(update_fields=["is_staff"])
        self.__dict__.pop("_role_set", None)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate
        skip_postgeneration_save = True

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    current_title = factory.Faker("job")
    current_company = factory.Faker("company")

    @factory.post_generation
    def email(self, create, extracted, **kwargs):
        address = extracted or f"candidate{self.pk}@example.org"
        CandidateEmail.objects.create(candidate=self, email=address.lower(), is_primary=True)


def default_template() -> ProcessTemplate:
    return ProcessTemplate.objects.get(is_default=True)


def rejection_reason() -> RejectionReason:
    return RejectionReason.objects.filter(is_active=True).first()


def now():
    return timezone.now()
