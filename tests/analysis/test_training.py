"""Training dynamics: tracking checkpoints gives exactly what analysing each alone gives;
loss tables, PyTorch checkpoints, the command line and the example trainer."""

import argparse
import importlib.util
import json
from pathlib import Path

import pytest

from polytopo.analysis.training import (checkpoint_summary, match_losses, read_loss_table,
                                        track, track_csv, track_rows)
from polytopo.cli.track import add as add_track_command
from polytopo.cli.track import run as run_track
from polytopo.exceptions import InputError
from polytopo.network.io import load_network, write_json
from polytopo.network.model import Network
from polytopo.geometry.polytope import Polytope
from polytopo.analysis.summary import analyze

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "training"


def _trainer():
    spec = importlib.util.spec_from_file_location("toy_train", EXAMPLE / "train.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _nets():
    """A fixed little 'training run': f = |x| + |y| + c for c = 1, -1/2, -3/2."""
    return [Network.from_lists([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                                ([[1, 1, 1, 1]], [b])]) for b in (1, "-1/2", "-3/2")]


def test_tracking_equals_analysing_each_alone():
    dom = Polytope.cube(2)
    rep = track(_nets(), dom)
    for net, c in zip(_nets(), rep["checkpoints"]):
        alone = analyze(net, dom)
        for key in ("n_regions", "f_vector", "euler_characteristic", "homology"):
            assert c[key] == alone[key], key
        assert checkpoint_summary(net, dom) == {k: v for k, v in c.items()
                                                if k not in ("index", "name")}
    # {f <= 0} goes from empty to a diamond to a big diamond cutting off the corners
    assert [c["homology"]["negative"][0]["rank"] for c in rep["checkpoints"]] == [0, 1, 1]
    assert [c["homology"]["positive"][1]["rank"] for c in rep["checkpoints"]] == [0, 1, 0]


def test_tracking_the_shipped_example_equals_analysing_each_alone():
    files = sorted((EXAMPLE / "classification").glob("ckpt_*.json"))
    assert len(files) >= 5
    chosen = [files[0], files[len(files) // 2], files[-1]]
    rep = track(chosen)
    for f, c in zip(chosen, rep["checkpoints"]):
        alone = analyze(load_network(f), Polytope.cube(2))
        assert c["name"] == f.name
        for key in ("n_regions", "f_vector", "euler_characteristic", "homology"):
            assert c[key] == alone[key]
    # the trained classifier of the disc: {f >= 0} a blob, {f <= 0} an annulus
    last = rep["checkpoints"][-1]["homology"]
    assert [h["rank"] for h in last["positive"]] == [1, 0, 0]
    assert [h["rank"] for h in last["negative"]] == [1, 1, 0]


def test_pytorch_checkpoints_match_json(tmp_path):
    torch = pytest.importorskip("torch")
    jsons, pts = [], []
    for i, net in enumerate(_nets()):
        state = {}
        for li, (W, b) in enumerate(zip(net.weights, net.biases)):
            state[f"{2 * li}.weight"] = torch.tensor([[float(x) for x in r] for r in W],
                                                     dtype=torch.float64)
            state[f"{2 * li}.bias"] = torch.tensor([float(x) for x in b], dtype=torch.float64)
        torch.save(state, tmp_path / f"c{i}.pt")
        write_json(tmp_path / f"c{i}.json", net.to_json())
        pts.append(tmp_path / f"c{i}.pt")
        jsons.append(tmp_path / f"c{i}.json")
    a, b = track(pts, assume="linear-relu-chain"), track(jsons)
    for x, y in zip(a["checkpoints"], b["checkpoints"]):
        assert {k: v for k, v in x.items() if k != "name"} == \
            {k: v for k, v in y.items() if k != "name"}


def test_loss_tables(tmp_path):
    p = tmp_path / "l.csv"
    p.write_text("step,loss,checkpoint\n0,1.5,a.json\n10,0.5,b.json\n")
    t = read_loss_table(p)
    assert t["x_name"] == "step" and t["x"] == [0.0, 10.0]
    assert match_losses(t, ["dir/b.json", "a.json"]) == ([0.5, 1.5], [10.0, 0.0])
    with pytest.raises(InputError, match="no row"):
        match_losses(t, ["c.json"])
    q = tmp_path / "q.csv"
    q.write_text("epoch,train_loss\n1,0.3\n2,0.2\n")
    t = read_loss_table(q, loss_column="train_loss")
    assert t["checkpoint"] is None and match_losses(t, ["x", "y"]) == ([0.3, 0.2], [1.0, 2.0])
    with pytest.raises(InputError, match="2 rows for 3"):
        match_losses(t, ["x", "y", "z"])
    bad = {"nan": "loss\nnan\n", "text": "loss\nhigh\n", "empty": "loss\n", "column": "x\n1\n"}
    for name, text in bad.items():
        (tmp_path / f"{name}.csv").write_text(text)
        with pytest.raises(InputError):
            read_loss_table(tmp_path / f"{name}.csv")
    with pytest.raises(InputError):
        read_loss_table(tmp_path / "missing.csv")


def test_rows_and_csv(tmp_path):
    rep = track(_nets(), losses=[3.0, 2.0, 1.0], x=[0, 1, 2], x_name="epoch")
    rows = track_rows(rep)
    assert [r["loss"] for r in rows] == [3.0, 2.0, 1.0]
    assert [r["b1_positive"] for r in rows] == [0, 1, 0]
    lines = track_csv(rep).splitlines()
    assert lines[0].startswith("index,checkpoint,epoch,loss,n_regions,euler_characteristic,f_0")
    assert len(lines) == 4
    assert [line.split(",")[3] for line in lines[1:]] == ["3.0", "2.0", "1.0"]
    assert list(tmp_path.iterdir()) == []  # text, no file


def test_picture_of_the_dynamics(tmp_path):
    pytest.importorskip("matplotlib")
    from polytopo.figures.training import plot_track

    rep = track(_nets(), losses=[3.0, 2.0, 1.0], x=[0, 1, 2], x_name="epoch")
    fig = plot_track(rep, tmp_path / "t.svg", title="three nets")
    top, bottom = fig.axes[0], fig.axes[1]
    assert top.get_title() == "three nets" and bottom.get_xlabel() == "epoch"
    assert [list(ln.get_ydata()) for ln in top.get_lines()] == [
        [c["n_regions"] for c in rep["checkpoints"]]]
    assert list(fig.axes[2].get_lines()[0].get_ydata()) == [3.0, 2.0, 1.0]  # the loss axis
    assert (tmp_path / "t.svg").read_text().lstrip().startswith("<?xml")
    with pytest.raises(InputError, match="picture format"):
        plot_track(rep, tmp_path / "t.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.svg"]


def test_bad_sequences():
    with pytest.raises(InputError):
        track([])
    with pytest.raises(InputError):
        track(_nets(), losses=[1.0])
    one_d = Network.from_lists([([[1]], [0]), ([[1]], [0])])
    with pytest.raises(InputError):
        track([_nets()[0], one_d])
    with pytest.raises(InputError):
        track([one_d], Polytope.cube(2))


def _run(argv):
    parser = argparse.ArgumentParser()
    add_track_command(parser.add_subparsers(dest="command"))
    return run_track(parser.parse_args(["track"] + argv))


def test_command_from_a_loss_table(tmp_path, capsys):
    for i, net in enumerate(_nets()):
        write_json(tmp_path / f"ckpt_{i}.json", net.to_json())
    (tmp_path / "losses.csv").write_text(
        "checkpoint,epoch,loss\n" + "".join(f"ckpt_{i}.json,{i},{1 / (i + 1)}\n" for i in range(3)))
    out = tmp_path / "out"
    out.mkdir()
    assert _run(["--loss", str(tmp_path / "losses.csv"), "--csv", str(out / "t.csv"),
                 "--json", str(out / "t.json"), "--plot", str(out / "t.png")]) == 0
    text = capsys.readouterr().out
    assert "ckpt_2.json" in text and "exact rational" in text
    rep = json.loads((out / "t.json").read_text())
    assert rep["format"] == "polytopo.track/1" and len(rep["checkpoints"]) == 3
    assert rep["checkpoints"][1]["loss"] == 0.5
    assert (out / "t.png").read_bytes()[:4] == b"\x89PNG"
    # the same files named explicitly, in another order, match by name
    assert _run([str(tmp_path / "ckpt_2.json"), str(tmp_path / "ckpt_0.json"),
                 "--loss", str(tmp_path / "losses.csv")]) == 0


def test_command_bad_input(tmp_path):
    with pytest.raises(InputError):
        _run([])
    (tmp_path / "bad.json").write_text("[1, 2")
    with pytest.raises(InputError):
        _run([str(tmp_path / "bad.json")])
    write_json(tmp_path / "n.json", _nets()[0].to_json())
    (tmp_path / "l.csv").write_text("loss\n1\n2\n")
    with pytest.raises(InputError):
        _run([str(tmp_path / "n.json"), "--loss", str(tmp_path / "l.csv"),
              "--csv", str(tmp_path / "t.csv")])
    assert not (tmp_path / "t.csv").exists()


def test_example_trainer_is_seeded(tmp_path):
    train = _trainer()
    for run in ("a", "b"):
        for task in train.TASKS:
            rows = train.train(task, tmp_path / run / task, steps=30, log=lambda s: None)
            assert [r["step"] for r in rows] == [0, 10, 25, 30]
    for task in train.TASKS:
        for f in sorted((tmp_path / "a" / task).iterdir()):
            assert f.read_bytes() == (tmp_path / "b" / task / f.name).read_bytes()
    rep = track(sorted((tmp_path / "a" / "regression").glob("*.json")))
    assert len(rep["checkpoints"]) == 4
    table = read_loss_table(tmp_path / "a" / "classification" / "losses.csv")
    assert table["x_name"] == "step" and len(table["loss"]) == 4
    assert table["loss"][-1] < table["loss"][0]


def test_example_trainer_writes_pytorch_checkpoints(tmp_path):
    pytest.importorskip("torch")
    train = _trainer()
    train.train("classification", tmp_path / "pt", steps=10, fmt="pt", log=lambda s: None)
    train.train("classification", tmp_path / "js", steps=10, log=lambda s: None)
    pts = sorted((tmp_path / "pt").glob("*.pt"))
    jss = sorted((tmp_path / "js").glob("*.json"))
    assert [p.stem for p in pts] == [j.stem for j in jss]
    for p, j in zip(pts, jss):            # the same exact network either way
        assert load_network(p, assume="linear-relu-chain") == load_network(j)
