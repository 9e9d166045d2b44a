"""花名册: the whole roster, filtered by township/village, status and item, searched as you type."""
from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QLabel, QPushButton, QSplitter, QTableView, QTreeWidget,
    QTreeWidgetItem, QVBoxLayout, QWidget,
)

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.roles import may
from workbench.gui import common
from workbench.gui.roster_model import RosterFilter, RosterLoader, RosterModel
from workbench.services.policy import current_policy
from workbench.services.roster_views import TABLE_STATUSES, person_id_of
from workbench.gui.i18n import tr

WHOLE_COUNTY = "全县"


class RosterPage(QWidget):
    loaded = Signal()  # every township is in

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.model = RosterModel(self, find_person=lambda number: person_id_of(db, actor, number))
        self.loader: RosterLoader | None = None
        self.loading = False
        self.last_search_ms = 0.0

        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("乡镇 / 村(社区)")])
        self.tree.currentItemChanged.connect(lambda *_: self.apply_filter())
        self.search_box = common.SearchEdit()
        self.search_box.setPlaceholderText(tr("搜索: 姓名、拼音首字母 (如 wdf) 或身份证号  Ctrl+F"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(lambda _text: self.apply_filter())
        self.status_box = QComboBox()
        self.status_box.addItem(tr("全部状态"), None)
        for status in TABLE_STATUSES:
            self.status_box.addItem(status, status)
        self.status_box.currentIndexChanged.connect(lambda _index: self.apply_filter())
        self.item_box = QComboBox()
        self.item_box.addItem(tr("全部项目"), None)
        for item in current_policy(db, actor).items:
            self.item_box.addItem(item.name, item.code)
        self.item_box.currentIndexChanged.connect(lambda _index: self.apply_filter())
        self.add_button = QPushButton(tr("新增人员(&N)"))
        self.add_button.setEnabled(may(actor.role, "edit_roster"))
        self.add_button.clicked.connect(lambda: self.open_person(None))
        self.import_button = QPushButton(tr("导入花名册(&I)…"))
        self.import_button.setEnabled(may(actor.role, "edit_roster"))
        self.import_button.clicked.connect(self.open_import)
        self.count_label = QLabel()

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((80, 170, 44, 44, 80, 100, 56, 56, 48, 72, 200)):
            self.view.setColumnWidth(column, width)
        self.view.activated.connect(lambda index: self.open_person(self.model.person_id(index.row())))
        self.view.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move within it
        self.search_box.to_results.connect(lambda: common.focus_results(self.view))

        bar = QHBoxLayout()
        bar.addWidget(self.search_box, 3)
        bar.addWidget(common.labelled(tr("状态(&Z)"), self.status_box))
        bar.addWidget(self.status_box)
        bar.addWidget(common.labelled(tr("项目(&X)"), self.item_box))
        bar.addWidget(self.item_box)
        bar.addWidget(self.add_button)
        bar.addWidget(self.import_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addLayout(bar)
        right_layout.addWidget(self.view)
        right_layout.addWidget(self.count_label)
        splitter = QSplitter()
        splitter.addWidget(self.tree)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([180, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search_box.setFocus)
        QShortcut(QKeySequence("Ctrl+N"), self, activated=lambda: self.add_button.isEnabled() and self.open_person(None))
        self.reload()

    # Loading
    def reload(self) -> None:
        if self.loader is not None:
            self.loader.stop()
            self.loader.wait()
        self.loading = True
        self.model.clear()
        self.tree.clear()
        self._county = QTreeWidgetItem(self.tree, [WHOLE_COUNTY])
        self._townships: dict[str, QTreeWidgetItem] = {}
        self.tree.setCurrentItem(self._county)
        self._county.setExpanded(True)
        self.loader = RosterLoader(self.db, self.actor, self)
        self.loader.part_loaded.connect(self._add_part)
        self.loader.failed.connect(lambda message: self.count_label.setText(tr('载入花名册失败: {0}').format(message)))
        self.loader.finished.connect(self._loading_done)
        self.loader.start()
        self._update_count()

    def _add_part(self, part) -> None:
        self.model.append(part)
        for township, village in dict.fromkeys(zip(part.townships, part.villages)):
            node = self._townships.get(township)
            if node is None:
                node = self._townships[township] = QTreeWidgetItem(self._county, [township])
            QTreeWidgetItem(node, [village])
        self._update_count()

    def _loading_done(self) -> None:
        self.loading = False
        self._update_count()
        self.loaded.emit()

    def _update_count(self) -> None:
        more = " (正在载入…)" if self.loading else ""
        self.count_label.setText(tr('共 {0:,} 人, 显示 {1:,} 人{2}').format(self.model.total(), self.model.rowCount(), more))

    # Filtering
    def apply_filter(self) -> None:
        node = self.tree.currentItem()
        township = village = None
        if node is not None and node is not self._county:
            if node.parent() is self._county:
                township = node.text(0)
            elif node.parent() is not None:
                township, village = node.parent().text(0), node.text(0)
        started = time.perf_counter()
        self.model.set_filter(RosterFilter(township, village, self.status_box.currentData(),
                                           self.item_box.currentData(), self.search_box.text()))
        self.last_search_ms = (time.perf_counter() - started) * 1000
        self._update_count()

    # Actions
    def open_person(self, person_id: int | None) -> None:
        from workbench.gui.person_dialog import PersonDialog

        dialog = PersonDialog(self.db, self.actor, person_id, self)
        dialog.saved.connect(self.reload)
        dialog.open()

    def open_import(self) -> None:
        from workbench.gui.import_wizard import ImportWizard

        wizard = ImportWizard(self.db, self.actor, self)
        wizard.imported.connect(self.reload)
        wizard.open()

    def shutdown(self) -> None:
        if self.loader is not None:
            self.loader.stop()
            self.loader.wait()
