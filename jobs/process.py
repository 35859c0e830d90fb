"""The rules a hiring process (a template's or a job's stage list) must follow."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from jobs.choices import StageKind

MANDATORY_KINDS = (StageKind.APPLICATION, StageKind.OFFER)
MAX_STAGES = 20


@dataclass(frozen=True)
class StageSpec:
    name: str
    kind: str
    hiring_manager_can_add_prospects: bool = False
    id: int | None = None


def validate_stages(stages: Sequence[StageSpec]) -> None:
    """Raise ValidationError unless the list is a valid process (see SPEC 1 "Process")."""
    errors = _name_errors(stages) + _kind_errors([s.kind for s in stages])
    if errors:
        raise ValidationError([ValidationError(e, code="invalid_process") for e in errors])


def _name_errors(stages: Sequence[StageSpec]) -> list[str]:
    errors = []
    if not stages or len(stages) > MAX_STAGES:
        errors.append(f"A process has between 1 and {MAX_STAGES} stages.")
    names = [s.name.strip() for s in stages]
    if any(not n or len(n) > 80 for n in names):
        errors.append("Every stage needs a name of at most 80 characters.")
    if len({n.casefold() for n in names}) != len(names):
        errors.append("Stage names must be different from each other.")
    return errors


def _kind_errors(kinds: list[str]) -> list[str]:
    errors = []
    unknown = sorted({k for k in kinds if k not in StageKind.values})
    if unknown:
        return [f"Unknown stage kind: {', '.join(unknown)}."]
    for kind in MANDATORY_KINDS:
        if kind not in kinds:
            errors.append(f"The process must keep a stage of kind {StageKind(kind).label}.")
    if kinds.count(StageKind.PROSPECT) > 1 or (
        StageKind.PROSPECT in kinds and kinds[0] != "prospect"
    ):
        errors.append("A Prospect stage is optional, but there is at most one and it comes first.")
    if kinds.count(StageKind.APPLICATION) > 1:
        errors.append("There is exactly one Application stage.")
    elif StageKind.APPLICATION in kinds and kinds.index(StageKind.APPLICATION) != (
        1 if kinds[0] == StageKind.PROSPECT else 0
    ):
        errors.append("The Application stage comes first (after Prospect, when there is one).")
    if kinds.count(StageKind.HIRED) > 1 or (StageKind.HIRED in kinds and kinds[-1] != "hired"):
        errors.append("A Hired stage is optional, but there is at most one and it comes last.")
    return errors
