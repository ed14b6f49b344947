"""TensorFlow's "Text generation with an RNN" tutorial, run on a small synthetic text.

The code follows the tutorial line by line (smaller model, one short epoch). Values that do
not depend on random initialisation were printed by TF 2.21 + tf_keras 2.21 on the same text.
"""

import numpy as np

import tork as tf

TEXT = (
    "ROMEO: But soft, what light through yonder window breaks?\n"
    "It is the east, and Juliet is the sun.\n"
) * 20


class MyModel(tf.keras.Model):
    def __init__(self, vocab_size, embedding_dim, rnn_units):
        super().__init__(self)
        self.embedding = tf.keras.layers.Embedding(vocab_size, embedding_dim)
        self.gru = tf.keras.layers.GRU(rnn_units, return_sequences=True, return_state=True)
        self.dense = tf.keras.layers.Dense(vocab_size)

    def call(self, inputs, states=None, return_state=False, training=False):
        x = inputs
        x = self.embedding(x, training=training)
        if states is None:
            states = self.gru.get_initial_state(x)
        x, states = self.gru(x, initial_state=states, training=training)
        x = self.dense(x, training=training)
        if return_state:
            return x, states
        return x


class OneStep(tf.keras.Model):
    def __init__(self, model, chars_from_ids, ids_from_chars, temperature=1.0):
        super().__init__()
        self.temperature = temperature
        self.model = model
        self.chars_from_ids = chars_from_ids
        self.ids_from_chars = ids_from_chars

        # Create a mask to prevent "[UNK]" from being generated.
        skip_ids = self.ids_from_chars(["[UNK]"])[:, None]
        sparse_mask = tf.SparseTensor(
            # Put a -inf at each bad index.
            values=[-float("inf")] * len(skip_ids),
            indices=skip_ids,
            # Match the shape to the vocabulary
            dense_shape=[len(ids_from_chars.get_vocabulary())],
        )
        self.prediction_mask = tf.sparse.to_dense(sparse_mask)

    @tf.function
    def generate_one_step(self, inputs, states=None):
        # Convert strings to token IDs.
        input_chars = tf.strings.unicode_split(inputs, "UTF-8")
        input_ids = self.ids_from_chars(input_chars).to_tensor()

        # Run the model.
        predicted_logits, states = self.model(inputs=input_ids, states=states, return_state=True)
        # Only use the last prediction.
        predicted_logits = predicted_logits[:, -1, :]
        predicted_logits = predicted_logits / self.temperature
        # Apply the prediction mask: prevent "[UNK]" from being generated.
        predicted_logits = predicted_logits + self.prediction_mask

        # Sample the output logits to generate token IDs.
        predicted_ids = tf.random.categorical(predicted_logits, num_samples=1)
        predicted_ids = tf.squeeze(predicted_ids, axis=-1)

        # Convert from token ids to characters
        predicted_chars = self.chars_from_ids(predicted_ids)

        # Return the characters and model state.
        return predicted_chars, states


def test_text_generation_tutorial():
    tf.keras.utils.set_random_seed(0)
    vocab = sorted(set(TEXT))
    assert len(vocab) == 31

    # Process the text.
    example_texts = ["abcdefg", "xyz"]
    chars = tf.strings.unicode_split(example_texts, input_encoding="UTF-8")
    assert isinstance(chars, tf.RaggedTensor)
    assert chars.to_list() == [[b"a", b"b", b"c", b"d", b"e", b"f", b"g"], [b"x", b"y", b"z"]]
    ids_from_chars = tf.keras.layers.StringLookup(vocabulary=list(vocab), mask_token=None)
    ids = ids_from_chars(chars)
    assert isinstance(ids, tf.RaggedTensor)
    assert ids.to_list() == [[14, 15, 0, 16, 17, 18, 19], [0, 31, 0]]  # TF 2.21
    chars_from_ids = tf.keras.layers.StringLookup(
        vocabulary=ids_from_chars.get_vocabulary(), invert=True, mask_token=None
    )
    chars = chars_from_ids(ids)
    assert chars.to_list() == [
        [b"a", b"b", b"[UNK]", b"d", b"e", b"f", b"g"],
        [b"[UNK]", b"y", b"[UNK]"],
    ]
    assert tf.strings.reduce_join(chars, axis=-1).numpy().tolist() == [
        b"ab[UNK]defg",
        b"[UNK]y[UNK]",
    ]

    def text_from_ids(ids):
        return tf.strings.reduce_join(chars_from_ids(ids), axis=-1)

    # Create training examples and targets.
    all_ids = ids_from_chars(tf.strings.unicode_split(TEXT, "UTF-8"))
    assert tuple(all_ids.shape) == (1940,) and all_ids.dtype == tf.int64
    ids_dataset = tf.data.Dataset.from_tensor_slices(all_ids)
    first = "".join(chars_from_ids(i).numpy().decode("utf-8") for i in ids_dataset.take(10))
    assert first == "ROMEO: But"
    seq_length = 20
    sequences = ids_dataset.batch(seq_length + 1, drop_remainder=True)
    texts = [text_from_ids(seq).numpy() for seq in sequences.take(2)]
    assert texts == [b"ROMEO: But soft, what", b" light through yonder"]

    def split_input_target(sequence):
        input_text = sequence[:-1]
        target_text = sequence[1:]
        return input_text, target_text

    assert split_input_target(list("Tensorflow")) == (list("Tensorflo"), list("ensorflow"))
    dataset = sequences.map(split_input_target)
    for input_example, target_example in dataset.take(1):
        assert text_from_ids(input_example).numpy() == b"ROMEO: But soft, wha"
        assert text_from_ids(target_example).numpy() == b"OMEO: But soft, what"

    # Create training batches.
    batch_size, buffer_size = 8, 100
    dataset = (
        dataset.shuffle(buffer_size)
        .batch(batch_size, drop_remainder=True)
        .prefetch(tf.data.experimental.AUTOTUNE)
    )
    spec = tf.TensorSpec(shape=(8, 20), dtype=tf.int64)
    assert dataset.element_spec == (spec, spec)

    # Build the model.
    vocab_size = len(ids_from_chars.get_vocabulary())
    model = MyModel(vocab_size=vocab_size, embedding_dim=16, rnn_units=32)
    for input_example_batch, target_example_batch in dataset.take(1):  # noqa: B007 - used below
        example_batch_predictions = model(input_example_batch)
        assert tuple(example_batch_predictions.shape) == (8, 20, 32)
    assert model.count_params() == 6368  # TF 2.21: 512 + 4800 + 1056
    sampled_indices = tf.random.categorical(example_batch_predictions[0], num_samples=1)
    sampled_indices = tf.squeeze(sampled_indices, axis=-1).numpy()
    assert sampled_indices.shape == (20,)
    assert ((sampled_indices >= 0) & (sampled_indices < vocab_size)).all()

    # Train the model: an untrained model's loss is about log(vocab_size).
    loss = tf.losses.SparseCategoricalCrossentropy(from_logits=True)
    mean_loss = float(loss(target_example_batch, example_batch_predictions))
    assert abs(mean_loss - np.log(vocab_size)) < 0.2
    model.compile(optimizer="adam", loss=loss)
    history = model.fit(dataset, epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1 and np.isfinite(history.history["loss"][0])

    # Generate text.
    one_step_model = OneStep(model, chars_from_ids, ids_from_chars)
    mask = one_step_model.prediction_mask.numpy()
    assert mask.shape == (32,) and mask[0] == -np.inf and (mask[1:] == 0).all()
    states = None
    next_char = tf.constant(["ROMEO:"])
    result = [next_char]
    for _ in range(30):
        next_char, states = one_step_model.generate_one_step(next_char, states=states)
        result.append(next_char)
    result = tf.strings.join(result)
    generated = result[0].numpy().decode("utf-8")
    assert len(generated) == 36 and generated.startswith("ROMEO:")
    assert "[UNK]" not in generated and set(generated) <= set(vocab)

    # Batched generation.
    states = None
    next_char = tf.constant(["ROMEO:", "ROMEO:", "ROMEO:"])
    result = [next_char]
    for _ in range(10):
        next_char, states = one_step_model.generate_one_step(next_char, states=states)
        result.append(next_char)
    result = tf.strings.join(result)
    assert [len(r) for r in result.numpy()] == [16, 16, 16]
