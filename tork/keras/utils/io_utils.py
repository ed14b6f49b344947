"""Where Keras's console output goes: stdout (interactive logging) or the Python log.

Keras 3 writes progress bars, epoch headers and `model.summary()` to stdout while
"interactive logging" is on (the default). With it off, the same messages go to
the logger named `keras` at level INFO, one record per message, without the
progress bar's redraw characters: useful for jobs whose output is collected by a
logging system.
"""

from __future__ import annotations

import logging
import sys

_INTERACTIVE = True


def enable_interactive_logging() -> None:
    """Sends Keras's messages (progress bars, summaries) to stdout, the default.

    Example:
    >>> keras.utils.enable_interactive_logging()
    >>> keras.utils.is_interactive_logging_enabled()
    True
    """
    global _INTERACTIVE
    _INTERACTIVE = True


def disable_interactive_logging() -> None:
    """Sends Keras's messages to the Python logger `keras` (level INFO) instead of stdout.

    Example:
    >>> import logging
    >>> logging.basicConfig(level=logging.INFO)  # doctest: +SKIP
    >>> keras.utils.disable_interactive_logging()
    >>> keras.utils.is_interactive_logging_enabled()
    False
    >>> keras.utils.enable_interactive_logging()
    """
    global _INTERACTIVE
    _INTERACTIVE = False


def is_interactive_logging_enabled() -> bool:
    """Whether Keras's messages go to stdout (True) or to the `keras` logger (False).

    Returns:
        The current setting (True unless `disable_interactive_logging()` was called).

    Example:
    >>> keras.utils.is_interactive_logging_enabled()
    True
    """
    return _INTERACTIVE


def print_msg(message: str, line_break: bool = True) -> None:
    """Writes one of Keras's console messages where the interactive-logging setting says.

    Args:
        message: the text.
        line_break: end the line after it (stdout only; a log record is one line).
    """
    if _INTERACTIVE:
        stream = sys.stdout
        stream.write(message + "\n" if line_break else message)
        stream.flush()
        return
    # Backspaces and carriage returns redraw a terminal line; a log has no line to redraw.
    text = message.replace("\b", "").replace("\r", "").strip("\n")
    if text:
        logging.getLogger("keras").info(text)
