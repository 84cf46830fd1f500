"""``polytopo verify`` (docs/verify.md): the verdict on the first line, exit statuses
0/2/3, one line on stderr for bad input, nothing written on an error."""

import json

import pytest

from polytopo.cli.app import main

ABS = {"layers": [{"weights": [[1], [-1]], "biases": [0, 0]},
                  {"weights": [[1, 1]], "biases": [0]}]}
HEAD = "(declare-const X_0 Real)\n(declare-const Y_0 Real)\n(assert (>= X_0 -1))\n" \
       "(assert (<= X_0 1))\n"


@pytest.fixture
def files(tmp_path):
    net = tmp_path / "abs.json"
    net.write_text(json.dumps(ABS))

    def vnnlib(name, body):
        p = tmp_path / name
        p.write_text(HEAD + body)
        return str(p)

    return tmp_path, str(net), vnnlib


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_sat_first_line_and_report(files, capsys):
    tmp, net, vnnlib = files
    p = vnnlib("sat.vnnlib", "(assert (>= Y_0 1))\n")
    code, out, err = run(capsys, "verify", net, "--property", p, "--json", str(tmp / "r.json"))
    assert code == 0 and out.splitlines()[0] == "sat", (out, err)
    rep = json.loads((tmp / "r.json").read_text())
    assert rep["property"]["verdict"] == "sat" and rep["property"]["output"] == [1]
    assert rep["output_range"][0]["max"] == 1 and rep["lipschitz"]["l1"]["value"] == 1


def test_unsat_first_line_and_out_alias(files, capsys):
    tmp, net, vnnlib = files
    p = vnnlib("unsat.vnnlib", "(assert (>= Y_0 1.5))\n")
    code, out, _ = run(capsys, "verify", net, "--property", p, "--out", str(tmp / "r.json"))
    assert code == 0 and out.splitlines()[0] == "unsat"
    assert json.loads((tmp / "r.json").read_text())["property"]["verdict"] == "unsat"


def test_domain_options_are_intersected_with_the_property(files, capsys):
    tmp, net, vnnlib = files
    p = vnnlib("p.vnnlib", "(assert (>= Y_0 1))\n")
    code, out, _ = run(capsys, "verify", net, "--property", p, "--box", "-1/2", "1/2")
    assert code == 0 and out.splitlines()[0] == "unsat"


def test_without_a_property(files, capsys):
    tmp, net, _ = files
    code, out, _ = run(capsys, "verify", net, "--box", "-1", "3")
    assert code == 0 and "range [0, 3]" in out and not out.startswith(("sat", "unsat"))


@pytest.mark.parametrize("body,match", [("(assert (>= Y_0 (* X_0 X_0)))\n", "line 5"),
                                        ("(assert (<= Y_0 1)\n", "unbalanced"),
                                        ("(assert (<= Y_1 1))\n", "not declared")])
def test_bad_property_exit_2_nothing_written(files, capsys, body, match):
    tmp, net, vnnlib = files
    p = vnnlib("bad.vnnlib", body)
    code, out, err = run(capsys, "verify", net, "--property", p, "--json", str(tmp / "r.json"))
    assert code == 2 and match in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and not (tmp / "r.json").exists() and out == ""


def test_wrong_dimensions_exit_2(files, capsys):
    tmp, net, _ = files
    p = tmp / "two.vnnlib"
    p.write_text("(declare-const X_0 Real)(declare-const X_1 Real)(declare-const Y_0 Real)"
                 "(assert (>= X_0 0))(assert (<= X_0 1))(assert (>= X_1 0))(assert (<= X_1 1))"
                 "(assert (<= Y_0 0))")
    code, _, err = run(capsys, "verify", net, "--property", str(p))
    assert code == 2 and "declares 2 inputs" in err


def test_limit_exit_3_nothing_written(files, capsys):
    tmp, net, vnnlib = files
    p = vnnlib("p.vnnlib", "(assert (>= Y_0 1))\n")
    code, out, err = run(capsys, "verify", net, "--property", p, "--max-regions", "1",
                         "--json", str(tmp / "r.json"))
    assert code == 3 and "stopped" in err and not (tmp / "r.json").exists()
    assert out == ""
