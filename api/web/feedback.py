"""What a refused act tells the user: the service's refusal, in Chinese, for a form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from api.language import field_message, in_chinese
from api.zh import chinese_dates
from workflow.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    GuardFailed,
    Invalid,
    InvalidTransition,
    NotFound,
    RecordNotAllowed,
    VersionMismatch,
)


@dataclass(frozen=True)
class Reason:
    """A failing rule: its Chinese message and the first day it would pass."""

    rule: str
    message: str
    earliest_date: date | None


@dataclass
class Refusal:
    message: str = ""
    fields: dict[str, str] = field(default_factory=dict)
    reasons: list[Reason] = field(default_factory=list)
    status: int = 422


def refusal(error: DomainError) -> Refusal:
    if isinstance(error, GuardFailed):
        return Refusal("不符合以下规定，暂不能办理：", reasons=[
            Reason(f.rule, chinese_dates(f.message_zh), f.earliest_date) for f in error.failures])
    if isinstance(error, Invalid):
        return Refusal("请检查填写的内容。",
                       in_chinese(error.fields))
    if isinstance(error, RecordNotAllowed):
        return Refusal("档案当前所处阶段不能登记这项记录。", status=409)
    if isinstance(error, InvalidTransition):
        return Refusal("档案当前所处阶段不能办理此事项（可能已由他人办理），请刷新页面。",
                       status=409)
    if isinstance(error, (Conflict, VersionMismatch)):
        return Refusal("档案刚被他人修改，请刷新页面后重试。", status=409)
    if isinstance(error, Forbidden):
        return Refusal("您的角色不能办理此事项。", status=403)
    if isinstance(error, NotFound):
        return Refusal("没有这份档案，或它不在您的管理范围内。", status=404)
    return Refusal(field_message(error.message), status=400)
