"""``polytopo experiment``: reproducible experiments, tables and plots (docs/low-rank.md)."""

__all__ = ["add", "run"]

from .options import add_limits, add_plot


def add(subparsers):
    """Declare ``polytopo experiment low-rank --out TABLE.csv …``; return the subparser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="polytopo")
    >>> _ = add(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["experiment", "low-rank", "--out", "t.csv", "--seeds", "1"])
    >>> args.name, args.widths, args.seeds, args.max_regions
    ('low-rank', '2,3,4,6,8', 1, None)
    """
    ex = subparsers.add_parser("experiment", help="reproducible experiments (tables and plots)")
    ex.add_argument("name", choices=["low-rank"], help="low-rank: low-rank fraction against "
                    "width and mean weight for random nets, and Dale's-principle nets")
    ex.add_argument("--dims", default="2", help="input dimensions, comma-separated (default 2)")
    ex.add_argument("--widths", default="2,3,4,6,8", help="hidden widths (default 2,3,4,6,8)")
    ex.add_argument("--means", default="-0.5,0,0.5", help="means of the weight distribution")
    ex.add_argument("--depth", type=int, default=1, help="hidden layers of the random nets")
    ex.add_argument("--seeds", type=int, default=3, help="networks per setting (seeds 0..N-1)")
    ex.add_argument("--denominator", type=int, default=16,
                    help="weights are rounded to k/DENOMINATOR (default 16)")
    ex.add_argument("--out", metavar="TABLE.csv", required=True)
    add_plot(ex, "the low-rank fractions against width (png)")
    add_limits(ex, jobs=False, time_limit=False, regions="a network has more regions than N")
    return ex


def positive_ints(text, name):
    """Comma-separated positive integers of option ``name``.

    Examples
    --------
    >>> positive_ints("2, 3", "--widths")
    [2, 3]
    >>> positive_ints("2,x", "--widths")
    Traceback (most recent call last):
    ...
    polytopo.exceptions.InputError: --widths must be comma-separated integers, got '2,x'
    """
    from ..exceptions import InputError

    try:
        vals = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        raise InputError(f"{name} must be comma-separated integers, got {text!r}") from None
    if not vals or min(vals) < 1:
        raise InputError(f"{name} must be positive integers, got {text!r}")
    return vals


def run(args):
    """Run ``polytopo experiment``: print each row, write the table and the picture.

    Returns the exit status (0).
    """
    from ..analysis import experiments as E
    from ..exceptions import InputError
    from ..runtime.outputs import write_text
    from .options import require_positive

    dims, widths = positive_ints(args.dims, "--dims"), positive_ints(args.widths, "--widths")
    try:
        means = [float(t) for t in args.means.split(",")]
    except ValueError:
        raise InputError(f"--means must be comma-separated numbers, got {args.means!r}") from None
    if args.seeds < 1 or args.depth < 1 or args.denominator < 1:
        raise InputError("--seeds, --depth and --denominator must be positive")
    require_positive(args, "max_regions")

    def show(row):
        print(f"  d={row['input_dim']} width={row['width']} mean={row['mean']}: "
              f"low-rank regions {float(row['low_rank_region_fraction']):.3f}, "
              f"volume {float(row['low_rank_volume_fraction']):.3f}", flush=True)

    rows = E.low_rank_experiment(input_dims=dims, widths=widths, means=means, depth=args.depth,
                                 seeds=range(args.seeds), denominator=args.denominator,
                                 max_regions=args.max_regions, progress=show)
    rows += E.dale_experiment(input_dims=dims, widths=widths, depth=max(2, args.depth),
                              max_regions=args.max_regions, progress=show)
    write_text(args.out, E.table_csv(rows))
    print(f"table written to {args.out}")
    if args.plot:
        from ..figures.experiments import plot_experiment

        plot_experiment(rows, args.plot)
        print(f"picture written to {args.plot}")
    return 0
