"""One summary path: analyze, track's checkpoint summary and the reference answer report the
complex summary of one function, from one build of the complex."""

import pytest
from hypothesis import given, settings

from polytopo.analysis import reference as reference_module
from polytopo.analysis import training
from polytopo.analysis.summary import analyze, complex_summary, homology_json, summary_steps
from polytopo.complex import build
from polytopo.complex.build import canonical_complex
from polytopo.exceptions import LimitExceeded
from polytopo.geometry.polytope import Polytope
from polytopo.network.model import Network
from polytopo.testing import networks

KEYS = ("n_regions", "f_vector", "euler_characteristic", "homology")


@settings(max_examples=25, deadline=None)
@given(networks(max_layers=2, max_width=3, output_dim=1))
def test_every_report_has_the_same_summary(net):
    D = Polytope.cube(net.input_dim, -2, 2)
    C = canonical_complex(net, D)
    s = complex_summary(C, net)
    # independent: the decision sets from a second build with the output inserted
    R = canonical_complex(net, D, output=True)
    assert s["homology"]["domain"] == homology_json(C.homology())
    for which in ("positive", "negative", "zero"):
        assert s["homology"][which] == homology_json(R.homology(R.decision_subcomplex(which)))
    assert s["euler_characteristic"] == sum((-1) ** k * n for k, n in enumerate(s["f_vector"]))
    rep = analyze(net, D)
    assert {k: rep[k] for k in KEYS} == s
    assert training.checkpoint_summary(net, D) == {"architecture": list(net.architecture), **s}
    ref = reference_module.reference(net, D)
    assert {k: ref[k] for k in KEYS} == s


def test_vector_output_has_classes_instead_of_decision_sets():
    # h = (relu x, relu y), f = (h1 + h2, h1 - h2): class 0 is maximal everywhere, class 1
    # (tied with it) exactly where relu y = 0
    net = Network.from_lists([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [1, -1]], [0, 0])])
    s = complex_summary(canonical_complex(net, Polytope.cube(2)), net)
    assert list(s["homology"]) == ["domain"] and s["f_vector"] == [9, 12, 4]
    assert [c["volume_fraction"] for c in s["classes"]] == [1, "1/2"]
    assert [h["rank"] for h in s["class_boundary"]["homology"]] == [1, 0, 0]
    assert summary_steps(net) == ["homology of the complex", "refining by the classes",
                                  "homology of the class regions"]


def test_the_complex_is_built_once(monkeypatch):
    net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])   # |x| - 1
    D = Polytope.box([-2], [2])
    builds = []

    def counting(*args, **kwargs):
        builds.append(kwargs.get("output", False))
        return canonical_complex(*args, **kwargs)

    monkeypatch.setattr(training, "canonical_complex", counting)
    monkeypatch.setattr(build, "canonical_complex", counting)
    assert training.checkpoint_summary(net, D)["homology"]["positive"][0]["rank"] == 2
    assert builds == [False]
    ref = reference_module.reference(net, D)
    assert builds == [False, False] and ref["n_regions"] == 2 == len(ref["regions"])


def test_steps_are_reported_around_each_part_and_limits_hold():
    net = Network.from_lists([([[1], [-1]], [0, 0]), ([[1, 1]], [-1])])
    C = canonical_complex(net, Polytope.box([-2], [2]))
    seen = []
    complex_summary(C, net, before=lambda w: seen.append(("before", w)),
                    after=lambda w: seen.append(("after", w)))
    steps = summary_steps(net)
    assert seen == [(when, w) for w in steps for when in ("before", "after")]
    assert steps[1] == "refining by the output" and len(steps) == 5
    with pytest.raises(LimitExceeded, match="more than 2 regions after refining by the output"):
        complex_summary(C, net, max_regions=2)
