"""The rulebook's numbers: the one place where each of them is written down.

A rulebook is versioned by the date it takes effect. An act is judged by the version in force
on its effective date, so adding a version never changes how earlier acts were judged, and the
audit entry names the version used. A deployment may override numbers (a province's own
values) and add versions in its instance config, without touching this module.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Rulebook:
    id: str
    effective_from: date
    title: str
    # Art. 5: minimum age on the application date, in full years.
    min_age_years: int = 18
    # Art. 7: the application talk is due within this many months of the application.
    talk_deadline_months: int = 1
    # Art. 8: cultivation contacts per activist.
    contacts_min: int = 1
    contacts_max: int = 2
    # Art. 13: cultivation before designation as development target.
    cultivation_months: int = 12
    # Half-yearly evaluations (考察) of an activist.
    evaluation_interval_months: int = 6
    # Art. 14: sponsors (入党介绍人).
    sponsors_required: int = 2
    # Art. 17: intensive training, in class hours or days.
    training_hours_min: int = 24
    training_days_min: int = 3
    # Publicity (公示), in Chinese working days.
    publicity_working_days: int = 5
    # Committee approval after the branch vote; longer where a reason is recorded.
    approval_months: int = 3
    approval_extended_months: int = 6
    # Art. 32: probation, and its one possible extension.
    probation_months: int = 12
    extension_min_months: int = 6
    extension_max_months: int = 12

    def numbers(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}

    def with_numbers(self, overrides: Mapping[str, Any]) -> Rulebook:
        known = {f.name for f in fields(self)} - {"id", "effective_from", "title"}
        unknown = set(overrides) - known
        if unknown:
            raise ValueError(f"unknown rulebook settings: {', '.join(sorted(unknown))}")
        bad = sorted(
            k for k, v in overrides.items()
            if not isinstance(v, int) or isinstance(v, bool) or v < 0
        )
        if bad:
            raise ValueError(f"rulebook settings must be non-negative integers: {', '.join(bad)}")
        return replace(self, **overrides)


BUILT_IN: tuple[Rulebook, ...] = (
    Rulebook(
        id="2014",
        effective_from=date(2014, 6, 10),
        title="中国共产党发展党员工作细则 (2014)",
    ),
)


class RulebookSet:
    """The versions known to a deployment, ordered by the date each takes effect."""

    def __init__(self, versions: Iterable[Rulebook]) -> None:
        ordered = sorted(versions, key=lambda r: r.effective_from)
        if not ordered:
            raise ValueError("at least one rulebook version is required")
        ids = [r.id for r in ordered]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate rulebook ids: {ids}")
        self.versions: tuple[Rulebook, ...] = tuple(ordered)
        self._by_id = {r.id: r for r in ordered}

    def in_force_on(self, day: date) -> Rulebook:
        current = self.versions[0]
        for version in self.versions:
            if version.effective_from <= day:
                current = version
        return current

    def by_id(self, rulebook_id: str) -> Rulebook:
        return self._by_id[rulebook_id]

    @classmethod
    def from_config(
        cls,
        overrides: Mapping[str, Any] | None = None,
        extra_versions: Iterable[Mapping[str, Any]] = (),
    ) -> RulebookSet:
        """Built-in versions with a deployment's overrides, plus versions it declares.

        An extra version is ``{"id", "effective_from", "title", "base": <id>, **numbers}``:
        the numbers of ``base`` (the latest version by default) with its own on top.
        """
        versions = [r.with_numbers(overrides or {}) for r in BUILT_IN]
        for spec in extra_versions:
            spec = dict(spec)
            base_id = spec.pop("base", None)
            by_id = {v.id: v for v in versions}
            base = by_id[base_id] if base_id else max(versions, key=lambda r: r.effective_from)
            effective = spec.pop("effective_from")
            if isinstance(effective, str):
                effective = date.fromisoformat(effective)
            version_id = str(spec.pop("id"))
            identity = {"id": version_id, "effective_from": effective,
                        "title": str(spec.pop("title", version_id))}
            versions.append(replace(base, **identity).with_numbers(spec))
        return cls(versions)
