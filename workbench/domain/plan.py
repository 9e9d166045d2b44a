"""Who a monthly run settles, and how (RunPlan).

A run settles each person one of three ways:
- WINDOW: the whole back-pay window, over what was paid (`ledger.settle` with the paid map);
- NEXT: only the run's month, the person being settled through the month before and nothing
  changed since; people alike share one computation (`ledger.settle_next`);
- AFTER: only the months after the last approved batch's (`ledger.settle` with `after`).

The plan is decided from what changed since when; the run then reads, settles and writes by it.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable

from workbench.domain.month import Month

WINDOW, NEXT, AFTER = "window", "next", "after"
Changes = Callable[[], "set[int] | None"]  # the people changed since some point; None: a change concerned everyone


@dataclass(frozen=True)
class RunPlan:
    """How the run of `month` settles each person.

    `everyone`: everyone's whole window (the first run, after a change concerning everyone, or asked
    for). `redo`: the draft is computed again for these people only, whole window; the draft keeps
    everyone else's lines. Otherwise `window` people get their whole window and everyone else is
    settled through `settled_through`, the last approved month.
    """

    month: Month
    everyone: bool = False
    redo: frozenset[int] | None = None
    window: frozenset[int] = frozenset()
    settled_through: Month | None = None

    @classmethod
    def decide(cls, month: Month, *, full: bool, has_draft: bool, changed_since_draft: Changes,
               previous: Month | None, changed_since_previous: Changes) -> RunPlan:
        """The plan for a run of `month`: `full` asks for everyone; `has_draft`, whether the month's
        draft exists (then only the people changed since it was computed are done again);
        `previous`, the last approved month before `month`. The changes are asked for only when
        needed."""
        if has_draft and not full:
            redo = changed_since_draft()
            if redo is not None:
                return cls(month, redo=frozenset(redo))
        if full or previous is None:
            return cls(month, everyone=True)
        window = changed_since_previous()
        if window is None:
            return cls(month, everyone=True)
        return cls(month, window=frozenset(window), settled_through=previous)

    @property
    def whole_window_for_all(self) -> bool:
        """Whether everyone this run reads is settled over the whole window (everyone, or a redo)."""
        return self.everyone or self.redo is not None

    def how(self, person_id: int) -> str:
        """WINDOW, NEXT or AFTER for one person."""
        if self.whole_window_for_all or person_id in self.window:
            return WINDOW
        return NEXT if self.settled_through == self.month - 1 else AFTER

    def opened(self, person_ids: Iterable[int]) -> RunPlan:
        """The plan with these people's whole window settled too: months before the last batch
        still open for them (an item paid in a later payment month; months an earlier system
        paid after the last batch)."""
        more = frozenset(person_ids) - self.window
        return replace(self, window=self.window | more) if more else self

    def recomputed(self) -> int | None:
        """How many people get their whole window; None: everyone."""
        if self.everyone:
            return None
        return len(self.redo if self.redo is not None else self.window)
