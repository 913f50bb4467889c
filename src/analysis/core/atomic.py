"""Atomic file output: write to a temporary name beside the target, rename only on success."""

from __future__ import annotations

import contextlib
import filecmp
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def identity(target: str | Path) -> tuple[int, int, int] | None:
    """(device, inode, mtime) of a file, or None: changes whenever `atomic_path` replaces it."""
    try:
        stat = Path(target).stat()
    except FileNotFoundError:
        return None
    return stat.st_dev, stat.st_ino, stat.st_mtime_ns


def same_bytes(a: str | Path, b: str | Path) -> bool:
    """Whether both files exist with identical content."""
    a, b = Path(a), Path(b)
    return a.is_file() and b.is_file() and filecmp.cmp(a, b, shallow=False)


@contextlib.contextmanager
def atomic_path(
    target: str | Path,
    suffix: str = "",
    *,
    if_changed: bool = False,
    same: Callable[[Path, Path], bool] = same_bytes,
) -> Iterator[Path]:
    """Yield a temporary path in the target's folder; rename it onto the target if the block succeeds.

    A failure (or interruption) removes the temporary file, so a half-written output never carries
    the target's name. With `if_changed`, a result that `same(temporary, target)` finds equal to
    the existing target is discarded instead, so the target keeps its bytes and modification time
    and nothing that make rebuilds from it reruns.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=f".tmp{suffix}", dir=target.parent
        )
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    os.close(fd)
    tmp = Path(tmp_name)
    os.chmod(tmp, 0o666 & ~_current_umask())  # mkstemp's 0600 would make outputs private
    try:
        yield tmp
        if if_changed and target.exists() and same(tmp, target):
            tmp.unlink()
        else:
            os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        if exc.filename not in (None, str(tmp), tmp_name):
            raise  # about another file (an input): its own name is the right one
        # name the output, not the hidden temporary file (a full disk often names no file at all)
        raise OSError(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(target: str | Path, text: str) -> None:
    """Write text to target atomically (UTF-8, '\\n' line endings)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def write_text_if_changed(target: str | Path, text: str) -> bool:
    """Write text only when it differs from the file's content; return whether it was written.

    Used for make stamps: an unchanged file keeps its modification time, so nothing downstream reruns.
    """
    target = Path(target)
    if target.exists() and target.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(target, text)
    return True


@contextlib.contextmanager
def atomic_directory(target: str | Path) -> Iterator[Path]:
    """Yield a fresh temporary directory; on success it replaces target as a whole.

    A file whose bytes equal the file of the same name in the old target gets that file's
    modification time, so an unchanged page looks untouched to make and to anything watching it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    try:
        yield tmp
        if target.is_dir():
            for path in tmp.rglob("*"):
                before = target / path.relative_to(tmp)
                if path.is_file() and same_bytes(path, before):
                    stat = before.stat()
                    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        old = target.with_name(f".{target.name}.old")
        if old.exists():
            shutil.rmtree(old)
        if target.exists():
            os.replace(target, old)
        os.replace(tmp, target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
