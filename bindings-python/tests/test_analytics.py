"""Territory analytics from Python: coverage frames equal to the dict form and to a brute-force
count, GeoDataFrames, white zones, supply and demand, coded errors, and the same table from a
local Dask cluster of 2 workers as from one process."""

import math

import pytest

import metiers

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def engine():
    return metiers.Engine.normandy()


def test_coverage_frame_is_the_dict_form_with_names_beside_ids(engine):
    df = engine.coverage(radius=[15, 5], sector=["H", "J"])
    raw = engine.coverage(radii_km=[15, 5], sectors=["H", "J"], as_frame=False)
    assert len(df) == len(raw["rows"]) == 2651 * 2 * 2
    assert list(df.columns) == list(metiers.analytics.COVERAGE_COLUMNS)
    first = raw["rows"][0]
    assert df.loc[0, "origin"] == first["origin"] == raw["places"][0]["id"]
    assert df.loc[0, "origin_name"] == raw["places"][0]["name"]
    assert df["stages"].tolist() == [r["stages"] for r in raw["rows"]]
    assert df["places_left"].tolist() == [r["places_left"] for r in raw["rows"]]
    nearest = [r["nearest_stage_km"] for r in raw["rows"]]
    assert [None if math.isnan(x) else x for x in df["nearest_stage_km"]] == nearest
    assert (df["white"] == (df["stages"] == 0)).all()
    assert df["weight"].dtype == "float64" and df["stages"].dtype == "int64"
    assert df.attrs["weight"] == "pop_15_64"
    assert df.attrs["sectors"]["H"] == "Industrie"
    summary = pd.DataFrame(df.attrs["summary"])
    all_h15 = summary[(summary.area == "all") & (summary.sector == "H") & (summary.radius_km == 15)].iloc[0]
    rows_h15 = df[(df.sector == "H") & (df.radius_km == 15)]
    assert all_h15.white_origins == rows_h15.white.sum()
    assert all_h15.white_weight == rows_h15[rows_h15.white].weight.sum()


def test_coverage_counts_match_a_brute_force_count(engine):
    caen = {"id": "caen", "lat": 49.1829, "lon": -0.3707}
    df = engine.coverage(origins="points", points=[caen], radius=12, sector="H")
    rome = {m["code"]: m["code"][0] for m in engine.table("metiers", as_frame=False)}
    count = places = 0
    for s in engine.catalog("stages"):
        left = s.get("places_left", s["places_total"])
        if left and any(rome.get(m) == "H" for m in s["metiers"]):
            if engine.distance_km({"lat": caen["lat"], "lon": caen["lon"]}, {"lat": s["place"]["lat"], "lon": s["place"]["lon"]}) <= 12:
                count += 1
                places += left
    assert df.loc[0, "stages"] == count
    assert df.loc[0, "places_left"] == places


def test_points_and_schools_may_be_dataframes(engine):
    points = pd.DataFrame({"id": ["a", "b"], "lat": [49.18, 49.44], "lon": [-0.37, 1.10], "weight": [10, 20]})
    df = engine.coverage(origins="points", points=points, sector="H")
    assert df["origin"].tolist() == ["a", "b"]
    assert df["weight"].tolist() == [10.0, 20.0]
    colleges = engine.schools(as_frame=True).head(3)
    df = engine.coverage(origins="schools", schools=colleges, sector="H")
    assert df["origin"].tolist() == sorted(colleges["uai"].tolist())


def test_geodataframes_points_contours_and_white_zones(engine):
    gpd = pytest.importorskip("geopandas")
    gdf = engine.coverage(radius=15, sector="H", as_geo=True)
    assert isinstance(gdf, gpd.GeoDataFrame) and gdf.crs.to_epsg() == 4326
    assert gdf.geometry.iloc[0].geom_type == "Point"
    contours = engine.coverage(radius=15, sector="H", as_geo=True, geometry="contour")
    assert contours.geometry.iloc[0].geom_type in ("Polygon", "MultiPolygon")
    # Every commune's centre lies in (or within 1 km of) its own contour.
    inside = contours.to_crs(2154).geometry.buffer(1000).contains(gdf.to_crs(2154).geometry)
    assert inside.mean() > 0.99
    zones = engine.white_zones(radius=15, sector=["H", "A"], as_geo=True)
    assert list(zones.sector) == ["A", "H"]
    for _, z in zones.iterrows():
        # The contour's area, projected to Lambert-93, is the zone's surface within 2 %.
        km2 = gpd.GeoSeries([z.geometry], crs=4326).to_crs(2154).area.iloc[0] / 1e6
        assert abs(km2 - z.area_km2) / z.area_km2 < 0.02, (km2, z.area_km2)


def test_supply_and_demand_frames(engine):
    d = engine.supply_demand(radius_km=15, as_frame=True)
    assert len(d["schools"]) == 388
    assert d["schools"]["pupils_3e"].sum() > 0
    assert set(d["groups"]["group"]) >= {"REP+", "REP", "hors EP", "< 90", "≥ 110"}


def test_bad_requests_are_coded_errors(engine):
    with pytest.raises(metiers.InvalidInputError) as e:
        engine.coverage(radius=0)
    assert e.value.code == "invalid_input" and "radii_km[0]" in str(e.value)
    with pytest.raises(metiers.InvalidInputError, match=r"sectors\[0\]"):
        engine.coverage(sector="Z")
    with pytest.raises(metiers.InvalidInputError, match=r"radii_km\[0\]"):
        engine.coverage(radius=float("nan"))
    with pytest.raises(metiers.InvalidInputError, match=r"schools\[0\]"):
        engine.coverage(origins="schools", schools=[{"uai": "0140025B", "kind": "college"}])
    with pytest.raises(metiers.InvalidInputError, match="frobnicate"):
        engine.coverage(frobnicate=1)
    with pytest.raises(ValueError, match="geometry"):
        engine.coverage(sector="H", as_geo=True, geometry="hexagon")


def test_coverage_map_on_a_local_dask_cluster_equals_one_process(engine):
    dd = pytest.importorskip("dask.dataframe")
    distributed = pytest.importorskip("distributed")
    communes = engine.table("communes")
    communes = communes[communes.lat.notna()].rename(columns={"insee": "id"})[["id", "name", "lat", "lon", "pop_15_64"]]
    communes = communes.rename(columns={"pop_15_64": "weight"}).reset_index(drop=True)
    mapper = metiers.CoverageMap(engine, radius=[10, 20], sector=["H", "J", "N"])
    expected = engine.coverage(origins="points", points=communes, radius=[10, 20], sector=["H", "J", "N"])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster):
            ddf = dd.from_pandas(communes, npartitions=6)
            got = ddf.map_partitions(mapper, meta=mapper.meta()).compute()
    got = got.reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True), check_like=False)
    # The same mapper, as Spark's mapInPandas calls it.
    parts = list(mapper.map_in_pandas([communes.iloc[:100], communes.iloc[100:]]))
    assert sum(len(p) for p in parts) == len(expected)


def test_h3_cells_as_origins(engine):
    df = engine.coverage(origins="h3", h3_resolution=6, sector="H", radius=15)
    assert 700 < len(df) < 1000
    assert df["origin"].str.len().eq(15).all() and df["origin_name"].notna().all()
    with pytest.raises(metiers.InvalidInputError, match="h3_resolution"):
        engine.coverage(origins="h3", h3_resolution=12)
