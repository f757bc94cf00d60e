"""Machinery shared by the level-2 rules: the rule registry and the collector of violations.

A rule is a small function named after its code (``cs003``, ``tr302`` …) that receives a
:class:`Ctx`, the values it needs and the element path, and reports violations with
:meth:`Ctx.add`. The functions never read files or the clock: the only "now" is the header's
``BerichtIdentificatie/Dagtekening`` (TR135, the system-date check, is level 4).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from wijkzicht.ijw.errors import IjwError

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    """One in-message (level-2, retour 0001) rule of iJw 3.2."""

    code: str  # "CS002"
    messages: tuple[str, ...]  # ("JW301", "JW305", …)
    nl: str  # one-line Dutch description
    en: str  # one-line English description
    theme: str  # module that implements it, e.g. "persons"
    check: Callable[..., Any] | None = None  # the function that implements it

    @property
    def kind(self) -> str:
        """CD = conditie, CS = constraint, TR = technische regel."""
        return {"CD": "conditie", "CS": "constraint", "TR": "technische regel"}[self.code[:2]]


RULES: dict[str, Rule] = {}


def rule(code: str, messages: tuple[int, ...], nl: str, en: str) -> Callable[[F], F]:
    """Decorator: register ``fn`` as the implementation of rule ``code``.

    ``messages`` are the message numbers the rule applies to (301 → ``JW301``). One function
    may carry several decorators when two codes are two sides of one check (CD077/CD078).
    """

    def deco(fn: F) -> F:
        if code in RULES:
            raise ValueError(f"rule {code} registered twice")
        theme = fn.__module__.rsplit(".", 1)[-1]
        RULES[code] = Rule(code, tuple(f"JW{m}" for m in messages), nl, en, theme, fn)
        return fn

    return deco


class Ctx:
    """Collects the violations of one message; knows its Dagtekening."""

    __slots__ = ("_years_back", "dagtekening", "errors", "message")

    def __init__(self, message: str, dagtekening: date):
        self.message = message
        self.dagtekening = dagtekening
        self.errors: list[IjwError] = []
        self._years_back: dict[int, date] = {}

    def add(self, code: str, path: str, en: str, nl: str, value: Any = None) -> None:
        """Report a violation; the rule code is appended to both reasons."""
        self.errors.append(
            IjwError(
                code,
                path,
                f"{en} ({code})",
                f"{nl} ({code})",
                None if value is None else fmt(value),
            )
        )

    def years_before_dagtekening(self, years: int) -> date:
        """Dagtekening minus ``years`` calendar years (29 February becomes 28 February)."""
        d = self._years_back.get(years)
        if d is None:
            d = self._years_back[years] = years_before(self.dagtekening, years)
        return d


def years_before(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year - years)
    except ValueError:  # 29 February in a non-leap target year
        return d.replace(year=d.year - years, day=28)


def last_day_of_month(d: date) -> date:
    return (d.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def fmt(value: Any) -> str:
    """How a value is shown in a reason."""
    if value is None:
        return "(empty)"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fmt_nl(value: Any) -> str:
    return "(leeg)" if value is None else fmt(value)


def fmt_period(begin: date | None, end: date | None) -> str:
    return f"{fmt(begin) if begin else '…'}..{fmt(end) if end else 'open'}"


def fmt_period_nl(begin: date | None, end: date | None) -> str:
    return f"{fmt(begin) if begin else '…'}..{fmt(end) if end else 'open einde'}"
