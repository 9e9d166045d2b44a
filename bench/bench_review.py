"""The 月度发放 review list: the longest stall of the screen's thread while a reviewer works.

Target (issue 17): switching the review list between its longest categories and months never
blocks the window for more than 100 ms at 200,000 people. The county is bench_payout's (12 approved
months); on a copy, 高龄补贴 80-89 is raised from six months back and the month is computed, so
the draft holds a long 补发 list beside 当月. A child process (offscreen Qt) opens the screen and,
with a 5 ms timer on the screen's thread noting every gap between its ticks, switches category
(全部, 补发, 变更, 全部), month (back and forth), sorts by amount and types a search. Printed: the
lines, the time until the list is shown, and the longest stall of each step.
"""
from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

from common import OUT, copy_database, upgraded_if_cached

import bench_payout
from workbench.bootstrap import open_database
from workbench.services.accounts import SYSTEM
from workbench.services.payout import run_month
from workbench.services.policy import set_standard

CHILD = r"""
import json, os, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QDate, QElapsedTimer, Qt, QTimer
from PySide6.QtWidgets import QApplication
from workbench.bootstrap import open_database
from workbench.domain.actor import Actor
from workbench.domain.month import Month
from workbench.gui.style import configure
from workbench.gui.payout_page import PayoutPage

app = QApplication([])
configure(app)
from workbench.gui.collector import install_collector
collector = install_collector(app)  # as the program does: cyclic collection on the screen's thread
db = open_database(sys.argv[1])
month = Month.parse(sys.argv[2])
clock = QElapsedTimer()
clock.start()
last = [clock.elapsed()]
worst = [0]

def tick():
    now = clock.elapsed()
    worst[0] = max(worst[0], now - last[0])
    last[0] = now

timer = QTimer()
timer.setInterval(5)
timer.timeout.connect(tick)
timer.start()

def settle(condition, limit=600.0):
    began = time.perf_counter()
    while not condition():
        app.processEvents()
        time.sleep(0.002)
        if time.perf_counter() - began > limit:
            raise SystemExit("timed out")
    return time.perf_counter() - began

def step(name, action, condition=lambda: True):
    for _ in range(20):
        app.processEvents()
        time.sleep(0.005)
    last[0], worst[0] = clock.elapsed(), 0
    began = time.perf_counter()
    action()
    settle(condition)
    for _ in range(20):  # let the view paint what arrived
        app.processEvents()
        time.sleep(0.005)
    results.append({"step": name, "seconds": time.perf_counter() - began, "stall_ms": worst[0],
                    "rows": page.model.rowCount()})

results = []
page = None

def open_page():
    global page
    page = PayoutPage(db, Actor("reviewer", "审核"))
    page.resize(1280, 800)
    page.show()

step("open the screen", open_page, lambda: page is not None and not page.loading)
category = lambda name: lambda: page.category_box.setCurrentIndex(page.category_box.findData(name))
step("category 补发", category("补发"))
step("category 变更", category("变更"))
step("category 全部", category(None))
step("sort by amount", lambda: page.review_table.sortByColumn(6, Qt.SortOrder.DescendingOrder))
previous = month - 1
step(f"month {previous}", lambda: page.month_edit.setDate(QDate(previous.year, previous.month, 1)), lambda: not page.loading)
step(f"month {month}", lambda: page.month_edit.setDate(QDate(month.year, month.month, 1)), lambda: not page.loading)
step("category 补发 again", category("补发"))
for letters in ("w", "wd", "wdf"):
    step(f"search {letters}", lambda letters=letters: page.search_edit.setText(letters))
step("search cleared", lambda: page.search_edit.setText(""))
page.shutdown()
print(json.dumps({"lines": page.model.total(), "steps": results}))
"""


def prepare(people: int) -> Path:
    """bench_payout's county with the month computed after a retroactive raise (cached)."""
    path = OUT / f"review_{people}.db"
    if upgraded_if_cached(path):
        return path
    source = bench_payout.prepare(people)
    building = OUT / f"review_{people}_building.db"
    copy_database(source, building)
    db = open_database(str(building))
    month = bench_payout.MONTH
    set_standard(db, SYSTEM, "高龄补贴", "80-89", "960", (month - 6).first_day())
    run_month(db, SYSTEM, month)
    db.close()
    building.rename(path)
    return path


def measure(people: int) -> dict:
    path = prepare(people)
    done = subprocess.run([sys.executable, "-c", CHILD, str(path), str(bench_payout.MONTH)], capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(sizes=(20_000,)) -> list:
    results = []
    for people in sizes:
        measured = measure(people)
        worst = max(step["stall_ms"] for step in measured["steps"])
        for step in measured["steps"]:
            results.append((f"review {step['step']} ({people:,}, stall {step['stall_ms']} ms)", step["rows"],
                            step["seconds"], ""))
        results.append((f"review: longest screen-thread stall ({people:,})", measured["lines"], worst / 1000, ""))
    return results


if __name__ == "__main__":
    from common import print_table

    print_table(run(tuple(int(arg) for arg in sys.argv[1:]) or (20_000,)))
    print(f"on {date.today()}")
