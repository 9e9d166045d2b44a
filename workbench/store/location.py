"""Where an SQLite file lives: a file on a network share is refused for writing.

SQLite's locking depends on the local file system; over SMB/CIFS or NFS two PCs can both think
they hold the write lock, and the database is corrupted. Several PCs share PostgreSQL instead.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path, PurePath, PureWindowsPath

NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "9p", "ceph", "glusterfs", "lustre", "gpfs",
    "fuse.sshfs", "sshfs", "fuse.davfs2", "davfs", "fuse.rclone", "fuse.s3fs", "webdav",
}
DRIVE_REMOTE = 4  # GetDriveTypeW: a mapped network drive

REFUSAL = ("数据库文件「{path}」位于网络位置 ({where}), 不能在此写入: 多台电脑通过网络共享同一个 SQLite 文件会损坏数据。"
           "多台电脑共用数据时请使用共享服务器模式 (PostgreSQL): 管理员运行 workbench db setup-server, "
           "再用 workbench db copy 把本机数据迁移过去。")


def _unescape_mount(field: str) -> str:
    return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\")


def mount_type(path: Path, mounts: str) -> str | None:
    """The file system type of the mount holding `path`, from /proc/mounts-style text."""
    best, kind = "", None
    target = path.as_posix()
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = _unescape_mount(fields[1])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return kind


def network_location(path: Path, *, platform: str = sys.platform, mounts: str | None = None) -> str | None:
    """Why `path` is on a network (for the message), or None for a local disk."""
    text = str(path)
    if platform == "win32" or text.startswith(("\\\\", "//")):
        windows = PureWindowsPath(text)
        if text.startswith(("\\\\", "//")) or windows.drive.startswith("\\\\"):
            return "网络共享路径 (UNC)"
        if platform == "win32" and windows.drive:
            import ctypes

            if ctypes.windll.kernel32.GetDriveTypeW(f"{windows.drive}\\") == DRIVE_REMOTE:
                return f"映射的网络驱动器 {windows.drive}"
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    resolved = Path(os.path.realpath(path.parent if not path.exists() else path))
    kind = mount_type(resolved, mounts)
    if kind and (kind in NETWORK_FILESYSTEMS or kind.startswith(("nfs", "smb", "cifs"))):
        return f"网络文件系统 {kind}"
    return None


def refusal(path: PurePath, where: str) -> str:
    return REFUSAL.format(path=path, where=where)
