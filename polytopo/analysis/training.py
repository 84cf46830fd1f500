"""Training dynamics: exact regions, f-vector and homology per checkpoint, against the loss.

``polytopo track`` analyses a sequence of checkpoints (JSON networks or PyTorch state dicts)
on one domain, exactly, and sets the numbers against a loss column: a table (CSV, JSON) and
a picture (:func:`polytopo.figures.training.plot_track`). Each checkpoint gets the numbers
``polytopo analyze`` would report for it alone.
"""

__all__ = [
    "checkpoint_summary",
    "track",
    "read_loss_table",
    "match_losses",
    "track_rows",
    "track_csv",
]

import csv
import io as _io
import math
from pathlib import Path

from .. import __version__
from ..runtime import checks as _validate
from ..complex.cells import METHOD as COMPLEX_METHOD
from ..complex.build import canonical_complex
from ..exceptions import InputError
from ..topology.homology import backend as homology_backend
from ..geometry.polytope import check_polytope
from ..network.model import check_network
from .summary import complex_summary

FORMAT = "polytopo.track/1"
SETS = ("domain", "positive", "negative", "zero")


def checkpoint_summary(network, domain=None, *, max_regions=None, progress=None):
    """Number of regions, f-vector, Euler characteristic and homology of one network.

    The same quantities, computed the same way, as ``polytopo analyze`` (docs/formats.md,
    Report): ``n_regions`` and ``f_vector`` of the canonical complex ``C(f, D)``, its Euler
    characteristic, and the integral homology ``H_0 … H_d`` of ``C`` (``domain``) and,
    for a scalar output, of the decision sets ``{f ≥ 0}``, ``{f ≤ 0}``, ``{f = 0}``.

    Parameters
    ----------
    network : Network
    domain : Polytope, optional
        Default ``[-1, 1]^d``.
    max_regions : int, optional
        Stop with :class:`~polytopo.exceptions.LimitExceeded` past this many regions.
    progress : callable, optional
        Passed to :func:`~polytopo.complex.canonical_complex`.

    Returns
    -------
    dict
        ``architecture``, ``n_regions``, ``f_vector``, ``euler_characteristic``,
        ``homology`` (``{"domain": [...], "positive": [...], ...}``, the lists of docs/formats.md,
        Report).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> from polytopo.geometry.polytope import Polytope
    >>> net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])   # |x| - 1
    >>> s = checkpoint_summary(net, Polytope.box([-2], [2]))
    >>> s["n_regions"], s["f_vector"], [h["rank"] for h in s["homology"]["positive"]]
    (2, [3, 2], [2, 0])
    """
    check_network(network)  # canonical_complex checks the rest
    C = canonical_complex(network, domain, max_regions=max_regions, progress=progress)
    # one build: the decision sets come from C refined by the output, as in analyze
    return {"architecture": list(network.architecture),
            **complex_summary(C, network, max_regions=max_regions, domain=domain)}


def _load(item, max_denominator, assume=None, strip_output_activation=False):
    from ..network.io import load_network
    from ..network.model import Network

    if isinstance(item, Network):
        return item, None
    return load_network(item, max_denominator=max_denominator, assume=assume,
                        strip_output_activation=strip_output_activation), str(item)


def track(checkpoints, domain=None, *, names=None, losses=None, x=None, x_name=None,
          max_regions=None, max_denominator=None, progress=None, assume=None,
          strip_output_activation=False):
    """Analyse a sequence of checkpoints exactly, one :func:`checkpoint_summary` each.

    Parameters
    ----------
    checkpoints : sequence of Network or path
        Networks, or files (JSON networks, ``.onnx`` and ``.pt2`` models, ``.pt``/``.pth``
        state dicts read with ``weights_only=True``). All must take the same number of
        inputs.
    domain : Polytope, optional
        One domain for all; default ``[-1, 1]^d``.
    names : sequence of str, optional
        Default the file names (``checkpoint 0, 1, …`` for networks).
    losses : sequence of float, optional
        One loss per checkpoint (a float statistic of training, reported as given).
    x : sequence of float, optional
        The position of each checkpoint on the plot's axis (epoch, step); default the index.
    x_name : str, optional
        Name of ``x`` (e.g. ``"epoch"``).
    max_regions : int, optional
        Per checkpoint; past it :class:`~polytopo.exceptions.LimitExceeded`.
    max_denominator : int, optional
        Round float weights of checkpoint files (default: exact binary values).
    progress : callable, optional
        Called as ``progress(i, n, name)`` before checkpoint ``i`` of ``n``.
    assume : str, optional
        What bare PyTorch state dicts among the checkpoint files are
        (see :func:`polytopo.network.io.load_network`).
    strip_output_activation : bool
        Drop the final Softmax, LogSoftmax, Sigmoid or Tanh of model files.

    Returns
    -------
    dict
        ``format``, how it was computed, ``domain`` and ``checkpoints``: one dict per
        checkpoint (``index``, ``name``, ``x``, ``loss`` when given, and the summary).

    Raises
    ------
    InputError
        Unreadable checkpoints, different input dimensions, lengths that do not match.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> nets = [Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [b])]) for b in (1, -1)]
    >>> rep = track(nets, losses=[0.5, 0.25], x=[0, 10], x_name="epoch")
    >>> [(c["x"], c["loss"], c["homology"]["negative"][0]["rank"]) for c in rep["checkpoints"]]
    [(0, 0.5, 0), (10, 0.25, 1)]
    """
    import os

    from ..network.model import Network
    from ..geometry.polytope import Polytope

    if isinstance(checkpoints, (str, bytes, os.PathLike)) or not hasattr(checkpoints, "__iter__"):
        raise TypeError(f"checkpoints must be a list of networks or files, got "
                        f"{type(checkpoints).__name__}")
    items = list(checkpoints)
    for i, item in enumerate(items):
        if not isinstance(item, (Network, str, os.PathLike)):
            raise TypeError(f"checkpoints[{i}] must be a Network or a file path, got "
                            f"{type(item).__name__}")
    if domain is not None:
        check_polytope(domain)
    _validate.check_positive_int("max_regions", max_regions)
    _validate.check_positive_int("max_denominator", max_denominator)
    _validate.check_callable("progress", progress)
    for what, seq in (("names", names), ("losses", losses), ("x", x)):
        if seq is not None and (isinstance(seq, (str, bytes)) or not hasattr(seq, "__len__")):
            raise TypeError(f"{what} must be a sequence, got {type(seq).__name__}")
    if not items:
        raise InputError("no checkpoints to track")
    n = len(items)
    for what, seq in (("names", names), ("losses", losses), ("x", x)):
        if seq is not None and len(seq) != n:
            raise InputError(f"{len(seq)} {what} for {n} checkpoints")
    results, dim = [], None
    for i, item in enumerate(items):
        name = names[i] if names is not None else None
        if progress is not None:
            progress(i, n, name or str(item))
        net, source = _load(item, max_denominator, assume, strip_output_activation)
        name = name or (Path(source).name if source else f"checkpoint {i}")
        if dim is None:
            dim = net.input_dim
            if domain is None:
                domain = Polytope.cube(dim)
            elif domain.dim != dim:
                raise InputError(f"the domain lives in R^{domain.dim}, the networks take "
                                 f"{dim} inputs", source=source)
        elif net.input_dim != dim:
            raise InputError(f"takes {net.input_dim} inputs, the first checkpoint takes {dim}",
                             source=source or name)
        row = {"index": i, "name": name}
        if x is not None:
            row["x"] = x[i]
        if losses is not None:
            row["loss"] = losses[i]
        row.update(checkpoint_summary(net, domain, max_regions=max_regions))
        results.append(row)
    return {
        "format": FORMAT,
        "polytopo_version": __version__,
        "arithmetic": "exact rational",
        "coefficients": "Z",
        "method": COMPLEX_METHOD,
        "homology_backend": homology_backend(),
        "input_dim": dim,
        "domain": domain.to_json(),
        "x_name": x_name,
        "loss": "as given in the loss table (floating point)" if losses is not None else None,
        "checkpoints": results,
    }


# ---------------------------------------------------------------------------------------
# loss tables
# ---------------------------------------------------------------------------------------
def read_loss_table(path, *, loss_column="loss", x_column=None):
    """Read a CSV table of losses: a header row, one row per checkpoint.

    Columns: ``loss_column`` (required, finite numbers), optionally ``checkpoint``
    (file names, to match rows to checkpoints) and an x-axis column: ``x_column``, or
    by default the first of ``epoch``, ``step``, ``iteration`` present.

    Returns
    -------
    dict
        ``loss`` (list of float), ``checkpoint`` (list of str or None), ``x`` (list of
        float or None), ``x_name``.

    Raises
    ------
    InputError
        Naming the file: unreadable, no header, missing column, non-numeric or
        non-finite entry, no rows.

    Examples
    --------
    >>> import os, tempfile
    >>> path = os.path.join(tempfile.mkdtemp(), "losses.csv")
    >>> _ = open(path, "w").write("checkpoint,epoch,loss\\na.json,0,0.7\\nb.json,5,0.2\\n")
    >>> t = read_loss_table(path)
    >>> t["checkpoint"], t["x_name"], t["x"], t["loss"]
    (['a.json', 'b.json'], 'epoch', [0.0, 5.0], [0.7, 0.2])
    """
    from ..exceptions import first_line
    from ..network.io import read_input_bytes

    source = str(path)
    data = read_input_bytes(path, source=source)  # regular files only, size-capped
    try:
        rows = list(csv.reader(_io.StringIO(data.decode("utf-8-sig"), newline="")))
    except UnicodeDecodeError:
        raise InputError("not a CSV text file (not UTF-8)", source=source) from None
    except csv.Error as e:
        raise InputError(f"not a CSV text file ({first_line(e)})", source=source) from None
    rows = [r for r in rows if any(c.strip() for c in r)]
    if len(rows) < 2:
        raise InputError("a loss table needs a header row and at least one row", source=source)
    header = [h.strip() for h in rows[0]]
    if x_column is None:
        x_column = next((c for c in ("epoch", "step", "iteration") if c in header), None)
    for col in [loss_column] + ([x_column] if x_column else []):
        if col not in header:
            shown = ", ".join(repr(h) for h in header[:20]) + (", ..." if len(header) > 20 else "")
            raise InputError(f"no column {col!r} (columns: {shown})", source=source)

    def column(name, numeric):
        j = header.index(name)
        out = []
        for line, r in enumerate(rows[1:], start=2):
            if j >= len(r):
                raise InputError(f"line {line}: missing {name!r}", source=source)
            cell = r[j].strip()
            if not numeric:
                out.append(cell)
                continue
            try:
                if not cell.isascii():  # float() also reads fullwidth, Arabic-Indic digits
                    raise ValueError(cell)
                v = float(cell)
            except ValueError:
                raise InputError(f"line {line}: {name} {cell!r} is not a number",
                                 source=source) from None
            if not math.isfinite(v):
                raise InputError(f"line {line}: {name} is not finite", source=source)
            out.append(v)
        return out

    return {"loss": column(loss_column, True),
            "checkpoint": column("checkpoint", False) if "checkpoint" in header else None,
            "x": column(x_column, True) if x_column else None,
            "x_name": x_column, "source": source}


def match_losses(table, checkpoints):
    """Reorder a loss table's rows to a list of checkpoint paths.

    Rows are matched by the ``checkpoint`` column (the path as given, or its file name)
    when the table has one, else by position (then the counts must be equal).

    Returns
    -------
    (losses, x) : lists (``x`` None when the table has no x column)

    Examples
    --------
    >>> t = {"loss": [0.7, 0.2], "checkpoint": ["a.json", "b.json"], "x": None, "source": "t"}
    >>> match_losses(t, ["run/b.json", "run/a.json"])
    ([0.2, 0.7], None)
    """
    n = len(checkpoints)
    src = table.get("source")
    if table["checkpoint"] is None:
        if len(table["loss"]) != n:
            raise InputError(f"{len(table['loss'])} rows for {n} checkpoints (add a "
                             f"'checkpoint' column to match rows by file name)", source=src)
        order = list(range(n))
    else:
        index = {}
        for i, name in enumerate(table["checkpoint"]):
            index.setdefault(name, i)
            index.setdefault(Path(name).name, i)
        order = []
        for c in checkpoints:
            i = index.get(str(c), index.get(Path(str(c)).name))
            if i is None:
                raise InputError(f"no row for checkpoint {Path(str(c)).name!r}", source=src)
            order.append(i)
    losses = [table["loss"][i] for i in order]
    x = None if table["x"] is None else [table["x"][i] for i in order]
    return losses, x


# ---------------------------------------------------------------------------------------
# tables (the picture: polytopo.figures.training; the command: polytopo.cli.track)
# ---------------------------------------------------------------------------------------
def _betti(entries):
    return [e["rank"] for e in entries]


def _torsion(entries):
    return "; ".join(f"H{k}: " + " + ".join(f"Z/{t}" for t in e["torsion"])
                     for k, e in enumerate(entries) if e["torsion"])


def track_rows(report):
    """Flat table rows (dicts) of a :func:`track` report: one per checkpoint.

    Columns ``index``, ``checkpoint``, the x column, ``loss``, ``n_regions``,
    ``euler_characteristic``, ``f_0 … f_d`` and ``b{k}_{set}`` (Betti number ``k`` of
    ``domain``, ``positive``, ``negative``, ``zero``); a ``torsion_{set}`` column when
    any torsion occurs; for a classifier ``volume_class{i}``, ``b{k}_class{i}`` and
    ``b{k}_boundary`` (the decision regions and boundary of the classes).

    Examples
    --------
    >>> from polytopo.network import Network
    >>> rep = track([Network.from_lists([([[1]], [0]), ([[1]], ["-1/2"])])])
    >>> row = track_rows(rep)[0]
    >>> row["n_regions"], row["f_0"], row["b0_positive"], row["b0_negative"]
    (2, 3, 1, 1)
    """
    d = report["input_dim"]
    xname = report.get("x_name") or "x"
    torsion = {s: any(_torsion(c["homology"][s]) for c in report["checkpoints"]
                      if s in c["homology"]) for s in SETS}
    rows = []
    for c in report["checkpoints"]:
        row = {"index": c["index"], "checkpoint": c["name"]}
        if "x" in c:
            row[xname] = c["x"]
        if "loss" in c:
            row["loss"] = c["loss"]
        row["n_regions"] = c["n_regions"]
        row["euler_characteristic"] = c["euler_characteristic"]
        row.update({f"f_{k}": c["f_vector"][k] for k in range(d + 1)})
        for s in SETS:
            if s in c["homology"]:
                row.update({f"b{k}_{s}": b for k, b in enumerate(_betti(c["homology"][s]))})
                if torsion[s]:
                    row[f"torsion_{s}"] = _torsion(c["homology"][s])
        for i, cl in enumerate(c.get("classes", ())):   # a classifier: per class
            row[f"volume_class{i}"] = cl["volume_fraction"]
            row.update({f"b{k}_class{i}": b for k, b in enumerate(_betti(cl["homology"]))})
        if "class_boundary" in c:
            row.update({f"b{k}_boundary": b
                        for k, b in enumerate(_betti(c["class_boundary"]["homology"]))})
        rows.append(row)
    return rows


def track_csv(report):
    """:func:`track_rows` as CSV text (a header of every column, one line per checkpoint);
    ``polytopo track --csv`` writes it.

    Examples
    --------
    >>> from polytopo.network import Network
    >>> print(track_csv(track([Network.from_lists([([[1]], [0]), ([[1]], ["-1/2"])])])), end="")
    index,checkpoint,n_regions,euler_characteristic,f_0,f_1,b0_domain,b1_domain,b0_positive,b1_positive,b0_negative,b1_negative,b0_zero,b1_zero
    0,checkpoint 0,2,1,3,2,1,0,1,0,1,0,1,0
    """
    rows = track_rows(report)
    fields = []
    for r in rows:
        fields += [k for k in r if k not in fields]
    buf = _io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()
