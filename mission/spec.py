"""The data contract for returns (`spec_version = 1`), as data the readers and validators share.

Officers build spreadsheets from the published contract, so this module is a faithful transcription
of it: column names, value types, allowed values and the key that must be unique in each kind.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from mission.errors import MissionError

__all__ = ["SPEC_VERSION", "Column", "ColumnType", "KindSpec", "UnknownKind", "kind_spec", "kinds"]

SPEC_VERSION = 1


class ColumnType(StrEnum):
    ADP = "adp"
    PERIOD = "period"
    YEAR = "year"
    CALENDAR_YEAR = "calendar_year"
    COUNT = "count"
    DATE = "date"
    CHOICE = "choice"
    STANDARD = "standard"
    TEXT = "text"


@dataclass(frozen=True)
class Column:
    """One column of a kind: its type, whether it is required, and the values it allows."""

    name: str
    type: ColumnType
    required: bool = True
    choices: tuple[str, ...] = ()
    aliases: dict[str, str] = field(default_factory=dict)
    max_length: int | None = None
    description: str = ""
    private: bool = False
    """Never echo this column's values anywhere (pseudonymised person ids)."""


@dataclass(frozen=True)
class KindSpec:
    """One kind of return: its columns, and the columns that identify a row."""

    name: str
    title: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    frequency: str

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


class UnknownKind(MissionError, ValueError):
    """A kind name that is not in the contract."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(f"{value!r} is not a kind of return: use one of {', '.join(_KINDS)}")


def _count(name: str, required: bool = True, description: str = "") -> Column:
    return Column(name, ColumnType.COUNT, required, description=description)


_ADP = Column("adp", ColumnType.ADP, description="ADP code, name or alias (see `mission adps`)")
_PERIOD = Column("period", ColumnType.PERIOD, description="financial-year quarter, e.g. 2023/24 Q1")
_EVIDENCE = ("met", "partial", "not_met")
_STATUS_ALIASES = {"r": "red", "a": "amber", "g": "green", "b": "blue", "pg": "provisional_green"}

_KINDS: dict[str, KindSpec] = {
    "ost": KindSpec(
        "ost",
        "People in community-based opioid substitution therapy (quarterly census)",
        (
            _ADP,
            _PERIOD,
            _count("methadone"),
            _count("buprenorphine_oral", description="sublingual or oral lyophilisate"),
            _count("buprenorphine_depot", description="long-acting injectable"),
            _count("diamorphine", description="heroin-assisted treatment"),
            _count("other", required=False, description="blank means 0"),
            _count("total", description="must equal the sum of the medication columns"),
        ),
        key=("adp", "period"),
        frequency="quarterly",
    ),
    "rehab": KindSpec(
        "rehab",
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
    ),
    "naloxone": KindSpec(
        "naloxone",
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
    ),
    "mat": KindSpec(
        "mat",
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
    ),
    "episodes": KindSpec(
        "episodes",
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
    ),
    "deaths": KindSpec(
        "deaths",
        "Drug misuse deaths (yearly, by year of registration)",
        (
            _ADP,
            Column("calendar_year", ColumnType.CALENDAR_YEAR, description="e.g. 2023"),
            _count("drug_misuse_deaths"),
        ),
        key=("adp", "calendar_year"),
        frequency="yearly",
    ),
}

_HEADER_JUNK = re.compile(r"[\s\-]+")


def normalise_header(text: str) -> str:
    """`Period`, ` period `, `PERIOD` and `treatment-start date` all mean the canonical name."""
    return _HEADER_JUNK.sub("_", str(text).strip().lower()).strip("_")


def normalise_choice(text: str) -> str:
    """Choice values are compared like headers: `Provisional Green` is `provisional_green`."""
    return normalise_header(text)


def kinds() -> tuple[KindSpec, ...]:
    """Every kind of return, in the contract's order."""
    return tuple(_KINDS.values())


def kind_spec(name: str) -> KindSpec:
    """The spec of one kind.

    Raises:
        UnknownKind: the name is not a kind.
    """
    try:
        return _KINDS[name.strip().lower()]
    except KeyError:
        raise UnknownKind(name) from None
