"""Coverage at scale on a local Dask cluster: every commune of Normandy as a point, in
partitions, each worker restoring the engine once (metiers.CoverageMap); the same table as one
process, checked.

    .venv/bin/python examples/coverage_dask.py

On Spark: ``df.mapInPandas(mapper.map_in_pandas, schema=...)`` with the same mapper.
"""

import time

import dask.dataframe as dd
import distributed
import pandas as pd

import metiers


def main() -> None:
    engine = metiers.Engine.normandy()
    communes = engine.table("communes")
    points = communes[communes.lat.notna()].rename(columns={"insee": "id", "pop_15_64": "weight"})
    points = points[["id", "name", "lat", "lon", "weight"]].reset_index(drop=True)
    mapper = metiers.CoverageMap(engine, radius=[10, 20, 30])

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            ddf = dd.from_pandas(points, npartitions=8)
            start = time.perf_counter()
            table = ddf.map_partitions(mapper, meta=mapper.meta()).compute()
            print(f"{len(table):,} rows from {len(client.scheduler_info()['workers'])} workers "
                  f"in {time.perf_counter() - start:.2f} s")

    one = engine.coverage(origins="points", points=points, radius=[10, 20, 30])
    pd.testing.assert_frame_equal(table.reset_index(drop=True), one)
    print("same table as one process")
    white = table[table.white & (table.radius_km == 20)]
    print(white.groupby("sector_label").weight.sum().sort_values(ascending=False).head(5).to_string())


if __name__ == "__main__":
    main()
