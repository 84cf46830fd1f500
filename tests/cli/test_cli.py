import json
import random
import re
import subprocess
import sys
from fractions import Fraction

import pytest

from polytopo.cli.app import main

NET = {"layers": [{"weights": [[1, 0], [0, 1]], "biases": [0, 0]},
                  {"weights": [[1, 1]], "biases": [0]}]}


def _write(tmp_path, name, content):
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content if isinstance(content, str) else json.dumps(content))
    return str(p)


def test_regions_command_writes_exact_json(tmp_path, capsys):
    net = _write(tmp_path, "net.json", NET)
    out = tmp_path / "out.json"
    assert main(["regions", net, "--box", "-1/2", "1", "--json", str(out)]) == 0
    rep = json.loads(out.read_text())
    assert rep["n_regions"] == 4
    assert [r["pattern"] for r in rep["regions"]] == ["++", "+-", "-+", "--"]
    vols = [Fraction(r["volume"]) for r in rep["regions"]]
    assert vols == [1, Fraction(1, 2), Fraction(1, 2), Fraction(1, 4)]
    for r in rep["regions"]:
        assert len(r["inequalities"]["A"]) == len(r["inequalities"]["b"]) == 4
        for x in r["interior_point"]:
            assert isinstance(x, int) or "/" in x


def test_analyze_bundled_example(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["analyze", "--json", str(out)]) == 0
    assert "bundled example" in capsys.readouterr().out
    rep = json.loads(out.read_text())
    assert rep["n_regions"] == 8 and rep["input_dim"] == 2
    assert rep["f_vector"] == [13, 20, 8] and rep["euler_characteristic"] == 1
    betti = {k: [g["rank"] for g in v] for k, v in rep["homology"].items()}
    assert betti == {"domain": [1, 0, 0], "positive": [1, 1, 0], "negative": [2, 1, 0],
                     "zero": [2, 2, 0]}


def test_analyze_no_volumes(tmp_path, capsys):
    out, ref = tmp_path / "r.json", tmp_path / "full.json"
    assert main(["analyze", "--no-volumes", "--json", str(out)]) == 0
    text = capsys.readouterr().out
    assert "volume fraction" not in text and "8 of 8 regions" in text
    assert main(["analyze", "--json", str(ref)]) == 0
    rep, full = json.loads(out.read_text()), json.loads(ref.read_text())
    assert rep["low_rank"]["volume_fraction"] is None and full["low_rank"]["volume_fraction"] == 1
    assert rep["manifold"]["volume"] is None and full["manifold"]["volume"] == 4
    assert rep["homology"] == full["homology"] and rep["f_vector"] == full["f_vector"]


BAD = [
    ("malformed.json", "{ not json", "malformed JSON"),
    ("nan.json", '{"layers": [{"weights": [[NaN]], "biases": [0]}]}', "non-finite"),
    ("inf.json", '{"layers": [{"weights": [[1e999]], "biases": [0]}]}', "non-finite"),
    ("binary.json", b"\xff\xfe\x00garbage", "not UTF-8"),
    ("shape.json", {"layers": [{"weights": [[1, 2]], "biases": [0]},
                               {"weights": [[1, 2]], "biases": [0]}]}, "previous layer"),
    ("empty.json", {"layers": []}, "non-empty"),
    ("string.json", {"layers": [{"weights": [["one"]], "biases": [0]}]}, "not a number"),
    ("list.json", [1, 2, 3], "JSON object"),
    ("bigint.json", '{"layers": [{"weights": [[' + "9" * 5000 + ']], "biases": [0]}]}', "JSON"),
]


@pytest.mark.parametrize("name,content,message", BAD, ids=[b[0] for b in BAD])
def test_bad_network_exit_2_one_line_no_file(tmp_path, capsys, name, content, message):
    net = _write(tmp_path, name, content)
    out = tmp_path / "out.json"
    assert main(["regions", net, "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and name in err[0]
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / name]   # no temporary file left either


@pytest.mark.parametrize("domain,message", [
    ({"A": [[1, 0], [-1, 0]], "b": [1, 1]}, "unbounded"),
    ({"A": [[1, 0], [-1, 0], [0, 1], [0, -1]], "b": [0, 0, 1, 1]}, "not full-dimensional"),
    ({"A": [[1, 0, 0]], "b": [1]}, "dimension"),
    ({"A": [[1, 0]], "b": [1, 2]}, "rows"),
    ({"A": "x", "b": [1]}, "list"),
])
def test_bad_domain(tmp_path, capsys, domain, message):
    net = _write(tmp_path, "net.json", NET)
    dom = _write(tmp_path, "dom.json", domain)
    out = tmp_path / "out.json"
    assert main(["regions", net, "--domain", dom, "--json", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not out.exists()


@pytest.mark.parametrize("args,message", [
    (["--box", "1", "-1"], "LO"), (["--box", "a", "1"], "not a number"),
])
def test_bad_box(tmp_path, capsys, args, message):
    net = _write(tmp_path, "net.json", NET)
    assert main(["analyze", net, *args]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_and_usage_errors(tmp_path, capsys):
    assert main(["analyze", str(tmp_path / "nope.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as e:
        main(["regions"])
    assert e.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_limit_exit_3(tmp_path, capsys):
    net = _write(tmp_path, "net.json", NET)
    out = tmp_path / "out.json"
    assert main(["regions", net, "--max-regions", "2", "--json", str(out)]) == 3
    assert "more than 2 regions" in capsys.readouterr().err and not out.exists()


def test_console_script_runs_without_traceback(tmp_path):
    bad = _write(tmp_path, "bad.json", "{")
    p = subprocess.run([sys.executable, "-m", "polytopo.cli", "analyze", bad],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "Traceback" not in p.stderr


def test_plot_and_convert(tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="the optional 'plot' extra is not installed")
    net = _write(tmp_path, "net.json", NET)
    pic = tmp_path / "p.png"
    assert main(["analyze", net, "--plot", str(pic)]) == 0
    assert pic.read_bytes()[:4] == b"\x89PNG"
    out = tmp_path / "copy.json"
    assert main(["convert", net, "--out", str(out)]) == 0
    from polytopo.network.io import load_network

    assert load_network(out) == load_network(net)


def test_plot_refuses_3d(tmp_path, capsys):
    net = _write(tmp_path, "net3.json", {"layers": [{"weights": [[1, 0, 0]], "biases": [0]},
                                                   {"weights": [[1]], "biases": [0]}]})
    assert main(["plot", net, "--out", str(tmp_path / "p.png")]) == 2
    assert "1- or 2-input" in capsys.readouterr().err
    assert not (tmp_path / "p.png").exists()


def test_pytorch_state_dict_file(tmp_path, capsys):
    torch = pytest.importorskip("torch", reason="the optional 'torch' extra is not installed")
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    torch.save(model.state_dict(), tmp_path / "m.pt")
    out = tmp_path / "m.json"
    assert main(["convert", str(tmp_path / "m.pt"), "--out", str(out)]) == 2  # no silent guess
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--assume linear-relu-chain" in err[0] and not out.exists()
    assert main(["convert", str(tmp_path / "m.pt"), "--out", str(out),
                 "--assume", "linear-relu-chain"]) == 0
    from polytopo.network.io import load_network
    from polytopo.network.model import Network

    assert load_network(out) == Network.from_torch(model)
    (tmp_path / "evil.pt").write_bytes(b"not a torch file")
    assert main(["analyze", str(tmp_path / "evil.pt")]) == 2
    assert "cannot read PyTorch file" in capsys.readouterr().err


def test_time_limit_exit_3(tmp_path, capsys):
    net = _write(tmp_path, "net.json", NET)
    out = tmp_path / "out.json"
    assert main(["regions", net, "--time-limit", "1e-9", "--json", str(out)]) == 3
    assert "time limit" in capsys.readouterr().err and not out.exists()


def test_jobs_gives_the_same_file(tmp_path, capsys):
    net = _write(tmp_path, "net.json", NET)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["regions", net, "--json", str(a)]) == 0
    assert main(["regions", net, "--engine", "lp", "--json", str(a)]) == 0
    assert main(["regions", net, "--engine", "lp", "--jobs", "2", "--json", str(b)]) == 0
    assert a.read_text() == b.read_text()


def _random_net(arch, seed):
    rnd = random.Random(seed)
    return {"layers": [{"weights": [[rnd.randint(-3, 3) for _ in range(m)] for _ in range(n)],
                        "biases": [rnd.randint(-3, 3) for _ in range(n)]}
                       for m, n in zip(arch, arch[1:])]}


def test_jobs_with_the_complex_engine_and_analyze(tmp_path, capsys):
    # large enough that the work really is shared out between two processes
    net = _write(tmp_path, "net.json", _random_net([2, 8, 8, 1], 3))
    files = {}
    for jobs in ("1", "2"):
        files[jobs] = tmp_path / f"regions{jobs}.json", tmp_path / f"report{jobs}.json"
        assert main(["regions", net, "--jobs", jobs, "--box", "-3", "3",
                     "--json", str(files[jobs][0])]) == 0
        assert main(["analyze", net, "--jobs", jobs, "--box", "-3", "3",
                     "--json", str(files[jobs][1])]) == 0
    assert json.loads(files["1"][0].read_text())["n_regions"] > 20
    assert files["1"][0].read_text() == files["2"][0].read_text()
    assert files["1"][1].read_text() == files["2"][1].read_text()
    with pytest.raises(SystemExit) as e:  # argparse: one line, status 2
        main(["regions", net, "--jobs", "0", "--json", str(tmp_path / "x.json")])
    assert e.value.code == 2
    assert "--jobs" in capsys.readouterr().err and not (tmp_path / "x.json").exists()


def test_engines_agree_on_the_regions_file(tmp_path, capsys):
    net = _write(tmp_path, "net.json", {"layers": [
        {"weights": [[1, 0], [0, 1], [1, 1], [1, -1]], "biases": [0, 0, 0, "1/2"]},
        {"weights": [[1, 1, -1, 1], [2, -1, 0, 1]], "biases": [0, -1]},
        {"weights": [[1, 1]], "biases": [0]}]})
    out = {}
    for engine in ("lp", "complex"):
        path = tmp_path / f"{engine}.json"
        assert main(["regions", net, "--engine", engine, "--json", str(path)]) == 0
        rep = json.loads(path.read_text())
        out[engine] = [{k: v for k, v in r.items() if k != "interior_point"} for r in rep["regions"]]
    assert out["lp"] == out["complex"] and len(out["lp"]) > 6


def test_progress_goes_to_stderr_only():
    import io

    from polytopo.runtime.progress import Progress

    err = io.StringIO()
    bar = Progress("layer", total=2, stream=err, force=True)
    bar.update(2, "7 regions")
    bar.close()
    assert "2/2" in err.getvalue() and "7 regions" in err.getvalue()


def test_analyze_shows_the_complex_then_each_stage(tmp_path, capsys, monkeypatch):
    from polytopo.runtime import progress

    init = progress.Progress.__init__
    monkeypatch.setattr(progress.Progress, "__init__",
                        lambda self, *a, **k: init(self, *a, **{**k, "force": True}))
    net = _write(tmp_path, "net.json", NET)
    assert main(["analyze", net]) == 0
    out, err = capsys.readouterr()
    assert "\r" not in out and "activation regions" in out
    lines = err.split("\n")
    assert "cell complex: neurons" in lines[0] and "regions" in lines[0]
    stages = lines[1].split("\r")
    assert [re.search(r"\] (.*?) +[0-9.]+s", s).group(1) for s in stages if s] == [
        "1/6 homology of the complex", "2/6 refining by the output",
        "3/6 homology of the positive set", "4/6 homology of the negative set",
        "5/6 homology of the zero set", "6/6 the low-rank set and H(M, A)"]
    assert lines[2:] == [""]


@pytest.mark.parametrize("engine", ["lp", "complex"])
def test_jsonl_stream_matches_json(tmp_path, capsys, engine):
    net = _write(tmp_path, "net.json", NET)
    a, b = tmp_path / "a.json", tmp_path / "b.jsonl"
    assert main(["regions", net, "--engine", engine, "--json", str(a)]) == 0
    assert main(["regions", net, "--engine", engine, "--jsonl", str(b)]) == 0
    lines = [json.loads(x) for x in b.read_text().splitlines()]
    assert lines[0]["format"] == "polytopo.regions/1"
    assert lines[-1] == {"n_regions": 4, "complete": True}
    assert lines[1:-1] == json.loads(a.read_text())["regions"]


def test_jsonl_limit_leaves_no_file(tmp_path, capsys):
    net = _write(tmp_path, "net.json", NET)
    out = tmp_path / "o.jsonl"
    assert main(["regions", net, "--engine", "lp", "--max-regions", "2", "--jsonl", str(out)]) == 3
    assert list(tmp_path.iterdir()) == [tmp_path / "net.json"]


def test_max_regions_counts_the_manifold_refinement(tmp_path, capsys):
    # relu(x) + relu(y): 4 regions on the square; the manifold [-1/2, 1/2]^2 cuts each of
    # them into 4 more pieces (16 after refinement): --max-regions 4 passes the complex
    # and must stop at the manifold, with exit status 3 and no report
    net = _write(tmp_path, "net.json", {"layers": [
        {"weights": [[1, 0], [0, 1]], "biases": [0, 0]}, {"weights": [[1, 1]], "biases": [0]}]})
    man = _write(tmp_path, "m.json", [{"A": [[1, 0], [-1, 0], [0, 1], [0, -1]],
                                       "b": ["1/2", "1/2", "1/2", "1/2"]}])
    out = tmp_path / "r.json"
    assert main(["analyze", net, "--manifold", man, "--max-regions", "4",
                 "--json", str(out)]) == 3
    err = capsys.readouterr().err
    assert "manifold" in err and not out.exists()
    assert main(["analyze", net, "--manifold", man, "--max-regions", "16",
                 "--json", str(out)]) == 0


def test_max_regions_counts_the_output_refinement(tmp_path, capsys):
    # relu(x) - 1/2 on the square: 2 activation regions, cut by f = 0 into 3 cells of the
    # decision sets' complex: --max-regions 2 passes the complex and stops at the output
    net = _write(tmp_path, "net.json", {"layers": [
        {"weights": [[1, 0]], "biases": [0]}, {"weights": [[1]], "biases": ["-1/2"]}]})
    out = tmp_path / "r.json"
    assert main(["analyze", net, "--max-regions", "2", "--json", str(out)]) == 3
    assert "output" in capsys.readouterr().err and not out.exists()
    assert main(["analyze", net, "--max-regions", "3", "--json", str(out)]) == 0
    assert json.loads(out.read_text())["n_regions"] == 2


def test_building_the_parser_imports_no_analysis():
    # `polytopo --help` must start fast: declaring options needs argparse, not the analyses
    # (networkx, SciPy, ...), which are imported only when their command runs. A fresh
    # interpreter, so that modules imported by other tests do not hide an import.
    code = ("import sys, polytopo.cli.app as c; c._parser(); "
            "print(' '.join(sorted(m for m in sys.modules if m.split('.')[0] in "
            "('networkx', 'scipy', 'numpy', 'matplotlib', 'torch') "
            "or m.startswith('polytopo.analysis'))))")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == []


def test_ricci_conventions_match_the_curvature_module():
    from polytopo.analysis.curvature import CONVENTIONS
    from polytopo.cli.options import RICCI_CONVENTIONS

    assert RICCI_CONVENTIONS == CONVENTIONS


def test_analysis_commands_run_from_the_command_line(tmp_path, capsys):
    from polytopo.cli.app import COMMANDS, parse_args

    net = _write(tmp_path, "net.json", NET)
    assert main(["dual-graph", net, "--box", "-1/2", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dual graph of Network(2-2-1) on the domain: 4 regions")
    assert COMMANDS["dual-graph"].run(parse_args(["dual-graph", net, "--box", " -1/2", "1"])) == 0
    assert capsys.readouterr().out == out
    assert main(["bounds", "1-2-2-1"]) == 0
    assert "activation regions: at most 9" in capsys.readouterr().out


@pytest.mark.parametrize("command,args,message", [
    ("dual-graph", ["--max-regions", "0"], "--max-regions must be a positive integer"),
    ("track", ["--max-denominator", "0"], "--max-denominator must be a positive integer"),
    ("convert", ["--out", "o.json", "--max-denominator", "0"],
     "--max-denominator must be a positive integer"),
    ("layers", ["x.npy", "--resolution", "0"], "--resolution must be a positive integer"),
    ("layers", ["x.npy", "--ricci-convention", "flat"], "invalid choice: 'flat'"),
    ("dual-graph", ["--box", "-x", "1"], "not a number: '-x'"),
    ("analyze", ["--box", "-x", "1"], "not a number: '-x'"),
    ("track", ["--box", "2", "1"], "LO (2) must be below HI (1)"),
])
def test_analysis_commands_bad_input_exit_2_one_line(tmp_path, capsys, monkeypatch, command,
                                                     args, message):
    monkeypatch.chdir(tmp_path)
    net = _write(tmp_path, "net.json", NET)
    try:
        status = main([command, net, *args])
    except SystemExit as e:  # an argparse usage error
        status = e.code
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and message in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"]


@pytest.mark.parametrize("command", ["track", "dual-graph", "layers", "reference", "regions"])
def test_every_network_reader_needs_assume_for_a_state_dict(tmp_path, capsys, command):
    torch = pytest.importorskip("torch", reason="the optional 'torch' extra is not installed")
    import numpy as np

    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 1))
    pt = tmp_path / "m.pt"
    torch.save(model.state_dict(), pt)
    out = tmp_path / "o.json"
    extra = {"layers": [str(tmp_path / "x.npy"), "--k", "3"]}.get(command, [])
    np.save(tmp_path / "x.npy", np.arange(40, dtype=float).reshape(20, 2))
    argv = [command, str(pt), *extra, "--json", str(out)]
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--assume linear-relu-chain" in err[0] and not out.exists()
    assert main(argv + ["--assume", "linear-relu-chain"]) == 0
    assert json.loads(out.read_text())


# ---- one module per command ------------------------------------------------------------
def test_one_module_per_command_in_the_order_of_the_help(capsys):
    import ast
    import importlib

    from polytopo.cli.app import COMMANDS

    assert list(COMMANDS) == ["analyze", "regions", "plot", "convert", "reference", "compare",
                              "verify", "layers", "dual-graph", "track", "bounds", "experiment"]
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = re.search(r"\{([\w,-]+)\}", capsys.readouterr().out).group(1).split(",")
    assert listed == list(COMMANDS)
    for name, module in COMMANDS.items():
        assert module.__name__ == "polytopo.cli." + name.replace("-", "_")
        assert callable(module.add) and callable(module.run)
        # building the parser imports argparse and the shared options, nothing else
        tree = ast.parse(importlib.util.find_spec(module.__name__).loader.get_source(
            module.__name__))
        top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
        assert all(isinstance(n, ast.ImportFrom) and n.level == 1 and n.module == "options"
                   or isinstance(n, ast.Import) and {a.name for a in n.names} <= {"argparse"}
                   for n in top), name


def test_plot_reference_experiment_accept_max_regions(tmp_path, capsys, monkeypatch):
    # the three commands that build regions stop past --max-regions N: status 3, one line,
    # no file; with room to spare they write their files
    monkeypatch.chdir(tmp_path)
    net = _write(tmp_path, "net.json", NET)  # 4 regions on the square
    runs = {
        "plot": ["plot", net, "--out", "p.png"],
        "reference": ["reference", net, "--json", "ref.json"],
        "experiment": ["experiment", "low-rank", "--widths", "4", "--means", "0", "--seeds",
                       "1", "--out", "t.csv", "--plot", "t.png"],
    }
    for name, argv in runs.items():
        assert main(argv + ["--max-regions", "3"]) == 3, name
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("polytopo: stopped: ") and "3" in err[0]
        assert sorted(p.name for p in tmp_path.iterdir()) == ["net.json"], name
    assert main(runs["plot"] + ["--max-regions", "4"]) == 0
    assert main(runs["reference"] + ["--max-regions", "4"]) == 0
    assert json.loads((tmp_path / "ref.json").read_text())["n_regions"] == 4
    assert main(runs["experiment"] + ["--max-regions", "1000"]) == 0
    assert (tmp_path / "p.png").read_bytes()[:4] == (tmp_path / "t.png").read_bytes()[:4] \
        == b"\x89PNG"
    for name in runs:
        capsys.readouterr()
        with pytest.raises(SystemExit) as usage:  # an argparse usage error
            main(runs[name] + ["--max-regions", "0"])
        assert usage.value.code == 2
        assert "--max-regions must be a positive integer" in capsys.readouterr().err


def test_max_regions_in_the_api():
    from polytopo.analysis.experiments import dale_experiment, low_rank_experiment
    from polytopo.analysis.reference import reference
    from polytopo.exceptions import InputError, LimitExceeded
    from polytopo.figures.network_plot import plot_network
    from polytopo.geometry.polytope import Polytope
    from polytopo.network.model import Network
    from polytopo.regions import regions

    net = Network.from_lists([(layer["weights"], layer["biases"]) for layer in NET["layers"]])
    square = Polytope.cube(2)
    for call in (lambda m: plot_network(net, square, max_regions=m),
                 lambda m: plot_network(net, square, regions=regions(net, square),
                                        max_regions=m),
                 lambda m: reference(net, square, max_regions=m),
                 lambda m: low_rank_experiment(widths=[4], means=[0.0], seeds=[0],
                                               max_regions=m),
                 lambda m: dale_experiment(widths=[4], max_regions=m)):
        with pytest.raises(LimitExceeded):
            call(1)
        with pytest.raises(InputError):
            call(0)
        with pytest.raises(TypeError):
            call(2.5)
    assert reference(net, square, max_regions=4) == reference(net, square)
    exact = low_rank_experiment(widths=[4], means=[0.0], seeds=[0])
    assert low_rank_experiment(widths=[4], means=[0.0], seeds=[0], max_regions=1000) == exact


def test_experiment_writes_the_table_of_the_api(tmp_path, capsys):
    from polytopo.analysis.experiments import dale_experiment, low_rank_experiment, table_csv

    out = tmp_path / "t.csv"
    assert main(["experiment", "low-rank", "--widths", "2,3", "--means", "0", "--seeds", "2",
                 "--out", str(out)]) == 0
    rows = low_rank_experiment(widths=[2, 3], means=[0.0], seeds=range(2))
    rows += dale_experiment(widths=[2, 3])
    assert out.read_text() == table_csv(rows)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(rows) + 1 and printed[-1] == f"table written to {out}"



# ---- one saver for every picture -------------------------------------------------------
def test_every_picture_is_saved_by_save_figure():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "polytopo"
    savers = sorted(str(p.relative_to(root)) for p in root.rglob("*.py")
                    if any(isinstance(n, ast.Attribute) and n.attr == "savefig"
                           for n in ast.walk(ast.parse(p.read_text()))))
    assert savers == ["runtime/outputs.py"]


def test_save_figure_closes_the_figure_and_refuses_bad_formats(tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from polytopo.exceptions import InputError
    from polytopo.runtime.outputs import save_figure

    for name, ok in (("a.png", True), ("a.pdf", True), ("a.csv", False), ("no/dir.png", False)):
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        if ok:
            save_figure(fig, tmp_path / name, dpi=50)
        else:
            with pytest.raises(InputError, match="picture format|does not exist"):
                save_figure(fig, tmp_path / name)
        assert not plt.fignum_exists(fig.number), name  # closed either way
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.png"]
    assert (tmp_path / "a.png").read_bytes()[:4] == b"\x89PNG"
    assert (tmp_path / "a.pdf").read_bytes()[:4] == b"%PDF"
