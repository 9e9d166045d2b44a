"""Paused garbage collection for large batches, when batches overlap on several threads."""
from __future__ import annotations

import gc
import threading

from workbench.memory import automatic_collection, collection_paused, paused_garbage_collection


def test_paused_regions_overlapping_on_two_threads_switch_collection_back_on_at_the_last_end():
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def batch() -> None:
        with paused_garbage_collection():
            inside.set()
            leave.wait(5)

    worker = threading.Thread(target=batch)
    with paused_garbage_collection():
        worker.start()
        inside.wait(5)
    assert not gc.isenabled()  # the worker's batch is still open
    leave.set()
    worker.join()
    assert gc.isenabled()


def test_switching_collection_off_inside_a_batch_lasts_past_its_end():
    with paused_garbage_collection():
        assert collection_paused()
        automatic_collection(False)
    assert not collection_paused()
    try:
        assert not gc.isenabled()
    finally:
        automatic_collection(True)
    assert gc.isenabled()
