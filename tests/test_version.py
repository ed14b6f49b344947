"""`tf.__version__` / `tf.version`: TF code's version checks pass; tork's release stays known."""

import pathlib
import re

import tork as tf

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_tf_version_is_the_tensorflow_release_tork_follows():
    # TF 2.21.0's tf.__version__ and tf.version.VERSION (the reference release).
    assert tf.__version__ == tf.version.VERSION == "2.21.0"


def test_version_checks_written_for_tensorflow_pass():
    # handson-ml2's first cell, and the usual gates of libraries on the major version.
    assert tf.__version__ >= "2.0"
    assert int(tf.__version__.split(".")[0]) == 2
    assert tuple(int(p) for p in tf.__version__.split(".")[:2]) >= (2, 8)
    assert not tf.__version__.startswith("1.")


def test_tork_release_is_the_package_version():
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M)
    assert tf.version.TORK_VERSION == version.group(1)
    assert tf.version.GIT_VERSION == f"tork-{version.group(1)}"
