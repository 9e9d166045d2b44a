"""A person found for a use case by ID number or id, within the acting user's townships."""
from __future__ import annotations

from sqlalchemy import select

from workbench.domain.errors import InvalidInput, NotFound
from workbench.domain.idnumber import InvalidIdNumber, mask_id_number, parse_id_number
from workbench.services.scope import check_person
from workbench.store.models import Person
from workbench.store.uow import UnitOfWork


def find_person(uow: UnitOfWork, id_number: str) -> Person:
    try:
        number = parse_id_number(id_number).number
    except InvalidIdNumber as problem:
        raise InvalidInput(f"身份证号无效: {problem}") from None
    person = uow.session.scalar(select(Person).where(Person.id_number == number))
    if person is None:
        raise NotFound(f"花名册中没有身份证号为 {mask_id_number(number)} 的人员")
    return check_person(uow.session, uow.actor, person)


def person_by(uow: UnitOfWork, who: str | int) -> Person:
    if isinstance(who, str):
        return find_person(uow, who)
    person = uow.session.get(Person, who)
    if person is None:
        raise NotFound("花名册中没有这个人员")
    return check_person(uow.session, uow.actor, person)
