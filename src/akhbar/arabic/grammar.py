"""Counting things in Arabic, as a reader expects to see it: the noun agrees with the number."""

from __future__ import annotations


def articles_count(n: int) -> str:
    """مقال واحد، مقالان، 3 مقالات، 11 مقالاً، 100 مقال (3-10 take the plural, 11-99 the singular accusative, round
    hundreds and 0 the singular)."""
    if n == 1:
        return "مقال واحد"
    if n == 2:
        return "مقالان"
    if 3 <= n % 100 <= 10:
        return f"{n} مقالات"
    return f"{n} مقالاً" if n % 100 >= 11 else f"{n} مقال"


def list_names(names: list[str]) -> str:
    """Names joined with the Arabic comma (``العربية، الوطن``)."""
    return "، ".join(names)


__all__ = ["articles_count", "list_names"]
