"""tf.train.CheckpointManager, latest_checkpoint and get_checkpoint_state."""

import os

import pytest

import tork as tf
from tork.train import checkpoint_management


def _files(directory):
    return sorted(n for n in os.listdir(directory) if n != "checkpoint")


def _manager(directory, value=0.0, **kwargs):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(value))
    kwargs.setdefault("max_to_keep", 2)
    return checkpoint, tf.train.CheckpointManager(checkpoint, directory, **kwargs)


def test_max_to_keep_deletes_the_oldest_files(tmp_path):
    checkpoint, manager = _manager(tmp_path)
    assert manager.latest_checkpoint is None and manager.checkpoints == []
    paths = []
    for i in range(4):
        checkpoint.v.assign(float(i))
        paths.append(manager.save())
    assert paths == [str(tmp_path / f"ckpt-{i}") for i in range(1, 5)]
    assert _files(tmp_path) == [
        "ckpt-3.data-00000-of-00001",
        "ckpt-3.index",
        "ckpt-4.data-00000-of-00001",
        "ckpt-4.index",
    ]
    assert manager.checkpoints == paths[2:]
    assert manager.latest_checkpoint == paths[3]
    lines = (tmp_path / "checkpoint").read_text().splitlines()
    assert lines[:3] == [
        'model_checkpoint_path: "ckpt-4"',
        'all_model_checkpoint_paths: "ckpt-3"',
        'all_model_checkpoint_paths: "ckpt-4"',
    ]
    restored = tf.train.Checkpoint(v=tf.Variable(-1.0))
    restored.restore(manager.latest_checkpoint).assert_consumed()
    assert float(restored.v) == 3.0


def test_a_new_manager_recovers_the_directory_state(tmp_path):
    checkpoint, manager = _manager(tmp_path, max_to_keep=3)
    for _ in range(2):
        manager.save()
    _, again = _manager(tmp_path, max_to_keep=3)
    assert again.latest_checkpoint == str(tmp_path / "ckpt-2")
    assert again.checkpoints == [str(tmp_path / "ckpt-1"), str(tmp_path / "ckpt-2")]
    again.checkpoint.restore(again.latest_checkpoint)
    assert again.save() == str(tmp_path / "ckpt-3")
    assert again.save() == str(tmp_path / "ckpt-4")
    assert again.checkpoints == [str(tmp_path / f"ckpt-{i}") for i in (2, 3, 4)]
    assert "ckpt-1.index" not in _files(tmp_path)


def test_max_to_keep_none_keeps_everything(tmp_path):
    _, manager = _manager(tmp_path, max_to_keep=None)
    for _ in range(3):
        manager.save()
    assert len(manager.checkpoints) == 3 and len(_files(tmp_path)) == 6


def test_checkpoint_number_and_interval(tmp_path):
    step = tf.Variable(0, dtype=tf.int64)
    checkpoint, manager = _manager(tmp_path, step_counter=step, checkpoint_interval=10)
    assert manager.save(checkpoint_number=step) == str(tmp_path / "ckpt-0")
    step.assign(5)
    assert manager.save(checkpoint_number=step) is None  # too soon
    assert manager.save(checkpoint_number=step, check_interval=False) == str(tmp_path / "ckpt-5")
    assert manager.save(checkpoint_number=step, check_interval=False) is None  # same step
    step.assign(15)
    assert manager.save(checkpoint_number=step) == str(tmp_path / "ckpt-15")
    assert int(checkpoint.save_counter) == 3


def test_keep_checkpoint_every_n_hours_preserves_old_files(tmp_path, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(checkpoint_management.time, "time", lambda: now[0])
    _, manager = _manager(tmp_path, max_to_keep=1, keep_checkpoint_every_n_hours=1)
    for _ in range(4):
        manager.save()
        now[0] += 1800.0  # half an hour per checkpoint
    # The manager starts with "last preserved" = its creation time - 1 s. ckpt-1 (t=0) and
    # ckpt-2 (t=0.5 h) are less than an hour after it: deleted when they leave the kept set.
    # ckpt-3 (t=1 h) is 3601 s after it: preserved on disk, though no longer managed.
    assert manager.checkpoints == [str(tmp_path / "ckpt-4")]
    assert [f for f in _files(tmp_path) if f.endswith(".index")] == [
        "ckpt-3.index",
        "ckpt-4.index",
    ]


def test_restore_or_initialize(tmp_path):
    calls = []
    checkpoint, manager = _manager(tmp_path, value=4.0, init_fn=lambda: calls.append(1))
    assert manager.restore_or_initialize() is None and calls == [1]
    path = manager.save()
    fresh, again = _manager(tmp_path, init_fn=lambda: calls.append(2))
    assert again.restore_or_initialize() == path
    assert float(fresh.v) == 4.0 and calls == [1]


def test_manager_cleans_temporaries_of_a_killed_save(tmp_path):
    _, manager = _manager(tmp_path)
    manager.save()
    (tmp_path / ".tmp-0123abcd-ckpt-2.data-00000-of-00001").write_bytes(b"partial")
    _, again = _manager(tmp_path)
    assert _files(tmp_path) == ["ckpt-1.data-00000-of-00001", "ckpt-1.index"]
    assert again.latest_checkpoint == str(tmp_path / "ckpt-1")


def test_argument_errors(tmp_path):
    with pytest.raises(ValueError, match="positive integer or `None` for `max_to_keep`, got 0"):
        _manager(tmp_path, max_to_keep=0)
    with pytest.raises(ValueError, match="`step_counter` should be passed"):
        _manager(tmp_path, checkpoint_interval=5)
    with pytest.raises(TypeError, match="manages a tf.train.Checkpoint.*Received Variable"):
        tf.train.CheckpointManager(tf.Variable(1.0), tmp_path, max_to_keep=1)
    _, manager = _manager(tmp_path)
    with pytest.raises(TypeError, match="checkpoint_number must be an integer"):
        manager.save(checkpoint_number=1.5)


def test_latest_checkpoint_and_state(tmp_path):
    assert tf.train.latest_checkpoint(tmp_path) is None
    assert tf.train.latest_checkpoint(tmp_path / "missing") is None
    assert tf.train.get_checkpoint_state(tmp_path) is None
    _, manager = _manager(tmp_path, max_to_keep=3)
    manager.save()
    manager.save()
    state = tf.train.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "ckpt-2")
    assert state.all_model_checkpoint_paths == [str(tmp_path / "ckpt-1"), str(tmp_path / "ckpt-2")]
    assert len(state.all_model_checkpoint_timestamps) == 2
    assert "ckpt-2" in repr(state)
    # The state file names a checkpoint whose files are gone: no latest checkpoint.
    os.remove(tmp_path / "ckpt-2.index")
    assert tf.train.latest_checkpoint(tmp_path) is None


def test_reads_a_state_file_written_by_tensorflow(tmp_path):
    (tmp_path / "checkpoint").write_text(
        'model_checkpoint_path: "ckpt-7"\n'
        'all_model_checkpoint_paths: "ckpt-6"\n'
        'all_model_checkpoint_paths: "ckpt-7"\n'
        "all_model_checkpoint_timestamps: 1700000000.5\n"
        "all_model_checkpoint_timestamps: 1700000060.25\n"
        "last_preserved_timestamp: 1699999990.0\n"
    )
    state = tf.train.get_checkpoint_state(tmp_path)
    assert state.model_checkpoint_path == os.path.join(str(tmp_path), "ckpt-7")
    assert state.all_model_checkpoint_timestamps == [1700000000.5, 1700000060.25]
    assert state.last_preserved_timestamp == 1699999990.0
    (tmp_path / "ckpt-7.index").write_text("{}")
    assert tf.train.latest_checkpoint(tmp_path) == os.path.join(str(tmp_path), "ckpt-7")


def test_unreadable_state_file_warns_and_is_ignored(tmp_path):
    (tmp_path / "checkpoint").write_text("this is not a checkpoint state\n")
    with pytest.warns(UserWarning, match="not valid"):
        assert tf.train.get_checkpoint_state(tmp_path) is None


def test_paths_with_quotes_round_trip(tmp_path):
    directory = tmp_path / 'we"ird'
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    path = checkpoint.save(str(directory / "ckpt"))
    assert tf.train.latest_checkpoint(directory) == path
