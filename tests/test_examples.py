"""Every file in examples/ parses as its expected parse says (tests/data/expected, tools/expected_parses.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

TOOL = Path(__file__).resolve().parents[1] / "tools" / "expected_parses.py"
_spec = importlib.util.spec_from_file_location("expected_parses", TOOL)
assert _spec is not None and _spec.loader is not None
expected_parses = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(expected_parses)


@pytest.mark.parametrize(
    "example", expected_parses.example_files(), ids=lambda p: str(p.relative_to(expected_parses.EXAMPLES))
)
def test_example_parses_as_expected(example: Path) -> None:
    lines = expected_parses.differences(expected_parses.stored(example), expected_parses.parsed(example))
    assert not lines, (
        f"{example.name} parses differently ({len(lines)} differences; if meant, run "
        "`.venv/bin/python tools/expected_parses.py --write` and review the diff):\n" + "\n".join(lines[:30])
    )


def test_every_example_has_an_expected_parse_and_nothing_else_does() -> None:
    expected = {p for p in expected_parses.EXPECTED.rglob("*.jsonl")}
    assert expected == {expected_parses.expected_path(p) for p in expected_parses.example_files()}
