"""What an earlier system paid (已发放至), recorded once as that system's payments.

An import that sets or changes a person's 已发放至 (or the approval of an application that
carries one) records the months it newly covers, valued then (`ledger.opening_payments`). Months
already recorded keep their value; months no longer covered are removed. Runs read these as
paid, with the ledger's own lines (`store.ledger.paid_in_window`).
"""
from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select

from workbench.domain.ledger import opening_payments
from workbench.domain.month import Month
from workbench.store.bulk import bulk_insert, chunks
from workbench.store.ledger import load_entitlement, load_people, months_of
from workbench.store.models import PriorPayment
from workbench.store.uow import now

COLUMNS = ("person_id", "item_code", "first_month", "amounts", "recorded_at", "recorded_by")


def record_opening(uow, person_ids: Iterable[int], *, user: str | None = None) -> int:
    """Bring the recorded payments of an earlier system for `person_ids` in line with their
    approved enrollments' 已发放至; returns how many (person, item) records were written anew.

    `uow` needs only `session` (an Alembic migration passes its own)."""
    wanted = set(person_ids)
    if not wanted:
        return 0
    session = uow.session
    entitlement = load_entitlement(uow)
    back_pay = entitlement.policy.back_pay_months
    recorded: dict[tuple[int, str], tuple[Month, str]] = {}
    for chunk in chunks(sorted(wanted)):
        query = select(PriorPayment.person_id, PriorPayment.item_code, PriorPayment.first_month, PriorPayment.amounts)
        for person_id, code, first, amounts in session.execute(query.where(PriorPayment.person_id.in_(chunk))):
            recorded[(person_id, code)] = (first, amounts)
    people = load_people(uow, only=wanted)
    rows, doomed = [], set(recorded)
    moment, who = now(), user or uow.actor.name
    alike: dict = {}
    for person_id in sorted(wanted):
        person = people.get(person_id)
        valued = opening_payments(entitlement, person, back_pay, alike) if person is not None else {}
        for code, (first, amounts) in valued.items():
            before = recorded.get((person_id, code))
            if before is None:
                merged = " ".join(map(str, amounts))
            else:  # months already recorded keep their value
                kept = dict(months_of(*before))
                merged = " ".join(str(kept.get(first + offset, amount)) for offset, amount in enumerate(amounts))
            if before == (first, merged):
                doomed.discard((person_id, code))
                continue
            rows.append((person_id, code, first, merged, moment, who))
    for person_id, code in sorted(doomed):  # removed, or recorded anew below
        session.execute(delete(PriorPayment).where(PriorPayment.person_id == person_id, PriorPayment.item_code == code))
    bulk_insert(session, PriorPayment.__table__, COLUMNS, rows)
    return len(rows)
