"""Reading ONNX models as polytopo graphs (network format version 2, graph form).

:func:`graph_from_onnx` turns the bytes of an ``.onnx`` file into the graph description
read by :meth:`polytopo.network.model.Network.from_json`. Every value is a flat vector
(the row-major flattening of the ONNX tensor), the nodes are ``affine``, ``relu``,
``leaky_relu``, ``prelu``, ``clamp``, ``abs``, ``max``, ``add`` and ``concat``, and every
number is exact: each stored float is taken exactly as a :class:`~fractions.Fraction`.

The graph must have one input and one output. The first dimension of the input is the
batch: it must be symbolic or 1 and is read as 1 (a rank-1 input has no batch).

Supported ONNX ops (default domain):

- linear maps: ``Gemm``, ``MatMul`` (one constant operand), ``Conv`` (any number of
  spatial dimensions; strides, pads, ``auto_pad``, dilations, groups), ``AveragePool``,
  ``GlobalAveragePool``, ``BatchNormalization`` (inference), ``Add``, ``Sub``, ``Mul``,
  ``Div``, ``Neg``, ``Sum``, ``ReduceSum``, ``ReduceMean`` -- ``Mul``/``Div`` by
  constants, ``Add``/``Sub``/``Sum`` of constants or of computed tensors of one size;
- rearrangements: ``Transpose``, ``Slice``, ``Gather`` (constant indices), ``Concat``,
  ``Split``, ``Pad``, ``Expand``, ``Tile``; and ``Identity``, ``Dropout``, ``Flatten``,
  ``Reshape``, ``Squeeze``, ``Unsqueeze``, ``Cast`` (to a float type), which leave the
  flat vector as it is;
- piecewise-linear maps: ``Relu``, ``LeakyRelu``, ``PRelu``, ``Clip``, ``HardSigmoid``,
  ``Abs``, ``Max``, ``Min``, ``MaxPool``, ``GlobalMaxPool``, ``ReduceMax``, ``ReduceMin``;
- constants: initializers, ``Constant``, ``ConstantOfShape``, ``Shape``, ``Size``, and
  the ops above applied to constants only.

Everything else (``Tanh``, ``Sigmoid``, ``Softmax``, ``Exp``, products of computed
tensors, broadcasting of computed tensors, ...) is refused with an
:class:`~polytopo.exceptions.InputError` naming the op and the node. A final ``Softmax``,
``LogSoftmax``, ``Sigmoid`` or ``Tanh`` is dropped with ``strip_output_activation=True``.
"""

__all__ = ["graph_from_onnx"]

import heapq
import itertools
import math
from collections import Counter, namedtuple
from fractions import Fraction

import numpy as np

from ..exceptions import InputError, first_line

FORMAT = "polytopo.network/2"
#: the largest dense matrix (rows x columns) an affine node may have
MAX_ENTRIES = 40_000_000
#: output activations that ``strip_output_activation`` may drop
STRIPPABLE = ("Softmax", "LogSoftmax", "Sigmoid", "Tanh")
#: ops that leave the flat vector unchanged (followed back from the output)
_SHAPE_ONLY = ("Identity", "Dropout", "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Cast")
_ZERO = Fraction(0)
_ONE = Fraction(1)
_FLOAT_TYPES = {1: "FLOAT", 10: "FLOAT16", 11: "DOUBLE", 16: "BFLOAT16"}
_HUGE = 3.0e38   # |bound| at least this (about FLT_MAX) means "no bound" in Clip

#: ops read on constants only (shape arithmetic of exporters), with their numpy meaning
_CONST_OPS = {"Mod": np.mod, "Floor": np.floor, "Ceil": np.ceil, "Round": np.round,
              "Sign": np.sign, "Sqrt": np.sqrt, "Reciprocal": np.reciprocal, "Pow": np.power,
              "Equal": np.equal, "Less": np.less, "Greater": np.greater,
              "LessOrEqual": np.less_equal, "GreaterOrEqual": np.greater_equal,
              "Not": np.logical_not, "And": np.logical_and, "Or": np.logical_or,
              "Xor": np.logical_xor, "Where": np.where, "Range": np.arange}
#: a computed value: the graph node holding its flat vector and its ONNX shape
Comp = namedtuple("Comp", "node shape")


class _NodeError(Exception):
    """A problem with the ONNX node being read (the reader adds the op and node name)."""


def _clean(name, limit=80):
    """A name fit for a one-line message."""
    s = "".join(c if c.isprintable() else "?" for c in str(name))
    return s if len(s) <= limit else s[:limit - 3] + "..."


def _prod(xs):
    return int(math.prod(int(x) for x in xs))


def _frac(v):
    """The exact value of a numeric scalar."""
    if isinstance(v, (bool, np.bool_)):
        return Fraction(int(v))
    if isinstance(v, (int, np.integer)):
        return Fraction(int(v))
    f = float(v)
    if not math.isfinite(f):
        raise _NodeError(f"a constant is not finite ({f})")
    return Fraction(f)


def _fracs(a):
    """The exact values of a numeric array, flattened in row-major order."""
    a = np.asarray(a)
    if a.dtype.kind in "iub":
        return [Fraction(int(v)) for v in a.ravel().tolist()]
    if a.dtype.kind != "f":
        raise _NodeError(f"a constant of type {a.dtype} is not a real number")
    flat = a.astype(np.float64).ravel()
    if not np.all(np.isfinite(flat)):
        raise _NodeError("a constant is not finite (NaN or infinity)")
    u, inv = np.unique(flat, return_inverse=True)
    table = [Fraction(x) for x in u.tolist()]
    return [table[i] for i in inv.ravel().tolist()]


def _sparse_rows(cols, vals, scale=None):
    """Sparse rows (dicts column -> Fraction) from a column array (negative: no entry) and
    an array of float values of the same shape, optionally all multiplied by ``scale``."""
    cols = np.asarray(cols)
    vals = np.asarray(vals)
    if vals.dtype.kind not in "iubf":
        raise _NodeError(f"a constant of type {vals.dtype} is not a real number")
    flat = vals.astype(np.float64).ravel()
    if not np.all(np.isfinite(flat)):
        raise _NodeError("a constant is not finite (NaN or infinity)")
    u, inv = np.unique(flat, return_inverse=True)
    table = [Fraction(x) if scale is None else Fraction(x) * scale for x in u.tolist()]
    inv = inv.reshape(cols.shape)
    rows = []
    for cr, ir in zip(cols.tolist(), inv.tolist()):
        row = {}
        for c, i in zip(cr, ir):
            v = table[i]
            if c >= 0 and v:
                row[c] = row.get(c, _ZERO) + v
        rows.append(row)
    return rows


def _check_size(rows, cols):
    if rows * cols > MAX_ENTRIES:
        raise _NodeError(f"its affine map would need a dense {rows} x {cols} matrix "
                         f"({rows * cols} entries, more than {MAX_ENTRIES})")


def _norm_axis(axis, rank, what="axis"):
    a = int(axis)
    if not -rank <= a < rank:
        raise _NodeError(f"{what} {a} is out of range for a tensor of rank {rank}")
    return a % rank


def _windows(size, k, s, pb, pe, dil, ceil_mode):
    """For one spatial dimension: per output position, the input positions of the window
    inside the input and the number of window positions inside the padded input."""
    eff = dil * (k - 1) + 1
    num = size + pb + pe - eff
    if num < 0:
        raise _NodeError(f"the window ({eff}) is larger than the padded input ({size + pb + pe})")
    if ceil_mode:
        out = -(-num // s) + 1
        if (out - 1) * s >= size + pb:
            out -= 1
    else:
        out = num // s + 1
    result = []
    for o in range(out):
        start = o * s - pb
        pos = [start + j * dil for j in range(k)]
        result.append(([p for p in pos if 0 <= p < size], sum(1 for p in pos if p < size + pe)))
    return result


def conv_rows(C, w, bias, sp, k, s, pb, pe, dil, g, group_word="group"):
    """The exact affine map of a convolution (as sparse rows, row-major over output
    channel and position) on ``C`` input channels of spatial size ``sp``: kernel ``w``
    (``M × C/g × k``), ``bias`` (``M`` or None), strides ``s``, pads ``pb``/``pe``,
    dilations ``dil``, ``g`` groups. Returns ``(rows, biases, output spatial size)``."""
    M, Cg = w.shape[0], w.shape[1]
    if g < 1 or C % g or M % g or Cg * g != C:
        raise _NodeError(f"weights of shape {list(w.shape)} and {group_word} {g} do not fit "
                         f"{C} input channels")
    if bias is not None and bias.shape != (M,):
        raise _NodeError(f"bias of shape {list(bias.shape)} for {M} output channels")
    nd = len(sp)
    wins = [_windows(sp[d], k[d], s[d], pb[d], pe[d], dil[d], False) for d in range(nd)]
    out = [len(wd) for wd in wins]
    P, Kk, S = _prod(out), _prod(k), _prod(sp)
    R = M * P
    _check_size(R, C * S)
    o = np.indices(out).reshape(nd, -1).T
    kk = np.indices(k).reshape(nd, -1).T
    pos = o[:, None, :] * np.array(s) - np.array(pb) + kk[None, :, :] * np.array(dil)
    valid = ((pos >= 0) & (pos < np.array(sp))).all(-1)
    steps = np.array([_prod(sp[d + 1:]) for d in range(nd)], dtype=np.int64)
    spi = np.where(valid, (pos * steps).sum(-1), -1)             # (P, Kk)
    ch = (np.arange(M) // (M // g))[:, None] * Cg + np.arange(Cg)[None, :]   # (M, Cg)
    cols = ch[:, None, :, None] * S + spi[None, :, None, :]
    cols = np.where(spi[None, :, None, :] >= 0, cols, -1).reshape(R, Cg * Kk)
    vals = np.broadcast_to(w.reshape(M, 1, Cg, Kk), (M, P, Cg, Kk)).reshape(R, Cg * Kk)
    rows = _sparse_rows(cols, vals)
    biases = [_ZERO] * R if bias is None else [b for b in _fracs(bias) for _ in range(P)]
    return rows, biases, out


class _Reader:
    """Reads one ONNX model (see :func:`graph_from_onnx`)."""

    def __init__(self, onnx, model, source, strip):
        self.onnx = onnx
        self.model = model
        self.source = source
        self.strip = strip
        self.values = {}      # ONNX tensor name -> Comp or np.ndarray
        self.inits = {}       # initializer name -> TensorProto (read when used)
        self.nodes = []       # graph nodes (affine nodes with sparse rows until the end)
        self.dims = {}        # graph node name -> length of its vector
        self.origin = {}      # graph node name -> "<op> (node '<name>')"
        self.used = {"x"}
        self.notes = []
        self.read_layers = []
        self.base = "x"
        self.here = ""
        self.consumers = Counter()

    # ---- errors and names ---------------------------------------------------------
    def fail(self, problem, field=None):
        raise InputError(problem, source=self.source, field=field)

    def new_name(self, suffix=""):
        cand = self.base + suffix
        name, k = cand, 2
        while name in self.used:
            name, k = f"{cand}_{k}", k + 1
        self.used.add(name)
        return name

    # ---- reading the graph ----------------------------------------------------------
    def read(self):
        model = self.model
        if not model.HasField("graph"):
            self.fail("the file holds no ONNX graph")
        g = model.graph
        for t in g.initializer:
            self.inits[t.name] = t
        sparse = {t.values.name for t in g.sparse_initializer}
        inputs = [i for i in g.input if i.name not in self.inits]
        if len(inputs) != 1:
            names = ", ".join(repr(_clean(i.name, 30)) for i in inputs[:5])
            self.fail(f"the ONNX graph has {len(inputs)} inputs ({names}); polytopo reads "
                      f"networks with one input" if inputs else "the ONNX graph has no input")
        if len(g.output) != 1:
            names = ", ".join(repr(_clean(o.name, 30)) for o in g.output[:5])
            self.fail(f"the ONNX graph has {len(g.output)} outputs ({names}); polytopo reads "
                      f"networks with one output" if len(g.output) else
                      "the ONNX graph has no output")
        in_name, out_name = inputs[0].name, g.output[0].name
        shape, batched = self.input_shape(inputs[0])
        self.values[in_name] = Comp("x", shape)
        self.dims["x"] = _prod(shape)

        # producers, the nodes the output depends on, and their topological order
        producer = {}
        for k, node in enumerate(g.node):
            for o in node.output:
                if not o:
                    continue
                if o in producer or o in self.inits or o == in_name:
                    self.fail(f"tensor {_clean(o)!r} is produced twice (by node "
                              f"{self.label(node, k)!r} and before)")
                producer[o] = k
        needed, stack = set(), [(out_name, None)]
        seen = set()
        while stack:
            t, reader = stack.pop()
            if t in seen:
                continue
            seen.add(t)
            if t == in_name or t in self.inits:
                continue
            if t not in producer:
                if reader is None:
                    self.fail(f"the graph output {_clean(t)!r} is computed by no node")
                node = g.node[reader]
                what = ("a sparse initializer, which is not supported" if t in sparse else
                        "which no node, initializer or graph input provides")
                self.fail(f"{_clean(node.op_type, 60)} (node {self.label(node, reader)!r}) "
                          f"reads {_clean(t)!r}, {what}")
            k = producer[t]
            if k not in needed:
                needed.add(k)
                stack.extend((i, k) for i in g.node[k].input if i)
        order = self.topological(g, needed, producer)
        for k in order:
            for i in g.node[k].input:
                if i:
                    self.consumers[i] += 1
        final = self.final_activation(g, producer, out_name)
        for k in order:
            self.read_node(g.node[k], k, final)
        if len(needed) < len(g.node):
            n = len(g.node) - len(needed)
            self.notes.append(f"{n} ONNX node{'s' if n > 1 else ''} not leading to the "
                              f"output {'were' if n > 1 else 'was'} not read")
        return self.result(out_name, shape, batched)

    def input_shape(self, vi):
        name = _clean(vi.name, 40)
        if not vi.type.HasField("tensor_type"):
            self.fail(f"the graph input {name!r} is not a tensor", "input")
        tt = vi.type.tensor_type
        if tt.elem_type not in _FLOAT_TYPES:
            self.fail(f"the graph input {name!r} has element type {tt.elem_type}; polytopo "
                      f"reads float inputs", "input")
        if not tt.HasField("shape") or not tt.shape.dim:
            self.fail(f"the graph input {name!r} has no shape (or is a scalar)", "input")
        dims = [d.dim_value if d.HasField("dim_value") else None for d in tt.shape.dim]
        if len(dims) == 1:
            if not dims[0] or dims[0] < 1:
                self.fail(f"the graph input {name!r} has a symbolic or empty dimension", "input")
            return (dims[0],), False
        if dims[0] not in (None, 1):
            self.fail(f"the batch dimension of the graph input {name!r} is {dims[0]}; only 1 "
                      f"or a symbolic batch is supported", "input")
        for i, d in enumerate(dims[1:], 1):
            if d is None or d < 1:
                self.fail(f"dimension {i} of the graph input {name!r} is "
                          f"{'symbolic' if d is None else d}; only the batch dimension may "
                          f"be symbolic", "input")
        return (1, *dims[1:]), True

    def label(self, node, k):
        return _clean(node.name) if node.name else f"#{k}"

    def topological(self, g, needed, producer):
        deps = {k: {producer[i] for i in g.node[k].input if i in producer} for k in needed}
        users = {k: [] for k in needed}
        for k, ds in deps.items():
            for d in ds:
                users[d].append(k)
        count = {k: len(ds) for k, ds in deps.items()}
        ready = [k for k, c in count.items() if c == 0]
        heapq.heapify(ready)
        order = []
        while ready:
            k = heapq.heappop(ready)
            order.append(k)
            for u in users[k]:
                count[u] -= 1
                if count[u] == 0:
                    heapq.heappush(ready, u)
        if len(order) < len(needed):
            k = min(k for k, c in count.items() if c > 0)
            node = g.node[k]
            self.fail(f"the ONNX graph has a cycle (through {_clean(node.op_type, 60)} node "
                      f"{self.label(node, k)!r})")
        return order

    def final_activation(self, g, producer, out_name):
        """The index of the last node if it is an output activation (followed back through
        shape-only ops), else None."""
        t, uses = out_name, 0
        while t in producer and self.consumers[t] == uses:
            k = producer[t]
            node = g.node[k]
            if node.domain not in ("", "ai.onnx"):
                return None
            if node.op_type in STRIPPABLE:
                return k
            if node.op_type not in _SHAPE_ONLY or not node.input:
                return None
            t, uses = node.input[0], 1
        return None

    # ---- one node -------------------------------------------------------------------
    def read_node(self, node, k, final):
        op = node.op_type if node.domain in ("", "ai.onnx") else f"{node.domain}.{node.op_type}"
        label = self.label(node, k)
        self.read_layers.append(f"{_clean(op, 60)} '{label}'")
        self.base = _clean(node.name, 200) if node.name else f"{_clean(op, 60)}_{k}"
        self.here = f"{_clean(op, 60)} (node '{label}')"
        if k == final:
            if self.strip:
                self.bind(node, 0, self.value(node, 0, "input"))
                self.notes.append(f"the output activation {op} '{label}' was dropped "
                                  f"(--strip-output-activation)")
                return
            self.fail(f"unsupported ONNX op {op} (node '{label}') (pass "
                      f"--strip-output-activation to analyse the logits)")
        handler = getattr(self, "op_" + node.op_type, None) \
            if node.domain in ("", "ai.onnx") else None
        if handler is None and node.domain in ("", "ai.onnx") and node.op_type in _CONST_OPS:
            handler = self.constant_only
        if handler is None:
            self.fail(f"unsupported ONNX op {_clean(op, 60)} (node '{label}')")
        try:
            handler(node)
        except _NodeError as e:
            self.fail(f"{self.here}: {e}")
        except InputError:
            raise
        except Exception as e:   # numpy or protobuf complaints about a malformed node
            self.fail(f"{self.here}: cannot be read ({type(e).__name__}: "
                      f"{_clean(first_line(e), 160)})")

    def constant_only(self, node):
        """Ops of shape arithmetic (``Mod``, ``Equal``, ``Where``, ``Range``, ...) that
        exporters emit on constants: computed here; on a computed tensor, refused."""
        vals = [self.value(node, i) for i in range(len(node.input)) if node.input[i]]
        if any(isinstance(v, Comp) for v in vals):
            raise _NodeError("is supported on constants only (it is not piecewise linear "
                             "on a computed tensor)")
        fn = _CONST_OPS[node.op_type]
        if node.op_type == "Mod" and self.attr(node, "fmod", 0, "int"):
            fn = np.fmod
        self.bind(node, 0, np.asarray(fn(*vals)))

    # ---- values -----------------------------------------------------------------------
    def value(self, node, i, what=None, optional=False):
        """The value of input ``i`` of a node (None if absent and optional)."""
        name = node.input[i] if i < len(node.input) else ""
        if not name:
            if optional:
                return None
            raise _NodeError(f"it needs input {i}" + (f" ({what})" if what else ""))
        if name in self.values:
            return self.values[name]
        t = self.inits.get(name)
        if t is None:
            raise _NodeError(f"input {_clean(name)!r} has no value")
        self.values[name] = self.tensor(t, f"initializer {_clean(name)!r}")
        return self.values[name]

    def tensor(self, t, what):
        if t.data_location == self.onnx.TensorProto.EXTERNAL:
            raise _NodeError(f"{what} keeps its data in an external file; save the model "
                             f"with the weights inside")
        try:
            return np.asarray(self.onnx.numpy_helper.to_array(t))
        except Exception as e:
            raise _NodeError(f"{what} cannot be read ({_clean(first_line(e), 120)})") from None

    def const(self, node, i, what, optional=False):
        v = self.value(node, i, what, optional)
        if isinstance(v, Comp):
            raise _NodeError(f"its {what} (input {i}) must be a constant, not computed from "
                             f"the network input")
        return v

    def ints(self, node, i, what, optional=False):
        v = self.const(node, i, what, optional)
        if v is None:
            return None
        if v.dtype.kind not in "iu":
            raise _NodeError(f"its {what} must be integers")
        return [int(x) for x in v.ravel().tolist()]

    def attrs(self, node):
        out = {}
        for a in node.attribute:
            out[a.name] = self.onnx.helper.get_attribute_value(a)
        return out

    def attr(self, node, name, default, kind):
        """The value of an attribute of a node (``default`` if absent), checked to be of
        ``kind``; a float default is rounded to float32, as ONNX float attributes are."""
        if kind == "float" and default is not None:
            default = float(np.float32(default))
        for a in node.attribute:
            if a.name == name:
                v = self.onnx.helper.get_attribute_value(a)
                ok = {"int": lambda: isinstance(v, int),
                      "float": lambda: isinstance(v, (int, float)),
                      "ints": lambda: isinstance(v, list) and all(isinstance(x, int) for x in v),
                      "floats": lambda: isinstance(v, list) and
                      all(isinstance(x, (int, float)) for x in v),
                      "str": lambda: isinstance(v, bytes),
                      "tensor": lambda: isinstance(v, self.onnx.TensorProto)}[kind]()
                if not ok:
                    raise _NodeError(f"attribute {_clean(name, 40)!r} must be of type {kind}")
                return v.decode("utf-8", "replace") if kind == "str" else v
        return default

    def bind(self, node, i, v):
        if i >= len(node.output) or not node.output[i]:
            return
        if isinstance(v, Comp):
            if _prod(v.shape) == 0:
                raise _NodeError("it produces an empty tensor")
            v = Comp(v.node, tuple(int(s) for s in v.shape))
        else:
            v = np.asarray(v)
        self.values[node.output[i]] = v

    def refuse_used_outputs(self, node, start, what):
        for o in node.output[start:]:
            if o and self.consumers[o]:
                raise _NodeError(f"its {what} output {_clean(o, 40)!r} is used; only the "
                                 f"first output is supported")

    def comps_consts(self, node):
        vals = [self.value(node, i) for i in range(len(node.input)) if node.input[i]]
        if not vals:
            raise _NodeError("it has no inputs")
        return vals, [v for v in vals if isinstance(v, Comp)], \
            [v for v in vals if not isinstance(v, Comp)]

    # ---- graph nodes ------------------------------------------------------------------
    def affine(self, inputs, rows, biases, suffix=""):
        ncols = sum(self.dims.get(i, 0) if i != "x" else self.dims["x"] for i in inputs)
        if sum(len(r) for r in rows) > MAX_ENTRIES:
            raise _NodeError(f"its affine map has more than {MAX_ENTRIES} nonzero entries")
        name = self.new_name(suffix)
        self.nodes.append({"name": name, "op": "affine", "input": list(inputs),
                           "rows": rows, "b": biases, "ncols": ncols})
        self.dims[name] = len(rows)
        self.origin[name] = self.here
        return name

    def unit(self, op, inp, suffix="", **fields):
        name = self.new_name(suffix)
        node = {"name": name, "op": op, "input": [inp]}
        node.update(fields)
        self.nodes.append(node)
        self.dims[name] = len(fields["groups"]) if op == "max" else self.dims[inp]
        self.origin[name] = self.here
        return name

    def elementwise(self, x, scale=None, shift=None, suffix=""):
        """The node computing ``scale * x + shift`` coordinatewise (lists or None)."""
        n = self.dims[x.node]
        if (scale is None or all(s == 1 for s in scale)) and \
                (shift is None or not any(shift)):
            return x.node
        rows = [{j: s} if s else {} for j, s in
                enumerate(scale if scale is not None else [_ONE] * n)]
        return self.affine([x.node], rows, list(shift) if shift is not None else [_ZERO] * n,
                           suffix)

    def select(self, x_nodes, idx, const=None, suffix=""):
        """The node whose coordinate ``j`` is coordinate ``idx[j]`` of the concatenated
        inputs (``idx[j] < 0``: the constant ``const[j]``); an alias when nothing moves."""
        flat = np.asarray(idx).ravel()
        total = sum(self.dims[i] for i in x_nodes)
        if flat.size == 0:
            raise _NodeError("it produces an empty tensor")
        if np.all(flat >= 0) and flat.size == total and np.array_equal(flat, np.arange(total)):
            if len(x_nodes) == 1:
                return x_nodes[0]
            name = self.new_name()
            self.nodes.append({"name": name, "op": "concat", "input": list(x_nodes)})
            self.dims[name] = total
            self.origin[name] = self.here
            return name
        _check_size(flat.size, total)
        cvals = _fracs(np.asarray(const).ravel()) if const is not None and np.any(flat < 0) \
            else None
        rows = [{int(i): _ONE} if i >= 0 else {} for i in flat.tolist()]
        biases = [cvals[j] if cvals is not None and flat[j] < 0 else _ZERO
                  for j in range(flat.size)]
        return self.affine(list(x_nodes), rows, biases, suffix)

    def index_op(self, node, data, fn, fill=0.0):
        """Apply a rearrangement ``fn(array, fill)`` to a constant, or to the positions of
        a computed tensor."""
        if not isinstance(data, Comp):
            return np.asarray(fn(data, np.asarray(fill, dtype=data.dtype).item()
                                 if data.dtype.kind in "iufb" else fill))
        n = _prod(data.shape)
        idx = np.asarray(fn(np.arange(n, dtype=np.int64).reshape(data.shape), -1))
        const = None
        if np.any(idx < 0):
            const = np.asarray(fn(np.zeros(data.shape), float(fill)))
        return Comp(self.select([data.node], idx, const), idx.shape)

    # ---- constants ----------------------------------------------------------------------
    def op_Constant(self, node):
        a = self.attrs(node)
        if "value" in a:
            v = self.tensor(a["value"], "the constant")
        elif "value_float" in a:
            v = np.array(a["value_float"], dtype=np.float32)
        elif "value_floats" in a:
            v = np.array(a["value_floats"], dtype=np.float32)
        elif "value_int" in a:
            v = np.array(a["value_int"], dtype=np.int64)
        elif "value_ints" in a:
            v = np.array(a["value_ints"], dtype=np.int64)
        else:
            raise _NodeError(f"only tensor, float and int constants are supported "
                             f"(attributes: {_clean(', '.join(sorted(a))) or 'none'})")
        self.bind(node, 0, v)

    def op_ConstantOfShape(self, node):
        shape = self.ints(node, 0, "shape")
        t = self.attr(node, "value", None, "tensor")
        v = np.zeros(1, np.float32) if t is None else self.tensor(t, "the value")
        if v.size != 1:
            raise _NodeError("its value must have one element")
        if any(s < 0 for s in shape):
            raise _NodeError(f"negative shape {shape}")
        _check_size(_prod(shape), 1)
        self.bind(node, 0, np.full(shape, v.ravel()[0], dtype=v.dtype))

    def op_Shape(self, node):
        v = self.value(node, 0, "data")
        shape = list(v.shape)
        start = self.attr(node, "start", 0, "int")
        end = self.attr(node, "end", None, "int")
        self.bind(node, 0, np.array(shape[start:end], dtype=np.int64))

    def op_Size(self, node):
        v = self.value(node, 0, "data")
        self.bind(node, 0, np.array(_prod(v.shape), dtype=np.int64))

    # ---- shape-only ops -------------------------------------------------------------
    def op_Identity(self, node):
        self.bind(node, 0, self.value(node, 0, "input"))

    def op_Dropout(self, node):
        training = self.const(node, 2, "training_mode", optional=True)
        if training is not None and training.size and bool(training.ravel()[0]):
            raise _NodeError("training mode is not supported")
        self.refuse_used_outputs(node, 1, "mask")
        self.bind(node, 0, self.value(node, 0, "input"))

    def op_Cast(self, node):
        to = self.attr(node, "to", None, "int")
        v = self.value(node, 0, "input")
        try:
            dtype = np.dtype(self.onnx.helper.tensor_dtype_to_np_dtype(to))
        except Exception:
            raise _NodeError(f"unknown target type {to}") from None
        if isinstance(v, Comp):
            if dtype.kind != "f":
                raise _NodeError(f"a cast of a computed tensor to {dtype} is not piecewise "
                                 f"linear")
            self.bind(node, 0, v)
        else:
            self.bind(node, 0, v.astype(dtype))

    def reshape_to(self, node, v, shape):
        if _prod(shape) != _prod(v.shape):
            raise _NodeError(f"a tensor of shape {list(v.shape)} cannot become {list(shape)}")
        shape = tuple(int(s) for s in shape)
        self.bind(node, 0, Comp(v.node, shape) if isinstance(v, Comp) else v.reshape(shape))

    def op_Flatten(self, node):
        v = self.value(node, 0, "input")
        r = len(v.shape)
        axis = self.attr(node, "axis", 1, "int")
        if not -r <= axis <= r:
            raise _NodeError(f"axis {axis} is out of range for a tensor of rank {r}")
        axis %= r + 1 if axis >= 0 else r
        axis = axis if axis >= 0 else axis + r
        self.reshape_to(node, v, (_prod(v.shape[:axis]), _prod(v.shape[axis:])))

    def op_Reshape(self, node):
        v = self.value(node, 0, "data")
        spec = self.ints(node, 1, "shape")
        allowzero = self.attr(node, "allowzero", 0, "int")
        shape, neg = [], None
        for i, s in enumerate(spec):
            if s == 0 and not allowzero:
                if i >= len(v.shape):
                    raise _NodeError(f"shape {spec} copies dimension {i} of a tensor of "
                                     f"rank {len(v.shape)}")
                shape.append(v.shape[i])
            elif s == -1:
                if neg is not None:
                    raise _NodeError(f"shape {spec} has two -1")
                neg = i
                shape.append(1)
            elif s < 0:
                raise _NodeError(f"shape {spec} has a negative dimension")
            else:
                shape.append(s)
        total = _prod(v.shape)
        if neg is not None:
            rest = _prod(shape)
            if rest == 0 or total % rest:
                raise _NodeError(f"a tensor of shape {list(v.shape)} cannot become {spec}")
            shape[neg] = total // rest
        self.reshape_to(node, v, shape)

    def axes_of(self, node, i):
        axes = self.attr(node, "axes", None, "ints")
        if axes is None:
            axes = self.ints(node, i, "axes", optional=True)
        return axes

    def op_Squeeze(self, node):
        v = self.value(node, 0, "data")
        r = len(v.shape)
        axes = self.axes_of(node, 1)
        if axes is None:
            shape = [s for s in v.shape if s != 1]
        else:
            axes = {_norm_axis(a, r) for a in axes}
            if any(v.shape[a] != 1 for a in axes):
                raise _NodeError(f"cannot squeeze axes {sorted(axes)} of shape {list(v.shape)}")
            shape = [s for i, s in enumerate(v.shape) if i not in axes]
        self.reshape_to(node, v, shape)

    def op_Unsqueeze(self, node):
        v = self.value(node, 0, "data")
        axes = self.axes_of(node, 1)
        if not axes:
            raise _NodeError("it needs axes")
        r = len(v.shape) + len(axes)
        axes = [_norm_axis(a, r) for a in axes]
        if len(set(axes)) != len(axes):
            raise _NodeError(f"repeated axes {axes}")
        shape, it = [], iter(v.shape)
        for i in range(r):
            shape.append(1 if i in axes else next(it))
        self.reshape_to(node, v, shape)

    # ---- rearrangements -------------------------------------------------------------
    def op_Transpose(self, node):
        v = self.value(node, 0, "data")
        r = len(v.shape)
        perm = self.attr(node, "perm", list(range(r))[::-1], "ints")
        if sorted(perm) != list(range(r)):
            raise _NodeError(f"perm {perm} is not a permutation of the {r} axes")
        self.bind(node, 0, self.index_op(node, v, lambda a, _: np.transpose(a, perm)))

    def op_Slice(self, node):
        v = self.value(node, 0, "data")
        r = len(v.shape)
        if self.attr(node, "starts", None, "ints") is not None:
            starts = self.attr(node, "starts", None, "ints")
            ends = self.attr(node, "ends", None, "ints")
            axes = self.attr(node, "axes", None, "ints")
            steps = None
        else:
            starts = self.ints(node, 1, "starts")
            ends = self.ints(node, 2, "ends")
            axes = self.ints(node, 3, "axes", optional=True)
            steps = self.ints(node, 4, "steps", optional=True)
        if ends is None or len(ends) != len(starts):
            raise _NodeError("starts and ends must have the same length")
        axes = list(range(len(starts))) if axes is None else [_norm_axis(a, r) for a in axes]
        steps = [1] * len(starts) if steps is None else steps
        if len(axes) != len(starts) or len(steps) != len(starts) or len(set(axes)) != len(axes):
            raise _NodeError("starts, ends, axes and steps do not match")
        sl = [slice(None)] * r
        for a, s, e, st in zip(axes, starts, ends, steps):
            if st == 0:
                raise _NodeError("a step is 0")
            sl[a] = slice(s, e, st)
        self.bind(node, 0, self.index_op(node, v, lambda a, _: a[tuple(sl)]))

    def op_Gather(self, node):
        v = self.value(node, 0, "data")
        ind = self.const(node, 1, "indices")
        if ind.dtype.kind not in "iu":
            raise _NodeError("its indices must be integers")
        axis = _norm_axis(self.attr(node, "axis", 0, "int"), len(v.shape))
        n = v.shape[axis]
        if np.any(ind < -n) or np.any(ind >= n):
            raise _NodeError(f"an index is out of range for a dimension of size {n}")
        self.bind(node, 0, self.index_op(node, v, lambda a, _: np.take(a, ind, axis=axis)))

    def op_Split(self, node):
        v = self.value(node, 0, "input")
        axis = _norm_axis(self.attr(node, "axis", 0, "int"), len(v.shape))
        sizes = self.attr(node, "split", None, "ints")
        if sizes is None:
            sizes = self.ints(node, 1, "split", optional=True)
        n, m = v.shape[axis], len(node.output)
        if sizes is None:
            parts = self.attr(node, "num_outputs", m, "int")
            if parts < 1:
                raise _NodeError("it needs at least one output")
            chunk = -(-n // parts)
            sizes = [min(chunk, n - i * chunk) for i in range(parts)]
        if sum(sizes) != n or any(s < 0 for s in sizes) or len(sizes) != m:
            raise _NodeError(f"split {sizes} does not cut a dimension of {n} into {m} parts")
        start = 0
        for i, s in enumerate(sizes):
            sl = [slice(None)] * len(v.shape)
            sl[axis] = slice(start, start + s)
            start += s
            if node.output[i] and (self.consumers[node.output[i]] or
                                   node.output[i] == self.model.graph.output[0].name):
                self.bind(node, i, self.index_op(node, v, lambda a, _, sl=tuple(sl): a[sl]))

    def op_Concat(self, node):
        vals, comps, consts = self.comps_consts(node)
        r = len(vals[0].shape)
        if any(len(v.shape) != r for v in vals):
            raise _NodeError("its inputs have different ranks")
        axis = _norm_axis(self.attr(node, "axis", None, "int")
                          if self.attr(node, "axis", None, "int") is not None else 1, r)
        if not comps:
            self.bind(node, 0, np.concatenate(vals, axis=axis))
            return
        parts, cparts, inputs, offset = [], [], [], 0
        for v in vals:
            if isinstance(v, Comp):
                n = _prod(v.shape)
                parts.append(np.arange(offset, offset + n, dtype=np.int64).reshape(v.shape))
                cparts.append(np.zeros(v.shape))
                inputs.append(v.node)
                offset += n
            else:
                parts.append(np.full(v.shape, -1, dtype=np.int64))
                cparts.append(v.astype(np.float64))
        idx = np.concatenate(parts, axis=axis)
        const = np.concatenate(cparts, axis=axis) if consts else None
        self.bind(node, 0, Comp(self.select(inputs, idx, const), idx.shape))

    def op_Pad(self, node):
        v = self.value(node, 0, "data")
        r = len(v.shape)
        mode = self.attr(node, "mode", "constant", "str")
        pads = self.attr(node, "pads", None, "ints")
        if pads is None:
            pads = self.ints(node, 1, "pads")
            cv = self.const(node, 2, "constant_value", optional=True)
            axes = self.ints(node, 3, "axes", optional=True)
        else:
            cv = np.array(self.attr(node, "value", 0.0, "float"))
            axes = None
        axes = list(range(r)) if axes is None else [_norm_axis(a, r) for a in axes]
        if len(pads) != 2 * len(axes):
            raise _NodeError(f"{len(pads)} pads for {len(axes)} axes")
        fill = 0.0 if cv is None or cv.size == 0 else cv.ravel()[0].item()
        if mode not in ("constant", "reflect", "edge", "wrap"):
            raise _NodeError(f"pad mode {mode!r} is not supported")
        width = [(0, 0)] * r
        for j, a in enumerate(axes):
            width[a] = (pads[j], pads[j + len(axes)])

        def fn(a, f):
            crop = tuple(slice(-b if b < 0 else None, e if e < 0 else None) for b, e in width)
            a = a[crop]
            w = [(max(b, 0), max(e, 0)) for b, e in width]
            if mode == "constant":
                return np.pad(a, w, mode="constant", constant_values=f)
            return np.pad(a, w, mode=mode)

        self.bind(node, 0, self.index_op(node, v, fn, fill))

    def op_Expand(self, node):
        v = self.value(node, 0, "input")
        shape = tuple(np.broadcast_shapes(tuple(v.shape), tuple(self.ints(node, 1, "shape"))))
        _check_size(_prod(shape), 1)
        self.bind(node, 0, self.index_op(node, v, lambda a, _: np.broadcast_to(a, shape).copy()))

    def op_Tile(self, node):
        v = self.value(node, 0, "input")
        reps = self.ints(node, 1, "repeats")
        if len(reps) != len(v.shape) or any(x < 0 for x in reps):
            raise _NodeError(f"repeats {reps} do not fit a tensor of rank {len(v.shape)}")
        _check_size(_prod(v.shape) * _prod(reps), 1)
        self.bind(node, 0, self.index_op(node, v, lambda a, _: np.tile(a, reps)))

    # ---- elementwise arithmetic -----------------------------------------------------
    def broadcast_const(self, x, c):
        """A constant broadcast to the shape of a computed tensor, as exact values."""
        shape = tuple(np.broadcast_shapes(tuple(x.shape), tuple(c.shape)))
        if _prod(shape) != _prod(x.shape):
            raise _NodeError(f"broadcasting the computed tensor of shape {list(x.shape)} to "
                             f"{list(shape)} is not supported")
        return _fracs(np.broadcast_to(c, shape)), shape

    def same_size(self, comps):
        shape = tuple(comps[0].shape)
        for c in comps[1:]:
            shape = tuple(np.broadcast_shapes(shape, tuple(c.shape)))
        n = _prod(shape)
        if any(_prod(c.shape) != n for c in comps):
            raise _NodeError("broadcasting of computed tensors (shapes "
                             f"{', '.join(str(list(c.shape)) for c in comps)}) is not supported")
        return shape

    def fold(self, node, fn):
        vals = [self.value(node, i) for i in range(len(node.input)) if node.input[i]]
        self.bind(node, 0, np.asarray(fn(*vals)))

    def binary(self, node):
        a, b = self.value(node, 0, "A"), self.value(node, 1, "B")
        return a, b, isinstance(a, Comp), isinstance(b, Comp)

    def op_Add(self, node):
        a, b, ca, cb = self.binary(node)
        if not ca and not cb:
            return self.fold(node, lambda x, y: x + y)
        if ca and cb:
            shape = self.same_size([a, b])
            return self.bind(node, 0, Comp(self.add_nodes([a.node, b.node]), shape))
        x, c = (a, b) if ca else (b, a)
        shift, shape = self.broadcast_const(x, c)
        self.bind(node, 0, Comp(self.elementwise(x, None, shift), shape))

    def add_nodes(self, names):
        name = self.new_name()
        self.nodes.append({"name": name, "op": "add", "input": list(names)})
        self.dims[name] = self.dims[names[0]]
        self.origin[name] = self.here
        return name

    def op_Sum(self, node):
        vals, comps, consts = self.comps_consts(node)
        if not comps:
            return self.fold(node, lambda *v: sum(v[1:], v[0]))
        shape = self.same_size(comps)
        y = comps[0].node if len(comps) == 1 else self.add_nodes([c.node for c in comps])
        if consts:
            total = sum(consts[1:], consts[0])
            shift, shape = self.broadcast_const(Comp(y, shape), total)
            y = self.elementwise(Comp(y, shape), None, shift)
        self.bind(node, 0, Comp(y, shape))

    def op_Sub(self, node):
        a, b, ca, cb = self.binary(node)
        if not ca and not cb:
            return self.fold(node, lambda x, y: x - y)
        if ca and cb:
            shape = self.same_size([a, b])
            n = _prod(shape)
            rows = [{j: _ONE, n + j: -_ONE} for j in range(n)]
            return self.bind(node, 0, Comp(self.affine([a.node, b.node], rows, [_ZERO] * n),
                                           shape))
        if ca:
            shift, shape = self.broadcast_const(a, b)
            y = self.elementwise(a, None, [-s for s in shift])
        else:
            shift, shape = self.broadcast_const(b, a)
            y = self.elementwise(b, [-_ONE] * len(shift), shift)
        self.bind(node, 0, Comp(y, shape))

    def op_Neg(self, node):
        x = self.value(node, 0, "X")
        if not isinstance(x, Comp):
            return self.fold(node, lambda v: -v)
        self.bind(node, 0, Comp(self.elementwise(x, [-_ONE] * _prod(x.shape)), x.shape))

    def op_Mul(self, node):
        a, b, ca, cb = self.binary(node)
        if not ca and not cb:
            return self.fold(node, lambda x, y: x * y)
        if ca and cb:
            raise _NodeError("a product of two computed tensors is not piecewise linear")
        x, c = (a, b) if ca else (b, a)
        scale, shape = self.broadcast_const(x, c)
        self.bind(node, 0, Comp(self.elementwise(x, scale), shape))

    def op_Div(self, node):
        a, b, ca, cb = self.binary(node)
        if not ca and not cb:
            if a.dtype.kind in "iu" and b.dtype.kind in "iu":
                if np.any(b == 0):
                    raise _NodeError("integer division by zero")
                return self.fold(node, lambda x, y: np.trunc(x / y).astype(np.result_type(x, y)))
            return self.fold(node, lambda x, y: x / y)
        if cb:
            raise _NodeError("division by a computed tensor is not piecewise linear")
        scale, shape = self.broadcast_const(a, b)
        if any(s == 0 for s in scale):
            raise _NodeError("division by zero")
        self.bind(node, 0, Comp(self.elementwise(a, [1 / s for s in scale]), shape))

    # ---- piecewise-linear units -------------------------------------------------------
    def unary(self, node):
        x = self.value(node, 0, "X")
        return x, isinstance(x, Comp)

    def op_Relu(self, node):
        x, c = self.unary(node)
        if not c:
            return self.fold(node, lambda v: np.maximum(v, 0))
        self.bind(node, 0, Comp(self.unit("relu", x.node), x.shape))

    def op_Abs(self, node):
        x, c = self.unary(node)
        if not c:
            return self.fold(node, np.abs)
        self.bind(node, 0, Comp(self.unit("abs", x.node), x.shape))

    def op_LeakyRelu(self, node):
        x, c = self.unary(node)
        alpha = self.attr(node, "alpha", 0.01, "float")
        if not c:
            return self.fold(node, lambda v: np.where(v >= 0, v, v * np.asarray(alpha, v.dtype)))
        self.bind(node, 0, Comp(self.unit("leaky_relu", x.node, slope=_frac(alpha)), x.shape))

    def op_PRelu(self, node):
        x, c = self.unary(node)
        slope = self.const(node, 1, "slope")
        if not c:
            return self.fold(node, lambda v, s: np.where(v >= 0, v, v * s))
        if tuple(np.broadcast_shapes(tuple(x.shape), slope.shape)) != tuple(x.shape):
            raise _NodeError(f"the slope of shape {list(slope.shape)} does not broadcast to "
                             f"the input of shape {list(x.shape)}")
        slopes = _fracs(np.broadcast_to(slope, x.shape))
        self.bind(node, 0, Comp(self.unit("prelu", x.node, slopes=slopes), x.shape))

    def bound(self, node, i, name):
        v = self.attr(node, name, None, "float")
        if v is None:
            c = self.const(node, i, name, optional=True)
            if c is None or c.size == 0:
                return None
            if c.size != 1:
                raise _NodeError(f"its {name} must be a scalar")
            v = c.ravel()[0].item()
        if isinstance(v, float) and (math.isinf(v) or abs(v) >= _HUGE):
            return None
        return _frac(v)

    def clamp(self, x, lo, hi):
        """The node computing ``min(max(x, lo), hi)`` (bounds may be None)."""
        if lo is None and hi is None:
            return x.node
        if lo is not None and hi is not None:
            if lo > hi:
                raise _NodeError(f"min {lo} is larger than max {hi}")
            if lo == hi:
                n = self.dims[x.node]
                return self.affine([x.node], [{} for _ in range(n)], [lo] * n)
        return self.unit("clamp", x.node, min=lo, max=hi)

    def op_Clip(self, node):
        x, c = self.unary(node)
        lo, hi = self.bound(node, 1, "min"), self.bound(node, 2, "max")
        if not c:
            return self.fold(node, lambda v, *_: np.clip(
                v, None if lo is None else float(lo), None if hi is None else float(hi)))
        self.bind(node, 0, Comp(self.clamp(x, lo, hi), x.shape))

    def op_HardSigmoid(self, node):
        x, c = self.unary(node)
        alpha = self.attr(node, "alpha", 0.2, "float")
        beta = self.attr(node, "beta", 0.5, "float")
        if not c:
            return self.fold(node, lambda v: np.clip(alpha * v + beta, 0, 1).astype(v.dtype))
        n = _prod(x.shape)
        y = self.elementwise(x, [_frac(alpha)] * n, [_frac(beta)] * n)
        self.bind(node, 0, Comp(self.clamp(Comp(y, x.shape), _ZERO, _ONE), x.shape))

    def maximum(self, names, n, negate=False):
        """The coordinatewise maximum of several nodes of size ``n`` (of their negations
        with ``negate``)."""
        if negate:
            rows = [{i: -_ONE} for i in range(n * len(names))]
            names = [self.affine(names, rows, [_ZERO] * len(rows), "/neg")]
        elif len(names) > 1:
            if len(set(names)) == 1:
                return names[0]
            names = [self.select(names, np.arange(n * len(names)))]
        m = len(rows) // n if negate else self.dims[names[0]] // n
        return self.unit("max", names[0], "/max",
                         groups=[[j + t * n for t in range(m)] for j in range(n)])

    def extremum(self, node, is_max):
        vals, comps, consts = self.comps_consts(node)
        red = np.maximum if is_max else np.minimum
        if not comps:
            return self.fold(node, lambda *v: red.reduce(np.broadcast_arrays(*v)))
        shape = self.same_size(comps)
        n = _prod(shape)
        names = [c.node for c in comps]
        c = None
        if consts:
            c = red.reduce(np.broadcast_arrays(*consts)) if len(consts) > 1 else consts[0]
        y, shape = self.extremum_of(names, n, shape, c, is_max)
        self.bind(node, 0, Comp(y, shape))

    def extremum_of(self, names, n, shape, c, is_max):
        """The elementwise max (min) of computed values ``names`` (of ``n`` coordinates)
        and of the constant ``c`` (or None): ``(node, shape)``."""
        if len(set(names)) == 1:
            y = names[0]
        elif is_max:
            y = self.maximum(names, n)
        else:
            m = self.maximum(names, n, negate=True)
            y = self.elementwise(Comp(m, shape), [-_ONE] * n)
        if c is not None:
            cs, shape = self.broadcast_const(Comp(y, shape), np.asarray(c))
            if len(set(cs)) == 1:
                y = self.clamp(Comp(y, shape), cs[0] if is_max else None,
                               None if is_max else cs[0])
            elif is_max:   # c + relu(y - c)
                z = self.unit("relu", self.elementwise(Comp(y, shape), None, [-v for v in cs]))
                y = self.elementwise(Comp(z, shape), None, cs)
            else:          # c - relu(c - y)
                z = self.unit("relu", self.elementwise(Comp(y, shape), [-_ONE] * n, cs))
                y = self.elementwise(Comp(z, shape), [-_ONE] * n, cs)
        return y, shape

    def op_Max(self, node):
        self.extremum(node, True)

    def op_Min(self, node):
        self.extremum(node, False)

    # ---- dense linear maps --------------------------------------------------------------
    def matmul(self, a, b, scale=None):
        """Rows and output shape of ``a @ b`` (numpy rules), exactly one of them computed."""
        left = isinstance(a, Comp)
        x = a if left else b
        n_in = _prod(x.shape)
        ix = np.arange(n_in, dtype=np.int64).reshape(x.shape)
        A, B = (ix, np.asarray(b)) if left else (np.asarray(a), ix)
        if A.ndim == 0 or B.ndim == 0:
            raise _NodeError("MatMul of a scalar")
        a1, b1 = A.ndim == 1, B.ndim == 1
        A = A[None, :] if a1 else A
        B = B[:, None] if b1 else B
        if A.shape[-1] != B.shape[-2]:
            raise _NodeError(f"shapes {list(np.shape(a if not left else ix))} and "
                             f"{list(np.shape(b if left else ix))} do not multiply")
        batch = tuple(np.broadcast_shapes(A.shape[:-2], B.shape[:-2]))
        M, K, N = A.shape[-2], A.shape[-1], B.shape[-1]
        R = _prod(batch) * M * N
        _check_size(R, n_in)
        _check_size(R, K)
        A = np.broadcast_to(A, batch + (M, K))
        B = np.broadcast_to(B, batch + (K, N))
        AA = np.broadcast_to(A[..., :, None, :], batch + (M, N, K)).reshape(R, K)
        BB = np.broadcast_to(np.swapaxes(B, -1, -2)[..., None, :, :],
                             batch + (M, N, K)).reshape(R, K)
        rows = _sparse_rows(AA, BB, scale) if left else _sparse_rows(BB, AA, scale)
        shape = batch + (() if a1 else (M,)) + (() if b1 else (N,))
        return rows, shape, x

    def op_MatMul(self, node):
        a, b, ca, cb = self.binary(node)
        if not ca and not cb:
            return self.fold(node, np.matmul)
        if ca and cb:
            raise _NodeError("a product of two computed tensors is not piecewise linear")
        rows, shape, x = self.matmul(a, b)
        self.bind(node, 0, Comp(self.affine([x.node], rows, [_ZERO] * len(rows)), shape))

    def op_Gemm(self, node):
        a, b, ca, cb = self.binary(node)
        c = self.value(node, 2, "C", optional=True)
        alpha = _frac(self.attr(node, "alpha", 1.0, "float"))
        beta = _frac(self.attr(node, "beta", 1.0, "float"))
        if isinstance(c, Comp):
            raise _NodeError("a computed C is not supported")
        if ca and cb:
            raise _NodeError("a product of two computed tensors is not piecewise linear")
        if any(len(v.shape) != 2 for v in (a, b)):
            raise _NodeError(f"A and B must be matrices (shapes {list(a.shape)}, "
                             f"{list(b.shape)})")
        ta, tb = self.attr(node, "transA", 0, "int"), self.attr(node, "transB", 0, "int")

        def t(v, flag):
            if not flag:
                return v
            if isinstance(v, Comp):
                return v
            return v.T

        if not ca and not cb:
            y = float(alpha) * (t(a, ta) @ t(b, tb))
            if c is not None:
                y = y + float(beta) * c
            return self.bind(node, 0, y.astype(np.result_type(a, b)))
        if (ca and ta) or (cb and tb):   # transpose the computed operand first
            x = a if ca else b
            ix = np.arange(_prod(x.shape)).reshape(x.shape).T
            x = Comp(self.select([x.node], ix), ix.shape)
            a, b = (x, b) if ca else (a, x)
        rows, shape, x = self.matmul(t(a, ta), t(b, tb), None if alpha == 1 else alpha)
        if c is None:
            biases = [_ZERO] * len(rows)
        else:
            if tuple(np.broadcast_shapes(shape, c.shape)) != tuple(shape):
                raise _NodeError(f"C of shape {list(c.shape)} does not broadcast to "
                                 f"{list(shape)}")
            biases = [beta * v for v in _fracs(np.broadcast_to(c, shape))]
        self.bind(node, 0, Comp(self.affine([x.node], rows, biases), shape))

    def spatial(self, node, x, k=None):
        """Spatial sizes, kernel, strides, pads (begin, end) and dilations of a conv/pool."""
        if not isinstance(x, Comp):
            raise _NodeError("its input must be computed from the network input")
        if len(x.shape) < 3:
            raise _NodeError(f"its input must have shape [N, C, ...], got {list(x.shape)}")
        if x.shape[0] != 1:
            raise _NodeError(f"batch {x.shape[0]} is not supported")
        sp = list(x.shape[2:])
        nd = len(sp)
        ks = self.attr(node, "kernel_shape", None, "ints")
        if k is None:
            if ks is None:
                raise _NodeError("it needs kernel_shape")
            k = ks
        elif ks is not None and list(ks) != list(k):
            raise _NodeError(f"kernel_shape {ks} does not match the weights {list(k)}")
        s = self.attr(node, "strides", None, "ints") or [1] * nd
        dil = self.attr(node, "dilations", None, "ints") or [1] * nd
        pads = self.attr(node, "pads", None, "ints") or [0] * (2 * nd)
        if len(k) != nd or len(s) != nd or len(dil) != nd or len(pads) != 2 * nd:
            raise _NodeError(f"kernel, strides, dilations or pads do not fit {nd} spatial "
                             f"dimensions")
        if any(v < 1 for v in list(k) + list(s) + list(dil)) or any(p < 0 for p in pads):
            raise _NodeError("kernel sizes, strides and dilations must be positive, pads "
                             "non-negative")
        auto = self.attr(node, "auto_pad", "NOTSET", "str")
        pb, pe = list(pads[:nd]), list(pads[nd:])
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            for d in range(nd):
                out = -(-sp[d] // s[d])
                total = max(0, (out - 1) * s[d] + dil[d] * (k[d] - 1) + 1 - sp[d])
                small, large = total // 2, total - total // 2
                pb[d], pe[d] = (small, large) if auto == "SAME_UPPER" else (large, small)
        elif auto == "VALID":
            pb, pe = [0] * nd, [0] * nd
        elif auto != "NOTSET":
            raise _NodeError(f"auto_pad {auto!r} is not supported")
        return sp, list(k), list(s), pb, pe, list(dil)

    def op_Conv(self, node):
        x = self.value(node, 0, "X")
        w = self.const(node, 1, "W")
        bias = self.const(node, 2, "B", optional=True)
        if w.ndim < 3:
            raise _NodeError(f"weights of shape {list(w.shape)} are not a convolution kernel")
        sp, k, s, pb, pe, dil = self.spatial(node, x, list(w.shape[2:]))
        g = self.attr(node, "group", 1, "int")
        rows, biases, out = conv_rows(x.shape[1], w, bias, sp, k, s, pb, pe, dil, g, "group")
        M = w.shape[0]
        self.bind(node, 0, Comp(self.affine([x.node], rows, biases), (1, M, *out)))

    def pool_windows(self, node, x, sp, k, s, pb, pe, dil):
        ceil_mode = self.attr(node, "ceil_mode", 0, "int")
        wins = [_windows(sp[d], k[d], s[d], pb[d], pe[d], dil[d], ceil_mode)
                for d in range(len(sp))]
        steps = [_prod(sp[d + 1:]) for d in range(len(sp))]
        out = []
        for combo in itertools.product(*wins):
            flat = [sum(p * st for p, st in zip(ps, steps))
                    for ps in itertools.product(*[c[0] for c in combo])]
            out.append((flat, _prod(c[1] for c in combo)))
        return out, [len(wd) for wd in wins]

    def op_AveragePool(self, node):
        x = self.value(node, 0, "X")
        sp, k, s, pb, pe, dil = self.spatial(node, x)
        include = self.attr(node, "count_include_pad", 0, "int")
        wins, out = self.pool_windows(node, x, sp, k, s, pb, pe, dil)
        C, S = x.shape[1], _prod(sp)
        _check_size(C * len(wins), C * S)
        rows = []
        for c in range(C):
            for flat, incl in wins:
                div = incl if include else len(flat)
                if div == 0:
                    raise _NodeError("a pooling window lies entirely in the padding")
                w = Fraction(1, div)
                rows.append({c * S + f: w for f in flat})
        self.bind(node, 0, Comp(self.affine([x.node], rows, [_ZERO] * len(rows)),
                                (1, C, *out)))

    def op_MaxPool(self, node):
        x = self.value(node, 0, "X")
        self.refuse_used_outputs(node, 1, "Indices")
        sp, k, s, pb, pe, dil = self.spatial(node, x)
        wins, out = self.pool_windows(node, x, sp, k, s, pb, pe, dil)
        C, S = x.shape[1], _prod(sp)
        groups = []
        for c in range(C):
            for flat, _ in wins:
                if not flat:
                    raise _NodeError("a pooling window lies entirely in the padding")
                groups.append([c * S + f for f in flat])
        self.bind(node, 0, Comp(self.unit("max", x.node, groups=groups), (1, C, *out)))

    def global_groups(self, x):
        if not isinstance(x, Comp):
            raise _NodeError("its input must be computed from the network input")
        if len(x.shape) < 3 or x.shape[0] != 1:
            raise _NodeError(f"its input must have shape [1, C, ...], got {list(x.shape)}")
        C, S = x.shape[1], _prod(x.shape[2:])
        return [list(range(c * S, (c + 1) * S)) for c in range(C)], \
            (1, C) + (1,) * (len(x.shape) - 2)

    def op_GlobalAveragePool(self, node):
        x = self.value(node, 0, "X")
        groups, shape = self.global_groups(x)
        w = Fraction(1, len(groups[0]))
        rows = [{i: w for i in g} for g in groups]
        self.bind(node, 0, Comp(self.affine([x.node], rows, [_ZERO] * len(rows)), shape))

    def op_GlobalMaxPool(self, node):
        x = self.value(node, 0, "X")
        groups, shape = self.global_groups(x)
        self.bind(node, 0, Comp(self.unit("max", x.node, groups=groups), shape))

    def op_BatchNormalization(self, node):
        x = self.value(node, 0, "X")
        params = [self.const(node, i, w) for i, w in
                  enumerate(("scale", "B", "input_mean", "input_var"), 1)]
        eps = self.attr(node, "epsilon", 1e-5, "float")
        if self.attr(node, "training_mode", 0, "int"):
            raise _NodeError("training mode is not supported")
        self.refuse_used_outputs(node, 1, "training")
        if len(x.shape) < 2:
            raise _NodeError(f"its input must have shape [N, C, ...], got {list(x.shape)}")
        C = x.shape[1]
        if any(p.shape != (C,) for p in params):
            raise _NodeError(f"scale, B, mean and var must have shape [{C}], got "
                             f"{', '.join(str(list(p.shape)) for p in params)}")
        scale, b, mean, var = params
        v = var.astype(np.float64) + np.float64(eps)
        if not np.all(v > 0):
            raise _NodeError("var + epsilon must be positive")
        inv = 1.0 / np.sqrt(v)
        if not isinstance(x, Comp):
            y = (x - mean.reshape((C,) + (1,) * (x.ndim - 2))) * \
                (scale * inv).reshape((C,) + (1,) * (x.ndim - 2)) + \
                b.reshape((C,) + (1,) * (x.ndim - 2))
            return self.bind(node, 0, y.astype(x.dtype))
        S = _prod(x.shape) // C
        w = [si * ii for si, ii in zip(_fracs(scale), _fracs(inv))]
        t = [bi - wi * mi for bi, wi, mi in zip(_fracs(b), w, _fracs(mean))]
        y = self.elementwise(x, [wc for wc in w for _ in range(S)],
                             [tc for tc in t for _ in range(S)])
        label = self.here.split("(node ", 1)[-1].rstrip(")")
        self.notes.append(f"BatchNormalization {label}: 1/sqrt(var + eps) computed in "
                          f"floating point, then taken exactly")
        self.bind(node, 0, Comp(y, x.shape))

    # ---- reductions -----------------------------------------------------------------
    def reduce(self, node, kind):
        x = self.value(node, 0, "data")
        r = len(x.shape)
        axes = self.axes_of(node, 1)
        keep = self.attr(node, "keepdims", 1, "int")
        if not axes:
            if self.attr(node, "noop_with_empty_axes", 0, "int"):
                return self.bind(node, 0, x)
            axes = list(range(r))
        axes = sorted({_norm_axis(a, r) for a in axes})
        shape = tuple(1 if i in axes else d for i, d in enumerate(x.shape) if keep or i not in axes)
        if not isinstance(x, Comp):
            fn = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}[kind]
            return self.bind(node, 0, np.asarray(fn(x, axis=tuple(axes), keepdims=bool(keep))))
        idx = np.arange(_prod(x.shape)).reshape(x.shape)
        G = _prod(x.shape[a] for a in axes)
        groups = np.moveaxis(idx, axes, list(range(r - len(axes), r))).reshape(-1, G).tolist()
        if kind in ("sum", "mean"):
            w = _ONE if kind == "sum" else Fraction(1, G)
            rows = [{i: w for i in g} for g in groups]
            y = self.affine([x.node], rows, [_ZERO] * len(rows))
        elif kind == "max":
            y = x.node if G == 1 else self.unit("max", x.node, groups=groups)
        else:
            n = _prod(x.shape)
            neg = self.elementwise(x, [-_ONE] * n, None, "/neg")
            m = neg if G == 1 else self.unit("max", neg, "/max", groups=groups)
            y = self.elementwise(Comp(m, shape), [-_ONE] * len(groups))
        self.bind(node, 0, Comp(y, shape))

    def op_ReduceSum(self, node):
        self.reduce(node, "sum")

    def op_ReduceMean(self, node):
        self.reduce(node, "mean")

    def op_ReduceMax(self, node):
        self.reduce(node, "max")

    def op_ReduceMin(self, node):
        self.reduce(node, "min")

    # ---- the result -------------------------------------------------------------------
    def result(self, out_name, shape, batched):
        out = self.values.get(out_name)
        if out is None:
            self.fail(f"the graph output {_clean(out_name)!r} has no value", "output")
        if not isinstance(out, Comp):
            self.fail("the graph output does not depend on the input", "output")
        name = out.node
        if name == "x":
            self.base, self.here = "identity", "the output"
            try:
                name = self.elementwise(out, [_ONE] * self.dims["x"], [_ONE] * self.dims["x"])
            except _NodeError as e:
                self.fail(str(e))
            self.nodes[-1]["b"] = [_ZERO] * self.dims["x"]
        nodes = self.fuse(name)
        for nd in nodes:
            if nd["op"] == "affine":
                rows, ncols = nd.pop("rows"), nd.pop("ncols")
                if len(rows) * ncols > MAX_ENTRIES:
                    self.fail(f"{self.origin[nd['name']]}: its affine map would need a dense "
                              f"{len(rows)} x {ncols} matrix ({len(rows) * ncols} entries, "
                              f"more than {MAX_ENTRIES})")
                weights = []
                for r in rows:
                    line = [_ZERO] * ncols
                    for c, v in r.items():
                        line[c] = v
                    weights.append(line)
                nd["weights"], nd["biases"] = weights, nd.pop("b")
        d = self.dims["x"]
        return {"format": FORMAT,
                "input": {"name": "x", "dim": d,
                          "shape": list(shape[1:]) if batched else list(shape)},
                "nodes": nodes, "output": name, "notes": self.notes,
                "layers_read": self.read_layers}

    def fuse(self, output):
        """The nodes, an affine node read only by another affine node composed into it when
        that costs little."""
        uses = Counter(i for nd in self.nodes for i in nd["input"])
        uses[output] += 1
        by_name = {nd["name"]: nd for nd in self.nodes}
        gone = set()
        for nd in self.nodes:
            if nd["op"] != "affine" or len(nd["input"]) != 1:
                continue
            a = by_name.get(nd["input"][0])
            if a is None or a["op"] != "affine" or uses[a["name"]] != 1:
                continue
            cost = sum(len(a["rows"][j]) for row in nd["rows"] for j in row)
                # noqa: E131
            nnz = sum(len(r) for r in a["rows"]) + sum(len(r) for r in nd["rows"])
            if cost > 4 * nnz + 16 or len(nd["rows"]) * a["ncols"] > \
                    max(len(nd["rows"]) * nd["ncols"], len(a["rows"]) * a["ncols"]):
                continue
            rows, biases = [], []
            for row, bi in zip(nd["rows"], nd["b"]):
                new, c0 = {}, bi
                for j, w in row.items():
                    for col, v in a["rows"][j].items():
                        new[col] = new.get(col, _ZERO) + w * v
                    c0 += w * a["b"][j]
                rows.append(new)
                biases.append(c0)
            nd.update(rows=rows, b=biases, input=list(a["input"]), ncols=a["ncols"])
            gone.add(a["name"])
        return [nd for nd in self.nodes if nd["name"] not in gone]


def graph_from_onnx(data, *, source=None, strip_output_activation=False):
    """The polytopo graph description (format version 2, graph form) of an ONNX model.

    Parameters
    ----------
    data : bytes
        The contents of an ``.onnx`` file.
    source : str, optional
        The file name, used in error messages.
    strip_output_activation : bool
        Drop a final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or ``Tanh`` (with a note).

    Returns
    -------
    dict
        ``{"format", "input", "nodes", "output", "notes", "layers_read"}`` with exact
        (:class:`~fractions.Fraction`) numbers; see the module documentation.

    Raises
    ------
    InputError
        For anything that is not a readable ONNX model of a piecewise-linear network,
        with one line naming the op and the node.

    Examples
    --------
    >>> graph_from_onnx(b"not a model", source="net.onnx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: net.onnx: ...
    """
    try:
        import onnx
        import onnx.numpy_helper  # noqa: F401
    except ImportError:
        raise InputError("reading ONNX files needs the 'onnx' extra "
                         "(pip install 'polytopo[onnx]')", source=source) from None
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise InputError(f"ONNX data must be bytes, not {type(data).__name__}", source=source)
    if not data:
        raise InputError("the ONNX file is empty", source=source)
    try:
        model = onnx.load_from_string(data)
    except Exception as e:
        raise InputError(f"not an ONNX model (cannot parse the protobuf: "
                         f"{_clean(first_line(e), 120)})", source=source) from None
    return run_reader(_Reader(onnx, model, source, bool(strip_output_activation)), source,
                      "the ONNX model")


def run_reader(reader, source, what):
    """``reader.read()`` with every failure as one line of :class:`InputError`."""
    try:
        return reader.read()
    except InputError:
        raise
    except _NodeError as e:
        raise InputError(str(e), source=source) from None
    except Exception as e:   # a malformed model the checks did not foresee
        raise InputError(f"cannot read {what} ({type(e).__name__}: "
                         f"{_clean(first_line(e), 160)})", source=source) from None
