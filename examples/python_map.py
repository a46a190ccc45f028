"""What a data scientist would write: load the embedded default, query it, and map the 2,651
communes of Normandy coloured by the number of stages reachable within 20 km of their centre.

    python examples/python_map.py [OUTPUT.png]      (default: docs/img/stages_within_20km.png)

Needs the metiers package, pandas and matplotlib. The catalogue is the fictitious sample.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.patheffects as effects
import matplotlib.pyplot as plt

import metiers

RADIUS_KM = 20


def main(out: Path) -> None:
    engine = metiers.Engine.normandy()
    communes = engine.table("communes")  # a DataFrame: insee, name, lat, lon, population…

    # One query per commune, run in parallel without the GIL; limit 1 is enough for the totals.
    queries = [{"near": {"lat": r.lat, "lon": r.lon}, "radius_km": RADIUS_KM, "limit": 1} for r in communes.itertuples()]
    pages = engine.search_stages_batch(queries)
    communes["stages_within_20km"] = [p["total"] for p in pages]

    worst = communes.sort_values("stages_within_20km").head(3)
    print(f"{len(communes)} communes; median {communes['stages_within_20km'].median():.0f} stages within {RADIUS_KM} km")
    print("fewest:", ", ".join(f"{r.name} ({r.stages_within_20km})" for r in worst.itertuples()))

    fig, ax = plt.subplots(figsize=(10, 6.5), dpi=110)
    points = ax.scatter(communes["lon"], communes["lat"], c=communes["stages_within_20km"], s=6, cmap="viridis")
    ax.set_aspect(1 / 0.656)  # one degree of longitude is cos(49°) of a degree of latitude
    fig.colorbar(points, ax=ax, label=f"stages à moins de {RADIUS_KM} km")
    for name in ("Caen", "Rouen", "Le Havre", "Cherbourg-en-Cotentin", "Évreux", "Alençon", "Saint-Lô", "Flers"):
        row = communes[communes["name"] == name].iloc[0]
        label = ax.annotate(name, (row["lon"], row["lat"]), fontsize=8, xytext=(3, 3), textcoords="offset points")
        label.set_path_effects([effects.withStroke(linewidth=2.5, foreground="white")])
    ax.set_title("Normandie : stages accessibles à moins de 20 km de chaque commune\n(catalogue d'exemple fictif, 591 offres)")
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, bbox_inches="tight")
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs/img/stages_within_20km.png")
