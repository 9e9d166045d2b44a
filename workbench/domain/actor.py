"""Who a use case acts for."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a use case acts for; `townships` limits a township user (乡镇经办) to those
    townships' people (empty: the whole county)."""

    name: str
    role: str
    townships: tuple[str, ...] = ()

    @property
    def county_wide(self) -> bool:
        return not self.townships
