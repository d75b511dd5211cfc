"""Thin helpers over the generated bindings for audits in Python: replay a conversation, score a plain-text
corpus exactly as the CLI's `haven corpus` does (same input rules, same engine set-up, same numbers), and load
the NudeNet model by path with its manifest.

All three run on the calling thread and call the engine once per message or model; the engine is thread-safe,
so separate threads may use one engine with separate conversation ids.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from ._uniffi.haven import (
    Assessment,
    Attachment,
    ContactContext,
    Direction,
    EngineConfig,
    HavenEngine,
    InterventionKind,
    Level,
    Message,
    ModelSource,
)

PathLike = Union[str, "os.PathLike[str]"]

#: Largest corpus file read, as in `haven corpus`: a bigger file is an error, never a partial read.
CORPUS_MAX_FILE_BYTES = 64 * 1024 * 1024

# `haven corpus` places message i of every conversation at this origin plus i minutes.
_CORPUS_EPOCH_MS = 1_700_000_000_000
_CORPUS_STEP_MS = 60_000
_EXAMPLE_CHARS = 120
_MAX_WINDOW = 10_000
_DIALOG_TURN_SEPARATOR = "__eou__"
_LEVEL_NAMES = ["none", "low", "medium", "high", "critical"]
_LEVELS = [Level.NONE, Level.LOW, Level.MEDIUM, Level.HIGH, Level.CRITICAL]

# The `--contact` presets of `haven corpus`.
_CONTACTS: Dict[str, Optional[ContactContext]] = {
    "unknown": None,
    "known": ContactContext(new_contact=False, mutual_connections=25, account_age_days=1000, known_for_days=400),
    "new": ContactContext(new_contact=True, mutual_connections=0, account_age_days=3, known_for_days=0),
}

_DIRECTIONS = {"contact": Direction.FROM_CONTACT, "user": Direction.FROM_USER}
_NUDENET_MANIFEST = Path(__file__).with_name("nudenet-320n.json")


def replay(
    engine: HavenEngine,
    conversation_id: str,
    messages: Iterable[Union[Mapping[str, Any], Message]],
    contact: Optional[ContactContext] = None,
    start_ms: int = _CORPUS_EPOCH_MS,
) -> List[Assessment]:
    """Observes `messages` in order in one conversation and returns the assessment after each.

    Each message is a `haven.Message`, or a dict in the fixture format of docs/fixtures.md: `from`
    (`"contact"` or `"user"`, the teen), `text`, `t` (seconds since `start_ms`, default 0) and optionally
    `attachments` (names such as `"image"`). Any iterable works, a generator included; nothing is kept beyond
    the engine's own conversation state. `contact`, when given, is set before the first message. Costs one
    engine call per message (tens of microseconds each); raises `ValueError` on a malformed dict and the
    engine's `HavenError` on input it refuses.
    """
    if contact is not None:
        engine.set_contact(conversation_id, contact)
    return [engine.observe(conversation_id, _to_message(m, start_ms)) for m in messages]


def _to_message(m: Union[Mapping[str, Any], Message], start_ms: int) -> Message:
    if isinstance(m, Message):
        return m
    try:
        direction = _DIRECTIONS[m["from"]]
    except KeyError:
        raise ValueError(f"a message needs 'from' set to 'contact' or 'user': {dict(m)!r}") from None
    if not isinstance(m.get("text", ""), str):
        raise ValueError("a message's 'text' must be a string")
    try:
        attachments = [getattr(Attachment, a.upper()) for a in m.get("attachments", ())]
    except (AttributeError, TypeError):
        known = ", ".join(a.name.lower() for a in Attachment)
        raise ValueError(f"unknown attachment in {m.get('attachments')!r}; known: {known}") from None
    return Message(
        direction=direction,
        text=m.get("text", ""),
        timestamp_ms=start_ms + round(m.get("t", 0) * 1000),
        attachments=attachments,
    )


def score_corpus(
    paths: Union[PathLike, Sequence[PathLike]],
    format: str = "lines",
    window: int = 10,
    contact: str = "unknown",
    top: int = 20,
) -> Dict[str, Any]:
    """Scores plain-text files as `haven corpus PATH... --format F --window N --contact C --top K --json` does
    and returns the same object (docs/python.md shows its keys).

    `format="lines"`: one message per non-empty line, consecutive lines of a file grouped into conversations of
    `window` messages (the last group may be shorter; groups never span files). `format="dialogs"`: one
    conversation per non-empty line, turns separated by `__eou__`. Speakers alternate contact, teen, contact...;
    `contact` is `"unknown"`, `"known"` or `"new"` (the CLI's presets). Files are decoded as UTF-8 with invalid
    bytes replaced, and each may hold at most `CORPUS_MAX_FILE_BYTES`. Runs on the calling thread, one default
    engine, each conversation forgotten once scored so memory stays flat; about as fast as the CLI per message
    plus the Python loop. Raises `ValueError` on a bad option or an oversized file, `OSError` on an unreadable one.
    """
    if format not in ("lines", "dialogs"):
        raise ValueError(f"format must be 'lines' or 'dialogs', not {format!r}")
    if contact not in _CONTACTS:
        raise ValueError(f"contact must be one of {', '.join(_CONTACTS)}, not {contact!r}")
    if not 1 <= window <= _MAX_WINDOW:
        raise ValueError(f"window must be between 1 and {_MAX_WINDOW}")
    if top < 0:
        raise ValueError("top must not be negative")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]

    engine = HavenEngine(EngineConfig())
    context = _CONTACTS[contact]
    levels = [0] * len(_LEVELS)
    message_levels = [0] * len(_LEVELS)
    crisis_cards = 0
    conversations = messages = 0
    rules: Dict[str, Dict[str, Any]] = {}

    for path in paths:
        for turns in _conversations(_read_lines(Path(path)), format, window):
            cid = f"corpus-{conversations}"
            if context is not None:
                engine.set_contact(cid, context)
            highest, crisis = 0, False
            for i, text in enumerate(turns):
                direction = Direction.FROM_CONTACT if i % 2 == 0 else Direction.FROM_USER
                got = engine.observe(
                    cid, Message(direction=direction, text=text, timestamp_ms=_CORPUS_EPOCH_MS + i * _CORPUS_STEP_MS)
                )
                rank = _LEVELS.index(got.level)
                message_levels[rank] += 1
                highest = max(highest, rank)
                crisis = crisis or got.intervention.kind == InterventionKind.CRISIS
                counted = set()
                for signal in got.signals:
                    if signal.message_index != got.message_index or signal.rule in counted:
                        continue
                    counted.add(signal.rule)
                    if signal.rule not in rules:
                        span = signal.span
                        rules[signal.rule] = {
                            "rule": signal.rule,
                            "signal": signal.kind.name.lower(),
                            "count": 0,
                            # The rule's first match, as the CLI keeps it (empty when it had no span).
                            "example": text[span.start : span.end][:_EXAMPLE_CHARS] if span else "",
                        }
                    rules[signal.rule]["count"] += 1
            engine.forget(cid)
            conversations += 1
            messages += len(turns)
            levels[highest] += 1
            crisis_cards += crisis

    ranked = sorted(rules.values(), key=lambda r: (-r["count"], r["rule"]))[:top]
    return {
        "conversations": conversations,
        "messages": messages,
        "levels": dict(zip(_LEVEL_NAMES, levels)),
        "message_levels": dict(zip(_LEVEL_NAMES, message_levels)),
        "medium_or_above": sum(levels[2:]),
        "high_or_above": sum(levels[3:]),
        "critical": levels[4],
        "crisis_cards": crisis_cards,
        "rules": ranked,
    }


def _read_lines(path: Path) -> List[str]:
    """The non-empty lines of a corpus file, decoded as `haven corpus` decodes them."""
    with path.open("rb") as f:
        data = f.read(CORPUS_MAX_FILE_BYTES + 1)
    if len(data) > CORPUS_MAX_FILE_BYTES:
        raise ValueError(f"{path}: larger than the corpus limit of {CORPUS_MAX_FILE_BYTES} bytes")
    # Split on "\n" only: str.splitlines() would also break at form feeds and Unicode separators.
    lines = (line.rstrip("\r\n") for line in data.decode("utf-8", errors="replace").split("\n"))
    return [line for line in lines if line]


def _conversations(lines: List[str], format: str, window: int) -> Iterable[List[str]]:
    if format == "lines":
        for start in range(0, len(lines), window):
            yield lines[start : start + window]
        return
    for line in lines:
        turns = [turn.strip() for turn in line.split(_DIALOG_TURN_SEPARATOR)]
        turns = [turn for turn in turns if turn]
        if turns:
            yield turns


def load_nudenet(engine: HavenEngine, model_path: PathLike, manifest_path: Optional[PathLike] = None) -> None:
    """Loads an image model into `engine` from a file, with its manifest: by default the NudeNet 320n manifest
    shipped in this package (the model itself is not: `pip download nudenet==3.4.2` has it as
    `nudenet/320n.onnx`, under its own licence, see docs/model-card.md).

    When the manifest records a `sha256`, the file is checked against it first, so a different model is not run
    under this manifest's thresholds; a mismatch raises `ValueError`. Costly (reads and hashes the file, then
    hundreds of milliseconds to load): call it once, off any UI thread. Raises `HavenError.ImageModel` when the
    engine refuses the model or manifest; the engine keeps any model it already had.
    """
    manifest = Path(manifest_path or _NUDENET_MANIFEST).read_text(encoding="utf-8")
    want = json.loads(manifest).get("sha256")
    if want:
        digest = hashlib.sha256()
        with open(model_path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != want.lower():
            raise ValueError(f"{model_path}: SHA-256 {digest.hexdigest()} is not the manifest's {want}")
    engine.load_image_model(ModelSource.PATH(path=os.fspath(model_path)), manifest)
