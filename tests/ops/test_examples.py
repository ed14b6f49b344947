"""The examples in the docstrings of tork.ops modules give the values they show."""

import doctest
import importlib
import re
import sys

import numpy as np
import pytest

import tork

MODULES = ["array", "math", "nn", "random", "linalg", "debugging"]


class _AnyDeviceChecker(doctest.OutputChecker):
    """Compares outputs without the `device='cuda:0'` that a tensor's repr adds off the CPU.

    The examples show CPU reprs; on a GPU the same values print with their device.
    """

    def check_output(self, want, got, optionflags):
        got = re.sub(r",\s*device='[^']*'", "", got)
        return super().check_output(want, got, optionflags)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"tork.ops.{name}")
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(
        checker=_AnyDeviceChecker(), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    globs = {"tf": tork, "sys": sys, "np": np}
    attempted = 0
    for attr in dir(module):
        obj = getattr(module, attr)
        if callable(obj) and getattr(obj, "__module__", None) == module.__name__:
            for test in finder.find(obj, attr, globs=dict(globs)):
                result = runner.run(test, out=lambda text: None)
                attempted += result.attempted
    assert runner.failures == 0, f"{runner.failures} docstring example(s) failed in {name}"
    assert attempted > 0
