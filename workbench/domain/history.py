"""A person's dated status facts (状态历史): what held in a given month.

Facts are appended, never overwritten. The value in force in month M is that of the fact with
the latest `from_month` on or before M; of two facts for the same month the one recorded later
(the correction) wins. Before any fact, a kind has its default (否 for 低保, say).
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from workbench.domain.month import Month
from workbench.domain.vocabulary import NONE_VALUE, STATUS_DEFAULTS


class Fact(NamedTuple):
    """One status fact: `kind` has `value` from `from_month` on."""

    kind: str
    value: str
    from_month: Month
    seq: int  # recording order (the row id): later corrections win


class StatusHistory:
    """A person's facts, grouped by kind on first use: a run reads most people once, through
    `in_force`, which needs no grouping. Immutable: people with the same facts may share one,
    and `in_force` remembers its answers."""

    __slots__ = ("_facts", "_grouped", "_in_force")

    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._facts = tuple(facts)
        self._grouped: dict[str, list[Fact]] | None = None
        self._in_force: dict[tuple[Month, frozenset[str] | None], tuple[tuple[str, str | None], ...]] | None = None

    @property
    def _by_kind(self) -> dict[str, list[Fact]]:
        if self._grouped is None:
            grouped: dict[str, list[Fact]] = {}
            for fact in self._facts:
                grouped.setdefault(fact.kind, []).append(fact)
            for entries in grouped.values():
                entries.sort(key=lambda fact: (fact.from_month, fact.seq))
            self._grouped = dict(sorted(grouped.items()))
        return self._grouped

    def value(self, kind: str, month: Month) -> str | None:
        """The value in force in `month`, or the kind's default (None: no such status)."""
        current = STATUS_DEFAULTS[kind]
        for fact in self._by_kind.get(kind, ()):
            if fact.from_month > month:
                break
            current = None if fact.value == NONE_VALUE else fact.value
        return current

    def in_force(self, month: Month, kinds: frozenset[str] | None = None) -> tuple[tuple[str, str | None], ...]:
        """The kinds whose value in `month` is not their default, with that value, in kind order:
        equal for two histories exactly when every kind has the same value in `month`. With
        `kinds`, only those kinds."""
        remembered = self._in_force
        if remembered is None:
            remembered = self._in_force = {}
        found = remembered.get((month, kinds))
        if found is None:
            found = remembered[(month, kinds)] = self._values_in_force(month, kinds)
        return found

    def in_force_through(self, first: Month, last: Month, kinds: frozenset[str] | None = None) -> tuple | StatusHistory:
        """What decides `in_force` (with `kinds`) for every month from `first` through `last`: the
        values at `first` when no fact of those kinds begins after it and on or before `last`, else
        the history itself."""
        for fact in self._facts:
            if first < fact.from_month <= last and (kinds is None or fact.kind in kinds):
                return self
        return self.in_force(first, kinds)

    def _values_in_force(self, month: Month, kinds: frozenset[str] | None) -> tuple[tuple[str, str | None], ...]:
        latest: dict[str, Fact] = {}
        for fact in self._facts:
            if fact.from_month <= month:
                known = latest.get(fact.kind)
                if known is None or (fact.from_month, fact.seq) > (known.from_month, known.seq):
                    latest[fact.kind] = fact
        found = []
        for kind, fact in latest.items():
            value = None if fact.value == NONE_VALUE else fact.value
            if value != STATUS_DEFAULTS[kind] and (kinds is None or kind in kinds):
                found.append((kind, value))
        found.sort()
        return tuple(found)

    def facts(self, kind: str) -> list[Fact]:
        return list(self._by_kind.get(kind, ()))

    def kinds(self) -> set[str]:
        return set(self._by_kind)
