"""Pictures of networks: files of the asked format, one polygon per region, refusals.

The number of regions a picture must show is known by hand (lines through the square) or
from the independent brute force over sign vectors.
"""

from fractions import Fraction
from pathlib import Path

import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from matplotlib.patches import Polygon  # noqa: E402

from polytopo.exceptions import InputError  # noqa: E402
from polytopo.figures.network_plot import plot_network  # noqa: E402
from polytopo.geometry.polytope import Polytope  # noqa: E402
from polytopo.network.io import load_network  # noqa: E402
from polytopo.network.model import Network  # noqa: E402
from polytopo.regions import brute_force_patterns, regions  # noqa: E402
from polytopo.testing import networks  # noqa: E402

F = Fraction
EXAMPLE = Path(__file__).resolve().parents[2] / "polytopo" / "data" / "example.json"
SQUARE = Polytope.cube(2)
INTERVAL = Polytope.cube(1)
#: the lines x = 0, y = 0, x + y = 1/2 (7 regions in the square), f = their relus' sum
THREE_LINES = Network.from_lists([([[1, 0], [0, 1], [1, 1]], [0, 0, "-1/2"]),
                                  ([[1, 1, 1]], [0])])
RELU_MINUS_HALF = Network.from_lists([([[1]], [0]), ([[1]], ["-1/2"])])

MAGIC = {"png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
         "pdf": lambda b: b.startswith(b"%PDF-"),
         "svg": lambda b: b"<svg" in b[:2000] and b.lstrip().startswith(b"<?xml")}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def filled_polygons(ax):
    return [p for p in ax.patches if isinstance(p, Polygon) and p.get_fill()]


def hatched_polygons(ax):
    return [p for p in ax.patches if isinstance(p, Polygon) and not p.get_fill()]


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_two_input_picture_files(tmp_path, ext):
    path = tmp_path / f"pic.{ext}"
    fig = plot_network(THREE_LINES, SQUARE, path)
    data = path.read_bytes()
    assert MAGIC[ext](data), data[:40]
    assert fig is not None and hasattr(fig, "savefig")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"pic.{ext}"]  # no temporary left


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_one_input_picture_files(tmp_path, ext):
    path = tmp_path / f"graph.{ext}"
    plot_network(RELU_MINUS_HALF, INTERVAL, str(path))
    assert MAGIC[ext](path.read_bytes())


def test_upper_case_suffix_and_no_suffix(tmp_path):
    plot_network(THREE_LINES, SQUARE, tmp_path / "pic.PNG")
    assert MAGIC["png"]((tmp_path / "pic.PNG").read_bytes())
    plot_network(THREE_LINES, SQUARE, tmp_path / "picture")  # no suffix: PNG
    assert MAGIC["png"]((tmp_path / "picture").read_bytes())


def test_no_path_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fig = plot_network(THREE_LINES, SQUARE)
    assert hasattr(fig, "savefig")
    assert list(tmp_path.iterdir()) == []


def test_one_filled_polygon_per_region_three_lines():
    fig, ax = plt.subplots()
    out = plot_network(THREE_LINES, SQUARE, ax=ax, title="three lines")
    assert out is fig
    assert ax.get_title() == "three lines"
    # 3 lines in general position crossing inside the square: 1 + 3 + 3 regions
    assert len(filled_polygons(ax)) == 7
    # the polygons tile the square: their areas (shoelace, floats of exact vertices) sum to 4
    total = 0.0
    for p in filled_polygons(ax):
        xy = p.get_xy()
        total += 0.5 * abs(sum(xy[i][0] * xy[i + 1][1] - xy[i + 1][0] * xy[i][1]
                               for i in range(len(xy) - 1)))
    assert total == pytest.approx(4.0, abs=1e-12)


def test_example_picture_regions_hatching_and_boundary():
    net = load_network(EXAMPLE)
    fig, ax = plt.subplots()
    plot_network(net, SQUARE, ax=ax)
    # 4 quadrants, each cut by |x| + |y| = 1/2
    assert len(filled_polygons(ax)) == 8
    # the ring 1/4 <= |x| + |y| <= 3/4 where f >= 0 meets all 8 regions in an area
    assert len(hatched_polygons(ax)) == 8
    # the decision boundary is drawn in black: segments on |x| + |y| = 1/4 or 3/4
    black = [ln for ln in ax.lines if matplotlib.colors.to_rgba(ln.get_color()) == (0, 0, 0, 1)]
    assert black
    ends = set()
    for ln in black:
        for x, y in ln.get_xydata():
            s = abs(x) + abs(y)
            assert s == pytest.approx(0.25) or s == pytest.approx(0.75)
            ends.add((round(x, 9), round(y, 9)))
    for r in (0.25, 0.75):  # both diamonds' vertices are on the boundary drawn
        for v in ((r, 0), (-r, 0), (0, r), (0, -r)):
            assert (round(v[0], 9) + 0.0, round(v[1], 9) + 0.0) in {(a + 0.0, b + 0.0)
                                                                     for a, b in ends}


def test_given_regions_are_used():
    found = regions(THREE_LINES, SQUARE, volumes=False)
    fig, ax = plt.subplots()
    plot_network(THREE_LINES, SQUARE, regions=found[:3], ax=ax)
    assert len(filled_polygons(ax)) == 3


def test_vector_output_has_no_hatching():
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 0], [0, 1]], [0, 0])])
    fig, ax = plt.subplots()
    plot_network(net, SQUARE, ax=ax)
    # f = (relu x, relu y): the quadrants outlined; class pieces: x > 0 > y, y > 0 > x, the
    # positive quadrant cut by x = y, and the negative quadrant (a tie: f = 0 there)
    assert len(hatched_polygons(ax)) == 4 and all(p.get_hatch() is None
                                                  for p in hatched_polygons(ax))
    assert len(filled_polygons(ax)) == 5


@settings(max_examples=15)
@given(networks(input_dim=2, max_layers=2, max_width=3))
def test_one_polygon_per_region_property(net):
    fig, ax = plt.subplots()
    try:
        plot_network(net, SQUARE, ax=ax)
        assert len(filled_polygons(ax)) == len(brute_force_patterns(net, SQUARE))
    finally:
        plt.close(fig)


def test_one_input_graph_and_breakpoints():
    fig, ax = plt.subplots()
    plot_network(RELU_MINUS_HALF, INTERVAL, ax=ax)
    # breakpoints: the ends of [-1, 1] and the kink at 0; f = relu(x) - 1/2 there
    pts = sorted(map(tuple, ax.collections[0].get_offsets().tolist()))
    assert pts == [(-1.0, -0.5), (0.0, -0.5), (1.0, 0.5)]
    graph = [ln for ln in ax.lines if len(ln.get_xdata()) == 3]
    assert graph and list(graph[0].get_xdata()) == [-1.0, 0.0, 1.0]
    assert list(graph[0].get_ydata()) == [-0.5, -0.5, 0.5]


def test_one_input_with_several_kinks():
    # f = relu(x) + relu(x - 1/2) - 2 relu(-x - 1/3): kinks at -1/3, 0, 1/2
    net = Network.from_lists([([[1], [1], [-1]], [0, "-1/2", "-1/3"]), ([[1, 1, -2]], [0])])
    fig, ax = plt.subplots()
    plot_network(net, INTERVAL, ax=ax)
    xs = sorted(x for x, _ in ax.collections[0].get_offsets().tolist())
    assert xs == pytest.approx([-1, -1 / 3, 0, 0.5, 1])


def test_three_inputs_are_refused(tmp_path):
    net = Network.from_lists([([[1, 0, 0]], [0]), ([[1]], [0])])
    with pytest.raises(InputError, match="3 inputs"):
        plot_network(net, Polytope.cube(3), tmp_path / "pic.png")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["pic.xyz", "pic.png.bak", "pic.doc"])
def test_bad_extension_is_an_input_error_and_leaves_no_file(tmp_path, name):
    with pytest.raises(InputError):
        plot_network(THREE_LINES, SQUARE, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_classes_are_coloured_and_their_boundary_drawn():
    # r = |x| + |y|; f = (1 - 2r, 0, r - 1): three classes, boundaries r = 1/2 and r = 1
    fold = ([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0])
    net = Network.from_lists([fold, ([[-2] * 4, [0] * 4, [1] * 4], [1, 0, -1])])
    fig, ax = plt.subplots()
    plot_network(net, Polytope.cube(2, -2, 2), ax=ax)
    assert ax.get_title().endswith("4 regions, 3 classes")
    pieces = filled_polygons(ax)
    colours = {p.get_facecolor()[:3] for p in pieces}
    assert len(colours) == 3                              # one colour per class
    area = 0.0
    for p in pieces:
        xy = p.get_xy()
        area += 0.5 * abs(sum(xy[i][0] * xy[i + 1][1] - xy[i + 1][0] * xy[i][1]
                              for i in range(len(xy) - 1)))
    assert area == pytest.approx(16.0, abs=1e-12)        # the pieces tile the box
    black = [ln for ln in ax.lines if matplotlib.colors.to_rgba(ln.get_color()) == (0, 0, 0, 1)]
    # each diamond: 4 sides, each cut by the axes into... 1 edge per quadrant: 8 edges
    assert len(black) == 8
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["class 0", "class 1",
                                                                  "class 2"]
