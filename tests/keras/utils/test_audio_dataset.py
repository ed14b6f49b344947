"""keras.utils.audio_dataset_from_directory on small generated WAV folders."""

import io
import os
import wave

import numpy as np
import pytest

import tork as tf

RNG = np.random.default_rng(5)


def _write(path, pcm, rate=16000, width=2):
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(pcm.shape[1])
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(pcm.astype("<i2" if width == 2 else "u1").tobytes())


def _tree(root, lengths=None):
    """no/ holds 3 clips, yes/ 5; clip values identify class and index. Returns {path: pcm}."""
    clips = {}
    lengths = lengths or {"no": [300, 500, 200], "yes": [400, 250, 600, 350, 450]}
    for label, sizes in lengths.items():
        os.makedirs(os.path.join(root, label))
        for i, n in enumerate(sizes):
            pcm = RNG.integers(-20000, 20000, (n, 1))
            path = os.path.join(root, label, f"{i}.wav")
            _write(path, pcm)
            clips[path] = pcm
    with open(os.path.join(root, "yes", "notes.txt"), "w") as f:
        f.write("not audio")
    return clips


def test_labels_padding_and_trimming(tmp_path, capsys):
    clips = _tree(str(tmp_path))
    ds = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, batch_size=3, output_sequence_length=400, shuffle=False
    )
    assert "Found 8 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["no", "yes"]
    audio, labels = [], []
    for x, y in ds:
        assert x.dtype == tf.float32 and y.dtype == tf.int32
        assert tuple(x.shape[1:]) == (400, 1)
        audio += list(x.numpy())
        labels += y.tolist()
    assert labels == [0, 0, 0, 1, 1, 1, 1, 1]
    assert ds.file_paths == sorted(clips)
    for path, got in zip(ds.file_paths, audio):
        pcm = clips[path][:400, 0] / 32768.0
        np.testing.assert_array_equal(got[: len(pcm), 0], pcm)  # trimmed to 400
        assert not got[len(pcm) :].any()  # zero-padded up to 400
        assert np.abs(got).max() <= 1.0


def test_batches_pad_to_longest_without_output_sequence_length(tmp_path):
    clips = _tree(str(tmp_path))
    ds = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, batch_size=3, shuffle=False, verbose=False
    )
    lengths = [len(clips[p]) for p in ds.file_paths]
    shapes = [tuple(x.shape) for x, _ in ds]
    assert shapes == [
        (3, max(lengths[0:3]), 1),
        (3, max(lengths[3:6]), 1),
        (2, max(lengths[6:]), 1),
    ]
    single = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, batch_size=None, shuffle=False, label_mode=None, verbose=False
    )
    items = list(single)
    assert [tuple(x.shape) for x in items] == [(n, 1) for n in lengths]
    np.testing.assert_array_equal(items[1].numpy()[:, 0], clips[ds.file_paths[1]][:, 0] / 32768.0)


def test_label_modes(tmp_path):
    _tree(str(tmp_path))
    kw = dict(batch_size=8, output_sequence_length=10, shuffle=False, verbose=False)
    _, cat = next(iter(tf.keras.utils.audio_dataset_from_directory(
        tmp_path, label_mode="categorical", **kw)))  # fmt: skip
    np.testing.assert_array_equal(cat.numpy(), np.eye(2)[[0, 0, 0, 1, 1, 1, 1, 1]])
    _, binary = next(iter(tf.keras.utils.audio_dataset_from_directory(
        tmp_path, label_mode="binary", **kw)))  # fmt: skip
    assert binary.dtype == tf.float32 and binary[:, 0].tolist() == [0, 0, 0, 1, 1, 1, 1, 1]
    _, custom = next(iter(tf.keras.utils.audio_dataset_from_directory(
        tmp_path, class_names=["yes", "no"], **kw)))  # fmt: skip
    # As tf.keras 2: the folders are read in sorted order (no/ first), labelled by their
    # position in class_names (yes is 0, no is 1).
    assert custom.tolist() == [1, 1, 1, 0, 0, 0, 0, 0]
    listed = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, labels=[4, 3, 2, 1, 0, 1, 2, 3], **kw
    )
    assert next(iter(listed))[1].tolist() == [4, 3, 2, 1, 0, 1, 2, 3]


def test_validation_split_is_deterministic_and_disjoint(tmp_path):
    _tree(str(tmp_path))
    kw = dict(
        batch_size=2, output_sequence_length=50, validation_split=0.25, seed=11, verbose=False
    )
    train, val = tf.keras.utils.audio_dataset_from_directory(tmp_path, subset="both", **kw)
    again = tf.keras.utils.audio_dataset_from_directory(tmp_path, subset="training", **kw)
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert train.file_paths == again.file_paths
    assert not set(train.file_paths) & set(val.file_paths)
    assert len(set(train.file_paths) | set(val.file_paths)) == 8
    assert sum(int(x.shape[0]) for x, _ in train) == 6
    other = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, subset="training", **{**kw, "seed": 12}
    )
    assert sorted(other.file_paths) != sorted(train.file_paths) or other.file_paths != (
        train.file_paths
    )


def test_sampling_rate_is_checked(tmp_path):
    _tree(str(tmp_path))
    ds = tf.keras.utils.audio_dataset_from_directory(
        tmp_path, sampling_rate=16000, verbose=False, shuffle=False
    )
    assert len(ds.file_paths) == 8
    with pytest.raises(NotImplementedError, match="sampled at 16000 Hz, not sampling_rate=8000"):
        tf.keras.utils.audio_dataset_from_directory(tmp_path, sampling_rate=8000, verbose=False)


def test_errors(tmp_path):
    fn = tf.keras.utils.audio_dataset_from_directory
    _tree(str(tmp_path))
    # ragged=True works (test_sweep_fuzzdata2_audio_dataset.py), but not with a length
    with pytest.raises(ValueError, match="Cannot set both `ragged` and `output_sequence_length`"):
        fn(tmp_path, ragged=True, output_sequence_length=4)
    with pytest.raises(ValueError, match="is not a directory"):
        fn(tmp_path / "missing")
    with pytest.raises(
        ValueError, match="`label_mode` argument must be one of 'int', 'categorical'"
    ):
        fn(tmp_path, label_mode="sparse")
    with pytest.raises(ValueError, match="output_sequence_length must be positive, got 0"):
        fn(tmp_path, output_sequence_length=0)
    with pytest.raises(ValueError, match="sampling_rate must be None or an integer, got 16000.0"):
        fn(tmp_path, sampling_rate=16000.0)
    with pytest.raises(ValueError, match="must provide a `seed`"):
        fn(tmp_path, validation_split=0.2, subset="training")
    empty = tmp_path / "empty"
    os.makedirs(empty / "a")
    with pytest.raises(
        ValueError, match=r"No audio files found in directory .* Allowed formats: .wav"
    ):
        fn(empty, verbose=False)


def test_bad_files_fail_clearly_when_read(tmp_path):
    os.makedirs(tmp_path / "a")
    _write(tmp_path / "a" / "mono.wav", np.zeros((10, 1)))
    _write(tmp_path / "a" / "stereo.wav", np.zeros((10, 2)))
    ds = tf.keras.utils.audio_dataset_from_directory(tmp_path, shuffle=False, verbose=False)
    with pytest.raises(ValueError, match="different numbers of channels"):
        next(iter(ds))
    os.makedirs(tmp_path / "b" / "x")
    _write(tmp_path / "b" / "x" / "eight.wav", np.full((10, 1), 128), width=1)
    ds = tf.keras.utils.audio_dataset_from_directory(tmp_path / "b", verbose=False)
    with pytest.raises(tf.errors.InvalidArgumentError, match="eight.wav.*only read 16-bit"):
        next(iter(ds))


def _tone(freq, n=2000, rate=8000):
    t = np.arange(n) / rate
    noise = RNG.normal(0, 0.05, n)
    return np.clip((0.5 * np.sin(2 * np.pi * freq * t) + noise) * 32767, -32768, 32767)


@pytest.mark.parametrize("cache", [False, True])
def test_simple_audio_tutorial_end_to_end(tmp_path, cache):
    """The 'Simple audio recognition' pipeline on two tiny synthetic classes."""
    for label, freq in (("high", 2500.0), ("low", 300.0)):
        os.makedirs(tmp_path / label)
        for i in range(8):
            _write(tmp_path / label / f"{i}.wav", _tone(freq * (1 + 0.02 * i))[:, None], 8000)
    train_ds, val_ds = tf.keras.utils.audio_dataset_from_directory(
        directory=tmp_path,
        batch_size=4,
        validation_split=0.25,
        seed=0,
        output_sequence_length=2000,
        subset="both",
        verbose=False,
    )
    label_names = np.array(train_ds.class_names)
    assert label_names.tolist() == ["high", "low"]

    def squeeze(audio, labels):
        audio = tf.squeeze(audio, axis=-1)
        return audio, labels

    train_ds = train_ds.map(squeeze, tf.data.AUTOTUNE)
    val_ds = val_ds.map(squeeze, tf.data.AUTOTUNE)

    def get_spectrogram(waveform):
        spectrogram = tf.signal.stft(waveform, frame_length=255, frame_step=128)
        spectrogram = tf.abs(spectrogram)
        spectrogram = spectrogram[..., tf.newaxis]
        return spectrogram

    def make_spec_ds(ds):
        return ds.map(
            map_func=lambda audio, label: (get_spectrogram(audio), label),
            num_parallel_calls=tf.data.AUTOTUNE,
        )

    train_spectrogram_ds = make_spec_ds(train_ds)
    val_spectrogram_ds = make_spec_ds(val_ds)
    if cache:  # the tutorial's exact pipeline
        train_spectrogram_ds = train_spectrogram_ds.cache()
        val_spectrogram_ds = val_spectrogram_ds.cache()
    train_spectrogram_ds = train_spectrogram_ds.shuffle(100).prefetch(tf.data.AUTOTUNE)
    val_spectrogram_ds = val_spectrogram_ds.prefetch(tf.data.AUTOTUNE)
    example_spectrograms, _ = next(iter(train_spectrogram_ds.take(1)))
    input_shape = example_spectrograms.shape[1:]
    assert tuple(input_shape) == (14, 129, 1)

    layers = tf.keras.layers
    norm_layer = layers.Normalization()
    norm_layer.adapt(data=train_spectrogram_ds.map(map_func=lambda spec, label: spec))
    model = tf.keras.models.Sequential(
        [
            layers.Input(shape=input_shape),
            layers.Resizing(16, 16),
            norm_layer,
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(16, activation="relu"),
            layers.Dense(len(label_names)),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(),
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(train_spectrogram_ds, validation_data=val_spectrogram_ds, epochs=2,
                        verbose=0)  # fmt: skip
    assert len(history.history["loss"]) == 2
    assert np.isfinite(history.history["val_loss"]).all()

    # Inference on one file, as the tutorial's last section does.
    x = tf.io.read_file(str(tmp_path / "low" / "0.wav"))
    x, sample_rate = tf.audio.decode_wav(x, desired_channels=1, desired_samples=2000)
    x = tf.squeeze(x, axis=-1)
    x = get_spectrogram(x)
    x = x[tf.newaxis, ...]
    prediction = model(x)
    assert tuple(prediction.shape) == (1, 2) and int(sample_rate) == 8000


def test_wav_written_by_encode_wav_is_listed(tmp_path):
    os.makedirs(tmp_path / "c")
    pcm = np.arange(-5, 5)[:, None] / 32768.0
    tf.io.write_file(str(tmp_path / "c" / "x.wav"), tf.audio.encode_wav(pcm.astype("f4"), 8000))
    (x, y), = list(tf.keras.utils.audio_dataset_from_directory(tmp_path, verbose=False))  # fmt: skip
    np.testing.assert_array_equal(x.numpy()[0], pcm)
    assert y.tolist() == [0]
    with wave.open(io.BytesIO(tf.io.read_file(str(tmp_path / "c" / "x.wav")).numpy())) as reader:
        assert reader.getframerate() == 8000
