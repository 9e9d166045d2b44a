"""Long work off the screen's thread: a progress dialog with 取消, results delivered by signal.

The work is a service call taking a `progress(done, total)` callback. Cancelling makes the next
callback raise `Cancelled`; the service's transaction then rolls back, so nothing is half-written.
"""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import QThread, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from workbench.domain.errors import WorkbenchError
from workbench.faults import report_fault
from workbench.gui import common
from workbench.gui.i18n import tr

Work = Callable[[Callable[[int, int], None]], Any]


class Cancelled(Exception):
    """The user pressed 取消."""


class Task(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, work: Work, parent=None) -> None:
        super().__init__(parent)
        self._work = work
        self._cancel_requested = False
        self._abandoned = False

    def cancel(self) -> None:
        self._cancel_requested = True

    def stop(self) -> None:
        """Cancel, and say nothing of how the work ended: the screen it would answer is closing."""
        self._abandoned = True
        self._cancel_requested = True

    def _progress(self, done: int, total: int) -> None:
        if self._cancel_requested:
            raise Cancelled
        self.progressed.emit(done, total)

    def run(self) -> None:
        try:
            signal, values = self.succeeded, (self._work(self._progress),)
        except Cancelled:
            signal, values = self.cancelled, ()
        except WorkbenchError as problem:
            signal, values = self.failed, (str(problem),)
        except Exception as problem:  # noqa: BLE001 - one line to the user, the traceback to the log
            signal, values = self.failed, (report_fault(problem, "后台任务"),)
        if not self._abandoned:
            signal.emit(*values)


_running: set[Task] = set()


def stop_tasks(owner: QWidget | None = None, *others: Task) -> None:
    """Stop the work `run_task` runs for `owner`'s screens (None: for every screen), and `others`,
    then wait for all of it to end. Called before a window closes: Qt aborts a program that ends
    with a thread running."""
    mine = [task for task in list(_running)
            if owner is None or task.parent() is owner or (isinstance(task.parent(), QWidget) and owner.isAncestorOf(task.parent()))]
    mine += [task for task in others if task not in mine]
    for task in mine:
        task.stop()
    for task in mine:
        task.wait()


def run_task(parent: QWidget | None, title: str, work: Work, on_success: Callable[[Any], None],
             on_failure: Callable[[str], None] | None = None) -> Task:
    """Run `work` on a worker thread behind a modal progress dialog; the window keeps painting."""
    dialog = QProgressDialog(title, tr("取消"), 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    task = Task(work, parent)
    _running.add(task)  # kept alive while it runs, whatever the parent
    task.finished.connect(lambda: _running.discard(task))

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(min(done, max(total, 1)))

    def finish() -> None:
        dialog.reset()
        dialog.close()
        dialog.deleteLater()

    def failed(message: str) -> None:
        finish()
        if on_failure:
            on_failure(message)
        else:
            common.warn(parent, title, message)

    def cancelled() -> None:
        finish()
        common.inform(parent, title, tr("已取消, 未写入任何数据"))

    task.progressed.connect(progressed)
    task.succeeded.connect(lambda result: (finish(), on_success(result)))
    task.failed.connect(failed)
    task.cancelled.connect(cancelled)
    dialog.canceled.connect(task.cancel)
    task.finished.connect(task.deleteLater)
    task.start()
    return task
