"""The unseeded-initializer warning prints once per initializer class, as Keras 2.

tf_keras 2.21 warns from its own initializers.py line, so Python's default filter shows
"The initializer RandomNormal is unseeded..." once for a program that reuses one instance
in two Conv2D, two Dense and two direct calls; tork pointed the warning at each caller
and printed it once per call site.
"""

import subprocess
import sys
import warnings

import pytest

import tork as tf

keras = tf.keras


def test_unseeded_warning_has_one_location_for_all_callers():
    init = keras.initializers.RandomNormal(stddev=0.02)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        keras.layers.Dense(2, kernel_initializer=init)(tf.ones((1, 3)))
        keras.layers.Dense(2, kernel_initializer=init)(tf.ones((1, 3)))
        init((2, 2))
    unseeded = [w for w in caught if "is unseeded" in str(w.message)]
    assert len(unseeded) == 2
    assert {(w.filename, w.lineno) for w in unseeded} == {
        (unseeded[0].filename, unseeded[0].lineno)
    }


SCRIPT = """
import tork as tf
keras = tf.keras
init = tf.initializers.RandomNormal(mean=0.0, stddev=0.02)
x = tf.ones((1, 8, 8, 3))
y = keras.layers.Conv2D(4, 3, kernel_initializer=init)(x)
y = keras.layers.Conv2D(4, 3, kernel_initializer=init)(y)
y = keras.layers.Dense(4, kernel_initializer=init)(y)
w = tf.Variable(init((3, 3)))
w = tf.Variable(init((3, 3)))
"""


@pytest.mark.slow  # a fresh interpreter imports tork
def test_unseeded_warning_prints_once_per_program_as_tf():
    # TF (TF_USE_LEGACY_KERAS=1, same program): the warning is printed once.
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("The initializer RandomNormal is unseeded") == 1
