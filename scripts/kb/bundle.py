"""A deterministic zip of a built site: the offline bundle (``make offline``).

The same folder always gives the same bytes: entries sorted by path, one fixed timestamp and fixed
permissions, whatever the files' mtimes or the order the file system lists them in.
"""

from __future__ import annotations

import fnmatch
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold
FILE_MODE = 0o644 << 16
DIR_MODE = (0o40755 << 16) | 0x10  # a directory, with the MS-DOS directory flag


def write_zip(site: Path, dest: Path, *, root: str, exclude: Iterable[str] = ()) -> list[str]:
    """Zip the folder ``site`` into ``dest``, every entry under the folder ``root/``.

    Args:
        site: The built site.
        dest: The zip file to write (replaced atomically: readers never see half a file).
        root: The folder the archive unpacks into, so it does not spill files into the reader's.
        exclude: Glob patterns of site paths to leave out (e.g. ``sitemap.xml``).

    Returns:
        The paths of the files written, relative to ``site``, in archive order.
    """
    patterns = list(exclude)
    files = sorted(
        path.relative_to(site).as_posix()
        for path in site.rglob("*")
        if path.is_file()
        and not any(fnmatch.fnmatch(path.relative_to(site).as_posix(), p) for p in patterns)
    )
    folders = sorted({str(parent) for f in files for parent in PurePosixPath(f).parents} - {"."})
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, mode in sorted(
            [(f"{root}/", DIR_MODE)]
            + [(f"{root}/{folder}/", DIR_MODE) for folder in folders]
            + [(f"{root}/{file}", FILE_MODE) for file in files]
        ):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.external_attr = mode
            info.create_system = 3  # Unix, so the permissions above are honoured on unzip
            if name.endswith("/"):
                archive.writestr(info, b"")
            else:
                data = (site / name.removeprefix(f"{root}/")).read_bytes()
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    partial.replace(dest)
    return files
