"""Exact piecewise-linear networks: layers of rational weights, each hidden layer followed by
its units (ReLU by default; any unit of :mod:`polytopo.network.units`), exact evaluation and
affine maps per pattern."""

__all__ = ["Network", "check_network", "integer_points"]

import itertools
import math
import numbers
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from ..runtime.checks import check_positive_int, show
from ..geometry.exact import format_number, rank, to_matrix, to_vector
from ..geometry.integer import integer_layers
from ..exceptions import InputError, PointlessQuestion
from . import units as _units
from .graph import lower_graph, with_layer_notes

FORMAT = "polytopo.network/1"
#: the format of networks whose units are not all ReLU, and of computation graphs
FORMAT2 = "polytopo.network/2"


@dataclass(frozen=True)
class Network:
    """A ReLU MLP ``f = A_L ∘ relu ∘ A_{L-1} ∘ … ∘ relu ∘ A_1`` with exact rational weights.

    ``A_l(x) = W_l x + b_l``; every layer but the last is followed by ReLU, the last is
    affine (``docs/definitions.md``). Hidden neurons are the rows of ``A_1 … A_{L-1}``, numbered layer-major.

    Parameters
    ----------
    weights : tuple of matrices (tuples of rows of Fraction)
    biases : tuple of vectors (tuples of Fraction)

    Examples
    --------
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], ["-1/2"])])
    >>> net
    Network(2-2-1)
    >>> net.forward([1, -1])
    (Fraction(1, 2),)
    >>> net.pattern([1, -1])
    '+-'
    """

    weights: tuple
    biases: tuple
    #: per hidden layer, its units in order (``None``: every unit is a ReLU); a unit takes
    #: the next ``unit.n_inputs`` pre-activations of its layer
    units: tuple = None
    #: what the reader of the network wants a report to say (not part of the value)
    notes: tuple = field(default=(), compare=False)

    def __post_init__(self):
        if len(self.weights) != len(self.biases) or not self.weights:
            raise InputError("a network needs at least one layer, with one bias vector per layer")
        units = self.units
        if units is not None:
            if isinstance(units, (str, bytes)) or not hasattr(units, "__iter__"):
                raise TypeError(f"units must be a list of lists of units, got "
                                f"{type(units).__name__}")
            units = tuple(tuple(_units.check_unit(u) for u in layer) for layer in units)
            if len(units) != len(self.weights) - 1:
                raise InputError(f"{len(units)} unit lists for {len(self.weights) - 1} hidden "
                                 f"layers", field="units")
            for i, (layer, w) in enumerate(zip(units, self.weights)):
                n = sum(u.n_inputs for u in layer)
                if n != len(w):
                    raise InputError(f"the units of hidden layer {i + 1} take {n} "
                                     f"pre-activations, the layer has {len(w)}",
                                     field=f"layers[{i}].units")
            if all(u == _units.RELU for layer in units for u in layer):
                units = None
            object.__setattr__(self, "units", units)
        object.__setattr__(self, "notes", tuple(self.notes))
        prev = None
        for i, (w, b) in enumerate(zip(self.weights, self.biases)):
            if not w or not w[0]:
                raise InputError("empty layer", field=f"layers[{i}]")
            if len({len(r) for r in w}) != 1:
                raise InputError("weight rows have different lengths", field=f"layers[{i}].weights")
            if len(b) != len(w):
                raise InputError(f"{len(b)} biases for {len(w)} neurons", field=f"layers[{i}].biases")
            if prev is not None and len(w[0]) != prev:
                raise InputError(f"layer takes {len(w[0])} inputs but the previous layer has "
                                 f"{prev} {'neurons' if units is None else 'units'}",
                                 field=f"layers[{i}].weights")
            prev = len(w) if units is None or i == len(units) else len(units[i])

    # ---- construction -------------------------------------------------------------
    @classmethod
    def from_lists(cls, layers, *, max_denominator=None, source=None, units=None):
        """Build from ``[(W1, b1), (W2, b2), …]`` with W as a list of rows of numbers.

        Numbers may be anything :func:`polytopo.geometry.exact.to_fraction` accepts; floats are
        converted exactly unless ``max_denominator`` asks for rounding. ``units``: per hidden
        layer a list of units (:mod:`polytopo.network.units`), or one scalar unit for every
        row of that layer; default ReLU everywhere.

        Examples
        --------
        >>> from polytopo.network.units import leaky_relu
        >>> net = Network.from_lists([([[1]], [0]), ([[1]], [0])], units=[leaky_relu("1/4")])
        >>> net, net.forward([-4])
        (Network(1-1-1; leaky_relu(1/4)), (Fraction(-1, 1),))
        """
        max_denominator = check_positive_int("max_denominator", max_denominator)
        if isinstance(layers, (str, bytes, dict)) or not hasattr(layers, "__iter__"):
            raise TypeError(f"layers must be a list of (weights, biases) pairs, got "
                            f"{type(layers).__name__}")
        ws, bs = [], []
        for i, layer in enumerate(layers):
            try:
                w, b = layer
            except (TypeError, ValueError):
                raise InputError("each layer must be a pair (weights, biases)",
                                 source=source, field=f"layers[{i}]") from None
            ws.append(to_matrix(w, source=source, field=f"layers[{i}].weights",
                                max_denominator=max_denominator))
            bs.append(to_vector(b, source=source, field=f"layers[{i}].biases",
                                max_denominator=max_denominator))
        if units is not None:
            if isinstance(units, (str, bytes)) or not hasattr(units, "__iter__"):
                raise TypeError(f"units must be a list (one entry per hidden layer), got "
                                f"{type(units).__name__}")
            units = list(units)
            for i, layer in enumerate(units):
                if isinstance(layer, _units.Scalar) and i < len(ws):
                    units[i] = (layer,) * len(ws[i])
        try:
            return cls(tuple(ws), tuple(bs), units)
        except InputError as e:
            if e.source is None:
                raise InputError(e.problem, source=source, field=e.field) from None
            raise

    @classmethod
    def from_numpy(cls, weights, biases, *, max_denominator=None):
        """Build from numpy arrays (or anything array-like) ``weights[l]`` of shape (out, in).

        Float entries are converted exactly from their binary value, or rounded to the
        nearest fraction with denominator at most ``max_denominator`` when it is given.

        Examples
        --------
        >>> import numpy as np
        >>> Network.from_numpy([np.array([[0.5]]), np.array([[1.0]])], [np.zeros(1), np.zeros(1)])
        Network(1-1-1)
        """
        import numpy as np

        layers = [(np.asarray(w).tolist(), np.asarray(b).reshape(-1).tolist())
                  for w, b in zip(weights, biases)]
        return cls.from_lists(layers, max_denominator=max_denominator)

    @classmethod
    def from_json(cls, obj, *, source=None):
        """Build from the network file format of ``docs/formats.md`` (an already-parsed JSON
        object)."""
        if not isinstance(obj, dict):
            raise InputError("a network file must be a JSON object", source=source)
        fmt = obj.get("format", FORMAT)
        if fmt not in (FORMAT, FORMAT2):
            raise InputError(f"unknown format {str(fmt)[:60]!r} (expected {FORMAT!r} or "
                             f"{FORMAT2!r})", source=source, field="format")
        if fmt == FORMAT2 and "nodes" in obj:
            weights, biases, units, notes = lower_graph(obj, source=source)
            return cls(weights, biases, units, notes)
        layers = obj.get("layers")
        if not isinstance(layers, list) or not layers:
            raise InputError("'layers' must be a non-empty list", source=source, field="layers")
        pairs = []
        for i, layer in enumerate(layers):
            if not isinstance(layer, dict) or "weights" not in layer or "biases" not in layer:
                raise InputError("each layer must be an object with 'weights' and 'biases'",
                                 source=source, field=f"layers[{i}]")
            w, b = layer["weights"], layer["biases"]
            if not isinstance(w, list) or not w or not all(isinstance(r, list) and r for r in w):
                raise InputError("weights must be a non-empty list of non-empty rows",
                                 source=source, field=f"layers[{i}].weights")
            if not isinstance(b, list):
                raise InputError("biases must be a list", source=source, field=f"layers[{i}].biases")
            pairs.append((w, b))
        notes = obj.get("notes", [])
        if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
            raise InputError("'notes' must be a list of strings", source=source, field="notes")
        units = None
        if fmt == FORMAT2:
            try:
                units = _layer_units_from_json(layers)
            except InputError as e:
                if e.source is None:
                    raise InputError(e.problem, source=source, field=e.field) from None
                raise
        try:
            net = cls.from_lists(pairs, source=source, units=units)
        except InputError as e:
            if e.source is None:
                raise InputError(e.problem, source=source, field=e.field) from None
            raise
        if "input_dim" in obj:
            d = obj["input_dim"]
            if isinstance(d, bool) or not isinstance(d, int) or d != net.input_dim:
                raise InputError(f"input_dim {d!r} does not match the first layer's "
                                 f"{net.input_dim} columns", source=source, field="input_dim")
        return cls(net.weights, net.biases, net.units, tuple(notes)) if notes else net

    def to_json(self):
        """The network file object of ``docs/formats.md``, with every number exact (format
        version 1 for a ReLU network, version 2 with each hidden layer's units otherwise;
        ``notes`` when the network has notes)."""
        layers = [{"weights": [[format_number(x) for x in row] for row in w],
                   "biases": [format_number(x) for x in b]}
                  for w, b in zip(self.weights, self.biases)]
        out = {"format": FORMAT if self.units is None else FORMAT2,
               "input_dim": self.input_dim, "layers": layers}
        if self.units is not None:
            for layer, us in zip(layers, self.units):
                one = {u for u in us}
                layer["units"] = (us[0].to_json() if len(one) == 1 and
                                  isinstance(us[0], _units.Scalar) else
                                  [u.to_json() for u in us])
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    # ---- shape ----------------------------------------------------------------
    @property
    def input_dim(self):
        return len(self.weights[0][0])

    @property
    def output_dim(self):
        return len(self.weights[-1])

    @property
    def widths(self):
        """Widths of the hidden layers (their numbers of units, i.e. of outputs)."""
        if self.units is None:
            return tuple(len(w) for w in self.weights[:-1])
        return tuple(len(layer) for layer in self.units)

    @property
    def is_relu(self):
        """Whether every hidden unit is a ReLU (a network of format version 1)."""
        return self.units is None

    @property
    def layer_units(self):
        """Per hidden layer, the tuple of its units."""
        if self.units is None:
            return tuple((_units.RELU,) * len(w) for w in self.weights[:-1])
        return self.units

    @property
    def sign_counts(self):
        """Per hidden layer, the number of pattern signs of its units."""
        if self.units is None:
            return self.widths
        return tuple(sum(u.n_signs for u in layer) for layer in self.units)

    @property
    def n_hidden(self):
        """Length of a pattern: the number of hidden neurons of a ReLU network; in general
        one sign per breakpoint of every scalar unit and per piece of every max unit."""
        return sum(self.sign_counts)

    def require_relu(self, what):
        """Raise :class:`PointlessQuestion` unless every hidden unit is a ReLU: ``what`` is
        defined for ReLU networks only."""
        if self.units is not None:
            kinds = sorted({u.kind for layer in self.units for u in layer} - {"relu"})
            raise PointlessQuestion(f"{what} is defined for ReLU networks; this one has "
                                    f"{', '.join(kinds)} units")

    @property
    def architecture(self):
        return (self.input_dim,) + self.widths + (self.output_dim,)

    def __repr__(self):
        arch = '-'.join(map(str, self.architecture))
        if self.units is None:
            return f"Network({arch})"
        kinds = sorted({u.kind for layer in self.units for u in layer})
        return f"Network({arch}; {', '.join(kinds)})"

    def check_layer(self, layer, *, name="layer"):
        """``layer`` as a hidden layer of this network, counted from 1 (``None``: the last).

        Parameters
        ----------
        layer : int or None
        name : str
            How the error messages call the argument (``"--layer"`` on the command line).

        Returns
        -------
        int

        Raises
        ------
        PointlessQuestion
            If the network has no hidden layer.
        TypeError
            For a layer that is not an integer (or is a boolean).
        InputError
            For a layer out of range.

        Examples
        --------
        >>> net = Network.from_lists([([[1]], [0]), ([[1]], [0]), ([[1]], [0])])
        >>> net.check_layer(None), net.check_layer(1)
        (2, 1)
        >>> net.check_layer(3)
        Traceback (most recent call last):
        ...
        polytopo.exceptions.InputError: layer must be a hidden layer between 1 and 2, got 3
        """
        n_layers = len(self.widths)
        if n_layers == 0:
            raise PointlessQuestion(f"{name}: the network has no hidden layer")
        if layer is None:
            return n_layers
        if not isinstance(layer, numbers.Integral) or isinstance(layer, bool):
            raise TypeError(f"{name} must be a hidden layer between 1 and {n_layers}, got "
                            f"{type(layer).__name__} {show(layer)}")
        if not 1 <= layer <= n_layers:
            raise InputError(f"{name} must be a hidden layer between 1 and {n_layers}, got "
                             f"{show(layer)}")
        return int(layer)

    # ---- evaluation -------------------------------------------------------------
    def _point(self, x):
        if isinstance(x, (str, bytes)) or not hasattr(x, "__iter__"):
            raise TypeError(f"a point must be a sequence of numbers, got {type(x).__name__}")
        if getattr(x, "ndim", 1) != 1:
            raise InputError(f"one point at a time (got an array of shape {tuple(x.shape)}): "
                             f"use forward_batch(X) or patterns(X) for many points",
                             field="x")
        try:
            x = tuple(Fraction(v) for v in x)
        except (TypeError, ValueError) as e:
            raise InputError(f"a point's coordinates must be finite numbers ({e})",
                             field="x") from None
        if len(x) != self.input_dim:
            raise InputError(f"point has {len(x)} coordinates, network takes {self.input_dim}",
                             field="x")
        return x

    def _check_pattern(self, pattern, *, prefix=False):
        """A pattern (or, with ``prefix``, the signs of whole hidden layers ``1..l``)."""
        if not isinstance(pattern, str):
            raise TypeError(f"a pattern must be a string over '+-0', got {type(pattern).__name__}")
        if pattern.strip("+-0"):
            raise InputError(f"a pattern is a string over '+-0', got {show(pattern)}",
                             field="pattern")
        if not prefix:
            if len(pattern) != self.n_hidden:
                what = "neurons" if self.units is None else "unit signs"
                raise InputError(f"pattern has {len(pattern)} signs for {self.n_hidden} {what}",
                                 field="pattern")
            return pattern
        ends = list(itertools.accumulate(self.sign_counts, initial=0))
        if len(pattern) not in ends:
            raise InputError(f"a pattern prefix must cover whole hidden layers (lengths "
                             f"{', '.join(map(str, ends))}), got {len(pattern)} signs",
                             field="pattern")
        return pattern

    @cached_property
    def _integer_layers(self):
        """The layers scaled to integers (:func:`polytopo.geometry.integer.integer_layers`):
        ``(W', b', D)`` with layer ``l`` computing ``D_l`` times its pre-activations."""
        return tuple(integer_layers(self.weights, self.biases))

    @property
    def scaled_integer_layers(self):
        """The layers scaled to integers by one positive factor each, computed once:
        ``(W'_l, b'_l, D_l)`` per layer, layer ``l`` computing ``D_l`` times its
        pre-activations when fed ``D_{l-1}`` times its input
        (:func:`polytopo.geometry.integer.integer_layers`). Shared: do not modify.

        Examples
        --------
        >>> Network.from_lists([([["1/2", 1]], [0]), ([["2/3"]], ["1/4"])]).scaled_integer_layers
        (([[1, 2]], [0], 2), ([[4]], [3], 12))
        """
        return self._integer_layers

    def _integer_pass(self, x):
        """Pre-activations of every layer (the output last) as ``(integers, scale)`` pairs:
        layer values are ``integers / scale`` with ``scale > 0``. Exact, with integer
        arithmetic only (much faster than Fractions)."""
        x = self._point(x)
        scale = 1
        for v in x:
            scale = scale * v.denominator // math.gcd(scale, v.denominator)
        h = [int(v * scale) for v in x]  # the input times scale
        out = []
        for w, b, den in self._integer_layers:  # h: D_{l-1} scale relu(z_{l-1})
            z = [sum(a * hi for a, hi in zip(row, h) if a) + bi * scale for row, bi in zip(w, b)]
            out.append((z, den * scale))
            h = [v if v > 0 else 0 for v in z]
        return out

    def _unit_pass(self, x):
        """Pre-activations of every layer (the output last) and the pattern, in Fractions:
        the evaluation of a network whose units are not all ReLU."""
        h = self._point(x)
        out, signs = [], []
        for li, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = tuple(sum((a * v for a, v in zip(row, h) if a), bi) for row, bi in zip(w, b))
            out.append(z)
            if li == len(self.weights) - 1:
                break
            h, pos = [], 0
            for u in self.units[li]:
                p = z[pos:pos + u.n_inputs]
                pos += u.n_inputs
                if isinstance(u, _units.Max):
                    signs.append(u.signs(p))
                    h.append(max(p))
                else:
                    signs.append(u.signs(p[0]))
                    h.append(u(p[0]))
        return out, "".join(signs)

    def preactivations(self, x):
        """Exact pre-activations of every hidden layer at ``x``: a list of tuples of Fractions.

        Examples
        --------
        >>> Network.from_lists([([[1], [-1]], ["1/2", 0]), ([[1, 1]], [0])]).preactivations(["1/3"])
        [(Fraction(5, 6), Fraction(-1, 3))]
        """
        if self.units is not None:
            return list(self._unit_pass(x)[0][:-1])
        return [tuple(Fraction(v, s) for v in z) for z, s in self._integer_pass(x)[:-1]]

    def forward(self, x):
        """Exact output ``f(x)`` as a tuple of Fractions."""
        if self.units is not None:
            return self._unit_pass(x)[0][-1]
        z, s = self._integer_pass(x)[-1]
        return tuple(Fraction(v, s) for v in z)

    def _reference_forward(self, x):
        """``forward`` in plain Fraction arithmetic, for tests of the integer path."""
        h = self._point(x)
        for li, (w, b) in enumerate(zip(self.weights, self.biases)):
            z = tuple(sum((wi * hi for wi, hi in zip(row, h)), bi) for row, bi in zip(w, b))
            if li == len(self.weights) - 1:
                return z
            h = tuple(v if v > 0 else Fraction(0) for v in z)

    __call__ = forward

    # ---- many points ----------------------------------------------------------------
    def exact_points(self, X):
        """Rows of ``X`` as exact points (tuples of Fractions).

        Parameters
        ----------
        X : array of shape (n, d), or a sequence of points
            Integers, Fractions (``object`` arrays) and strings such as ``"1/3"`` as they
            are; floats by their exact binary value (``Fraction(0.1)``, not ``1/10``).

        Returns
        -------
        list of tuple of Fraction

        Raises
        ------
        InputError
            For a shape other than ``(n, input_dim)``, non-numbers, NaN or infinity.

        Examples
        --------
        >>> net = Network.from_lists([([[1, 1]], [0]), ([[1]], [0])])
        >>> net.exact_points([[0.5, "1/3"]])
        [(Fraction(1, 2), Fraction(1, 3))]
        >>> net.exact_points([[1, 2, 3]])
        Traceback (most recent call last):
        ...
        polytopo.exceptions.InputError: x: point has 3 coordinates, network takes 2
        """
        import numpy as np

        if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
            raise InputError(f"points must be a matrix (n, {self.input_dim}) or a list of "
                             f"points, got {type(X).__name__}", field="X")
        if isinstance(X, np.ndarray):
            if X.ndim != 2 or X.shape[1] != self.input_dim:
                raise InputError(f"points must have shape (n, {self.input_dim}), got "
                                 f"{X.shape}", field="X")
            if X.dtype.kind not in "biufO":
                raise InputError(f"points must be numbers, got dtype {X.dtype}", field="X")
            if X.dtype.kind == "f" and not np.all(np.isfinite(X)):
                raise InputError("points have non-finite entries (NaN or infinity)", field="X")
            X = X.tolist()
        out = []
        for x in X:
            try:
                out.append(self._point(x))
            except TypeError as e:
                raise InputError(f"points must be a matrix (n, {self.input_dim}) or a list "
                                 f"of points ({e})", field="X") from None
            except OverflowError as e:
                raise InputError(f"a point's coordinates must be finite numbers ({e})",
                                 field="X") from None
        return out

    def forward_batch(self, X):
        """:meth:`forward` of every row of ``X``, exactly.

        Parameters
        ----------
        X : array of shape (n, d), or a sequence of points
            Read by :meth:`exact_points` (floats by their exact binary value).

        Returns
        -------
        list of tuple of Fraction
            One tuple per point, what :meth:`forward` gives for that point (an ``(n, m)``
            ``object`` array is ``numpy.array(result, dtype=object)``).

        Notes
        -----
        The points run through the network together, layer by layer, in integers: every
        point carries one positive common denominator, every layer is multiplied by the
        least common denominator of its weights (and of its units' slopes and offsets),
        and the integers are ``int64`` numpy arrays while bounds prove that no product
        overflows, Python integers (``object`` arrays) otherwise. Every unit of
        :mod:`polytopo.network.units` is supported.

        Examples
        --------
        >>> import numpy as np
        >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], ["-1/2"])])
        >>> net.forward_batch(np.array([[-1.0], [0.25], [2.0]]))
        [(Fraction(1, 2),), (Fraction(-1, 4),), (Fraction(3, 2),)]
        """
        rows = self._batch_rows(X)
        if not len(rows[1]):
            return []
        (Z, S), _ = self._batch_pass(rows)
        return [tuple(Fraction(int(v), s) for v in row)
                for row, s in zip(Z.tolist(), S.tolist())]

    def patterns(self, X):
        """:meth:`pattern` of every row of ``X`` (a list of strings), exactly.

        Parameters
        ----------
        X : array of shape (n, d), or a sequence of points
            Read by :meth:`exact_points`.

        Returns
        -------
        list of str
            Entry ``i`` equals ``self.pattern(X[i])``: ``0`` where a point lies on a
            breakpoint (a region's boundary).

        Examples
        --------
        >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], ["-1/2"])])
        >>> net.patterns([[-1], [0], [3]])
        ['-+', '00', '+-']
        >>> from polytopo.network.units import Max
        >>> net = Network.from_lists([([[1], [-1], [0]], [0, 0, 0]), ([[1]], [0])],
        ...                          units=[[Max(3)]])
        >>> net.patterns([[2], [0], ["-1/2"]])
        ['+--', '000', '-+-']
        """
        import numpy as np

        S = self._filtered_signs(X)
        if S is None:
            rows = self._batch_rows(X)
            n = len(rows[1])
            if not n:
                return []
            _, signs = self._batch_pass(rows)
            if not signs:
                return [""] * n
            S = np.concatenate(signs, axis=1)
        if not S.shape[1]:
            return [""] * len(S)
        table = np.array([ord("0"), ord("+"), ord("-")], dtype=np.uint8)
        chars = table[S % 3]
        return [row.decode("ascii") for row in map(bytes, chars)]

    def sign_vectors(self, X):
        """:meth:`sign_vector` of every row of ``X``, as an ``int8`` array (n, n_hidden).

        Examples
        --------
        >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], ["-1/2"])])
        >>> net.sign_vectors([[-1], [0]]).tolist()
        [[-1, 1], [0, 0]]
        """
        import numpy as np

        S = self._filtered_signs(X)
        if S is not None:
            return S
        rows = self._batch_rows(X)
        n = len(rows[1])
        if not n or not self.n_hidden:
            return np.zeros((n, self.n_hidden), dtype=np.int8)
        return np.concatenate(self._batch_pass(rows)[1], axis=1)

    def _filtered_signs(self, X):
        """Signs of a ReLU network's hidden neurons at float points, decided in float64
        where a rigorous bound on the rounding error decides them, exactly elsewhere; or
        ``None`` (not a float array of a ReLU network: the caller's exact path).

        A float point is an exact (dyadic) point. Layer by layer, ``z = fl(W h + b)`` with
        ``W, b`` rounded to float64 and ``h`` the float ReLU of the previous layer; with
        ``e`` a bound on ``|h − h_exact|`` (0 at the input; ReLU is 1-Lipschitz),

            ``|z − z_exact| ≤ |W| e + 2 (n + 2) u (|W| |h| + |b|)``,

        ``u = 2^-53``, ``n`` the fan-in (the representation error of ``W, b`` and the
        accumulated rounding of the sums, each at most ``(n + 1) u`` relative), computed in
        float64 and enlarged by a factor ``1 + 10^-9`` and ``2^-1000`` for its own rounding
        and underflow. A sign is certain where ``|z|`` exceeds the bound; a point with an
        uncertain sign anywhere (on or near a breakpoint, or beyond the float range) is
        evaluated exactly (:meth:`_batch_pass`)."""
        import numpy as np

        if not self.is_relu or not isinstance(X, np.ndarray) or X.dtype.kind != "f" or \
                X.ndim != 2 or X.shape[1] != self.input_dim or not self.n_hidden:
            return None
        if not np.all(np.isfinite(X)):
            return None   # the exact path says what is wrong
        h = X.astype(np.float64)
        e = np.zeros_like(h)
        u = 2.0 ** -53
        out, sure = [], np.ones(len(X), dtype=bool)
        with np.errstate(over="ignore", invalid="ignore"):
            for W, b in self._float_layers[:-1]:
                Wa, n = np.abs(W), W.shape[1]
                z = h @ W.T + b
                bound = (e @ Wa.T + 2 * (n + 2) * u * (np.abs(h) @ Wa.T + np.abs(b))) \
                    * (1 + 1e-9) + 2.0 ** -1000
                ok = np.abs(z) > bound
                sure &= ok.all(axis=1) & np.isfinite(z).all(axis=1) & \
                    np.isfinite(bound).all(axis=1)
                out.append(np.sign(z).astype(np.int8))
                h = np.maximum(z, 0.0)
                e = bound
        S = np.concatenate(out, axis=1)
        redo = np.flatnonzero(~sure)
        if len(redo):
            rows = integer_points(X[redo], self.input_dim)
            S[redo] = np.concatenate(self._batch_pass(rows)[1], axis=1)
        return S

    @cached_property
    def _float_layers(self):
        """The layers' weights and biases rounded to float64 arrays."""
        import numpy as np

        return [(np.array([[float(v) for v in row] for row in w], dtype=np.float64)
                 .reshape(len(w), -1), np.array([float(v) for v in b], dtype=np.float64))
                for w, b in zip(self.weights, self.biases)]

    @cached_property
    def _batch_program(self):
        """Per layer ``(W, b, q, units)``: integer weights ``W = q W_l``, ``b = q b_l``;
        for hidden layers ``units`` is ``(E, ops)`` with ``E`` the least common denominator
        of the layer's unit pieces and per unit ``("relu", row)``, ``("scalar", row,
        breakpoints as (p, r), pieces as integer (E slope, E offset))`` or ``("max", row,
        size)``; ``None`` for the output layer."""
        out = []
        layers = self.layer_units
        for li, (w, b) in enumerate(zip(self.weights, self.biases)):
            q = math.lcm(1, *(v.denominator for row in w for v in row),
                         *(v.denominator for v in b))
            W = [[int(v * q) for v in row] for row in w]
            B = [int(v * q) for v in b]
            if li == len(self.weights) - 1:
                out.append((W, B, q, None))
                break
            ops, pieces, row = [], [], 0
            for u in layers[li]:
                if u == _units.RELU:
                    ops.append(("relu", row))
                elif isinstance(u, _units.Max):
                    ops.append(("max", row, u.size))
                else:
                    k = u.n_signs
                    ps = [u.piece("+" * i + "-" * (k - i)) for i in range(k + 1)]
                    pieces.extend(ps)
                    ops.append(("scalar", row,
                                [(t.numerator, t.denominator) for t in u.breakpoints], ps))
                row += u.n_inputs
            E = math.lcm(1, *(v.denominator for p in pieces for v in p))
            ops = [op if op[0] != "scalar" else
                   op[:3] + ([(int(s * E), int(c * E)) for s, c in op[3]],) for op in ops]
            out.append((W, B, q, (E, ops)))
        return tuple(out)

    def _batch_rows(self, X):
        """The points of ``X`` as integer rows ``(H, S)`` (:func:`integer_points`)."""
        return integer_points(X, self.input_dim)

    def _batch_pass(self, rows):
        """Exact pre-activations of many points at once (``rows`` from
        :meth:`_batch_rows`).

        Returns ``((Z, S), signs)``: the output layer's integers ``Z`` (points × outputs,
        a numpy array) and positive denominators ``S`` (one per point: the outputs are
        ``Z / S[:, None]``), and per hidden layer an ``int8`` array of its pattern signs
        (points × signs, ``1, -1, 0``).
        """
        import numpy as np

        from ..geometry.integer import LIMIT

        def small(*bounds):        # whether int64 holds every intermediate value
            return sum(bounds) < LIMIT

        def cast(A, int64):
            return A.astype(np.int64) if int64 else A.astype(object)

        def amax(A):
            return int(np.abs(A).max(initial=0))

        def sign(A):
            return (A > 0).astype(np.int8) - (A < 0).astype(np.int8)

        H, S = rows
        signs = []
        for W, B, q, units in self._batch_program:
            wsum = max((sum(abs(a) for a in row) for row in W), default=0)
            bmax = max((abs(a) for a in B), default=0)
            hmax, smax = amax(H), amax(S)
            # (max(wsum, 1): the points' own integers must fit too, even with zero weights)
            i64 = small(hmax * max(wsum, 1), bmax * smax, smax * q)
            Wa = cast(np.array(W, dtype=object).reshape(len(W), -1), i64)
            Ba = cast(np.array(B, dtype=object), i64)
            H, S = cast(H, i64), cast(S, i64)
            Z = H @ Wa.T + np.outer(S, Ba)       # the pre-activations are Z / (q S)
            S = S * q
            if units is None:
                break
            E, ops = units
            zmax, smax = amax(Z), amax(S)
            rmax = max((max(abs(p), r) for op in ops if op[0] == "scalar" for p, r in op[2]),
                       default=1)
            pmax = max((max(abs(a), abs(c)) for op in ops if op[0] == "scalar"
                        for a, c in op[3]), default=0)
            i64 = small(rmax * (zmax + smax), pmax * (zmax + smax), E * (zmax + smax))
            Z, S = cast(Z, i64), cast(S, i64)
            cols, sg = [], []
            for op in ops:
                z = Z[:, op[1]]
                if op[0] == "relu":
                    sg.append(sign(z)[:, None])
                    cols.append(np.where(z > 0, z, 0) * E)
                elif op[0] == "max":
                    P = Z[:, op[1]:op[1] + op[2]]
                    top = P.max(axis=1)
                    at_top = P == top[:, None]
                    tied = at_top.sum(axis=1) > 1
                    sg.append(np.where(at_top, np.where(tied[:, None], 0, 1), -1)
                              .astype(np.int8))
                    cols.append(top * E)
                else:
                    _, _, ts, ps = op
                    s = np.stack([sign(z * r - S * p) for p, r in ts], axis=1) if ts else \
                        np.zeros((len(z), 0), dtype=np.int8)
                    piece = (s > 0).sum(axis=1)
                    a = cast(np.array([a for a, _ in ps], dtype=object), i64)[piece]
                    c = cast(np.array([c for _, c in ps], dtype=object), i64)[piece]
                    sg.append(s)
                    cols.append(a * z + c * S)
            signs.append(np.concatenate(sg, axis=1))
            H = np.stack(cols, axis=1)
            S = S * E
            if H.dtype == np.int64:                # keep the integers small
                g = np.gcd(np.gcd.reduce(H, axis=1), S)
                H, S = H // g[:, None], S // g
        return (Z, S), signs

    def sign_vector(self, x):
        """Signs (−1, 0, +1) of every hidden neuron's pre-activation at ``x`` (layer-major);
        in general the pattern's signs (``docs/definitions.md``)."""
        if self.units is not None:
            return tuple({"+": 1, "-": -1, "0": 0}[c] for c in self._unit_pass(x)[1])
        return tuple((v > 0) - (v < 0) for z, _ in self._integer_pass(x)[:-1] for v in z)

    def pattern(self, x):
        """The sign vector at ``x`` as a string over ``+ - 0``."""
        if self.units is not None:
            return self._unit_pass(x)[1]
        return "".join("+" if s > 0 else "-" if s < 0 else "0" for s in self.sign_vector(x))

    # ---- affine maps on a pattern ---------------------------------------------------
    def _maps(self, pattern):
        """Yield ``(pre_M, pre_c, post_M, post_c)`` layer by layer along a pattern.

        Stops after the first layer whose signs the (layer-aligned) pattern lacks.
        """
        d = self.input_dim
        zero_row, zero = (Fraction(0),) * d, Fraction(0)
        m = tuple(tuple(Fraction(int(i == j)) for j in range(d)) for i in range(d))
        c = zero_row
        pos = 0
        for li, (w, b) in enumerate(zip(self.weights, self.biases)):
            pre_m = tuple(tuple(sum((wk * m[k][j] for k, wk in enumerate(row) if wk), zero)
                                for j in range(d)) for row in w)
            pre_c = tuple(sum((wk * c[k] for k, wk in enumerate(row) if wk), bi)
                          for row, bi in zip(w, b))
            if li == len(self.weights) - 1 or pos == len(pattern):
                yield pre_m, pre_c, pre_m, pre_c
                return
            if self.units is None:
                signs = pattern[pos:pos + len(w)]
                if len(signs) != len(w):
                    raise InputError("the pattern must cover whole layers", field="pattern")
                pos += len(w)
                m = tuple(r if s == "+" else zero_row for r, s in zip(pre_m, signs))
                c = tuple(v if s == "+" else zero for v, s in zip(pre_c, signs))
                yield pre_m, pre_c, m, c
                continue
            m, c, row = [], [], 0
            for u in self.units[li]:
                signs = pattern[pos:pos + u.n_signs]
                if len(signs) != u.n_signs:
                    raise InputError("the pattern must cover whole layers", field="pattern")
                pos += u.n_signs
                if isinstance(u, _units.Max):
                    k = row + u.argmax(signs)
                    m.append(pre_m[k])
                    c.append(pre_c[k])
                else:
                    slope, offset = u.piece(signs)
                    m.append(tuple(slope * v for v in pre_m[row]))
                    c.append(slope * pre_c[row] + offset)
                row += u.n_inputs
            m, c = tuple(m), tuple(c)
            yield pre_m, pre_c, m, c

    def affine_maps(self, pattern, *, integer_preactivations=None):
        """Exact affine maps on the region with the given activation pattern.

        Returns a list ``[(M_1, c_1), …, (M_{L-1}, c_{L-1}), (M_L, c_L)]`` where
        ``h_l(x) = M_l x + c_l`` is the post-ReLU representation after hidden layer
        ``l`` on the region and the last pair is the output map. A neuron with pattern
        ``+`` passes its pre-activation, ``-`` or ``0`` gives zero.

        ``integer_preactivations`` (a list; ReLU networks): receives per layer ``(Z, z)``,
        integer arrays with ``Z x + z`` a positive multiple of the layer's pre-activations
        (the same multiple for the whole layer): their zero sets and signs, without
        Fractions.

        Examples
        --------
        >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
        >>> net.affine_maps("+-")[-1]
        (((Fraction(1, 1), Fraction(0, 1)),), (Fraction(0, 1),))
        """
        self._check_pattern(pattern)
        if self.units is None:
            return self._relu_affine_maps(pattern, integer_preactivations)
        if integer_preactivations is not None:
            raise InputError("integer pre-activation maps are for ReLU networks")
        return [(m, c) for _, _, m, c in self._maps(pattern)]

    def _relu_affine_maps(self, pattern, pre=None):
        """:meth:`affine_maps` of a ReLU network in integers: layer ``l`` of the integer
        layers computes ``D_l`` times its pre-activations, so the map is an integer matrix
        over ``D_l`` (``int64`` when the sizes allow, Python ints otherwise), and Fractions
        are made once per entry of the result. With a list ``pre``, the integer
        pre-activation maps ``(Z_l, z_l)`` (``D_l`` times ``x ↦`` the pre-activations of
        layer ``l``) are appended to it."""
        import numpy as np

        from ..geometry.integer import LIMIT

        d = self.input_dim
        A = np.eye(d, dtype=np.int64)
        a = np.zeros(d, dtype=np.int64)
        out, pos = [], 0
        n_layers = len(self.weights)
        for li, (w, b, den) in enumerate(self._integer_layers):
            W = self._int_arrays[li][0]
            B = self._int_arrays[li][1]
            big = (int(np.abs(A).max(initial=0)) + int(np.abs(a).max(initial=0)) + 1) * \
                self._int_arrays[li][2] * (len(w[0]) + 1)
            if A.dtype != object and big < LIMIT:
                Z, z = W @ A, W @ a + B
            else:
                Wo = W.astype(object)
                Z, z = Wo.dot(A.astype(object)), Wo.dot(a.astype(object)) + B.astype(object)
            Zpre, zpre = Z, z
            if li < n_layers - 1:
                keep = np.frombuffer(pattern[pos:pos + len(w)].encode("ascii"),
                                     dtype=np.uint8) == ord("+")
                pos += len(w)
                Z = np.where(keep[:, None], Z, 0)
                z = np.where(keep, z, 0)
            out.append((tuple(tuple(Fraction(int(v), den) for v in row) for row in Z),
                        tuple(Fraction(int(v), den) for v in z)))
            if pre is not None:
                pre.append((Zpre, zpre))
            A, a = Z, z
        return out

    @cached_property
    def _int_arrays(self):
        """The integer layers as ``(W', b', max |W'| row sum)`` numpy arrays (int64, or
        object when an entry does not fit)."""
        import numpy as np

        from ..geometry.integer import LIMIT

        out = []
        for w, b, _ in self._integer_layers:
            big = max(max((abs(x) for row in w for x in row), default=0),
                      max((abs(x) for x in b), default=0))
            dt = np.int64 if big < LIMIT else object
            W = np.array(w, dtype=dt).reshape(len(w), -1)
            B = np.array(b, dtype=dt)
            rowsum = max((sum(abs(x) for x in row) for row in w), default=0)
            out.append((W, B, rowsum))
        return out

    def preactivation_maps(self, pattern_prefix):
        """Affine map ``(M, c)`` of the pre-activations of the layer after ``pattern_prefix``.

        ``pattern_prefix`` gives the signs of whole hidden layers ``1..l``; on the set of
        points with that prefix, layer ``l+1``'s pre-activations equal ``M x + c`` (the
        output map when the prefix covers every hidden layer).

        Examples
        --------
        >>> net = Network.from_lists([([[1, 0]], [0]), ([[2]], [1])])
        >>> net.preactivation_maps("-")
        (((Fraction(0, 1), Fraction(0, 1)),), (Fraction(1, 1),))
        """
        self._check_pattern(pattern_prefix, prefix=True)
        *_, (pre_m, pre_c, _, _) = self._maps(pattern_prefix)
        return pre_m, pre_c

    def rank_on(self, pattern, layer=None):
        """Exact rank of the Jacobian of ``x ↦ h_layer(x)`` on the region with this pattern.

        ``layer`` counts hidden layers from 1; default the last hidden layer.
        """
        layer = self.check_layer(layer)
        maps = self.affine_maps(pattern)
        return rank(maps[layer - 1][0])

    def rounded(self, max_denominator):
        """The network with every weight, bias and unit parameter (slope, breakpoint)
        replaced by the nearest fraction with denominator at most ``max_denominator``
        (:meth:`fractions.Fraction.limit_denominator`), and a note saying so. For reading
        float models as the rationals they stand for: ``LeakyReLU(0.1)`` stored in single
        precision has slope ``13421773/134217728``; rounded with 1000 it is ``1/10``.

        Examples
        --------
        >>> net = Network.from_lists([([[0.1]], [0]), ([[1]], [0])])
        >>> net.weights[0][0][0], net.rounded(100).weights[0][0][0]
        (Fraction(3602879701896397, 36028797018963968), Fraction(1, 10))
        """
        q = check_positive_int("max_denominator", max_denominator)

        def r(x):
            return x.limit_denominator(q)

        ws = tuple(tuple(tuple(r(a) for a in row) for row in w) for w in self.weights)
        bs = tuple(tuple(r(a) for a in b) for b in self.biases)
        units = self.units
        if units is not None:
            units = tuple(tuple(
                u if isinstance(u, _units.Max) else
                _units.Scalar(tuple(r(t) for t in u.breakpoints),
                              tuple(r(a) for a in u.slopes), r(u.intercept))
                for u in layer) for layer in units)
        notes = self.notes + (f"weights, biases and unit parameters rounded to the nearest "
                              f"fractions with denominator at most {q}",)
        return Network(ws, bs, units, notes)

    def permuted(self, layer, permutation):
        """The same function with the units of hidden ``layer`` (from 1) reordered.

        Unit ``permutation[i]`` of the original becomes unit ``i`` (with its rows of
        pre-activations: one for a scalar unit, ``size`` for a max unit).

        Examples
        --------
        >>> from polytopo.network.units import Max, RELU
        >>> net = Network.from_lists([([[1], [2], [-1]], [0, 0, 1]), ([[1, 3]], [0])],
        ...                          units=[[Max(2), RELU]])
        >>> p = net.permuted(1, [1, 0])
        >>> [u.kind for u in p.units[0]], p.weights[0], p.forward([1]) == net.forward([1])
        (['relu', 'max(2)'], ((Fraction(-1, 1),), (Fraction(1, 1),), (Fraction(2, 1),)), True)
        """
        layer = self.check_layer(layer)
        width = self.widths[layer - 1]
        try:
            ok = sorted(permutation) == list(range(width))
        except (TypeError, ValueError):
            ok = False
        if not ok or not all(isinstance(p, int) and not isinstance(p, bool) for p in permutation):
            raise InputError(f"permutation must reorder 0..{width - 1}, got "
                             f"{show(permutation)}",
                             field="permutation")
        ws, bs = list(self.weights), list(self.biases)
        i = layer - 1
        layer_units = self.layer_units[i]
        starts, pos = [], 0
        for u in layer_units:
            starts.append(pos)
            pos += u.n_inputs
        rows = [r for p in permutation
                for r in range(starts[p], starts[p] + layer_units[p].n_inputs)]
        ws[i] = tuple(ws[i][r] for r in rows)
        bs[i] = tuple(bs[i][r] for r in rows)
        ws[i + 1] = tuple(tuple(row[p] for p in permutation) for row in ws[i + 1])
        units = None
        if self.units is not None:
            units = list(self.units)
            units[i] = tuple(layer_units[p] for p in permutation)
        return Network(tuple(ws), tuple(bs), units, self.notes)

    # ---- PyTorch -----------------------------------------------------------------
    @classmethod
    def from_torch(cls, model, example_input=None, *, max_denominator=None,
                   strip_output_activation=False):
        """Build from a PyTorch module or a state dict.

        With ``example_input`` (a tensor of the input's shape, with or without a batch
        dimension of 1), any ``nn.Module`` whose forward is made of the layers of
        ``docs/networks.md`` (Linear, Conv, pooling, eval-mode BatchNorm, piecewise-linear
        activations, skip connections) is traced (``torch.fx``, else ``torch.export``)
        and read exactly; the network's notes name the layers read. Anything else is
        refused naming the module and the node; a final Softmax, LogSoftmax, Sigmoid or
        Tanh is dropped only with ``strip_output_activation``.

        Without it, ``model`` is an ``nn.Sequential`` of ``Linear``/``ReLU`` or a state
        dict, read in key order: ``*.weight`` and ``*.bias`` pairs of consecutive Linear
        layers with ReLU between them (the caller says so by calling this).

        Weights are read as float64 and converted exactly, or rounded with
        ``max_denominator`` (for a traced module by :meth:`rounded`, with a note).
        """
        try:
            import torch  # noqa: F401
        except ImportError:  # pragma: no cover - depends on the environment
            raise InputError("reading PyTorch models needs the 'torch' extra: "
                             "pip install 'polytopo[torch]'") from None
        if example_input is not None:
            from .torch_import import graph_from_torch

            graph = graph_from_torch(model, example_input,
                                     strip_output_activation=strip_output_activation)
            net = cls.from_json(with_layer_notes(graph, "PyTorch"))
            return net if max_denominator is None else net.rounded(max_denominator)
        if hasattr(model, "state_dict") and hasattr(model, "__iter__"):
            import torch.nn as nn

            layers, expect_linear = [], True
            for mod in model:
                if isinstance(mod, nn.Linear):
                    if not expect_linear:
                        raise InputError("two Linear layers without a ReLU between them")
                    w = mod.weight.detach().double().cpu().numpy()
                    b = (mod.bias.detach().double().cpu().numpy() if mod.bias is not None
                         else [0.0] * w.shape[0])
                    layers.append((w, b))
                    expect_linear = False
                elif isinstance(mod, nn.ReLU):
                    if expect_linear:
                        raise InputError("ReLU must follow a Linear layer")
                    expect_linear = True
                else:
                    raise InputError(f"module {type(mod).__name__} needs an example input: "
                                     f"Network.from_torch(model, example_input) traces any "
                                     f"piecewise-linear module")
            if expect_linear:
                raise InputError("the model must end with a Linear layer")
            return cls.from_numpy([w for w, _ in layers], [b for _, b in layers],
                                  max_denominator=max_denominator)
        state = dict(model)
        for k, v in state.items():  # every entry: a tensor of a Linear layer
            if not isinstance(k, str):
                raise InputError(f"state dict key {_key(k)} is not a string")
            _tensor_values(v, k, check_only=True)
            if not k.endswith(("weight", "bias")):
                raise InputError("not a Linear layer's weight or bias: the state dict is "
                                 "not a chain of Linear layers", field=_key(k))
            if k.endswith("bias") and k[: -len("bias")] + "weight" not in state:
                raise InputError("a bias without its weight", field=_key(k))
        wkeys = [k for k in state if k.endswith("weight")]
        if not wkeys:
            raise InputError("state dict has no '*.weight' entries")
        from ..runtime.budget import check_allocation

        # each weight becomes an exact Fraction (its float64 value and about 200 bytes of
        # Python objects): a small file holding a huge tensor stops here, not in the middle
        n = sum(int(v.numel()) for v in state.values())
        check_allocation(n * _BYTES_PER_EXACT_WEIGHT, f"reading {n} weights exactly")
        ws, bs = [], []
        for k in wkeys:
            w = _tensor_values(state[k], k)
            if w.ndim != 2:
                raise InputError(f"a weight must be a matrix, got shape {list(w.shape)}",
                                 field=_key(k))
            bk = k[: -len("weight")] + "bias"
            b = _tensor_values(state[bk], bk) if bk in state else [0.0] * w.shape[0]
            ws.append(w)
            bs.append(b)
        return cls.from_numpy(ws, bs, max_denominator=max_denominator)


def integer_points(X, dim):
    """Exact points as integer rows: ``(H, S)`` with point ``i`` equal to ``H[i] / S[i]``.

    Parameters
    ----------
    X : array of shape (n, dim), or a sequence of points
        Integers, Fractions (``object`` arrays) and strings such as ``"1/3"`` as they are;
        floats by their exact binary value. Integer and float arrays are converted without
        Fractions (a float is ``M 2^E`` exactly, ``M`` and ``E`` integers).
    dim : int
        The number of coordinates of a point.

    Returns
    -------
    H : numpy.ndarray, shape (n, dim)
    S : numpy.ndarray, shape (n,)
        Integers, ``S > 0``: ``int64`` arrays when every entry is below ``2**62`` in
        absolute value, ``object`` arrays (Python integers) otherwise.

    Raises
    ------
    InputError
        For a shape other than ``(n, dim)``, non-numbers, NaN or infinity (one line).

    Examples
    --------
    >>> import numpy as np
    >>> H, S = integer_points(np.array([[0.5, -3.0], [0.375, 1.0]]), 2)
    >>> H.tolist(), S.tolist()
    ([[1, -6], [3, 8]], [2, 8])
    >>> [r.tolist() for r in integer_points([["1/3", 2]], 2)]
    [[[1, 6]], [3]]
    """
    import numpy as np

    from ..geometry.integer import LIMIT

    if isinstance(X, (str, bytes)) or not hasattr(X, "__len__"):
        raise InputError(f"points must be a matrix (n, {dim}) or a list of points, got "
                         f"{type(X).__name__}", field="X")
    if isinstance(X, np.ndarray):
        if X.ndim != 2 or X.shape[1] != dim:
            raise InputError(f"points must have shape (n, {dim}), got {X.shape}", field="X")
        if X.dtype.kind not in "biufO":
            raise InputError(f"points must be numbers, got dtype {X.dtype}", field="X")
        n = len(X)
        if X.dtype.kind in "biu" and (X.dtype.kind != "u" or not X.size or X.max() < LIMIT):
            return X.astype(np.int64), np.ones(n, dtype=np.int64)
        if X.dtype.kind == "f":
            if not np.all(np.isfinite(X)):
                raise InputError("points have non-finite entries (NaN or infinity)",
                                 field="X")
            m, e = np.frexp(X.astype(np.float64))
            M = (m * float(1 << 53)).astype(np.int64)          # X = M 2^(e - 53) exactly
            E = e.astype(np.int64) - 53
            tz = np.where(M != 0, np.frexp((M & -M).astype(np.float64))[1] - 1, 0)
            M, E = M >> tz, np.where(M != 0, E + tz, 0)         # M odd, or 0
            K = np.maximum(0, (-E).max(axis=1, initial=0))     # S = 2^K per row
            shift = E + K[:, None]
            bits = np.frexp(np.abs(M).astype(np.float64))[1] + shift
            if n and K.max() < 62 and bits.max() < 62:
                return M << shift, np.left_shift(1, K)
        X = X.tolist()
    H, S = [], []
    for x in X:
        if isinstance(x, (str, bytes)) or not hasattr(x, "__len__") or len(x) != dim:
            raise InputError(f"points must be a matrix (n, {dim}) or a list of points of "
                             f"{dim} coordinates, got {show(x)}", field="X")
        try:
            q = [v if isinstance(v, Fraction) else Fraction(v) for v in x]
        except (TypeError, ValueError, OverflowError) as e:
            raise InputError(f"a point's coordinates must be finite numbers ({e})",
                             field="X") from None
        s = math.lcm(1, *(v.denominator for v in q))
        H.append([int(v * s) for v in q])
        S.append(s)
    H = np.array(H, dtype=object).reshape(len(S), dim)
    S = np.array(S, dtype=object)
    if not len(S) or (int(np.abs(H).max(initial=0)) < LIMIT and max(S) < LIMIT):
        H, S = H.astype(np.int64), S.astype(np.int64)
    return H, S


def _layer_units_from_json(layers):
    """The ``units`` of every hidden layer of a layered format-2 network file."""
    units = []
    for i, layer in enumerate(layers[:-1]):
        u = layer.get("units", {"type": "relu"})
        f = f"layers[{i}].units"
        if isinstance(u, dict):
            unit = _units.unit_from_json(u, field=f)
            if not isinstance(unit, _units.Scalar):
                raise InputError("one unit for a whole layer must be a scalar unit", field=f)
            units.append(unit)
        elif isinstance(u, list):
            units.append([_units.unit_from_json(x, field=f"{f}[{j}]")
                          for j, x in enumerate(u)])
        else:
            raise InputError("units must be a unit object or a list of them", field=f)
    if "units" in layers[-1]:
        raise InputError("the last layer is affine: it has no units",
                         field=f"layers[{len(layers) - 1}].units")
    return units


def check_network(network, name="network"):
    """``network`` itself, after checking it is a :class:`Network`.

    >>> check_network("net.json")
    Traceback (most recent call last):
    ...
    TypeError: network must be a Network, got str
    """
    if not isinstance(network, Network):
        raise TypeError(f"{name} must be a Network, got {type(network).__name__}")
    return network


def _key(k, limit=60):
    """A state dict key for an error message: one line, not too long."""
    text = k if isinstance(k, str) and k.isprintable() else repr(k)
    return text if len(text) <= limit else text[:limit - 3] + "..."


#: memory of one exactly converted weight (a Fraction and its integers, a float64 copy)
_BYTES_PER_EXACT_WEIGHT = 200


def _tensor_values(t, key, *, check_only=False):
    """A real, dense tensor with values of a state dict as a float64 numpy array."""
    import torch

    field = _key(key)
    if not isinstance(t, torch.Tensor):
        raise InputError(f"expected a tensor, got {type(t).__name__}", field=field)
    if t.is_meta:
        raise InputError("a meta tensor has no values", field=field)
    if t.layout != torch.strided:
        raise InputError(f"sparse tensors are not supported ({t.layout})", field=field)
    if t.is_quantized:
        raise InputError("quantized tensors are not supported", field=field)
    if t.is_complex():
        raise InputError("complex weights are not supported", field=field)
    if check_only:
        return None
    return t.detach().double().cpu().numpy()
