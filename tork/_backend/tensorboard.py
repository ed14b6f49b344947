"""The optional `tensorboard` dependency, imported when something is written."""

from __future__ import annotations


def import_summary_writer(api: str) -> type:
    """Returns `torch.utils.tensorboard.SummaryWriter`, or explains how to install it.

    Args:
        api: the tork API that needs it, named in the error (e.g. `"tf.summary"`).

    Returns:
        The `SummaryWriter` class.
    """
    try:
        from torch.utils.tensorboard import SummaryWriter
    except ImportError as e:
        raise ImportError(
            f"{api} needs the `tensorboard` package, which is not installed ({e}). Install it "
            "with `pip install tensorboard`."
        ) from e
    return SummaryWriter
