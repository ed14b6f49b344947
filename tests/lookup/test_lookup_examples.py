"""The examples in the docstrings of tork.lookup give the values they show."""

import doctest
import importlib

import numpy as np
import pytest

import tork

MODULES = [
    "key_value_tensor_initializer",
    "static_hash_table",
    "static_vocabulary_table",
    "mutable_hash_table",
    "dense_hash_table",
    "dataset_initializer",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"tork.lookup.{name}")
    result = doctest.testmod(
        module, extraglobs={"tf": tork, "np": np}, optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0
    assert result.attempted > 0
