"""Runs every ```python block of ../shared/seeds/*.txt with `import tork as tf`.

Each block runs verbatim in a fresh namespace, with only the TensorFlow import
swapped. Blocks that are themselves wrong must fail with tork's clear error
(checked on the message); blocks that need parts not built yet are xfail with
the issue they wait for.
"""

from __future__ import annotations

import os
import pathlib
import re

import numpy as np
import pytest

SEEDS = pathlib.Path(__file__).resolve().parents[3] / "shared" / "seeds"
if os.environ.get("TORK_SEEDS_DIR"):  # e.g. a copy carried to a GPU machine
    SEEDS = pathlib.Path(os.environ["TORK_SEEDS_DIR"])
elif not SEEDS.is_dir():
    SEEDS = pathlib.Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

_BLOCK = re.compile(r"```python\n(.*?)```", re.S)

# (article number, block number) -> what must happen. Anything not listed must run cleanly.
EXPECTED = {
    # Seed 000 example 2 adds (64, 256) and (64, 128): tork must say so clearly.
    (0, 1): (
        ValueError,
        r"Add layer 'add(_\d+)?' in SkipConnectionModel\.call: cannot add shapes \(64, 256\) and "
        r"\(64, 128\); the last dimensions differ \(256 vs 128\)\. Make both inputs the same "
        r"size, e\.g\. Dense\(256\) before the Add\.",
    ),
    # Seed 002 example 2 builds a model whose call needs `condition`: build cannot guess it.
    (2, 1): (
        ValueError,
        r"ConditionalModel\.build\(input_shape\) cannot build this model: its "
        r"call\(inputs, condition\) needs the extra argument\(s\) 'condition', which build "
        r"cannot guess\. Call the model on real inputs instead",
    ),
    # Seed 002 example 3 fits on an unbatched dataset (elements of shape (10,)).
    (2, 2): (
        ValueError,
        r"fit received a dataset whose elements look unbatched: each element's x has shape "
        r"\(10,\), with no batch axis\. .*call \.batch\(\.\.\.\) on the dataset",
    ),
}

# Blocks waiting for an open issue.
WAITING: dict = {}


def _swap_import(source: str) -> str:
    source = re.sub(r"^import tensorflow as tf\b", "import tork as tf", source, flags=re.M)
    source = re.sub(
        r"^from tensorflow import keras\b", "from tork import keras", source, flags=re.M
    )
    source = re.sub(r"^from tensorflow\.keras\b", "from tork.keras", source, flags=re.M)
    return source


def _blocks():
    cases = []
    for path in sorted(SEEDS.glob("*.txt")):
        article = int(path.name.split("_")[0])
        for index, block in enumerate(_BLOCK.findall(path.read_text())):
            cases.append(pytest.param(article, index, block, id=f"{path.stem[:3]}-ex{index + 1}"))
    return cases


def _namespace():
    import tork as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 10)).astype("float32")
    y = (x @ rng.normal(size=(10, 1))).astype("float32")
    # Seed 003 example 3 assumes a `train_dataset` exists: give it a small batched one.
    train_dataset = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    # Later blocks of an article use the `tf` its first block imported.
    return {"__name__": "__seed__", "tf": tf, "train_dataset": train_dataset}


def test_seeds_are_found():
    assert len(_blocks()) >= 15, f"expected the seed articles under {SEEDS}"


@pytest.mark.parametrize("article,index,source", _blocks())
def test_seed_example(article, index, source, capsys):
    key = (article, index)
    if key in WAITING:
        pytest.xfail(WAITING[key])
    code = compile(_swap_import(source), f"seed_{article:03d}_ex{index + 1}", "exec")
    namespace = _namespace()
    if key in EXPECTED:
        error, pattern = EXPECTED[key]
        with pytest.raises(error, match=pattern):
            exec(code, namespace)
        return
    exec(code, namespace)
