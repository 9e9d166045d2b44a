"""报表: charts of a month (totals over its year, by township, by age band) and the statistics workbook."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QPieSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.errors import NotFound
from workbench.gui import common
from workbench.services.report import ReportFigures, monthly_report, report_figures
from workbench.store.uow import Actor
from workbench.gui.i18n import tr


def _bar_chart(title: str, series_name: str, labels: list[str], values: list[Decimal], unit: str,
               *, horizontal: bool = False) -> QChart:
    """Bars of `values` by `labels`; horizontal for long lists of names (townships)."""
    chart = QChart()
    chart.setTitle(title)
    bars = QBarSet(series_name)
    for value in values:
        bars.append(float(value))  # drawing only: the figures themselves stay Decimal
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(len(values) <= 12)
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(labels)
    if horizontal:
        categories.setTruncateLabels(False)
        small = QFont(categories.labelsFont())
        small.setPointSizeF(7)
        categories.setLabelsFont(small)
    amounts = QValueAxis()
    amounts.setLabelFormat("%.0f")
    amounts.setTitleText(unit)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(amounts)
    chart.legend().setVisible(False)
    return chart


class ReportsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.month_edit = common.month_edit()
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.export_button = QPushButton(tr("导出统计表(&X)…"))
        self.export_button.clicked.connect(self.export)
        self.summary = QLabel()
        self.views = [QChartView() for _ in range(4)]
        for view in self.views:
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(300)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("月份")))
        top.addWidget(self.month_edit)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)
        grid = QGridLayout()
        for index, view in enumerate(self.views):
            grid.addWidget(view, index // 2, index % 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        self.figures: ReportFigures | None = None
        self.refresh()

    def refresh(self) -> None:
        month = common.picked_month(self.month_edit)
        try:
            self.figures = report_figures(self.db, self.actor, month)
        except NotFound as absent:
            self.figures = None
            self.summary.setText(tr('{0} — 请先在「月度发放」中计算').format(absent))
            for view in self.views:
                view.setChart(QChart())
            self.export_button.setEnabled(False)
            return
        figures = self.figures
        self.export_button.setEnabled(True)
        towns = figures.by_township()
        people = sum(count for count, _ in towns.values())
        paid = sum((amount for _, amount in towns.values()), Decimal(0))
        self.summary.setText(tr('{0} ({1}): {2} 人, {3} 元').format(month, figures.state, people, paid))
        totals = figures.monthly_totals()
        self.views[0].setChart(_bar_chart(tr('{0} 年各月发放金额').format(month.year), tr("金额"),
                                          [f"{m.month}月" for m, _ in totals], [amount for _, amount in totals], tr("元")))
        self.views[1].setChart(_bar_chart(tr("各乡镇发放金额"), tr("金额"), list(towns), [amount for _, amount in towns.values()], tr("元"),
                                          horizontal=True))
        self.views[2].setChart(_bar_chart(tr("各乡镇发放人数"), tr("人数"), list(towns),
                                          [Decimal(count) for count, _ in towns.values()], tr("人"), horizontal=True))
        pie = QPieSeries()
        for band, tally in sorted(figures.by_age.items()):
            slice_ = pie.append(f"{band} {len(tally.people)}人", float(tally.paid))
            slice_.setLabelVisible(True)
        chart = QChart()
        chart.setTitle(tr("按年龄段的发放金额"))
        chart.addSeries(pie)
        chart.legend().setVisible(False)
        self.views[3].setChart(chart)

    def export(self) -> None:
        month = common.picked_month(self.month_edit)
        path = common.save_file(self, tr("保存统计表"), tr('{0}_统计表.xlsx').format(month), tr("Excel 文件 (*.xlsx)"))
        if path and common.attempt(self, tr("导出统计表"), lambda: monthly_report(self.db, self.actor, month, Path(path))):
            self.summary.setText(tr('已导出 {0}').format(path))
