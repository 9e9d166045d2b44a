"""The people a service asks for are read whole and alone, however their ids lie."""
from sqlalchemy import select

from tests.conftest import CLERK, TODAY
from tests.helpers import write_rows
from workbench.domain.policy import parse_policy
from workbench.paths import policy_presets_dir
from workbench.services.accounts import SYSTEM
from workbench.services.roster_import import import_roster
from workbench.store.ledger import SPAN, SPARSE, load_people
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
