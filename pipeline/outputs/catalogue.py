"""`catalogue.sqlite`: one database across batches, to query tasks by agency, role and date.

Tables: documents, pages, tasks, task_agencies (role chủ trì / phối hợp / thực hiện), agencies
(canonical name and every spelling seen), repairs; each task and agency link keeps the page,
box and confidence it was read from. A document is replaced whole, in one transaction, keyed
by its output folder name (`documents.name`), whenever it is written, so a batch that is
interrupted and resumed leaves the catalogue consistent, and a document whose content is
already catalogued (same hash of its document.json content) is left alone. SQLite (standard library) rather than DuckDB: the writes are
small per-document upserts, which SQLite does in milliseconds with no extra dependency; the
queries are indexed lookups (agency, due date), not scans.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from typing import Any

from ..types import Document, Evidence
from .records import ROLES, agency_links, as_date, task_records

CATALOGUE = "catalogue.sqlite"
FIELDS = {role: field for field, role in ROLES.items()}  # 'chủ trì' → 'chu_tri'

SCHEMA_VERSION = 3

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,             -- from a hash of the name, like every key here
    name TEXT NOT NULL UNIQUE,          -- output folder name (<stem>)
    sha256 TEXT NOT NULL,               -- of the input file
    content_hash TEXT NOT NULL,         -- of document.json's content: unchanged means current
    source_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    page_count INTEGER,
    agency TEXT,
    number_symbol TEXT,
    doc_type TEXT,
    place TEXT,
    date TEXT,                          -- ISO date of issue
    title TEXT,
    signer_name TEXT,
    signer_title TEXT,
    header_json TEXT,                   -- the whole header, evidence included
    needs_review INTEGER,               -- a header field under the review cut
    review_reasons_json TEXT,           -- `field: why` for each header field to check
    warnings_json TEXT,
    generator TEXT,
    schema_version TEXT
);
CREATE TABLE IF NOT EXISTS pages (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    source TEXT NOT NULL,               -- ocr, text_layer, text
    width INTEGER, height INTEGER, dpi INTEGER,
    mean_conf REAL, low_conf_share REAL, needs_review INTEGER,
    text TEXT,
    PRIMARY KEY (document_id, number)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,               -- order in the document
    ref TEXT, title TEXT, content TEXT,
    thoi_gian TEXT,                     -- as printed
    start_date TEXT, end_date TEXT, deadline TEXT, recurrence TEXT,
    due TEXT,                           -- deadline, else end date: what "due before" means
    section TEXT,                       -- enclosing headings joined with ' > '
    source TEXT,                        -- prose or table
    confidence REAL,                    -- the lowest of its fields' calibrated confidences
    needs_review INTEGER,               -- a field under the review cut
    review_reasons_json TEXT,           -- `field: why` for each field to check
    page INTEGER, box_x0 INTEGER, box_y0 INTEGER, box_x1 INTEGER, box_y1 INTEGER, conf REAL,
    row_json TEXT NOT NULL,             -- the tasks.json row, every field
    evidence_json TEXT
);
CREATE TABLE IF NOT EXISTS agencies (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,          -- canonical
    spellings_json TEXT NOT NULL DEFAULT '[]'   -- every spelling seen, sorted
);
CREATE TABLE IF NOT EXISTS task_agencies (
    task_id INTEGER NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    agency_id INTEGER NOT NULL REFERENCES agencies(id),
    role TEXT NOT NULL CHECK (role IN ('chủ trì', 'phối hợp', 'thực hiện')),
    position INTEGER NOT NULL,
    printed TEXT NOT NULL,              -- as printed in this task
    confidence REAL,                    -- calibrated P(this entry is right), when fitted
    needs_review INTEGER,               -- this entry is among the task's review reasons
    page INTEGER, box_x0 INTEGER, box_y0 INTEGER, box_x1 INTEGER, box_y1 INTEGER, conf REAL,
    PRIMARY KEY (task_id, role, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS repairs (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER, line INTEGER, start INTEGER, "end" INTEGER,
    original TEXT, replacement TEXT, confidence REAL, mode TEXT,
    PRIMARY KEY (document_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (         -- 'dirty': written since the last compaction
    key TEXT PRIMARY KEY, value TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS task_agencies_by_agency ON task_agencies (agency_id, role);
CREATE INDEX IF NOT EXISTS tasks_by_due ON tasks (due);
CREATE INDEX IF NOT EXISTS tasks_by_document ON tasks (document_id);
CREATE INDEX IF NOT EXISTS documents_by_sha ON documents (sha256);
CREATE INDEX IF NOT EXISTS tasks_to_review ON tasks (needs_review);
"""


TABLES = ("task_agencies", "repairs", "pages", "tasks", "agencies", "documents", "state")


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30)
    con.execute("PRAGMA foreign_keys = ON")
    if con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
        return con  # nothing written on opening: an unchanged catalogue keeps its bytes
    # new, or an older layout: the catalogue is derived data, `vndoc export DIR --to sqlite`
    # refills it from the document.json files
    for table in TABLES:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    con.executescript(SCHEMA)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return con


def upsert_document(con: sqlite3.Connection, doc: Document, name: str) -> bool:
    """Replace `name`'s rows with `doc`'s, in one transaction; False when already current."""
    content = content_hash(doc)
    row = con.execute("SELECT content_hash FROM documents WHERE name = ?", (name,)).fetchone()
    if row == (content,):
        return False
    with con:  # one transaction: a crash leaves the old rows or the new, never half
        con.execute("DELETE FROM documents WHERE name = ?", (name,))
        doc_id = _insert_document(con, doc, name, content)
        _insert_pages(con, doc, doc_id)
        _insert_tasks(con, doc, name, doc_id)
        con.execute("INSERT OR REPLACE INTO state VALUES ('dirty', '1')")
        con.executemany(
            'INSERT INTO repairs (document_id, seq, page, line, start, "end", original,'
            " replacement, confidence, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (doc_id, i, *(r.get(k) for k in ("page", "line", "start", "end")))
                + tuple(r.get(k) for k in ("original", "replacement", "confidence", "mode"))
                for i, r in enumerate(doc.repairs)
            ],
        )
    return True


DOC_KEY_BITS = 44  # documents.id; a task's id is (document id << TASK_BITS) + its order
TASK_BITS = 19


def key_of(text: str, bits: int) -> int:
    """A stable integer key from a name: the catalogue's bytes do not depend on the order
    documents finish in (pool or Dask, first run or resumed)."""
    return int(hashlib.sha256(text.encode()).hexdigest(), 16) >> (256 - bits)


def content_hash(doc: Document) -> str:
    return hashlib.sha256(doc.model_dump_json().encode()).hexdigest()


def _insert_document(con: sqlite3.Connection, doc: Document, name: str, content: str) -> int:
    h = doc.header
    doc_id = key_of(name, DOC_KEY_BITS)
    con.execute(
        "INSERT INTO documents (id, name, sha256, content_hash, source_path, kind, page_count,"
        " agency, number_symbol, doc_type, place, date, title, signer_name, signer_title,"
        " header_json, needs_review, review_reasons_json, warnings_json, generator,"
        " schema_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            doc_id,
            name,
            doc.source.sha256,
            content,
            doc.source.path,
            doc.source.kind,
            doc.source.page_count,
            h.agency,
            h.number_symbol,
            h.doc_type,
            h.place,
            _iso(h.date),
            h.title,
            h.signer.name,
            h.signer.title,
            h.model_dump_json(),
            int(h.needs_review),
            json.dumps(h.review_reasons, ensure_ascii=False),
            json.dumps(doc.warnings, ensure_ascii=False),
            doc.generator,
            doc.schema_version,
        ),
    )
    return doc_id


def _insert_pages(con: sqlite3.Connection, doc: Document, doc_id: int) -> None:
    con.executemany(
        "INSERT INTO pages VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                doc_id,
                p.number,
                p.source,
                p.width,
                p.height,
                p.dpi,
                p.quality.mean_conf,
                p.quality.low_conf_share,
                int(p.quality.needs_review),
                p.text,
            )
            for p in doc.pages
        ],
    )


def _evidence_for(doc: Document, evidence: list[Evidence], printed: str) -> list[Evidence]:
    """The evidence line that prints `printed` (an agency of the task), else all of it."""
    for e in evidence:
        if e.line is None or not 1 <= e.page <= len(doc.pages):
            continue
        lines = doc.pages[e.page - 1].lines
        if 0 <= e.line < len(lines) and printed in lines[e.line].text:
            return [e]
    return evidence


def _where(evidence: list[Evidence]) -> tuple[Any, ...]:
    e = evidence[0] if evidence else None
    b = e.box if e else None
    return (
        e.page if e else None,
        *((b.x0, b.y0, b.x1, b.y1) if b else (None,) * 4),
        e.conf if e else None,
    )


def _insert_tasks(con: sqlite3.Connection, doc: Document, name: str, doc_id: int) -> None:
    links = agency_links(doc)
    for seq, (task, row) in enumerate(zip(doc.tasks, task_records(doc, name), strict=True)):
        tg = task.thoi_gian
        start, end, deadline = (
            (_iso(tg.start), _iso(tg.end), _iso(tg.deadline)) if tg else (None,) * 3
        )
        where = _where(task.evidence)
        task_id = (doc_id << TASK_BITS) + seq
        con.execute(
            "INSERT INTO tasks (id, document_id, seq, ref, title, content, thoi_gian, start_date,"
            " end_date, deadline, recurrence, due, section, source, confidence, needs_review,"
            " review_reasons_json, page, box_x0, box_y0, box_x1, box_y1, conf, row_json,"
            " evidence_json)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                task_id,
                doc_id,
                seq,
                task.ref,
                task.title,
                task.content,
                tg.text if tg else None,
                start,
                end,
                deadline,
                tg.recurrence if tg else None,
                deadline or end,
                " > ".join(task.section),
                task.source,
                task.confidence,
                int(task.needs_review),
                json.dumps(task.review_reasons, ensure_ascii=False),
                *where,
                json.dumps(row, ensure_ascii=False, default=str),
                json.dumps([e.model_dump(mode="json") for e in task.evidence], ensure_ascii=False),
            ),
        )
        for link in (lk for lk in links if lk["task"] == seq):
            agency_id = _agency(con, link["agency"], link["printed"])
            field = f"{FIELDS[link['role']]}[{link['position']}]"
            con.execute(
                "INSERT OR IGNORE INTO task_agencies"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    task_id,
                    agency_id,
                    link["role"],
                    link["position"],
                    link["printed"],
                    task.field_confidence.get(field),
                    int(any(r.startswith(f"{field}:") for r in task.review_reasons)),
                    *_where(_evidence_for(doc, task.evidence, link["printed"])),
                ),
            )


def _agency(con: sqlite3.Connection, name: str, spelling: str) -> int:
    row = con.execute("SELECT id, spellings_json FROM agencies WHERE name = ?", (name,)).fetchone()
    if row is None:
        agency_id = key_of(name, 60)
        con.execute(
            "INSERT INTO agencies (id, name, spellings_json) VALUES (?, ?, ?)",
            (agency_id, name, json.dumps([spelling], ensure_ascii=False)),
        )
        return agency_id
    spellings = set(json.loads(row[1]))
    if spelling not in spellings:
        spellings.add(spelling)
        con.execute(
            "UPDATE agencies SET spellings_json = ? WHERE id = ?",
            (json.dumps(sorted(spellings), ensure_ascii=False), row[0]),
        )
    return int(row[0])


def _iso(value: str | None) -> str | None:
    d = as_date(value)
    return d.isoformat() if d else None


def update_catalogue(
    out_dir: Path, docs: Iterable[tuple[str, Document]], *, compact: bool = False
) -> int:
    """Upsert each document into `out_dir/catalogue.sqlite`; returns how many changed.
    `compact` (at the end of a batch) rewrites the file in key order (VACUUM), so the same
    documents give the same bytes whatever order they were written in."""
    with closing(connect(out_dir / CATALOGUE)) as con:
        changed = sum(upsert_document(con, doc, name) for name, doc in docs)
        dirty = con.execute("SELECT value FROM state WHERE key = 'dirty'").fetchone()
        if compact and dirty == ("1",):
            with con:
                con.execute("UPDATE state SET value = '0' WHERE key = 'dirty'")
            con.execute("VACUUM")
        return changed
