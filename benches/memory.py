"""Peak memory (resident set) and time of the processes the README's memory table quotes, each
a process of its own, measured by the kernel (`os.wait4`): the command line, the France-scale
engine, and from Python (then from Node) the loaders and exports of a large catalogue.

    python3 benches/memory.py

Needs the Python package built as `bash scripts/test` builds it (`.venv`); the Node rows are
skipped, saying so, when the addon is not built. Writes its inputs
under `target/memory/`: the France-scale catalogue as a JSON document (292 MB, written by the
`france_scale` example) and 1,000,000 stage rows as one CSV file (about 100 MB, four companies,
generated here, the same every run). One run; peak memory barely varies from run to run, the
times do (a shared machine).
"""

import json
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "memory")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
CLI = os.path.join(ROOT, "target", "release", "metiers")
FRANCE = os.path.join(ROOT, "target", "release", "examples", "france_scale")
FRANCE_JSON = os.path.join(WORK, "france.json")
COMPANIES_CSV = os.path.join(WORK, "companies.csv")
STAGES_CSV = os.path.join(WORK, "stages.csv")
STAGE_ROWS = 1_000_000


# Python as installed packages run, with its bytecode cache (some sandboxes turn it off).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(command):
    """Peak resident MB and seconds of one process, from the kernel's accounting of it."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    out = process.stdout.read().decode()
    err = process.stderr.read().decode()
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed ({status}): {err[-800:]}")
    return usage.ru_maxrss / 1024, seconds, out


def python(code):
    return run([PYTHON, "-c", code])


def write_stage_csv():
    """1,000,000 stage rows of four companies in Normandy, the same every run."""
    if os.path.exists(STAGES_CSV) and os.path.exists(COMPANIES_CSV):
        return
    os.makedirs(WORK, exist_ok=True)
    communes = ["Caen", "Rouen", "Flers", "Lisieux", "Évreux", "Alençon", "Dieppe", "Bayeux"]
    codes = ["H2903", "D1102", "F1603", "J1501", "N1103", "I1604", "G1602", "A1203"]
    with open(COMPANIES_CSV, "w", encoding="utf-8") as f:
        f.write("id,name,commune\n")
        for k in range(4):
            f.write(f"C{k},Entreprise {k},{communes[k]}\n")
    with open(STAGES_CSV, "w", encoding="utf-8") as f:
        f.write("id,company,kind,metiers,periods,places_total,title,commune\n")
        for i in range(STAGE_ROWS):
            f.write(
                f"S{i:07d},C{i % 4},long_professionnel,{codes[i % 8]},"
                f"2027-01-04/2027-01-29,{1 + i % 3},Stage numéro {i},{communes[(i // 4) % 8]}\n"
            )


NODE_PACKAGE = os.path.join(ROOT, "bindings-node")


def node(code):
    return run(["node", "-e", code, NODE_PACKAGE])


def csv_load_js():
    return (
        "const { Engine } = require(process.argv[1]); const e = Engine.empty('normandy'); "
        f"e.loadFile({json.dumps(COMPANIES_CSV)}); let t = process.hrtime.bigint(); "
        f"e.loadFile({json.dumps(STAGES_CSV)}); "
        "console.log(`load ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`); "
    )


def node_load_js():
    return (
        "const { Engine } = require(process.argv[1]); const e = Engine.empty('france'); "
        f"let t = process.hrtime.bigint(); e.loadFile({json.dumps(FRANCE_JSON)}); "
        "console.log(`load ${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(1)} s`); "
    )


def node_rows(csv_load, load):
    """The same loads from Node (the addon as `bash scripts/test` builds it), when it is built."""
    if not any(f.endswith(".node") for f in os.listdir(NODE_PACKAGE)):
        print("Node rows skipped: build the addon first (bash scripts/test)", file=sys.stderr)
        return []
    timed = "t = process.hrtime.bigint(); {call}; console.log(`{what} ${{(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)}} s`)"
    return [
        (
            f"Node: the same {STAGE_ROWS:,} CSV stage rows (`loadFile`), then a first search",
            node(csv_load + timed.format(call="e.searchStages({ near: 'Caen' })", what="first search")),
        ),
        (
            "Node: the France catalogue from its JSON document, then `exportJson()` (a string)",
            node(load + timed.format(call="e.exportJson()", what="export")),
        ),
    ]


#: 3,000 stage searches of the Normandy sample, 200 matches each (410,000 in all).
BATCH = (
    "import metiers, time; e = metiers.Engine.normandy(); "
    "qs = [{'near': c, 'radius_km': 50, 'limit': 200} for c in ['Caen', 'Rouen', 'Le Havre'] * 1000]; "
    "t = time.perf_counter(); "
)


def batch_rows():
    """A large batch from Python, as dicts and as one pandas frame (`as_frame=True`)."""
    return [
        (
            "Python: 3,000 stage searches in one batch (`search_stages_batch`, 410,000 matches), as dicts",
            python(BATCH + "b = e.search_stages_batch(qs); print(f'batch {time.perf_counter() - t:.2f} s')"),
        ),
        (
            "Python: the same batch as one frame (`as_frame=True`, 410,000 rows of 28 columns)",
            python(
                "import pandas; "
                + BATCH
                + "b = e.search_stages_batch(qs, as_frame=True); print(f'batch {time.perf_counter() - t:.2f} s')"
            ),
        ),
    ]


def main():
    subprocess.run(["cargo", "build", "-q", "--release", "-p", "metiers-cli"], cwd=ROOT, check=True)
    subprocess.run(
        ["cargo", "build", "-q", "--release", "-p", "metiers", "--features", "france", "--example", "france_scale"],
        cwd=ROOT,
        check=True,
    )
    if not os.path.exists(PYTHON):
        raise SystemExit("build the Python package first: bash scripts/test (it makes .venv)")
    os.makedirs(WORK, exist_ok=True)
    write_stage_csv()
    rows = [
        ("CLI `metiers stages --near Flers` (Normandy, the sample, one search)", run([CLI, "stages", "--near", "Flers"])),
        ("CLI `metiers metiers fraiseur` (the referential and the job-title index)", run([CLI, "metiers", "fraiseur"])),
        ("Python: `import metiers`", python("import metiers")),
        (
            "Python: `Engine.normandy()` and a first search",
            python("import metiers; metiers.Engine.normandy().search_stages(near='Flers')"),
        ),
        (
            "France-scale engine: all communes, 500,000 stages generated, search index built, one "
            "query, the catalogue written as JSON (`france_scale 0 target/memory/france.json`)",
            run([FRANCE, "0", FRANCE_JSON]),
        ),
    ]
    load = f"import metiers, time; e = metiers.Engine.empty('france'); t = time.perf_counter(); e.load({FRANCE_JSON!r}); print(f'load {{time.perf_counter() - t:.1f}} s'); "
    csv_load = (
        "import metiers, time; e = metiers.Engine.empty('normandy'); "
        f"e.load({COMPANIES_CSV!r}); t = time.perf_counter(); e.load({STAGES_CSV!r}); "
        "print(f'load {time.perf_counter() - t:.1f} s')"
    )
    rows += [
        ("Python: that catalogue loaded from its JSON document (292 MB)", python(load)),
        (
            "Python: the same, then `export_json()` (a str)",
            python(load + "t = time.perf_counter(); s = e.export_json(); print(f'export {time.perf_counter() - t:.1f} s')"),
        ),
        (
            "Python: the same, then `export_json(path)` (streamed to the file)",
            python(
                load
                + f"t = time.perf_counter(); e.export_json({os.path.join(WORK, 'export.json')!r}); "
                + "print(f'export {time.perf_counter() - t:.1f} s')"
            ),
        ),
        (
            f"Python: {STAGE_ROWS:,} stage rows from one CSV file ({os.path.getsize(STAGES_CSV) / 1e6:.0f} MB; "
            "`Engine.empty()`, four companies, `load(path)`)",
            python(csv_load),
        ),
        (
            "Python: the same, then a first search (the search index built over the million stages)",
            python(
                csv_load
                + "; t = time.perf_counter(); e.search_stages(near='Caen'); "
                + "print(f'first search {time.perf_counter() - t:.2f} s')"
            ),
        ),
    ]
    rows += batch_rows()
    rows += node_rows(csv_load_js(), node_load_js())
    print("| process | peak RSS | time (whole process; steps as it printed them) |")
    print("| --- | --- | --- |")
    for name, (mb, seconds, out) in rows:
        # The steps a process timed itself (the CLI prints results, not times).
        steps = "; ".join(line.strip() for line in out.splitlines() if re.search(r"\d m?s\b", line))
        detail = f" ({steps})" if steps else ""
        print(f"| {name} | {mb:,.0f} MB | {seconds:.2f} s{detail} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
