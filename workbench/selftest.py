"""`workbench selftest`, an entry point beside the command line and the window: what support staff
run when something is wrong on a PC. Every step the program needs, on a temporary database:
migrate, a few people, one month, a PDF, an xlsx, the window."""
from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from workbench.domain.actor import Actor

CLERK, REVIEWER = Actor("自检经办", "管理员"), Actor("自检审核", "审核")
SELFTEST_STEPS = 6


@dataclass(frozen=True)
class Step:
    name: str
    seconds: float
    problem: str | None  # None: the step passed


def run_selftest(report: Callable[[Step], None] | None = None) -> list[Step]:
    """Run each step in order; stop at the first that fails. Leaves nothing behind."""
    from workbench.bootstrap import open_database
    from workbench.documents.roster_workbook import write_roster
    from workbench.domain.month import Month
    from workbench.services.bank_export import export_bank
    from workbench.services.payout import approve_month, run_month
    from workbench.services.printing import print_summary
    from workbench.services.roster_import import import_roster
    from workbench.services.setup import initialize
    from workbench.synthetic import SyntheticCounty

    steps: list[Step] = []
    month = Month.of(date.today()) - 1
    with tempfile.TemporaryDirectory(prefix="workbench-selftest-") as folder:
        work = Path(folder)
        state: dict = {}

        def create():
            state["db"] = open_database(str(work / "selftest.db"))
            initialize(state["db"], "yangcheng")

        def people():
            from workbench.store.ledger import active_policy

            with state["db"].unit_of_work(CLERK) as uow:
                policy = active_policy(uow)
            rows = SyntheticCounty(policy, seed=7, today=month.first_day()).rows(30)
            write_roster(work / "roster.xlsx", rows)
            import_roster(state["db"], CLERK, work / "roster.xlsx", today=month.first_day())

        def compute():
            report = run_month(state["db"], CLERK, month)
            if report.people == 0:
                raise RuntimeError("计算结果为 0 人")
            approve_month(state["db"], REVIEWER, month)

        def pdf():
            out = print_summary(state["db"], CLERK, month, work / "summary.pdf")
            if out.stat().st_size < 1000:
                raise RuntimeError("PDF 文件过小")

        def xlsx():
            exported = export_bank(state["db"], CLERK, month, work / "bank", template_name="通用")
            import openpyxl

            openpyxl.load_workbook(exported.files[0].path).close()

        def window():
            import os
            import sys

            if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # a server without a screen
            from PySide6.QtWidgets import QApplication

            from workbench.gui.login import LoginDialog
            from workbench.gui.main_window import SCREENS, MainWindow, page_class
            from workbench.gui.style import configure

            for screen in SCREENS:  # each screen's module is there (it is imported when first opened)
                page_class(screen)

            app = QApplication.instance() or QApplication(["workbench-selftest"])
            configure(app)
            login = LoginDialog(state["db"])
            main = MainWindow(state["db"], CLERK)
            main.nav.setCurrentRow(4)  # 报表: the charts
            picture = main.grab()
            main.page("花名册").shutdown()
            main.close()
            login.close()
            if picture.isNull() or login.user_edit is None:
                raise RuntimeError("窗口无法绘制")
            from workbench.domain.search import name_initials

            if name_initials("王德福").split("|")[0] != "wdf":
                raise RuntimeError("姓名拼音首字母检索不可用")

        checks = (("创建并迁移临时数据库", create), ("导入模拟人员", people), (f"计算并审批 {month} 发放", compute),
                  ("生成 PDF (汇总表, 内嵌中文字体)", pdf), ("导出 xlsx (银行代发清单)", xlsx),
                  ("界面: 登录、主窗口与图表 (Qt)", window))
        try:
            for name, check in checks:
                began = time.perf_counter()
                try:
                    check()
                    step = Step(name, time.perf_counter() - began, None)
                except Exception as problem:  # noqa: BLE001 - the point is to report any failure
                    step = Step(name, time.perf_counter() - began, f"{type(problem).__name__}: {problem}")
                steps.append(step)
                if report:
                    report(step)
                if step.problem:
                    break
        finally:
            if "db" in state:
                state["db"].close()
    return steps
