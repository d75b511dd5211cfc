"""Shared setup for the Python binding tests: imports the installed `haven` package and reads the fixtures.

`haven` is the haven-safety wheel installed in the interpreter running pytest: scripts/test-bindings.sh builds
it (scripts/build-wheel.sh) and installs it into a fresh virtual environment, so a file missing from the wheel
fails here. Nothing from the source tree is put on sys.path.
"""

import json
from pathlib import Path

import pytest

try:
    import haven
except ImportError as missing:
    raise RuntimeError(
        "the haven package is not installed in this interpreter: run scripts/test-bindings.sh, or pip install "
        "the wheel that scripts/build-wheel.sh writes into target/wheels"
    ) from missing

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"
CONVERSATIONS = FIXTURES / "conversations"
# An arbitrary origin in 2023, so fixture offsets become plausible epoch timestamps.
EPOCH_MS = 1_700_000_000_000
LEVELS = [haven.Level.NONE, haven.Level.LOW, haven.Level.MEDIUM, haven.Level.HIGH, haven.Level.CRITICAL]


def rank(level):
    """Position of a level in `none < low < medium < high < critical`."""
    return LEVELS.index(level)


def level_named(word):
    return getattr(haven.Level, word.upper())


def load_conversation(name):
    """One fixture from fixtures/conversations (format in docs/fixtures.md)."""
    return json.loads((CONVERSATIONS / f"{name}.json").read_text(encoding="utf-8"))


def to_message(m):
    """A fixture message as the engine's record; `t` is seconds since the chat's first message."""
    return haven.Message(
        direction=haven.Direction.FROM_CONTACT if m["from"] == "contact" else haven.Direction.FROM_USER,
        text=m["text"],
        timestamp_ms=EPOCH_MS + m["t"] * 1000,
        attachments=[getattr(haven.Attachment, a.upper()) for a in m.get("attachments", [])],
    )


def to_contact(c):
    return haven.ContactContext(
        new_contact=c.get("new_contact", False),
        mutual_connections=c.get("mutual_connections"),
        account_age_days=c.get("account_age_days"),
        known_for_days=c.get("known_for_days"),
    )


def engine_for(fixture, **overrides):
    """An engine configured for the fixture's teen: age, region and the locale's language."""
    config = haven.EngineConfig(
        user_age=fixture["user"]["age"], region=fixture["user"]["region"], languages=[fixture["locale"]]
    )
    for key, value in overrides.items():
        setattr(config, key, value)
    return haven.HavenEngine(config)


def play(engine, fixture, conversation_id=None, with_contact=True):
    """Observes every message of a fixture in order and returns the assessment after each."""
    cid = conversation_id or fixture["id"]
    if with_contact and fixture.get("contact"):
        engine.set_contact(cid, to_contact(fixture["contact"]))
    return [engine.observe(cid, to_message(m)) for m in fixture["messages"]]


@pytest.fixture
def engine():
    return haven.HavenEngine(haven.EngineConfig())
