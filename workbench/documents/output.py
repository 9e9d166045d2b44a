"""Where a document is written: never over the database or the command's own input, and never
half: written to a hidden file beside the target, flushed to disk, then moved into place, so that
a failure (a full disk, a kill) leaves the old file as it was."""
from __future__ import annotations

import os
import sqlite3
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from xlsxwriter.exceptions import FileCreateError

from workbench.domain.errors import InvalidInput
from workbench.faults import os_reason

# xlsxwriter options for every workbook: a text cell is text, never a formula (a name such as
# "=HYPERLINK(...)"), a link or a number (an ID or account number keeps every digit).
TEXT_AS_TEXT = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def _same(one: Path, other: Path) -> bool:
    if one.resolve() == other.resolve():
        return True
    try:
        return one.exists() and other.exists() and os.path.samefile(one, other)
    except OSError:
        return False


def check_output(out: Path, *, database: Iterable[Path] = (), inputs: Iterable[Path] = ()) -> None:
    """Refuse an output that is the database (or its -wal/-shm/-journal), one of the inputs, or a folder."""
    out = Path(out)
    for path in database:
        if _same(out, Path(path)):
            raise InvalidInput(f"输出文件「{out}」是正在使用的数据库文件, 不能覆盖; 请换一个文件名")
    for path in inputs:
        if _same(out, Path(path)):
            raise InvalidInput(f"输出文件「{out}」就是本次读取的文件, 不能覆盖; 请换一个文件名")
    if out.is_dir():
        raise InvalidInput(f"「{out}」是一个文件夹, 请给出文件名")


def writable_folder(folder: Path) -> Path:
    """The folder outputs go to, made if it is not there; refused by name if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise InvalidInput(f"无法创建文件夹「{folder}」: {os_reason(problem)}") from None
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"文件夹「{folder}」不能写入 (只读的U盘或光盘, 或没有写权限); 请换一个文件夹")
    return folder


LEFTOVER_AGE_SECONDS = 3600  # an unfinished file or folder this old is no write in progress


def remove_leftovers(folder: Path, pattern: str) -> None:
    """Remove what an interrupted write left in `folder` (a kill, a power cut): hidden files or folders
    matching `pattern`, older than an hour, so nobody takes a half file for a finished one."""
    import shutil
    import time

    try:
        leftovers = list(folder.glob(pattern))
    except OSError:
        return
    for path in leftovers:
        try:
            if time.time() - path.stat().st_mtime < LEFTOVER_AGE_SECONDS:
                continue
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        except OSError:
            continue  # in use, or not ours to remove: left for the clerk


@contextmanager
def written(out: Path, *, database: Iterable[Path] = (), inputs: Iterable[Path] = ()) -> Iterator[Path]:
    """`with written(out) as path: write(path)`: `out` appears only once complete."""
    out = Path(out)
    check_output(out, database=database, inputs=inputs)
    folder = writable_folder(out.parent)
    remove_leftovers(folder, ".*.写入中-*")
    temporary = folder / f".{out.stem}.写入中-{uuid.uuid4().hex[:8]}{out.suffix}"
    try:
        yield temporary
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, out)
    except (OSError, FileCreateError, sqlite3.OperationalError) as problem:
        cause = problem.args[0] if isinstance(problem, FileCreateError) and problem.args else problem
        raise InvalidInput(f"无法写入「{out}」: {os_reason(cause)}; 原有文件未改动") from None
    finally:
        if temporary.exists():
            temporary.unlink()
