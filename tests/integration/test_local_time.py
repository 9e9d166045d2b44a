"""Times are stored in UTC and shown in the PC's zone: in China a record made at 07:30 local time
(23:30 UTC the day before) is found under its local day and shown as 07:30."""
from __future__ import annotations

import time
from datetime import date, datetime

import pytest
from tests.conftest import ADMIN
from workbench.domain.localtime import shown, start_of_day
from workbench.services.accounts import add_user
from workbench.services.audit import search_audit


@pytest.fixture
def china(monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_a_stored_moment_is_shown_in_local_time(china):
    assert shown(datetime(2026, 12, 5, 23, 30, 0)) == "2026-12-06 07:30:00"
    assert shown(datetime(2026, 12, 5, 23, 30, 0), seconds=False) == "2026-12-06 07:30"
    assert start_of_day(date(2026, 12, 6)) == datetime(2026, 12, 5, 16, 0, 0)


def test_the_log_is_searched_by_local_days(db, china, monkeypatch):
    from workbench.store import uow

    with monkeypatch.context() as clock:
        clock.setattr(uow, "now", lambda: datetime(2026, 12, 5, 23, 30))  # 07:30 on 6 December, Beijing time
        add_user(db, ADMIN, "early", "经办", "early-bird-1")
    found = search_audit(db, ADMIN, since=date(2026, 12, 6), until=date(2026, 12, 6))
    assert [entry.entity_id for entry in found] == ["early"] and shown(found[0].at) == "2026-12-06 07:30:00"
    assert not search_audit(db, ADMIN, since=date(2026, 12, 5), until=date(2026, 12, 5))
