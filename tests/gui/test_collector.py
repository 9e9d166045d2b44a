"""Cyclic garbage is collected on the screen's thread, never on a worker that happens to allocate."""
from __future__ import annotations

import gc
import threading

from workbench.gui.collector import ScreenThreadCollector
from workbench.memory import paused_garbage_collection


class Cycle:
    """Garbage only the cyclic collector frees; it notes the thread that freed it."""

    freed_on: list[int] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        Cycle.freed_on.append(threading.get_ident())


def allocate_on_a_worker() -> None:
    def work() -> None:
        kept = []
        for _ in range(200_000):  # far past the first generation's threshold, many times
            item: dict = {}
            item["me"] = item
            kept.append(item)
            if len(kept) > 500:
                kept.clear()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()


def test_garbage_made_before_a_worker_allocates_is_freed_on_the_screen_thread(_collected_on_the_screen_thread, qtbot):
    assert not gc.isenabled()
    Cycle.freed_on.clear()
    Cycle()
    allocate_on_a_worker()
    assert Cycle.freed_on == []  # the worker did not collect it
    qtbot.waitUntil(lambda: Cycle.freed_on != [], timeout=5_000)
    assert Cycle.freed_on == [threading.get_ident()]


def test_the_collector_takes_the_generation_python_would_and_waits_for_a_paused_batch(qapp):
    collector = ScreenThreadCollector(qapp)
    collector.start()
    try:
        threshold = collector.thresholds[0]
        junk = [[] for _ in range(threshold + 10)]
        assert gc.get_count()[0] > threshold
        with paused_garbage_collection():
            assert collector.collect_due() is None
            assert not gc.isenabled()
        assert not gc.isenabled()  # the batch's end leaves collection to the timer
        assert collector.collect_due() in (0, 1, 2)
        assert gc.get_count()[0] < threshold
        assert collector.collect_due() is None  # nothing due right after
        del junk
    finally:
        collector.stop()
    assert gc.isenabled()
