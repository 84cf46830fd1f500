"""polytopo: exact geometry and topology of the linear regions of ReLU networks.

The package root is a small facade for notebooks and scripts; the full API is in the
subpackages (``polytopo.network``, ``polytopo.geometry``, ``polytopo.regions``,
``polytopo.complex``, ``polytopo.topology``, ``polytopo.analysis``, see docs/api.md).
Everything here is imported on first use, so ``import polytopo`` loads no numerical
library.

Examples
--------
>>> import polytopo as pt
>>> rep = pt.analyze(box=(-1, 1))              # the bundled example, as `polytopo analyze`
>>> rep["n_regions"], [h["rank"] for h in rep["homology"]["positive"]]
(8, [1, 1, 0])
>>> found = pt.regions(pt.Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])]),
...                    box=(-2, 3))
>>> [(r.pattern, r.volume) for r in found]
[('+-', Fraction(3, 1)), ('-+', Fraction(2, 1))]

Notes
-----
``pt.analyze`` returns a :class:`Report` (the dict of
:func:`polytopo.analysis.summary.analyze`), ``pt.regions`` a :class:`RegionList` (a list
of :class:`polytopo.regions.Region`); both have ``.to_dataframe()`` (needs pandas: the
``dataframe`` extra). ``pt.regions`` is also the package :mod:`polytopo.regions`: called,
it runs the facade function.
"""

import importlib as _importlib
import os as _os
import sys as _sys
import types as _types

__version__ = "0.1.0"

__all__ = ["analyze", "regions", "canonical_complex", "load_network", "Network", "Polytope",
           "CellComplex", "Region", "Report", "RegionList", "InputError", "LimitExceeded",
           "PointlessQuestion", "__version__"]

#: names imported on first use: name -> (module, attribute)
_LAZY = {
    "Network": ("polytopo.network.model", "Network"),
    "Polytope": ("polytopo.geometry.polytope", "Polytope"),
    "CellComplex": ("polytopo.complex.cells", "CellComplex"),
    "Region": ("polytopo.regions.traversal", "Region"),
    "load_network": ("polytopo.network.io", "load_network"),
    "InputError": ("polytopo.exceptions", "InputError"),
    "LimitExceeded": ("polytopo.exceptions", "LimitExceeded"),
    "PointlessQuestion": ("polytopo.exceptions", "PointlessQuestion"),
}

_EXAMPLE = "example.json"
_PANDAS = "pip install 'polytopo[dataframe]' (or pip install pandas)"


def __getattr__(name):
    if name in _LAZY:
        module, attribute = _LAZY[name]
        value = getattr(_importlib.import_module(module), attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'polytopo' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


# ---------------------------------------------------------------------------------------
# results with a DataFrame view
# ---------------------------------------------------------------------------------------
def _pandas(what):
    try:
        import pandas
    except ImportError:
        raise ImportError(f"{what}.to_dataframe() needs pandas: {_PANDAS}") from None
    return pandas


#: the homology lists of a report, as (row label, path of keys in the report)
_HOMOLOGY_LISTS = (
    ("domain", ("homology", "domain")),
    ("positive", ("homology", "positive")),
    ("negative", ("homology", "negative")),
    ("zero", ("homology", "zero")),
    ("low_rank", ("low_rank", "homology")),
    ("low_rank_relative", ("low_rank", "relative_homology")),
    ("manifold", ("manifold", "homology")),
)


class Report(dict):
    """The report of :func:`analyze`: exactly the dict of
    :func:`polytopo.analysis.summary.analyze` (``polytopo analyze --json``, see
    docs/formats.md), with a table view.

    Examples
    --------
    >>> import polytopo as pt
    >>> rep = pt.analyze(pt.Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])]),
    ...                  box=(-2, 2))                                # |x| - 1
    >>> rep["f_vector"], rep.betti_numbers("positive")
    ([3, 2], [2, 0])
    """

    def betti_numbers(self, which="domain"):
        """``[b_0, …, b_d]`` of one homology list of the report (the row labels of
        :meth:`to_dataframe`: ``"domain"``, ``"positive"``, ``"negative"``, ``"zero"``,
        ``"low_rank"``, ``"low_rank_relative"``, ``"manifold"``)."""
        paths = dict(_HOMOLOGY_LISTS)
        if which not in paths:
            from .exceptions import InputError

            raise InputError(f"unknown homology {which!r}: one of {', '.join(paths)}")
        entries = self._lookup(paths[which])
        if entries is None:
            from .exceptions import InputError

            raise InputError(f"the report has no {which} homology (computed: "
                             f"{', '.join(self.get('computed', []))})")
        return [e["rank"] for e in entries]

    def _lookup(self, path):
        obj = self
        for key in path:
            if not isinstance(obj, dict) or key not in obj:
                return None
            obj = obj[key]
        return obj

    def to_dataframe(self):
        """The report's homology groups as a table: one row per space and dimension.

        Columns ``space`` (``"domain"``, ``"positive"``, ``"negative"``, ``"zero"``,
        ``"low_rank"`` = ``H(A ∩ M)``, ``"low_rank_relative"`` = ``H(M, A ∩ M)``,
        ``"manifold"`` = ``H(M)``; those the report has), ``dimension``, ``rank``,
        ``torsion`` (list of ints) and ``group`` (``"Z^2 ⊕ Z/2"``). Needs pandas.
        """
        pd = _pandas("Report")
        from .topology.homology import HomologyGroup

        rows = []
        for space, path in _HOMOLOGY_LISTS:
            for k, entry in enumerate(self._lookup(path) or ()):
                rows.append({"space": space, "dimension": k, "rank": entry["rank"],
                             "torsion": list(entry["torsion"]),
                             "group": str(HomologyGroup.from_json(entry))})
        return pd.DataFrame(rows, columns=["space", "dimension", "rank", "torsion", "group"])


class RegionList(list):
    """The activation regions of :func:`regions` (:class:`polytopo.regions.Region` records,
    in canonical order), with the network and domain they belong to.

    Attributes
    ----------
    network : Network
    domain : Polytope
    """

    def __init__(self, found=(), *, network=None, domain=None):
        super().__init__(found)
        self.network = network
        self.domain = domain

    def to_dataframe(self):
        """One row per region: ``pattern``, ``rank``, ``volume`` (a ``Fraction``, or None
        without volumes), ``interior_point`` (a tuple of ``Fraction``), ``n_facets`` (rows
        of its irredundant inequalities) and ``polytope``. Numbers stay exact
        (``df.volume.astype(float)`` for plotting). Needs pandas.
        """
        pd = _pandas("RegionList")
        columns = ["pattern", "rank", "volume", "interior_point", "n_facets", "polytope"]
        rows = [(r.pattern, r.rank, r.volume, tuple(r.interior_point), len(r.polytope.b),
                 r.polytope) for r in self]
        return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------
# the facade functions
# ---------------------------------------------------------------------------------------
def _network(network, assume):
    from .network.io import load_network as load
    from .network.model import Network

    if network is None:
        from importlib import resources

        return load(resources.files("polytopo") / "data" / _EXAMPLE)
    if isinstance(network, (str, _os.PathLike)):
        return load(network, assume=assume)
    if not isinstance(network, Network):
        raise TypeError(f"network must be a Network or the path of a network file, got "
                        f"{type(network).__name__}")
    return network


def _inputs(net, box, domain):
    """``(network, domain, slice)``: on a slice (a :class:`~polytopo.geometry.slice.Slice`
    or a slice domain file) the network composed with it and its polytope."""
    from .geometry.slice import Slice

    dom = _domain(box, domain, net.input_dim)
    if isinstance(dom, Slice):
        return dom.compose(net), dom.polytope, dom
    return net, dom, None


def _domain(box, domain, dim):
    from .exceptions import InputError
    from .geometry.polytope import Polytope

    if box is not None and domain is not None:
        raise InputError("give a box or a domain, not both")
    if domain is not None:
        if isinstance(domain, (str, _os.PathLike)):
            from .network.io import load_domain

            return load_domain(domain, dim=dim)
        return domain
    lo, hi = (-1, 1) if box is None else _pair(box)
    scalar = not isinstance(lo, (list, tuple)) and not isinstance(hi, (list, tuple))
    return Polytope.cube(dim, lo, hi) if scalar else Polytope.box(lo, hi)


def _pair(box):
    from .exceptions import InputError
    from .runtime.checks import show

    if isinstance(box, (str, bytes)) or not hasattr(box, "__len__") or len(box) != 2:
        raise InputError(f"box must be a pair (lo, hi), got {show(box)}", field="box")
    return tuple(box)


def analyze(network=None, *, box=None, domain=None, manifold=None, assume=None, **options):
    """The report of ``polytopo analyze``: regions, f-vector, homology of the complex and of
    the decision sets, the low-rank set and ``H(M, A ∩ M)``.

    Parameters
    ----------
    network : Network, str or path, optional
        A network, or a network file (JSON, or a PyTorch state dict with ``assume``);
        default: the bundled example that ``polytopo analyze`` runs with no argument.
    box : (lo, hi), optional
        The domain ``[lo, hi]^d`` (exact numbers: ints, ``Fraction``, ``"p/q"``,
        ``"0.1"``; floats by their exact binary value), or ``∏ [lo_i, hi_i]`` when ``lo``
        and ``hi`` are lists. Default ``(-1, 1)``, as on the command line.
    domain : Polytope, Slice, str or path, optional
        Instead of ``box``: a bounded, full-dimensional polytope, a
        :class:`~polytopo.geometry.slice.Slice` (``Slice.through(points)``: the network is
        analysed in slice coordinates and the report records the slice), or a domain file.
    manifold : list of Polytope, str or path, optional
        The data manifold ``M``, or a manifold file (default: the domain).
    assume : str, optional
        What a PyTorch state dict is (``"linear-relu-chain"``), as ``--assume``.
    **options
        Any keyword of :func:`polytopo.analysis.summary.analyze` (``layer``,
        ``threshold``, ``max_regions``, ``time_limit``, ``executor``, …).

    Returns
    -------
    Report
        The same dict as :func:`polytopo.analysis.summary.analyze`.

    Examples
    --------
    >>> import polytopo as pt
    >>> rep = pt.analyze(box=(-1, 1))
    >>> rep["f_vector"], rep.betti_numbers("zero")
    ([13, 20, 8], [2, 2, 0])
    """
    from .analysis.summary import analyze as _analyze

    net, dom, sl = _inputs(_network(network, assume), box, domain)
    if isinstance(manifold, (str, _os.PathLike)):
        from .network.io import load_manifold

        manifold = load_manifold(manifold, dom.validated())
    rep = _analyze(net, dom, manifold=manifold, **options)
    if sl is not None:
        rep.update(sl.report_fields())
    return Report(rep)


def _regions(network=None, *, box=None, domain=None, engine="complex", volumes=True,
             assume=None, **options):
    """Every activation region of a network on a domain, exactly, in canonical order.

    Parameters
    ----------
    network, box, domain, assume
        As for :func:`analyze`.
    engine : {"complex", "lp"}
        ``"complex"`` (default) reads the regions off the canonical complex
        (:func:`polytopo.complex.activation_regions`); ``"lp"`` runs the reference LP
        traversal (:func:`polytopo.regions.regions`). Both give the same patterns,
        inequalities, ranks and volumes, as ``polytopo regions --engine``.
    volumes : bool
        Compute exact volumes (default True).
    **options
        Any further keyword of the engine's function (``max_regions``, ``layer``,
        ``executor``, ``progress``; ``time_limit`` with ``engine="lp"``).

    Returns
    -------
    RegionList
        A list of :class:`polytopo.regions.Region`, with ``.to_dataframe()``.

    Examples
    --------
    >>> import polytopo as pt
    >>> found = pt.regions(box=(-1, 1))
    >>> len(found), sum(r.volume for r in found)
    (8, Fraction(4, 1))
    """
    from .exceptions import InputError

    net = _network(network, assume)
    net, dom, _ = _inputs(net, box, domain)
    if engine == "complex":
        from .complex.build import activation_regions as run
    elif engine == "lp":
        from .regions.traversal import regions as run
    else:
        from .runtime.checks import show

        raise InputError(f"unknown engine {show(engine)}: complex or lp", field="engine")
    return RegionList(run(net, dom, volumes=volumes, **options), network=net, domain=dom)


_regions.__name__ = _regions.__qualname__ = "regions"


def canonical_complex(network=None, *, box=None, domain=None, assume=None, **options):
    """The canonical polyhedral complex ``C(f, D)`` (a :class:`polytopo.complex.CellComplex`).

    ``network``, ``box``, ``domain`` and ``assume`` as for :func:`analyze`; further
    keywords (``output``, ``max_regions``, ``executor``, ``progress``) go to
    :func:`polytopo.complex.canonical_complex`.

    Examples
    --------
    >>> import polytopo as pt
    >>> C = pt.canonical_complex(box=(-1, 1), output=True)
    >>> C.n_regions, [h.rank for h in C.homology(C.decision_subcomplex("positive"))]
    (16, [1, 1, 0])
    """
    from .complex.build import canonical_complex as build

    net = _network(network, assume)
    net, dom, _ = _inputs(net, box, domain)
    return build(net, dom, **options)


# ---------------------------------------------------------------------------------------
# ``polytopo.regions`` is a subpackage and, at the root, the facade function: the package
# module is made callable (the import system sets it as the root's attribute ``regions``)
# ---------------------------------------------------------------------------------------
class _CallablePackage(_types.ModuleType):
    """A package that, called, runs the facade function of the same name."""

    def __call__(self, *args, **kwargs):
        return _regions(*args, **kwargs)


class _Root(_types.ModuleType):
    @property
    def regions(self):
        module = self.__dict__.get("regions")
        if module is None:
            module = _importlib.import_module("polytopo.regions")
        if not isinstance(module, _CallablePackage):
            module.__class__ = _CallablePackage
        return module

    @regions.setter
    def regions(self, module):
        self.__dict__["regions"] = module

    @regions.deleter
    def regions(self):
        self.__dict__.pop("regions", None)


_CallablePackage.__call__.__doc__ = _regions.__doc__
_sys.modules[__name__].__class__ = _Root
