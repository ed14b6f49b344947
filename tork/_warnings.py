"""Warnings that point at the user's line, however deep inside tork they are raised."""

from __future__ import annotations

import os
import sys
import warnings

# tork's own source folder: frames under it are skipped when placing a warning.
_TORK_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_user(message: str, category: type[Warning] = UserWarning) -> None:
    """`warnings.warn` attributed to the first caller outside tork (the user's line).

    A fixed `stacklevel` breaks as soon as a call path gains or loses a helper (the
    load_weights skip warnings pointed at tork's own model_saving.py).

    Args:
        message: the warning text.
        category: the warning class.
    """
    # stacklevel 1 is this function, 2 its caller: count the callers inside tork.
    level, frame = 2, sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_TORK_DIR):
        level += 1
        frame = frame.f_back
    warnings.warn(message, category, stacklevel=level)
