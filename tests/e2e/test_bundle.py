"""The Windows bundle's spec builds here too (one folder, PyInstaller) and the bundled program
passes its own selftest: migrations, fonts, templates, Qt plugins and all are inside."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_bundle_builds_and_passes_its_selftest(tmp_path):
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    built = subprocess.run(
        [str(pyinstaller), str(ROOT / "installer" / "workbench.spec"), "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build")],
        cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stderr[-3000:]
    program = tmp_path / "dist" / "workbench" / ("workbench.exe" if sys.platform == "win32" else "workbench")
    began = time.perf_counter()
    checked = subprocess.run([str(program), "selftest"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                             env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "WORKBENCH_DATA_DIR": str(tmp_path / "data")})
    seconds = time.perf_counter() - began
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("通过") == 6 and checked.stdout.strip().splitlines()[-1].startswith("OK")
    version = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=60)
    from workbench import __version__

    assert version.stdout.strip() == f"workbench {__version__}"
    size = sum(path.stat().st_size for path in (tmp_path / "dist" / "workbench").rglob("*")
               if path.is_file() and not path.is_symlink())
    print(f"\nbundle: {size / 2**20:.0f} MB; selftest in the bundle: {seconds:.1f} s")
