"""Where is the offer missing? A choropleth of Normandy's communes by the places of stage
d'observation de 3e in industry (grand domaine H) within 15 km, the collèges on top (REP+
marked), written to docs/img/coverage_industrie_15km.png; then the collèges with no such stage
within 15 km, most pupils first.

    .venv/bin/python examples/coverage_map.py [--sector H] [--radius 15] [--out PATH]

Needs geopandas and matplotlib (both in bindings-python/requirements-dev.txt).
"""

import argparse
import pathlib

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402

import metiers  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sector", default="H")
    parser.add_argument("--radius", type=float, default=15.0)
    parser.add_argument("--out", default=str(ROOT / "docs" / "img" / "coverage_industrie_15km.png"))
    args = parser.parse_args()

    engine = metiers.Engine.normandy()
    label = {d["code"]: d["label"] for d in engine.table("domaines", as_frame=False)}[args.sector]
    request = dict(radius=args.radius, sector=args.sector, kind="observation_3e", audience="college")
    communes = engine.coverage(**request, as_geo=True, geometry="contour")
    colleges = engine.coverage(**request, origins="schools", school_kind="college", as_geo=True)
    rep = {s["uai"]: s.get("education_prioritaire") for s in engine.schools()}
    colleges["ep"] = colleges["origin"].map(rep)

    fig, ax = plt.subplots(figsize=(10, 7.2))
    communes.plot(ax=ax, column="places_left", cmap="YlGn", linewidth=0.05, edgecolor="#999999",
                  legend=True, vmin=0, legend_kwds={"label": f"places à moins de {args.radius:g} km", "shrink": 0.6})
    communes[communes.white].plot(ax=ax, color="#f2d7d5", linewidth=0.05, edgecolor="#bbbbbb")
    ordinary = colleges[colleges.ep.isna()]
    ordinary.plot(ax=ax, markersize=9, color=["#c0392b" if w else "#1f3a5f" for w in ordinary.white])
    priority = colleges[colleges.ep.notna()]
    priority.plot(ax=ax, markersize=40, marker="*", color=["#c0392b" if w else "#1f3a5f" for w in priority.white])
    ax.set_title(f"Stages d'observation de 3e en « {label} » à moins de {args.radius:g} km\n"
                 "communes sans aucun stage en rose ; collèges (★ REP/REP+) en rouge quand ils n'en ont aucun",
                 fontsize=10)
    ax.set_axis_off()
    fig.text(0.01, 0.01, "Catalogue fictif de démonstration (metiers) ; contours IGN ADMIN EXPRESS ; "
             "collèges DEPP ; Licence Ouverte 2.0", fontsize=7, color="#555555")
    fig.tight_layout()
    out = pathlib.Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    print(f"map written to {out}")

    white = colleges[colleges.white].copy()
    pupils = {s["uai"]: s.get("pupils", 0) for s in engine.schools()}
    white["pupils"] = white["origin"].map(pupils)
    white = white.sort_values(["pupils", "origin"], ascending=[False, True])
    print(f"\n{len(white)} collège(s) of {len(colleges)} with no stage d'observation in « {label} » "
          f"within {args.radius:g} km:")
    table = white[["origin", "origin_name", "departement", "ep", "pupils", "nearest_stage_km"]]
    print(table.head(15).to_string(index=False, na_rep="—"))
    share = white.pupils.sum() / colleges.origin.map(pupils).sum()
    print(f"… {share:.0%} of the collèges' pupils")


if __name__ == "__main__":
    main()
