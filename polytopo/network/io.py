"""Reading untrusted input files: networks, domains and manifolds (docs/formats.md; bad
input as in docs/cli.md, "Bad input and failures"). The writers of output files are
:mod:`polytopo.runtime.outputs`, re-exported here."""

__all__ = ["read_input_bytes", "read_json", "load_network", "load_polytope",
           "load_manifold", "write_json", "write_text", "write_bytes_atomic", "atomic_writer", "box_domain"]

import io as _io
import json
import math
import os
import stat
import warnings
import zipfile
from fractions import Fraction
from pathlib import Path

import numpy as np

from ..geometry.exact import MAX_DIGITS, to_fraction
from ..exceptions import InputError, first_line
from .graph import with_layer_notes
from .model import Network
from ..geometry.polytope import Polytope

#: input files larger than this are refused before parsing
MAX_FILE_BYTES = 256 * 2**20


_FILE_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
               (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a FIFO"),
               (stat.S_ISSOCK, "a socket"))


def _kind(mode):
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a regular file")


def read_input_bytes(path, *, source=None, limit=None):
    """The bytes of an input file, read safely: the one reader of every input file.

    The file is opened non-blocking (a FIFO never hangs) and refused at once unless it is
    a regular file (a directory, a device such as ``/dev/zero``, a FIFO, a socket), or if
    it is larger than ``limit`` bytes (default :data:`MAX_FILE_BYTES`) by its size or by
    what reading gives (at most ``limit + 1`` bytes are read).

    Raises
    ------
    InputError
        One line naming ``source`` (default: the path).

    Examples
    --------
    >>> read_input_bytes("/dev/null")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: /dev/null: not a regular file (a character device)
    """
    source = str(path) if source is None else source
    limit = MAX_FILE_BYTES if limit is None else limit
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as e:
        try:  # a socket cannot be opened at all (ENXIO): say what it is
            mode = os.stat(path).st_mode
        except (OSError, ValueError):
            mode = None
        if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
            raise InputError(f"not a regular file ({_kind(mode)})", source=source) from None
        raise InputError(f"cannot read file ({e.strerror or e})", source=source) from None
    except ValueError as e:  # embedded NUL in the path
        raise InputError(f"cannot read file ({e})", source=source) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"not a regular file ({_kind(st.st_mode)})", source=source)
        if st.st_size > limit:
            raise InputError(f"file is too large ({st.st_size} bytes, at most {limit})",
                             source=source)
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(limit + 1 - total, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
        if total > limit:  # the file grew while we read it
            raise InputError(f"file is too large (more than {limit} bytes)", source=source)
        return b"".join(chunks)
    except OSError as e:
        raise InputError(f"cannot read file ({e.strerror or e})", source=source) from None
    finally:
        os.close(fd)


class _BadNumber:
    """Stands in, while parsing, for a JSON number polytopo refuses; found afterwards
    with its path (the JSON decoder cannot say where a value is)."""

    __slots__ = ("problem",)

    def __init__(self, problem):
        self.problem = problem


def _json_float(literal):
    """JSON floats mean their binary value (docs/formats.md); refuse a literal whose
    binary value is not the number written: beyond the float range (``1e400`` would
    be ``inf``) or nonzero but below it (``1e-400`` would be ``0``)."""
    f = float(literal)
    if math.isinf(f):
        return _BadNumber(f"non-finite number: {_short(literal)} is beyond the float range "
                          f"(a JSON float is read as binary64; write \"{_short(literal)}\", "
                          f"a string, to read it exactly)")
    if f == 0.0 and any(c in "123456789" for c in literal.lower().partition("e")[0]):
        return _BadNumber(f"number {_short(literal)} underflows to 0 as a float (a JSON "
                          f"float is read as binary64; write \"{_short(literal)}\", a "
                          f"string, to read it exactly)")
    return f


def _json_int(literal):
    if len(literal) > MAX_DIGITS:
        return _BadNumber(f"JSON integer has too many digits ({len(literal)}, at most "
                          f"{MAX_DIGITS})")
    return int(literal)


def _json_constant(name):
    return _BadNumber(f"non-finite number {name} (JSON numbers must be finite)")


def _short(text, limit=30):
    return text if len(text) <= limit else text[:limit - 3] + "..."


def _json_key(key):
    if key.isascii() and key.isidentifier():
        return "." + key
    return "[" + _short(json.dumps(key), 40) + "]"


def _find_bad(obj):
    """The first refused number in document order and its path (iterative: no recursion
    limit on deeply nested files)."""
    stack = [(obj, "")]
    while stack:
        value, path = stack.pop()
        if isinstance(value, _BadNumber):
            return value, path.lstrip(".") or None
        if isinstance(value, dict):
            stack.extend((v, path + _json_key(k)) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend((v, f"{path}[{i}]") for i, v in reversed(list(enumerate(value))))
    return None, None


def read_json(path):
    """Parse a JSON file strictly: UTF-8, finite numbers; errors become :class:`InputError`.

    The file is read with :func:`read_input_bytes`. A number that JSON allows but that
    has no faithful value is refused with its path (``layers[0].weights[1][0]``): NaN and
    Infinity, float literals beyond the float range or that underflow to 0, integers of
    more than :data:`polytopo.geometry.exact.MAX_DIGITS` digits.
    """
    source = str(path)
    raw = read_input_bytes(path, source=source)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("file is not UTF-8 text", source=source) from None
    bad = []

    def flag(make):
        def parse(literal):
            value = make(literal)
            if isinstance(value, _BadNumber):
                bad.append(value)
            return value
        return parse

    try:
        obj = json.loads(text, parse_constant=flag(_json_constant),
                         parse_float=flag(_json_float), parse_int=flag(_json_int))
    except RecursionError:
        raise InputError("JSON is nested too deeply", source=source) from None
    except ValueError as e:  # JSONDecodeError
        msg = str(e).splitlines()[0] if str(e) else "invalid JSON"
        raise InputError(f"malformed JSON: {msg}", source=source) from None
    if bad:
        found, where = _find_bad(obj)
        raise InputError((found or bad[0]).problem, source=source, field=where)
    return obj


def _torch_bytes(path, source):
    """A PyTorch file's bytes (read safely), refused when its zip entries unpack to more
    than :data:`MAX_FILE_BYTES` (a legacy, non-zip file is bounded by its size)."""
    data = read_input_bytes(path, source=source)
    buf = _io.BytesIO(data)
    if zipfile.is_zipfile(buf):
        try:
            with zipfile.ZipFile(buf) as zf:
                unpacked = sum(info.file_size for info in zf.infolist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as e:
            raise InputError(f"cannot read PyTorch file: {first_line(e)}",
                             source=source) from None
        if unpacked > MAX_FILE_BYTES:
            raise InputError(f"PyTorch file unpacks to {unpacked} bytes (at most "
                             f"{MAX_FILE_BYTES})", source=source)
    return data


#: what ``assume`` may say a bare state dict is
ASSUMPTIONS = ("linear-relu-chain",)


def load_network(path, *, max_denominator=None, assume=None, strip_output_activation=False):
    """Read a network file: JSON (docs/formats.md), ONNX (``.onnx``), a ``torch.export``
    program (``.pt2``) or a PyTorch state dict (``.pt``/``.pth``).

    ONNX and ``.pt2`` files say their whole computation: every layer of
    ``docs/networks.md`` is read exactly, anything else is refused naming the op and the
    node. A final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or ``Tanh`` is dropped only
    with ``strip_output_activation`` (the network's notes say so). The network's notes
    name the layers read.

    PyTorch files are read with ``torch.load(..., weights_only=True)``: nothing in the
    file is executed. A state dict holds weights but not the activations between them,
    so it is read only with ``assume="linear-relu-chain"`` (Linear layers in key order
    with ReLU between them: the user says so, polytopo does not guess); a checkpoint
    dict holding it under ``"model_state_dict"`` or ``"state_dict"`` is read the same
    way. Other formats ignore ``assume``.

    ``max_denominator`` rounds the weights of a PyTorch or ONNX file to fractions with
    denominators at most that (:meth:`Network.rounded`); JSON files are exact already.
    """
    source = str(path)
    if assume is not None and assume not in ASSUMPTIONS:
        raise InputError(f"unknown --assume {_short(repr(assume), 40)} (known: "
                         f"{', '.join(ASSUMPTIONS)})", source=source)
    suffix = Path(path).suffix.lower()
    if suffix == ".onnx":
        from .onnx_reader import graph_from_onnx

        graph = graph_from_onnx(read_input_bytes(path, source=source), source=source,
                                strip_output_activation=strip_output_activation)
        net = Network.from_json(with_layer_notes(graph, "ONNX"), source=source)
        return net if max_denominator is None else net.rounded(max_denominator)
    if suffix in (".pt", ".pth", ".pt2"):
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            raise InputError("reading PyTorch files needs the 'torch' extra "
                             "(pip install 'polytopo[torch]')", source=source)
        import torch  # installed: a failure here (e.g. MemoryError) is not "missing"
        data = _torch_bytes(path, source)
        if suffix == ".pt2":
            from .torch_import import graph_from_pt2_bytes

            graph = graph_from_pt2_bytes(data, source=source,
                                         strip_output_activation=strip_output_activation)
            net = Network.from_json(with_layer_notes(graph, "torch.export"), source=source)
            return net if max_denominator is None else net.rounded(max_denominator)
        try:
            with warnings.catch_warnings():  # torch's warnings about a bad file: we say it
                warnings.simplefilter("ignore")
                state = torch.load(_io.BytesIO(data), map_location="cpu", weights_only=True)
        except Exception as e:  # noqa: BLE001 - any failure to read is bad input
            raise InputError(f"cannot read PyTorch file: {first_line(e)}",
                             source=source) from None
        if not isinstance(state, dict):
            raise InputError("expected a state dict", source=source)
        for key in ("model_state_dict", "state_dict"):   # a training checkpoint
            if isinstance(state.get(key), dict):
                state = state[key]
                break
        if assume != "linear-relu-chain":
            raise InputError("a state dict does not say its activations: export the model to "
                             "ONNX (torch.onnx.export) or torch.export (.pt2), or pass "
                             "--assume linear-relu-chain if it is a chain of Linear layers "
                             "with ReLU between them", source=source)
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


def _check_npy_size(data):
    """Refuse a ``.npy`` whose header promises more data than the file holds (numpy would
    allocate the promised array before finding out)."""
    import math

    fh = _io.BytesIO(data)
    version = np.lib.format.read_magic(fh)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
    elif hasattr(np.lib.format, "_read_array_header"):  # 3.0: a UTF-8 header
        shape, _, dtype = np.lib.format._read_array_header(fh, version)
    else:  # pragma: no cover - np.load checks the version
        return
    if dtype.hasobject:
        return  # np.load refuses it (allow_pickle=False)
    need = math.prod(shape) * dtype.itemsize
    have = len(data) - fh.tell()
    if need > have:
        raise ValueError(f"the header promises {need} bytes of data, the file has {have}")


def read_npy(path):
    """A numpy array from a ``.npy`` file: regular files only, size-capped, no pickles
    (nothing in the file is executed), a header promising more than the file holds refused."""
    source = str(path)
    if not source.endswith(".npy"):
        raise InputError("expected a numpy .npy file", source=source)
    data = read_input_bytes(path, source=source)  # regular files only, size-capped
    try:
        _check_npy_size(data)
        return np.load(_io.BytesIO(data), allow_pickle=False)
    except ValueError as e:  # object arrays, malformed headers
        raise InputError(f"cannot read .npy file: {first_line(e)}",
                         source=source) from None
    except (OSError, EOFError) as e:
        raise InputError(f"cannot read file ({getattr(e, 'strerror', None) or e})",
                         source=source) from None


def load_domain(path, dim=None):
    """Read a domain file: a polytope ``{"A", "b"}`` (``A x ≤ b``), or a slice
    ``{"origin", "directions", "A", "b"}`` (``x = origin + U t``, ``A t ≤ b``:
    :class:`polytopo.geometry.slice.Slice`), validated (docs/formats.md, "Domain and
    manifold"). A file with either slice key is read as a slice.

    Examples
    --------
    >>> import json, os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "slice.json")
    >>> with open(path, "w") as fh:
    ...     json.dump({"origin": [0, 0, 1], "directions": [[1, 0, 0]],
    ...                "A": [[1], [-1]], "b": [1, 0]}, fh)
    >>> load_domain(path, 3).embed([1])
    (Fraction(1, 1), Fraction(0, 1), Fraction(1, 1))
    """
    obj = read_json(path)
    if isinstance(obj, dict) and ("origin" in obj or "directions" in obj):
        from ..geometry.slice import Slice

        return Slice.from_json(obj, dim, source=str(path))
    return _polytope_from_obj(obj, str(path), dim=dim)


def load_points(path):
    """The points of ``--through``: a ``.npy`` array (one point per entry of the first
    axis, further axes flattened in C order, so ``(3, 28, 28)`` images are 3 points of
    784 coordinates; integers exact, floats taken exactly as their binary value, no
    pickles) or a JSON list of points (exact numbers as in a network file).

    Raises
    ------
    InputError
        One line naming the file (and the entry): not a numeric array of at least two
        axes, a NaN or infinite entry, not a list of lists of numbers.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "points.npy")
    >>> np.save(path, np.array([[0.5, 0], [1, 0.1]]))
    >>> load_points(path)[1]
    [Fraction(1, 1), Fraction(3602879701896397, 36028797018963968)]
    """
    source = str(path)
    if source.lower().endswith(".npy"):
        arr = read_npy(path)
        if arr.dtype.kind not in "iuf" or arr.ndim < 2:
            raise InputError(f"points must be a numeric array with one point per row, got "
                             f"dtype {arr.dtype} and shape {arr.shape}", source=source)
        arr = arr.reshape(arr.shape[0], -1)
        if arr.dtype.kind == "f":
            bad = np.argwhere(~np.isfinite(arr))
            if len(bad):
                i, j = (int(v) for v in bad[0])
                raise InputError(f"non-finite coordinate {float(arr[i, j])} (NaN or infinity)",
                                 source=source, field=f"[{i}][{j}]")
        return [[Fraction(v) for v in row.tolist()] for row in arr]
    obj = read_json(path)
    if not isinstance(obj, list) or not all(isinstance(p, list) for p in obj):
        raise InputError("points must be a JSON list of points (lists of numbers)",
                         source=source)
    return [[to_fraction(v, source=source, field=f"[{i}][{j}]") for j, v in enumerate(p)]
            for i, p in enumerate(obj)]


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


# the writers live in polytopo.runtime.outputs (one writer for every output file)
from ..runtime.outputs import atomic_writer, write_json, write_text  # noqa: E402
from ..runtime.outputs import write_bytes as write_bytes_atomic  # noqa: E402
