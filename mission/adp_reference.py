"""Reference data: Scotland's 30 Alcohol and Drug Partnerships (`mission.adps` resolves names).

Source: ../shared/domain.md (Scottish Government ADP list; NHS board S08 and council area S12
codes). ADP codes are stable kebab-case identifiers: returns and outputs use them. Old S12 codes
are kept so older extracts still resolve.

Kept as Python rather than TOML: every run resolves ADP names, and parsing a TOML file (with
`tomllib`'s import) cost 4 ms of each start, a fiftieth of `mission validate` on a small file.
mypy checks the table's shape.
"""

from __future__ import annotations

__all__ = ["ADPS", "AMBIGUOUS", "BOARDS", "SCOTLAND"]

SCOTLAND = ("Scotland", "S92000003")
"""The whole country: its name and GSS code."""

BOARDS: tuple[tuple[str, str], ...] = (
    ("Ayrshire and Arran", "S08000015"),
    ("Borders", "S08000016"),
    ("Dumfries and Galloway", "S08000017"),
    ("Forth Valley", "S08000019"),
    ("Grampian", "S08000020"),
    ("Highland", "S08000022"),
    ("Lothian", "S08000024"),
    ("Orkney", "S08000025"),
    ("Shetland", "S08000026"),
    ("Western Isles", "S08000028"),
    ("Fife", "S08000029"),
    ("Tayside", "S08000030"),
    ("Greater Glasgow and Clyde", "S08000031"),
    ("Lanarkshire", "S08000032"),
)
"""The 14 NHS boards: name, S08 code."""

ADPS: tuple[
    tuple[str, str, str, tuple[str, ...], tuple[tuple[str, str, tuple[str, ...]], ...]], ...
] = (
    # code, name, NHS board, aliases, council areas (name, S12 code, old S12 codes)
    (
        "aberdeen-city",
        "Aberdeen City",
        "Grampian",
        ("Aberdeen",),
        (("Aberdeen City", "S12000033", ()),),
    ),
    (
        "aberdeenshire",
        "Aberdeenshire",
        "Grampian",
        (),
        (("Aberdeenshire", "S12000034", ()),),
    ),
    (
        "moray",
        "Moray",
        "Grampian",
        (),
        (("Moray", "S12000020", ()),),
    ),
    (
        "angus",
        "Angus",
        "Tayside",
        (),
        (("Angus", "S12000041", ()),),
    ),
    (
        "dundee-city",
        "Dundee City",
        "Tayside",
        ("Dundee",),
        (("Dundee City", "S12000042", ()),),
    ),
    (
        "perth-and-kinross",
        "Perth and Kinross",
        "Tayside",
        ("Perth",),
        (("Perth and Kinross", "S12000048", ("S12000024",)),),
    ),
    (
        "highland",
        "Highland",
        "Highland",
        (),
        (("Highland", "S12000017", ()),),
    ),
    (
        "argyll-and-bute",
        "Argyll and Bute",
        "Highland",
        ("Argyll",),
        (("Argyll and Bute", "S12000035", ()),),
    ),
    (
        "edinburgh",
        "Edinburgh",
        "Lothian",
        ("Edinburgh City", "City of Edinburgh"),
        (("City of Edinburgh", "S12000036", ()),),
    ),
    (
        "west-lothian",
        "West Lothian",
        "Lothian",
        (),
        (("West Lothian", "S12000040", ()),),
    ),
    (
        "midlothian-east-lothian",
        "Midlothian and East Lothian",
        "Lothian",
        (
            "MELDAP",
            "Midlothian and East Lothian Drug and Alcohol Partnership",
            "East Lothian and Midlothian",
            "Mid and East Lothian",
        ),
        (("Midlothian", "S12000019", ()), ("East Lothian", "S12000010", ())),
    ),
    (
        "glasgow-city",
        "Glasgow City",
        "Greater Glasgow and Clyde",
        ("Glasgow",),
        (("Glasgow City", "S12000049", ("S12000046",)),),
    ),
    (
        "east-dunbartonshire",
        "East Dunbartonshire",
        "Greater Glasgow and Clyde",
        (),
        (("East Dunbartonshire", "S12000045", ()),),
    ),
    (
        "east-renfrewshire",
        "East Renfrewshire",
        "Greater Glasgow and Clyde",
        (),
        (("East Renfrewshire", "S12000011", ()),),
    ),
    (
        "inverclyde",
        "Inverclyde",
        "Greater Glasgow and Clyde",
        (),
        (("Inverclyde", "S12000018", ()),),
    ),
    (
        "renfrewshire",
        "Renfrewshire",
        "Greater Glasgow and Clyde",
        (),
        (("Renfrewshire", "S12000038", ()),),
    ),
    (
        "west-dunbartonshire",
        "West Dunbartonshire",
        "Greater Glasgow and Clyde",
        (),
        (("West Dunbartonshire", "S12000039", ()),),
    ),
    (
        "north-lanarkshire",
        "North Lanarkshire",
        "Lanarkshire",
        (),
        (("North Lanarkshire", "S12000050", ("S12000044",)),),
    ),
    (
        "south-lanarkshire",
        "South Lanarkshire",
        "Lanarkshire",
        (),
        (("South Lanarkshire", "S12000029", ()),),
    ),
    (
        "east-ayrshire",
        "East Ayrshire",
        "Ayrshire and Arran",
        (),
        (("East Ayrshire", "S12000008", ()),),
    ),
    (
        "north-ayrshire",
        "North Ayrshire",
        "Ayrshire and Arran",
        (),
        (("North Ayrshire", "S12000021", ()),),
    ),
    (
        "south-ayrshire",
        "South Ayrshire",
        "Ayrshire and Arran",
        (),
        (("South Ayrshire", "S12000028", ()),),
    ),
    (
        "clackmannanshire-stirling",
        "Clackmannanshire and Stirling",
        "Forth Valley",
        ("Stirling and Clackmannanshire", "Clacks and Stirling", "Clacks"),
        (("Clackmannanshire", "S12000005", ()), ("Stirling", "S12000030", ())),
    ),
    (
        "falkirk",
        "Falkirk",
        "Forth Valley",
        (),
        (("Falkirk", "S12000014", ()),),
    ),
    (
        "fife",
        "Fife",
        "Fife",
        (),
        (("Fife", "S12000047", ("S12000015",)),),
    ),
    (
        "scottish-borders",
        "Scottish Borders",
        "Borders",
        ("Borders",),
        (("Scottish Borders", "S12000026", ()),),
    ),
    (
        "dumfries-and-galloway",
        "Dumfries and Galloway",
        "Dumfries and Galloway",
        ("D&G",),
        (("Dumfries and Galloway", "S12000006", ()),),
    ),
    (
        "orkney",
        "Orkney",
        "Orkney",
        ("Orkney Islands",),
        (("Orkney Islands", "S12000023", ()),),
    ),
    (
        "shetland",
        "Shetland",
        "Shetland",
        ("Shetland Islands",),
        (("Shetland Islands", "S12000027", ()),),
    ),
    (
        "outer-hebrides",
        "Outer Hebrides",
        "Western Isles",
        ("Western Isles", "Na h-Eileanan Siar", "Eilean Siar", "Comhairle nan Eilean Siar"),
        (("Na h-Eileanan Siar", "S12000013", ()),),
    ),
)
"""The 30 ADPs, in the order of the reference list."""

AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "Ayrshire": ("east-ayrshire", "north-ayrshire", "south-ayrshire"),
    "Dunbartonshire": ("east-dunbartonshire", "west-dunbartonshire"),
    "Lanarkshire": ("north-lanarkshire", "south-lanarkshire"),
}
"""Names that could mean more than one ADP, seen in returns. A board name covering several ADPs is
ambiguous too: the resolver works that out from the table above."""
