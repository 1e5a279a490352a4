"""Expected parses of every file in ``examples/``: check them, show what changed field by field, or write them anew.

Run from the repo root:  .venv/bin/python tools/expected_parses.py           (check; exit 1 on a difference)
                         .venv/bin/python tools/expected_parses.py --write   (after a change you mean: review the diff)

Each example file has ``tests/data/expected/<its path under examples/>.jsonl``: one JSON line per record that
``akhbar.parse`` gives for it with the default options (an article's ``to_json()``, or a failure's with
``"failure": true``), in order. ``tests/test_examples.py`` checks the same, one test per file, in the manner of
fundus's per-page fixtures: a reader change shows as the fields it changed on the pages it changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import akhbar
from akhbar.model import Article

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"
EXPECTED = REPO / "tests" / "data" / "expected"
NOT_INPUTS = {".py", ".md"}


def example_files() -> list[Path]:
    """Every input file under ``examples/`` (scripts and notes apart), in a stable order."""
    return sorted(p for p in EXAMPLES.rglob("*") if p.is_file() and p.suffix not in NOT_INPUTS)


def expected_path(example: Path) -> Path:
    return EXPECTED / (str(example.relative_to(EXAMPLES)) + ".jsonl")


def parsed(example: Path) -> list[dict[str, Any]]:
    """What ``akhbar.parse`` gives for the file, as JSON-ready dicts (source paths relative to the repo)."""
    out = []
    for record in akhbar.parse(example):
        row = record.to_json() if isinstance(record, Article) else {"failure": True, **record.to_json()}
        if isinstance(row.get("provenance"), dict):
            row["provenance"]["source"] = _relative(row["provenance"]["source"])
        elif "source" in row:
            row["source"] = _relative(row["source"])
        out.append(row)
    return out


def stored(example: Path) -> list[dict[str, Any]] | None:
    path = expected_path(example)
    if not path.is_file():
        return None
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def differences(expected: list[dict[str, Any]] | None, actual: list[dict[str, Any]]) -> list[str]:
    """Field-level differences, one line each (record index, field, expected → actual)."""
    if expected is None:
        return [f"no expected parse yet ({len(actual)} records)"]
    lines = []
    if len(expected) != len(actual):
        lines.append(f"{len(expected)} records expected, {len(actual)} parsed")
    for index, (want, got) in enumerate(zip(expected, actual, strict=False)):
        for field in dict.fromkeys([*want, *got]):
            if want.get(field) != got.get(field):
                lines.append(f"record {index} {field}: {_short(want.get(field))} → {_short(got.get(field))}")
    return lines


def write(example: Path, rows: list[dict[str, Any]]) -> None:
    path = expected_path(example)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in rows), encoding="utf-8")


def _relative(source: str) -> str:
    path = Path(source)
    return str(path.resolve().relative_to(REPO)) if path.is_absolute() or path.exists() else source


def _short(value: Any, width: int = 100) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--write", action="store_true", help="write the parses as the new expected ones")
    args = ap.parse_args()
    changed = 0
    for example in example_files():
        actual = parsed(example)
        lines = differences(stored(example), actual)
        if lines:
            changed += 1
            print(f"{example.relative_to(REPO)}:")
            for line in lines:
                print(f"  {line}")
            if args.write:
                write(example, actual)
    action = "written" if args.write else "differ (run with --write to accept them)"
    print(f"{len(example_files())} example files; {changed} {action}" if changed else "all expected parses match")
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
