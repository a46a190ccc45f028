"""A new process to its first answer, in each language: the time a command line, a script or
a serverless function waits before it has ranked stages or job-title suggestions.

    python3 benches/startup.py [RUNS]

Builds the command line (release) first; the Python and Node rows need the packages built as
`bash scripts/test` builds them (`.venv`, `bindings-node`) and are skipped, saying so, when
they are not. Each row is a whole process, started RUNS times (21 by default) one after the
other; the table gives the fastest and the median, next to the interpreter's own start-up (the
floor no library can go under). One run on a shared machine: compare rows of one run.
"""

import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "target", "release", "metiers")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
NODE_PACKAGE = os.path.join(ROOT, "bindings-node")

PY_STAGES = "import metiers; metiers.Engine.normandy().search_stages(near='Flers')"
PY_TITLES = "import metiers; metiers.Engine.empty('normandy').search_metiers('plombier')"
JS_STAGES = "const {Engine} = require(%r); Engine.normandy().searchStages({near: 'Flers'})"
JS_TITLES = "const {Engine} = require(%r); Engine.empty('normandy').searchMetiers('plombier')"


# Python as installed packages run: with its compiled bytecode cached (some sandboxes turn the
# cache off, and every import then compiles the package's modules again).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(command, runs):
    """(fastest, median) in milliseconds of `runs` starts of a command, after one start that
    is not counted (it fills the caches: files, bytecode); each must succeed."""
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[-500:]}")
    return min(times), statistics.median(times)


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "metiers-cli"], cwd=ROOT, check=True)
    rows = [
        ("command line: `metiers stages --near Flers`", [CLI, "stages", "--near", "Flers"]),
        ("command line: `metiers metiers plombier`", [CLI, "metiers", "plombier"]),
    ]
    skipped = []
    if os.path.exists(PYTHON) and subprocess.run([PYTHON, "-c", "import metiers"], cwd=ROOT, env=ENV).returncode == 0:
        rows += [
            ("Python: the interpreter alone (`python -c pass`)", [PYTHON, "-c", "pass"]),
            ("Python: import, `Engine.normandy()`, `search_stages`", [PYTHON, "-c", PY_STAGES]),
            ("Python: import, `Engine.empty`, `search_metiers`", [PYTHON, "-c", PY_TITLES]),
        ]
    else:
        skipped.append("Python (build it with `bash scripts/test`: .venv with the package)")
    node_ok = subprocess.run(
        ["node", "-e", "require(%r)" % NODE_PACKAGE], cwd=ROOT, stderr=subprocess.DEVNULL
    ).returncode == 0
    if node_ok:
        rows += [
            ("Node: the interpreter alone (`node -e ''`)", ["node", "-e", ""]),
            ("Node: require, `Engine.normandy()`, `searchStages`", ["node", "-e", JS_STAGES % NODE_PACKAGE]),
            ("Node: require, `Engine.empty`, `searchMetiers`", ["node", "-e", JS_TITLES % NODE_PACKAGE]),
        ]
    else:
        skipped.append("Node (build the addon with `bash scripts/test`)")
    print(f"| a new process to its first answer ({runs} runs each) | fastest | median |")
    print("| --- | --- | --- |")
    for name, command in rows:
        fastest, median = timed(command, runs)
        print(f"| {name} | {fastest:.1f} ms | {median:.1f} ms |", flush=True)
    for what in skipped:
        print(f"skipped: {what}", file=sys.stderr)


if __name__ == "__main__":
    main()
