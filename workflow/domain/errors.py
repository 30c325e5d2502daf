"""Why the domain refuses an act. The API maps each to one status and one error code.

Every refusal is said in both languages: a `Message` is the English text that carries its
Chinese version, so whatever reads it as a plain string still reads English, and the API
picks the language the request asks for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflow.domain.rules import Failure


class Message(str):
    """An English text (the string itself) with its Chinese version in `zh`."""

    zh: str

    def __new__(cls, en: str, zh: str) -> Message:
        text = super().__new__(cls, en)
        text.zh = zh
        return text

    def __reduce__(self):
        return Message, (str(self), self.zh)


def chinese(text: str) -> str | None:
    """The Chinese version of a text, if it carries one."""
    return getattr(text, "zh", None)


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    code = "not_found"


class Forbidden(DomainError):
    code = "forbidden"


ROLE_ZH = {"admin": "管理员", "branch": "党支部", "committee": "党委", "auditor": "审计员"}


def role_may_not(role: str, what_en: str = "do this", what_zh: str = "执行此操作") -> Message:
    """A role acting outside its rights (403)."""
    return Message(f"the {role} role may not {what_en}",
                   f"{ROLE_ZH.get(str(role), str(role))}角色无权{what_zh}")


class Invalid(DomainError):
    """Input that cannot stand, field by field (a future date, an unknown member…)."""

    code = "validation_error"

    def __init__(self, fields: Mapping[str, str], message: str | None = None) -> None:
        if message is None:
            message = Message(
                "; ".join(f"{k}: {v}" for k, v in fields.items()),
                "；".join(f"{k}：{chinese(v) or v}" for k, v in fields.items()),
            )
        super().__init__(message)
        self.fields = dict(fields)


class UnknownTrigger(Invalid):
    def __init__(self, trigger: str) -> None:
        super().__init__({"trigger": Message(f"unknown trigger {trigger!r}",
                                             f"没有“{trigger}”这一操作")})
        self.trigger = trigger


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, trigger: str, state: str, state_zh: str | None = None) -> None:
        super().__init__(Message(
            f"{trigger!r} cannot be fired from state {state!r}",
            f"档案处于“{state_zh or state}”（{state}），不能执行“{trigger}”",
        ))
        self.trigger = trigger
        self.state = state


class RecordNotAllowed(DomainError):
    code = "invalid_record"

    def __init__(self, record_type: str, state: str, states: Sequence[str], *,
                 record_zh: str | None = None, state_zh: str | None = None) -> None:
        super().__init__(Message(
            f"a {record_type!r} record cannot be added in state {state!r}"
            f" (only in {', '.join(states)})",
            f"档案处于“{state_zh or state}”（{state}），不能添加“{record_zh or record_type}”"
            f"记录（仅限：{'、'.join(states)}）",
        ))
        self.allowed_states = list(states)


class GuardFailed(DomainError):
    code = "guard_failed"

    def __init__(self, failures: Sequence[Failure]) -> None:
        rules = ", ".join(f.rule for f in failures)
        super().__init__(Message(
            f"the rulebook does not allow this yet: {rules}",
            "不符合细则的规定：" + "；".join(f.message_zh.rstrip("。") for f in failures) + "。",
        ))
        self.failures = list(failures)


class VersionMismatch(DomainError):
    """The caller's If-Match named another version than the dossier's."""

    code = "version_mismatch"

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(Message(
            f"the dossier is at version {actual}, not {expected}",
            f"档案已是第{actual}版，不是第{expected}版：请重新读取后再操作",
        ))
        self.expected = expected
        self.actual = actual


class Conflict(DomainError):
    """A concurrent change won; the caller may reload and retry."""

    code = "conflict"


NO_ORGANIZATION_IN_SCOPE = Message("no organisation with this id in your scope",
                                   "您的管辖范围内没有这个组织")
NOT_IN_FUTURE = Message("may not lie in the future", "不能晚于今天")
