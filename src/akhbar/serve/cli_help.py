"""Help pages in the shape command-line users know: ``Usage: akhbar parse [OPTIONS] PATH...``, ``--limit INTEGER``.

Typer 0.29 writes Python in its help: a required argument as ``{query}``, types as ``<str>``, ``<list[str]>``,
``<int range>``, and ``<bool>`` beside every flag (``--help <bool>``), none of which a user types. Here an argument is
shown by its name in capitals (``[NAME]`` when optional, ``...`` when it repeats) with no type, a flag with no value,
and an option's value by its kind (``TEXT``, ``INTEGER``, ``PATH``, ``[a|b]``) unless the option names it itself
(``--allowed-origin ORIGIN``). Help texts come from docstrings: a paragraph's line breaks are the source's, not the
text's (Typer's rich mode would keep them), and a command named in backticks is quoted as click quotes it
(``'akhbar relink'``). Everything else (panels, defaults, ranges, env vars) is Typer's own.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Sequence
from typing import Any

import typer
from typer import _click  # Typer's own copy of click, which its classes are built on (Typer 0.29)
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

# Typer's type labels (``display_type`` without its angle brackets) and what a user reads instead.
_VALUE_NAMES = {
    "str": "TEXT",
    "list[str]": "TEXT",
    "int": "INTEGER",
    "int range": "INTEGER",
    "list[int]": "INTEGER",
    "float": "FLOAT",
    "float range": "FLOAT",
    "path": "PATH",
    "file": "FILE",
    "directory": "FOLDER",
}


class _PlainArgument(TyperArgument):
    """An argument shown by its name: the help row has no type column, the usage line no braces."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        return None

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


class _PlainOption(TyperOption):
    """An option shown with the kind of value it takes, a flag with none."""

    def display_type_rich(self, ctx: _click.Context) -> str | None:
        if self.metavar is not None:
            return self.metavar
        if self.is_flag:
            return None
        label = self.display_type(ctx).removeprefix("<").removesuffix(">")
        if label in _VALUE_NAMES:
            return _VALUE_NAMES[label]
        return f"[{label}]" if "|" in label else label.upper()


_BACKTICKED = re.compile(r"``?([^`]+)``?")


def _plain_text(help_text: str | None) -> str | None:
    """Each paragraph of a docstring on one line, backticks as quotes."""
    if not help_text:
        return help_text
    paragraphs = inspect.cleandoc(help_text).split("\n\n")
    return "\n\n".join(_BACKTICKED.sub(r"'\1'", " ".join(p.split("\n"))) for p in paragraphs)


def _plain(params: Sequence[object]) -> None:
    """Give Typer's parameters the plain display (same fields: only display methods differ)."""
    for param in params:
        if isinstance(param, TyperArgument | TyperOption):
            param.help = _plain_text(param.help)
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
            param.metavar = param.metavar or (param.name or "").upper()
        elif type(param) is TyperOption:
            param.__class__ = _PlainOption


class PlainHelpCommand(TyperCommand):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.help = _plain_text(self.help)

    def get_params(self, ctx: _click.Context) -> list[Any]:
        params = super().get_params(ctx)  # with --help, made here
        _plain(params)
        return params


class PlainHelpGroup(TyperGroup):
    def get_params(self, ctx: _click.Context) -> list[Any]:
        params = super().get_params(ctx)  # with the completion options, added after __init__
        _plain(params)
        return params


class PlainHelpTyper(typer.Typer):
    """A ``typer.Typer`` whose commands and groups write plain help pages."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(cls=PlainHelpGroup, **kwargs)

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **kwargs: Any
    ) -> Callable[..., Any]:
        return super().command(name, cls=cls or PlainHelpCommand, **kwargs)
