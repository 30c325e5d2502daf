"""Fields that several acts declare: each once, with its Chinese label. An act that needs one
otherwise (optional, described) derives it with `dataclasses.replace`, keeping the label."""

from __future__ import annotations

from workflow.domain.rules import Param

SUMMARY = Param("summary", "text", label_zh="情况摘要")
REASON = Param("reason", "text", label_zh="原因")
BY = Param("by", "text", label_zh="谈话人")
MEMBER = Param("member_id", "member", label_zh="党员")
MONTHS = Param("months", "int", minimum=0, maximum=120, label_zh="延长月数")
