"""The kinds of return in the data contract (`spec_version = 1`), and everything about each.

Officers build spreadsheets from the published contract, so this module is a faithful transcription
of it. A `Kind` is one of the contract's kinds; its `KindSpec` is the one home for every fact about
it: the columns and the key, which column holds the period and what type of period it is, the rules
and cross-file rules, how its rows are sliced in the store, and how a file name names its period.
No other module spells a kind's name or guesses a period's type from a label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING

from mission.columns import Column, ColumnType
from mission.errors import MissionError
from mission.periods import CalendarYear, FinancialYear, InvalidPeriod, PeriodType, Quarter

if TYPE_CHECKING:
    import polars as pl

    from mission.rules import CrossRule, Rule

__all__ = [
    "SPEC_VERSION",
    "Kind",
    "KindSpec",
    "UnknownKind",
    "kind_spec",
    "kinds",
    "suggest_kinds",
]

SPEC_VERSION = 1


class Kind(StrEnum):
    """A kind of return in the data contract."""

    OST = "ost"
    REHAB = "rehab"
    NALOXONE = "naloxone"
    MAT = "mat"
    EPISODES = "episodes"
    DEATHS = "deaths"
    POPULATION = "population"

    @property
    def spec(self) -> KindSpec:
        """Everything the contract says about this kind."""
        return _specs()[self]

    @classmethod
    def parse(cls, text: str | Kind) -> Kind:
        """The kind a name means (case and surrounding spaces do not matter); a `Kind` is itself.

        Raises:
            UnknownKind: the name is not a kind (nor is anything but text: `5`).
        """
        if isinstance(text, Kind):
            return text
        if not isinstance(text, str):
            raise UnknownKind(repr(text))
        try:
            return cls(str(text).strip().lower())
        except ValueError:
            raise UnknownKind(str(text)) from None


class UnknownKind(MissionError, ValueError):
    """A kind name that is not in the contract."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.candidates = suggest_kinds(value)
        near = " or ".join(repr(k.value) for k in self.candidates)
        guess = f" (did you mean {near}?)" if near else ""
        super().__init__(
            f"{value!r} is not a kind of return{guess}: use one of "
            + ", ".join(k.value for k in Kind)
        )


# What officers call each kind besides its name; with the words of its title, a misspelt kind
# (`opiods`, `nalaxone`, `episode`) finds the kind it meant.
_ALSO_CALLED: dict[Kind, tuple[str, ...]] = {
    Kind.OST: ("opioids", "methadone", "buprenorphine"),
    Kind.REHAB: ("rehabilitation",),
    Kind.NALOXONE: ("thn", "take-home naloxone"),
    Kind.MAT: ("medication assisted treatment", "standards"),
    Kind.EPISODES: ("referrals", "waits", "waiting times", "daisy"),
    Kind.DEATHS: ("drug misuse deaths", "drug-related deaths", "nrs"),
    Kind.POPULATION: ("mid-year estimates", "population estimates", "residents"),
}
_KIND_WORD = re.compile(r"[a-z]+")
_KIND_NOISE = frozenset({"in", "a", "of", "and", "the", "people", "yearly", "quarterly", "level"})


def suggest_kinds(text: str) -> tuple[Kind, ...]:
    """The kinds a name that is not a kind most likely means, nearest first (at most two)."""
    import difflib

    typed = [w for w in _KIND_WORD.findall(str(text).lower()) if w not in _KIND_NOISE]
    if not typed:
        return ()
    scores: dict[Kind, float] = {}
    for spec in kinds():
        names = [spec.name, *_ALSO_CALLED.get(spec.kind, ()), spec.title]
        words = {w for n in names for w in _KIND_WORD.findall(n.lower())} - _KIND_NOISE
        score = 0.0
        for word in typed:
            for other in words:
                ratio = difflib.SequenceMatcher(None, word, other).ratio()
                if len(word) >= 3 and other.startswith(word):
                    ratio = max(ratio, 0.9)
                score = max(score, ratio)
        scores[spec.kind] = score
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    best = ranked[0][1]
    if best < 0.7:
        return ()
    return tuple(k for k, score in ranked[:2] if score >= best - 0.05)


_NAME_QUARTER = re.compile(r"[_\-\s]*(q\d)$", re.IGNORECASE)


@dataclass(frozen=True)
class KindSpec:
    """One kind of return: its columns and key, its period, its rules and where it is stored."""

    kind: Kind
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    frequency: str
    period_column: str | None
    """The column that holds the period; None for record-level returns."""
    period_type: PeriodType
    period_from: str | None = None
    """For record-level returns: the date column whose quarter a row belongs to."""
    rules: tuple[Rule, ...] = ()
    cross_rules: tuple[CrossRule, ...] = ()
    reference: bool = False
    """Reference data an analyst supplies (population), not a return an ADP sends."""

    @property
    def name(self) -> str:
        return self.kind.value

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def private(self) -> tuple[str, ...]:
        """The columns never shown in any output (a person's id)."""
        return tuple(c.name for c in self.columns if c.private)

    @property
    def whole_years_only(self) -> bool:
        """Whether a calendar year still running is refused (deaths: a part of the year's count
        would be stored as the whole year), so a template offers last year at the latest."""
        from mission.rules.years import calendar_year_ended

        return calendar_year_ended in self.rules

    @property
    def record_level(self) -> bool:
        """Whether a return of this kind holds people's records (it has a private column)."""
        return bool(self.private)

    @property
    def store_table(self) -> str:
        """The store's table of this kind's rows."""
        return f"rows_{self.name}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def slice_period(self) -> pl.Expr:
        """The period each row belongs to, as canonical text: its period, or its date's quarter.

        A store slice is (kind, ADP, this period): a later return for the same slice supersedes
        the earlier one.
        """
        import polars as pl

        from mission.periods import quarter_index_expr, quarter_label_expr

        if self.period_column is None:
            assert self.period_from is not None
            return quarter_label_expr(quarter_index_expr(pl.col(self.period_from)))
        return pl.col(self.period_column).cast(pl.String)

    def name_period(self, text: str) -> str | None:
        """The period a file name gives (`2024-25-q1` -> `2024/25 Q1`), or None if it gives none."""
        cleaned = _NAME_QUARTER.sub(r" \1", text)
        try:
            return str(self.period_type.parse(cleaned))
        except InvalidPeriod:
            return None


def _count(
    name: str, required: bool = True, description: str = "", blank: int | None = None
) -> Column:
    return Column(name, ColumnType.COUNT, required, description=description, blank=blank)


_ADP = Column("adp", ColumnType.ADP, description="ADP code, name or alias (see `mission adps`)")
_PERIOD = Column("period", ColumnType.PERIOD, description="financial-year quarter, e.g. 2023/24 Q1")
_EVIDENCE = ("met", "partial", "not_met")
_STATUS_ALIASES = {"r": "red", "a": "amber", "g": "green", "b": "blue", "pg": "provisional_green"}


@cache
def _specs() -> dict[Kind, KindSpec]:
    """The contract's kinds; built on first use, so importing `Kind` costs nothing."""
    from mission.rules.council_areas import one_council_area
    from mission.rules.episodes import dates_in_order
    from mission.rules.keys import duplicate_rows, duplicates_across_files
    from mission.rules.mat import standards_complete
    from mission.rules.ost import large_changes, total_matches
    from mission.rules.population import population_rows
    from mission.rules.years import calendar_year_ended

    keys = (duplicate_rows, one_council_area)
    across = (duplicates_across_files,)
    return {
        Kind.OST: KindSpec(
            Kind.OST,
            "People in community-based opioid substitution therapy (quarterly census)",
            (
                _ADP,
                _PERIOD,
                _count("methadone"),
                _count("buprenorphine_oral", description="sublingual or oral lyophilisate"),
                _count("buprenorphine_depot", description="long-acting injectable"),
                _count("diamorphine", description="heroin-assisted treatment"),
                _count("other", required=False, description="blank means 0", blank=0),
                _count("total", description="must equal the sum of the medication columns"),
            ),
            key=("adp", "period"),
            frequency="quarterly",
            period_column="period",
            period_type=Quarter,
            rules=(duplicate_rows, total_matches, one_council_area),
            cross_rules=(duplicates_across_files, large_changes),
        ),
        Kind.REHAB: KindSpec(
            Kind.REHAB,
            "Residential rehabilitation placements started (quarterly)",
            (
                _ADP,
                _PERIOD,
                Column(
                    "funding_source",
                    ColumnType.CHOICE,
                    choices=(
                        "adp",
                        "local_authority",
                        "nhs",
                        "scottish_government",
                        "third_sector",
                        "self_funded",
                        "other",
                    ),
                ),
                _count("placements_started"),
                _count("placements_completed", required=False),
            ),
            key=("adp", "period", "funding_source"),
            frequency="quarterly",
            period_column="period",
            period_type=Quarter,
            rules=keys,
            cross_rules=across,
        ),
        Kind.NALOXONE: KindSpec(
            Kind.NALOXONE,
            "Take-home naloxone kits supplied (quarterly)",
            (
                _ADP,
                _PERIOD,
                Column(
                    "supply_source",
                    ColumnType.CHOICE,
                    choices=("community", "pharmacy", "prison", "ambulance", "peer", "other"),
                ),
                Column("kit_type", ColumnType.CHOICE, choices=("intramuscular", "intranasal")),
                _count("first_supply", description="kits to people never supplied before"),
                _count("repeat_supply"),
            ),
            key=("adp", "period", "supply_source", "kit_type"),
            frequency="quarterly",
            period_column="period",
            period_type=Quarter,
            rules=keys,
            cross_rules=across,
        ),
        Kind.MAT: KindSpec(
            Kind.MAT,
            "MAT standards assessment (yearly)",
            (
                _ADP,
                Column("year", ColumnType.YEAR, description="financial year, e.g. 2023/24"),
                Column("standard", ColumnType.STANDARD, description="1 to 10 (MAT 3 is read as 3)"),
                Column(
                    "status",
                    ColumnType.CHOICE,
                    choices=("red", "amber", "provisional_green", "green", "blue", "not_assessed"),
                    aliases=_STATUS_ALIASES,
                ),
                Column("numerical", ColumnType.CHOICE, required=False, choices=_EVIDENCE),
                Column("process", ColumnType.CHOICE, required=False, choices=_EVIDENCE),
                Column("experiential", ColumnType.CHOICE, required=False, choices=_EVIDENCE),
                Column("comment", ColumnType.TEXT, required=False, max_length=2000),
            ),
            key=("adp", "year", "standard"),
            frequency="yearly",
            period_column="year",
            period_type=FinancialYear,
            cross_rules=across,
            rules=(duplicate_rows, standards_complete, one_council_area),
        ),
        Kind.EPISODES: KindSpec(
            Kind.EPISODES,
            "Referrals and treatment starts (record level)",
            (
                _ADP,
                Column(
                    "person_id",
                    ColumnType.TEXT,
                    max_length=64,
                    private=True,
                    description="pseudonymised; never shown in any output",
                ),
                Column("referral_date", ColumnType.DATE),
                Column(
                    "treatment_start_date",
                    ColumnType.DATE,
                    required=False,
                    description="blank means still waiting",
                ),
                Column(
                    "referral_source",
                    ColumnType.CHOICE,
                    choices=(
                        "self",
                        "family",
                        "gp",
                        "hospital",
                        "police",
                        "justice",
                        "social_work",
                        "housing",
                        "third_sector",
                        "other",
                    ),
                ),
                Column("substance", ColumnType.CHOICE, choices=("drugs", "alcohol", "both")),
                Column(
                    "treatment_type",
                    ColumnType.CHOICE,
                    required=False,
                    choices=("ost", "psychosocial", "residential_rehab", "detox", "other"),
                    description="required when treatment started",
                ),
            ),
            key=("adp", "person_id", "referral_date"),
            frequency="record level",
            period_column=None,
            period_type=Quarter,
            period_from="referral_date",
            cross_rules=across,
            rules=(duplicate_rows, dates_in_order),
        ),
        Kind.DEATHS: KindSpec(
            Kind.DEATHS,
            "Drug misuse deaths (yearly, by year of registration)",
            (
                _ADP,
                Column(
                    "calendar_year",
                    ColumnType.CALENDAR_YEAR,
                    description="the year of registration",
                ),
                _count("drug_misuse_deaths"),
            ),
            key=("adp", "calendar_year"),
            frequency="yearly",
            period_column="calendar_year",
            rules=(*keys, calendar_year_ended),
            cross_rules=across,
            period_type=CalendarYear,
        ),
        Kind.POPULATION: KindSpec(
            Kind.POPULATION,
            "Mid-year population estimates (yearly, reference data)",
            (
                Column(
                    "adp",
                    ColumnType.ADP,
                    description="ADP, or a council area (the council areas of one ADP are added)",
                ),
                Column(
                    "calendar_year",
                    ColumnType.CALENDAR_YEAR,
                    description="the year of the mid-year (30 June) estimate",
                ),
                _count("population", description="all ages; 0 is an error"),
                Column(
                    "source",
                    ColumnType.TEXT,
                    required=False,
                    max_length=200,
                    description='e.g. "NRS mid-2022 population estimates"',
                ),
            ),
            key=("adp", "calendar_year"),
            frequency="yearly",
            period_column="calendar_year",
            rules=(population_rows,),
            cross_rules=across,
            period_type=CalendarYear,
            reference=True,
        ),
    }


def kinds() -> tuple[KindSpec, ...]:
    """Every kind of return, in the contract's order."""
    return tuple(_specs().values())


def kind_spec(kind: Kind | str) -> KindSpec:
    """The spec of one kind, given as a `Kind` or its name.

    Raises:
        UnknownKind: the name is not a kind.
    """
    return (kind if isinstance(kind, Kind) else Kind.parse(kind)).spec
