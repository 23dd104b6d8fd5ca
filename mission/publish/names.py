"""How each figure a publication declares is named, so every view finds the same one."""

from __future__ import annotations

__all__ = ["figure_names", "first_column"]


class figure_names:  # noqa: N801 - a namespace of name builders, read as `figure_names.rate(...)`
    """How each declared figure is named, so every view finds the same one."""

    @staticmethod
    def target(adp: str) -> str:
        return f"target {adp}"

    @staticmethod
    def of_the_way(adp: str) -> str:
        return f"of the way {adp}"

    @staticmethod
    def status(adp: str) -> str:
        return f"status {adp}"

    @staticmethod
    def rate(adp: str, period: str) -> str:
        return f"rate {adp} {period}"

    @staticmethod
    def rate_interval(adp: str, period: str) -> str:
        return f"rate interval {adp} {period}"

    @staticmethod
    def five_years(adp: str) -> str:
        return f"5-year total {adp}"

    @staticmethod
    def first_share(adp: str, period: str) -> str:
        return f"first-supply share {adp} {period}"

    @staticmethod
    def column_total(column: str) -> str:
        return f"total of column {column}"

    @staticmethod
    def publicly_funded(column: str) -> str:
        return f"publicly funded in column {column}"

    @staticmethod
    def waits(adp: str) -> str:
        return f"waits {adp}"

    @staticmethod
    def within_percent(adp: str) -> str:
        return f"percent {adp}"

    @staticmethod
    def wait_interval(adp: str) -> str:
        return f"interval {adp}"


def first_column(period: str) -> str:
    """The column of a year's naloxone first supplies."""
    return f"{period} first"
