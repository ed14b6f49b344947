"""`from tork.nn import x`: TensorFlow's op namespaces import as modules (keras-unet-collection)."""

import subprocess
import sys

import numpy as np
import pytest

import tork


def test_from_namespace_import():
    from tork.image import extract_patches
    from tork.math import reduce_sum
    from tork.nn import depth_to_space

    assert depth_to_space is tork.nn.depth_to_space
    assert extract_patches is tork.image.extract_patches
    x = np.arange(8, dtype="float32").reshape(1, 1, 2, 4)
    assert tuple(depth_to_space(x, 2).shape) == (1, 2, 4, 1)
    assert float(reduce_sum(x)) == 28.0


def test_import_as_and_specs_kept():
    import tork.linalg as tfl
    import tork.math as tfm

    assert tfm is tork.math and tfl is tork.linalg
    # The alias does not rename the module it stands for.
    assert tork.math.__spec__.name == "tork.ops.math"
    with pytest.raises(ModuleNotFoundError):
        __import__("tork.no_such_namespace")


def test_lazy_namespace_first_imported_by_from_import():
    # In a fresh interpreter, `from tork.image import resize` loads the lazy namespace the
    # way `tork.image` does: its ops also work on functional-API inputs.
    code = (
        "from tork.image import resize\n"
        "from tork import keras\n"
        "i = keras.Input((4, 4, 3))\n"
        "m = keras.Model(i, resize(i, [8, 8]))\n"
        "print(m.output_shape)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(None, 8, 8, 3)"
