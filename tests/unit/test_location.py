"""An SQLite file on a network share is recognised from its path or its mount."""
from pathlib import Path

from workbench.store.location import mount_type, network_location

MOUNTS = """\
/dev/sda1 / ext4 rw,relatime 0 0
proc /proc proc rw 0 0
//fileserver/民政 /mnt/share cifs rw,vers=3.0 0 0
nas:/export/data /srv/nfs nfs4 rw 0 0
/dev/sdb1 /srv/nfs/local ext4 rw 0 0
sshfs#me@host: /home/me/remote\\040dir fuse.sshfs rw 0 0
"""


def test_the_longest_mount_point_decides():
    assert mount_type(Path("/srv/nfs/local/workbench.db"), MOUNTS) == "ext4"
    assert mount_type(Path("/srv/nfs/workbench.db"), MOUNTS) == "nfs4"
    assert mount_type(Path("/srv/nfsother/workbench.db"), MOUNTS) == "ext4"
    assert mount_type(Path("/home/me/remote dir/a.db"), MOUNTS) == "fuse.sshfs"


def test_network_file_systems_are_named():
    assert network_location(Path("/mnt/share/workbench.db"), platform="linux", mounts=MOUNTS) == "网络文件系统 cifs"
    assert network_location(Path("/srv/nfs/w.db"), platform="linux", mounts=MOUNTS) == "网络文件系统 nfs4"
    assert network_location(Path("/home/me/w.db"), platform="linux", mounts=MOUNTS) is None


def test_unc_paths_are_network_paths_on_any_system():
    assert network_location(Path(r"\\fileserver\民政\workbench.db"), platform="linux", mounts="") == "网络共享路径 (UNC)"
    assert network_location(Path("//fileserver/share/workbench.db"), platform="linux", mounts="") == "网络共享路径 (UNC)"
