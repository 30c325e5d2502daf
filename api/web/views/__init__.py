"""The pages of the staff's interface, one module each; importing a module registers its
routes on the `web` blueprint."""

from __future__ import annotations

import importlib

MODULES = ("auth", "home", "dossier", "dossiers", "create",
           # the committee, auditor and admin pages
           "queue", "publicity", "agenda", "stats", "audit", "admin")


def register() -> None:
    for name in MODULES:
        importlib.import_module(f"{__name__}.{name}")
