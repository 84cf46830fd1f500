"""Exact reference answers in a stable, versioned JSON schema, and a comparer for the region
lists of floating-point tools.

Schema ``polytopo.reference/1`` (documented in ``docs/reference.md``)::

    {"schema": "polytopo.reference/1", "polytopo_version", "arithmetic": "exact rational",
     "network": <network file object>, "domain": {"A", "b"},
     "n_regions", "f_vector", "euler_characteristic",
     "homology": {"domain", ["positive", "negative", "zero"]},
     "regions": [{"pattern", "interior_point", "inequalities": {"A", "b"}, "rank", "volume"}],
     "float": {"regions": [{"pattern", "interior_point", "volume"}]}}

Exact numbers are ints or ``"p/q"`` strings; the ``float`` section repeats the region data as
the nearest binary64 floats for tools that cannot read rationals.
"""

__all__ = ["SCHEMA", "reference", "compare", "load_tool_regions"]

import math

from .. import __version__
from ..geometry import lp
from ..geometry.exact import to_float, to_matrix, to_vector
from ..exceptions import InputError
from ..network.model import Network
from ..geometry.polytope import Polytope

SCHEMA = "polytopo.reference/1"


def reference(network, domain, *, max_regions=None):
    """The exact reference answer for ``network`` on ``domain`` (schema :data:`SCHEMA`).

    Parameters
    ----------
    network : Network
    domain : Polytope
    max_regions : int, optional
        Stop with :class:`~polytopo.exceptions.LimitExceeded` past this many regions
        (of the complex, or of the decision sets' complex after refining by the output).

    Examples
    --------
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> ref = reference(net, Polytope.cube(2))
    >>> ref["schema"], ref["n_regions"], ref["f_vector"], ref["float"]["regions"][0]["volume"]
    ('polytopo.reference/1', 4, [9, 12, 4], 1.0)
    >>> reference(net, Polytope.cube(2), max_regions=3)
    Traceback (most recent call last):
    ...
    polytopo.exceptions.LimitExceeded: ...more than 3 regions...
    """
    from ..complex.build import canonical_complex, regions_from_complex
    from ..geometry.polytope import check_domain
    from ..network.model import check_network
    from ..runtime.checks import check_positive_int
    from .summary import complex_summary

    check_network(network)
    check_domain(domain, network.input_dim)
    check_positive_int("max_regions", max_regions)
    # one build of the complex: its summary (as analyze reports it) and its regions
    C = canonical_complex(network, domain, max_regions=max_regions)
    rep = complex_summary(C, network, max_regions=max_regions, domain=domain)
    found = regions_from_complex(C, network)
    return {
        "schema": SCHEMA,
        "polytopo_version": __version__,
        "arithmetic": "exact rational",
        "network": network.to_json(),
        "domain": domain.to_json(),
        "n_regions": rep["n_regions"],
        "f_vector": rep["f_vector"],
        "euler_characteristic": rep["euler_characteristic"],
        "homology": rep["homology"],
        **{k: rep[k] for k in ("classes", "class_pieces", "class_boundary") if k in rep},
        "regions": [r.to_json() for r in found],
        "float": {"regions": [{"pattern": r.pattern,
                               "interior_point": [_binary64(x) for x in r.interior_point],
                               "volume": _binary64(r.volume)} for r in found]},
    }


def _binary64(q):
    """The nearest binary64 float to an exact number, or ``None`` (JSON ``null``) when it
    is beyond the float range: JSON has no infinity, and ``float()`` would raise."""
    f = to_float(q)
    return f if math.isfinite(f) else None


def load_tool_regions(obj, *, source=None):
    """Validate a tool's region list: a list (or ``{"regions": [...]}``) of objects with any of
    ``"pattern"`` (string over ``+-0``), ``"point"`` (a point inside the region),
    ``"inequalities"`` (``{"A", "b"}``, the region as ``A x ≤ b``); numbers may be floats
    (read exactly from their binary value)."""
    if isinstance(obj, dict):
        obj = obj.get("regions")
    if not isinstance(obj, list):
        raise InputError("expected a list of regions (or {\"regions\": [...]})", source=source)
    out = []
    for i, r in enumerate(obj):
        field = f"regions[{i}]"
        if not isinstance(r, dict) or not ({"pattern", "point", "inequalities"} & set(r)):
            raise InputError("each region needs a 'pattern', 'point' or 'inequalities'",
                             source=source, field=field)
        item = {}
        if "pattern" in r:
            if not isinstance(r["pattern"], str) or set(r["pattern"]) - set("+-0"):
                raise InputError("pattern must be a string over + - 0", source=source,
                                 field=field + ".pattern")
            item["pattern"] = r["pattern"]
        if "point" in r:
            item["point"] = to_vector(r["point"], source=source, field=field + ".point")
        if "inequalities" in r:
            q = r["inequalities"]
            if not isinstance(q, dict):
                raise InputError("inequalities must be {\"A\", \"b\"}", source=source, field=field)
            A = to_matrix(q.get("A"), source=source, field=field + ".inequalities.A")
            b = to_vector(q.get("b"), source=source, field=field + ".inequalities.b")
            if len(A) != len(b):
                raise InputError("A and b have different lengths", source=source, field=field)
            item["polytope"] = (A, b)
        out.append(item)
    return out


def compare(ref, tool_regions):
    """Check a tool's region list against a reference, exactly.

    Each tool region is located in the reference: by its point (the exact pattern of the
    network there; a point with a ``0`` in its pattern lies on a region boundary), by its
    pattern, and, if it gives inequalities, by the reference regions whose interiors meet
    its polytope (an exact LP each).

    Returns
    -------
    dict
        ``missing``: reference patterns no tool region covers; ``spurious``: tool regions
        (by index) that meet no reference region, claim an unrealised pattern, or sit outside
        the domain; ``merged``: tool regions whose polytope meets several reference regions
        (with those patterns); ``duplicated``: reference patterns covered by several tool
        regions (merged ones aside); ``on_boundary``: tool points on a region boundary; ``wrong_pattern``: tool
        regions whose claimed pattern differs from the exact pattern at their point;
        ``agrees``: no discrepancy of any kind.

    Examples
    --------
    >>> net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> ref = reference(net, Polytope.cube(2))
    >>> tool = [{"pattern": "++"}, {"pattern": "+-"}, {"point": [-0.5, 0.5]}]
    >>> res = compare(ref, load_tool_regions(tool))
    >>> res["missing"], res["agrees"]
    (['--'], False)
    """
    net = Network.from_json(ref["network"])
    domain = Polytope.from_lists(ref["domain"]["A"], ref["domain"]["b"])
    regions = ref["regions"]
    patterns = {r["pattern"]: i for i, r in enumerate(regions)}
    polys = [(to_matrix(r["inequalities"]["A"]), to_vector(r["inequalities"]["b"]))
             for r in regions]
    covered = {p: [] for p in patterns}
    res = {"missing": [], "spurious": [], "merged": [], "duplicated": [], "on_boundary": [],
           "wrong_pattern": []}
    for k, t in enumerate(tool_regions):
        hits = set()
        if "point" in t:
            x = t["point"]
            if len(x) != net.input_dim or not domain.contains(x):
                res["spurious"].append(k)
                continue
            p = net.pattern(x)
            if "0" in p and p not in patterns:
                res["on_boundary"].append(k)
            elif p in patterns:
                hits.add(p)
                if "pattern" in t and t["pattern"] != p:
                    res["wrong_pattern"].append({"tool_region": k, "claimed": t["pattern"],
                                                 "exact": p})
        elif "pattern" in t:
            if t["pattern"] in patterns:
                hits.add(t["pattern"])
            else:
                res["spurious"].append(k)
                continue
        if "polytope" in t:
            A, b = t["polytope"]
            met = {r["pattern"] for r, (RA, Rb) in zip(regions, polys)
                   if lp.interior_point(list(A) + list(RA), list(b) + list(Rb)) is not None}
            if not met:
                res["spurious"].append(k)
                continue
            if len(met) > 1:
                res["merged"].append({"tool_region": k, "patterns": sorted(met)})
            hits |= met
        for p in hits:
            covered[p].append(k)
    res["missing"] = sorted(p for p, ks in covered.items() if not ks)
    merged = {m["tool_region"] for m in res["merged"]}
    res["duplicated"] = sorted(p for p, ks in covered.items()
                               if len([k for k in ks if k not in merged]) > 1)
    res["n_reference"] = len(regions)
    res["n_tool"] = len(tool_regions)
    res["agrees"] = not any(res[k] for k in ("missing", "spurious", "merged", "duplicated",
                                             "on_boundary", "wrong_pattern"))
    return res
