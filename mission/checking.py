"""The one public seam of validation: `check_files` reads, parses and checks returns, and gives
back a frozen `CheckedReturn` per file — its report and its parsed rows.

Every use of validation (`validate`, `read_return`, `load_returns`, `Store.submit`,
`check_repository`) is a thin use of this function. Per file: read (`mission.readers`), match the
header to a kind, parse every cell (`mission.parsing`), apply the kind's rules. Then, across the
files of the run, the kind's cross rules, which return their findings as values.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from mission.columns import HEADER_SYNONYMS, ROW, Column, normalise_header
from mission.covers import covers
from mission.findings import Finding, FindingSink, finding
from mission.id_columns import headed_ids, ids_of, one_frame
from mission.kinds import Kind, KindSpec, UnknownKind, kinds
from mission.limits import Limits
from mission.parsing import CellContext, as_text, parse_columns
from mission.person_ids import People, ids_held, withhold_person_ids
from mission.readers import NamedBytes, Table, read_table
from mission.readers.header import HEADER_SEARCH_ROWS
from mission.report import FileReport
from mission.rules import Parsed, Rule
from mission.rules.ost import MEDICATIONS
from mission.rules.side_by_side import run_rules
from mission.text import with_article, worded
from mission.walk import Refused, collect_files, given_paths

if TYPE_CHECKING:
    import polars as pl

__all__ = ["CheckedReturn", "check_files"]

Input = Path | str | NamedBytes


@dataclass(frozen=True)
class CheckedReturn:
    """One file after validation: its report, and its parsed rows when it could be parsed.

    `frame` has the contract's columns of `kind` (ADP codes, canonical periods, real dates) and
    `__row`, the row each came from; it is None when the file could not be read or its kind is
    unknown. A file with errors still has its frame: only `report.valid` says it may be used.
    """

    report: FileReport
    kind: Kind | None = None
    coded: pl.DataFrame | None = field(default=None, repr=False)
    """The rows as the checks read them: ADP codes, periods and choices as categoricals."""
    source: Path | NamedBytes | None = field(default=None, repr=False)
    """What was read: the path as given (the report shows it escaped), or the bytes."""
    people: pl.DataFrame | None = field(default=None, repr=False)
    """The person ids the file holds (valid or not, its kind known or not): never printed,
    and withheld wherever a publication or another file would quote one."""

    @cached_property
    def frame(self) -> pl.DataFrame | None:
        """The rows with codes as text, made when first asked for: a run that only reports
        never holds a second copy of a large file."""
        return None if self.coded is None else as_text(self.coded)

    @property
    def file(self) -> str:
        return self.report.path

    @property
    def valid(self) -> bool:
        return self.report.valid

    def rows(self) -> pl.DataFrame | None:
        """The parsed rows without the row numbers."""
        return None if self.frame is None else self.frame.drop(ROW)


@dataclass
class _Checked:
    """A file during the run, before its report is frozen."""

    table: Table
    sink: FindingSink
    kind: Kind | None = None
    frame: pl.DataFrame | None = None
    letters: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    headed_ids: pl.DataFrame | None = None
    """The cells of the columns headed as person ids that the checks did not read as the
    contract's (`id_columns.headed_ids`), as read."""
    covers: str | None = None
    """What the rows are of, in words (`mission.covers`)."""

    @property
    def spec(self) -> KindSpec | None:
        return self.kind.spec if self.kind else None


def check_files(
    paths: Iterable[Input] | Input,
    kind: Kind | str | None = None,
    *,
    strict: bool = False,
    limits: Limits | None = None,
    today: dt.date | None = None,
    on_file: Callable[[str], None] | None = None,
    earlier: Mapping[Kind, pl.DataFrame] | None = None,
    exclude: Sequence[str] = (),
    people_elsewhere: Callable[[], People] | None = None,
) -> tuple[CheckedReturn, ...]:
    """Read and check returns: files, folders (searched) and in-memory `NamedBytes`.

    Args:
        paths: what to check.
        kind: the kind of every file; by default each file's kind is read from its header.
        strict: warnings make a file invalid too.
        limits: resource limits per file.
        today: the date "future" is judged against (for reproducible runs).
        on_file: called with each file's name before it is read (for progress bars).
        earlier: rows already accepted elsewhere (the store), per kind, for cross-file rules
            such as the change on the previous quarter.
        exclude: glob patterns of files to leave out (matched below each folder, or by name).
        people_elsewhere: the person ids of returns accepted elsewhere (the store), as (rows,
            private columns); asked for only when a finding quotes a cell, which is then
            withheld if it is one of them too.

    Raises:
        InvalidPath: a path does not exist or a folder holds no returns.
        UnknownKind: `kind` is not a kind of return.
    """
    wanted = Kind.parse(kind) if kind is not None else None
    files, refused = collect_files(given_paths(paths), exclude)
    limits = limits or Limits()
    if not isinstance(limits, Limits):  # mypy says so; a caller without it met an AttributeError
        raise TypeError(f"limits must be a mission.Limits, not {type(limits).__name__}")
    today = today or dt.date.today()
    checked = []
    for item in files:
        if on_file is not None:
            on_file(item.name if isinstance(item, NamedBytes) else str(item))
        checked.append(_check_one(item, wanted, limits, today))
    for index, found in _across(checked, earlier or {}).items():
        checked[index].sink.extend(found)
    held = _withheld(checked, people_elsewhere)
    results = [
        CheckedReturn(
            FileReport.build(
                c.table.file,
                c.kind.value if c.kind else None,
                c.table.format,
                c.rows,
                list(c.sink.findings()),
                strict,
                c.table.line_breaks,
                covers=c.covers,
            ),
            c.kind,
            c.frame,
            item,
            ids,
        )
        for c, item, ids in zip(checked, files, held, strict=True)
    ]
    results += [_refused(r, strict) for r in refused]
    return tuple(results)


def _withheld(
    checked: Sequence[_Checked], elsewhere: Callable[[], People] | None
) -> list[pl.DataFrame | None]:
    """Withhold every quoted cell that is a person id of a file of the run (or `elsewhere`):
    each file's ids (`id_columns.ids_of`), as its `CheckedReturn.people` keeps them."""
    held = [ids_of(c.spec, c.frame, c.headed_ids) for c in checked]
    withhold_person_ids(
        [c.sink for c in checked], ids_held(f for fs in held for f in fs), elsewhere
    )
    return [one_frame(frames) for frames in held]


def _refused(refused: Refused, strict: bool) -> CheckedReturn:
    words = {
        "outside": (
            "outside-folder",
            "this link leads outside the checked folder; it was not read",
            "Commit the return itself, not a link to a file elsewhere.",
        ),
        "linked-folder": (
            "unexpected-path",
            "a linked folder inside the checked folder was not followed",
            "Put returns in real folders.",
        ),
        "package": (
            "could-not-read",
            "this is a spreadsheet saved as a folder (a Numbers package), not a file mission "
            "can read",
            "Export the return from Numbers as Excel (.xlsx) or CSV.",
        ),
        "broken-link": (
            "could-not-read",
            "this link leads to no file (its file is missing, or links loop); it was not read",
            "Commit the return itself, not a link to it.",
        ),
        "too-deep": (
            "unexpected-path",
            "this folder is nested too deeply; it was not searched",
            "Keep returns within a few folders of the top.",
        ),
        "annotated": (
            "annotated-copy",
            "this is a copy of a return marked up by `mission validate --annotate`, not a "
            "return: it was not read",
            "Make your fixes in the return itself; keep the copy outside the folder of returns, "
            "or leave it out with --exclude.",
        ),
        "publication": (
            "unexpected-path",
            "this folder holds a publication (published.json), not returns; it was not searched",
            "Write reports outside the folder of returns.",
        ),
    }
    code, message, hint = words[refused.reason]
    report = FileReport.build(
        str(refused.path),
        None,
        "link",
        0,
        [finding(code, message, str(refused.path), hint=hint)],
        strict,
    )
    return CheckedReturn(report)


# --- one file --------------------------------------------------------------------------------


def _check_one(item: Input, wanted: Kind | None, limits: Limits, today: dt.date) -> _Checked:
    table = read_table(item, wanted, limits)
    sink = FindingSink(table.file, limits.max_findings_per_code)
    declared = _declared_kind(table, wanted, sink)
    result = _Checked(table, sink, wanted or declared)
    findings = table.findings
    if table.frame is not None:
        result.rows = table.frame.height
        _parse(result, table, sink, limits, today)
        if wanted is not None and declared is None:
            sink.extend(_another_kinds_header(table, wanted, result.letters))
        elif wanted is None and declared is None:
            sink.extend(_named_for_another_kind(table, result.kind))
        result.headed_ids = headed_ids(table, result.letters, result.spec)
        # The cells as read are needed no more: a run holds one copy of each file, not two.
        result.table = replace(table, frame=None)
        del table
    sink.extend(_with_columns(findings, result.letters))
    sink.quiet("totals-row")
    sink.drop_beside("total-mismatch", "error-cell", MEDICATIONS)
    sink.drop_beside("adp-combined", "adp-council-area", ("adp",))
    # A stale formula's value in a column of no contract's is read by no check.
    sink.drop_where("formula-value-unsure", lambda f: f.column is None)
    return result


def _with_columns(findings: Sequence[Finding], letters: Mapping[str, str]) -> list[Finding]:
    """The reader's findings, each cell named by its contract column once the header is known."""
    names = {letter: name for name, letter in letters.items()}
    named = []
    for item in findings:
        letter = "".join(ch for ch in item.cell or "" if ch.isalpha())
        if item.column is None and letter in names:
            item = item.replace(column=names[letter])
        named.append(item)
    return named


def _declared_kind(table: Table, wanted: Kind | None, sink: FindingSink) -> Kind | None:
    if table.declared_kind is None:
        return None
    try:
        declared = Kind.parse(table.declared_kind)
    except UnknownKind as error:
        near = " or ".join(repr(k.value) for k in error.candidates)
        sink.add(
            finding(
                "unknown-kind",
                "the file declares a kind that is not a kind of return",
                table.file,
                value=table.declared_kind,
                hint=(f"Did you mean {near}? " if near else "")
                + "Use one of "
                + ", ".join(k.value for k in Kind)
                + ".",
            )
        )
        return None
    if wanted and declared is not wanted:
        sink.add(
            finding(
                "kind-mismatch",
                f"the file declares kind {declared.value!r} but --kind is {wanted.value!r}",
                table.file,
                value=declared.value,
                hint="Pass the right --kind, or correct the file's kind.",
            )
        )
    return declared


def _parse(
    result: _Checked, table: Table, sink: FindingSink, limits: Limits, today: dt.date
) -> None:
    assert table.frame is not None
    if result.kind is None:
        result.kind = infer_kind({normalise_header(h) for h in table.headers}, table.file)
        if result.kind is None:
            sink.add(_unknown_kind(table))
            return
    spec = result.kind.spec
    mapping = _map_headers(table, spec, sink)
    result.letters = {name: table.letter(int(source[1:])) for name, source in mapping.items()}
    ctx = CellContext(
        file=table.file,
        today=today,
        sink=sink,
        letters=result.letters,
        sheet=table.sheet,
        raw=table.frame,
        sources=mapping,
        record_level=spec.record_level,
    )
    parsed = parse_columns(table.frame, mapping, spec.columns, ctx, tidy=table.tidy_texts)
    # The parsed rows' findings are told beside the rules, and before theirs.
    steps: list[Rule] = [lambda _frame, _spec, told: parsed.tell(told)]
    if all(c.name in mapping for c in spec.columns if c.required):
        steps += spec.rules
    run_rules(steps, parsed.frame, spec, ctx)
    result.frame = parsed.frame
    result.covers = covers(spec, parsed.values)


def infer_kind(headers: set[str], file: str) -> Kind | None:
    """The kind a header names, with the file name as the tie-breaker; None if none is near."""
    scores = {s.kind: len(headers & set(s.required)) / len(s.required) for s in kinds()}
    best = max(scores.values())
    if best < 0.5:
        return None
    candidates = [k for k, v in scores.items() if v == best]
    if len(candidates) > 1:
        stem = Path(file).stem.lower()
        named = [k for k in candidates if k.value in stem]
        if len(named) == 1:
            return named[0]
        # Prefer the kind whose columns the header covers most completely.
        candidates.sort(key=lambda k: -len(headers & set(k.spec.names)))
    return candidates[0]


def _named_for_another_kind(table: Table, kind: Kind | None) -> list[Finding]:
    """A file whose name names one kind (`ost-highland.csv`) and whose header is another's: the
    wrong template filled in, or the wrong file attached, which would be read, and counted, as
    the kind its header says."""
    words = set(re.split(r"[^a-z0-9]+", Path(table.file).stem.lower()))
    named = [k for k in Kind if k.value in words]
    if kind is None or len(named) != 1 or named[0] is kind:
        return []
    return [
        finding(
            "name-kind-mismatch",
            f"the file is named for {with_article(named[0].value)} return, but its header is "
            f"{with_article(kind.value)} return's: it is read as {kind.value}",
            table.file,
            row=table.header_row,
            value=named[0].value,
            hint=f"Check it is the file you meant: send the {named[0].value} return under this "
            "name, or rename the file for what it holds.",
        )
    ]


def _another_kinds_header(table: Table, wanted: Kind, letters: Mapping[str, str]) -> list[Finding]:
    """A `--kind` whose columns the header lacks, when the header is another kind's: its
    missing columns are then not the officer's to add, but the wrong kind asked for."""
    if all(name in letters for name in wanted.spec.required):
        return []
    heard = infer_kind({normalise_header(h) for h in table.headers}, table.file)
    if heard is None or heard is wanted:
        return []
    return [
        finding(
            "kind-mismatch",
            f"the header is {with_article(heard.value)} return's, but --kind is {wanted.value}",
            table.file,
            row=table.header_row,
            value=heard.value,
            hint=f"Pass --kind {heard.value}, or leave --kind out: mission tells the kind from "
            "the header.",
        )
    ]


def _unknown_kind(table: Table) -> Finding:
    needs = "; ".join(f"{s.name} needs {', '.join(s.required)}" for s in kinds())
    return finding(
        "unknown-kind",
        f"the header matches no kind of return. {needs}",
        table.file,
        row=table.header_row,
        hint="Rename the columns as the contract does (see `mission template KIND`), "
        f"or pass --kind; the header must be within the first {HEADER_SEARCH_ROWS} rows.",
    )


_KNOWN_NAMES = tuple(sorted({c.name for s in kinds() for c in s.columns}))


def _shown_header(text: str) -> str | None:
    """A header cell is echoed only when it is (nearly) a contract column's name and made of
    words and short numbers: a file whose first row is data, or a header cell with a person's
    id typed beside a name (`substance P0012345`), must not have it quoted back."""
    name = normalise_header(text)
    if len(name) > 64 or not worded(text):
        return None
    if name in _KNOWN_NAMES or name in HEADER_SYNONYMS:
        return text
    if difflib.get_close_matches(name, _KNOWN_NAMES, n=1, cutoff=0.6):
        return text
    return text if _named_within(name, _KNOWN_NAMES) else None


class _Where(NamedTuple):
    row: int | None
    sheet: str | None
    cell: str | None


def _map_headers(table: Table, spec: KindSpec, sink: FindingSink) -> dict[str, str]:
    """Canonical column name -> source column (`c3`); header findings go to `sink`."""
    mapping: dict[str, str] = {}
    known = spec.names
    unknown: list[tuple[str, str, str | None, _Where]] = []
    for position, text in enumerate(table.headers):
        name = normalise_header(text)
        if not name:
            continue
        letter = table.letter(position)
        where = _Where(
            table.header_row,
            table.sheet,
            f"{letter}{table.header_row}" if table.header_row else None,
        )
        shown = _shown_header(text)
        said = repr(text) if shown is not None else f"the header in column {letter}"
        if name in mapping:
            sink.add(
                finding(
                    "duplicate-column",
                    f"{said} is the same column as an earlier header; only the first was read",
                    table.file,
                    column=name if shown is not None else None,
                    value=shown,
                    hint="Delete or rename one of the two columns.",
                    row=where.row,
                    sheet=where.sheet,
                    cell=where.cell,
                )
            )
        elif name in known:
            mapping[name] = f"c{position}"
        else:
            unknown.append((name, said, shown, where))
    free = [n for n in known if n not in mapping]  # a column already there is never suggested
    meant: dict[str, _Where] = {}  # a missing column -> the unknown header that may be it
    for name, said, shown, where in unknown:
        near = _near_column(name, free)
        sink.add(_unknown_column(table, spec, near, (name, said, shown), where))
        if near is not None:
            meant.setdefault(near, where)
    for column in spec.columns:
        if column.required and column.name not in mapping:
            sink.add(_missing_column(table, column, meant.get(column.name)))
    return mapping


def _missing_column(table: Table, column: Column, maybe: _Where | None) -> Finding:
    """A required column the header lacks; the unknown header that may be it, named by its cell
    (`Qtr` in B1 for `period`), is to be renamed rather than a column added."""
    about = f" ({column.description})" if column.description else ""
    if maybe is not None and maybe.cell:
        hint = (
            f"Rename the header in {maybe.cell} to {column.name}{about}, if that column holds it."
        )
    else:
        hint = f"Add a column headed {column.name}{about}."
    return finding(
        "missing-column",
        f"the required column {column.name!r} is not in the header",
        table.file,
        row=table.header_row,
        column=column.name,
        hint=hint,
    )


def _unknown_column(
    table: Table,
    spec: KindSpec,
    near: str | None,
    header: tuple[str, str, str | None],
    where: _Where,
) -> Finding:
    name, said, shown = header
    hint = f"Did you mean {near!r}?" if near else "Delete it if it is not needed."
    return finding(
        "unknown-column",
        f"{said} is not a column of the {spec.name} return; it was ignored",
        table.file,
        column=name if shown is not None else None,
        value=shown,
        hint=hint,
        row=where.row,
        sheet=where.sheet,
        cell=where.cell,
    )


def _near_column(name: str, free: list[str]) -> str | None:
    """The missing column a header most likely means: the one officers call by that name
    (`HEADER_SYNONYMS`: `Quarter` for `period`), one it is a word of (`year` for
    `calendar_year`), one it shortens word by word (`bup_oral`), a close spelling (`methadon`),
    or the one it holds whole (`total` in `client_total`); a loose likeness (`notes` and
    `other`) is no suggestion."""
    if HEADER_SYNONYMS.get(name) in free:
        return HEADER_SYNONYMS[name]
    words = [n for n in free if name in n.split("_")]
    if len(words) == 1:
        return words[0]
    short = _shortened(name, free)
    if len(short) == 1:
        return short[0]
    near = difflib.get_close_matches(name[:64], free, n=1, cutoff=0.75)
    if near:
        return near[0]
    within = _named_within(name, free)
    return within[0] if len(within) == 1 else None


def _shortened(header: str, names: Iterable[str]) -> list[str]:
    """The names a header shortens word by word (`bup_oral` for `buprenorphine_oral`, `meth`
    for `methadone`): each of its words is the start, of three letters or more, of the name's
    word in its place."""
    typed = header.split("_")
    return [
        name
        for name in names
        if len(parts := name.split("_")) == len(typed)
        and all(
            t == p or (len(t) >= 3 and p.startswith(t)) for t, p in zip(typed, parts, strict=True)
        )
    ]


def _named_within(header: str, names: Iterable[str]) -> list[str]:
    """The names a header holds as whole words (`total` in `Total (people)`, `referral_date` in
    `referral date dd/mm/yyyy`), longest first, less any a longer one holds."""
    padded = f"_{header}_"
    held = sorted((n for n in names if f"_{n}_" in padded), key=len, reverse=True)
    return [n for n in held if not any(n != m and f"_{n}_" in f"_{m}_" for m in held)]


# --- across files ----------------------------------------------------------------------------


def _across(
    checked: Sequence[_Checked], earlier: Mapping[Kind, pl.DataFrame]
) -> dict[int, list[Finding]]:
    """Every kind's cross rules over the files of that kind; findings by file index."""
    by_kind: dict[Kind, list[Parsed]] = {}
    for index, item in enumerate(checked):
        if item.frame is not None and item.kind is not None:
            by_kind.setdefault(item.kind, []).append(
                Parsed(
                    index, item.table.file, item.frame, item.letters, item.table.sheet, item.sink
                )
            )
    found: dict[int, list[Finding]] = {}
    for kind, parsed in by_kind.items():
        for rule in kind.spec.cross_rules:
            for index, said in rule(parsed, earlier.get(kind), kind.spec):
                found.setdefault(index, []).append(said)
    return found
