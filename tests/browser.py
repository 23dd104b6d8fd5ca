"""Headless Chromium for the HTML tests, and axe-core's accessibility rules.

Debian's `chromium` is driven by Playwright (which downloads nothing); axe-core comes from the npm
registry (`.ci/run` installs it into a cache folder outside the repository). Locally a test skips
with the reason when either is missing; under `CI=1` it fails, so CI cannot pass without them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""The axe-core tags for WCAG 2.2 level AA (and the A and AA rules of 2.0 and 2.1 it includes)."""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must provide it: {reason}")
    pytest.skip(reason)


def chromium() -> str:
    """Debian's Chromium, or skip (fail under CI)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        _unavailable("Debian's chromium is not installed (apt-get install chromium)")
    assert found is not None
    return found


def axe_script() -> Path:
    """axe-core's `axe.min.js`: $MISSION_AXE_JS, else the cache folder `.ci/run` installs into."""
    given = os.environ.get("MISSION_AXE_JS")
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mission"
    candidates = [Path(given)] if given else []
    candidates.append(cache / "node_modules" / "axe-core" / "axe.min.js")
    for path in candidates:
        if path.is_file():
            return path
    _unavailable(
        "axe-core is not installed: npm install --prefix ~/.cache/mission axe-core "
        "(or set MISSION_AXE_JS to axe.min.js)"
    )
    raise AssertionError("unreachable")


@dataclass
class Visit:
    """A page loaded in Chromium, with what it logged and every request it made."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@contextmanager
def visit(path: Path, *, javascript: bool = True, bypass_csp: bool = False) -> Iterator[Visit]:
    """Open a local file in headless Chromium; console errors and requests are recorded."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(java_script_enabled=javascript, bypass_csp=bypass_csp)
            page = context.new_page()
            seen = Visit(page)
            page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: seen.errors.append(str(e)))
            page.on("request", lambda r: seen.requests.append(r.url))
            page.goto(path.resolve().as_uri())
            yield seen
        finally:
            browser.close()


def axe_violations(path: Path, tags: list[str] = WCAG_22_AA) -> list[dict[str, Any]]:
    """axe-core's violations of `tags` on the page at `path` (its own CSP bypassed to inject axe)."""
    script = axe_script()
    with visit(path, bypass_csp=True) as seen:
        seen.page.add_script_tag(path=str(script))
        result = seen.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
        )
    violations: list[dict[str, Any]] = result["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
    ]


@dataclass
class Checked:
    """One page's console errors, the images that failed to load, and axe-core's violations."""

    errors: list[str]
    broken_images: int
    images: int
    violations: list[dict[str, Any]]


def check_pages(paths: list[Path], tags: list[str] = WCAG_22_AA) -> dict[Path, Checked]:
    """Load each page in one headless Chromium, then run axe-core on it (its CSP bypassed)."""
    from playwright.sync_api import sync_playwright

    executable = chromium()
    script = axe_script()
    found: dict[Path, Checked] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS)
        try:
            for path in paths:
                context = browser.new_context(bypass_csp=True)
                page = context.new_page()
                errors: list[str] = []
                page.on(
                    "console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None
                )
                page.on("pageerror", lambda x, e=errors: e.append(str(x)))
                page.goto(path.resolve().as_uri())
                loaded = page.evaluate(
                    "Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)"
                )
                page.add_script_tag(path=str(script))
                result = page.evaluate(
                    "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags
                )
                violations = [
                    {
                        "id": v["id"],
                        "impact": v["impact"],
                        "help": v["help"],
                        "nodes": [n["target"] for n in v["nodes"]][:5],
                    }
                    for v in result["violations"]
                ]
                found[path] = Checked(errors, loaded.count(False), len(loaded), violations)
                context.close()
        finally:
            browser.close()
    return found
