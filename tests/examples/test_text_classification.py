"""TensorFlow's "Basic text classification" tutorial, run on a tiny generated aclImdb."""

import os
import random
import re
import string

import numpy as np

import tork as tf
from tork.keras import layers, losses

POSITIVE = ["great", "wonderful", "superb", "loved", "brilliant", "excellent"]
NEGATIVE = ["awful", "boring", "terrible", "hated", "dreadful", "worst"]
FILLER = ["the", "movie", "film", "plot", "actor", "was", "and", "a", "story", "it"]


def _write_imdb(root, rng):
    for split, count in (("train", 60), ("test", 20)):
        for label, words in (("pos", POSITIVE), ("neg", NEGATIVE)):
            folder = os.path.join(root, "aclImdb", split, label)
            os.makedirs(folder)
            for i in range(count):
                tokens = rng.sample(FILLER, 5) + rng.sample(words, 3)
                rng.shuffle(tokens)
                text = " ".join(tokens).capitalize() + ".<br /><br />" + rng.choice(words) + "!"
                with open(os.path.join(folder, f"{i}_{rng.randint(1, 10)}.txt"), "w") as f:
                    f.write(text)


def test_basic_text_classification(tmp_path, capsys):
    tf.keras.utils.set_random_seed(0)
    _write_imdb(str(tmp_path), random.Random(0))
    dataset_dir = os.path.join(tmp_path, "aclImdb")
    train_dir = os.path.join(dataset_dir, "train")

    batch_size = 8
    seed = 42
    raw_train_ds = tf.keras.utils.text_dataset_from_directory(
        train_dir, batch_size=batch_size, validation_split=0.2, subset="training", seed=seed
    )
    for text_batch, label_batch in raw_train_ds.take(1):
        for i in range(3):
            print("Review", text_batch.numpy()[i])
            print("Label", label_batch.numpy()[i])
    print("Label 0 corresponds to", raw_train_ds.class_names[0])
    raw_val_ds = tf.keras.utils.text_dataset_from_directory(
        train_dir, batch_size=batch_size, validation_split=0.2, subset="validation", seed=seed
    )
    raw_test_ds = tf.keras.utils.text_dataset_from_directory(
        os.path.join(dataset_dir, "test"), batch_size=batch_size
    )
    out = capsys.readouterr().out
    assert "Found 120 files belonging to 2 classes." in out
    assert "Using 96 files for training." in out and "Using 24 files for validation." in out
    assert "Label 0 corresponds to neg" in out
    assert "Review b'" in out
    # The two subsets split the files without overlap.
    train_files, val_files = set(raw_train_ds.file_paths), set(raw_val_ds.file_paths)
    assert len(train_files) == 96 and len(val_files) == 24 and not train_files & val_files

    def custom_standardization(input_data):
        lowercase = tf.strings.lower(input_data)
        stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped_html, "[%s]" % re.escape(string.punctuation), "")  # noqa: UP031

    max_features = 100
    sequence_length = 20
    vectorize_layer = layers.TextVectorization(
        standardize=custom_standardization,
        max_tokens=max_features,
        output_mode="int",
        output_sequence_length=sequence_length,
    )
    train_text = raw_train_ds.map(lambda x, y: x)
    vectorize_layer.adapt(train_text)
    vocab = vectorize_layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"]
    assert set(POSITIVE + NEGATIVE + FILLER) <= set(vocab)
    assert not any("<br" in w or "!" in w or "." in w for w in vocab)

    def vectorize_text(text, label):
        text = tf.expand_dims(text, -1)
        return vectorize_layer(text), label

    text_batch, label_batch = next(iter(raw_train_ds))
    first_review, first_label = text_batch[0], label_batch[0]
    vectorized, _ = vectorize_text(first_review, first_label)
    assert tuple(vectorized.shape) == (1, sequence_length)
    words = re.sub(r"[^\w\s]", " ", first_review.numpy().decode().lower().replace("<br />", " "))
    expected = [vocab.index(w) for w in words.split()][:sequence_length]
    assert vectorized[0, : len(expected)].tolist() == expected

    train_ds = raw_train_ds.map(vectorize_text)
    val_ds = raw_val_ds.map(vectorize_text)
    test_ds = raw_test_ds.map(vectorize_text)
    autotune = tf.data.AUTOTUNE
    train_ds = train_ds.cache().prefetch(buffer_size=autotune)
    val_ds = val_ds.cache().prefetch(buffer_size=autotune)
    test_ds = test_ds.cache().prefetch(buffer_size=autotune)

    embedding_dim = 16
    model = tf.keras.Sequential(
        [
            layers.Embedding(max_features, embedding_dim),
            layers.Dropout(0.2),
            layers.GlobalAveragePooling1D(),
            layers.Dropout(0.2),
            layers.Dense(1),
        ]
    )
    model.compile(
        loss=losses.BinaryCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.Adam(learning_rate=0.02),
        metrics=tf.metrics.BinaryAccuracy(threshold=0.0),
    )
    history = model.fit(train_ds, validation_data=val_ds, epochs=15, verbose=0)
    assert "val_binary_accuracy" in history.history
    loss, accuracy = model.evaluate(test_ds, verbose=0)
    assert accuracy > 0.9, accuracy

    export_model = tf.keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
    export_model.compile(
        loss=losses.BinaryCrossentropy(from_logits=False), optimizer="adam", metrics=["accuracy"]
    )
    metrics = export_model.evaluate(raw_test_ds, return_dict=True, verbose=0)
    assert metrics["accuracy"] > 0.9

    examples = ["The movie was great!", "The movie was okay.", "The movie was terrible..."]
    predictions = np.asarray(export_model.predict(examples, verbose=0))
    assert predictions.shape == (3, 1)
    assert predictions[0, 0] > 0.5 > predictions[2, 0]
    tensor_predictions = np.asarray(export_model.predict(tf.constant(examples), verbose=0))
    np.testing.assert_allclose(tensor_predictions, predictions, rtol=1e-6)
