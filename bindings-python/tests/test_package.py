"""What a data scientist reads before using the package: help() on the methods, examples in
every docstring, and the wheel (one for every CPython from 3.9)."""

import doctest
import inspect
import pathlib
import pydoc

import metiers


def test_help_of_a_search_lists_the_query_fields_and_their_meaning() -> None:
    text = pydoc.render_doc(metiers.Engine.search_stages, renderer=pydoc.plaintext)
    assert "Query fields (a dict, or keyword arguments):" in text
    for field, meaning in metiers.types.FIELDS["Query"].items():
        assert field in text and meaning[:40] in " ".join(text.split()), field
    assert "radius_km" in text and "Radius in km (default 30" in text
    coverage = pydoc.render_doc(metiers.Engine.coverage, renderer=pydoc.plaintext)
    assert "radii_km" in coverage


def test_every_public_method_and_function_has_an_example_that_runs() -> None:
    methods = [n for n, f in inspect.getmembers(metiers.Engine) if not n.startswith("_") and callable(f)]
    without = [n for n in methods if ">>>" not in (getattr(metiers.Engine, n).__doc__ or "")]
    assert without == [], f"methods without an example: {without}"
    functions = [n for n in metiers.__all__ if inspect.isfunction(getattr(metiers, n))]
    assert [n for n in functions if ">>>" not in (getattr(metiers, n).__doc__ or "")] == []
    result = doctest.testmod(metiers)
    assert result.failed == 0 and result.attempted > 100


def test_repr_says_region_counts_and_revision() -> None:
    text = repr(metiers.Engine.normandy())
    assert text.startswith("<metiers.Engine region='normandy' companies=") and "revision=" in text


def test_the_native_module_is_built_for_the_stable_abi() -> None:
    # abi3: one wheel for CPython 3.9 and later (the module's file says so).
    name = pathlib.Path(metiers._native.__file__).name
    assert name == "_native.abi3.so", f"{name} shadows _native.abi3.so: delete it (built before abi3)"


def test_the_sdist_carries_every_file_the_build_reads(tmp_path: pathlib.Path) -> None:
    import re
    import subprocess
    import sys
    import tarfile

    root = pathlib.Path(__file__).resolve().parents[2]
    maturin = pathlib.Path(sys.executable).with_name("maturin")
    subprocess.run([str(maturin), "sdist", "-o", str(tmp_path)], cwd=root / "bindings-python", check=True, capture_output=True)
    [sdist] = list(tmp_path.glob("metiers-*.tar.gz"))
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"pyproject.toml", "Cargo.lock", "core/Cargo.toml", "python/metiers/py.typed"} <= names
    # Every file the core embeds (include_str!/include_bytes!) is in it, or pip cannot build it.
    embedded = set()
    for source in (root / "core/src").rglob("*.rs"):
        for path in re.findall(r'include_(?:str|bytes)!\("([^"]+)"\)', source.read_text()):
            embedded.add((source.parent / path).resolve().relative_to(root).as_posix())
    assert len(embedded) >= 5, embedded
    assert embedded <= names, f"missing from the sdist: {sorted(embedded - names)}"
