"""What a township user (乡镇经办) may reach: the people of their townships, nothing county-wide.

A user limited to some townships (`Actor.townships`) sees, searches, prints and changes only the
people living there. The rules are here, once, and the services apply them; the window only shows
what the services give.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, select

from workbench.domain.actor import Actor
from workbench.domain.errors import PermissionDenied
from workbench.store.models import Person, Township, Village


def scope_text(actor: Actor) -> str:
    return "、".join(actor.townships) if actor.townships else "全县"


def require_county(actor: Actor, what: str) -> None:
    """Refuse a county-wide operation (a payout run, the bank lists, the 汇总表) to a township user."""
    if not actor.county_wide:
        raise PermissionDenied(f"乡镇用户「{actor.name}」只负责 {scope_text(actor)}, 不能{what} (须由县级用户操作)")


def require_township(actor: Actor, township: str | None) -> None:
    """Refuse a township outside the user's, or the whole county (None) to a township user."""
    if actor.county_wide:
        return
    if township is None:
        raise PermissionDenied(f"乡镇用户「{actor.name}」只负责 {scope_text(actor)}, 请指定其中的乡镇")
    if township not in actor.townships:
        raise PermissionDenied(f"乡镇用户「{actor.name}」只负责 {scope_text(actor)}, 不能查看或修改「{township}」的人员")


def in_scope(actor: Actor, township: str) -> bool:
    return actor.county_wide or township in actor.townships


def township_condition(actor: Actor) -> ColumnElement[bool] | None:
    """A condition on Township.name for the townships the user may see (None: every township)."""
    return None if actor.county_wide else Township.name.in_(actor.townships)


def persons_in_scope(actor: Actor):
    """A subquery of the person ids the user may see, or None for a county user."""
    if actor.county_wide:
        return None
    return (select(Person.id).join(Village, Person.village_id == Village.id)
            .join(Township, Village.township_id == Township.id).where(Township.name.in_(actor.townships)))


def check_person(session, actor: Actor, person: Person) -> Person:
    """The person, if the user may reach them; a township user asking for someone elsewhere is
    told so (without the person's name or number)."""
    if actor.county_wide:
        return person
    township = session.scalar(select(Township.name).join(Village, Village.township_id == Township.id)
                              .where(Village.id == person.village_id))
    require_township(actor, township)
    return person
