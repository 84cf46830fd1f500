"""The insertion plan of a network (private): which function is inserted at each step,
the integer program of its layers, and the serial runner that inserts them into a builder.

A ReLU network inserts one function per hidden neuron (its pre-activation). In general a
scalar unit inserts one function per breakpoint ``t`` (``z − t``) and a max unit of ``m``
pieces the ``m − 1`` comparisons ``max(p_1, …, p_k) − p_{k+1}`` (each affine on every cell
once the earlier ones are in); :mod:`.coarsen` then merges the cells that only a comparison
of non-maximal pieces separates.
"""

import math
from fractions import Fraction

import numpy as np

from ..geometry.integer import LIMIT, shrink, to_object
from ..network.units import Max
from .values import layer_values


def neuron_plan(network, output):
    """``(layer index, function index within the layer, descriptor)`` for every function
    to insert: ``("neuron", layer, j)`` (ReLU networks), ``("unit", layer, u, i)``
    (breakpoint ``i`` of scalar unit ``u``), ``("compare", layer, u, k)`` (comparison ``k``
    of max unit ``u``), ``("output",)``; layers counted from 1 in descriptors."""
    plan = []
    n_layers = len(network.weights)
    if network.is_relu:
        for li in range(n_layers):
            hidden = li < n_layers - 1
            if not hidden and not output:
                break
            for j in range(len(network.weights[li])):
                plan.append((li, j, ("neuron", li + 1, j) if hidden else ("output",)))
        return plan
    for li, layer in enumerate(network.layer_units):
        j = 0
        for ui, u in enumerate(layer):
            if isinstance(u, Max):
                steps = [("compare", li + 1, ui, k) for k in range(u.size - 1)]
            else:
                steps = [("unit", li + 1, ui, i) for i in range(u.n_signs)]
            for desc in steps:
                plan.append((li, j, desc))
                j += 1
    if output:
        plan.append((n_layers - 1, 0, ("output",)))
    return plan


def pattern_functions(network):
    """The descriptors of the pattern functions of the network's canonical complex, in
    order (after :mod:`.coarsen` for max units): one per pattern sign."""
    if network.is_relu:
        return [("neuron", li + 1, j) for li, w in enumerate(network.weights[:-1])
                for j in range(len(w))]
    return [("unit", li + 1, ui, i) for li, layer in enumerate(network.layer_units)
            for ui, u in enumerate(layer) for i in range(u.n_signs)]


def has_max_units(network):
    return not network.is_relu and any(isinstance(u, Max) for layer in network.units
                                       for u in layer)


def _lcm_den(values):
    return math.lcm(1, *(Fraction(v).denominator for v in values))


def unit_program(network):
    """The network's layers in integers: ``(W'_l, b'_l, D_l, units_l)`` per layer.

    With homogeneous weight ``w`` the carry of layer ``l`` is ``w D_l z_l`` (``z_l`` its
    pre-activations) and its units output ``w F_l h_l``, all integers: ``units_l`` (hidden
    layers; ``None`` for the output layer) lists per unit ``("relu", row)``,
    ``("scalar", row, T, C, S0, deltas)`` (``w F σ = C w + S0 Z + Σ δ_i relu(Z − T_i w)``)
    or ``("max", row, m, f)`` (``w F max = f · max of the m rows``). A ReLU network gives
    :func:`polytopo.geometry.integer.integer_layers` with ``units_l`` ``None``.
    """
    if network.is_relu:
        return [(W, b, D, None) for W, b, D in network.scaled_integer_layers]
    out, F_prev = [], 1
    n_layers = len(network.weights)
    for li, (W, b) in enumerate(zip(network.weights, network.biases)):
        units = network.layer_units[li] if li < n_layers - 1 else ()
        bps = [t for u in units if not isinstance(u, Max) for t in u.breakpoints]
        # D: the lcm of the denominators of the weights / F_prev, the biases and the
        # breakpoints (integer arithmetic: this runs over every weight)
        D = 1
        for row in W:
            for x in row:
                p, q = x.numerator, x.denominator
                if p:
                    q *= F_prev // math.gcd(p, F_prev)
                    if D % q:
                        D = D * q // math.gcd(D, q)
        D = math.lcm(D, _lcm_den(list(b) + bps))
        Wi = [[x.numerator * D // (x.denominator * F_prev) for x in row] for row in W]
        bi = [int(x * D) for x in b]
        if li == n_layers - 1:
            out.append((Wi, bi, D, None))
            break
        coeffs = []
        for u in units:
            if isinstance(u, Max):
                coeffs.append(Fraction(1, D))
            else:
                coeffs.append(u.intercept)
                coeffs.append(u.slopes[0] / D)
                coeffs.extend((s1 - s0) / D for s0, s1 in zip(u.slopes, u.slopes[1:]))
        F = _lcm_den(coeffs)
        prog, row = [], 0
        for u in units:
            if isinstance(u, Max):
                prog.append(("max", row, u.size, F // D))
            elif u.breakpoints == (0,) and u.slopes == (0, 1) and u.intercept == 0 and F == D:
                prog.append(("relu", row))
            else:
                prog.append(("scalar", row, tuple(int(t * D) for t in u.breakpoints),
                             int(u.intercept * F), int(u.slopes[0] / D * F),
                             tuple(int((s1 - s0) / D * F)
                                   for s0, s1 in zip(u.slopes, u.slopes[1:]))))
            row += u.n_inputs
        out.append((Wi, bi, D, tuple(prog)))
        F_prev = F
    return out


def _wide(*arrays):
    """The arrays as Python-int ``object`` arrays when any is one, else as they are."""
    if any(a.dtype == object for a in arrays):
        return [to_object(a) for a in arrays]
    return list(arrays)


def _bound(*terms):
    """Whether ``Σ |coefficient| · bound`` stays below the int64 limit."""
    return sum(abs(int(c)) * int(m) for c, m in terms) < LIMIT


def unit_values(prog, Z, w):
    """``w F h`` at the vertices: the units ``prog`` applied to the carry ``Z`` (exact)."""
    n = len(Z)
    zmax = int(np.abs(Z).max(initial=0)) if n else 0
    wmax = int(np.abs(w).max(initial=0)) if n else 0
    cols = []
    for u in prog:
        kind, row = u[0], u[1]
        z = Z[:, row]
        if kind == "relu":
            cols.append(np.maximum(z, 0))
        elif kind == "max":
            m, f = u[2], u[3]
            v = Z[:, row:row + m].max(axis=1)
            if f != 1:
                v = v * f if _bound((f, zmax)) and v.dtype != object else to_object(v) * f
            cols.append(v)
        else:
            T, C, S0, deltas = u[2], u[3], u[4], u[5]
            safe = Z.dtype != object and w.dtype != object and _bound(
                (C, wmax), (S0, zmax), *((dl, zmax + abs(t) * wmax) for t, dl in zip(T, deltas)),
                *((1, zmax + abs(t) * wmax) for t in T))
            zz, ww = (z, w) if safe else _wide(z.astype(object), w.astype(object))
            v = C * ww + S0 * zz
            for t, dl in zip(T, deltas):
                v = v + dl * np.maximum(zz - t * ww, 0)
            cols.append(v if safe else shrink(np.asarray(v, dtype=object)))
    if not cols:
        return np.zeros((n, 0), dtype=np.int64)
    if any(c.dtype == object for c in cols):
        return shrink(np.stack([to_object(c) for c in cols], axis=1))
    return np.stack(cols, axis=1)


def carry_values(layers, li, Z, w):
    """The carry of layer ``li`` from the carry ``Z`` of layer ``li − 1`` (the input
    coordinates when ``li == 0``)."""
    W, b, _, _ = layers[li]
    if li == 0:
        return layer_values(W, b, Z, w, relu=False)
    prog = layers[li - 1][3]
    if prog is None:
        return layer_values(W, b, Z, w, relu=True)
    return layer_values(W, b, unit_values(prog, Z, w), w, relu=False)


def function_values(layers, desc, Z, w):
    """The homogeneous values at the vertices of the function ``desc`` of the plan, from
    its layer's carry ``Z``."""
    kind = desc[0]
    if kind == "output":
        return Z[:, 0].copy()
    if kind == "neuron":
        return Z[:, desc[2]].copy()
    li, ui = desc[1] - 1, desc[2]
    u = layers[li][3][ui]
    if kind == "unit":
        row = u[1]
        if u[0] == "relu":
            return Z[:, row].copy()
        t = u[2][desc[3]]
        z = Z[:, row]
        if z.dtype != object and w.dtype != object and _bound(
                (1, np.abs(z).max(initial=0)), (t, np.abs(w).max(initial=0))):
            return z - t * w
        return shrink(to_object(z) - t * to_object(w))
    k, row = desc[3], u[1]
    top = Z[:, row:row + k + 1].max(axis=1)
    z = Z[:, row + k + 1]
    if z.dtype != object and top.dtype != object and _bound(
            (2, max(np.abs(z).max(initial=0), np.abs(top).max(initial=0)))):
        return top - z
    return shrink(to_object(top) - to_object(z))


def step_reporter(builder, total, progress, max_regions, what="neurons"):
    """``on_step(done)`` for :func:`run_plan`: report progress and enforce the region limit
    (``what``: the name of the functions inserted, for the message)."""
    from ..exceptions import LimitExceeded

    def step(done):
        n = builder.n_top
        if progress is not None:
            progress(done, total, n)
        if max_regions is not None and n > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions after inserting "
                                f"{done} of {total} {what}")

    return step


def run_plan(builder, layers, plan, start, stop, on_step=None):
    """Insert the functions ``plan[start:stop]`` (the carry of ``plan[start]``'s layer
    is in the builder unless ``start`` opens a layer; a layer that inserts nothing is
    passed through)."""
    d = builder.d
    # the last layer of a plan of neurons feeds nothing: the carry column of a neuron of
    # it is dead once the neuron is inserted, and dead columns are dropped in batches
    last = plan[-1][0] if plan and all(p[2][0] == "neuron" for p in plan
                                       if p[0] == plan[-1][0]) else None
    for t in range(start, stop):
        li, j, desc = plan[t]
        if j == 0:
            M = builder.M[:builder.nv]
            prev = plan[t - 1][0] if t > 0 else -1
            Z = M[:, :d] if prev < 0 else M[:, d + 1:]
            for layer in range(prev + 1, li + 1):
                Z = carry_values(layers, layer, Z, M[:, d])
            builder.set_carry(Z)
        if desc[0] in ("neuron", "output"):
            col = d + 1 + j - builder.carry_off
            # in the last layer, the carry columns of the neurons inserted already are dead
            builder.insert(builder.values(col), column=col,
                           dead=j - builder.carry_off if li == last else 0)
            if li == last:
                dead = j + 1 - builder.carry_off
                live = builder.M.shape[1] - d - 1 - dead
                if dead >= max(DROP_MIN, live):
                    builder.drop_carry(dead)
        else:
            M = builder.M[:builder.nv]
            builder.insert(function_values(layers, desc, M[:, d + 1:], M[:, d]))
        if on_step is not None:
            on_step(t + 1)


#: dead carry columns (of inserted neurons of the last layer) dropped at once, at least
DROP_MIN = 8
