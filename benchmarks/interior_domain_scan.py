"""Where the shipped interior networks are trusted: the domain scan (prints JSON, writes a figure).

For a grid of masses and radii at several Teq, the (M, R, Teq) network's in_domain (the prior's
bounds and the training planets' support, interior/support.py) and its answer: a point is an
"impossible confident answer" when the network puts more than half its samples on a planet with
neither water nor envelope and a median core mass fraction above 0.9 at a radius no such planet
can have (above 1.5 times the pure-iron radius). The JSON counts those inside and outside the support (inside must be 0); the figure
shows one mass-radius plane per Teq coloured by in_domain, with the training planets' radius range.

    python benchmarks/interior_domain_scan.py [--out docs/interior_figures/domain_scan.png]
"""

from __future__ import annotations

import argparse
import json
import warnings

import numpy as np

TEQS = (150.0, 400.0, 1000.0, 1500.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="docs/interior_figures/domain_scan.png")
    parser.add_argument("--samples", type=int, default=400)
    args = parser.parse_args()
    from planetinfer.interior import predict as P
    from planetinfer.interior import store

    loaded = store.load_shipped(("mass", "radius", "teq"))
    masses = np.geomspace(0.1, 25.0, 36)
    radii = np.geomspace(0.4, 20.0, 40)
    result, planes = {"network": loaded.header["name"], "teq": list(TEQS)}, {}
    inside_bad = outside_bad = inside = total = 0
    for teq in TEQS:
        grid = np.array([[m, r, teq] for m in masses for r in radii])
        iron = grid[:, 1] < P.iron_radius_earth(grid[:, 0])
        grid = grid[~iron]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", P.OutOfDomainWarning)
            rows = P.predict(loaded, [P.Planet(dict(zip(loaded.inputs, g, strict=True)))
                                      for g in grid], n_samples=args.samples, seed=0)  # fmt: skip
        flags = np.array([row["in_domain"] for row in rows])
        iron_like = np.array([row["summary"]["core_mass_fraction"]["p50"] > 0.9
                              and np.mean(row["samples"]["pattern"] == 3) > 0.5
                              for row in rows])  # fmt: skip
        # impossible only well above pure iron: a volatile-free planet is at most pure rock,
        # about 1.3 times the iron radius (Seager et al. 2007 fits)
        bad = iron_like & (grid[:, 1] > 1.5 * P.iron_radius_earth(grid[:, 0]))
        inside_bad += int(np.sum(bad & flags))
        outside_bad += int(np.sum(bad & ~flags))
        inside += int(flags.sum())
        total += len(rows)
        planes[teq] = (grid, flags, bad)
    result.update({"points": total, "in_domain": inside,
                   "confident_iron_inside_support": inside_bad,
                   "confident_iron_outside_support": outside_bad})  # fmt: skip
    _figure(planes, loaded.support, args.out)
    result["figure"] = args.out
    print(json.dumps(result, indent=1))


def _figure(planes, support, out) -> None:
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(planes), figsize=(4 * len(planes), 4), sharey=True)
    edges = np.array(support["mass_edges"])
    centres = np.sqrt(edges[1:] * edges[:-1])
    teq_edges = np.array(support["teq_edges"])
    for ax, (teq, (grid, flags, bad)) in zip(axes, planes.items(), strict=True):
        ax.scatter(grid[flags, 0], grid[flags, 1], s=6, c="tab:blue", label="in_domain")
        ax.scatter(grid[~flags, 0], grid[~flags, 1], s=6, c="lightgray", label="outside")
        ax.scatter(grid[bad, 0], grid[bad, 1], s=14, marker="x", c="tab:red",
                   label="network: iron, no volatiles, R > 1.5 R_Fe")  # fmt: skip
        column = min(int(np.searchsorted(teq_edges, teq, side="right")) - 1, len(teq_edges) - 2)
        low = np.array(support["radius_min"], float)[:, column]
        high = np.array(support["radius_max"], float)[:, column]
        ax.step(centres, low, where="mid", c="k", lw=1, label="training planets' range")
        ax.step(centres, high, where="mid", c="k", lw=1)
        ax.set(xscale="log", yscale="log", xlabel="mass [M_E]", title=f"Teq = {teq:.0f} K")
    axes[0].set_ylabel("radius [R_E]")
    axes[0].legend(fontsize=7, loc="upper left")
    fig.suptitle("(M, R, Teq) network: where training planets exist")
    fig.tight_layout()
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)


if __name__ == "__main__":
    main()
