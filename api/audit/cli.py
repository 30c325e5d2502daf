"""`recruitflow audit …`: verify, checkpoint, export and the compliance report from the
command line, over the whole database."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict

import click
from flask.cli import AppGroup

from api.runtime import runtime
from workflow.domain.errors import Invalid, NotFound
from workflow.usecases.auditing import services
from workflow.usecases.auditing.chain import Checkpoint
from workflow.usecases.auditing.export import FORMATS, WRITERS
from workflow.usecases.auditing.services import COMMAND_LINE

audit = AppGroup("audit", help="Verify, checkpoint, export and report on the audit log.")
DAY = click.DateTime(formats=["%Y-%m-%d"])


@audit.command("verify")
@click.option("--checkpoint", "checkpoint_file", type=click.File("rb"),
              help="a checkpoint kept from `recruitflow audit checkpoint`")
@click.option("--jobs", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1,
              show_default="one per CPU",
              help="processes sharing the work, by ranges of dossier ids (1: this process "
                   "alone)")
def verify_command(checkpoint_file, jobs: int) -> None:
    """Recompute every hash chain; exit 1 naming each damaged chain's first broken entry."""
    checkpoint = None
    if checkpoint_file is not None:
        try:
            checkpoint = Checkpoint.loads(checkpoint_file.read())
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--checkpoint") from error
    rt = runtime()
    with services.without_cycle_collection():
        result = services.verify(uow=rt.uow, env=rt.env, actor=COMMAND_LINE,
                                 checkpoint=checkpoint, jobs=jobs)
    for p in result.problems:
        if p.dossier_id is None:
            where = "checkpoint"
        elif p.seq is None:
            where = f"dossier {p.dossier_id}"
        else:
            where = f"dossier {p.dossier_id} entry {p.seq}"
        click.echo(f"{where}: {p.kind}: {p.message}")
    against = f" against checkpoint {checkpoint.root}" if checkpoint else ""
    verdict = "intact" if result.ok else f"DAMAGED ({len(result.problems)} problems)"
    click.echo(f"{result.entries} entries in {result.dossiers} dossiers{against}: {verdict}")
    sys.exit(0 if result.ok else 1)


@audit.command("checkpoint")
def checkpoint_command() -> None:
    """Print a checkpoint (JSON) of every chain head: keep it outside the database."""
    rt = runtime()
    checkpoint = services.make_checkpoint(uow=rt.uow, env=rt.env, actor=COMMAND_LINE)
    click.echo(json.dumps(checkpoint.to_json(), indent=1))


@audit.command("export")
@click.option("--format", "file_format", type=click.Choice(FORMATS), default="csv",
              show_default=True)
@click.option("--since", type=DAY, help="recorded on or after this day (service timezone)")
@click.option("--until", type=DAY, help="recorded on or before this day")
@click.option("--effective-from", type=DAY)
@click.option("--effective-to", type=DAY)
@click.option("--organization", "organization_id", type=int, help="an organisation's subtree")
@click.option("--dossier", "dossier_id", type=int)
@click.option("--actor", "actor_id", type=int)
@click.option("--action", help="a trigger or record type")
@click.option("--kind", type=click.Choice(("create", "transition", "record")))
def export_command(file_format: str, since, until, effective_from, effective_to,
                   **filters) -> None:
    """Write the matching entries to standard output, streamed."""
    rt = runtime()
    try:
        query = services.entry_filter(
            uow=rt.uow, env=rt.env, actor=COMMAND_LINE,
            recorded_from=since and since.date(), recorded_to=until and until.date(),
            effective_from=effective_from and effective_from.date(),
            effective_to=effective_to and effective_to.date(), **filters,
        )
    except Invalid as error:
        raise click.UsageError(error.message) from error
    out = sys.stdout.buffer
    entries = services.stream_entries(uow=rt.uow, actor=COMMAND_LINE, filters=query)
    for chunk in WRITERS[file_format](entries):
        out.write(chunk)
    out.flush()


@audit.command("compliance")
@click.option("--dossier", "dossier_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="one JSON object per finding")
def compliance_command(dossier_id: int | None, as_json: bool) -> None:
    """Replay every dossier against the rulebook and list what was late, missing or
    recorded against its rules."""
    rt = runtime()
    count = 0
    try:
        findings = services.compliance(uow=rt.uow, env=rt.env, actor=COMMAND_LINE,
                                       dossier_id=dossier_id)
    except NotFound as error:
        raise click.ClickException(error.message) from error
    for finding in findings:
        count += 1
        if as_json:
            click.echo(json.dumps(asdict(finding), ensure_ascii=False, default=str))
        else:
            entry = f" entry {finding.seq}" if finding.seq else ""
            due = f" (due {finding.due})" if finding.due else ""
            click.echo(f"dossier {finding.dossier_id} {finding.name}（{finding.branch_name}）"
                       f"{entry} {finding.on} {finding.rule} {finding.status}{due}: "
                       f"{finding.message_en} {finding.message_zh}")
    if not as_json:
        click.echo(f"{count} findings")
