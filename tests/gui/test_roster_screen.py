"""The roster table model against Qt's model tester, and the roster screen's filters and search."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QAbstractItemModelTester

from tests.conftest import ADMIN, CLERK
from tests.helpers import write_rows
from workbench.gui.roster_model import RosterFilter, RosterModel
from workbench.gui.roster_page import RosterPage
from workbench.services.policy import active_policy
from workbench.services.roster_views import roster_table, township_names
from workbench.services.roster_import import import_roster
from workbench.synthetic import SyntheticCounty


@pytest.fixture
def county(sqlite_db, tmp_path):
    with sqlite_db.unit_of_work(ADMIN) as uow:
        policy = active_policy(uow)
    rows = SyntheticCounty(policy, seed=7, today=date.today()).rows(400)
    import_roster(sqlite_db, CLERK, write_rows(tmp_path / "county.xlsx", rows))
    return sqlite_db, rows


def test_model_passes_qt_model_tester_while_parts_arrive_and_filters_change(county, qtmodeltester, qtlog):
    db, rows = county
    model = RosterModel()
    live = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    for township in township_names(db, CLERK):
        model.append(roster_table(db, CLERK, township=township))
    assert model.rowCount() == model.total() == len(rows)
    first_town = model.table.townships[0]
    model.set_filter(RosterFilter(township=first_town))
    assert model.rowCount() == sum(row["乡镇"] == first_town for row in rows)
    model.append(roster_table(db, CLERK, township=township_names(db, CLERK)[0]))  # arrives while filtered
    model.set_filter(RosterFilter(status="已故"))
    model.set_filter(RosterFilter(query="王"))
    qtmodeltester.check(model, force_py=False)
    model.clear()
    qtmodeltester.check(model, force_py=False)
    del live
    failures = [record.message for record in qtlog.records if "FAIL" in record.message]
    assert failures == []


def test_cells_show_the_roster_with_numbers_masked_for_a_clerk(county):
    db, rows = county
    model = RosterModel()
    model.append(roster_table(db, CLERK))
    names = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert sorted(names) == sorted(row["姓名"] for row in rows)
    number = model.data(model.index(0, 1))
    assert "*" in number and len(number) == 18
    assert model.headerData(0, Qt.Orientation.Horizontal) == "姓名"
    assert isinstance(model.data(model.index(0, 0), Qt.ItemDataRole.UserRole), int)


def test_search_by_initials_name_and_id_and_filters(county, qtbot):
    db, rows = county
    page = RosterPage(db, ADMIN)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    assert page.model.rowCount() == len(rows)
    target = rows[17]
    qtbot.keyClicks(page.search_box, target["身份证号"][:14])
    found = {page.model.data(page.model.index(row, 0)) for row in range(page.model.rowCount())}
    assert target["姓名"] in found and page.model.rowCount() < len(rows)
    page.search_box.clear()
    from workbench.domain.search import name_initials

    initials = name_initials(target["姓名"]).split("|")[0]
    qtbot.keyClicks(page.search_box, initials)
    shown = [page.model.data(page.model.index(row, 0)) for row in range(page.model.rowCount())]
    assert target["姓名"] in shown
    assert all(initials in name_initials(name) for name in shown)
    assert "显示" in page.count_label.text()
    page.search_box.clear()
    # The township node filters to that township; a village node to that village.
    town_node = page._townships[target["乡镇"]]
    page.tree.setCurrentItem(town_node)
    assert page.model.rowCount() == sum(row["乡镇"] == target["乡镇"] for row in rows)
    village_node = next(town_node.child(i) for i in range(town_node.childCount()) if town_node.child(i).text(0) == target["村(社区)"])
    page.tree.setCurrentItem(village_node)
    assert page.model.rowCount() == sum(row["乡镇"] == target["乡镇"] and row["村(社区)"] == target["村(社区)"] for row in rows)
    page.tree.setCurrentItem(page._county)
    page.status_box.setCurrentText("已故")
    assert page.model.rowCount() == sum(bool(row.get("死亡日期")) for row in rows)


def test_a_clerk_finds_a_person_by_the_whole_id_number_only(county, qtbot):
    db, rows = county
    page = RosterPage(db, CLERK)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.loading, timeout=20_000)
    target = rows[5]
    qtbot.keyClicks(page.search_box, target["身份证号"][:10])
    assert page.model.rowCount() == 0  # masked digits are not searchable
    page.search_box.setText(target["身份证号"])
    assert page.model.rowCount() == 1 and page.model.data(page.model.index(0, 0)) == target["姓名"]
