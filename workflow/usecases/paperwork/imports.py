"""The import of dossiers in flight from a spreadsheet (xlsx or CSV).

The sheet has one column per profile field and per dated act of the procedure, generated from
the declarations of `states/` (`columns`), so that a new act gets its columns by itself. Each
row is one dossier: its acts are replayed through the engine in date order, as back-dated acts.

This is the one use case that records an act whose guards fail: the real world already moved
on, so an imported history that broke a rule (a year of cultivation cut short, an approval
after its deadline…) is still recorded, the dry run says so per row, and the compliance report
lists it afterwards. What cannot be replayed at all — an act its state does not have (a date
out of order), an unknown branch or member, an unreadable date, a duplicate of a dossier — is
a problem that stops the import. The import is all or nothing: one problem, nothing written.

Every audit entry written here is chained like any other and marked in its payload with
`imported`: the file's SHA-256 and the row (the entry's actor is who imported).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from workflow.domain.actors import Actor
from workflow.domain.audit import GENESIS, entry_for, sealed
from workflow.domain.deadlines import earliest_due
from workflow.domain.dossier import Dossier, Member, Record
from workflow.domain.environment import Environment
from workflow.domain.errors import GuardFailed
from workflow.domain.procedure import Procedure, RecordType, TransitionDef
from workflow.domain.roles import Role
from workflow.store import paperwork as queries
from workflow.store.repository import FACT_FIELDS, PROFILE_FIELDS, Repository
from workflow.store.uow import UnitOfWork
from workflow.usecases.paperwork.cells import (
    SEPARATORS,
    CellError,
    parse_bool,
    parse_choice,
    parse_date,
    parse_dates,
    parse_int,
    parse_text,
)
from workflow.usecases.paperwork.import_sheet import PROFILE, Column, columns, require_importer
from workflow.usecases.paperwork.vocabulary import (
    GENDERS,
    Act,
    param_label,
)
from workflow.usecases.services import _apply_defaults, _membership

# `recruitflow import`: whoever runs the command holds the database's credentials anyway.
COMMAND_LINE = Actor(id=0, name="命令行导入", role=Role.ADMIN, organization_id=None,
                     organization_path="/")
# A required text of an act that old sheets do not keep (who held the talk, say).
NOT_KEPT = "（导入时未记载）"
_ID_NUMBER = re.compile(r"^[0-9]{17}[0-9X]$")
_PHONE = re.compile(r"^\+?[0-9][0-9 -]{2,30}$")
# The profile's text columns as long as the dossier keeps them (the rest: 50).
TEXT_LIMITS = {"name": 100, "occupation": 100}
# Between the texts of the records of one cell of dates (two evaluations, two summaries).
PER_DATE = re.compile(r"\s*[；\n]\s*")


# What the sheet refers to


@dataclass
class Directory:
    """The branches and registry of the importer's scope, and the identities of the dossiers
    already there (and of the rows read so far), to refuse a dossier twice."""

    branches: dict[str, list[Any]]
    committee_of: dict[int, str]
    members: dict[str, list[Member]]
    member_paths: dict[int, str]
    member_by_id: dict[int, Member] = field(default_factory=dict)
    id_numbers: dict[str, str] = field(default_factory=dict)
    people: dict[tuple[str, date, int], str] = field(default_factory=dict)

    @classmethod
    def load(cls, repo: Repository, scope: str) -> Directory:
        connection = repo.connection
        branches = queries.branches(connection, scope_path=scope)
        paths = {b.id: b.path for b in branches}
        members: dict[str, list[Member]] = {}
        member_paths = {}
        for m in queries.members_by_name(connection, scope_path=scope):
            member = Member(m.id, m.name, m.branch_id, m.status, m.joined_on)
            members.setdefault(m.name, []).append(member)
            member_paths[m.id] = paths.get(m.branch_id, "")
        by_name: dict[str, list[Any]] = {}
        for b in branches:
            by_name.setdefault(b.name, []).append(b)
        directory = cls(by_name,
                        {b.id: b.path.rstrip("/").rsplit("/", 1)[0] + "/" for b in branches},
                        members, member_paths,
                        {m.id: m for ms in members.values() for m in ms})
        for d in queries.identities(connection, scope_path=scope):
            where = f"已有档案（编号{d.id}）"
            if d.id_number:
                directory.id_numbers[d.id_number.upper()] = where
            directory.people[(d.name, d.birth_date, d.branch_id)] = where
        return directory

    def remember(self, profile: Mapping[str, Any], row: int) -> None:
        """A row that will be imported: a later row may not be the same person."""
        if profile.get("id_number"):
            self.id_numbers[profile["id_number"]] = f"第{row}行"
        self.people[(profile["name"], profile["birth_date"], profile["branch_id"])] = \
            f"第{row}行"

    def member(self, name: str, branch_id: int) -> Member:
        committee = self.committee_of[branch_id]
        found = [m for m in self.members.get(name, [])
                 if self.member_paths[m.id].startswith(committee)]
        same_branch = [m for m in found if m.branch_id == branch_id]
        if len(same_branch) == 1:
            return same_branch[0]
        if len(found) == 1:
            return found[0]
        if not found:
            raise CellError(f"党员名册中没有“{name}”")
        raise CellError(f"党员名册中有{len(found)}名“{name}”，无法确定是哪一位")


# Problems and what would be created


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # the letter, "" for the row as a whole
    header: str
    message: str
    rule: str | None = None  # for a rule the history breaks (recorded all the same)


@dataclass
class PlannedAct:
    order: int
    act: Act
    on: date
    values: dict[str, Any]
    column: str
    header: str


@dataclass
class Replayed:
    """A row replayed: the dossier as it stands after its history, and its entries."""

    row: int
    profile: dict[str, Any]
    dossier: Dossier
    entries: list[dict[str, Any]]
    membership: str | None
    breaks: list[Problem]


@dataclass
class Report:
    file_sha256: str
    dry_run: bool
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    breaks: list[Problem] = field(default_factory=list)
    created: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Row:
    """One row being read: its cells by column, and the problems found in it."""

    def __init__(self, number: int, cells: Mapping[int, Any], layout: list[tuple[int, Column]],
                 report: Report) -> None:
        self.number = number
        self.cells = cells
        self.layout = layout
        self.report = report
        self.failed = False

    def problem(self, index: int | None, header: str, message: str) -> None:
        letter = get_column_letter(index + 1) if index is not None else ""
        self.report.problems.append(Problem(self.number, letter, header, message))
        self.failed = True


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_profile(row: _Row, directory: Directory, today: date) -> dict[str, Any] | None:
    profile: dict[str, Any] = {}
    where: dict[str, int] = {}
    for index, column in row.layout:
        if column.act is not None:
            continue
        value = row.cells.get(index)
        where[column.key] = index
        if _empty(value):
            if column.required:
                row.problem(index, column.header, "必须填写")
            continue
        try:
            profile[column.key] = _profile_value(column, value, directory)
        except CellError as error:
            row.problem(index, column.header, str(error))
    if row.failed:
        return None
    branch = profile.pop("branch")
    profile = {"branch_id": branch.id, **profile}
    birth, applied = profile["birth_date"], profile["applied_on"]
    if applied > today:
        row.problem(where["applied_on"], "申请入党时间", f"不能晚于今天（{today}）")
    if birth >= applied:
        row.problem(where["birth_date"], "出生日期", "应早于申请入党时间")
    id_number = profile.get("id_number")
    if id_number and id_number in directory.id_numbers:
        row.problem(where["id_number"], "身份证号",
                    f"与{directory.id_numbers[id_number]}的身份证号相同")
    person = (profile["name"], birth, branch.id)
    if person in directory.people:
        row.problem(where["name"], "姓名",
                    f"同一党支部中{directory.people[person]}的姓名和出生日期相同")
    return profile


def _profile_value(column: Column, value: Any, directory: Directory) -> Any:
    if column.kind == "branch":
        name = str(value).strip()
        found = directory.branches.get(name, [])
        if not found:
            raise CellError(f"没有名为“{name}”的党支部")
        if len(found) > 1:
            # Two committees may each have a 第一党支部: their own users tell them apart.
            raise CellError(f"有{len(found)}个名为“{name}”的党支部：请由所属党委的用户导入")
        return found[0]
    if column.kind == "gender":
        by_label = {v: k for k, v in GENDERS.items()}
        text = str(value).strip()
        if text not in by_label and text not in GENDERS:
            raise CellError("应填写“男”或“女”")
        return by_label.get(text, text)
    if column.kind == "date":
        day = parse_date(value)
        if day < date(1900, 1, 1):
            raise CellError("不能早于1900年")
        return day
    if column.kind == "bool":
        return parse_bool(value)
    if column.kind == "id_number":
        if isinstance(value, (int, float)):
            raise CellError("身份证号被存为数字，末几位可能已被Excel改写："
                            "请将此列设为文本格式后重新填写")
        text = str(value).strip().upper()
        if not _ID_NUMBER.match(text):
            raise CellError("应为18位公民身份号码（最后一位可为X）")
        return text
    if column.kind == "phone":
        text = (str(int(value)) if isinstance(value, (int, float)) else str(value)).strip()
        if not _PHONE.match(text):
            raise CellError("应为电话号码（数字、空格和短横线）")
        return text
    return parse_text(value, TEXT_LIMITS.get(column.key, 50))


def _read_acts(row: _Row, profile: dict[str, Any], directory: Directory,
               order: Mapping[str, int]) -> list[PlannedAct]:
    """The dated acts of the row, each with its values; problems noted on the row."""
    by_act: dict[str, dict[str, Any]] = {}
    for index, column in row.layout:
        if column.act is None:
            continue
        value = row.cells.get(index)
        if _empty(value):
            continue
        slot = by_act.setdefault(column.key.rsplit(".", 1)[0], {"act": column.act})
        try:
            if column.kind in ("date", "dates"):
                days = parse_dates(value)
                slot["dates"] = days
                slot["date_column"] = (index, column)
                if column.choice is not None:
                    slot["values"] = {column.param.name: column.choice}
            elif column.kind == "members":
                names = [n.strip() for n in SEPARATORS.split(str(value)) if n.strip()]
                slot["members"] = [directory.member(n, profile["branch_id"]) for n in names]
                slot["members_column"] = (index, column)
            else:
                slot.setdefault("values", {})[column.param.name] = _param_value(
                    column, value, directory, profile["branch_id"])
                slot.setdefault("value_column", (index, column))
        except CellError as error:
            row.problem(index, column.header, str(error))
            slot["failed"] = True
    planned = []
    for key, slot in by_act.items():
        act: Act = slot["act"]
        if slot.get("failed"):
            continue
        if "dates" not in slot:
            index, column = slot.get("members_column") or slot["value_column"]
            row.problem(index, column.header, f"填写了此项，但没有填写{act.label}的时间")
            continue
        index, column = slot["date_column"]
        values = dict(slot.get("values", {}))
        missing = [p for p in act.params if p.required and p.name not in values
                   and not (p.kind == "member" and "members" in slot)]
        for p in missing:
            if p.kind == "text":
                values[p.name] = NOT_KEPT
            else:
                row.problem(index, column.header,
                            f"{act.label}须同时填写“{act.label}·{param_label(p)}”")
        letter = get_column_letter(index + 1)
        days = slot["dates"]
        for i, day in enumerate(days):
            if "members" in slot:
                for member in slot["members"]:
                    planned.append(PlannedAct(order[key], act, day,
                                              {"member_id": member.id}, letter, column.header))
            else:
                planned.append(PlannedAct(order[key], act, day, _nth(values, i, len(days)),
                                          letter, column.header))
    return planned


def _nth(values: Mapping[str, Any], i: int, count: int) -> dict[str, Any]:
    """The values of the i-th of `count` records of one cell of dates: a text holding as many
    parts (separated by ；or a new line) as there are dates gives each date its own."""
    if count == 1:
        return dict(values)
    chosen = {}
    for name, value in values.items():
        parts = PER_DATE.split(value) if isinstance(value, str) else []
        chosen[name] = parts[i].strip() if len(parts) == count else value
    return chosen


def _param_value(column: Column, value: Any, directory: Directory, branch_id: int) -> Any:
    param = column.param
    if column.kind == "int":
        return parse_int(value, param)
    if column.kind == "bool":
        return parse_bool(value)
    if column.kind == "choice":
        return parse_choice(value, param)
    if column.kind == "member":
        return directory.member(str(value).strip(), branch_id).id
    return parse_text(value)


# The replay


def _valid_in(act: Act, procedure: Procedure, state: str) -> bool:
    if act.kind == "record":
        return state in act.states
    return procedure.transition(act.name, state) is not None


def _in_date_order(planned: list[PlannedAct], procedure: Procedure,
                   initial: str) -> Iterator[PlannedAct]:
    """The acts by date; on one day, each time the first (in the sheet's order) that the state
    reached allows, so that a talk and the designation of the same day come in that order."""
    pending = sorted(planned, key=lambda p: (p.on, p.order))
    state = initial
    while pending:
        day = pending[0].on
        same_day = [p for p in pending if p.on == day]
        chosen = next((p for p in same_day if _valid_in(p.act, procedure, state)), same_day[0])
        pending.remove(chosen)
        if chosen.act.kind == "transition":
            transition = procedure.transition(chosen.act.name, state)
            state = transition.dest if transition else state
        yield chosen


def replay(row: int, profile: dict[str, Any], planned: list[PlannedAct], *,
           env: Environment, directory: Directory, today: date) -> Replayed | Problem:
    """Replay a row's history through the engine: back-dated acts in date order, an act whose
    guards fail recorded all the same (noted as a break of its rules). Returns the first act
    that cannot be taken at all, as a problem."""
    procedure = env.procedure
    applied = profile["applied_on"]
    dossier = Dossier(id=None, branch_id=profile["branch_id"], state=procedure.initial,
                      version=1, birth_date=profile["birth_date"], applied_on=applied,
                      last_effective_on=applied)
    creation_engine = env.engine_on(applied)
    breaks: list[Problem] = []
    try:
        creation_engine.check_creation(creation_engine.facts(dossier, applied, env.calendar))
    except GuardFailed as failed:
        breaks.extend(Problem(row, "", "申请入党时间", f.message_zh, f.rule)
                      for f in failed.failures)
    entries = [dict(kind="create", action="create", from_state=None,
                    to_state=dossier.state, effective_date=applied, payload=profile,
                    rulebook_id=creation_engine.rulebook.id,
                    revision=procedure.revision)]
    membership = None
    members: dict[int, Member] = {}
    for p in _in_date_order(planned, procedure, procedure.initial):
        where = (row, p.column, p.header)
        if p.on < applied:
            return Problem(*where, f"日期（{p.on}）早于申请入党时间（{applied}）")
        if p.on > today:
            return Problem(*where, f"日期（{p.on}）晚于今天（{today}）")
        state = procedure.state(dossier.state)
        if not _valid_in(p.act, procedure, dossier.state):
            return Problem(*where, f"日期顺序有误：{p.on}档案处于“{state.label_zh}”阶段，"
                                   f"不能{'记录' if p.act.kind == 'record' else ''}"
                                   f"“{p.act.label}”，请核对各环节的日期")
        values = _apply_defaults(p.act.params, p.values)
        before = dossier.state
        if p.act.kind == "record":
            kind: RecordType = p.act.declaration
            record = Record(0, kind.name, p.on, values)
            if kind.validate is not None and (errors := kind.validate(dossier, record)):
                return Problem(*where, "；".join(errors.values()))
            if "member_id" in values:
                member = directory.member_by_id[values["member_id"]]
                members[member.id] = member
                dossier.members = dict(members)
            dossier.records.append(record)
            rulebook_id = env.rulebook_on(p.on).id
        else:
            engine = env.engine_on(p.on)
            transition: TransitionDef = engine.transition_for(dossier, p.act.name)
            facts = engine.facts(dossier, p.on, env.calendar, values)
            failures = engine.explain(transition, facts)
            if failures:
                breaks.extend(Problem(*where, f.message_zh, f.rule) for f in failures)
                _record_despite(dossier, transition, facts)
            else:
                engine.fire(dossier, p.act.name, facts)
            dossier.last_effective_on = p.on
            membership = _membership(procedure, before, dossier.state) or membership
            rulebook_id = engine.rulebook.id
        dossier.version += 1
        entries.append(dict(kind=p.act.kind, action=p.act.name, from_state=before,
                            to_state=dossier.state, effective_date=p.on, payload=values,
                            rulebook_id=rulebook_id, revision=procedure.revision))
    return Replayed(row, profile, dossier, entries, membership, breaks)


def _record_despite(dossier: Dossier, transition: TransitionDef, facts: Any) -> None:
    """What the machine does on a passing trigger, done for one whose guards fail: the new
    state, then the transition's effect. Only an imported history comes here."""
    if transition.effect is not None:
        transition.effect(dossier, facts)
    dossier.state = transition.route(facts) if transition.route else transition.dest


# Files


def sheet_rows(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    """The rows of an xlsx (first sheet, streamed) or CSV file (UTF-8 or GB18030), numbered
    from 1, empty rows left out."""
    if data[:4] == b"PK\x03\x04":
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
                if not all(_empty(v) for v in values):
                    yield number, list(values)
        finally:
            book.close()
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030", errors="replace")
    for number, values in enumerate(csv.reader(io.StringIO(text)), 1):
        if not all(_empty(v) for v in values):
            yield number, values


def _layout(header: list[Any], known: Mapping[str, Column],
            report: Report) -> list[tuple[int, Column]]:
    layout = []
    for index, title in enumerate(header):
        if _empty(title):
            continue
        column = known.get(str(title).strip())
        if column is None:
            report.problems.append(Problem(1, get_column_letter(index + 1), str(title),
                                           "未知的列：请使用导入模板的列名"))
            continue
        layout.append((index, column))
    for column in PROFILE:
        if column.required and column not in {c for _, c in layout}:
            report.problems.append(Problem(1, "", column.header, "缺少此列"))
    return layout


def _readable(rows: Iterator[tuple[int, list[Any]]],
              report: Report) -> Iterator[tuple[int, list[Any]]]:
    """The rows, until the file turns out not to be a sheet at all (a damaged xlsx, a binary
    file sent as CSV): then a problem, not a crash."""
    number = 0
    try:
        for number, values in rows:
            yield number, values
    except (zipfile.BadZipFile, InvalidFileException, csv.Error, KeyError, ValueError,
            TypeError, OSError) as error:
        report.problems.append(Problem(number + 1, "", "",
                                       f"无法读取文件：请上传导入模板的xlsx文件或CSV文件（{error}）"))


def _read(data: bytes, *, env: Environment, directory: Directory, report: Report,
          today: date) -> Iterator[Replayed]:
    all_columns = columns(env.procedure)
    known = {c.header: c for c in all_columns}
    order = {c.key.rsplit(".", 1)[0]: i for i, c in enumerate(all_columns)}
    rows = _readable(sheet_rows(data), report)
    first = next(rows, None)
    if first is None:
        if not report.problems:
            report.problems.append(Problem(1, "", "", "文件中没有内容"))
        return
    layout = _layout(first[1], known, report)
    if report.problems:
        return
    for number, values in rows:
        report.rows += 1
        row = _Row(number, dict(enumerate(values)), layout, report)
        profile = _read_profile(row, directory, today)
        if profile is None:
            continue
        planned = _read_acts(row, profile, directory, order)
        if row.failed:
            continue
        result = replay(number, profile, planned, env=env, directory=directory, today=today)
        if isinstance(result, Problem):
            report.problems.append(result)
            continue
        report.breaks.extend(result.breaks)
        directory.remember(profile, number)
        yield result


def _summary(replayed: Replayed, env: Environment, dossier_id: int | None) -> dict[str, Any]:
    d = replayed.dossier
    return {"row": replayed.row, "dossier_id": dossier_id, "name": replayed.profile["name"],
            "state": d.state, "state_label": env.procedure.state(d.state).label_zh,
            "acts": len(replayed.entries) - 1,
            "breaks": [b.rule for b in replayed.breaks]}


# Rows replayed are written a batch at a time: memory stays bounded, statements few.
BATCH = 500


def import_dossiers(*, uow: UnitOfWork, env: Environment, actor: Actor, data: bytes,
                    dry_run: bool) -> Report:
    """Read, check and (unless `dry_run`) import a sheet of dossiers, all or nothing."""
    require_importer(actor)
    sha = hashlib.sha256(data).hexdigest()
    report = Report(sha, dry_run)
    today = env.today()
    with uow.transaction(write=not dry_run) as tx:
        directory = Directory.load(tx.repo, actor.organization_path)
        now = env.now()
        batch: list[Replayed] = []
        for replayed in _read(data, env=env, directory=directory, report=report, today=today):
            if dry_run or not report.ok:
                report.created.append(_summary(replayed, env, None))
                continue
            batch.append(replayed)
            if len(batch) == BATCH:
                _write(tx.repo.connection, batch, env=env, actor=actor, sha=sha, now=now,
                       report=report)
                batch = []
        if not dry_run and report.ok:
            _write(tx.repo.connection, batch, env=env, actor=actor, sha=sha, now=now,
                   report=report)
            tx.commit()
        else:
            report.created.extend(_summary(r, env, None) for r in batch)
    if not report.ok:
        for item in report.created:
            item["dossier_id"] = None
    return report


def _write(connection: Any, batch: list[Replayed], *, env: Environment, actor: Actor,
           sha: str, now: datetime, report: Report) -> None:
    """Write a batch of replayed rows: the dossiers, their chained entries, their members."""
    if not batch:
        return
    ids = queries.insert_dossiers(connection, [
        {**{k: r.profile.get(k) for k in PROFILE_FIELDS},
         **{k: getattr(r.dossier, k) for k in FACT_FIELDS},
         "branch_id": r.dossier.branch_id, "created_at": now, "updated_at": now,
         "next_due": earliest_due(r.dossier, env.procedure, env.rulebooks)}
        for r in batch])
    entries, registry = [], []
    for dossier_id, r in zip(ids, batch, strict=True):
        r.dossier.id = dossier_id
        marker = {"file_sha256": sha, "row": r.row}
        prev_hash = GENESIS
        for seq, entry in enumerate(r.entries, 1):
            sealed_entry = sealed(entry_for(
                dossier_id=dossier_id, seq=seq, actor=actor, recorded_at=now,
                request_id=f"import:{sha[:16]}:{r.row}",
                **{**entry, "payload": {**entry["payload"], "imported": marker}}), prev_hash)
            prev_hash = sealed_entry.hash
            entries.append(sealed_entry)
        if r.membership:
            d = r.dossier
            registry.append({"name": r.profile["name"], "branch_id": d.branch_id,
                             "status": r.membership, "joined_on": d.voted_on,
                             "full_on": d.membership_on, "dossier_id": dossier_id,
                             "created_at": now})
        report.created.append(_summary(r, env, dossier_id))
    queries.insert_entries(connection, entries)
    queries.insert_members(connection, registry)


