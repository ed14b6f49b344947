import pytest


@pytest.fixture
def tork_format(monkeypatch):
    """Saves checkpoints in tork's own older format (TORKCKP1), which tork still reads.

    For tests written against that format's names (`model/layers/0/kernel`); tork
    writes TensorFlow's format otherwise (tests/train/test_tf_checkpoint_format.py).
    """
    from tork.train import _format

    monkeypatch.setattr(_format, "WRITE_TF_FORMAT", False)
