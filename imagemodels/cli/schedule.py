"""``imagemodels schedule``: the learning rate a training run would use, epoch by epoch, before running it.

The scheduler is built by ``create_scheduler_v2`` from the same flags ``train`` takes and stepped the
way training steps it (per epoch, or per update with ``--sched-on-updates``); ``--plot`` draws it.
"""
from __future__ import annotations

import argparse

from ._common import format_table, write_results
from .main import CommandError


def register(sub) -> None:
    p = sub.add_parser("schedule", help="preview a learning-rate schedule", description=__doc__,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sched", default="cosine", help="cosine, tanh, step, multistep, plateau, poly, wsd, ... (default: cosine)")
    p.add_argument("--epochs", type=int, default=300, help="epochs to train (default: 300)")
    p.add_argument("--lr", type=float, default=0.1, help="base learning rate (default: 0.1)")
    p.add_argument("--min-lr", type=float, default=0.0, help="floor of the decay (default: 0)")
    p.add_argument("--warmup-lr", type=float, default=1e-5, help="learning rate at the start of warmup")
    p.add_argument("--warmup-epochs", type=int, default=5, help="warmup epochs (default: 5)")
    p.add_argument("--warmup-prefix", action="store_true", help="warmup comes before the schedule instead of inside it")
    p.add_argument("--decay-epochs", type=float, default=90, help="step: epochs between decays")
    p.add_argument("--decay-milestones", type=int, nargs="+", default=[90, 180, 270], help="multistep: decay epochs")
    p.add_argument("--decay-rate", "--dr", type=float, default=0.1, help="decay factor (poly: the power)")
    p.add_argument("--cooldown-epochs", type=int, default=0, help="epochs at min-lr after the schedule")
    p.add_argument("--patience-epochs", type=int, default=10, help="plateau: epochs without improvement")
    p.add_argument("--lr-noise", type=float, nargs="+", help="noise on/off epoch fractions or epochs")
    p.add_argument("--lr-noise-pct", type=float, default=0.67)
    p.add_argument("--lr-noise-std", type=float, default=1.0)
    p.add_argument("--lr-cycle-mul", type=float, default=1.0, help="cycle length multiplier")
    p.add_argument("--lr-cycle-decay", type=float, default=0.5, help="lr multiplier per cycle")
    p.add_argument("--lr-cycle-limit", type=int, default=1, help="number of cycles")
    p.add_argument("--lr-k-decay", type=float, default=1.0, help="k-decay rate")
    p.add_argument("--sched-on-updates", action="store_true", help="step every update instead of every epoch")
    p.add_argument("--updates-per-epoch", type=int, default=100, help="with --sched-on-updates (default: 100)")
    p.add_argument("--seed", type=int, default=42, help="noise seed")
    p.add_argument("--plot", metavar="PNG", help="draw the curve to this image (needs matplotlib)")
    p.add_argument("--results-file", metavar="PATH", help="write epoch,lr as CSV or JSON")
    p.add_argument("--quiet", "-q", action="store_true", help="do not print the table")
    p.set_defaults(func=run)


def simulate(args):
    """``(per-epoch rows, (x, lr) points)``: the lr at the start of each epoch, and at every update."""
    import torch

    from ..scheduler import create_scheduler_v2

    param = torch.nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([param], lr=args.lr)
    updates = args.updates_per_epoch if args.sched_on_updates else 0
    try:
        scheduler, num_epochs = create_scheduler_v2(
            optimizer, sched=args.sched, num_epochs=args.epochs, decay_epochs=args.decay_epochs,
            decay_milestones=args.decay_milestones, cooldown_epochs=args.cooldown_epochs,
            patience_epochs=args.patience_epochs, decay_rate=args.decay_rate, min_lr=args.min_lr,
            warmup_lr=args.warmup_lr, warmup_epochs=args.warmup_epochs, warmup_prefix=args.warmup_prefix,
            noise=args.lr_noise, noise_pct=args.lr_noise_pct, noise_std=args.lr_noise_std, noise_seed=args.seed,
            cycle_mul=args.lr_cycle_mul, cycle_decay=args.lr_cycle_decay, cycle_limit=args.lr_cycle_limit,
            k_decay=args.lr_k_decay, step_on_epochs=not args.sched_on_updates, updates_per_epoch=updates)
    except ValueError as err:
        raise CommandError(str(err)) from None
    rows, points = [], []
    num_updates = 0
    for epoch in range(num_epochs):
        rows.append({"epoch": epoch, "lr": optimizer.param_groups[0]["lr"]})
        for step in range(max(updates, 1)):
            points.append((epoch + step / max(updates, 1), optimizer.param_groups[0]["lr"]))
            if updates and scheduler is not None:
                num_updates += 1
                scheduler.step_update(num_updates=num_updates)
        if scheduler is not None:
            scheduler.step(epoch + 1, 0.0)  # plateau sees a metric that never improves
    return rows, points


def plot(points, path: str, title: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise CommandError("--plot needs matplotlib: pip install imagemodels[plot]", exit_code=1) from None
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot([x for x, _ in points], [y for _, y in points])
    ax.set_xlabel("epoch")
    ax.set_ylabel("learning rate")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def run(args) -> int:
    if args.epochs < 1:
        raise CommandError(f"--epochs must be at least 1, got {args.epochs}")
    rows, points = simulate(args)
    if not args.quiet:
        print(format_table([{"epoch": r["epoch"], "lr": f"{r['lr']:.6g}"} for r in rows]))
    if args.results_file:
        write_results(rows, args.results_file)
    if args.plot:
        plot(points, args.plot, f"{args.sched}, {len(rows)} epochs, warmup {args.warmup_epochs}")
        print(f"wrote {args.plot}")
    return 0
