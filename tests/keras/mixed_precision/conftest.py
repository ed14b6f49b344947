"""Every test here starts and ends with the default global dtype policy."""

import pytest

from tork.keras.mixed_precision import policy as _policy


@pytest.fixture(autouse=True)
def _restore_global_policy():
    previous = _policy._global_policy
    _policy.set_global_policy(None)
    try:
        yield
    finally:
        _policy._global_policy = previous
