"""LinkedIn → Attract prospect interactions (LINKEDIN.md 2.9): InMail events, Recruiter notes,
InMail stubs, and the watermark of each (seat, flow) pull."""

from django.db import models

__all__ = ["InMailEvent", "MailStub", "ProspectFlow", "ProspectNote", "ProspectWatermark"]


class ProspectFlow(models.TextChoices):
    EVENTS = "events", "InMail history"
    NOTES = "notes", "Notes history"
    STUBS = "stubs", "InMail stubs"


class ProspectWatermark(models.Model):
    """Everything of this seat and flow before `until_ms` (epoch ms) is stored."""

    seat_urn = models.CharField(max_length=100)
    flow = models.CharField(max_length=16, choices=ProspectFlow.choices)
    until_ms = models.BigIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seat_urn", "flow"], name="prospect_watermark_unique")
        ]

    def __str__(self) -> str:
        return f"{self.seat_urn} {self.flow} until {self.until_ms}"


class InMailEvent(models.Model):
    """One InMail sent or received by a seat (a conversationEvents element)."""

    class Direction(models.TextChoices):
        SENT = "SENT", "Sent"
        RECEIVED = "RECEIVED", "Received"

    event_id = models.CharField(max_length=100, unique=True)
    seat_urn = models.CharField(max_length=100, db_index=True)
    member_urn = models.CharField(max_length=100, db_index=True)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    conversation = models.CharField(max_length=200)
    subject = models.CharField(max_length=500, blank=True)
    body = models.TextField(blank=True)
    occurred_at = models.DateTimeField()

    class Meta:
        ordering = ["-occurred_at", "-id"]

    def __str__(self) -> str:
        return f"InMail {self.direction} {self.seat_urn} / {self.member_urn}"


class ProspectNote(models.Model):
    """A Recruiter note about a member; deleted here when LinkedIn reports it inactive."""

    class Visibility(models.TextChoices):
        PUBLIC = "PUBLIC", "Public"
        PRIVATE = "PRIVATE", "Private"

    note_id = models.CharField(max_length=100, unique=True)
    seat_urn = models.CharField(max_length=100, db_index=True)
    member_urn = models.CharField(max_length=100, db_index=True)
    text = models.TextField()
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    updated_at = models.DateTimeField()
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"Note {self.note_id} on {self.member_urn}"


class MailStub(models.Model):
    """A member who agreed to share their profile after an InMail, and the candidate it made."""

    stub_id = models.CharField(max_length=100, unique=True)
    seat_urn = models.CharField(max_length=100)
    member_urn = models.CharField(max_length=100, db_index=True)
    # The candidate it became carries the member URN (no foreign key: linkedin's migrations do
    # not depend on the candidates app).
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Stub {self.stub_id} of {self.member_urn}"
