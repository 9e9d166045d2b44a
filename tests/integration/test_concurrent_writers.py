"""Several processes importing at once: every write lands, none is lost or duplicated."""
import multiprocessing
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import ADMIN, TODAY
from tests.helpers import make_id, roster_row, write_rows
from workbench.bootstrap import open_database
from workbench.domain.actor import Actor
from workbench.services.roster_import import import_roster
from workbench.store.models import AuditRecord, Person
from workbench.store.uow import audit_hash

WORKERS = 4
PEOPLE_EACH = 150


def _import_in_child(url: str, path: str, queue) -> None:
    db = open_database(url)
    try:
        report = import_roster(db, Actor("clerk", "经办"), Path(path), today=TODAY)
        queue.put(report.added)
    except Exception as problem:  # reported to the parent, which fails the test
        queue.put(repr(problem))
    finally:
        db.close()


def test_parallel_imports_all_land(db, tmp_path):
    files = []
    for worker in range(WORKERS):
        rows = [
            roster_row(姓名="王德福", 身份证号=make_id(date(1930 + worker, 1, 1), 2 * index + 1), 出生日期="", 性别="男")
            for index in range(PEOPLE_EACH)
        ]
        files.append(str(write_rows(tmp_path / f"w{worker}.xlsx", rows)))
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_import_in_child, args=(db.url, path, queue)) for path in files]
    for child in children:
        child.start()
    results = [queue.get(timeout=120) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert results == [PEOPLE_EACH] * WORKERS
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Person)) == WORKERS * PEOPLE_EACH
        assert uow.session.scalar(select(func.count(func.distinct(Person.id_number)))) == WORKERS * PEOPLE_EACH
        # The audit chain stayed one chain while four writers appended to it.
        records = uow.session.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
        previous = "0" * 64
        for record in records:
            fields = {"at": record.at, "user_name": record.user_name, "installation": record.installation,
                      "action": record.action, "entity": record.entity, "entity_id": record.entity_id, "detail": record.detail}
            assert record.prev_hash == previous
            assert record.hash == audit_hash(previous, fields)
            previous = record.hash
        assert sum(record.action == "导入花名册" for record in records) == WORKERS


def test_two_imports_of_the_same_new_person_never_make_two(db, tmp_path):
    rows = [roster_row()]
    files = [str(write_rows(tmp_path / f"same{n}.xlsx", rows)) for n in range(2)]
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    children = [context.Process(target=_import_in_child, args=(db.url, path, queue)) for path in files]
    for child in children:
        child.start()
    results = sorted(str(queue.get(timeout=120)) for _ in children)
    for child in children:
        child.join(timeout=60)
    # Either the second saw the first and updated, or it was refused with a retry message.
    assert results[0] in ("0", "1")
    assert results[1] == "1" or "请重新导入" in results[1], results
    with db.unit_of_work(ADMIN) as uow:
        assert uow.session.scalar(select(func.count()).select_from(Person)) == 1
