"""Python's cyclic garbage collector, run on the screen's thread only.

Left to itself the collector runs in whichever thread happens to allocate. When that is a worker
(a payout run, the roster loader) and the garbage holds a closed dialog or page, Qt objects are
destroyed off the screen's thread and the program crashes. So the window switches automatic
collection off and a timer on the screen's thread collects instead, a generation at a time as
Python's own thresholds call for it, and not while a large batch has paused collection.
"""
from __future__ import annotations

import gc
import sys

from PySide6.QtCore import QObject, QTimer

from workbench.memory import automatic_collection, collection_paused

INTERVAL_MS = 1_000


class ScreenThreadCollector(QObject):
    """Collects on a timer of the thread it lives in; `stop` gives collection back to Python."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.thresholds = gc.get_threshold()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.collect_due)

    def start(self) -> None:
        automatic_collection(False)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        automatic_collection(True)

    def collect_due(self) -> int | None:
        """Collect the generation Python would have collected by now; returns it, or None."""
        if collection_paused():
            return None
        counts = gc.get_count()
        if counts[0] <= self.thresholds[0]:
            return None
        generation = 0
        while generation < 2 and counts[generation + 1] > self.thresholds[generation + 1]:
            generation += 1
        gc.collect(generation)
        return generation


SWITCH_INTERVAL = 0.0005  # seconds a busy worker thread may hold the interpreter while the screen's thread waits


def install_collector(app: QObject) -> ScreenThreadCollector:
    """The program's collector, a child of the application object, started, and the interpreter set
    up for a responsive window.

    What the program loads once and keeps (the modules, search's table of pinyin initials) is
    moved out of the collector's sight first (gc.freeze): a full collection would otherwise look
    at all of it every time, on the screen's thread."""
    import workbench.domain.search  # noqa: F401 - loads the pinyin table now, to be frozen with the rest

    gc.collect()
    gc.freeze()
    # The screen's thread calls into Qt all the time, giving up the interpreter lock each time, and
    # waits to get it back while a worker computes: at Python's default of 5 ms a wait, a few dozen
    # calls stall the window for a tenth of a second. Half a millisecond keeps it answering.
    sys.setswitchinterval(SWITCH_INTERVAL)
    collector = ScreenThreadCollector(app)
    collector.start()
    return collector
