"""Charts a statistician would publish: periods at their own ends, labelled axes, thousands
separators, a marked axis break, the legend off the data, a source line, the synthetic mark, alt
text in the file, gaps where figures are hidden, and hidden parts drawn only as a hatched rest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mission.charts import ChartFrame, ChartPoint, Line, Stack, save, stacked, trend
from mission.charts.base import x_of

FRAME = ChartFrame(
    title="Drug misuse deaths", alt="Deaths fell", source="test returns", ylabel="deaths a year",
    xlabel="calendar year (at its end)",
)  # fmt: skip


def _years(values: dict[int, float]) -> tuple[ChartPoint, ...]:
    return tuple(ChartPoint(str(y), dt.date(y, 12, 31), v) for y, v in values.items())


def _texts(figure: object) -> list[str]:
    return [t.get_text() for t in figure.findobj(lambda a: hasattr(a, "get_text"))]  # type: ignore[attr-defined]


def test_a_year_sits_at_its_own_end_with_its_own_label() -> None:
    """2019 is drawn at 31 December 2019 and labelled 2019 there, not on a 2020 tick."""
    figure = trend(FRAME, [Line("Scotland", _years({2019: 1264, 2020: 1339, 2021: 1330}))])
    assert figure is not None
    axes = figure.axes[0]
    ticks = dict(
        zip([t.get_text() for t in axes.get_xticklabels()], axes.get_xticks(), strict=True)
    )
    assert ticks["2019"] == x_of(dt.date(2019, 12, 31))
    line = axes.get_lines()[0]
    assert next(iter(line.get_xdata())) == x_of(dt.date(2019, 12, 31))


def test_quarters_are_labelled_at_each_financial_year_end() -> None:
    """Twelve quarters tick at every quarter end and are labelled at each March (Q4)."""
    points = []
    for year in (2023, 2024, 2025):
        for q, end in enumerate(((6, 30), (9, 30), (12, 31), (3, 31)), start=1):
            day = dt.date(year + (q == 4), *end)
            points.append(ChartPoint(f"{year}/{(year + 1) % 100:02d} Q{q}", day, 95.0))
    figure = trend(FRAME, [Line("Scotland", tuple(points))])
    assert figure is not None
    axes = figure.axes[0]
    assert [t.get_text() for t in axes.get_xticklabels()] == [
        "2023/24 Q4", "2024/25 Q4", "2025/26 Q4",
    ]  # fmt: skip
    every = set(axes.get_xticks()) | set(axes.get_xticks(minor=True))
    assert every == {x_of(p.end) for p in points}


def test_axes_are_labelled_with_thousands_separators() -> None:
    """The value axis says what it counts and prints 1,300, not 1300."""
    figure = trend(FRAME, [Line("Scotland", _years({2019: 1264, 2020: 1339}))])
    assert figure is not None
    axes = figure.axes[0]
    assert axes.get_ylabel() == "deaths a year"
    assert axes.get_xlabel() == "calendar year (at its end)"
    assert axes.yaxis.get_major_formatter()(1300, 0) == "1,300"


def test_a_truncated_axis_is_marked_and_a_zero_based_one_is_not() -> None:
    """An axis that does not start at 0 says so and carries the break strokes."""
    cut = trend(FRAME, [Line("Scotland", _years({2019: 29_500, 2020: 30_000}))])
    whole = trend(FRAME, [Line("Scotland", _years({2019: 29_500, 2020: 30_000}))], zero=True)
    assert cut is not None and whole is not None
    assert cut.axes[0].get_ylim()[0] > 0
    assert "axis does not start at 0" in _texts(cut)
    assert whole.axes[0].get_ylim()[0] == 0
    assert "axis does not start at 0" not in _texts(whole)


def test_legend_sits_beside_the_plot_and_the_source_line_below() -> None:
    """The legend is the figure's, outside the axes; the source line and synthetic mark show."""
    frame = ChartFrame(**{**FRAME.__dict__, "synthetic": True})
    figure = trend(frame, [Line("Scotland", _years({2019: 1264, 2020: 1339}))])
    assert figure is not None
    assert figure.axes[0].get_legend() is None and len(figure.legends) == 1
    texts = _texts(figure)
    assert any(t.startswith("Source: test returns") for t in texts)
    assert "SYNTHETIC DATA — not real figures" in texts


def test_a_hidden_period_breaks_the_line() -> None:
    """With 2021 hidden, 2020 and 2022 are not joined: the line is drawn in two runs."""
    figure = trend(FRAME, [Line("Orkney", _years({2019: 6, 2020: 7, 2022: 8, 2023: 9}))])
    assert figure is not None
    lines = figure.axes[0].get_lines()
    runs = [line for line in lines if min(line.get_xdata()) > 1000]  # not the break strokes
    assert [len(line.get_xdata()) for line in runs] == [2, 2]


def test_alt_text_is_kept_in_the_file(tmp_path: Path) -> None:
    """A saved chart carries its alt text: the PNG's Description, the SVG's description."""
    from PIL import Image

    figure = trend(FRAME, [Line("Scotland", _years({2019: 1264, 2020: 1339}))])
    assert figure is not None
    png, svg = save(figure, tmp_path, "deaths", "Deaths fell from 1,339 to 1,264", ["png", "svg"])
    with Image.open(png) as image:
        assert image.info["Description"] == "Deaths fell from 1,339 to 1,264"
    assert "Deaths fell from 1,339 to 1,264" in svg.read_text()


def test_hidden_parts_are_drawn_as_one_hatched_rest() -> None:
    """With a part hidden and the total printed, the rest of the bar is one hatched block of
    total less the printed parts; with the total hidden too, nothing stands in for it."""
    stacks = [Stack("adp", (300.0, 320.0)), Stack("nhs", (None, 40.0))]
    figure = stacked(FRAME, ["2021/22", "2022/23"], stacks, [303.0, 360.0])
    assert figure is not None
    [rest] = [c for c in figure.axes[0].containers if c.get_label().startswith("hidden")]
    assert [bar.get_height() for bar in rest] == [3.0, 0.0]
    unknown = stacked(FRAME, ["2021/22"], [Stack("adp", (300.0,)), Stack("nhs", (None,))], [None])
    assert unknown is not None
    assert all(not c.get_label().startswith("hidden") for c in unknown.axes[0].containers)
