"""The ADP reference list and the resolver that reads what officers write."""

from __future__ import annotations

import pytest

from mission.adps import AmbiguousAdp, UnknownAdp, all_adps, all_boards, match_adp, resolve_adp


def test_thirty_adps_with_boards() -> None:
    """There are 30 ADPs over 14 boards, each with an S08 code and at least one council area."""
    adps = all_adps()
    assert len(adps) == 30
    assert len({a.code for a in adps}) == 30
    assert len(all_boards()) == 14
    assert all(a.board.code.startswith("S08") for a in adps)
    areas = [c for a in adps for c in a.council_areas]
    assert len(areas) == 32
    assert all(c.code.startswith("S12") for c in areas)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Glasgow City", "glasgow-city"),
        ("glasgow city adp", "glasgow-city"),
        ("GLASGOW-CITY", "glasgow-city"),
        ("Perth & Kinross", "perth-and-kinross"),
        ("meldap", "midlothian-east-lothian"),
        ("Western Isles", "outer-hebrides"),
        ("Na h-Eileanan Siar", "outer-hebrides"),
        ("S12000046", "glasgow-city"),
        ("S12000049", "glasgow-city"),
        ("City of Edinburgh", "edinburgh"),
        ("Orkney Islands", "orkney"),
        ("Borders", "scottish-borders"),
        ("Fife Alcohol and Drug Partnership", "fife"),
        ("  angus  ", "angus"),
    ],
)
def test_resolves_variants(text: str, code: str) -> None:
    """Names, aliases, council names and S12 codes (old and new) resolve to the one ADP."""
    assert resolve_adp(text).code == code


def test_every_alias_and_area_resolves_to_its_adp() -> None:
    """Every name the reference list gives resolves to its own ADP."""
    for adp in all_adps():
        names = [adp.code, adp.name, *adp.aliases, f"{adp.name} ADP"]
        names += [t for c in adp.council_areas for t in (c.name, c.code, *c.old_codes)]
        for name in names:
            assert resolve_adp(name) == adp, name


@pytest.mark.parametrize(
    ("text", "adp"),
    [
        ("Stirling", "Clackmannanshire and Stirling"),
        ("East Lothian", "Midlothian and East Lothian"),
    ],
)
def test_council_in_combined_adp_says_so(text: str, adp: str) -> None:
    """A council that shares an ADP resolves to it, with a note saying so."""
    found = match_adp(text)
    assert found.adp.name == adp
    assert found.note == f"{text} is part of the {adp} ADP"


def test_unknown_suggests_nearest() -> None:
    """A typo is refused with up to three nearest names."""
    with pytest.raises(UnknownAdp) as caught:
        resolve_adp("Glasgo")
    assert caught.value.candidates[0] == "Glasgow City"
    assert len(caught.value.candidates) <= 3
    assert "did you mean 'Glasgow City'" in str(caught.value)


def test_ambiguous_lists_candidates() -> None:
    """A name that could mean several ADPs is refused, listing them all."""
    with pytest.raises(AmbiguousAdp) as caught:
        resolve_adp("Lanarkshire")
    assert caught.value.candidates == ("North Lanarkshire", "South Lanarkshire")


def test_nonsense_has_no_suggestions() -> None:
    """Text like no ADP at all gets no misleading suggestions."""
    with pytest.raises(UnknownAdp) as caught:
        resolve_adp("zzzz")
    assert caught.value.candidates == ()
