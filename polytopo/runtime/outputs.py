"""Output files: whole or not at all, never replacing what is not a regular file (docs/cli.md).

Every file polytopo writes goes through :func:`atomic_writer`:

* the content is written to a temporary file in the target's folder and renamed over the
  target only when complete; on any exception or caught signal the temporary file is
  removed and the target is untouched;
* a target that exists and is not a regular file (a device such as ``/dev/null``, a FIFO,
  a socket, a folder) is refused, never replaced; a symbolic link is followed, so the file
  it points to is replaced, not the link;
* an existing file keeps its permission bits and, where the process may set them, its
  owner and group; a new file gets ``0666`` less the umask, as ``open`` would give it;
* inside :func:`transaction` (the command line opens one per command) the renames wait
  until the command has finished, so a command writes all its outputs or none.

:func:`check_output_path` checks a target before the computation starts (the folder
exists and is writable, the name is not too long, the target is a regular file or
absent), so a bad path costs nothing. Pictures are saved by :func:`save_figure`, through
the same writer.
"""

__all__ = ["check_output_path", "atomic_writer", "transaction", "write_text",
           "write_bytes", "write_json", "figure_format", "save_figure"]

import contextlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from . import budget
from ..exceptions import InputError, first_line

_KINDS = ((stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))

_pending = []  # stack of open transactions: each a list of (tmp, target, mode, owner)


def _kind(mode):
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def _resolve(path, option):
    """The real target of ``path`` and its current ``os.stat`` (None when absent)."""
    p = Path(os.path.realpath(os.fspath(path)))
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return p, None
    except OSError as e:
        raise InputError(f"cannot write {os.fspath(path)!s}: {e.strerror or e}",
                         field=option) from None
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{os.fspath(path)} is {_kind(st.st_mode)}: refusing to replace it",
                         field=option)
    return p, st


def check_output_path(path, option=None):
    """Raise :class:`InputError` (one line) unless ``path`` can be written as an output.

    Examples
    --------
    >>> import tempfile, os
    >>> check_output_path(os.path.join(tempfile.mkdtemp(), "out.json"))
    >>> check_output_path(tempfile.mkdtemp(), "--json")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --json: ... is a folder: refusing to replace it
    """
    name = os.fspath(path)
    if not name:
        raise InputError("empty output path", field=option)
    if len(os.fsencode(os.path.basename(name))) > 255:
        raise InputError(f"cannot write {name}: the file name is longer than 255 bytes",
                         field=option)
    target, _ = _resolve(path, option)
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"cannot write {name}: folder {folder} does not exist", field=option)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {name}: folder {folder} is not writable", field=option)
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    if len(os.fsencode(target.name)) > limit:
        raise InputError(f"cannot write {name}: the file name is longer than {limit} bytes",
                         field=option)


def _commit(tmp, target, st):
    if st is not None:
        os.chmod(tmp, stat.S_IMODE(st.st_mode))
        with contextlib.suppress(OSError):  # only root (or the owner, for the group) may
            os.chown(tmp, st.st_uid, st.st_gid)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600
    os.replace(tmp, target)
    budget.unregister_temp(tmp)


@contextlib.contextmanager
def atomic_writer(path, *, binary=False):
    """A file handle whose content appears at ``path`` only if the block completes.

    Raises :class:`InputError` when ``path`` cannot be written (see
    :func:`check_output_path`), or for an error while writing (a full disk).

    Examples
    --------
    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "out.txt")
    >>> try:
    ...     with atomic_writer(target) as fh:
    ...         _ = fh.write("partial")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> os.path.exists(target)
    False
    """
    name = os.fspath(path)
    check_output_path(path)
    target, st = _resolve(path, None)
    try:
        fd, tmp = tempfile.mkstemp(prefix=budget.temp_prefix(), suffix=".tmp",
                                   dir=target.parent)
    except OSError as e:
        raise InputError(f"cannot write {name}: {e.strerror or e}") from None
    budget.register_temp(tmp)
    committed = False
    try:
        try:
            with os.fdopen(fd, "wb" if binary else "w",
                           **({} if binary else {"encoding": "utf-8"})) as fh:
                yield fh
        except OSError as e:
            raise InputError(f"cannot write {name}: {e.strerror or e}") from None
        if _pending:
            _pending[-1].append((tmp, target, st))
        else:
            try:
                _commit(tmp, target, st)
            except OSError as e:
                raise InputError(f"cannot write {name}: {e.strerror or e}") from None
        committed = True
    finally:
        if not committed:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            budget.unregister_temp(tmp)


@contextlib.contextmanager
def transaction():
    """Hold back the outputs written inside the block; publish them together at its end.

    If the block raises (or a signal stops it), none of them appears.

    Examples
    --------
    >>> import os, tempfile
    >>> d = tempfile.mkdtemp()
    >>> with transaction():
    ...     write_text(os.path.join(d, "a.txt"), "a")
    ...     os.path.exists(os.path.join(d, "a.txt"))
    False
    >>> os.path.exists(os.path.join(d, "a.txt"))
    True
    """
    staged = []
    ok = False
    try:  # appended inside the try: an alarm between the two lines leaves nothing open
        _pending.append(staged)
        yield
        ok = True
    finally:
        for i in range(len(_pending) - 1, -1, -1):  # by identity: empty lists compare equal
            if _pending[i] is staged:
                del _pending[i]
                break
        if ok:
            try:
                for tmp, target, st in staged:
                    _commit(tmp, target, st)
            except OSError as e:
                ok = False
                raise InputError(f"cannot write {target}: {e.strerror or e}") from None
            finally:
                if not ok:
                    for tmp, _, _ in staged:
                        with contextlib.suppress(OSError):
                            os.unlink(tmp)
                        budget.unregister_temp(tmp)
        else:
            for tmp, _, _ in staged:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                budget.unregister_temp(tmp)


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as fh:
        fh.write(text)


def write_bytes(path, data):
    """Write bytes to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path, binary=True) as fh:
        fh.write(data)


def write_json(path, obj):
    """Write ``obj`` as JSON atomically; a NaN or infinity in ``obj`` is a bug, refused."""
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else None
    try:
        if old:  # exact integers of any size (Python's 4,300-digit guard is for parsing)
            sys.set_int_max_str_digits(0)
        text = json.dumps(obj, indent=1, allow_nan=False)
    except ValueError as e:
        raise ValueError(f"refusing to write a non-finite number to {os.fspath(path)}: {e}") from None
    finally:
        if old:
            sys.set_int_max_str_digits(old)
    write_text(path, text + "\n")


def figure_format(path, fig=None):
    """The picture format of ``path``, from its extension (``png`` when it has none).

    Raises
    ------
    InputError
        When the extension names no format matplotlib writes (with ``fig``, the formats of
        its canvas; without, the usual ``png``, ``svg``, ``pdf``, ``eps``, ``ps``).

    Examples
    --------
    >>> figure_format("dynamics.SVG"), figure_format("picture")
    ('svg', 'png')
    >>> figure_format("table.csv")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: cannot draw table.csv: unknown picture format 'csv' ...
    """
    name = os.path.basename(os.fspath(path))
    fmt = name.rsplit(".", 1)[-1].lower() if "." in name else "png"
    known = (sorted(fig.canvas.get_supported_filetypes()) if fig is not None
             else ["eps", "pdf", "png", "ps", "svg"])
    if fmt not in known:
        raise InputError(f"cannot draw {os.fspath(path)}: unknown picture format {fmt!r} "
                         f"({', '.join(known)})")
    return fmt


def save_figure(fig, path, *, dpi=150, bbox_inches="tight"):
    """Save a matplotlib figure to ``path`` atomically, in the format of its extension.

    Every picture polytopo draws is saved here: the image is rendered in memory and
    written by :func:`atomic_writer` (whole or not at all, inside a command's
    :func:`transaction`). The figure is closed afterwards, whatever happens.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : str or Path
        ``.png``, ``.svg``, ``.pdf`` … (see :func:`figure_format`); no extension: PNG.
    dpi : float
        Resolution of raster formats.
    bbox_inches : str, optional
        Passed to ``savefig`` (``"tight"``: crop to the drawing).

    Raises
    ------
    InputError
        An unknown format, a path that cannot be written, or a figure matplotlib cannot
        render in that format.

    Examples
    --------
    >>> import os, tempfile
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> _ = ax.plot([0, 1], [1, 0])
    >>> path = os.path.join(tempfile.mkdtemp(), "line.png")
    >>> save_figure(fig, path, dpi=72)
    >>> open(path, "rb").read(4), plt.fignum_exists(fig.number)
    (b'\\x89PNG', False)
    """
    import io as _io

    try:
        fmt = figure_format(path, fig)
        check_output_path(path)
        buf = _io.BytesIO()
        try:
            fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches=bbox_inches)
        except ValueError as e:  # e.g. a mathtext label the format cannot render
            raise InputError(f"cannot draw {os.fspath(path)}: {first_line(e)}") from None
        write_bytes(path, buf.getvalue())
    finally:
        _close(fig)


def _close(fig):
    import sys as _sys

    plt = _sys.modules.get("matplotlib.pyplot")  # a figure made without pyplot has no manager
    if plt is not None:
        plt.close(fig)
