"""Why the domain refuses an act. The API maps each to one status and one error code."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflow.domain.rules import Failure


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


class Invalid(DomainError):
    """Input that cannot stand, field by field (a future date, an unknown member…)."""

    code = "validation_error"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        super().__init__(message or "; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = dict(fields)


class UnknownTrigger(Invalid):
    def __init__(self, trigger: str) -> None:
        super().__init__({"trigger": f"unknown trigger {trigger!r}"})
        self.trigger = trigger


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, trigger: str, state: str) -> None:
        super().__init__(f"{trigger!r} cannot be fired from state {state!r}")
        self.trigger = trigger
        self.state = state


class RecordNotAllowed(DomainError):
    code = "invalid_record"

    def __init__(self, record_type: str, state: str, states: Sequence[str]) -> None:
        super().__init__(
            f"a {record_type!r} record cannot be added in state {state!r}"
            f" (only in {', '.join(states)})"
        )
        self.allowed_states = list(states)


class GuardFailed(DomainError):
    code = "guard_failed"

    def __init__(self, failures: Sequence[Failure]) -> None:
        rules = ", ".join(f.rule for f in failures)
        super().__init__(f"the rulebook does not allow this yet: {rules}")
        self.failures = list(failures)


class VersionMismatch(DomainError):
    """The caller's If-Match named another version than the dossier's."""

    code = "version_mismatch"

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"the dossier is at version {actual}, not {expected}")
        self.expected = expected
        self.actual = actual


class Conflict(DomainError):
    """A concurrent change won; the caller may reload and retry."""

    code = "conflict"
