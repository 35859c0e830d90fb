"""Writes on the admin-managed list of rejection reasons (administrators only)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from attract.access import require_admin
from attract.errors import field_error
from attract.models import User
from candidates import events
from candidates.models import RejectionReason

NAME_MAX = 120


def _clean_name(name: str, reason: RejectionReason | None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise field_error("name", "Give the rejection reason a name.", "required")
    if len(name) > NAME_MAX:
        raise field_error("name", f"A reason has at most {NAME_MAX} characters.", "too_long")
    others = RejectionReason.objects.filter(name__iexact=name)
    if reason is not None:
        others = others.exclude(pk=reason.pk)
    if others.exists():
        raise field_error("name", f"There is already a reason “{name}”.", "duplicate")
    return name


@transaction.atomic
def rejection_reason_save(
    *, by: User, name: str, reason: RejectionReason | None = None
) -> RejectionReason:
    """Add a reason at the end of the list, or rename one (past rejections keep the link)."""
    require_admin(by)
    name = _clean_name(name, reason)
    if reason is None:
        last = RejectionReason.objects.aggregate(last=Max("position"))["last"]
        reason = RejectionReason.objects.create(name=name, position=(last or 0) + 1)
        events.rejection_reason_created(reason=reason, by=by)
        return reason
    if reason.name != name:
        before, reason.name = reason.name, name
        reason.save(update_fields=["name"])
        events.rejection_reason_renamed(reason=reason, by=by, before=before)
    return reason


def _set_active(reason: RejectionReason, *, by: User, active: bool) -> RejectionReason:
    require_admin(by)
    if reason.is_active != active:
        reason.is_active = active
        reason.save(update_fields=["is_active"])
        events.rejection_reason_activation_changed(reason=reason, by=by)
    return reason


@transaction.atomic
def rejection_reason_deactivate(*, by: User, reason: RejectionReason) -> RejectionReason:
    """Stop offering a reason; applications rejected with it keep it."""
    return _set_active(reason, by=by, active=False)


@transaction.atomic
def rejection_reason_reactivate(*, by: User, reason: RejectionReason) -> RejectionReason:
    """Offer a deactivated reason again."""
    return _set_active(reason, by=by, active=True)


@transaction.atomic
def rejection_reason_move(*, by: User, reason: RejectionReason, offset: int) -> RejectionReason:
    """Move a reason up (offset -1) or down (+1) the list; positions are renumbered 0..n-1."""
    require_admin(by)
    if offset not in (-1, 1):
        raise ValidationError("A reason moves one place up or down.", code="invalid")
    ordered = list(RejectionReason.objects.select_for_update().order_by("position", "name"))
    index = next(i for i, r in enumerate(ordered) if r.pk == reason.pk)
    target = index + offset
    if not 0 <= target < len(ordered):
        return reason
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, row in enumerate(ordered):
        row.position = position
    RejectionReason.objects.bulk_update(ordered, ["position"])
    events.rejection_reasons_reordered(reason=reason, by=by, order=[r.pk for r in ordered])
    reason.position = target
    return reason
