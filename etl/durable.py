"""Durable file writes: a temporary file beside the target, fsync, `os.replace`, fsync of the folder.

The build's promotion (etl/build.py) and the staff desk's copies (beautyvalley/desk/uploads.py,
publishing.py) use these, so a crash leaves either the old file or the new one, never half of one.
Temporary files are named `.<target>.tmp-<pid>-<random>`; the build removes those of dead processes.
"""
from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path


def temp_beside(target: Path) -> Path:
    target = Path(target)
    return target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def fsync(path: Path) -> None:
    """fsync a file or a folder (a folder's fsync makes a rename in it durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_durably(tmp: Path, target: Path) -> None:
    """Move a finished temporary file over `target`, durably."""
    fsync(tmp)
    os.replace(tmp, target)
    fsync(Path(target).parent)


def _via_temp(target: Path, fill: Callable[[Path], None]) -> None:
    tmp = temp_beside(target)
    try:
        fill(tmp)
        replace_durably(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` atomically and durably."""
    _via_temp(Path(target), lambda tmp: tmp.write_bytes(data))


def copy_atomic(src: Path, target: Path) -> None:
    """Copy `src` over `target` atomically and durably."""
    _via_temp(Path(target), lambda tmp: shutil.copyfile(src, tmp))
