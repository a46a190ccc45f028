"""Random calls, many of them hostile, for tests/differential/check.py: the same seed gives the
same calls. Values JSON cannot hold are the markers of tests/vectors/README.md ({"$nan": true},
{"$inf": 1}, {"$deep": n}); each runner builds them in its own language.

Numbers are those every language reads alike: no integral floats where a whole number goes
(JavaScript has only doubles, so 3.0 is the integer 3 there and a float in Python, as
documented), no whole numbers past 2^53 − 1 (refused in JavaScript only, as documented).
"""

import os
import random
import sys
from typing import Any, Callable, Dict, List

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "vectors"))
from markers import build  # noqa: E402  (tests/vectors/markers.py)

__all__ = ["build", "calls", "Calls"]

NAN: Dict[str, Any] = {"$nan": True}
INF: Dict[str, Any] = {"$inf": 1}
NINF: Dict[str, Any] = {"$inf": -1}

TEXTS = [
    "Caen", "caen", "CAEN", "Évreux", "E\u0301vreux", "Saint-Lô", "saint lo", "St-Lô", "14118", "14000",
    "2A004", "75056", "Paris", "Lyon", "Lyon 3e", "Les Trois Lacs", "Granville", "Orne", "61", "Saint-Martin",
    "", " ", "\u0000", "Rouen ", "🙂", "null", "Le Havre", "Havre", "76600", "Cherbourg", "Manche", "Flers",
    "Vire", "Alençon", "ALENÇON", "Pont-l’Évêque", "Sotteville", "Sotteville 76300", "Trouville",
    "Bretteville (50)", "Caen (14)", "14000 Caen", "Rouenn", "H2903", "boulanger", "mécanicien",
    "J'aime le travail manuel", "14", "H", "H29", "college", "lycee", "mini_stage", "visio", "fax",
    {"$repeat": ["x", 5000]},
]
NUMBERS = [0, 1, -1, 1.5, 2, 3, 5, 20, 30, 100, 999.9, 1000, 1000.0001, 1e-20, 1e300, 2**53 - 1, 2**32,
           65535, 65536, NAN, INF, NINF]
OTHERS = [None, True, False, [], {}, [1], {"a": 1}, {"$deep": 40}, {"$deep": 5}]
PLACES = [
    {"insee": "14118"}, {"insee": "2a004"}, {"insee": "99999"}, {"postal_code": "14000"},
    {"postal_code": "50400"}, {"lat": 49.18, "lon": -0.37}, {"lat": 91, "lon": 0}, {"lat": 49, "lon": 180.5},
    {"lat": NAN, "lon": 0}, {"departement": "14"}, {"departement": "Orne"}, {"commune": "Caen"},
    {"lat": 49.18}, {"insee": 14118}, {"lat": "49", "lon": "0"}, {"lat": -0.37, "lon": 49.18},
    {"lat": 48.83, "lon": -1.6},
]


class Calls:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)

    def any(self) -> Any:
        k = self.r.random()
        pool = TEXTS if k < 0.35 else NUMBERS if k < 0.65 else OTHERS if k < 0.8 else PLACES
        return self.r.choice(pool)

    def some(self, valid: List[Any]) -> Any:
        return self.r.choice(valid) if self.r.random() < 0.75 else self.any()

    def listed(self, valid: List[Any]) -> List[Any]:
        return [self.some(valid) for _ in range(self.r.choice([0, 1, 1, 2, 3]))]

    def query(self) -> Dict[str, Any]:
        r = self.r
        fields: Dict[str, Callable[[], Any]] = {
            "near": lambda: r.choice(TEXTS[:40] + PLACES),
            "radius_km": lambda: r.choice([5, 10, 20, 30, 50, 100, 0.5, 1000]),
            "limit": lambda: r.choice([0, 1, 3, 10, 20, 1000]),
            "offset": lambda: r.choice([0, 1, 5, 100, 2**32]),
            "interests": lambda: self.listed(["J'aime le travail manuel", "14", "1", "3", "nature"]),
            "sectors": lambda: self.listed(["H", "H29", "A", "N", "J15", "Z"]),
            "metiers": lambda: self.listed(["H2903", "D1102", "boulanger", "infirmier", "Z9999"]),
            "kinds": lambda: self.listed(["mini_stage", "observation_3e", "seconde", "long_professionnel"]),
            "audience": lambda: r.choice(["college", "lycee", "etudiant", "demandeur_emploi"]),
            "contact_modes": lambda: self.listed(["phone", "video", "class_visit", "company_visit", "fax"]),
            "departements": lambda: self.listed(["14", "50", "61", "27", "76", "Orne", "75"]),
            "weights": lambda: {k: r.choice([0, 0.5, 1, 2]) for k in r.sample(["interest", "sector", "distance"], r.randint(0, 3))},
            "dates": lambda: r.choice([{"start": "2027-01-04", "end": "2027-01-08"}, {"start": "2027-02-30", "end": "2027-03-01"},
                                       {"start": "2027-03-01", "end": "2027-02-01"}]),
            "group_size": lambda: r.choice([1, 25, 200]),
            "per_company": lambda: r.choice([1, 2, 5, 2**40]),
            "widen": lambda: r.choice([True, False]),
            "scope": lambda: r.choice(["proches", "metier", "domaine", "tous"]),
            "fairness": lambda: r.choice([{}, {"rotation_seed": 3}, {"rotation_margin": 0.05}]),
        }
        q = {k: fields[k]() for k in r.sample(list(fields), r.randint(1, 5))}
        if "near" not in q and r.random() < 0.7:
            q["near"] = fields["near"]()
        for _ in range(r.choice([0, 1, 1, 2])):
            key = r.choice(list(fields) + ["nearr"])
            inner = q.get(key)
            if isinstance(inner, dict) and inner and r.random() < 0.3:
                inner[r.choice(list(inner))] = self.any()
            else:
                q[key] = self.any()
        return q

    def pupils(self) -> Any:
        r = self.r
        out = []
        for i in range(r.choice([0, 1, 2, 3])):
            p: Dict[str, Any] = {"id": f"p{i}", "school": self.some(["0141234X"]), "weeks": self.some([["2027-W03"], ["2027-W10", "2027-W11"], []])}
            if r.random() < 0.5:
                p["wishes"] = self.some([["S000001", "S000002"], [], ["nope"], ["S000001", "S000001"]])
            else:
                p["profile"] = {"interests": self.some([["1", "3"]]), "radius_km": self.some([10, 30]), "wishes": self.some([1, 5, 20])}
            out.append(p)
        return out if r.random() < 0.9 else self.any()

    def call(self) -> Dict[str, Any]:
        r = self.r
        k = r.random()
        school = {"uai": "0141234X", "name": "Collège d'essai", "kind": "college", "commune": "14118",
                  "departement": "14", "lat": 49.18, "lon": -0.37, "pupils": 600}
        if k < 0.45:
            op = r.choice(["search_stages", "search_stages", "search_ambassadors", "search_companies",
                           "metiers_near", "ambassadors_for_class", "companies_for_class"])
            return {"op": op, "args": [self.query()]}
        if k < 0.55:
            return {"op": "search_stages_batch", "args": [[self.query() for _ in range(r.randint(0, 3))], r.choice(["keep", "raise"])]}
        if k < 0.68:
            return {"op": "locate", "args": [r.choice(TEXTS + PLACES + NUMBERS[:8] + OTHERS)]}
        if k < 0.76:
            return {"op": "distance_km", "args": [r.choice(TEXTS[:40] + PLACES), r.choice(TEXTS[:40] + PLACES + OTHERS)]}
        if k < 0.84:
            return {"op": "search_metiers", "args": [r.choice(TEXTS + ["ma", "c", "boulang", "a" * 300]), r.choice([None, 0, 1, 10, 1000, -1, 1.5, NAN, 2**53 - 1, "3"])]}
        if k < 0.90:
            choices: Dict[str, List[Any]] = {"priorities": [{"seed": 3}, {"rep_first": True}], "schools": [[school]], "suggestions": [0, 3, 20, 21]}
            opts = {key: self.some(valid) for key, valid in choices.items() if r.random() < 0.6}
            opts.setdefault("schools", [school])
            return {"op": "assign", "args": [self.pupils(), opts]}
        op = r.choice(["metier", "commune", "stage", "company"])
        valid = {"metier": ["H2903", "h2903", " H2903 ", "H29O3", "Z9999"], "commune": ["14118", "2a004", "75056", "14000", "1411", "Caen"],
                 "stage": ["S000001", "s000001", "S999999"], "company": ["C000001", "c000001", "nope", ""]}[op]
        return {"op": op, "args": [self.some(valid)]}


def calls(seed: int, n: int) -> List[Dict[str, Any]]:
    c = Calls(seed)
    return [c.call() for _ in range(n)]
