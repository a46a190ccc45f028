"""The markers of tests/vectors/README.md built in Python: {"$nan": true} is NaN, {"$inf": 1}
and {"$inf": -1} are ±infinity, {"$deep": n} is 1 inside n nested lists, {"$repeat": [text, n]}
is text repeated n times, {"$concat": [part, …]} joins its parts. Read by the Python suite
(bindings-python/tests) and by tests/differential."""

from typing import Any, Optional


def text(v: Any) -> Optional[str]:
    """The text a ``$repeat`` or ``$concat`` marker stands for (or None)."""
    if isinstance(v, str):
        return v
    if isinstance(v, dict) and isinstance(v.get("$repeat"), list):
        return str(v["$repeat"][0]) * int(v["$repeat"][1])
    if isinstance(v, dict) and isinstance(v.get("$concat"), list):
        parts = [text(p) for p in v["$concat"]]
        return "".join(p for p in parts if p is not None)
    return None


def build(v: Any) -> Any:
    """A value with its markers built."""
    if isinstance(v, list):
        return [build(x) for x in v]
    if isinstance(v, dict):
        if "$nan" in v:
            return float("nan")
        if "$inf" in v:
            return v["$inf"] * float("inf")
        if "$deep" in v:
            x: Any = 1
            for _ in range(v["$deep"]):
                x = [x]
            return x
        t = text(v)
        if t is not None:
            return t
        return {k: build(x) for k, x in v.items()}
    return v
