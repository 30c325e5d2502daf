"""Who is acting, and over which part of the organisation tree."""

from __future__ import annotations

from dataclasses import dataclass

from workflow.domain.roles import Role


@dataclass(frozen=True)
class Actor:
    id: int
    name: str
    role: Role
    organization_id: int | None
    # Materialised path of the actor's organisation ("/1/4/"): its subtree is its scope.
    organization_path: str

    def covers(self, path: str) -> bool:
        """Whether an organisation (by its path) lies in this actor's scope."""
        return path.startswith(self.organization_path)
