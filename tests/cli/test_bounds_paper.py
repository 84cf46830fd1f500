"""``polytopo bounds ARCH --build K --construction paper``: Theorem 13's network of Ergen & Grillo,
built, written and verified exactly; the default construction is unchanged; bad input is one
line and exit status 2."""

import json

import pytest

from polytopo.analysis.expressivity import construction, paper_construction
from polytopo.cli.app import main


def _status(argv):
    """The exit status of ``polytopo ARGV`` (argparse errors included)."""
    try:
        return main(argv)
    except SystemExit as e:
        return e.code


def test_paper_construction_built_written_and_verified(tmp_path, capsys):
    out, rep = tmp_path / "net.json", tmp_path / "bounds.json"
    assert main(["bounds", "2-4-4-4-1", "--build", "1", "--construction", "paper",
                 "--out", str(out), "--verify", "--json", str(rep)]) == 0
    text = capsys.readouterr().out
    assert "Theorem 13" in text and "M = 4" in text
    assert "computed (exact, over Z) for negative: [6, 2, 0]" in text
    assert "Theorem 13 as printed: beta_0..beta_1 = [undefined, undefined]" in text
    assert "Theorem 13 by its proof: beta_0..beta_1 = [6, 2]" in text
    assert "the exact homology agrees with the construction" in text
    assert json.loads(out.read_text()) == paper_construction("2-4-4-4-1", 1).network.to_json()
    obj = json.loads(rep.read_text())
    assert obj["verification"]["agrees"] is True
    assert obj["construction"]["construction"] == "paper"
    assert obj["construction"]["carve"] == [2] and obj["construction"]["offset"] == "1/64"
    assert [r["upper_prop18"] for r in obj["betti"]] == [1331, 1331, 0]


def test_odd_carving_number_shows_where_the_theorem_overcounts(capsys):
    assert main(["bounds", "3-12-9-1", "--build", "2", "--construction", "paper",
                 "--carve", "3,2", "--verify"]) == 0
    text = capsys.readouterr().out
    assert "Theorem 13 by its proof: beta_0..beta_2 = [24, 4, 4]" in text
    assert "computed (exact, over Z) for negative: [18, 2, 4, 0]" in text
    assert "agrees" in text


def test_default_construction_is_polytopos_own(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["bounds", "2-4-4-1", "--build", "1", "--out", str(a)]) == 0
    assert main(["bounds", "2-4-4-1", "--build", "1", "--out", str(b),
                 "--construction", "polytopo"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text()) == construction("2-4-4-1", 1).network.to_json()
    text = capsys.readouterr().out
    assert "construction for beta_1: Construction(2-4-4-1, k=1, q=2, pieces=4, beta_k=4)" in text
    assert "Prop. 18" in text


@pytest.mark.parametrize("argv,message", [
    (["2-4-4-1", "--build", "1", "--construction", "theirs", "--verify"], "invalid choice"),
    (["2-12-1", "--build", "1", "--construction", "paper", "--verify"], "two hidden layers"),
    (["1-4-4-1", "--build", "0", "--construction", "paper", "--verify"], "input dimension"),
    (["2-3-4-1", "--build", "1", "--construction", "paper", "--verify"], "width at least"),
    (["3-12-5-1", "--build", "1", "--construction", "paper", "--verify"], "w_k >= 1"),
    (["2-4-4-1", "--build", "2", "--construction", "paper", "--verify"], "beta_2"),
    (["2-4-4-1", "--build", "1", "--construction", "paper", "--carve", "3", "--verify"],
     "sum(w_k + 2)"),
    (["2-4-4-1", "--build", "1", "--construction", "paper", "--carve", "1,1", "--verify"],
     "integer(s)"),
    (["2-4-4-1", "--build", "1", "--construction", "paper", "--carve", "x", "--verify"],
     "--carve"),
    (["2-4-4-1", "--build", "1", "--carve", "2", "--verify"], "--construction paper"),
    (["2-4-4-1", "--construction", "paper"], "--build"),
])
def test_bad_input_is_one_line_and_status_2(argv, message, tmp_path, capsys):
    out = tmp_path / "n.json"
    assert _status(["bounds", *argv, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""                      # nothing printed before the error
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], captured.err
    assert not out.exists()
