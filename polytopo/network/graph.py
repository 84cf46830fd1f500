"""Piecewise-linear computation graphs (network format version 2, graph form) and their
exact lowering to a layered :class:`~polytopo.network.model.Network`.

A graph is a list of nodes in topological order, each computing a flat vector from earlier
nodes (``docs/formats.md``): ``affine`` (a dense exact map of the concatenated inputs:
linear layers, convolutions, pooling by averages and batch norm are folded into these),
scalar units (``relu``, ``leaky_relu``, ``prelu``, ``clamp``, ``abs``, ``piecewise``),
``max`` (maxima of groups of coordinates: max pooling, maxout), ``add`` and ``concat``
(skip connections). The lowering writes every value as an exact affine combination of the
input and of unit outputs; a unit's depth is one more than the deepest unit it reads, the
units of depth ``l`` form hidden layer ``l``, and a value read by a deeper layer is carried
through the layers in between by ``linear`` units (which add no breakpoint, so the cells
are those of the graph).
"""

__all__ = ["lower_graph", "with_layer_notes"]

from fractions import Fraction

from ..exceptions import InputError, LimitExceeded
from ..geometry.exact import to_fraction
from . import units as _units

#: the node kinds of the graph form
OPS = ("affine", "relu", "leaky_relu", "prelu", "clamp", "abs", "piecewise", "max", "add",
       "concat")
_SCALAR_OPS = ("relu", "leaky_relu", "prelu", "clamp", "abs", "piecewise")


def _fail(problem, source, field):
    raise InputError(problem, source=source, field=field)


def _number(x, source, field):
    if isinstance(x, Fraction):
        return x
    return to_fraction(x, source=source, field=field)


def _scalar_units(node, n, source, field):
    """The scalar unit of each of the ``n`` coordinates of a unit node."""
    op = node["op"]
    try:
        if op == "relu":
            return [_units.RELU] * n
        if op == "abs":
            return [_units.absolute()] * n
        if op == "leaky_relu":
            return [_units.leaky_relu(_number(node["slope"], source, field + ".slope"))] * n
        if op == "prelu":
            s = node["slopes"]
            if not isinstance(s, list) or len(s) not in (1, n):
                _fail(f"prelu needs 1 or {n} slopes", source, field + ".slopes")
            s = [_number(x, source, field + ".slopes") for x in s] * (n if len(s) == 1 else 1)
            return [_units.leaky_relu(x) for x in s]
        if op == "clamp":
            lo, hi = node.get("min"), node.get("max")
            lo = None if lo is None else _number(lo, source, field + ".min")
            hi = None if hi is None else _number(hi, source, field + ".max")
            return [_units.clamp(lo, hi)] * n
        t, sl = node["breakpoints"], node["slopes"]
        if not isinstance(t, list):
            _fail("'breakpoints' must be a list of numbers", source, field + ".breakpoints")
        if not isinstance(sl, list) or len(sl) != len(t) + 1:
            _fail(f"'slopes' must be a list of {len(t) + 1} numbers (one more than the "
                  f"breakpoints)", source, field + ".slopes")
        u = _units.Scalar(tuple(_number(x, source, field + ".breakpoints") for x in t),
                          tuple(_number(x, source, field + ".slopes") for x in sl),
                          _number(node.get("intercept", 0), source, field + ".intercept"))
        return [u] * n
    except KeyError as e:
        _fail(f"a {op} node needs {e.args[0]!r}", source, field)
    except InputError as e:
        if e.source is None:
            _fail(e.problem, source, e.field or field)
        raise


#: the largest input dimension of a graph (a tiny file may claim any ``dim``)
MAX_INPUT_DIM = 1_000_000
#: the most weights (dense entries) of the layered network a graph is lowered to
MAX_ENTRIES = 40_000_000
#: Python objects per exact matrix entry of the lowered network, in bytes (for the
#: memory check before the dense layers are built)
_BYTES_PER_ENTRY = 120

#: at most this many layers are named in a graph's "layers read" note
NAMED_LAYERS = 12


def with_layer_notes(graph, reader):
    """The graph read from a model file (its ``layers_read`` list of layer names) with a
    first note naming the layers read by ``reader`` (e.g. ``"ONNX"``).

    Examples
    --------
    >>> with_layer_notes({"nodes": [], "layers_read": ["Gemm fc1"], "notes": ["n"]},
    ...                  "ONNX")["notes"]
    ['ONNX layers read: Gemm fc1', 'n']
    """
    layers = graph.get("layers_read") or []
    named = ", ".join(layers[:NAMED_LAYERS])
    if len(layers) > NAMED_LAYERS:
        named += f" and {len(layers) - NAMED_LAYERS} more"
    notes = [f"{reader} layers read: {named}"] if layers else []
    return dict(graph, notes=notes + list(graph.get("notes", [])))


def lower_graph(obj, *, source=None):
    """The layers ``(weights, biases, units, notes)`` of the layered network computing a
    graph (a parsed format-2 object with ``"nodes"``), exactly; ``units`` is None when
    every unit is a ReLU. :meth:`Network.from_json <polytopo.network.model.Network.from_json>`
    builds the network from them.

    Examples
    --------
    >>> g = {"format": "polytopo.network/2", "input": {"name": "x", "dim": 1},
    ...      "nodes": [{"name": "h", "op": "affine", "input": ["x"], "weights": [[-1]],
    ...                 "biases": [0]},
    ...                {"name": "r", "op": "relu", "input": ["h"]},
    ...                {"name": "y", "op": "add", "input": ["r", "x"]}],
    ...      "output": "y"}
    >>> from polytopo.network.model import Network
    >>> net = Network.from_json(g)
    >>> net, net.forward([-2]), net.pattern([-2])
    (Network(1-2-1; linear, relu), (Fraction(0, 1),), '+')
    """
    if not isinstance(obj, dict):
        _fail("a network file must be a JSON object", source, None)
    inp = obj.get("input")
    if not isinstance(inp, dict) or "dim" not in inp:
        _fail("'input' must be an object with 'dim'", source, "input")
    d = inp["dim"]
    if isinstance(d, bool) or not isinstance(d, int) or d < 1:
        _fail(f"input dim must be a positive integer, got {str(d)[:30]}", source, "input.dim")
    if d > MAX_INPUT_DIM:
        _fail(f"input dim {d} is more than polytopo reads ({MAX_INPUT_DIM})", source,
              "input.dim")
    in_name = inp.get("name", "x")
    if not isinstance(in_name, str) or not in_name:
        _fail("the input's 'name' must be a non-empty string", source, "input.name")
    nodes = obj.get("nodes")
    if not isinstance(nodes, list) or not nodes:
        _fail("'nodes' must be a non-empty list", source, "nodes")
    # a value: list of expressions, one per coordinate; an expression is
    # (dict source -> coefficient, constant); sources: ("x", i) or ("u", unit id)
    values = {in_name: [({("x", i): Fraction(1)}, Fraction(0)) for i in range(d)]}
    unit_list = []     # (unit, [pre-activation expressions], depth)
    depth_of = {}      # source -> depth (input 0)

    def depth(expr):
        return max((depth_of.get(s, 0) for s in expr[0]), default=0)

    for k, node in enumerate(nodes):
        field = f"nodes[{k}]"
        if not isinstance(node, dict):
            _fail("a node must be an object", source, field)
        name, op, ins = node.get("name"), node.get("op"), node.get("input")
        if not isinstance(name, str) or not name:
            _fail("a node needs a 'name' (a non-empty string)", source, field)
        if name in values:
            _fail(f"two nodes are called {name[:40]!r}", source, field)
        if op not in OPS:
            _fail(f"unknown op {str(op)[:40]!r} (known: {', '.join(OPS)})", source, field)
        if not isinstance(ins, list) or not ins or not all(isinstance(i, str) for i in ins):
            _fail("'input' must be a non-empty list of node names", source, field)
        for i in ins:
            if i not in values:
                _fail(f"input {i[:40]!r} is not the input or an earlier node", source, field)
        args = [values[i] for i in ins]
        if op == "concat":
            out = [e for a in args for e in a]
        elif op == "add":
            n = len(args[0])
            if any(len(a) != n for a in args):
                _fail(f"add of inputs of sizes {[len(a) for a in args]}", source, field)
            out = []
            for j in range(n):
                coef, const = {}, Fraction(0)
                for a in args:
                    for s_, c in a[j][0].items():
                        coef[s_] = coef.get(s_, 0) + c
                    const += a[j][1]
                out.append(({s_: c for s_, c in coef.items() if c}, const))
        elif op == "affine":
            x = [e for a in args for e in a]
            W, b = node.get("weights"), node.get("biases")
            if not isinstance(W, list) or not W or not all(isinstance(r, list) for r in W):
                _fail("'weights' must be a non-empty list of rows", source, field + ".weights")
            if not isinstance(b, list) or len(b) != len(W):
                _fail(f"'biases' must be a list of {len(W)} numbers", source, field + ".biases")
            out = []
            for r, (row, bi) in enumerate(zip(W, b)):
                if len(row) != len(x):
                    _fail(f"row {r} has {len(row)} entries for {len(x)} inputs", source,
                          field + ".weights")
                coef, const = {}, _number(bi, source, field + ".biases")
                for a, (ec, e0) in zip(row, x):
                    a = _number(a, source, field + ".weights")
                    if a:
                        for s_, c in ec.items():
                            coef[s_] = coef.get(s_, 0) + a * c
                        const += a * e0
                out.append(({s_: c for s_, c in coef.items() if c}, const))
        elif op == "max":
            if len(args) != 1:
                _fail("a max node takes one input", source, field)
            groups = node.get("groups")
            n = len(args[0])
            if not isinstance(groups, list) or not groups:
                _fail("'groups' must be a non-empty list of index lists", source,
                      field + ".groups")
            out = []
            for g in groups:
                if not isinstance(g, list) or not g or not all(
                        isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n for i in g):
                    _fail(f"each group must be a non-empty list of indices below {n}", source,
                          field + ".groups")
                if len(g) == 1:
                    out.append(args[0][g[0]])
                    continue
                pre = [args[0][i] for i in g]
                uid = len(unit_list)
                dep = 1 + max(depth(e) for e in pre)
                unit_list.append((_units.Max(len(g)), pre, dep))
                depth_of[("u", uid)] = dep
                out.append(({("u", uid): Fraction(1)}, Fraction(0)))
        else:
            if len(args) != 1:
                _fail(f"a {op} node takes one input", source, field)
            us = _scalar_units(node, len(args[0]), source, field)
            out = []
            for u, e in zip(us, args[0]):
                if not u.breakpoints:   # affine after all: fold it
                    s0, c = u.slopes[0], u.intercept
                    out.append(({s_: s0 * v for s_, v in e[0].items() if s0 * v},
                                s0 * e[1] + c))
                    continue
                uid = len(unit_list)
                dep = 1 + depth(e)
                unit_list.append((u, [e], dep))
                depth_of[("u", uid)] = dep
                out.append(({("u", uid): Fraction(1)}, Fraction(0)))
        values[name] = out
    out_name = obj.get("output", nodes[-1].get("name"))
    if not isinstance(out_name, str) or out_name not in values:
        _fail(f"output {str(out_name)[:40]!r} is not a node", source, "output")
    output = values[out_name]
    notes = obj.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        _fail("'notes' must be a list of strings", source, "notes")
    return _layered(d, unit_list, output, tuple(notes))


def _layered(d, unit_list, output, notes):
    """The layered network of the units (with their depths) and the output expressions."""
    L = max((dep for _, _, dep in unit_list), default=0)
    # the deepest layer that reads each source (the output counts as layer L + 1)
    last_use = {}
    for _, pre, dep in unit_list:
        for e in pre:
            for s in e[0]:
                last_use[s] = max(last_use.get(s, 0), dep)
    for e in output:
        for s in e[0]:
            last_use[s] = L + 1
    by_depth = [[] for _ in range(L + 1)]
    for uid, (_, _, dep) in enumerate(unit_list):
        by_depth[dep].append(uid)
    # the dense layers about to be built: stop before allocating more than allowed
    from ..runtime.budget import check_allocation

    def born(s):
        return 0 if s[0] == "x" else unit_list[s[1]][2]

    width, entries = d, 0
    for layer in range(1, L + 1):
        carried = sum(1 for s, v in last_use.items() if v > layer and born(s) < layer)
        rows = carried + sum(len(unit_list[u][1]) for u in by_depth[layer])
        entries += rows * width
        width = carried + len(by_depth[layer])
    entries += len(output) * width
    if entries > MAX_ENTRIES:
        raise LimitExceeded(f"the lowered network would have {entries} weights, more than "
                            f"{MAX_ENTRIES}")
    check_allocation(entries * _BYTES_PER_ENTRY, f"the lowered network ({entries} weights)")
    # state[l]: the sources available after hidden layer l, in order
    state = [("x", i) for i in range(d)]
    weights, biases, units = [], [], []

    def row(expr, pos):
        r = [Fraction(0)] * len(pos)
        for s, c in expr[0].items():
            r[pos[s]] = c
        return r

    for layer in range(1, L + 1):
        pos = {s: i for i, s in enumerate(state)}
        W, b, us, new_state = [], [], [], []
        for s in state:   # carried values: read by a deeper layer
            if last_use.get(s, 0) > layer:
                W.append([Fraction(int(t == s)) for t in state])
                b.append(Fraction(0))
                us.append(_units.LINEAR)
                new_state.append(s)
        for uid in by_depth[layer]:
            u, pre, _ = unit_list[uid]
            for e in pre:
                W.append(row(e, pos))
                b.append(e[1])
            us.append(u)
            new_state.append(("u", uid))
        weights.append(tuple(tuple(r) for r in W))
        biases.append(tuple(b))
        units.append(tuple(us))
        state = new_state
    pos = {s: i for i, s in enumerate(state)}
    weights.append(tuple(tuple(row(e, pos)) for e in output))
    biases.append(tuple(e[1] for e in output))
    units = tuple(units) if units else None
    if units is not None and all(u is _units.RELU for layer in units for u in layer):
        units = None
    return tuple(weights), tuple(biases), units, notes
