"""The real program on the display, as a clerk uses it: `workbench` started as a process on a prepared
data folder, the login window found on the X display, a password typed and Enter pressed, every
screen visited by its shortcut at 1440x900 and at 1024x700, the user switched, the program left by
Ctrl+Q. Screenshots are taken from the display (xdotool and ImageMagick's `import`), not grabbed
from hidden widgets."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.gui.conftest import SCREENSHOTS, distinct_colours
from workbench.bootstrap import open_database
from workbench.services.demo import build_demo
from workbench.gui.main_window import SCREENS

PASSWORD = "secret-123"
TIMEOUT = 60.0


def require_display() -> None:
    missing = [tool for tool in ("xdotool", "import") if shutil.which(tool) is None]
    if not os.environ.get("DISPLAY"):
        missing.append("DISPLAY (Xvfb)")
    if missing:
        if os.environ.get("WORKBENCH_REQUIRE_DISPLAY") == "1":
            pytest.fail(f"真实显示测试缺少: {', '.join(missing)}")
        pytest.skip(f"没有真实显示或工具: {', '.join(missing)}")


def xdotool(*args: str) -> str:
    done = subprocess.run(["xdotool", *args], capture_output=True, text=True, timeout=30)
    return done.stdout.strip() if done.returncode == 0 else ""


def wait_for(condition, what: str, program: subprocess.Popen, timeout: float = TIMEOUT):
    """Poll `condition` until it gives something true; fail if the program ends or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        if program.poll() is not None:
            pytest.fail(f"程序在等待「{what}」时退出: {program.returncode}\n{program.stderr.read()[-3000:]}")
        time.sleep(0.1)
    pytest.fail(f"等待「{what}」超时")


def visible_window(pattern: str) -> str:
    found = xdotool("search", "--onlyvisible", "--name", pattern).split()
    return found[-1] if found else ""


def geometry(window: str) -> tuple[int, int]:
    values = dict(line.split("=", 1) for line in xdotool("getwindowgeometry", "--shell", window).splitlines() if "=" in line)
    return int(values.get("WIDTH", 0)), int(values.get("HEIGHT", 0))


def screenshot(window: str, path: Path) -> QImage:
    subprocess.run(["import", "-window", window, str(path)], check=True, capture_output=True, timeout=30)
    return QImage(str(path))


def settled_screenshot(window: str, path: Path, program: subprocess.Popen) -> QImage:
    """A screenshot taken once two in a row are the same (the screen has finished painting)."""
    previous: list[QImage] = []

    def stable():
        image = screenshot(window, path)
        same = bool(previous) and previous[-1] == image
        previous.append(image)
        return image if same else None

    return wait_for(stable, f"{path.name} 绘制完成", program)


def log_in(program: subprocess.Popen, shots: Path, name: str) -> str:
    login = wait_for(lambda: visible_window("^登录"), "登录窗口", program)
    width, height = wait_for(lambda: geometry(login) if geometry(login)[0] > 0 else None, "登录窗口大小", program)
    assert 380 <= width <= 1024 and 150 <= height <= 700, (width, height)
    image = settled_screenshot(login, shots / f"0_{name}.png", program)
    assert image.width() == width and distinct_colours(image) > 20, "登录窗口是空的"
    xdotool("windowfocus", "--sync", login)
    xdotool("type", "--delay", "20", PASSWORD)
    xdotool("key", "Return")
    return wait_for(lambda: visible_window("工作台 .* admin"), "主窗口", program)


def visit_every_screen(program: subprocess.Popen, window: str, shots: Path, size: tuple[int, int]) -> None:
    xdotool("windowsize", "--sync", window, str(size[0]), str(size[1]))
    assert wait_for(lambda: geometry(window) == size or None, f"窗口大小 {size}", program)
    for row, name in enumerate(SCREENS):
        xdotool("windowfocus", "--sync", window)
        xdotool("key", f"ctrl+{row + 1}")
        wait_for(lambda: visible_window(f"— {name}$"), f"切换到{name}", program)
        image = settled_screenshot(window, shots / f"{size[0]}x{size[1]}_{row + 1}_{name}.png", program)
        assert (image.width(), image.height()) == size
        assert distinct_colours(image) > 20, f"{name} 在 {size} 下几乎是空的"


@pytest.mark.slow
def test_a_clerk_logs_in_visits_every_screen_and_leaves_by_keys(tmp_path):
    require_display()
    data = tmp_path / "data"
    data.mkdir()
    county = open_database(str(data / "workbench.db"))
    build_demo(county, tmp_path / "files", people=300)
    county.close()
    shots = SCREENSHOTS / "real"
    shots.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ, WORKBENCH_DATA_DIR=str(data), XDG_CONFIG_HOME=str(tmp_path / "config"),
                       QT_QPA_PLATFORM="xcb")
    script = Path(sys.executable).with_name("workbench")
    program = subprocess.Popen([str(script)], env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        window = log_in(program, shots, "登录")
        for size in ((1440, 900), (1024, 700)):
            visit_every_screen(program, window, shots, size)
        # 注销: the login window comes back; the same user logs in again and leaves with Ctrl+Q.
        xdotool("key", "ctrl+shift+l")
        window = log_in(program, shots, "切换用户")
        xdotool("windowfocus", "--sync", window)
        xdotool("key", "ctrl+q")
        program.wait(timeout=TIMEOUT)
    finally:
        if program.poll() is None:
            program.kill()
        _out, errors = program.communicate(timeout=30)
    assert program.returncode == 0, errors[-3000:]
    assert "Traceback" not in errors, errors[-3000:]
