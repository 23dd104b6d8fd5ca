"""Hostile configuration: `mission.toml` files and target TOML files built to hurt `check`,
`progress`, `report` and `targets` end with 0, 1 or 2 and a message naming the file, never exit 3,
and a target's title is shown as written, never run as markup or escapes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import FIXTURES, VALID
from .hostile_tools import RAW_CONTROL, run

HOSTILE = FIXTURES / "hostile"
REPOS = sorted(p for p in (HOSTILE / "repos").iterdir() if p.is_dir())
TARGETS = sorted(p for p in (HOSTILE / "targets").iterdir() if p.is_dir())
NOT_TOML = {"config-repeated-key", "config-repeated-table"}
"""Configs that are not valid TOML at all: these must be refused (exit 2) naming the file."""


@pytest.mark.parametrize("repo", REPOS, ids=[p.name for p in REPOS])
def test_hostile_mission_toml(repo: Path) -> None:
    """`mission check` on a repository whose mission.toml is deeply nested, repeats a key, a
    table, a kind or a pattern field ends with 0, 1 or 2, names mission.toml when it refuses,
    and refuses what is not TOML."""
    broken = []
    for fmt in ("text", "json", "github", "markdown"):
        outcome = run(["check", str(repo), "--format", fmt])
        problems = outcome.problems()
        if outcome.code == 2 and "mission.toml" not in outcome.output:
            problems.append("refused without naming mission.toml")
        if repo.name in NOT_TOML and outcome.code != 2:
            problems.append(f"exit {outcome.code}: a config that is not TOML must be refused")
        if problems:
            broken.append(f"--format {fmt}: {problems} {outcome.output[-300:]!r}")
    assert not broken, "\n".join(broken)


def _target_commands(targets: Path, out: Path) -> list[list[str]]:
    data = str(VALID / "ost.csv")
    flag = ["--targets", str(targets)]
    return [
        ["targets", *flag],
        ["targets", "show", "ost", *flag],
        ["progress", data, "--method", "sdg", *flag],
        ["progress", data, "--method", "sdg", "--target", "ost", "--format", "json", *flag],
        ["progress", data, "--target", "ost", "--format", "markdown", *flag],
        ["report", data, "-o", str(out / "report"), *flag],
    ]


def _text_of(page: Path) -> str:
    """A page's text; a workbook's is the XML of its parts (its zip bytes are not text)."""
    if page.suffix != ".xlsx":
        return page.read_text("utf-8", "replace")
    import zipfile

    with zipfile.ZipFile(page) as book:
        return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())


@pytest.mark.parametrize("targets", TARGETS, ids=[p.name for p in TARGETS])
def test_hostile_target_file(targets: Path, tmp_path: Path) -> None:
    """A target with 1e308, inf, nan, a negative target (also with --method sdg), a zero
    baseline, a deadline in 9999 or year 1, or markup and escapes in its title: every command
    that reads targets ends with 0, 1 or 2 (exit 2 naming the file when refused), no raw
    escape anywhere, including report.html, report.md, report.csv and the workbook's XML."""
    broken = []
    for args in _target_commands(targets, tmp_path):
        outcome = run(args)
        problems = outcome.problems()
        if outcome.code == 2 and "ost.toml" not in outcome.output:
            problems.append("refused without naming ost.toml")
        if problems:
            broken.append(f"{' '.join(args[:4])}: {problems} {outcome.output[-300:]!r}")
    for page in (tmp_path / "report").glob("report.*"):
        text = _text_of(page)
        broken += [f"raw {c!r} in {page.name}" for c in RAW_CONTROL if c in text]
    if (tmp_path / "report" / "published.json").exists():
        audited = run(["audit", str(tmp_path / "report")])
        if audited.code != 0:
            broken.append(f"the report fails its audit: {audited.output[-300:]!r}")
    assert not broken, "\n".join(broken)


def test_markup_in_a_target_title_is_shown_as_written(tmp_path: Path) -> None:
    """A title holding `[link=https://x]t[/link] [/] [bold red]x` is printed as written by
    `targets show` and `progress`, appears as text in report.md and report.html (escaped as
    each needs), and links nowhere."""
    targets = HOSTILE / "targets" / "title-markup"
    title = "[link=https://x]t[/link] [/] [bold red]x"
    shown = run(["targets", "show", "ost", "--targets", str(targets)])
    assert shown.code == 0 and title in shown.output, shown.describe()
    progress = run(
        ["progress", str(VALID / "ost.csv"), "--targets", str(targets), "--target", "ost"]
    )
    assert progress.code == 0 and title in progress.output, progress.describe()
    report = run(["report", str(VALID / "ost.csv"), "-o", str(tmp_path), "--targets", str(targets)])
    assert report.code == 0, report.describe()
    markdown = (tmp_path / "report.md").read_text()
    html = (tmp_path / "report.html").read_text()
    for page in (markdown, html):  # escaped as each format needs, but there, and not a link
        assert "link=https://x" in page
    assert "](https://x)" not in markdown and "<https://x>" not in markdown
    assert 'href="https://x"' not in html
