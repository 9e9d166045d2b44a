"""A person's dated status facts (状态历史): what held in a given month.

Facts are appended, never overwritten. The value in force in month M is that of the fact with
the latest `from_month` on or before M; of two facts for the same month the one recorded later
(the correction) wins. Before any fact, a kind has its default (否 for 低保, say).
"""
from __future__ import annotations

from typing import Iterable, NamedTuple

from workbench.domain.month import Month
from workbench.domain.vocabulary import NONE_VALUE, STATUS_KINDS


class Fact(NamedTuple):
    """One status fact: `kind` has `value` from `from_month` on."""

    kind: str
    value: str
    from_month: Month
    seq: int  # recording order (the row id): later corrections win


class StatusHistory:
    def __init__(self, facts: Iterable[Fact] = ()) -> None:
        self._by_kind: dict[str, list[Fact]] = {}
        for fact in facts:
            self._by_kind.setdefault(fact.kind, []).append(fact)
        for entries in self._by_kind.values():
            entries.sort(key=lambda fact: (fact.from_month, fact.seq))

    def value(self, kind: str, month: Month) -> str | None:
        """The value in force in `month`, or the kind's default (None: no such status)."""
        current = STATUS_KINDS[kind][2]
        for fact in self._by_kind.get(kind, ()):
            if fact.from_month > month:
                break
            current = None if fact.value == NONE_VALUE else fact.value
        return current

    def facts(self, kind: str) -> list[Fact]:
        return list(self._by_kind.get(kind, ()))

    def kinds(self) -> set[str]:
        return set(self._by_kind)
