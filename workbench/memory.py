"""Memory for large batches: Python's cyclic collector paused while hundreds of thousands of rows
are alive, and large containers freed a block at a time so the window's thread is not held."""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from typing import Iterator

_pause_lock = threading.Lock()
_pauses = 0  # paused regions open now, on any thread
_resume = False  # whether the collector was on when the first of them opened


@contextmanager
def paused_garbage_collection() -> Iterator[None]:
    """For one large batch: the cyclic collector would rescan hundreds of thousands of live rows.

    Regions may overlap on several threads (a payout run on a worker while the screen prints);
    the collector is switched back on, if it was on, when the last of them closes."""
    global _pauses, _resume
    with _pause_lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()


def collection_paused() -> bool:
    """Whether some thread is inside `paused_garbage_collection` now."""
    return _pauses > 0


def automatic_collection(on: bool) -> None:
    """Switch Python's automatic cyclic collector on or off; inside paused regions the switch takes
    effect when the last of them closes."""
    global _resume
    with _pause_lock:
        if _pauses:
            _resume = on
        elif on:
            gc.enable()
        else:
            gc.disable()


RELEASE_BLOCK = 5_000  # items freed at once: freeing more would hold the interpreter for too long


def release_gently(*containers: list | dict) -> None:
    """Free large lists and dicts (and the lists and dicts a dict holds) a block at a time.

    Freeing hundreds of thousands of values in one go is one long call that holds Python's
    interpreter lock, and the window's thread stalls behind it; a block at a time, other threads
    run in between. Called on a worker thread (the screen's thread hands its own to one). The
    containers are emptied: the caller must not read them again."""
    for each in containers:
        _dismantle(each)


def _dismantle(value: list | dict, depth: int = 0) -> None:
    if isinstance(value, list):
        while value:
            del value[-RELEASE_BLOCK:]
    elif isinstance(value, dict):
        while value:
            _key, item = value.popitem()
            if depth < 2 and isinstance(item, (list, dict)):
                _dismantle(item, depth + 1)
