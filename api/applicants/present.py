"""How a dossier is shown: what each caller may see of it, and what can happen next."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from api.errors import reason
from workflow.domain.actors import Actor
from workflow.domain.audit import AuditEntry
from workflow.domain.dossier import Record
from workflow.usecases.privacy import visible_payload, visible_profile
from workflow.usecases.services import DossierView

DATES = ("applied_on", "activist_on", "candidate_on", "publicity_started_on", "voted_on",
         "admitted_on", "conversion_voted_on", "membership_on", "last_effective_on")


def record(r: Record) -> dict[str, Any]:
    return {"id": r.id, "type": r.type, "date": r.date, "data": dict(r.data),
            "voided": r.voided}


def dossier(view: DossierView, actor: Actor) -> dict[str, Any]:
    d, stored = view.dossier, view.stored
    # Personal identifiers: one rule for every way out (workflow/usecases/privacy.py).
    profile = visible_profile(stored.profile, actor)
    body: dict[str, Any] = {
        "id": d.id,
        "branch_id": d.branch_id,
        "branch_name": stored.branch_name,
        **profile,
        "state": d.state,
        "state_label": view.state.label_zh,
        "version": d.version,
        "rulebook": view.rulebook.id,
        "dates": {name: getattr(d, name) for name in DATES},
        "extension_months": d.extension_months,
        "motion": dict(d.motion) if d.motion else None,
        "closing_reason": d.closing_reason,
        "publicity": None,
        "records": [record(r) for r in d.records],
        "next": [
            {
                "trigger": step.transition.trigger,
                "to": step.dest,
                "roles": sorted(step.transition.roles),
                "permitted": actor.role in step.transition.roles,
                "allowed": step.allowed,
                "reasons": [reason(f) for f in step.failures],
                "inputs": list(step.pending_inputs),
            }
            for step in view.steps
        ],
    }
    if view.publicity is not None:
        span = view.publicity
        body["publicity"] = {
            "first_day": span.first_day,
            "last_day": span.last_day,
            "elapsed": view.today > span.last_day,
            "closable_from": span.last_day + timedelta(days=1),
            "working_days": view.rulebook.publicity_working_days,
            "calendar_warning": span.warning,
        }
    return body


def entry(e: AuditEntry, actor: Actor | None = None) -> dict[str, Any]:
    return {
        "id": e.id, "seq": e.seq, "kind": e.kind, "action": e.action,
        "from_state": e.from_state, "to_state": e.to_state,
        "effective_date": e.effective_date,
        # Without the private values the caller may not see (workflow/usecases/privacy.py).
        "payload": dict(e.payload) if actor is None else visible_payload(e.payload, actor),
        "actor_id": e.actor_id, "actor_name": e.actor_name, "actor_role": e.actor_role,
        "recorded_at": e.recorded_at, "request_id": e.request_id, "rulebook_id": e.rulebook_id,
        "revision": e.revision,
    }
