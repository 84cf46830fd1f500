"""Reading untrusted input files and writing output files whole or not at all (SPEC §2, §5)."""

__all__ = ["read_json", "load_network", "load_polytope", "load_manifold", "write_json",
           "write_text", "write_bytes_atomic", "atomic_writer", "box_domain"]

import contextlib
import json
import os
import tempfile
import warnings
from pathlib import Path

from .exact import to_fraction
from .exceptions import InputError, first_line
from .network import Network
from .polytope import Polytope

#: input files larger than this are refused before parsing
MAX_FILE_BYTES = 256 * 2**20


def _reject_constant(name):
    raise InputError(f"non-finite number {name}")


def read_json(path):
    """Parse a JSON file strictly: UTF-8, no NaN/Infinity; errors become :class:`InputError`."""
    source = str(path)
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise InputError(f"file is too large ({size} bytes)", source=source)
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror or e})", source=source) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", source=source) from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except InputError as e:
        raise InputError(e.problem, source=source) from None
    except RecursionError:
        raise InputError("JSON is nested too deeply", source=source) from None
    except ValueError as e:  # JSONDecodeError, int digit limit
        msg = str(e).splitlines()[0] if str(e) else "invalid JSON"
        raise InputError(f"malformed JSON: {msg}", source=source) from None


def load_network(path, *, max_denominator=None):
    """Read a network: the JSON format of SPEC §2, or a PyTorch state dict (``.pt``/``.pth``).

    PyTorch files are read with ``torch.load(..., weights_only=True)``: nothing in the
    file is executed.
    """
    source = str(path)
    if Path(path).suffix in (".pt", ".pth"):
        try:
            import torch
        except ImportError:
            raise InputError("reading PyTorch files needs the 'torch' extra "
                             "(pip install 'polytopo[torch]')", source=source) from None
        try:
            with warnings.catch_warnings():  # torch's warnings about a bad file: we say it
                warnings.simplefilter("ignore")
                state = torch.load(path, map_location="cpu", weights_only=True)
        except Exception as e:  # noqa: BLE001 - any failure to read is bad input
            raise InputError(f"cannot read PyTorch file: {first_line(e)}",
                             source=source) from None
        if not isinstance(state, dict):
            raise InputError("expected a state dict", source=source)
        try:
            return Network.from_torch(state, max_denominator=max_denominator)
        except InputError as e:
            raise InputError(e.problem, source=source, field=e.field) from None
    return Network.from_json(read_json(path), source=source)


def _polytope_from_obj(obj, source, field=None, dim=None):
    if not isinstance(obj, dict) or "A" not in obj or "b" not in obj:
        raise InputError("a polytope must be an object {\"A\": [[...]], \"b\": [...]}",
                         source=source, field=field)
    try:
        P = Polytope.from_lists(obj["A"], obj["b"], source=source)
        if dim is not None and P.dim != dim:
            raise InputError(f"polytope is in dimension {P.dim}, expected dimension {dim}")
        return P.validated(source=source)
    except InputError as e:
        where = ".".join(p for p in (field, e.field) if p) or None
        raise InputError(e.problem, source=source, field=where) from None


def load_polytope(path, dim=None):
    """Read a domain ``{"A": [[…]], "b": […]}`` (meaning ``A x ≤ b``); validate it."""
    return _polytope_from_obj(read_json(path), str(path), dim=dim)


def load_manifold(path, domain):
    """Read a data manifold: a list of polytopes, each full-dimensional and inside ``domain``."""
    source = str(path)
    obj = read_json(path)
    if isinstance(obj, dict):
        obj = [obj]
    if not isinstance(obj, list) or not obj:
        raise InputError("a manifold must be a non-empty list of polytopes", source=source)
    pieces = []
    for i, item in enumerate(obj):
        P = _polytope_from_obj(item, source, field=f"[{i}]", dim=domain.dim)
        if not all(domain.contains(v) for v in P.vertices()):
            raise InputError("piece is not inside the domain", source=source, field=f"[{i}]")
        pieces.append(P)
    return pieces


def box_domain(lo, hi, dim):
    """The box ``[lo, hi]^dim`` from command-line strings (exact)."""
    lo = to_fraction(lo, field="--box LO")
    hi = to_fraction(hi, field="--box HI")
    if not lo < hi:
        raise InputError(f"--box: LO ({lo}) must be below HI ({hi})")
    return Polytope.cube(dim, lo, hi)


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path) as fh:
        fh.write(text)


def write_bytes_atomic(path, data):
    """Write bytes to ``path`` atomically (see :func:`atomic_writer`)."""
    with atomic_writer(path, binary=True) as fh:
        fh.write(data)


@contextlib.contextmanager
def atomic_writer(path, *, binary=False):
    """A file handle whose content appears at ``path`` only if the block completes.

    Writes go to a temporary file in the same folder, renamed over ``path`` at the end;
    on any exception the temporary file is removed and ``path`` is untouched (SPEC §5).

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
    path = Path(path)
    directory = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb" if binary else "w", **({} if binary else {"encoding": "utf-8"})) as fh:
            yield fh
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_json(path, obj):
    """Write ``obj`` as JSON atomically (see :func:`write_text`)."""
    write_text(path, json.dumps(obj, indent=1) + "\n")
