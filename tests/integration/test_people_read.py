"""The people a service asks for are read whole and alone, however their ids lie."""
from sqlalchemy import select

from tests.conftest import CLERK, REVIEWER, TODAY
from tests.helpers import write_rows
from workbench.domain.month import Month
from workbench.domain.policy import parse_policy
from workbench.paths import policy_presets_dir
from workbench.services.accounts import SYSTEM
from workbench.services.payout import approve_month, run_month
from workbench.services.roster_import import import_roster
from workbench.store.ledger import SPAN, SPARSE, HeldAhead, held_in_window, load_people, person_spans
from workbench.store.models import Person
from workbench.synthetic import SyntheticCounty


def _as_read(people):
    return {person_id: (person.birth_date, sorted(fact for kind in person.history.kinds() for fact in person.history.facts(kind)),
                        person.enrollments, person.death_date, person.moved_out_date, person.checked_years)
            for person_id, person in people.items()}


def test_some_people_read_by_span_or_by_list_are_the_same_people(db, tmp_path):
    policy = parse_policy((policy_presets_dir() / "yangcheng.toml").read_text(encoding="utf-8"))
    rows = SyntheticCounty(policy, seed=5, today=TODAY).rows(300)
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=TODAY)
    with db.unit_of_work(SYSTEM) as uow:
        ids = sorted(uow.session.scalars(select(Person.id)))
        alone = {}
        for person_id in ids:  # one id at a time: listed, never a span
            alone.update(load_people(uow, only={person_id}))
        assert sum(1 for person in alone.values() if person.history.kinds()) > 100
        for wanted in (set(ids[::2]), set(ids[::SPARSE]), set(ids[5:5 + SPAN]), {ids[0], ids[-1]}, set(ids)):
            assert _as_read(load_people(uow, only=wanted)) == _as_read({i: alone[i] for i in wanted})


def test_what_was_paid_is_read_beside_the_run_as_on_its_own_connection(db, tmp_path):
    """`HeldAhead` reads each next span on a connection of its own while the caller works:
    each span's lines and openings are those `held_in_window` reads in the caller's transaction."""
    policy = parse_policy((policy_presets_dir() / "yangcheng.toml").read_text(encoding="utf-8"))
    first = Month.of(TODAY) - 2
    rows = SyntheticCounty(policy, seed=7, today=first.first_day()).rows(60)
    import_roster(db, CLERK, write_rows(tmp_path / "county.xlsx", rows), today=first.first_day())
    for month in (first, first + 1):
        run_month(db, CLERK, month, today=month.last_day())
        approve_month(db, REVIEWER, month)
    with db.unit_of_work(SYSTEM, write=True) as uow:
        spans = [span for span, _ in person_spans(uow, 7)]
        assert len(spans) > 5
        with HeldAhead(uow, first - 12, spans) as ahead:
            beside = [ahead.next() for _ in spans]
        alone = [held_in_window(uow, first - 12, span) for span in spans]
    assert sum(len(held.lines) for held in alone) > 40
    assert [(held.lines, dict(held.openings)) for held in beside] == [(held.lines, dict(held.openings)) for held in alone]
