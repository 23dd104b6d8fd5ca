"""What every column check and rule needs: where findings go, and how to point at a cell."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, NamedTuple

from mission.columns import ROW, Column, ColumnType, normalise_choice
from mission.findings import FindingSink, Quoted, finding, meant
from mission.text import (
    MAX_VALUE_LENGTH,
    WITHHELD_WORDS,
    date_shaped,
    spoken_forms,
    without_quotes,
    worded,
)

if TYPE_CHECKING:
    import polars as pl

__all__ = ["MOST_JUDGED", "Also", "CellContext", "Words"]


_LONGEST_ID = 64
"""The contract's longest person id: a longer cell is never quoted in a return of people's
records, so no part of an id too long to be valid is shown either."""

Words = Callable[[str | None], str | None]
"""What a finding says about a value (its message or hint), from the value as shown."""


@dataclass
class CellContext:
    """The file being checked, its findings (capped per code) and where each column sits.

    `letters` maps a contract column to its Excel letters in the file (`total` -> `H`), so every
    finding names its cell; `raw` is the table as read, so a rule judged on parsed values can
    still show the value as the officer typed it (`typed`).
    """

    file: str
    today: dt.date
    sink: FindingSink
    letters: Mapping[str, str] = field(default_factory=dict)
    sheet: str | None = None
    raw: pl.DataFrame | None = None
    sources: Mapping[str, str] = field(default_factory=dict)
    record_level: bool = False
    """A return of people's records (episodes): a cell is quoted in a finding only when its
    shape is one a person id cannot have (see `may_show`)."""
    _judged: dict[tuple[str, str], bool] = field(default_factory=dict, init=False, repr=False)
    _fuzzy: int = field(default=0, init=False, repr=False)
    _held: list[_Emitted] | None = field(default=None, init=False, repr=False)
    """What `emit` was asked to tell, in a context made by `apart`: told later by `take`."""

    def emit(
        self,
        code: str,
        bad: pl.DataFrame,
        column: Column,
        message: Words | None = None,
        hint: Words | str | None = None,
        also: Sequence[Also] = (),
    ) -> None:
        """One finding per bad row, up to the cap per code; the rest are counted.

        `bad` has ROW and `value`, and may carry `message` and `hint` columns when the words
        depend on more than the value (a total and the sum it should equal), and, for each of
        `also`, another cell its `message` quotes. A cell that may not be shown is never
        quoted, whatever the words.
        """
        if self._held is not None:
            self._held.append(_Emitted(code, bad, column, message, hint, tuple(also)))
            return
        room = self.sink.room(code)
        self.sink.count_over(code, bad.height - room)
        if room == 0 or bad.height == 0:
            return
        import polars as pl

        words, asked = _carried(bad, also)
        # Only what a finding can show leaves polars: a 50 MB cell costs no Python copy.
        shown_part = pl.col("value").cast(pl.String).str.slice(0, MAX_VALUE_LENGTH + 1)
        letter = self.letters.get(column.name)
        rows = bad.head(room).select(ROW, shown_part.alias("value"), *words)
        said: dict[tuple[object, ...], tuple[str | None, str, str | None, tuple[Quoted, ...]]]
        said = {}
        for record in rows.iter_rows(named=True):
            key = tuple(record[name] for name in asked)
            known = said.get(key)
            if known is None:
                known = said[key] = self._worded(record, column, (message, hint), code, also)
            shown, text, fix, quotes = known
            row = record[ROW]
            self.sink.add(
                finding(
                    code,
                    text,
                    self.file,
                    row=row,
                    column=column.name,
                    value=shown,
                    hint=fix,
                    sheet=self.sheet if letter else None,
                    cell=f"{letter}{row}" if letter and row else None,
                    quotes=quotes,
                ),
            )

    def apart(self) -> CellContext:
        """A context for a rule run beside others (`mission.rules.side_by_side`): this file and
        its columns, whose findings wait. Its `emit` keeps what it is asked to tell, and `take`
        tells it here, in turn: which cells a finding may quote, and what is kept under each
        code's cap, are then decided as if the rule had run here alone."""
        own = replace(self)
        own._held = []
        return own

    def take(self, other: CellContext) -> None:
        """Tell what a context made by `apart` was asked to tell, in the order it was asked."""
        for held in other._held or ():
            self.emit(*held)

    def _worded(
        self,
        record: Mapping[str, Any],
        column: Column,
        words: tuple[Words | None, Words | str | None],
        code: str,
        also: Sequence[Also],
    ) -> tuple[str | None, str, str | None, tuple[Quoted, ...]]:
        """A finding's value as shown, message, hint and quotes, for one bad row."""
        value = record["value"]
        shown = str(value) if value is not None and self.may_show(column, value) else None
        text, fix = _words(record, value, shown, words, code)
        return (shown, *self._others(record, also, (text, fix), code))

    def _others(
        self,
        record: Mapping[str, Any],
        also: Sequence[Also],
        words: tuple[str, str | None],
        code: str,
    ) -> tuple[str, str | None, tuple[Quoted, ...]]:
        """The words without each other cell that may not be shown (said by where it is, `in
        C16`), and the others, to be withheld later if one is a person id."""
        text, fix = words
        quotes = []
        for other in also:
            cell = record.get(other.cell)
            if cell is None:
                continue
            letter = self.letters.get(other.column.name)
            at = record.get(other.row) if other.row else record[ROW]
            mention = other.mention.format(f"{letter}{at}" if letter and at else "this row")
            if self.may_show(other.column, cell):
                quotes.append(Quoted(str(cell), mention))
            else:
                said = spoken_forms(str(cell))
                text = without_quotes(said, text, mention) or code
                fix = without_quotes(said, fix, mention)
        return text, fix, tuple(quotes)

    def may_show(self, column: Column, value: object) -> bool:
        """Whether a finding may quote this cell. Never a private column's; in a return of
        people's records, only a date, ADP or choice cell made of words and short numbers
        (`31st May 2024`, `Perth & Kinross`, `gp surgery`) and no longer than an id may be,
        never one with a token that mixes letters and digits or a long number, as pseudonymised
        ids do. A cell that passes and is one of the run's person ids all the same (`4821`) is
        withheld once the run is checked (`mission.person_ids`)."""
        if column.private:
            return False
        if not self.record_level:
            return True
        if column.type not in (ColumnType.DATE, ColumnType.ADP, ColumnType.CHOICE):
            return False
        text = str(value)
        return len(text) <= _LONGEST_ID and worded(text) and self._recognised(column, text)

    def _recognised(self, column: Column, text: str) -> bool:
        """Whether the column's own vocabulary recognises the cell: a date's shape, a name an
        ADP goes by or one near it (a "did you mean"), an allowed choice or one near it. A
        person id looks like none of them (`QBZXKW`, `JOHN SMITH`, `(4821)`), so none is shown,
        however typed. Each distinct cell is judged once; past `MOST_JUDGED` fuzzy judgements
        (ADP names and choices, each a fuzzy match) a context's further such cells are not
        quoted; dates are always judged."""
        key = (column.name, text)
        known = self._judged.get(key)
        if known is None:
            fuzzy = column.type is not ColumnType.DATE  # a date's shape costs next to nothing
            if fuzzy and self._fuzzy >= MOST_JUDGED:
                return False
            self._fuzzy += fuzzy
            known = self._judged[key] = _recognised(column, text)
        return known

    def typed(self, rows: pl.DataFrame, name: str) -> pl.Series:
        """The cells of column `name` as typed (trimmed), for the rows of `rows` in order."""
        import polars as pl

        source = self.sources.get(name)
        if not rows.height:  # a rule with no bad rows asks too: no query for none
            return pl.Series("t", [], dtype=pl.String)
        if self.raw is None or source is None:
            return rows[name].cast(pl.String) if name in rows.columns else pl.Series([None] * 0)
        wanted = rows[ROW]
        # Only the rows asked for are cast to text: a rule's few bad rows, not the whole file.
        # The raw rows are in file order, so each is found by a binary search, not a pass over
        # the file; a row not among them (none should be) is looked up by a join instead.
        numbers = self.raw[ROW]
        at = numbers.search_sorted(wanted).clip(0, max(numbers.len() - 1, 0))
        if numbers.len() and numbers.gather(at).equals(wanted, check_names=False):
            return self.raw[source].gather(at).cast(pl.String).str.strip_chars().alias("t")
        typed = self.raw.filter(pl.col(ROW).is_in(wanted.implode())).select(
            ROW, pl.col(source).cast(pl.String).str.strip_chars().alias("t")
        )
        return wanted.to_frame().join(typed, on=ROW, how="left", maintain_order="left")["t"]


def _carried(bad: pl.DataFrame, also: Sequence[Also]) -> tuple[list[str], list[str]]:
    """The columns of `bad` a finding's words come from, and those its wording is keyed on.

    The words depend on the row's own cells alone (and on its number when another cell is
    mentioned by where it is): a value found in a thousand rows is worded once."""
    extra = [name for other in also for name in (other.cell, other.row) if name]
    words = [c for c in ("message", "hint", SAID_SAFELY, *extra) if c in bad.columns]
    return words, ["value", *words, *([ROW] if any(o.row is None for o in also) else [])]


class _Emitted(NamedTuple):
    """One call of `CellContext.emit`, kept by a context made by `apart`."""

    code: str
    bad: pl.DataFrame
    column: Column
    message: Words | None
    hint: Words | str | None
    also: Sequence[Also]


class Also(NamedTuple):
    """Another cell a finding's message quotes: the column of `bad` that holds it, the
    column of the return it is from, the column of `bad` that holds its row (the finding's row
    by default), and how to say where it is when it may not be quoted."""

    cell: str
    column: Column
    row: str | None = None
    mention: str = "in {}"


MOST_JUDGED = 200
"""Distinct cells of a file whose quoting is judged against the vocabulary (as many as get a
"did you mean"): a file with thousands of different bad names quotes none past these."""


def _recognised(column: Column, text: str) -> bool:
    if column.type is ColumnType.DATE:
        return date_shaped(text)
    if column.type is ColumnType.ADP:
        from mission.adps import InvalidAdp, match_adp

        try:
            match_adp(text)
        except InvalidAdp as error:
            return bool(error.candidates)
        return True
    from mission.parsing.values import near_choices

    typed = normalise_choice(text)
    known = typed in column.choices or typed in column.aliases
    return known or bool(near_choices(text, column.choices))


def _words(
    record: Mapping[str, object],
    value: object,
    shown: str | None,
    words: tuple[Words | None, Words | str | None],
    code: str,
) -> tuple[str, str | None]:
    """A finding's message and hint: the row's own words, else the rule's, never quoting a
    cell that may not be shown."""
    message, hint = words
    said = _WITHHELD if shown is None and value is not None else shown
    own, given = record.get("message"), record.get("hint")
    text = str(own) if own else ((message(said) if message else None) or code)
    fix = str(given) if given else None
    if shown is None and value is not None and not record.get(SAID_SAFELY):
        # The row's own words may quote the cell, as typed or as parsed: they lose it either
        # way. The rule's words were made from `said`, never the cell, so they keep every word
        # (`is not a date`, when the cell is `date`), as do words already said safely.
        forms = spoken_forms(str(value))
        text = (without_quotes(forms, text) or code) if own else text
        fix = without_quotes(forms, fix)
    return meant(text, code), fix or (hint(said) if callable(hint) else hint)


SAID_SAFELY = "said_safely"
"""A column of `bad` that, when true, says its words were made by a context that judged the
cell already (a column's distinct values, told row by row): they are not searched again."""


class _Withheld(str):
    """A cell that may not be quoted, as words put it: `{v!r} is not a date` reads
    'the value in this cell is not a date'."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


_WITHHELD = _Withheld(WITHHELD_WORDS)
