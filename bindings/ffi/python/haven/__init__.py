"""Haven for Python: the engine's generated UniFFI bindings, re-exported as `haven.*`, and the helpers of
`haven.audit` (replay a conversation, score a corpus as `haven corpus` does, load the NudeNet model)."""

from ._uniffi.haven import *  # noqa: F401,F403  (the generated module defines __all__)
from ._uniffi.haven import __all__ as _generated
from .audit import CORPUS_MAX_FILE_BYTES, load_nudenet, replay, score_corpus

__all__ = [*_generated, "CORPUS_MAX_FILE_BYTES", "load_nudenet", "replay", "score_corpus"]
__version__ = haven_version()  # noqa: F405  (from the generated module)
