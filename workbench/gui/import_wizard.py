"""Import wizard: choose the file, see how its headers are read, dry run with the error list, import."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout, QWizard, QWizardPage,
)

from workbench.bootstrap import Database
from workbench.documents.roster_workbook import write_errors
from workbench.domain.actor import Actor
from workbench.domain.errors import ImportRejected, WorkbenchError
from workbench.gui import common
from workbench.gui.tasks import Task
from workbench.services.roster_import import ImportReport, header_mapping, import_roster
from workbench.gui.i18n import tr


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.setTitle(tr("第 1 步: 选择花名册文件"))
        self.setSubTitle(tr("使用「花名册模板」填写的 .xlsx 文件; 工作表名「花名册」, 第 1 行为列名。"))
        self.path_edit = QLineEdit()
        self.path_edit.textChanged.connect(self.completeChanged)
        browse = QPushButton(tr("浏览(&B)…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout(self)
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        self.registerField("path*", self.path_edit)

    def browse(self) -> None:
        path = common.open_file(self, tr("选择花名册文件"), tr("Excel 文件 (*.xlsx)"))
        if path:
            self.path_edit.setText(path)

    def isComplete(self) -> bool:
        return Path(self.path_edit.text().strip()).is_file()


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("第 2 步: 列的对应"))
        self.setSubTitle(tr("文件中的每一列按哪个模板列读取; 未识别的列不导入。"))
        self.table = common.read_only_table((tr("文件中的列"), tr("读作模板列")))
        self.missing = QLabel()
        self.missing.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.missing)
        self.ok = False

    def initializePage(self) -> None:
        path = Path(self.field("path").strip())
        try:  # a file without every required column is refused, naming them and where it looked
            mapping, self.missing_text = header_mapping(path), ""
        except WorkbenchError as problem:
            mapping, self.missing_text = [], str(problem)
        common.fill_table(self.table, [(header, known or "(不导入)") for header, known in mapping])
        self.missing.setText(self.missing_text)
        self.ok = not self.missing_text
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.ok


class CheckPage(QWizardPage):
    """The dry run: every row checked, nothing written; the errors listed by row and column."""

    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("第 3 步: 检查 (不写入数据)"))
        self.setCommitPage(True)  # after this page the import runs; there is no going back
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("导入(&I)"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.errors_table = common.read_only_table((tr("行"), tr("列"), tr("问题")))
        self.valid_only = QCheckBox(tr("只导入没有错误的行 (有错误的行留待更正后再导入)"))
        self.valid_only.toggled.connect(self.completeChanged)
        self.save_errors = QPushButton(tr("保存错误清单(&E)…"))
        self.save_errors.clicked.connect(self.write_error_list)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.errors_table)
        row = QHBoxLayout()
        row.addWidget(self.valid_only)
        row.addWidget(self.save_errors)
        layout.addLayout(row)
        self.errors = []
        self.checked = False

    def initializePage(self) -> None:
        self.checked, self.errors = False, []
        self.summary.setText(tr("正在检查每一行…"))
        self.progress.show()
        self.valid_only.setChecked(False)
        path = Path(self.field("path").strip())
        self.task = Task(lambda _progress: self._dry_run(path), self)
        self.task.succeeded.connect(self._shown)
        self.task.failed.connect(lambda message: self._shown(message))
        self.task.start()

    def _dry_run(self, path: Path):
        try:
            return import_roster(self.owner.db, self.owner.actor, path, dry_run=True)
        except ImportRejected as rejected:
            return rejected

    def _shown(self, result) -> None:
        self.progress.hide()
        if isinstance(result, ImportReport):
            self.errors = list(result.errors)
            self.summary.setText(tr('共 {0} 行, 全部通过检查: 将新增 {1} 人, 更新 {2} 人。').format(result.rows, result.added, result.updated)
                                 + (tr(" ({0})").format(result.where) if result.where else ""))
        elif isinstance(result, ImportRejected):
            self.errors = list(result.errors)
            rows = len({error.row for error in self.errors})
            self.summary.setText(tr('发现 {0} 处错误, 涉及 {1} 行。更正后重新选择文件, 或勾选下方选项只导入没有错误的行。').format(len(self.errors), rows))
        else:
            self.summary.setText(str(result))
        common.fill_table(self.errors_table, [(error.row, error.column, error.reason) for error in self.errors[:5000]])
        self.save_errors.setEnabled(bool(self.errors))
        self.valid_only.setEnabled(bool(self.errors) and isinstance(result, ImportRejected))
        self.checked = isinstance(result, (ImportReport, ImportRejected))
        self.completeChanged.emit()

    def write_error_list(self) -> None:
        path = common.save_file(self, tr("保存错误清单"), tr("花名册错误清单.xlsx"), tr("Excel 文件 (*.xlsx)"))
        if path:
            write_errors(Path(path), self.errors)

    def isComplete(self) -> bool:
        return self.checked and (not self.errors or self.valid_only.isChecked())


class ImportPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.owner = wizard
        self.setTitle(tr("第 4 步: 导入"))
        self.progress = QProgressBar()
        self.result = QLabel()
        self.result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.result)
        self.done = False

    def initializePage(self) -> None:
        self.done = False
        path = Path(self.field("path").strip())
        valid_only = self.owner.check_page.valid_only.isChecked()
        self.result.setText(tr("正在导入…"))
        self.task = Task(lambda progress: import_roster(self.owner.db, self.owner.actor, path, valid_only=valid_only,
                                                        progress=progress), self)
        self.task.progressed.connect(lambda done, total: (self.progress.setMaximum(max(total, 1)), self.progress.setValue(done)))
        self.task.succeeded.connect(self._finished)
        self.task.failed.connect(lambda message: self.result.setText(tr('导入失败, 未写入任何数据: {0}').format(message)))
        self.task.start()

    def _finished(self, report: ImportReport) -> None:
        self.progress.setMaximum(1)
        self.progress.setValue(1)
        skipped = f", 跳过有错误的 {report.rejected_rows} 行" if report.rejected_rows else ""
        self.result.setText(tr('导入完成: 新增 {0} 人, 更新 {1} 人, 无变化 {2} 人{3}。').format(report.added, report.updated, report.unchanged, skipped))
        self.done = True
        self.completeChanged.emit()
        self.owner.imported.emit()

    def isComplete(self) -> bool:
        return self.done


class ImportWizard(QWizard):
    imported = Signal()

    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.setWindowTitle(tr("导入花名册"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("下一步(&N) >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("< 上一步(&B)"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("完成"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("取消"))
        self.file_page, self.mapping_page = FilePage(self), MappingPage(self)
        self.check_page, self.import_page = CheckPage(self), ImportPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.import_page):
            self.addPage(page)
        self.resize(720, 520)
