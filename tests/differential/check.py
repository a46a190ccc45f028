"""Random calls, many of them hostile, run in Python, in the Node package and in the browser
module (built for Node): every answer must be the same result or the same coded error (code,
field, kind), but for what the builds document as different (below). A differential test: the
shared vectors hold the cases someone thought of, this holds the ones nobody did.

    .venv/bin/python tests/differential/check.py [--seeds 1 2 3] [--calls 400]

Needs the Python package (`maturin develop`), the Node addon and `bindings-js/pkg-node` built,
as the test command builds them. Exits 1 with the first differences.

Documented differences, not compared: the browser module has no commune contours (an exact
point names no commune), no embedded schools (a placement names its schools) and loads the
métiers' texts on demand; any other difference fails.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from typing import Any, Dict, List, Optional

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import metiers  # noqa: E402
from cases import build, calls  # noqa: E402

NODE = os.path.join(ROOT, "bindings-node")
BROWSER = os.path.join(ROOT, "bindings-js", "pkg-node", "metiers_web.js")


def error_of(e: metiers.MetiersError) -> Dict[str, Any]:
    return {"code": e.code, "field": e.field, "kind": getattr(e, "kind", None)}


def run_python(todo: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    engine = metiers.Engine.normandy()
    out: List[Dict[str, Any]] = []
    for c in todo:
        op, args = c["op"], build(c["args"])
        try:
            if op == "assign":
                pupils, options = args
                result = engine.assign(pupils, **options)
            elif op == "search_stages_batch":
                result = [{"error": error_of(r)} if isinstance(r, metiers.MetiersError) else r
                          for r in engine.search_stages_batch(args[0], errors=args[1])]
            else:
                result = getattr(engine, op)(*args)
            out.append({"ok": result})
        except metiers.MetiersError as e:
            out.append({"error": error_of(e)})
        except Exception as e:  # anything else is a failure of its own
            out.append({"exception": f"{type(e).__name__}: {e}"})
    return out


def run_js(module: str, path: str) -> List[Dict[str, Any]]:
    text = subprocess.run(["node", os.path.join(HERE, "run.js"), path, module], check=True,
                          capture_output=True, text=True).stdout
    answers: List[Dict[str, Any]] = json.loads(text)
    return answers


def same(a: Any, b: Any) -> bool:
    """Equal as JSON values: a whole float equals the integer (JSON.parse makes no floats of
    them), and nothing else differs, not even a key's presence."""
    number = (int, float)
    if isinstance(a, number) and isinstance(b, number) and not isinstance(a, bool) and not isinstance(b, bool):
        return a == b or (a != a and b != b)  # NaN never reaches a result; compared all the same
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and bool(a == b)


def browser_view(call: Dict[str, Any], answer: Dict[str, Any]) -> Optional[Dict[str, Any]]:
    """What the browser module is compared on, or None when the call needs what that build
    leaves out (schools for a placement, contours for a point, the métiers' texts)."""
    op = call["op"]
    if op == "assign":
        return None
    text = json.dumps(call)
    if '"lat"' in text and op in ("locate", "distance_km") or ('"lat"' in text and "near" in text):
        return None
    if op == "metier" and "ok" in answer:
        return {"ok": {k: v for k, v in answer["ok"].items() if k not in ("definition", "acces")}}
    return answer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    parser.add_argument("--calls", type=int, default=400)
    a = parser.parse_args()
    failures: List[str] = []
    total = answered = 0
    for seed in a.seeds:
        todo = calls(seed, a.calls)
        total += len(todo)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as f:
            json.dump(todo, f, ensure_ascii=False)
        try:
            py = run_python(todo)
            answered += sum("ok" in p for p in py)
            node = run_js(NODE, f.name)
            browser = run_js(BROWSER, f.name)
        finally:
            os.unlink(f.name)
        for i, (c, p, n, b) in enumerate(zip(todo, py, node, browser)):
            where = f"seed {seed} call {i}: {json.dumps(c, ensure_ascii=False)[:300]}"
            for name, answer in (("Python", p), ("Node", n), ("browser", b)):
                if "exception" in answer:
                    failures.append(f"{where}\n  {name} raised {answer['exception'][:300]}")
            if not same(p, n):
                failures.append(f"{where}\n  Python {json.dumps(p, ensure_ascii=False)[:300]}\n  Node   {json.dumps(n, ensure_ascii=False)[:300]}")
            pv, bv = browser_view(c, p), browser_view(c, b)
            if pv is not None and bv is not None and "absent" not in b and not same(pv, bv):
                failures.append(f"{where}\n  Python  {json.dumps(pv, ensure_ascii=False)[:300]}\n  browser {json.dumps(bv, ensure_ascii=False)[:300]}")
    print(f"differential: {total} calls (seeds {a.seeds}; {answered} answered, the others coded errors) "
          f"in Python, Node and the browser module: {len(failures)} differences")
    for failure in failures[:10]:
        print(failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
