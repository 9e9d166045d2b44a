"""报表: charts of a month (totals over its year, by township, by age band) and the statistics workbook."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries, QPieSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from workbench.bootstrap import Database
from workbench.domain.actor import Actor
from workbench.domain.errors import NotFound, WorkbenchError
from workbench.gui import common
from workbench.services.payout import month_that_matters
from workbench.services.report import ReportFigures, monthly_report, report_figures
from workbench.gui.i18n import tr


def money_scale(values: list[Decimal]) -> tuple[Decimal, str]:
    """The unit a chart of amounts is drawn in: 元, or 万元 once amounts reach ten thousand."""
    return (Decimal(10000), "万元") if values and max(abs(value) for value in values) >= 10000 else (Decimal(1), "元")


def money_text(amount: Decimal) -> str:
    """An amount as a clerk reads it: thousands separated, two decimals, 元."""
    return f"{amount:,.2f} 元"


def _bar_chart(title: str, series_name: str, labels: list[str], values: list[Decimal], unit: str,
               *, horizontal: bool = False, money: bool = False) -> QChart:
    """Bars of `values` by `labels`; horizontal for long lists of names (townships). Amounts are
    drawn in 元 or 万元 with two decimals, never in exponent notation."""
    chart = QChart()
    chart.setTitle(title)
    scale, unit = money_scale(values) if money else (Decimal(1), unit)
    bars = QBarSet(series_name)
    for value in values:
        bars.append(float(round(value / scale, 2)))  # drawing only: the figures themselves stay Decimal
    series = QHorizontalBarSeries() if horizontal else QBarSeries()
    series.append(bars)
    series.setLabelsVisible(len(values) <= 12)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(12)  # 3346880.5, never 3.34688e+06
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(labels)
    if horizontal:
        categories.setTruncateLabels(False)
        small = QFont(categories.labelsFont())
        small.setPointSizeF(7)
        categories.setLabelsFont(small)
    amounts = QValueAxis()
    amounts.setLabelFormat("%.2f" if money and scale > 1 else "%.0f")
    amounts.setTitleText(unit)
    if values and max(values) > 0:
        amounts.setRange(0, float(max(values) / scale) * 1.1)
        amounts.applyNiceNumbers()
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(amounts)
    chart.legend().setVisible(False)
    return chart


def _pie_chart(title: str, slices: list[tuple[str, int, Decimal]]) -> QChart:
    """Shares of the amount by age band: the legend names every band with its people and amount;
    only slices large enough carry a label, so small neighbours never print over each other."""
    pie = QPieSeries()
    total = sum((amount for _label, _people, amount in slices), Decimal(0))
    for label, _people, amount in slices:
        share = amount / total if total else Decimal(0)
        slice_ = pie.append(f"{label} {share:.0%}", float(amount))
        slice_.setLabelVisible(share >= Decimal("0.08"))
    chart = QChart()
    chart.setTitle(title)
    chart.addSeries(pie)
    legend = chart.legend()
    legend.setVisible(True)
    legend.setAlignment(Qt.AlignmentFlag.AlignRight)
    for marker, (label, people, amount) in zip(legend.markers(pie), slices):
        marker.setLabel(f"{label}: {people} 人, {money_text(amount)}")
    return chart


class ReportsPage(QWidget):
    def __init__(self, db: Database, actor: Actor, parent=None) -> None:
        super().__init__(parent)
        self.db, self.actor = db, actor
        self.month_edit = common.month_edit(month_that_matters(db, actor))
        self.month_edit.dateChanged.connect(lambda _date: self.refresh())
        self.export_button = QPushButton(tr("导出统计表(&X)…"))
        self.export_button.clicked.connect(self.export)
        self.summary = QLabel()
        self.views = [QChartView() for _ in range(4)]
        for view in self.views:
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            view.setMinimumHeight(300)
        top = QHBoxLayout()
        top.addWidget(common.labelled(tr("月份(&M)"), self.month_edit))
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
        except WorkbenchError as absent:  # no batch yet; or a township user, for whom the county's figures are not
            self.figures = None
            self.summary.setText(tr('{0} — 请先在「月度发放」中计算').format(absent) if isinstance(absent, NotFound) else str(absent))
            for view in self.views:
                view.setChart(QChart())
            self.export_button.setEnabled(False)
            return
        figures = self.figures
        self.export_button.setEnabled(True)
        towns = figures.by_township()
        people = sum(count for count, _ in towns.values())
        paid = sum((amount for _, amount in towns.values()), Decimal(0))
        self.summary.setText(tr('{0} ({1}): {2} 人, {3}').format(month, figures.state, people, money_text(paid)))
        totals = figures.monthly_totals()
        self.views[0].setChart(_bar_chart(tr('{0} 年各月发放金额').format(month.year), tr("金额"),
                                          [f"{m.month}月" for m, _ in totals], [amount for _, amount in totals], tr("元"),
                                          money=True))
        self.views[1].setChart(_bar_chart(tr("各乡镇发放金额"), tr("金额"), list(towns), [amount for _, amount in towns.values()], tr("元"),
                                          horizontal=True, money=True))
        self.views[2].setChart(_bar_chart(tr("各乡镇发放人数"), tr("人数"), list(towns),
                                          [Decimal(count) for count, _ in towns.values()], tr("人"), horizontal=True))
        self.views[3].setChart(_pie_chart(tr("按年龄段的发放金额"), [
            (band, len(tally.people), tally.paid) for band, tally in sorted(figures.by_age.items())]))

    def export(self) -> None:
        month = common.picked_month(self.month_edit)
        path = common.save_file(self, tr("保存统计表"), tr('{0}_统计表.xlsx').format(month), tr("Excel 文件 (*.xlsx)"))
        if path and common.attempt(self, tr("导出统计表"), lambda: monthly_report(self.db, self.actor, month, Path(path))):
            self.summary.setText(tr('已导出 {0}').format(path))
