"""PostGIS answering the same query as the `france_500k_stages/stages_30km` criterion benchmark,
on the same 500,000 stages, with the same formula (docs/ranking.md): what a portal with a
PostgreSQL database would write. ST_DWithin on a GiST-indexed geography column finds the stages
within the radius, a join gives each its interest, SQL computes the blended score, rounded to 4
decimals, and orders by score, distance, id. Distances on the sphere (use_spheroid false, the
engine's great circle; PostGIS's sphere has the mean Earth radius the engine uses to 0.1 mm).

It first checks it returns the engine's exact answer (same total, same top 20 in the same
order), then times the query over the unix socket, as a client sees it (200 runs, median).

Usage: python postgis_rank.py DATA_DIR SOCKET_DIR PORT   (a running cluster; see run.sh)
Prints one JSON line: {"peer": ..., "median_ms": ..., "matches_engine": true, ...}.
"""

import json
import statistics
import sys
import time

import psycopg

QUERY = """
WITH near AS (
    SELECT s.id,
           ST_Distance(s.geog, o.geog, false) / 1000.0 AS d,
           greatest(coalesce(i1.score, 0), coalesce(i2.score, 0)) AS interest
    FROM stages s
    CROSS JOIN (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography AS geog) o
    LEFT JOIN interest i1 ON i1.metier = s.m1
    LEFT JOIN interest i2 ON i2.metier = s.m2
    WHERE ST_DWithin(s.geog, o.geog, %(radius_m)s, false) AND s.places > 0
), scored AS (
    SELECT id, d, round((%(wi)s * interest + %(wd)s * exp(-ln(2) * (d / %(radius)s) ^ 2))
                        / (%(wi)s + %(wd)s) * 10000) / 10000 AS score
    FROM near WHERE interest > 0 AND d <= %(radius)s
)
SELECT id, score, d, count(*) OVER () AS total FROM scored ORDER BY score DESC, d, id LIMIT %(limit)s
"""


def setup(conn, data_dir):
    """The stages table (geography point, GiST index), the query's interest per métier."""
    with open(f"{data_dir}/query.json", encoding="utf-8") as f:
        q = json.load(f)
    with conn.cursor() as cur:
        cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        cur.execute("DROP TABLE IF EXISTS stages, interest")
        cur.execute("CREATE TABLE raw (row int, id text, lat float8, lon float8, metiers text, places int)")
        with open(f"{data_dir}/stages.csv", "rb") as f, cur.copy("COPY raw FROM STDIN (FORMAT csv, HEADER true)") as copy:
            while chunk := f.read(1 << 20):
                copy.write(chunk)
        cur.execute("""
            CREATE TABLE stages AS
            SELECT id, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog, places,
                   split_part(metiers, ';', 1) AS m1, nullif(split_part(metiers, ';', 2), '') AS m2
            FROM raw""")
        cur.execute("DROP TABLE raw")
        cur.execute("CREATE INDEX stages_geog ON stages USING gist (geog)")
        cur.execute("CREATE TABLE interest (metier text PRIMARY KEY, score float8)")
        scores = q["interest_scores"]
        links = {}
        with open(f"{data_dir}/interest.csv", encoding="utf-8") as f:
            next(f)
            for line in f:
                code, principal = line.strip().split(",")
                score = scores["principal" if principal == "1" else "other"]
                links[code] = max(links.get(code, 0.0), score)
        cur.executemany("INSERT INTO interest VALUES (%s, %s)", list(links.items()))
        cur.execute("ANALYZE stages")
        cur.execute("ANALYZE interest")
    conn.commit()
    return q


def main():
    data_dir, socket_dir, port = sys.argv[1], sys.argv[2], sys.argv[3]
    with psycopg.connect(host=socket_dir, port=port, dbname="postgres") as conn:
        q = setup(conn, data_dir)
        w = q["weights"]
        params = {
            "lat": q["origin"]["lat"], "lon": q["origin"]["lon"], "radius": q["radius_km"],
            "radius_m": q["radius_km"] * 1000.0, "wi": w["interest"], "wd": w["distance"],
            "limit": q["limit"],
        }
        with conn.cursor() as cur:
            cur.execute(QUERY, params, prepare=True)
            rows = cur.fetchall()
            total = rows[0][3] if rows else 0
            ids = [r[0] for r in rows]
            matches = total == q["total"] and ids == q["ids"]
            times = []
            for _ in range(200):
                t = time.perf_counter()
                cur.execute(QUERY, params, prepare=True)
                cur.fetchall()
                times.append(time.perf_counter() - t)
            cur.execute("SELECT postgis_lib_version(), current_setting('server_version')")
            postgis, server = cur.fetchone()
    print(json.dumps({
        "peer": f"PostGIS {postgis} (PostgreSQL {server.split()[0]})",
        "median_ms": round(statistics.median(times) * 1000, 3),
        "matches_engine": matches,
        "total": total,
        "engine_total": q["total"],
    }))
    if not matches:
        print(f"PostGIS answer differs: {total} {ids[:5]} vs {q['total']} {q['ids'][:5]}", file=sys.stderr)


if __name__ == "__main__":
    main()
