"""`keras.utils.audio_dataset_from_directory`: labelled WAV batches from a folder tree."""

from __future__ import annotations

import os
import wave

import torch

from tork.keras.utils.image_dataset import (
    _check_directory,
    _check_split,
    _encode_labels,
    _files_and_labels,
    _finish,
    _label_tensor,
    _shuffled,
    _subsets,
)
from tork.ops.audio import _read_wav, _to_float

_WHERE = "audio_dataset_from_directory"


def _check_rates(paths: list, sampling_rate: int) -> None:
    """Reads only the WAV headers: tork does not resample, so every file must match."""
    for path in paths:
        try:
            with wave.open(path, "rb") as reader:
                rate = reader.getframerate()
        except (wave.Error, EOFError) as err:
            raise ValueError(
                f"{_WHERE}: {path!r} is not a readable PCM WAV file ({err})."
            ) from None
        if rate != sampling_rate:
            raise NotImplementedError(
                f"{_WHERE}: {path!r} is sampled at {rate} Hz, not sampling_rate={sampling_rate}; "
                "tork does not resample audio. Resample the files beforehand (e.g. with "
                "torchaudio.functional.resample) or pass sampling_rate=None."
            )


def _spec(batch_size, sequence_length, label_mode, num_classes: int, ragged: bool = False):
    """The element_spec Keras gives: `(audio, labels)`, or audio alone without labels."""
    from tork._backend.ragged_tensor import RaggedTensorSpec
    from tork.data.tensor_spec import TensorSpec

    batch = [] if batch_size is None else [None]
    if ragged:  # samples and channels are both ragged dimensions, as Keras's
        audio = RaggedTensorSpec([*batch, None, None], torch.float32, len(batch) + 1)
    else:
        audio = TensorSpec([*batch, sequence_length, None], torch.float32)
    if label_mode is None:
        return audio
    label_shape = {"int": [], "binary": [1], "categorical": [num_classes]}[label_mode]
    label_dtype = torch.int32 if label_mode == "int" else torch.float32
    return audio, TensorSpec([*batch, *label_shape], label_dtype)


def _load(path: str) -> torch.Tensor:
    samples, _ = _read_wav(path, f"{_WHERE}: {path!r}")
    return _to_float(samples, -1, -1)


def _ragged_audio(clips: list, batched: bool):
    """(samples, channels) clips as Keras's `ragged=True` gives them: a RaggedTensor whose
    samples and channels are ragged (one clip of shape `[samples, None]` unbatched)."""
    from tork._backend.ragged_tensor import RaggedTensor

    flat = torch.cat([clip.reshape(-1) for clip in clips])
    channels = torch.cat(
        [torch.full((clip.shape[0],), clip.shape[1], dtype=torch.int64) for clip in clips]
    )
    if not batched:
        return RaggedTensor.from_row_lengths(flat, channels)
    samples = torch.tensor([clip.shape[0] for clip in clips], dtype=torch.int64)
    return RaggedTensor.from_nested_row_lengths(flat, [samples, channels])


def _batch_audio(clips: list, paths: list, sequence_length: int | None) -> torch.Tensor:
    """Stacks (samples, channels) clips, cropped/zero-padded to one length."""
    channels = {clip.shape[1] for clip in clips}
    if len(channels) > 1:
        counts = ", ".join(f"{p!r}: {c.shape[1]}" for p, c in zip(paths, clips))
        raise ValueError(
            f"{_WHERE}: the audio files of a batch have different numbers of channels "
            f"({counts}). Convert them to the same channel count first."
        )
    target = sequence_length if sequence_length is not None else max(c.shape[0] for c in clips)
    out = clips[0].new_zeros(len(clips), target, channels.pop())
    for row, clip in enumerate(clips):
        n = min(target, clip.shape[0])
        out[row, :n] = clip[:n]
    return out


def audio_dataset_from_directory(
    directory,
    labels="inferred",
    label_mode="int",
    class_names=None,
    batch_size: int | None = 32,
    sampling_rate: int | None = None,
    output_sequence_length: int | None = None,
    ragged: bool = False,
    shuffle: bool = True,
    seed: int | None = None,
    validation_split: float | None = None,
    subset: str | None = None,
    follow_links: bool = False,
    verbose: bool = True,
):
    """Creates a dataset of audio clips (and labels) from a directory of class folders.

    With `labels="inferred"`, `directory/no/*.wav` and `directory/yes/*.wav` give
    classes 0 and 1 (subfolder names sorted). Only 16-bit PCM `.wav` files are
    read (when the batches are produced); each becomes float32 samples in
    [-1, 1] of shape `(samples, channels)`.

    Args:
        directory: the folder of class subfolders (or of WAV files, with
            `labels=None` or a list of labels).
        labels: `"inferred"`, None, or a list of integer labels, one per file in
            the sorted order of the file paths.
        label_mode: `"int"` (int32), `"categorical"` (one-hot float32),
            `"binary"` (float32 of shape `(batch, 1)`, two classes) or None.
        class_names: the subfolder names to use, in label order (inferred only).
        batch_size: clips per batch, or None for single clips.
        sampling_rate: the sample rate the files must have (checked; tork does
            not resample).
        output_sequence_length: crop or zero-pad every clip to this many samples;
            None pads each batch to its longest clip.
        ragged: give each batch as a RaggedTensor of the clips as they are (samples
            and channels ragged), instead of padding them; not with
            `output_sequence_length`.
        shuffle: shuffle the files (once, seeded) and the dataset each epoch.
        seed: seed for shuffling and the validation split.
        validation_split: fraction of the files kept for validation.
        subset: `"training"`, `"validation"` or `"both"` (a pair of datasets),
            with `validation_split`.
        follow_links: follow symbolic links to subfolders.
        verbose: print how many files and classes were found.

    Returns:
        A `tf.data.Dataset` of `(audio, labels)` batches, audio of shape
        `(batch_size, samples, channels)` (audio alone without labels), with
        `class_names` and `file_paths` attributes; a pair of them for
        `subset="both"`.

    Example:
    >>> train_ds, val_ds = keras.utils.audio_dataset_from_directory(  # doctest: +SKIP
    ...     "mini_speech_commands", batch_size=64, validation_split=0.2, seed=0,
    ...     output_sequence_length=16000, subset="both")
    """
    from tork.data import Dataset

    where = _WHERE
    directory = os.fspath(directory)
    if ragged and output_sequence_length is not None:
        raise ValueError("Cannot set both `ragged` and `output_sequence_length`")
    _check_directory(where, directory, label_mode)
    for what, value in (
        ("sampling_rate", sampling_rate),
        ("output_sequence_length", output_sequence_length),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise ValueError(f"{where}: {what} must be None or an integer, got {value!r}.")
        if value is not None and value <= 0:
            raise ValueError(f"{where}: {what} must be positive, got {value}.")
    if labels is None:
        label_mode = None
    _check_split(where, validation_split, subset, shuffle, seed)
    paths, found, names, num_classes = _files_and_labels(
        where, directory, labels, label_mode, class_names, follow_links, (".wav",), verbose
    )
    if sampling_rate is not None:
        _check_rates(paths, sampling_rate)
    paths, found = _shuffled(paths, found, shuffle, seed, label_mode)

    def make(lo: int, hi: int, label: str | None):
        part_paths = paths[lo:hi]
        targets = None
        if label_mode is not None:
            targets = _encode_labels(_label_tensor(found[lo:hi]), label_mode, num_classes)
        if verbose and label is not None:
            print(f"Using {len(part_paths)} files for {label}.")

        def load(index):
            if ragged:
                chosen = [part_paths[i] for i in index.reshape(-1).tolist()]
                audio = _ragged_audio([_load(p) for p in chosen], batched=index.dim() > 0)
            elif index.dim() == 0:
                i = int(index)
                clip = _batch_audio([_load(part_paths[i])], [part_paths[i]], output_sequence_length)
                audio = clip[0]
            else:
                flat = index.tolist()
                chosen = [part_paths[i] for i in flat]
                audio = _batch_audio([_load(p) for p in chosen], chosen, output_sequence_length)
            if label_mode is None:
                return audio
            return audio, targets[index]

        dataset = Dataset.from_tensor_slices(torch.arange(len(part_paths)))
        dataset = _finish(dataset, shuffle, seed, batch_size, names, part_paths, load)
        # Keras's spec: clip lengths (and channels) unknown. tork cannot trace the file
        # loading, and reading the first batches would make their length look static.
        dataset._element_spec = _spec(
            batch_size, output_sequence_length, label_mode, num_classes, ragged
        )
        return dataset

    return _subsets(make, len(paths), validation_split, subset)
