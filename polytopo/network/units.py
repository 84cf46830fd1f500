"""The piecewise-linear units of a network (exact): scalar units with breakpoints and max
units (``docs/networks.md``).

A **scalar unit** is a continuous piecewise-linear ``σ: Q → Q`` with breakpoints
``t_1 < … < t_k`` and slopes ``s_0, …, s_k`` (``s_i`` on the piece after ``t_i``):

    σ(z) = c + s_0 z + Σ_i (s_i − s_{i−1}) relu(z − t_i).

Breakpoints where the slope does not change are dropped (they are not breakpoints), so
two units that compute the same function are equal. Its part of a pattern is one sign per
breakpoint, of ``z − t_i``; ReLU (one breakpoint at 0) gives the familiar ``+ - 0``.

A **max unit** takes ``m >= 2`` pre-activations ``p_1, …, p_m`` and outputs their maximum;
its part of a pattern is one sign per piece, of ``h_i = p_i − max_{j≠i} p_j``: ``+`` for
the unique maximum, ``0`` for each of several tied maxima, ``-`` for the others.
"""

__all__ = ["Scalar", "Max", "RELU", "LINEAR", "relu", "linear", "leaky_relu", "clamp",
           "absolute", "unit_from_json", "check_unit"]

from dataclasses import dataclass
from fractions import Fraction

from ..exceptions import InputError
from ..geometry.exact import format_number, to_fraction


@dataclass(frozen=True)
class Scalar:
    """A continuous piecewise-linear scalar unit (see the module doc).

    Examples
    --------
    >>> leaky_relu("1/10")(Fraction(-2))
    Fraction(-1, 5)
    >>> clamp(-1, 1).breakpoints, clamp(-1, 1)(5)
    ((Fraction(-1, 1), Fraction(1, 1)), Fraction(1, 1))
    >>> leaky_relu(1) == linear()
    True
    """

    breakpoints: tuple
    slopes: tuple
    intercept: Fraction

    def __post_init__(self):
        t = tuple(Fraction(x) for x in self.breakpoints)
        s = tuple(Fraction(x) for x in self.slopes)
        if len(s) != len(t) + 1:
            raise InputError(f"a unit with {len(t)} breakpoints needs {len(t) + 1} slopes, "
                             f"got {len(s)}")
        if any(a >= b for a, b in zip(t, t[1:])):
            raise InputError("breakpoints must increase")
        keep_t, keep_s = [], [s[0]]
        c = Fraction(self.intercept)
        for ti, si in zip(t, s[1:]):
            if si != keep_s[-1]:
                keep_t.append(ti)
                keep_s.append(si)
        object.__setattr__(self, "breakpoints", tuple(keep_t))
        object.__setattr__(self, "slopes", tuple(keep_s))
        object.__setattr__(self, "intercept", c)

    n_inputs = 1

    @property
    def n_signs(self):
        """Number of pattern signs: one per breakpoint."""
        return len(self.breakpoints)

    def __call__(self, z):
        z = Fraction(z)
        v = self.intercept + self.slopes[0] * z
        for ti, a, b in zip(self.breakpoints, self.slopes, self.slopes[1:]):
            if z > ti:
                v += (b - a) * (z - ti)
        return v

    def piece(self, signs):
        """``(slope, offset)`` of the piece given this unit's signs (``+`` past a
        breakpoint; ``0`` or ``-`` not): the unit equals ``slope z + offset`` there."""
        i = sum(1 for s in signs if s == "+")
        slope = self.slopes[i]
        if i == 0:
            return slope, self.intercept
        t = self.breakpoints[i - 1]
        return slope, self(t) - slope * t

    def signs(self, z):
        """The pattern signs at pre-activation ``z``."""
        return "".join("+" if z > t else "-" if z < t else "0" for t in self.breakpoints)

    @property
    def kind(self):
        """A short name: ``relu``, ``linear``, ``leaky_relu(a)``, ``clamp(lo, hi)``, ``abs``
        or ``piecewise``."""
        t, s, c = self.breakpoints, self.slopes, self.intercept
        if not t:
            return "linear" if s == (1,) and c == 0 else "affine"
        if t == (0,) and c == 0:
            if s == (0, 1):
                return "relu"
            if s == (-1, 1):
                return "abs"
            if s[1] == 1:
                return f"leaky_relu({format_number(s[0])})"
        if len(t) == 2 and s == (0, 1, 0) and c == t[0]:
            return f"clamp({format_number(t[0])}, {format_number(t[1])})"
        if len(t) == 1 and s == (0, 1) and c == t[0]:
            return f"clamp({format_number(t[0])}, None)"
        if len(t) == 1 and s == (1, 0) and c == 0:
            return f"clamp(None, {format_number(t[0])})"
        return "piecewise"

    def to_json(self):
        k = self.kind
        if k in ("relu", "linear", "abs"):
            return {"type": k}
        if k.startswith("leaky_relu("):
            return {"type": "leaky_relu", "slope": format_number(self.slopes[0])}
        if k.startswith("clamp("):
            t = self.breakpoints
            lo = t[0] if self.slopes[0] == 0 else None
            hi = t[-1] if self.slopes[-1] == 0 else None
            out = {"type": "clamp"}
            if lo is not None:
                out["min"] = format_number(lo)
            if hi is not None:
                out["max"] = format_number(hi)
            return out
        return {"type": "piecewise", "breakpoints": [format_number(x) for x in self.breakpoints],
                "slopes": [format_number(x) for x in self.slopes],
                "intercept": format_number(self.intercept)}


@dataclass(frozen=True)
class Max:
    """The maximum of ``size >= 2`` consecutive pre-activations."""

    size: int

    def __post_init__(self):
        if isinstance(self.size, bool) or not isinstance(self.size, int) or self.size < 2:
            raise InputError(f"a max unit takes at least 2 pieces, got {self.size!r}")

    @property
    def n_inputs(self):
        return self.size

    @property
    def n_signs(self):
        return self.size

    def __call__(self, *p):
        return max(Fraction(v) for v in p)

    def signs(self, p):
        """The pattern signs at pieces ``p``: sign of ``p_i − max_{j≠i} p_j``."""
        top = max(p)
        n = sum(1 for v in p if v == top)
        return "".join("-" if v < top else "0" if n > 1 else "+" for v in p)

    def argmax(self, signs):
        """The index of the first maximal piece given this unit's signs."""
        for i, s in enumerate(signs):
            if s in "+0":
                return i
        raise InputError(f"max-unit signs {signs!r} name no maximum", field="pattern")

    @property
    def kind(self):
        return f"max({self.size})"

    def to_json(self):
        return {"type": "max", "size": self.size}


def relu():
    return RELU


def linear():
    return LINEAR


def leaky_relu(slope):
    """``z`` for ``z >= 0`` and ``slope z`` below (PReLU with one slope)."""
    return Scalar((0,), (to_fraction(slope), 1), 0)


def clamp(lo=None, hi=None):
    """``min(max(z, lo), hi)``; either bound may be ``None`` (Hardtanh, ReLU6, clamp)."""
    lo = None if lo is None else to_fraction(lo)
    hi = None if hi is None else to_fraction(hi)
    if lo is not None and hi is not None:
        if not lo < hi:
            raise InputError(f"clamp needs min < max, got {lo} and {hi}")
        return Scalar((lo, hi), (0, 1, 0), lo)
    if lo is not None:
        return Scalar((lo,), (0, 1), lo)
    if hi is not None:
        return Scalar((hi,), (1, 0), 0)
    return LINEAR


def absolute():
    return Scalar((0,), (-1, 1), 0)


RELU = Scalar((0,), (0, 1), 0)
LINEAR = Scalar((), (1,), 0)


def check_unit(u):
    if not isinstance(u, (Scalar, Max)):
        raise InputError(f"not a unit: {type(u).__name__}")
    return u


def unit_from_json(obj, field=None):
    """A unit from its JSON object (``docs/formats.md``)."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise InputError("a unit must be an object with a 'type'", field=field)
    t = obj["type"]
    try:
        if t == "relu":
            return RELU
        if t == "linear":
            return LINEAR
        if t == "abs":
            return absolute()
        if t == "leaky_relu":
            return leaky_relu(obj["slope"])
        if t == "clamp":
            return clamp(obj.get("min"), obj.get("max"))
        if t == "piecewise":
            return Scalar(tuple(to_fraction(x) for x in obj["breakpoints"]),
                          tuple(to_fraction(x) for x in obj["slopes"]),
                          to_fraction(obj.get("intercept", 0)))
        if t == "max":
            return Max(obj["size"])
    except KeyError as e:
        raise InputError(f"a {t} unit needs {e.args[0]!r}", field=field) from None
    except (TypeError, ValueError) as e:
        raise InputError(f"bad {t} unit: {e}", field=field) from None
    except InputError as e:
        raise InputError(e.problem, field=field) from None
    raise InputError(f"unknown unit type {str(t)[:40]!r} (known: relu, linear, abs, "
                     "leaky_relu, clamp, piecewise, max)", field=field)
