"""`tf.compat.v1.nn`: the TensorFlow 1 CTC functions (keras.io's OCR and ASR examples).

- `ctc_loss(labels, inputs, sequence_length, ...)`: TF 1's CTC loss with SparseTensor
  labels and the blank last.
- `ctc_beam_search_decoder(..., merge_repeated=True)`: TF 1's beam search, which merges
  adjacent equal labels of each found path.
- `ctc_greedy_decoder`: the same function as `tf.nn.ctc_greedy_decoder`.

Every other name raises `NotImplementedError` naming `tf.compat.v1.nn.<name>`.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.ops._ctc_decode import ctc_beam_search_decoder_v1 as ctc_beam_search_decoder
from tork.ops.nn import _ctc_loss_v1 as ctc_loss
from tork.ops.nn import ctc_greedy_decoder

__getattr__ = _module_getattr("tf.compat.v1.nn")

__all__ = ["ctc_beam_search_decoder", "ctc_greedy_decoder", "ctc_loss"]
