"""Keeps docs/compatibility.md true.

Every name in an "implemented" column must exist in tork; every name in a "not yet" column
must still be missing (so that implementing one prompts moving it). Names are relative to the
namespace in the backticks of the section heading (`## `tf.keras.layers``); names starting
with `tf.` are absolute.

Run this file as a script to list public tork names that the document does not mention:
`python tests/docs/test_compatibility.py`.
"""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

import pytest

DOC = Path(__file__).resolve().parents[2] / "docs" / "compatibility.md"
_HEADING = re.compile(r"^##\s+`([\w.]+)`")
_TOKEN = re.compile(r"`([A-Za-z_][\w.]*)`")


def _parse(text: str) -> tuple[list[str], list[str]]:
    """Returns (implemented, not_yet) as absolute dotted names (`tf....`)."""
    implemented, not_yet = [], []
    prefix = None
    kind = None  # which table we are in: "implemented" or "not yet"
    for line in text.splitlines():
        heading = _HEADING.match(line)
        if line.startswith("## "):
            prefix = heading.group(1) if heading else None
            kind = None
            continue
        if not line.startswith("|"):
            kind = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-: "):
            continue  # the |---| separator row
        if kind is None:  # a header row opens a table
            if len(cells) > 1 and cells[1] == "implemented":
                kind = "implemented"
            elif cells[0] == "not yet":
                kind = "not yet"
            else:
                kind = "other"
            continue
        if kind == "other":
            continue
        cell = cells[1] if kind == "implemented" else cells[0]
        for token in _TOKEN.findall(cell):
            if token.startswith("tf."):
                name = token
            elif prefix is None:
                raise AssertionError(f"{token!r} is listed outside a `namespace` section")
            else:
                name = f"{prefix}.{token}"
            (implemented if kind == "implemented" else not_yet).append(name)
    return implemented, not_yet


def _instances() -> dict:
    """Objects whose attributes are instance-level (set in __init__, compile or build)."""
    import tork as tf

    keras = tf.keras
    sequential = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    sequential.compile(optimizer="sgd", loss="mse")
    dense = keras.layers.Dense(2)
    dense(tf.zeros((1, 3)))
    return {
        "tf.keras.Model": sequential,
        "tf.keras.Sequential": sequential,
        "tf.keras.layers.Layer": dense,
        "tf.Variable": tf.Variable(1.0),
        "tf.GradientTape": tf.GradientTape(),
    }


_INSTANCES: dict | None = None


def _lookup(root, parts):
    obj = root
    for part in parts:
        obj = getattr(obj, part)
    return obj


def _exists(name: str) -> bool:
    global _INSTANCES
    import tork

    parts = name.split(".")
    try:
        _lookup(tork, parts[1:])
        return True
    except Exception:  # NotImplementedError, AttributeError, ModuleNotFoundError ...
        pass
    owner = ".".join(parts[:-1])
    if _INSTANCES is None:
        _INSTANCES = _instances()
    instance = _INSTANCES.get(owner)
    if instance is None:
        return False
    try:
        getattr(instance, parts[-1])
        return True
    except Exception:
        return False


IMPLEMENTED, NOT_YET = _parse(DOC.read_text())


def test_document_lists_names():
    assert len(IMPLEMENTED) > 500, "docs/compatibility.md lost its implemented tables"
    assert len(NOT_YET) > 15, "docs/compatibility.md lost its not-yet tables"
    duplicates = sorted({n for n in IMPLEMENTED if IMPLEMENTED.count(n) > 1})
    assert not duplicates, f"listed twice as implemented: {duplicates}"
    both = sorted(set(IMPLEMENTED) & set(NOT_YET))
    assert not both, f"listed as implemented and as not yet: {both}"


def test_every_implemented_name_exists():
    missing = [name for name in IMPLEMENTED if not _exists(name)]
    assert not missing, (
        "docs/compatibility.md lists these as implemented, but tork lacks them "
        f"(implement them or move them to a 'not yet' table): {missing}"
    )


def test_not_yet_names_are_still_missing():
    present = [name for name in NOT_YET if _exists(name)]
    assert not present, (
        "tork now has these names, which docs/compatibility.md lists as 'not yet': move them "
        f"to the implemented table of their section: {present}"
    )


def test_missing_names_raise_not_implemented_error():
    # What tork does not have must fail with NotImplementedError naming the API (DESIGN.md).
    import tork

    missing = ["tf.keras.layers.JaxLayer", "tf.xla", "tf.image.extract_glimpse"]
    for name in missing:
        with pytest.raises(NotImplementedError, match=re.escape(name.split(".")[-1])):
            _lookup(tork, name.split(".")[1:])


def test_parser_reads_both_table_kinds():
    text = (
        "## `tf.x`\n\n| group | implemented | notes |\n|---|---|---|\n| g | `a`, `b.c` | `n` |\n\n"
        "| not yet | notes |\n|---|---|\n| `d` | `e` |\n\n## Other\n\n| not yet | notes |\n"
        "|---|---|\n| `tf.y` | |\n"
    )
    assert _parse(text) == (["tf.x.a", "tf.x.b.c"], ["tf.x.d", "tf.y"])


def _unlisted() -> list[str]:
    """Public tork names under the documented namespaces that the document never mentions."""
    import tork

    mentioned = set(IMPLEMENTED) | set(NOT_YET)
    namespaces = sorted({n.rsplit(".", 1)[0] for n in mentioned})
    found = []
    for namespace in namespaces:
        try:
            obj = _lookup(tork, namespace.split(".")[1:])
        except Exception:
            continue
        if not isinstance(obj, types.ModuleType):
            continue
        for attr in sorted(dir(obj)):
            try:
                value = getattr(obj, attr)
            except Exception:  # dir() may list lazily loaded names that fail to load
                continue
            if attr.startswith("_") or isinstance(value, types.ModuleType):
                continue
            if not (getattr(value, "__module__", "") or "").startswith("tork"):
                continue
            name = f"{namespace}.{attr}"
            if name not in mentioned:
                found.append(name)
    return found


if __name__ == "__main__":
    names = _unlisted()
    print("\n".join(names) if names else "every public name is in docs/compatibility.md")
    sys.exit(0)
