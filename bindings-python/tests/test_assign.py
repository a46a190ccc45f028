"""Placement from Python: DataFrames in and out, and the oracle: on random instances the
placement is the one PyPI's `matching` (the reference implementation of deferred acceptance)
gives, resident-optimal `HospitalResident` and, with company caps, `StudentAllocation`."""

from __future__ import annotations

import random
import sys
from typing import Any, Dict, List, Tuple

import pandas as pd
import pytest

import metiers

WEEK = {"start": "2027-01-18", "end": "2027-01-22"}


def schools(engine: metiers.Engine) -> List[str]:
    """A collège of each status in Calvados: hors EP, REP+, REP."""
    found = {}
    for s in engine.schools():
        if s["kind"] == "college" and s.get("departement") == "14":
            found.setdefault(s.get("education_prioritaire"), s["uai"])
    return [found[None], found["REP+"], found["REP"]]


def instance(seed: int, pupils: int, stages: int, companies_capped: bool) -> Tuple[metiers.Engine, List[Dict[str, Any]]]:
    """Stages of one week in Calvados communes (two a company when capped), and pupils with up
    to five random wishes."""
    rng = random.Random(seed)
    e = metiers.Engine.empty()
    communes = [c["insee"] for c in e.table("communes", as_frame=False) if c["departement"] == "14"][:200]
    n_companies = stages // 2 if companies_capped else stages
    companies = [
        dict({"id": f"c{i}", "name": f"Entreprise {i} (fictif)", "place": {"commune": rng.choice(communes)}},
             **({"max_pupils": rng.randint(1, 4)} if companies_capped else {}))
        for i in range(n_companies)
    ]
    stage_rows = [
        {"id": f"s{i}", "company": f"c{i % n_companies}", "kind": "observation_3e", "metiers": ["H2903"],
         "periods": [WEEK], "places_total": rng.randint(1, 3)}
        for i in range(stages)
    ]
    e.load_json(__import__("json").dumps({"companies": companies, "stages": stage_rows}))
    uai = schools(e)
    rows = []
    for p in range(pupils):
        wishes = rng.sample([s["id"] for s in stage_rows], rng.randint(1, min(5, stages)))
        rows.append({"id": f"p{p}", "school": rng.choice(uai), "weeks": ["2027-W03"], "wishes": wishes})
    return e, rows


def order(placement: Dict[str, Any], rep_first: bool) -> List[str]:
    """Every pupil in priority order, as the placement reports it: tier, then lottery."""
    tier = {"REP+": 0, "REP": 1, None: 2}
    key = lambda p: ((tier[p.get("education_prioritaire")] if rep_first else 0), p["lottery"])
    return [p["pupil"] for p in sorted(placement["pupils"], key=key)]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_placement_is_the_one_matching_gives(seed: int) -> None:
    from matching.games import HospitalResident

    sys.setrecursionlimit(100_000)  # matching recurses once per proposal
    e, pupils = instance(seed, pupils=[60, 400, 2000][seed - 1], stages=[20, 120, 500][seed - 1], companies_capped=False)
    rep_first = seed != 2
    placement = e.assign(pupils, priorities={"rep_first": rep_first, "distance": False, "seed": seed}, suggestions=0)
    ranked = order(placement, rep_first)
    resident_prefs = {p["id"]: p["wishes"] for p in pupils}
    wished: Dict[str, set] = {}
    for p in pupils:
        for s in p["wishes"]:
            wished.setdefault(s, set()).add(p["id"])
    stages = {s["id"]: s for s in e.catalog("stages")}
    hospital_prefs = {s: [p for p in ranked if p in wished[s]] for s in wished}
    capacities = {s: stages[s]["places_total"] for s in wished}
    game = HospitalResident.create_from_dictionaries(resident_prefs, hospital_prefs, capacities)
    solved = game.solve(optimal="resident")
    theirs = {r.name: h.name for h, rs in solved.items() for r in rs}
    ours = {p["pupil"]: p["stage"] for p in placement["pupils"] if p["stage"]}
    assert ours == theirs
    assert e.check_placement(pupils, placement, priorities={"rep_first": rep_first, "distance": False, "seed": seed})["stable"]


@pytest.mark.filterwarnings("ignore:.*has a capacity of")
@pytest.mark.parametrize("seed", [4, 5])
def test_with_company_caps_it_is_the_one_student_allocation_gives(seed: int) -> None:
    from matching.games import StudentAllocation

    sys.setrecursionlimit(100_000)
    e, pupils = instance(seed, pupils=[80, 600][seed - 4], stages=[20, 160][seed - 4], companies_capped=True)
    placement = e.assign(pupils, priorities={"rep_first": True, "distance": False, "seed": seed}, suggestions=0)
    ranked = order(placement, True)
    stages = {s["id"]: s for s in e.catalog("stages")}
    companies = {c["id"]: c for c in e.catalog("companies")}
    wished = {s for p in pupils for s in p["wishes"]}
    by_company: Dict[str, set] = {}
    for p in pupils:
        for s in p["wishes"]:
            by_company.setdefault(stages[s]["company"], set()).add(p["id"])
    game = StudentAllocation.create_from_dictionaries(
        {p["id"]: p["wishes"] for p in pupils},
        {c: [p for p in ranked if p in who] for c, who in by_company.items()},
        {s: stages[s]["company"] for s in wished},
        {s: stages[s]["places_total"] for s in wished},
        {c: companies[c]["max_pupils"] for c in by_company},
    )
    solved = game.solve(optimal="student")
    theirs = {st.name: pr.name for pr, sts in solved.items() for st in sts}
    ours = {p["pupil"]: p["stage"] for p in placement["pupils"] if p["stage"]}
    assert ours == theirs


def test_pupils_from_a_dataframe_and_the_report_as_dataframes() -> None:
    e, pupils = instance(7, pupils=30, stages=10, companies_capped=False)
    frame = pd.DataFrame(pupils)  # wishes and weeks are lists in cells
    frame["class"] = "3e B"
    by_frame = e.assign(frame, priorities={"seed": 7})
    assert by_frame == e.assign([dict(p, **{"class": "3e B"}) for p in pupils], priorities={"seed": 7})
    frames = e.assign(frame, priorities={"seed": 7}, as_frame=True)
    assert set(frames) == {"pupils", "wishes", "by_school", "by_priority", "by_wish"}
    table = frames["pupils"]
    assert len(table) == 30 and table["wish"].dtype.kind == "f"  # NaN for the unplaced
    assert table["stage"].notna().sum() == by_frame["report"]["placed"]
    assert frames["by_wish"]["pupils"].sum() == by_frame["report"]["placed"]
    assert set(frames["wishes"]["status"]) <= {"obtained", "refused"}
    # A DataFrame of the outcomes is a placement the checker reads.
    assert e.check_placement(frame, table, priorities={"seed": 7})["stable"]


def test_a_bad_row_of_a_frame_names_its_line_and_a_bad_pupil_its_field() -> None:
    e, pupils = instance(8, pupils=3, stages=3, companies_capped=False)
    frame = pd.DataFrame(pupils)
    frame.loc[1, "weeks"] = "2027-W99"
    with pytest.raises(metiers.InvalidInputError) as bad:
        e.assign(frame)
    assert bad.value.field == "pupils[1].weeks"
    with pytest.raises(metiers.InvalidInputError) as unknown:
        e.assign([dict(pupils[0], wishes=["nope"])])
    assert unknown.value.field == "pupils[0].wishes[0]" and "p0" in str(unknown.value)


def test_apply_reserves_once() -> None:
    e, pupils = instance(9, pupils=20, stages=5, companies_capped=False)
    placement = e.assign(pupils)
    applied = e.apply(placement)
    assert applied["reserved"] == placement["report"]["placed"]
    with pytest.raises(metiers.ConflictError):
        e.apply(placement)


def test_a_cohort_of_the_orne_is_placed_and_stable() -> None:
    e = metiers.Engine.normandy()
    cohort = e.cohort({"departement": "61", "share": 0.05, "seed": 3})
    assert cohort and all(p["school"].startswith("061") for p in cohort)
    placement = e.assign(cohort, priorities={"rep_first": True, "seed": 3})
    assert placement["report"]["pupils"] == len(cohort)
    assert e.check_placement(cohort, placement, priorities={"rep_first": True, "seed": 3})["stable"]
    assert "cohort" in (metiers.Engine.assign.__doc__ or "") and "priorities" in (metiers.Engine.assign.__doc__ or "")
