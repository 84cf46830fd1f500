"""The notebook facade at the package root (``import polytopo as pt``): the same answers as
the modules, a DataFrame view, lazy imports, and clear messages for missing extras."""

import importlib.util
import json
import subprocess
import sys
from fractions import Fraction
from importlib import resources

import pytest

import polytopo as pt
from polytopo.analysis.summary import analyze as module_analyze
from polytopo.complex import activation_regions
from polytopo.complex import canonical_complex as module_complex
from polytopo.exceptions import InputError
from polytopo.geometry.polytope import Polytope
from polytopo.network import Network, load_network
from polytopo.regions import regions as lp_regions

EXAMPLE = resources.files("polytopo") / "data" / "example.json"
HAVE_PANDAS = importlib.util.find_spec("pandas") is not None
needs_pandas = pytest.mark.skipif(not HAVE_PANDAS, reason="pandas (the dataframe extra) "
                                                          "is not installed")


def example():
    return load_network(EXAMPLE)


def run(code):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


# ---- the same answers as the modules ---------------------------------------------------
def test_analyze_of_the_bundled_example_is_the_modules_report():
    rep = pt.analyze(example(), box=(-1, 1))
    assert rep == module_analyze(example(), Polytope.cube(2))
    assert isinstance(rep, dict) and isinstance(rep, pt.Report)
    assert rep["n_regions"] == 8 and rep["f_vector"] == [13, 20, 8]
    assert rep.betti_numbers("positive") == [1, 1, 0]      # the ring 1/4 <= |x|+|y| <= 3/4
    assert rep.betti_numbers("negative") == [2, 1, 0]
    # the default network is the bundled example, the default box [-1, 1]^d, as on the
    # command line; a path works like the network it names
    assert pt.analyze() == rep == pt.analyze(str(EXAMPLE)) == pt.analyze(EXAMPLE)
    assert json.dumps(rep, default=str) == json.dumps(dict(rep), default=str)


def test_analyze_passes_domain_manifold_and_options_through(tmp_path):
    net = example()
    square = Polytope.box(["-1/2", -1], [1, "3/4"])
    piece = Polytope.box([0, 0], ["1/2", "1/2"])
    expected = module_analyze(net, square, manifold=[piece], layer=1, threshold=1)
    assert pt.analyze(net, domain=square, manifold=[piece], layer=1, threshold=1) == expected
    assert pt.analyze(net, box=(["-1/2", -1], [1, "3/4"]), manifold=[piece], layer=1,
                      threshold=1) == expected
    (tmp_path / "d.json").write_text(json.dumps(square.to_json()))
    (tmp_path / "m.json").write_text(json.dumps([piece.to_json()]))
    assert pt.analyze(net, domain=tmp_path / "d.json", manifold=str(tmp_path / "m.json"),
                      layer=1, threshold=1) == expected
    assert expected["low_rank"]["layer"] == 1 and expected["manifold"]["n_pieces"] == 1


@pytest.mark.parametrize("engine", ["complex", "lp"])
def test_regions_are_the_engines_regions(engine):
    found = pt.regions(example(), box=("-1", "1"), engine=engine)
    run_engine = activation_regions if engine == "complex" else lp_regions
    expected = run_engine(example(), Polytope.cube(2))
    assert list(found) == expected and isinstance(found, list)
    assert len(found) == 8 and sum(r.volume for r in found) == 4
    assert found.domain == Polytope.cube(2) and found.network == example()


def test_canonical_complex_is_the_modules_complex():
    C = pt.canonical_complex(example(), box=(-1, 1), output=True)
    M = module_complex(example(), Polytope.cube(2), output=True)
    assert isinstance(C, pt.CellComplex)
    assert C.f_vector() == M.f_vector() and C.n_regions == M.n_regions == 16
    assert C.homology(C.decision_subcomplex("zero")) == M.homology(M.decision_subcomplex("zero"))
    assert [h.rank for h in C.homology(C.decision_subcomplex("zero"))] == [2, 2, 0]


def test_the_root_names_are_the_modules_names():
    from polytopo.complex.cells import CellComplex
    from polytopo.regions.traversal import Region

    assert pt.Network is Network and pt.Polytope is Polytope and pt.CellComplex is CellComplex
    assert pt.Region is Region and pt.load_network is load_network
    assert pt.InputError is InputError
    assert set(pt.__all__) <= set(dir(pt))
    with pytest.raises(AttributeError, match="no attribute 'nonsense'"):
        pt.nonsense  # noqa: B018


def test_pt_regions_is_both_the_function_and_the_package():
    import polytopo.regions.traversal as traversal

    assert pt.regions.traversal is traversal and pt.regions is sys.modules["polytopo.regions"]
    assert pt.regions.regions is traversal.regions is lp_regions
    net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])     # |x|
    found = pt.regions(net, box=(-2, 3))
    assert [(r.pattern, r.volume) for r in found] == [("+-", 3), ("-+", 2)]
    # in a fresh interpreter, whichever comes first: the package or the function
    out = run("import polytopo as pt, polytopo.regions.traversal as t; "
              "print(len(pt.regions(box=(-1, 1))), pt.regions.traversal is t)")
    assert out.stdout.split() == ["8", "True"], out.stderr


# ---- DataFrames -------------------------------------------------------------------------
@needs_pandas
def test_regions_dataframe_rows_are_the_regions_and_sum_to_the_domain_volume():
    domain = Polytope.box([-1, "-1/2"], ["3/2", 1])
    found = pt.regions(example(), domain=domain)
    df = found.to_dataframe()
    assert len(df) == len(found) == module_complex(example(), domain).n_regions
    assert list(df.columns) == ["pattern", "rank", "volume", "interior_point", "n_facets",
                                "polytope"]
    assert sum(df["volume"]) == domain.volume() == Fraction(15, 4)
    assert all(isinstance(v, Fraction) for v in df["volume"])
    assert df["pattern"].is_unique
    for pattern, point in zip(df["pattern"], df["interior_point"]):
        assert example().pattern(point) == pattern
    assert list(df["n_facets"]) == [len(r.polytope.A) for r in found]
    assert df["volume"].astype(float).sum() == pytest.approx(3.75)


@needs_pandas
def test_report_dataframe_lists_every_homology_group():
    rep = pt.analyze(box=(-1, 1))
    df = rep.to_dataframe()
    assert list(df["space"].unique()) == ["domain", "positive", "negative", "zero",
                                          "low_rank", "low_rank_relative", "manifold"]
    assert len(df) == 7 * 3                                      # H_0, H_1, H_2 of each
    positive = df[df["space"] == "positive"]
    assert list(positive["rank"]) == [1, 1, 0] and list(positive["group"]) == ["Z", "Z", "0"]
    assert list(df[df["space"] == "negative"]["group"]) == ["Z^2", "Z", "0"]
    # a vector-valued network has no decision sets: their rows are absent, not empty
    two = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0])])
    spaces = set(pt.analyze(two).to_dataframe()["space"])
    assert spaces == {"domain", "low_rank", "low_rank_relative", "manifold"}


def test_without_pandas_the_dataframe_says_which_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)          # import pandas fails
    found, rep = pt.regions(box=(-1, 1)), pt.analyze(box=(-1, 1))
    for call, what in ((found.to_dataframe, "RegionList"), (rep.to_dataframe, "Report")):
        with pytest.raises(ImportError) as err:
            call()
        assert str(err.value) == (f"{what}.to_dataframe() needs pandas: pip install "
                                  f"'polytopo[dataframe]' (or pip install pandas)")


# ---- bad input --------------------------------------------------------------------------
def test_bad_arguments_are_one_clear_line():
    with pytest.raises(InputError, match="give a box or a domain, not both"):
        pt.analyze(box=(-1, 1), domain=Polytope.cube(2))
    for box in ((-1, 0, 1), 3, "-1 1"):
        with pytest.raises(InputError, match=r"^box: box must be a pair \(lo, hi\)"):
            pt.regions(box=box)
    with pytest.raises(InputError, match="empty box"):
        pt.canonical_complex(box=(1, -1))
    with pytest.raises(InputError, match="unknown engine 'fast': complex or lp"):
        pt.regions(engine="fast")
    with pytest.raises(TypeError, match="network must be a Network or the path"):
        pt.analyze({"layers": []})
    with pytest.raises(InputError, match="no-such-file.json"):
        pt.analyze("no-such-file.json")
    with pytest.raises(InputError, match="unknown homology 'postive'"):
        pt.analyze().betti_numbers("postive")


# ---- import cost and optional dependencies ----------------------------------------------
def test_import_polytopo_loads_no_numerical_library():
    out = run("import sys, polytopo as pt; pt.__version__; pt.__all__; "
              "print([m for m in ('numpy', 'scipy', 'networkx', 'sympy', 'cdd', "
              "'matplotlib', 'pandas', 'torch') if m in sys.modules])")
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr


def test_polytopo_testing_without_hypothesis_names_the_extra():
    out = run("import sys; sys.modules['hypothesis'] = None; import polytopo.testing")
    assert out.returncode == 1
    assert out.stderr.strip().splitlines()[-1] == (
        "ImportError: polytopo.testing needs hypothesis: pip install 'polytopo[test]' "
        "(or pip install hypothesis)")


def test_the_facade_takes_slices(tmp_path):
    import json

    import polytopo as pt
    from polytopo.geometry.slice import Slice
    from polytopo.network.model import Network

    net = Network.from_lists([([[1, -1, 2], [0, 1, 1]], [0, "-1/2"]), ([[1, -1]], [0])])
    s = Slice.through([[0, 0, 0], [1, 0, 0], [0, 1, 1]])
    rep = pt.analyze(net, domain=s)
    assert rep["coordinates"] == "slice" and rep["slice"] == s.to_json()
    assert rep["f_vector"] == pt.analyze(s.compose(net), domain=s.polytope)["f_vector"]
    f = tmp_path / "slice.json"
    f.write_text(json.dumps(s.to_json()))
    assert len(pt.regions(net, domain=str(f))) == rep["n_regions"]
    assert pt.canonical_complex(net, domain=s).n_regions == rep["n_regions"]
