"""`lstm`: Embedding(1000, 64) -> LSTM(128) -> Dense(2) on sequences of 50 tokens, batch 64, `fit`.

Inputs are token ids; labels come from a fixed random linear teacher over the bag of tokens
(argmax of the sum of per-token scores). Keras's LSTM weights map onto `nn.LSTM`'s with the same
gate order (i, f, c, o): `weight_ih = kernel.T`, `weight_hh = recurrent_kernel.T`,
`bias_ih = bias`, `bias_hh = 0` (Keras has one bias).
"""

import numpy as np
import torch
from torch import nn

from bench.workloads._common import (
    FitWorkload,
    bag_of_tokens_labels,
    copy_dense,
    keras,
    token_sequences,
)

VOCAB = 1000
SEQ_LEN = 50


class KerasLSTMClassifier(keras.Model):
    """Embedding -> LSTM (last output) -> Dense logits."""

    def __init__(self, num_classes: int = 2, **kwargs):
        super().__init__(**kwargs)
        self.embedding = keras.layers.Embedding(VOCAB, 64)
        self.lstm = keras.layers.LSTM(128)
        self.classifier = keras.layers.Dense(num_classes)

    def call(self, inputs):
        return self.classifier(self.lstm(self.embedding(inputs)))


class TorchLSTMClassifier(nn.Module):
    """The same network as a PyTorch user writes it."""

    def __init__(self, num_classes: int = 2):
        super().__init__()
        self.embedding = nn.Embedding(VOCAB, 64)
        self.lstm = nn.LSTM(64, 128, batch_first=True)
        self.fc = nn.Linear(128, num_classes)

    def forward(self, tokens):
        _, (h, _) = self.lstm(self.embedding(tokens))
        return self.fc(h[-1])


class LSTMWorkload(FitWorkload):
    name = "lstm"
    summary = (
        f"Embedding({VOCAB}, 64) -> LSTM(128) -> Dense(2) on sequences of {SEQ_LEN} tokens, "
        "Adam, sparse CE, fit"
    )
    num_classes = 2
    full_samples = 4_096
    batch_size = 64
    quick_steps = 2

    def required_layers(self) -> tuple:
        return ("Embedding", "LSTM")

    def make_x(self, num_samples: int) -> np.ndarray:
        return token_sequences(self.cfg.seed, num_samples, VOCAB, SEQ_LEN)

    def make_y(self, x: np.ndarray) -> np.ndarray:
        return bag_of_tokens_labels(x, self.cfg.seed + 1, VOCAB, self.num_classes)

    def build_keras(self):
        return KerasLSTMClassifier(self.num_classes)

    def build_torch(self) -> nn.Module:
        return TorchLSTMClassifier(self.num_classes)

    def keras_layer_weights(self, model) -> list:
        return [layer.get_weights() for layer in (model.embedding, model.lstm, model.classifier)]

    def load_torch(self, module: nn.Module, layer_weights: list) -> None:
        (embeddings,), (kernel, recurrent, bias), classifier = layer_weights
        with torch.no_grad():
            module.embedding.weight.copy_(torch.from_numpy(embeddings))
            module.lstm.weight_ih_l0.copy_(torch.from_numpy(kernel).T)
            module.lstm.weight_hh_l0.copy_(torch.from_numpy(recurrent).T)
            module.lstm.bias_ih_l0.copy_(torch.from_numpy(bias))
            module.lstm.bias_hh_l0.zero_()
        copy_dense(module.fc, classifier)
