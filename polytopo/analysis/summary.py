"""The analysis report (docs/formats.md, Report): what ``polytopo analyze`` computes."""

__all__ = ["analyze", "summary", "regions_report", "regions_jsonl", "homology_json",
           "complex_summary", "summary_steps", "set_generators", "GENERATORS_METHOD",
           "GENERATORS_CHECK"]

import json
import sys

from .. import __version__
from ..geometry import lp
from ..runtime import checks as _validate
from ..complex.cells import METHOD as COMPLEX_METHOD
from ..complex.build import activation_regions, canonical_complex
from ..exceptions import InputError, LimitExceeded, PointlessQuestion
from ..geometry.polytope import check_domain, check_manifold
from ..network.model import check_network
from ..topology.homology import backend as homology_backend
from ..runtime.progress import Deadline
from ..regions.traversal import regions as enumerate_regions

DECISION_SETS = ("positive", "negative", "zero")


def homology_json(groups):
    """A homology list as in docs/formats.md (Report): one ``{"rank", "torsion"}`` entry per dimension."""
    return [g.to_json() for g in groups]


#: how ``report["generators"]`` is computed (``report["generators_info"]["method"]``)
GENERATORS_METHOD = ("Smith normal form over Z with its transformations: unit-pivot "
                     "reduction recording the chain each surviving cell stands for, then a "
                     "dense Smith form of the remainder; for the 1-cycles of a 2-D set, the "
                     "outer boundary loop of each hole (docs/generators.md)")
#: what is proved of every generator (``report["generators_info"]["checked"]``)
GENERATORS_CHECK = ("every generator is a cycle (a relative one: its boundary lies in A) of "
                    "cells of its set; torsion generators times their orders are boundaries; "
                    "with the boundaries the generators span the cycles (Smith forms over Z); "
                    "their numbers and orders are the Betti numbers and torsion")


def set_generators(complex, subcomplex=None, *, relative_to=None):
    """``report["generators"][set]``: a basis of the homology of a subcomplex (or of a pair),
    every generator checked (docs/generators.md).

    Parameters
    ----------
    complex : CellComplex
    subcomplex : list of sets of int, optional
        The set ``X`` (default the whole complex).
    relative_to : list of sets of int, optional
        ``A``: generators of ``H(X, A ∩ X)``, relative cycles.

    Returns
    -------
    list
        Index ``k``: one entry per generator of ``H_k``, ``{"chain": [{"coefficient": c,
        "cell": i, "vertices": [[x, …], …]}, …]}`` with ``"order": t`` for torsion; ``cell``
        is the index of the k-cell in ``complex``; an edge's vertices are ``[tail, head]``
        (``∂ = head − tail``), other cells' in the complex's vertex order; coordinates
        exact.

    Examples
    --------
    >>> from polytopo.complex import CellComplex
    >>> C = CellComplex.from_box([0, 0], [1, 1])
    >>> g = set_generators(C, C.closure(C.cells(1)))     # the boundary of the square
    >>> [len(level) for level in g], [e["cell"] for e in g[1][0]["chain"]]
    ([1, 1, 0], [0, 1, 2, 3])
    >>> g[1][0]["chain"][0]["vertices"]
    [[0, 0], [0, 1]]
    """
    from ..geometry.exact import format_number
    from ..topology.generators import subcomplex_generators

    cc = complex.chain_complex()
    gens = subcomplex_generators(cc, subcomplex, relative_to=relative_to)
    pts, shown = complex.vertices(), {}

    def point(u):
        p = shown.get(u)
        if p is None:
            p = shown[u] = [format_number(x) for x in pts[u]]
        return p

    if complex.dim >= 1:
        ptr, ends, signs = (a.tolist() for a in cc.boundary_arrays(1))
    out = []
    for k, level in enumerate(gens):
        entries = []
        for g in level:
            chain = []
            for c, v in g.chain:
                if k == 1:  # [tail, head]: ∂e = head − tail
                    a, b = ends[ptr[c]:ptr[c + 1]]
                    verts = (a, b) if signs[ptr[c]] < 0 else (b, a)
                else:
                    verts = complex.vertices_of((k, c))
                chain.append({"coefficient": v, "cell": c,
                              "vertices": [list(point(u)) for u in verts]})
            entry = {"chain": chain}
            if g.order is not None:
                entry["order"] = g.order
            entries.append(entry)
        out.append(entries)
    return out


ENGINES = {"complex": COMPLEX_METHOD,
           "lp": f"layer-wise arrangement traversal with exact LPs ({lp.BACKEND})"}


def regions_header(network, domain, engine, slice_=None):
    """What a regions file says about how it was computed (and on which slice: then
    ``input_dim`` and ``domain`` are in slice coordinates)."""
    return {
        "polytopo_version": __version__,
        "arithmetic": "exact rational",
        "method": ENGINES[engine],
        "input_dim": network.input_dim,
        "domain": domain.to_json(),
        **network_description(network),
        **({} if slice_ is None else {"coordinates": "slice", "slice": slice_.to_json()}),
    }


def _exact_dumps(obj):
    """One JSON line; integers of any size (past Python's 4,300-digit guard), no NaN."""
    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    try:
        if old:
            sys.set_int_max_str_digits(0)
        return json.dumps(obj, allow_nan=False)
    finally:
        if old:
            sys.set_int_max_str_digits(old)


def _short(value):
    """An exact number of the report ("p/q" or an int) for the terminal: abbreviated as a
    decimal when very long (the JSON report keeps it exact)."""
    from fractions import Fraction

    from ..geometry.exact import format_number_short

    old = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 0
    try:
        if old:  # our own exact output, of any length
            sys.set_int_max_str_digits(0)
        p, _, q = str(value).partition("/")
        return format_number_short(Fraction(int(p), int(q or 1)))
    except (ValueError, ZeroDivisionError):  # not a number: shown as it is
        return str(value)
    finally:
        if old:
            sys.set_int_max_str_digits(old)


def regions_jsonl(network, domain, *, engine="lp", **kwargs):
    """The lines of a JSON-lines regions file (``polytopo regions --jsonl``): a header
    line, one line per region in canonical order, and a closing
    ``{"n_regions": N, "complete": true}`` line; each line ends with ``"\\n"``.

    With ``engine="lp"`` the regions of the last layer are yielded as they are found, so
    a caller can stream them to a file that need not fit in memory. ``kwargs`` are those
    of :func:`regions_report` (``volumes``, ``executor``, ``max_regions``, ``progress``,
    ``time_limit``).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])   # |x| - 1
    >>> lines = list(regions_jsonl(net, Polytope.box([-2], [2])))
    >>> len(lines), lines[-1]
    (4, '{"n_regions": 2, "complete": true}\\n')
    """
    from ..regions.traversal import iter_regions

    slice_ = kwargs.pop("slice_", None)
    if engine == "lp":
        found = iter_regions(network, domain, **kwargs)
    else:
        found = _complex_regions(network, domain, **kwargs)
    dumps = _exact_dumps
    yield dumps({"format": "polytopo.regions/1",
                 **regions_header(network, domain, engine, slice_)}) + "\n"
    n = 0
    for r in found:
        yield dumps(r.to_json()) + "\n"
        n += 1
    yield dumps({"n_regions": n, "complete": True}) + "\n"


def _complex_regions(network, domain, *, volumes=True, max_regions=None, progress=None,
                     time_limit=None, executor=None):
    deadline = Deadline(time_limit)

    def step(done, total, n):
        deadline.check("building the cell complex")
        if progress is not None:
            progress(done, total, n)

    return activation_regions(network, domain, volumes=volumes, max_regions=max_regions,
                              progress=step, executor=executor)


def regions_report(network, domain, *, engine="complex", volumes=True, executor=None,
                   max_regions=None, progress=None, time_limit=None, slice_=None):
    """The JSON object written by ``polytopo regions``: every region, every number exact.

    ``engine="complex"`` (default) reads the regions off the canonical complex;
    ``engine="lp"`` runs the reference LP traversal. Both accept an ``executor`` and
    give the same regions, inequalities, ranks and volumes; interior points may differ.
    ``slice_`` (a :class:`polytopo.network.slice.Slice`, the network composed with it and
    the domain its polytope) is recorded in the header.
    """
    _check_common(network, domain, max_regions, progress, time_limit, executor)
    if not isinstance(engine, str) or engine not in ENGINES:
        raise InputError(f"unknown engine {_validate.show(engine)}: complex or lp",
                         field="engine")
    if engine == "lp":
        found = enumerate_regions(network, domain, volumes=volumes, executor=executor,
                                  max_regions=max_regions, progress=progress,
                                  time_limit=time_limit)
    elif engine == "complex":
        found = _complex_regions(network, domain, volumes=volumes, max_regions=max_regions,
                                 progress=progress, time_limit=time_limit, executor=executor)
    else:
        raise ValueError(f"unknown engine {engine!r}")
    return {
        **regions_header(network, domain, engine, slice_),
        "n_regions": len(found),
        "regions": [r.to_json() for r in found],
    }


def summary_steps(network):
    """The names of the steps of :func:`complex_summary` for ``network``, in order."""
    names = ["homology of the complex"]
    if network.output_dim == 1:
        names += ["refining by the output"] + [f"homology of the {w} set" for w in DECISION_SETS]
    else:
        names += ["refining by the classes", "homology of the class regions"]
    return names


def complex_summary(complex, network, *, max_regions=None, before=None, after=None,
                    domain=None, executor=None, generators=False, volumes=True):
    """The summary of a network's canonical complex: regions, f-vector, Euler
    characteristic, homology of the complex and (scalar output) of the decision sets.

    The numbers ``polytopo analyze``, ``polytopo track`` and ``polytopo reference`` report
    (``docs/formats.md``, Report), computed one way for all of them from one build: the
    decision sets ``{f ≥ 0}``, ``{f ≤ 0}``, ``{f = 0}`` are subcomplexes of ``complex``
    refined by the output (:meth:`~polytopo.complex.CellComplex.refine_by_output`, the
    complex ``canonical_complex(network, domain, output=True)`` would build again).

    Parameters
    ----------
    complex : CellComplex
        ``canonical_complex(network, domain)``.
    network : Network
    max_regions : int, optional
        Stop with :class:`LimitExceeded` when refining by the output leaves more top
        cells than this.
    before, after : callable, optional
        Called as ``before(what)`` and ``after(what)`` around each step, ``what`` running
        over :func:`summary_steps` (progress reports, deadline checks).

    domain : Polytope, optional
        The complex's domain (default ``[-1, 1]^d``), for the class regions of a network
        with several outputs, built in a second complex refined by the class comparisons
        (:func:`polytopo.analysis.classes.class_complex`, with ``executor``).
    generators : bool
        Also return ``"generators"`` (the bases of :func:`set_generators` of the complex,
        the decision sets or the class regions) and ``"generators_complexes"`` (which
        complex each set's cell indices refer to: name and f-vector).

    Returns
    -------
    dict
        ``n_regions``, ``f_vector``, ``euler_characteristic`` and ``homology``:
        ``{"domain": …}`` and, for a scalar output, ``"positive"``, ``"negative"``,
        ``"zero"`` (lists of ``{"rank", "torsion"}``); for several outputs ``classes``,
        ``class_pieces`` and ``class_boundary``
        (:func:`polytopo.analysis.classes.class_summary`).

    Examples
    --------
    >>> from polytopo.complex import canonical_complex
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])   # |x| - 1
    >>> s = complex_summary(canonical_complex(net, Polytope.box([-2], [2])), net)
    >>> s["f_vector"], [h["rank"] for h in s["homology"]["positive"]], list(s["homology"])
    ([3, 2], [2, 0], ['domain', 'positive', 'negative', 'zero'])
    """
    C = complex
    before = before or (lambda what: None)
    after = after or (lambda what: None)
    steps = iter(summary_steps(network))
    what = next(steps)
    before(what)
    out = {
        "n_regions": C.n_regions,
        "f_vector": C.f_vector(),
        "euler_characteristic": C.euler_characteristic(),
        "homology": {"domain": homology_json(C.homology())},
    }
    gens, where = {}, {}
    if generators:
        gens["domain"], where["domain"] = set_generators(C), ("canonical", C)
    after(what)
    if network.output_dim == 1:
        what = next(steps)
        before(what)
        R = C.refine_by_output(network)
        if max_regions is not None and R.n_regions > max_regions:
            raise LimitExceeded(f"more than {max_regions} regions after refining by the "
                                f"output")
        after(what)
        for which in DECISION_SETS:
            what = next(steps)
            before(what)
            sub = R.decision_subcomplex(which)
            out["homology"][which] = homology_json(R.homology(sub))
            if generators:
                gens[which], where[which] = set_generators(R, sub), ("output", R)
            after(what)
    else:
        from .classes import class_complex, class_summary

        what = next(steps)
        before(what)
        K = class_complex(network, domain, max_regions=max_regions, executor=executor)
        after(what)
        what = next(steps)
        before(what)
        out.update(class_summary(network, complex=K, volumes=volumes))
        if generators:
            from .classes import class_subcomplexes

            regions, boundary = class_subcomplexes(K, network.output_dim)
            for i, sub in enumerate(regions):
                gens[f"class_{i}"], where[f"class_{i}"] = set_generators(K, sub), ("classes", K)
            gens["class_boundary"] = set_generators(K, boundary)
            where["class_boundary"] = ("classes", K)
        after(what)
    if generators:
        out["generators"] = gens
        out["generators_complexes"] = {k: {"complex": name, "f_vector": X.f_vector()}
                                       for k, (name, X) in where.items()}
    return out


def _check_common(network, domain, max_regions, progress, time_limit, executor):
    """The argument checks of :func:`analyze` and :func:`regions_report`."""
    check_network(network)
    check_domain(domain, network.input_dim)
    _validate.check_positive_int("max_regions", max_regions)
    _validate.check_callable("progress", progress)
    _validate.check_time_limit(time_limit)
    _validate.check_executor(executor)


def analyze(network, domain, *, max_regions=None, progress=None, time_limit=None,
            layer=None, threshold=None, manifold=None, exactness="auto", executor=None,
            stages=None, generators=False, volumes=True):
    """Compute the report of docs/formats.md (Report): regions, f-vector, Euler characteristic, homology of
    the domain's complex and (scalar output) of the decision sets, the low-rank set and
    the data manifold.

    Parameters
    ----------
    network, domain : Network, Polytope
    max_regions : int, optional
        Stop with :class:`LimitExceeded` past this many regions.
    progress : callable, optional
        Called as ``progress(n_inserted, n_total, n_regions)`` while the complex is built.
    time_limit : float, optional
        Seconds; stop with :class:`LimitExceeded` past it.
    layer, threshold : int, optional
        The low-rank set ``A`` is the union of the closed regions where the Jacobian of
        ``x ↦ h_layer(x)`` has rank ``< threshold`` (default: last hidden layer, ``d``).
    manifold : list of Polytope, optional
        Pieces of the data manifold ``M`` (default ``M`` = the domain).
    exactness : {"auto", "always", "never"}
        Check the long exact sequence of ``(M, A ∩ M)``
        (:func:`polytopo.analysis.lowrank.low_rank_homology`).
    stages : callable, optional
        Called as ``stages(i, n, what)`` when stage ``i`` of ``n`` after the cell complex
        begins (homology, refining by the output, decision sets, the low-rank set).
    executor : concurrent.futures.Executor, optional
        Build the cell complexes in tasks on it (see
        :func:`polytopo.complex.canonical_complex`); the report is identical.
    generators : bool
        Also compute an explicit basis of every homology group the report gives, each
        generator checked: ``report["generators"][set][k]`` (:func:`set_generators`;
        sets ``domain``, ``positive``, ``negative``, ``zero`` or ``class_i``,
        ``class_boundary``, and ``low_rank``, ``manifold`` (with ``manifold``), ``pair``)
        and ``report["generators_info"]`` (docs/generators.md). Off by default: the
        chains can be large. Without it the report is unchanged.
    volumes : bool
        Compute the exact volume fractions (of the low-rank set, the manifold and the
        classes); without them those entries are ``None`` and everything else is the
        same.

    Returns
    -------
    dict
        Every number exact; ``"computed"`` lists the parts present. ``low_rank`` holds
        ``H(A ∩ M)`` and ``H(M, A ∩ M)``, ``manifold`` holds ``H(M)`` (docs/formats.md, Report).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])   # |x| - 1
    >>> rep = analyze(net, Polytope.box([-2], [2]))
    >>> rep["n_regions"], rep["f_vector"], rep["homology"]["positive"][0]["rank"]
    (2, [3, 2], 2)
    >>> rep["low_rank"]["n_regions"], rep["low_rank"]["exact_sequence"]["exact"]
    (0, True)
    """
    from .lowrank import low_rank_homology

    _check_common(network, domain, max_regions, progress, time_limit, executor)
    _validate.check_callable("stages", stages)
    if network.widths:
        network.check_layer(layer)
        _validate.check_nonnegative_int("threshold", threshold)
    manifold = check_manifold(manifold, network.input_dim, domain)
    if not isinstance(generators, bool):
        raise InputError(f"generators must be True or False, got {_validate.show(generators)}",
                         field="generators")
    if not isinstance(volumes, bool):
        raise InputError(f"volumes must be True or False, got {_validate.show(volumes)}",
                         field="volumes")
    if not isinstance(exactness, str) or exactness not in ("auto", "always", "never"):
        raise InputError(f"exactness must be auto, always or never, got "
                         f"{_validate.show(exactness)}",
                         field="exactness")
    deadline = Deadline(time_limit)

    def step(done, total, n_regions):
        deadline.check("building the cell complex")
        if progress is not None:
            progress(done, total, n_regions)

    names = summary_steps(network)
    if network.widths:
        names.append("the low-rank set and H(M, A)")
    todo = iter(enumerate(names))

    def begin(step=None):  # the next stage (named ``step`` by complex_summary)
        i, what = next(todo)
        if stages is not None:
            stages(i, len(names), what)

    C = canonical_complex(network, domain, progress=step, max_regions=max_regions,
                          executor=executor)
    report = {
        "polytopo_version": __version__,
        "arithmetic": "exact rational",
        "coefficients": "Z",
        "method": COMPLEX_METHOD,
        "homology_backend": homology_backend(),
        "input_dim": network.input_dim,
        "architecture": list(network.architecture),
        "domain": domain.to_json(),
    }
    report.update(network_description(network))
    # the complex and (one more insertion into C) the decision sets
    report.update(complex_summary(C, network, max_regions=max_regions, before=begin,
                                  after=deadline.check, domain=domain, executor=executor,
                                  generators=generators, volumes=volumes))
    gens, where = report.pop("generators", None), report.pop("generators_complexes", None)
    if network.widths:
        begin()
        low = low_rank_homology(network, domain, manifold=manifold, layer=layer,
                                threshold=threshold, complex=C, exactness=exactness,
                                check=lambda what: deadline.check(f"low-rank set: {what}"),
                                max_regions=max_regions, volumes=volumes)
        report.update(low.to_json())
        if generators:
            _low_rank_generators(low, gens, where)
            deadline.check("low-rank set: homology generators")
    elif manifold or layer is not None or threshold is not None:
        raise PointlessQuestion("the network has no hidden layer: there is no low-rank set")
    if generators:
        report["generators"] = gens
        report["generators_info"] = {"method": GENERATORS_METHOD, "checked": GENERATORS_CHECK,
                                     "cells": where}
    report["computed"] = [k for k in ("n_regions", "f_vector", "euler_characteristic", "homology",
                                      "classes", "low_rank", "manifold", "generators")
                          if k in report]
    return report


def _low_rank_generators(low, gens, where):
    """Add the generators of ``A ∩ M``, ``M`` (a manifold other than the domain) and the pair
    ``(M, A ∩ M)`` to ``gens`` (the cells those of the manifold complex)."""
    Cm = low.complex
    AM = [a & m for a, m in zip(low.A, low.M)]
    info = {"complex": "manifold" if low.n_pieces else "canonical", "f_vector": Cm.f_vector()}
    gens["low_rank"], where["low_rank"] = set_generators(Cm, AM), info
    if low.n_pieces:
        gens["manifold"], where["manifold"] = set_generators(Cm, low.M), info
    gens["pair"], where["pair"] = set_generators(Cm, low.M, relative_to=AM), info


def network_description(network):
    """Report entries describing a network beyond its architecture: ``units`` (the kinds
    of hidden units, when not all are ReLU) and ``network_notes`` (how it was read: the
    layers of a model file, values computed in floating point, a dropped output
    activation); empty for a ReLU network without notes."""
    out = {}
    if not network.is_relu:
        out["units"] = [[u.kind for u in layer] for layer in network.units]
    if network.notes:
        out["network_notes"] = list(network.notes)
    return out


def _unit_summary(units):
    """``"relu x4, max(2) x2; relu x3"``: the kinds of units per hidden layer."""
    layers = []
    for layer in units:
        counts = {}
        for k in layer:
            counts[k] = counts.get(k, 0) + 1
        layers.append(", ".join(f"{k} x{n}" for k, n in counts.items()))
    return "; ".join(layers)


def _groups(entries):
    from ..topology.homology import HomologyGroup

    return ", ".join(str(HomologyGroup.from_json(e)) for e in entries)


def summary(report, *, source):
    """A short human-readable summary of a report (for stdout)."""
    lines = [f"polytopo {report['polytopo_version']}: {source}",
             f"  architecture {'-'.join(map(str, report['architecture']))}, "
             f"exact rational arithmetic, homology over Z",
             *([f"  units: {_unit_summary(report['units'])}"] if "units" in report else []),
             *[f"  note: {n}" for n in report.get("network_notes", ())],
             f"  activation regions: {report['n_regions']}",
             f"  f-vector: {report['f_vector']}   Euler characteristic: "
             f"{report['euler_characteristic']}"]
    hom = report["homology"]
    lines.append(f"  H(domain complex) = {_groups(hom['domain'])}")
    for which, name in (("positive", "{f >= 0}"), ("negative", "{f <= 0}"), ("zero", "{f = 0}")):
        if which in hom:
            lines.append(f"  H({name}) = {_groups(hom[which])}")
    if "classes" in report:
        lines.append(f"  classes: {len(report['classes'])} (argmax regions, refined complex "
                     f"of {report['class_pieces']} pieces)")
        for c in report["classes"]:
            vol = (f", volume fraction {_short(c['volume_fraction'])}"
                   if c["volume_fraction"] is not None else "")
            lines.append(f"    class {c['class']}: {c['n_regions']} pieces{vol}, "
                         f"H = {_groups(c['homology'])}")
        lines.append(f"  H(decision boundary) = {_groups(report['class_boundary']['homology'])}")
    low, man = report.get("low_rank"), report.get("manifold")
    if low is not None:
        frac = low.get("volume_fraction")
        lines.append(f"  low-rank set A (rank of layer {low['layer']} < {low['threshold']}): "
                     f"{low['n_regions']} of {low['n_regions_total']} regions"
                     + (f", volume fraction {_short(frac)}" if frac is not None else ""))
    if man is not None:
        what = "the domain" if man["domain"] else f"{man['n_pieces']} convex pieces"
        lines.append(f"  data manifold M = {what}: H(M) = {_groups(man['homology'])}")
        if not man["domain"] and low is not None:
            mfrac = low.get("manifold_volume_fraction")
            lines.append(f"  A ∩ M: {low['n_regions_in_manifold']} low-rank regions meet M"
                         + (f", volume fraction of M {_short(mfrac)}" if mfrac is not None
                            else ""))
    if low is not None:
        lines.append(f"  H(A ∩ M) = {_groups(low['homology'])}")
        lines.append(f"  H(M, A ∩ M) = {_groups(low['relative_homology'])}")
        seq = low["exact_sequence"]
        if seq["checked"]:
            verdict = "exact" if seq["exact"] else "NOT EXACT: " + "; ".join(seq["failures"][:2])
            how = (f"checked over {', '.join(seq['fields'])}" if seq["fields"]
                   else seq["method"])
            lines.append(f"  long exact sequence of (M, A ∩ M): {verdict} ({how})")
        else:
            lines.append(f"  long exact sequence of (M, A ∩ M): not checked ({seq['reason']})")
    if "generators" in report:
        sizes = {w: sum(len(level) for level in g) for w, g in report["generators"].items()}
        lines.append("  homology generators (checked): "
                     + ", ".join(f"{w} {n}" for w, n in sizes.items()))
    missing = [k for k in ("low_rank", "manifold") if k not in report]
    if missing:
        lines.append(f"  not computed: {', '.join(missing)} (the network has no hidden layer)")
    return "\n".join(lines)
