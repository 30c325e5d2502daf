"""The language of an answer: picked once from the request, applied to every text in it.

The domain says each refusal in both languages (`workflow.domain.errors.Message`, a rule's
`Failure`); the texts the API layer itself produces (marshmallow's field messages, HTTP
errors, the idempotency and token checks) are English here and translated by the catalogue
below. A text with no translation falls back to a Chinese sentence for its status, so a
Chinese request never gets English alone. In Chinese, ISO dates read 2026年11月27日.
The pages, always Chinese, translate their refusals by the same means (`field_message`).
"""

from __future__ import annotations

import re
from typing import Any

from flask import g, has_request_context, request

from api.zh import chinese_dates
from workflow.domain.errors import chinese

LANGUAGES = ("en", "zh")


def language() -> str:
    """`zh` when the request's Accept-Language prefers Chinese (zh, zh-CN, zh-Hans…)."""
    if not has_request_context():
        return "en"
    if "language" not in g:
        g.language = request.accept_languages.best_match(LANGUAGES, default="en")
    return g.language


def prefers_chinese() -> bool:
    return language() == "zh"


# English texts of the API layer (marshmallow's and webargs' defaults, the project's fields,
# HTTP errors) and their Chinese, as patterns: formatted messages carry numbers and names.
_CATALOGUE: list[tuple[re.Pattern[str], str]] = [(re.compile(f"^{en}$"), zh) for en, zh in [
    (r"Missing data for required field\.", "此项必填。"),
    (r"Unknown field\.", "未知字段。"),
    (r"Field may not be null\.", "不能为空（null）。"),
    (r"Not a valid integer\.", "应为整数。"),
    (r"Not a valid number\.", "应为数字。"),
    (r"Not a valid string\.", "应为字符串。"),
    (r"Not a valid boolean\.", "应为 true 或 false。"),
    (r"Not a valid date\.", "不是有效的日期（YYYY-MM-DD）。"),
    (r"Not a valid datetime\.", "不是有效的时间（RFC 3339）。"),
    (r"Not a valid list\.", "应为列表。"),
    (r"Not a valid mapping type\.", "应为对象。"),
    (r"Invalid input type\.", "类型不正确。"),
    (r"Invalid value\.", "值无效。"),
    (r"Invalid JSON body\.", "请求正文不是有效的 JSON。"),
    (r"Not a valid date: expected a string YYYY-MM-DD\.",
     "不是有效的日期：应为 YYYY-MM-DD 格式的字符串。"),
    (r"Must not be before (.+)\.", r"不得早于\1。"),
    (r"Contains control characters or invalid code points\.", "含有控制字符或无效字符。"),
    (r"Shorter than minimum length (\d+)\.", r"不得少于\1个字符。"),
    (r"Longer than maximum length (\d+)\.", r"不得超过\1个字符。"),
    (r"Length must be between (\d+) and (\d+)\.", r"长度应在\1到\2个字符之间。"),
    (r"Length must be (\d+)\.", r"长度应为\1个字符。"),
    (r"Must be greater than or equal to (-?\d+) and less than or equal to (-?\d+)\.",
     r"应在\1到\2之间。"),
    (r"Must be greater than or equal to (-?\d+)\.", r"不得小于\1。"),
    (r"Must be less than or equal to (-?\d+)\.", r"不得大于\1。"),
    (r"Must be one of: (.+)\.", r"应为以下之一：\1。"),
    (r"String does not match expected pattern\.", "格式不正确。"),
    (r"An 18-character resident ID number\.", "应为18位居民身份证号码。"),
    (r"Digits, spaces and dashes, up to 32 characters\.", "数字、空格和连字符，不超过32个字符。"),
    (r"not a field of '(.+)'", r"不是“\1”的字段"),
    (r"The request body is not valid JSON\.", "请求正文不是有效的 JSON。"),
    (r"The request body is not JSON: send Content-Type: application/json\.",
     "请求正文不是 JSON：请发送 Content-Type: application/json。"),
    (r"The request body is empty: send a JSON object\.", "请求正文为空：请发送一个 JSON 对象。"),
    (r"Some fields are invalid: (.+)", r"以下字段有误：\1"),
    (r"A bearer token is required\.", "需要令牌（Authorization: Bearer …）。"),
    (r"Unknown token\.", "令牌无效。"),
    (r"Auditors read; they change nothing\.", "审计员只能查阅，不能修改。"),
    (r"Invalid Idempotency-Key header\.", "Idempotency-Key 请求头无效。"),
    (r"(\d+) to (\d+) printable characters", r"\1至\2个可打印字符"),
    (r"This Idempotency-Key was used with another request\.",
     "这个 Idempotency-Key 已用于另一个请求。"),
    (r"A request with this Idempotency-Key is still being processed\.",
     "使用这个 Idempotency-Key 的请求仍在处理中。"),
    (r"The database is busy or unavailable; retry shortly\.", "数据库繁忙或不可用，请稍后重试。"),
    (r"An unexpected error occurred; it was logged\.", "发生意外错误，已记录在日志中。"),
    (r"Unknown, expired or revoked token\.", "令牌无效、已过期或已被撤销。"),
    (r"The database failed before anything was saved; retry shortly with the same "
     r"Idempotency-Key\.", "数据库出错，未保存任何内容；请稍后使用同一个 Idempotency-Key 重试。"),
    (r"The database connection failed while saving: .*",
     "保存时数据库连接中断，更改可能已经保存：请先查看再决定是否重复（带 Idempotency-Key 的"
     "请求会得到确切答复）。"),
    (r"Name at least one field to change\.", "请至少指定一个要修改的字段。"),
    (r"An entry id from 0 to (\d+)\.", r"应为0到\1之间的条目编号。"),
]]

# What a Chinese answer says when the English text has no translation.
BY_STATUS = {
    400: "请求无效。",
    401: "需要有效的令牌。",
    403: "无权执行此操作。",
    404: "没有这个资源。",
    405: "不支持这个请求方法。",
    406: "无法提供所要求的格式。",
    409: "与档案的当前状态冲突。",
    412: "档案的版本与 If-Match 不符。",
    413: "请求过大。",
    414: "请求地址过长。",
    415: "不支持这种内容类型：请发送 JSON。",
    422: "输入有误。",
    429: "请求过于频繁，请稍后再试。",
    431: "请求头过大。",
    500: "发生意外错误，已记录在日志中。",
    503: "服务暂时不可用，请稍后重试。",
}


def translate(text: str) -> str | None:
    """The Chinese of a text: the one it carries (the domain's `Message`), else the
    catalogue's; None when neither has it."""
    zh = chinese(text)
    if zh is not None:
        return zh
    for pattern, template in _CATALOGUE:
        match = pattern.match(text)
        if match:
            return match.expand(template)
    return None


def say(text: str, *, status: int | None = None) -> str:
    """A text in the request's language. `status` gives the fallback of an untranslated
    top-level message; an untranslated field message keeps its English after a Chinese
    lead."""
    if language() != "zh":
        return str(text)
    zh = translate(text)
    if zh is None:
        zh = BY_STATUS.get(status or 0) if status else None
        zh = zh or f"输入有误：{text}"
    return chinese_dates(zh)


def say_fields(messages: Any) -> Any:
    """Field messages ({field: [text, …]}, nested for lists and nested objects), each said
    in the request's language."""
    if isinstance(messages, dict):
        return {key: say_fields(value) for key, value in messages.items()}
    if isinstance(messages, list | tuple):
        return [say_fields(value) for value in messages]
    if isinstance(messages, str):
        return say(messages)
    return messages


def field_message(message: str) -> str:
    """A refusal shown on a page, in Chinese where it can be, as the service wrote it (the
    pages write no dates over: their wording is the service's)."""
    return translate(message) or message


def in_chinese(fields: dict[str, str]) -> dict[str, str]:
    """A refusal's messages by field, each in Chinese where it can be."""
    return {name: field_message(message) for name, message in fields.items()}
