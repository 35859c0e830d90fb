from django.conf import settings
from django.db import models
from django.db.models import Q

LINKEDIN_POOL_KEY = "linkedin"


class TalentPool(models.Model):
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_pools",
        help_text="Empty for system pools.",
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="shared_pools"
    )
    system_key = models.CharField(
        max_length=32,
        blank=True,
        help_text="Set on system pools, which cannot be deleted or renamed.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["system_key"], condition=~Q(system_key=""), name="pool_system_key_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_system(self) -> bool:
        return bool(self.system_key)


class TalentPoolMember(models.Model):
    pool = models.ForeignKey(TalentPool, on_delete=models.CASCADE, related_name="memberships")
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.CASCADE, related_name="pool_memberships"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "candidate"], name="pool_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} in {self.pool}"
