"""Failures nothing else caught: one Chinese line on the screen, the traceback in the log only."""
import errno

from workbench.gui import app, common
from workbench.gui.tasks import Task
from workbench.logs import LOG_FILE, log_folder, setup_logging


def _log_text() -> str:
    return (log_folder() / LOG_FILE).read_text(encoding="utf-8")


def test_a_programming_error_in_a_handler_is_one_line_and_its_traceback_is_logged(qtbot, monkeypatch):
    setup_logging()
    shown = []
    monkeypatch.setattr(app.QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    try:
        {}["没有的键"]
    except KeyError as problem:
        app.last_word(KeyError, problem, problem.__traceback__)
    assert len(shown) == 1
    title, text = shown[0]
    assert "Traceback" not in text and "KeyError" not in text and "诊断信息" in text and "\n" not in text
    assert "Traceback" in _log_text() and "没有的键" in _log_text()


def test_a_full_disk_in_a_screens_action_is_named_not_a_traceback(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(common.QMessageBox, "warning", lambda parent, title, text: shown.append(text))

    def save():
        raise OSError(errno.ENOSPC, "No space left on device", "D:/报表/2026-12_汇总表.pdf")

    assert common.attempt(None, "打印汇总表", save) is None
    assert shown == ["读写文件「D:/报表/2026-12_汇总表.pdf」失败: 磁盘已满; 请检查后重试, 已有的数据没有改动"]


def test_a_failed_background_task_says_one_line(qtbot):
    setup_logging()

    def work(_progress):
        return 1 / 0

    task = Task(work)
    with qtbot.waitSignal(task.failed, timeout=10_000) as failed:
        task.start()
    task.wait()
    message = failed.args[0]
    assert "Traceback" not in message and "ZeroDivisionError" not in message and "诊断信息" in message
    assert "ZeroDivisionError" in _log_text()
