"""The audit log as files for spreadsheets and scripts: CSV, XLSX and JSON Lines.

Each writer consumes an iterator of entries and produces bytes chunk by chunk, so an export of
any size holds one batch of entries at a time. CSV starts with a UTF-8 byte order mark, which
Excel needs to read Chinese text as UTF-8. XLSX is a zip that can only be finished at the end:
openpyxl's write-only mode spills rows to a temporary file, which is then streamed.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from workflow.domain.audit import AuditEntry

COLUMNS = ("id", "dossier_id", "seq", "kind", "action", "from_state", "to_state",
           "effective_date", "recorded_at", "actor_id", "actor_name", "actor_role",
           "request_id", "rulebook_id", "payload", "prev_hash", "hash")
FORMATS = ("csv", "xlsx", "jsonl")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/x-ndjson",
}
ROWS_PER_CHUNK = 1000
# Excel's limit per sheet is 1,048,576 rows, the header included; more rows go on new sheets.
XLSX_ROWS_PER_SHEET = 1_048_575
CHUNK_BYTES = 1 << 16


def _payload(entry: AuditEntry) -> str:
    return json.dumps(entry.payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def as_record(entry: AuditEntry) -> dict[str, Any]:
    """An entry as JSON-ready values, in the export's column order."""
    return {
        "id": entry.id, "dossier_id": entry.dossier_id, "seq": entry.seq, "kind": entry.kind,
        "action": entry.action, "from_state": entry.from_state, "to_state": entry.to_state,
        "effective_date": entry.effective_date.isoformat(),
        "recorded_at": entry.recorded_at.isoformat(), "actor_id": entry.actor_id,
        "actor_name": entry.actor_name, "actor_role": entry.actor_role,
        "request_id": entry.request_id, "rulebook_id": entry.rulebook_id,
        "payload": dict(entry.payload), "prev_hash": entry.prev_hash, "hash": entry.hash,
    }


def _row(entry: AuditEntry) -> list[Any]:
    record = as_record(entry)
    record["payload"] = _payload(entry)
    return [record[c] for c in COLUMNS]


def csv_chunks(entries: Iterable[AuditEntry]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for n, entry in enumerate(entries, 1):
        writer.writerow(_row(entry))
        if n % ROWS_PER_CHUNK == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def jsonl_chunks(entries: Iterable[AuditEntry]) -> Iterator[bytes]:
    lines: list[str] = []
    for entry in entries:
        lines.append(json.dumps(as_record(entry), ensure_ascii=False))
        if len(lines) == ROWS_PER_CHUNK:
            yield ("\n".join(lines) + "\n").encode()
            lines.clear()
    if lines:
        yield ("\n".join(lines) + "\n").encode()


def xlsx_chunks(entries: Iterable[AuditEntry]) -> Iterator[bytes]:
    workbook = Workbook(write_only=True)
    sheet = None
    rows = XLSX_ROWS_PER_SHEET

    def text(value: Any) -> Any:
        # A string is always a string: openpyxl would take "=…" for a formula.
        if not isinstance(value, str):
            return value
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    for entry in entries:
        if rows == XLSX_ROWS_PER_SHEET:
            sheet = workbook.create_sheet(f"audit {len(workbook.worksheets) + 1}")
            sheet.append(list(COLUMNS))
            rows = 0
        sheet.append([text(v) for v in _row(entry)])
        rows += 1
    if sheet is None:
        workbook.create_sheet("audit 1").append(list(COLUMNS))
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


WRITERS: dict[str, Callable[[Iterable[AuditEntry]], Iterator[bytes]]] = {
    "csv": csv_chunks, "xlsx": xlsx_chunks, "jsonl": jsonl_chunks,
}
