"""Reading PyTorch models as polytopo graphs (network format version 2, graph form).

:func:`graph_from_torch` exports an ``nn.Module`` with ``torch.export`` for an example
input and reads the exported program; :func:`graph_from_exported` reads an
``ExportedProgram`` and :func:`graph_from_pt2_bytes` a ``.pt2`` file written by
``torch.export.save``. The result is the graph description read by
:meth:`polytopo.network.model.Network.from_json`, exactly as
:func:`polytopo.network.onnx_reader.graph_from_onnx` makes it: every value is a flat
vector (the row-major flattening of the tensor, a batch dimension of 1 dropped), the
nodes are ``affine``, ``relu``, ``leaky_relu``, ``prelu``, ``clamp``, ``abs``, ``max``,
``add`` and ``concat``, and every number is exact: each float is taken exactly as a
:class:`~fractions.Fraction`.

The program must have one tensor input and one tensor output. Supported layers and ATen
ops (the export IR and the core ATen IR of ``run_decompositions``):

- linear maps: ``Linear`` (``linear``, ``addmm``, ``mm``, ``matmul`` with one constant
  operand), ``Conv1d``/``Conv2d``/``Conv3d`` (``conv*d``, ``convolution``; strides,
  padding including ``"same"``, dilations, groups), ``AvgPool*d``,
  ``AdaptiveAvgPool*d``, ``BatchNorm*d`` in eval mode (folded; see the notes), ``mean``
  and ``sum`` over dimensions, ``add``/``sub``/``rsub`` (of constants or of computed
  tensors of one size), ``mul``/``div`` by constants, ``neg``;
- rearrangements: ``Flatten``, ``view``, ``reshape``, ``squeeze``, ``unsqueeze``,
  ``permute``, ``transpose``, ``t``, ``slice``, ``select``, ``narrow``, ``expand``,
  ``repeat``, ``flip``, ``roll``, ``cat``, ``stack``, ``split``, ``chunk``,
  ``unbind``, ``constant_pad_nd``; and ``Dropout``/``Identity`` (eval), ``clone``,
  ``contiguous``, ``detach`` and casts to a float type, which change nothing;
- piecewise-linear maps: ``ReLU``, ``LeakyReLU``, ``PReLU``, ``ReLU6``, ``Hardtanh``,
  ``Hardsigmoid``, ``clamp``, ``abs``, ``torch.maximum``/``torch.minimum`` (and ``max``/
  ``min`` of two tensors), ``MaxPool*d``, ``AdaptiveMaxPool*d``, ``amax``, ``amin`` and
  ``max``/``min`` over a dimension (their values);
- constants: parameters, buffers, lifted constants, and any op applied to constants
  only (computed with torch).

Everything else (``Tanh`` or ``Sigmoid`` inside the network, ``GELU``, products of
computed tensors, ...) is refused with an :class:`~polytopo.exceptions.InputError` naming
the op, the node and the module. A final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or
``Tanh`` is dropped with ``strip_output_activation=True``.
"""

__all__ = ["graph_from_torch", "graph_from_exported", "graph_from_pt2_bytes"]

import io
import logging
import math
import operator
import warnings
from fractions import Fraction

import numpy as np

from ..exceptions import InputError, first_line
from .onnx_reader import (Comp, _check_size, _clean, _frac, _fracs, _NodeError, _prod, _Reader,
                          _windows, conv_rows, run_reader)

#: output activations that ``strip_output_activation`` may drop (ATen name -> layer name)
STRIPPABLE = {"softmax": "Softmax", "_softmax": "Softmax", "log_softmax": "LogSoftmax",
              "_log_softmax": "LogSoftmax", "sigmoid": "Sigmoid", "tanh": "Tanh"}
#: ops that leave the flat vector unchanged
_SAME = ("clone", "contiguous", "alias", "detach", "lift_fresh_copy", "lift_fresh",
         "dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout",
         "_to_copy", "to", "type_as", "_assert_tensor_metadata")
#: ops that only move coordinates (read with index tensors)
_MOVES = ("view", "_unsafe_view", "reshape", "flatten", "unflatten", "squeeze",
          "unsqueeze", "permute", "transpose", "t", "slice", "select", "narrow", "expand",
          "expand_copy", "repeat", "flip", "roll", "movedim", "swapaxes", "swapdims",
          "view_copy", "permute_copy", "squeeze_copy", "unsqueeze_copy", "slice_copy",
          "select_copy", "transpose_copy", "t_copy", "split", "split_with_sizes", "chunk",
          "unbind", "tensor_split", "cat", "concat", "concatenate", "stack", "hstack",
          "vstack", "unfold", "constant_pad_nd", "pad", "ravel", "reshape_as", "view_as",
          "expand_as")
#: ops with random or undefined results: never computed, even on constants
_NONDETERMINISTIC = ("rand", "randn", "randint", "rand_like", "randn_like", "randint_like",
                     "bernoulli", "normal", "uniform", "multinomial", "randperm", "empty",
                     "empty_like", "empty_strided", "native_dropout", "exponential")
_ZERO = Fraction(0)
_ONE = Fraction(1)
_TORCH_MISSING = "reading PyTorch models needs torch (pip install 'polytopo[torch]')"


class _Multi:
    """The tuple of tensors an op returns (read one by one by ``getitem``)."""

    def __init__(self, items):
        self.items = list(items)


class _Moved:
    """A tuple element of a rearrangement: index tensor, constant values, input nodes."""

    def __init__(self, idx, const, inputs):
        self.idx, self.const, self.inputs = idx, const, inputs


def _import_torch(source=None):
    try:
        import torch
        import torch.export  # noqa: F401
    except ImportError:
        raise InputError(_TORCH_MISSING, source=source) from None
    return torch


def _np(t):
    """A constant tensor as a numpy array (float types as float64, exactly)."""
    import torch

    t = t.detach().cpu()
    if t.is_complex():
        raise _NodeError("complex constants are not supported")
    if t.layout != torch.strided:
        raise _NodeError(f"sparse constants are not supported ({t.layout})")
    if t.dtype == torch.bool:
        return t.numpy().copy()
    if t.is_floating_point():
        return t.to(torch.float64).numpy().copy()
    return t.to(torch.int64).numpy().copy()


def _module_of(node):
    """The innermost module of a node: ``(key, path, class name)`` or None."""
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return None
    key, val = list(stack.items())[-1]
    try:
        path, typ = val
    except (TypeError, ValueError):
        return None
    cls = typ if isinstance(typ, str) else getattr(typ, "__qualname__", str(typ))
    return key, str(path), str(cls).rsplit(".", 1)[-1]


def _is_library_module(node):
    stack = node.meta.get("nn_module_stack") or {}
    if not stack:
        return False
    typ = list(stack.values())[-1][1]
    name = typ if isinstance(typ, str) else f"{getattr(typ, '__module__', '')}."
    return str(name).startswith("torch.nn.") and bool(list(stack.values())[-1][0])


def _op_name(node):
    """A short name of the op a call node computes."""
    t = node.target
    if t is operator.getitem:
        return "getitem"
    name = getattr(t, "__name__", None) or str(t)
    ns = getattr(t, "namespace", None)
    base = name.split(".")[0]
    if ns not in (None, "aten"):
        return f"{ns}.{base}"
    return base


def _ints(v, n, what):
    """An int or a list of ints as a list of ``n`` ints."""
    if isinstance(v, (list, tuple)):
        v = [int(x) for x in v]
        if len(v) == 1 and n > 1:
            v = v * n
    else:
        v = [int(v)] * n
    if len(v) != n:
        raise _NodeError(f"{what} {v} do not fit {n} spatial dimensions")
    return v


class _TorchReader(_Reader):
    """Reads one ``torch.export`` program (see :func:`graph_from_exported`)."""

    def __init__(self, torch, program, source, strip):
        super().__init__(None, None, source, strip)
        self.torch = torch
        self.program = program
        self.module_key = None

    # ---- the program ------------------------------------------------------------------
    def read(self):
        ep = self.program
        sig = ep.graph_signature
        graph = ep.graph
        params = dict(sig.inputs_to_parameters)
        buffers = dict(sig.inputs_to_buffers)
        consts = dict(getattr(sig, "inputs_to_lifted_tensor_constants", {}) or {})
        user_inputs = list(sig.user_inputs)
        user_outputs = list(sig.user_outputs)
        if len(user_inputs) != 1:
            self.fail(f"the exported program has {len(user_inputs)} inputs; polytopo reads "
                      f"networks with one tensor input")
        if len(user_outputs) != 1:
            self.fail(f"the exported program has {len(user_outputs)} outputs; polytopo "
                      f"reads networks with one tensor output")
        nodes = list(graph.nodes)
        shape, batched = None, False
        for n in nodes:
            if n.op != "placeholder":
                continue
            if n.name in params or n.name in buffers or n.name in consts:
                target = params.get(n.name) or buffers.get(n.name) or consts.get(n.name)
                t = ep.state_dict.get(target)
                if t is None:
                    t = ep.constants.get(target)
                if t is None:
                    self.fail(f"the weight {_clean(target)!r} is missing from the program")
                if not isinstance(t, self.torch.Tensor):
                    self.fail(f"the constant {_clean(target)!r} is not a tensor")
                try:
                    self.values[n.name] = _np(t)
                except _NodeError as e:
                    self.fail(f"the constant {_clean(target)!r}: {e}")
            elif n.name == user_inputs[0]:
                shape, batched = self.input_shape(n)
                self.values[n.name] = Comp("x", shape)
                self.dims["x"] = _prod(shape)
            else:
                self.fail(f"the program input {_clean(n.name)!r} is not a tensor "
                          f"(custom objects are not supported)")
        if shape is None:
            self.fail("the exported program has no tensor input")
        out_node = [n for n in nodes if n.op == "output"]
        if len(out_node) != 1:
            self.fail("the exported program has no output node")
        outs = out_node[0].args[0]
        outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
        final_out = [o for o in outs if getattr(o, "name", None) == user_outputs[0]]
        if not final_out:
            self.fail("the program output is not a tensor computed by the program")
        result = final_out[0]
        # the nodes the output depends on
        needed, stack = set(), [result]
        while stack:
            n = stack.pop()
            if n.name in needed:
                continue
            needed.add(n.name)
            stack.extend(n.all_input_nodes)
        final = self.final_activation(result)
        for n in nodes:
            if n.op == "call_function" and n.name in needed:
                self.read_node(n, final)
            elif n.op not in ("placeholder", "output", "call_function"):
                if n.name in needed:
                    self.fail(f"unsupported node {_clean(n.op, 40)} {_clean(n.name)!r} "
                              f"(control flow and submodules are not supported)")
        skipped = sum(1 for n in nodes if n.op == "call_function" and n.name not in needed
                      and not _op_name(n).startswith(("_assert", "sym_constrain")))
        if skipped:
            self.notes.append(f"{skipped} PyTorch op{'s' if skipped > 1 else ''} not leading "
                              f"to the output {'were' if skipped > 1 else 'was'} not read")
        return self.result(result.name, shape, batched)

    def input_shape(self, node):
        val = node.meta.get("val")
        name = _clean(node.name, 40)
        if val is None or not hasattr(val, "shape"):
            self.fail(f"the program input {name!r} has no known shape", "input")
        if getattr(val, "is_floating_point", lambda: True)() is False:
            self.fail(f"the program input {name!r} has type {val.dtype}; polytopo reads "
                      f"float inputs", "input")
        dims = []
        for i, d in enumerate(val.shape):
            if isinstance(d, int):
                dims.append(int(d))
            else:               # a symbolic size
                if i != 0 or len(val.shape) == 1:
                    self.fail(f"dimension {i} of the program input {name!r} is symbolic; "
                              f"only the batch dimension may be", "input")
                dims.append(1)
        if not dims:
            self.fail(f"the program input {name!r} is a scalar", "input")
        if any(d < 1 for d in dims):
            self.fail(f"the program input {name!r} has an empty dimension", "input")
        if len(dims) == 1:
            return tuple(dims), False
        if dims[0] != 1:
            self.fail(f"the batch dimension of the program input {name!r} is {dims[0]}; "
                      f"only 1 is supported", "input")
        return tuple(dims), True

    def final_activation(self, result):
        """The output activation node (followed back through shape-only ops), or None."""
        n = result
        while n.op == "call_function":
            op = _op_name(n)
            if op in STRIPPABLE:
                return n
            if op not in _SAME + ("view", "_unsafe_view", "reshape", "flatten", "squeeze",
                                  "unsqueeze", "getitem") or not n.args:
                return None
            prev = n.args[0]
            if not hasattr(prev, "users") or len(prev.users) != 1:
                return None
            n = prev
        return None

    # ---- one node ---------------------------------------------------------------------
    def where(self, node):
        mod = _module_of(node)
        text = f"node '{_clean(node.name)}'"
        if mod and mod[1]:
            text += f", module '{_clean(mod[1])}' ({_clean(mod[2], 60)})"
        return text

    def layer_name(self, node, op):
        mod = _module_of(node)
        if mod is not None and _is_library_module(node):
            if mod[0] == self.module_key:
                return
            self.module_key = mod[0]
            self.read_layers.append(f"{_clean(mod[2], 60)} '{_clean(mod[1])}'")
            return
        self.module_key = None
        if op in ("getitem", "sym_size", "_assert_tensor_metadata"):
            return
        self.read_layers.append(f"{_clean(op, 60)} '{_clean(node.name)}'")

    def read_node(self, node, final):
        op = _op_name(node)
        self.base = _clean(node.name, 200)
        self.here = f"{_clean(op, 60)} ({self.where(node)})"
        self.layer_name(node, op)
        if node is final:
            if self.strip:
                self.values[node.name] = self.arg(node, 0, "input")
                self.notes.append(f"the output activation {STRIPPABLE[op]} "
                                  f"'{_clean(node.name)}' was dropped "
                                  f"(--strip-output-activation)")
                return
            self.fail(f"unsupported PyTorch op {op} ({self.where(node)}) (pass "
                      f"--strip-output-activation to analyse the logits)")
        try:
            self.values[node.name] = self.compute(node, op)
        except _NodeError as e:
            self.fail(f"{self.here}: {e}")
        except InputError:
            raise
        except Exception as e:   # torch or numpy complaints about a malformed node
            self.fail(f"{self.here}: cannot be read ({type(e).__name__}: "
                      f"{_clean(first_line(e), 160)})")

    def unsupported(self, node, op):
        self.fail(f"unsupported PyTorch op {_clean(op, 60)} ({self.where(node)})")

    # ---- arguments --------------------------------------------------------------------
    def resolve(self, a):
        """An argument with graph nodes replaced by their values."""
        if hasattr(a, "op") and hasattr(a, "name") and hasattr(a, "users"):
            if a.name not in self.values:
                raise _NodeError(f"its input {_clean(a.name)!r} has no value")
            return self.values[a.name]
        if isinstance(a, (list, tuple)):
            return type(a)(self.resolve(x) for x in a)
        return a

    def arg(self, node, i, name, default=None):
        if i < len(node.args):
            return self.resolve(node.args[i])
        if name in node.kwargs:
            return self.resolve(node.kwargs[name])
        return default

    def args(self, node):
        return self.resolve(list(node.args)), {k: self.resolve(v) for k, v in
                                               node.kwargs.items()}

    @staticmethod
    def has_comp(a):
        if isinstance(a, (Comp, _Multi, _Moved)):
            return True
        if isinstance(a, (list, tuple)):
            return any(_TorchReader.has_comp(x) for x in a)
        return False

    def to_torch(self, a):
        """Constant arguments as torch values (numpy arrays become tensors)."""
        if isinstance(a, np.ndarray):
            return self.torch.from_numpy(a.copy())
        if isinstance(a, (list, tuple)):
            return type(a)(self.to_torch(x) for x in a)
        return a

    def from_torch(self, v):
        if isinstance(v, self.torch.Tensor):
            return _np(v)
        if isinstance(v, (list, tuple)) and any(isinstance(x, self.torch.Tensor) for x in v):
            return _Multi(self.from_torch(x) for x in v)
        return v

    def comp(self, v, what="its input"):
        if not isinstance(v, Comp):
            raise _NodeError(f"{what} must be computed from the network input")
        return v

    @staticmethod
    def number(v, what):
        """A scalar constant (a number or a one-element array) exactly, or None."""
        if v is None:
            return None
        if isinstance(v, np.ndarray):
            if v.size != 1:
                raise _NodeError(f"its {what} must be a scalar")
            v = v.ravel()[0].item()
        if isinstance(v, float) and math.isinf(v):
            return None
        return _frac(v)

    # ---- the ops ----------------------------------------------------------------------
    def compute(self, node, op):
        args, kwargs = self.args(node)
        if op in _NONDETERMINISTIC:
            raise _NodeError("random or uninitialised values are not supported")
        if op == "getitem":
            return self.getitem(args[0], args[1])
        if op == "sym_size":
            return int(args[0].shape[int(args[1])])
        if not self.has_comp(args) and not self.has_comp(kwargs):
            if getattr(node.target, "namespace", None) != "aten" and \
                    getattr(node.target, "__module__", None) not in ("_operator", "operator"):
                self.unsupported(node, op)
            return self.from_torch(node.target(*self.to_torch(args), **self.to_torch(kwargs)))
        if op in ("zeros_like", "ones_like", "full_like"):
            x = self.comp(args[0])
            fill = {"zeros_like": 0.0, "ones_like": 1.0}.get(op)
            if fill is None:
                fill = self.arg(node, 1, "fill_value")
            return np.full(x.shape, float(fill))
        handler = getattr(self, "op_" + op, None)
        if handler is not None:
            return handler(node, args, kwargs)
        if op in _SAME:
            return self.same(node, op, args, kwargs)
        if op in _MOVES:
            return self.moved(node, args, kwargs)
        self.unsupported(node, op)

    def getitem(self, v, i):
        if isinstance(v, _Multi):
            item = v.items[i]
        elif isinstance(v, (list, tuple)):
            item = v[i]
        else:
            raise _NodeError("an index into a value that is not a tuple")
        if isinstance(item, _Moved):
            return Comp(self.select(item.inputs, item.idx, item.const), item.idx.shape)
        if isinstance(item, str):
            raise _NodeError(item)
        return item

    def same(self, node, op, args, kwargs):
        x = args[0]
        if op in ("dropout", "feature_dropout", "alpha_dropout", "feature_alpha_dropout"):
            train = self.arg(node, 2, "train", False)
            if train:
                raise _NodeError("training mode is not supported (call model.eval())")
        if op in ("_to_copy", "to"):
            dtype = kwargs.get("dtype")
            if dtype is None:
                dtype = next((a for a in args[1:] if isinstance(a, self.torch.dtype)), None)
            if dtype is not None and not dtype.is_floating_point:
                raise _NodeError(f"a cast of a computed tensor to {dtype} is not piecewise "
                                 f"linear")
        if op == "_assert_tensor_metadata":
            return None
        return self.comp(x)

    def moved(self, node, args, kwargs):
        """A rearrangement: the op applied to index tensors of the computed inputs."""
        torch = self.torch
        inputs, offset = [], [0]

        def index(v):
            if isinstance(v, Comp):
                n = _prod(v.shape)
                t = torch.arange(offset[0], offset[0] + n, dtype=torch.int64).reshape(v.shape)
                inputs.append(v.node)
                offset[0] += n
                return t
            if isinstance(v, np.ndarray):
                return torch.full(v.shape, -1, dtype=torch.int64)
            if isinstance(v, (list, tuple)):
                return type(v)(index(x) for x in v)
            return v

        def const(v):
            if isinstance(v, Comp):
                return torch.zeros(v.shape, dtype=torch.float64)
            if isinstance(v, np.ndarray):
                return torch.from_numpy(v.astype(np.float64))
            if isinstance(v, (list, tuple)):
                return type(v)(const(x) for x in v)
            return v

        iargs, ikw = index(args), {k: index(v) for k, v in kwargs.items()}
        op = _op_name(node)
        if op in ("constant_pad_nd", "pad"):
            mode = self.arg(node, 2, "mode", "constant") if op == "pad" else "constant"
            if mode != "constant":
                raise _NodeError(f"pad mode {mode!r} is not supported")
            if op == "constant_pad_nd":
                iargs = iargs[:2] + [-1]
            else:
                iargs = iargs[:2] + ["constant", -1]
            ikw.pop("value", None)
        target = node.target
        if op in ("view", "_unsafe_view", "view_copy"):   # index tensors may be strided
            target = torch.ops.aten.reshape.default
        idx = target(*iargs, **ikw)
        cargs, ckw = const(args), {k: const(v) for k, v in kwargs.items()}
        need_const = self.torch.is_tensor(idx) and bool((idx < 0).any()) or \
            isinstance(idx, (list, tuple)) and any(bool((t < 0).any()) for t in idx)
        cval = target(*cargs, **ckw) if need_const else None
        if isinstance(idx, (list, tuple)):
            return _Multi(_Moved(i.numpy().copy(), None if cval is None else
                                 c.numpy().copy(), list(inputs))
                          for i, c in zip(idx, cval if cval is not None else idx))
        idx = idx.contiguous().numpy().copy()
        cv = None if cval is None else cval.contiguous().numpy().copy()
        return Comp(self.select(inputs, idx, cv), idx.shape)

    # ---- elementwise arithmetic ---------------------------------------------------------
    def as_const(self, v):
        return v if isinstance(v, np.ndarray) else np.asarray(float(v) if isinstance(
            v, float) else v)

    def common(self, comps):
        """Computed tensors broadcast to their common shape (torch broadcasting)."""
        shape = tuple(np.broadcast_shapes(*[tuple(c.shape) for c in comps]))
        out = []
        for c in comps:
            if tuple(c.shape) == shape:
                out.append(c)
                continue
            idx = np.broadcast_to(np.arange(_prod(c.shape)).reshape(c.shape), shape)
            _check_size(_prod(shape), _prod(c.shape))
            out.append(Comp(self.select([c.node], idx), shape))
        return shape, out

    def op_add(self, node, args, kwargs, sign=1):
        a, b = args[0], args[1]
        alpha = self.number(kwargs.get("alpha", args[2] if len(args) > 2 else 1), "alpha")
        alpha *= sign
        if isinstance(a, Comp) and isinstance(b, Comp):
            shape, (a, b) = self.common([a, b])
            if alpha == 1:
                return Comp(self.add_nodes([a.node, b.node]), shape)
            n = _prod(shape)
            rows = [{j: _ONE, n + j: alpha} for j in range(n)]
            return Comp(self.affine([a.node, b.node], rows, [_ZERO] * n), shape)
        if isinstance(a, Comp):
            shift, shape = self.broadcast_const(a, self.as_const(b))
            return Comp(self.elementwise(a, None, [alpha * s for s in shift]), shape)
        shift, shape = self.broadcast_const(b, self.as_const(a))
        return Comp(self.elementwise(b, [alpha] * len(shift), shift), shape)

    def op_sub(self, node, args, kwargs):
        return self.op_add(node, args, kwargs, sign=-1)

    def op_rsub(self, node, args, kwargs):
        return self.op_add(node, [args[1], args[0]] + list(args[2:]), kwargs, sign=-1)

    def op_neg(self, node, args, kwargs):
        x = self.comp(args[0])
        return Comp(self.elementwise(x, [-_ONE] * _prod(x.shape)), x.shape)

    def op_mul(self, node, args, kwargs):
        a, b = args[0], args[1]
        if isinstance(a, Comp) and isinstance(b, Comp):
            raise _NodeError("a product of two computed tensors is not piecewise linear")
        x, c = (a, b) if isinstance(a, Comp) else (b, a)
        scale, shape = self.broadcast_const(x, self.as_const(c))
        return Comp(self.elementwise(x, scale), shape)

    def op_div(self, node, args, kwargs):
        a, b = args[0], args[1]
        if kwargs.get("rounding_mode") is not None or len(args) > 2 and args[2] is not None:
            raise _NodeError("division with rounding is not piecewise linear")
        if not isinstance(a, Comp) or isinstance(b, Comp):
            raise _NodeError("division by a computed tensor is not piecewise linear")
        scale, shape = self.broadcast_const(a, self.as_const(b))
        if any(s == 0 for s in scale):
            raise _NodeError("division by zero")
        return Comp(self.elementwise(a, [1 / s for s in scale]), shape)

    # ---- piecewise-linear units -----------------------------------------------------------
    def op_relu(self, node, args, kwargs):
        x = self.comp(args[0])
        return Comp(self.unit("relu", x.node), x.shape)

    def op_abs(self, node, args, kwargs):
        x = self.comp(args[0])
        return Comp(self.unit("abs", x.node), x.shape)

    def op_leaky_relu(self, node, args, kwargs):
        x = self.comp(args[0])
        slope = self.number(self.arg(node, 1, "negative_slope", 0.01), "negative_slope")
        return Comp(self.unit("leaky_relu", x.node, slope=slope), x.shape)

    def op_prelu(self, node, args, kwargs):
        x = self.comp(args[0])
        w = args[1]
        if not isinstance(w, np.ndarray):
            raise _NodeError("its weight must be a constant")
        if w.size == 1:
            slopes = _fracs(np.broadcast_to(w.reshape(()), x.shape))
        else:
            if len(x.shape) < 2 or w.size != x.shape[1]:
                raise _NodeError(f"{w.size} slopes do not fit the input of shape "
                                 f"{list(x.shape)}")
            shape = (1, w.size) + (1,) * (len(x.shape) - 2)
            slopes = _fracs(np.broadcast_to(w.reshape(shape), x.shape))
        return Comp(self.unit("prelu", x.node, slopes=slopes), x.shape)

    def clamp_op(self, node, lo, hi):
        x = self.comp(self.arg(node, 0, "self"))
        return Comp(self.clamp(x, lo, hi), x.shape)

    def op_clamp(self, node, args, kwargs):
        return self.clamp_op(node, self.number(self.arg(node, 1, "min"), "min"),
                             self.number(self.arg(node, 2, "max"), "max"))

    def op_clip(self, node, args, kwargs):
        return self.op_clamp(node, args, kwargs)

    def op_clamp_min(self, node, args, kwargs):
        return self.clamp_op(node, self.number(self.arg(node, 1, "min"), "min"), None)

    def op_clamp_max(self, node, args, kwargs):
        return self.clamp_op(node, None, self.number(self.arg(node, 1, "max"), "max"))

    def op_hardtanh(self, node, args, kwargs):
        return self.clamp_op(node, self.number(self.arg(node, 1, "min_val", -1.0), "min_val"),
                             self.number(self.arg(node, 2, "max_val", 1.0), "max_val"))

    def op_relu6(self, node, args, kwargs):
        return self.clamp_op(node, _ZERO, Fraction(6))

    def op_hardsigmoid(self, node, args, kwargs):
        x = self.comp(args[0])
        n = _prod(x.shape)
        y = self.elementwise(x, [Fraction(1, 6)] * n, [Fraction(1, 2)] * n)
        return Comp(self.clamp(Comp(y, x.shape), _ZERO, _ONE), x.shape)

    def extremum(self, args, is_max):
        comps = [v for v in args if isinstance(v, Comp)]
        consts = [self.as_const(v) for v in args if not isinstance(v, Comp)]
        shape, comps = self.common(comps)
        n = _prod(shape)
        names = [c.node for c in comps]
        y, shape = self.extremum_of(names, n, shape, consts[0] if consts else None, is_max)
        return Comp(y, shape)

    def op_maximum(self, node, args, kwargs):
        return self.extremum(args[:2], True)

    def op_minimum(self, node, args, kwargs):
        return self.extremum(args[:2], False)

    def op_fmax(self, node, args, kwargs):
        return self.extremum(args[:2], True)

    def op_fmin(self, node, args, kwargs):
        return self.extremum(args[:2], False)

    def reduce_max(self, x, dims, keep, is_max, with_indices=False):
        """``amax``/``amin`` of a computed tensor over ``dims``."""
        x = self.comp(x)
        r = len(x.shape)
        dims = list(range(r)) if dims is None or dims == [] else \
            sorted({int(d) % r for d in (dims if isinstance(dims, (list, tuple)) else [dims])})
        shape = tuple(1 if i in dims else d for i, d in enumerate(x.shape)
                      if keep or i not in dims)
        idx = np.arange(_prod(x.shape)).reshape(x.shape)
        G = _prod(x.shape[a] for a in dims)
        groups = np.moveaxis(idx, dims, list(range(r - len(dims), r))).reshape(-1, G).tolist()
        if is_max:
            y = x.node if G == 1 else self.unit("max", x.node, groups=groups)
        else:
            n = _prod(x.shape)
            neg = self.elementwise(x, [-_ONE] * n, None, "/neg")
            m = neg if G == 1 else self.unit("max", neg, "/max", groups=groups)
            y = self.elementwise(Comp(m, shape), [-_ONE] * len(groups))
        out = Comp(y, shape)
        if with_indices:
            return _Multi([out, "the indices of a maximum or minimum are not piecewise "
                                "linear"])
        return out

    def op_amax(self, node, args, kwargs):
        return self.reduce_max(args[0], self.arg(node, 1, "dim"),
                               self.arg(node, 2, "keepdim", False), True)

    def op_amin(self, node, args, kwargs):
        return self.reduce_max(args[0], self.arg(node, 1, "dim"),
                               self.arg(node, 2, "keepdim", False), False)

    def op_max(self, node, args, kwargs, is_max=True):
        other = self.arg(node, 1, "other" if "other" in node.kwargs else "dim")
        if len(node.args) < 2 and not node.kwargs:          # max of all entries
            return self.reduce_max(args[0], None, False, is_max)
        if isinstance(other, (Comp, np.ndarray)):           # max.other
            return self.extremum([args[0], other], is_max)
        return self.reduce_max(args[0], other, self.arg(node, 2, "keepdim", False), is_max,
                               with_indices=True)

    def op_min(self, node, args, kwargs):
        return self.op_max(node, args, kwargs, is_max=False)

    # ---- linear maps ----------------------------------------------------------------------
    def mat(self, a, b, scale=None):
        if isinstance(a, Comp) and isinstance(b, Comp):
            raise _NodeError("a product of two computed tensors is not piecewise linear")
        if not isinstance(a, Comp) and not isinstance(b, Comp):
            raise _NodeError("neither operand is computed")
        return self.matmul(a, b, scale)

    def op_linear(self, node, args, kwargs):
        x = self.comp(args[0])
        w = self.arg(node, 1, "weight")
        b = self.arg(node, 2, "bias")
        if not isinstance(w, np.ndarray) or w.ndim not in (1, 2):
            raise _NodeError("its weight must be a constant vector or matrix")
        rows, shape, x = self.mat(x, w.T)
        if b is None:
            biases = [_ZERO] * len(rows)
        else:
            if isinstance(b, Comp):
                raise _NodeError("a computed bias is not supported")
            biases, shape = self.broadcast_const(Comp(None, shape), b)
        return Comp(self.affine([x.node], rows, biases), shape)

    def op_matmul(self, node, args, kwargs):
        rows, shape, x = self.mat(args[0], args[1])
        return Comp(self.affine([x.node], rows, [_ZERO] * len(rows)), shape)

    op_mm = op_matmul
    op_bmm = op_matmul

    def op_addmm(self, node, args, kwargs):
        c = args[0]
        beta = self.number(kwargs.get("beta", 1), "beta")
        alpha = self.number(kwargs.get("alpha", 1), "alpha")
        if isinstance(c, Comp):
            raise _NodeError("a computed added matrix is not supported")
        rows, shape, x = self.mat(args[1], args[2], None if alpha == 1 else alpha)
        biases, shape = self.broadcast_const(Comp(None, shape), self.as_const(c))
        return Comp(self.affine([x.node], rows, [beta * v for v in biases]), shape)

    def spatial_input(self, x, nd):
        """The computed input of a conv/pool as ``(Comp, batched)`` with shape (1, C, ...)."""
        x = self.comp(x)
        if len(x.shape) == nd + 1:
            return Comp(x.node, (1,) + tuple(x.shape)), False
        if len(x.shape) != nd + 2:
            raise _NodeError(f"its input must have shape [N, C, ...] with {nd} spatial "
                             f"dimensions, got {list(x.shape)}")
        if x.shape[0] != 1:
            raise _NodeError(f"batch {x.shape[0]} is not supported")
        return x, True

    def conv(self, x, w, bias, stride, padding, dilation, groups):
        if not isinstance(w, np.ndarray) or w.ndim < 3:
            raise _NodeError("its weight must be a constant convolution kernel")
        if isinstance(bias, Comp):
            raise _NodeError("a computed bias is not supported")
        nd = w.ndim - 2
        x, batched = self.spatial_input(x, nd)
        sp, k = list(x.shape[2:]), list(w.shape[2:])
        s = _ints(stride, nd, "strides")
        dil = _ints(dilation, nd, "dilations")
        if isinstance(padding, str):
            if padding == "valid":
                pb = pe = [0] * nd
            elif padding == "same":
                total = [dil[d] * (k[d] - 1) for d in range(nd)]
                pb = [t // 2 for t in total]
                pe = [t - t // 2 for t in total]
            else:
                raise _NodeError(f"padding {padding!r} is not supported")
        else:
            pb = pe = _ints(padding, nd, "pads")
        if any(v < 1 for v in k + s + dil) or any(p < 0 for p in pb + pe):
            raise _NodeError("kernel sizes, strides and dilations must be positive, pads "
                             "non-negative")
        rows, biases, out = conv_rows(x.shape[1], w, bias, sp, k, s, pb, pe, dil, int(groups),
                                      "groups")
        M = w.shape[0]
        shape = (1, M, *out) if batched else (M, *out)
        return Comp(self.affine([x.node], rows, biases), shape)

    def op_convolution(self, node, args, kwargs):
        if self.arg(node, 6, "transposed", False):
            raise _NodeError("transposed convolutions are not supported")
        return self.conv(args[0], args[1], self.arg(node, 2, "bias"),
                         self.arg(node, 3, "stride", 1), self.arg(node, 4, "padding", 0),
                         self.arg(node, 5, "dilation", 1), self.arg(node, 8, "groups", 1))

    def op_conv1d(self, node, args, kwargs):
        return self.conv(args[0], self.arg(node, 1, "weight"), self.arg(node, 2, "bias"),
                         self.arg(node, 3, "stride", 1), self.arg(node, 4, "padding", 0),
                         self.arg(node, 5, "dilation", 1), self.arg(node, 6, "groups", 1))

    op_conv2d = op_conv1d
    op_conv3d = op_conv1d

    def pool_windows(self, x, nd, kernel, stride, padding, dilation, ceil_mode):
        x, batched = self.spatial_input(x, nd)
        sp = list(x.shape[2:])
        k = _ints(kernel, nd, "kernel sizes")
        s = _ints(stride, nd, "strides") if stride not in (None, [], ()) else list(k)
        p = _ints(padding, nd, "pads")
        dil = _ints(dilation, nd, "dilations")
        if any(v < 1 for v in k + s + dil) or any(v < 0 for v in p):
            raise _NodeError("kernel sizes, strides and dilations must be positive, pads "
                             "non-negative")
        wins = [_windows(sp[d], k[d], s[d], p[d], p[d], dil[d], bool(ceil_mode))
                for d in range(nd)]
        return x, batched, sp, self.combine(wins, sp)

    @staticmethod
    def combine(wins, sp):
        """The flat windows (positions, count) of per-dimension windows."""
        import itertools

        steps = [_prod(sp[d + 1:]) for d in range(len(sp))]
        out = []
        for combo in itertools.product(*wins):
            flat = [sum(q * st for q, st in zip(ps, steps))
                    for ps in itertools.product(*[c[0] for c in combo])]
            out.append((flat, _prod(c[1] for c in combo)))
        return out, [len(wd) for wd in wins]

    def avg_rows(self, x, batched, sp, wins, divisor=None, include=False):
        (flat_wins, out) = wins
        C, S = x.shape[1], _prod(sp)
        _check_size(C * len(flat_wins), C * S)
        rows = []
        for c in range(C):
            for flat, incl in flat_wins:
                div = divisor if divisor else (incl if include else len(flat))
                if div == 0:
                    raise _NodeError("a pooling window lies entirely in the padding")
                w = Fraction(1, int(div))
                rows.append({c * S + f: w for f in flat})
        shape = (1, C, *out) if batched else (C, *out)
        return Comp(self.affine([x.node], rows, [_ZERO] * len(rows)), shape)

    def max_groups(self, x, batched, sp, wins):
        (flat_wins, out) = wins
        C, S = x.shape[1], _prod(sp)
        groups = []
        for c in range(C):
            for flat, _ in flat_wins:
                if not flat:
                    raise _NodeError("a pooling window lies entirely in the padding")
                groups.append([c * S + f for f in flat])
        shape = (1, C, *out) if batched else (C, *out)
        return Comp(self.unit("max", x.node, groups=groups), shape)

    def op_avg_pool1d(self, node, args, kwargs, nd=1):
        x, batched, sp, wins = self.pool_windows(
            args[0], nd, self.arg(node, 1, "kernel_size"), self.arg(node, 2, "stride"),
            self.arg(node, 3, "padding", 0), 1, self.arg(node, 4, "ceil_mode", False))
        return self.avg_rows(x, batched, sp, wins, self.arg(node, 6, "divisor_override"),
                             self.arg(node, 5, "count_include_pad", True))

    def op_avg_pool2d(self, node, args, kwargs):
        return self.op_avg_pool1d(node, args, kwargs, nd=2)

    def op_avg_pool3d(self, node, args, kwargs):
        return self.op_avg_pool1d(node, args, kwargs, nd=3)

    def op_max_pool1d(self, node, args, kwargs, nd=1, with_indices=False):
        x, batched, sp, wins = self.pool_windows(
            args[0], nd, self.arg(node, 1, "kernel_size"), self.arg(node, 2, "stride"),
            self.arg(node, 3, "padding", 0), self.arg(node, 4, "dilation", 1),
            self.arg(node, 5, "ceil_mode", False))
        y = self.max_groups(x, batched, sp, wins)
        if with_indices:
            return _Multi([y, "the indices of max pooling are not piecewise linear"])
        return y

    def op_max_pool2d(self, node, args, kwargs):
        return self.op_max_pool1d(node, args, kwargs, nd=2)

    def op_max_pool3d(self, node, args, kwargs):
        return self.op_max_pool1d(node, args, kwargs, nd=3)

    def op_max_pool1d_with_indices(self, node, args, kwargs):
        return self.op_max_pool1d(node, args, kwargs, nd=1, with_indices=True)

    def op_max_pool2d_with_indices(self, node, args, kwargs):
        return self.op_max_pool1d(node, args, kwargs, nd=2, with_indices=True)

    def op_max_pool3d_with_indices(self, node, args, kwargs):
        return self.op_max_pool1d(node, args, kwargs, nd=3, with_indices=True)

    def adaptive(self, node, args, nd):
        x, batched = self.spatial_input(args[0], nd)
        sp = list(x.shape[2:])
        size = self.arg(node, 1, "output_size")
        size = [sp[d] if v is None else int(v) for d, v in
                enumerate(size if isinstance(size, (list, tuple)) else [size] * nd)]
        if len(size) == 1 and nd > 1:
            size = size * nd
        if len(size) != nd or any(v < 1 for v in size):
            raise _NodeError(f"output size {size} does not fit {nd} spatial dimensions")
        wins = []
        for L, o in zip(sp, size):
            dim = []
            for i in range(o):
                start, end = (i * L) // o, -(-((i + 1) * L) // o)
                dim.append((list(range(start, end)), end - start))
            wins.append(dim)
        return x, batched, sp, self.combine(wins, sp)

    def op_adaptive_avg_pool1d(self, node, args, kwargs, nd=1):
        return self.avg_rows(*self.adaptive(node, args, nd))

    def op_adaptive_avg_pool2d(self, node, args, kwargs):
        return self.op_adaptive_avg_pool1d(node, args, kwargs, nd=2)

    def op_adaptive_avg_pool3d(self, node, args, kwargs):
        return self.op_adaptive_avg_pool1d(node, args, kwargs, nd=3)

    op__adaptive_avg_pool2d = op_adaptive_avg_pool2d
    op__adaptive_avg_pool3d = op_adaptive_avg_pool3d

    def op_adaptive_max_pool1d(self, node, args, kwargs, nd=1):
        y = self.max_groups(*self.adaptive(node, args, nd))
        return _Multi([y, "the indices of max pooling are not piecewise linear"])

    def op_adaptive_max_pool2d(self, node, args, kwargs):
        return self.op_adaptive_max_pool1d(node, args, kwargs, nd=2)

    def op_adaptive_max_pool3d(self, node, args, kwargs):
        return self.op_adaptive_max_pool1d(node, args, kwargs, nd=3)

    def reduce_sum(self, node, args, mean):
        x = self.comp(args[0])
        r = len(x.shape)
        dims = self.arg(node, 1, "dim")
        keep = self.arg(node, 2, "keepdim", False)
        if kwargs_dtype := node.kwargs.get("dtype"):
            if not kwargs_dtype.is_floating_point:
                raise _NodeError(f"a sum in {kwargs_dtype} is not piecewise linear")
        dims = list(range(r)) if dims is None or dims == [] else \
            sorted({int(d) % r for d in (dims if isinstance(dims, (list, tuple)) else [dims])})
        shape = tuple(1 if i in dims else d for i, d in enumerate(x.shape)
                      if keep or i not in dims)
        idx = np.arange(_prod(x.shape)).reshape(x.shape)
        G = _prod(x.shape[a] for a in dims)
        groups = np.moveaxis(idx, dims, list(range(r - len(dims), r))).reshape(-1, G).tolist()
        w = Fraction(1, G) if mean else _ONE
        rows = [{i: w for i in g} for g in groups]
        _check_size(len(rows), _prod(x.shape))
        return Comp(self.affine([x.node], rows, [_ZERO] * len(rows)), shape)

    def op_mean(self, node, args, kwargs):
        return self.reduce_sum(node, args, True)

    def op_sum(self, node, args, kwargs):
        return self.reduce_sum(node, args, False)

    def batch_norm(self, node, x, weight, bias, mean, var, eps):
        x = self.comp(x)
        if len(x.shape) < 2:
            raise _NodeError(f"its input must have shape [N, C, ...], got {list(x.shape)}")
        C = x.shape[1]
        for what, p in (("weight", weight), ("bias", bias), ("running_mean", mean),
                        ("running_var", var)):
            if p is None and what.startswith("running"):
                raise _NodeError("batch statistics are not supported (track_running_stats)")
            if p is not None and (not isinstance(p, np.ndarray) or p.shape != (C,)):
                raise _NodeError(f"its {what} must be a constant of shape [{C}]")
        v = var.astype(np.float64) + np.float64(eps)
        if not np.all(v > 0):
            raise _NodeError("running_var + eps must be positive")
        inv = 1.0 / np.sqrt(v)
        scale = _fracs(weight) if weight is not None else [_ONE] * C
        shift = _fracs(bias) if bias is not None else [_ZERO] * C
        w = [si * ii for si, ii in zip(scale, _fracs(inv))]
        t = [bi - wi * mi for bi, wi, mi in zip(shift, w, _fracs(mean))]
        S = _prod(x.shape) // C
        y = self.elementwise(x, [wc for wc in w for _ in range(S)],
                             [tc for tc in t for _ in range(S)])
        mod = _module_of(node)
        label = f"'{_clean(mod[1])}'" if mod and mod[1] else f"'{_clean(node.name)}'"
        self.notes.append(f"BatchNorm {label} folded: 1/sqrt(running_var + eps) computed "
                          f"in floating point (float64), then taken exactly")
        return Comp(y, x.shape)

    def op_batch_norm(self, node, args, kwargs):
        if self.arg(node, 5, "training", False):
            raise _NodeError("training mode is not supported (call model.eval())")
        return self.batch_norm(node, args[0], self.arg(node, 1, "weight"),
                               self.arg(node, 2, "bias"), self.arg(node, 3, "running_mean"),
                               self.arg(node, 4, "running_var"), self.arg(node, 7, "eps"))

    def op__native_batch_norm_legit_no_training(self, node, args, kwargs):
        y = self.batch_norm(node, args[0], self.arg(node, 1, "weight"),
                            self.arg(node, 2, "bias"), self.arg(node, 3, "running_mean"),
                            self.arg(node, 4, "running_var"), self.arg(node, 6, "eps"))
        return _Multi([y, "batch statistics are not supported",
                       "batch statistics are not supported"])

    def op_native_dropout(self, node, args, kwargs):
        if self.arg(node, 2, "train", False):
            raise _NodeError("training mode is not supported (call model.eval())")
        return _Multi([self.comp(args[0]), "the dropout mask is not supported"])


def graph_from_exported(program, *, strip_output_activation=False, source=None):
    """The polytopo graph description (format version 2, graph form) of a
    ``torch.export.ExportedProgram``.

    Parameters
    ----------
    program : torch.export.ExportedProgram
        The exported model (one tensor input, one tensor output).
    strip_output_activation : bool
        Drop a final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or ``Tanh`` (with a note).
    source : str, optional
        The file name, used in error messages.

    Returns
    -------
    dict
        ``{"format", "input", "nodes", "output", "notes", "layers_read"}`` with exact
        (:class:`~fractions.Fraction`) numbers; see the module documentation.

    Raises
    ------
    InputError
        For anything that is not a piecewise-linear network of the supported ops, with
        one line naming the op, the node and the module.
    """
    torch = _import_torch(source)
    if not isinstance(program, torch.export.ExportedProgram):
        raise InputError(f"expected a torch.export.ExportedProgram, got "
                         f"{type(program).__name__}", source=source)
    return run_reader(_TorchReader(torch, program, source, bool(strip_output_activation)),
                      source, "the exported program")


class _Quiet:
    """Silence torch's warnings and error logs while exporting or loading."""

    def __enter__(self):
        self.warn = warnings.catch_warnings()
        self.warn.__enter__()
        warnings.simplefilter("ignore")
        self.level = logging.root.manager.disable
        logging.disable(logging.CRITICAL)
        return self

    def __exit__(self, *exc):
        logging.disable(self.level)
        self.warn.__exit__(*exc)
        return False


def graph_from_torch(module, example_input, *, strip_output_activation=False, source=None):
    """The polytopo graph description of a PyTorch module, exported for an example input.

    The module is put in eval mode for the export (its training flags are restored
    afterwards) and exported with ``torch.export.export(module, (example_input,))``; the
    program is read by :func:`graph_from_exported`.

    Parameters
    ----------
    module : torch.nn.Module
        The model; its forward takes one tensor and returns one tensor.
    example_input : torch.Tensor
        A tensor of the input's shape, with or without a batch dimension of 1.
    strip_output_activation : bool
        Drop a final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or ``Tanh`` (with a note).
    source : str, optional
        A name for the model, used in error messages.

    Returns
    -------
    dict
        The graph, as :func:`graph_from_exported` returns it.

    Raises
    ------
    InputError
        When torch is missing, the module cannot be exported (for example data-dependent
        control flow) or is not a piecewise-linear network of the supported ops.
    """
    torch = _import_torch(source)
    if not isinstance(module, torch.nn.Module):
        raise InputError(f"expected a torch.nn.Module, got {type(module).__name__}",
                         source=source)
    if not isinstance(example_input, torch.Tensor):
        try:
            example_input = torch.as_tensor(example_input, dtype=torch.get_default_dtype())
        except Exception as e:
            raise InputError(f"the example input is not a tensor ({_clean(first_line(e), 120)})",
                             source=source) from None
    flags = [(m, m.training) for m in module.modules()]
    try:
        module.eval()
        with _Quiet():
            program = torch.export.export(module, (example_input,))
    except Exception as e:
        raise InputError(f"torch.export cannot export the model ({type(e).__name__}: "
                         f"{_clean(first_line(e), 200)})", source=source) from None
    finally:
        for m, flag in flags:
            m.training = flag
    return graph_from_exported(program, strip_output_activation=strip_output_activation,
                               source=source)


def graph_from_pt2_bytes(data, *, source=None, strip_output_activation=False):
    """The polytopo graph description of a ``.pt2`` file written by ``torch.export.save``.

    Parameters
    ----------
    data : bytes
        The contents of the file.
    source : str, optional
        The file name, used in error messages.
    strip_output_activation : bool
        Drop a final ``Softmax``, ``LogSoftmax``, ``Sigmoid`` or ``Tanh`` (with a note).

    Returns
    -------
    dict
        The graph, as :func:`graph_from_exported` returns it.

    Raises
    ------
    InputError
        When the bytes are not a ``torch.export`` program or the program is not a
        piecewise-linear network of the supported ops.
    """
    torch = _import_torch(source)
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise InputError(f".pt2 data must be bytes, not {type(data).__name__}", source=source)
    if not data:
        raise InputError("the .pt2 file is empty", source=source)
    try:
        with _Quiet():
            program = torch.export.load(io.BytesIO(data))
    except Exception as e:
        raise InputError(f"not a torch.export program ({type(e).__name__}: "
                         f"{_clean(first_line(e), 160)})", source=source) from None
    return graph_from_exported(program, strip_output_activation=strip_output_activation,
                               source=source)
