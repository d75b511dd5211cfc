"""Every error path of the Python bindings: each raises the matching HavenError variant with a clear message
and leaves the engine as it was."""

import pytest
from conftest import EPOCH_MS, engine_for, haven, load_conversation, play

Err = haven.HavenError


def msg(text="hello", t=EPOCH_MS):
    return haven.Message(direction=haven.Direction.FROM_CONTACT, text=text, timestamp_ms=t)


@pytest.mark.parametrize(
    "config, words",
    [
        (haven.EngineConfig(region="USA"), "region"),
        (haven.EngineConfig(region=""), "region"),
        (haven.EngineConfig(region="1A"), "region"),
        (haven.EngineConfig(user_age=3), "user_age"),
        (haven.EngineConfig(user_age=200), "user_age"),
        (haven.EngineConfig(max_conversations=0), "max_conversations"),
        (haven.EngineConfig(max_conversations=haven.limits().max_conversations + 1), "max_conversations"),
    ],
)
def test_a_bad_configuration_is_refused(config, words):
    with pytest.raises(Err.InvalidConfig) as raised:
        haven.HavenEngine(config)
    assert words in str(raised.value)
    assert isinstance(raised.value, Err)


def test_limits_of_the_configuration_are_accepted():
    limits = haven.limits()
    for age in (limits.min_user_age, limits.max_user_age):
        haven.HavenEngine(haven.EngineConfig(user_age=age, max_conversations=limits.max_conversations))


def test_conversation_ids_must_be_1_to_256_bytes(engine):
    longest = "x" * haven.limits().max_conversation_id_bytes
    engine.observe(longest, msg())
    for bad in ["", longest + "x", "é" * 129]:  # 129 two-byte characters: 258 bytes
        for call in (
            lambda: engine.observe(bad, msg()),
            lambda: engine.set_contact(bad, haven.ContactContext()),
            lambda: engine.current_assessment(bad),
        ):
            with pytest.raises(Err.InvalidConversationId) as raised:
                call()
            assert "conversation id" in str(raised.value)
    assert engine.conversation_count() == 1


@pytest.mark.parametrize("t", [-1, haven.limits().max_timestamp_ms + 1, -(2**63), 2**63 - 1])
def test_absurd_timestamps_are_refused(engine, t):
    engine.observe("c", msg(t=EPOCH_MS))
    before = engine.current_assessment("c")
    with pytest.raises(Err.InvalidTimestamp) as raised:
        engine.observe("c", msg("i have ur pics, pay me", t=t))
    assert str(t) in str(raised.value)
    assert engine.current_assessment("c") == before


def test_the_extreme_valid_timestamps_are_accepted(engine):
    engine.observe("c", msg(t=0))
    engine.observe("c", msg(t=haven.limits().max_timestamp_ms))


def test_an_unknown_conversation_is_reported(engine):
    with pytest.raises(Err.UnknownConversation) as raised:
        engine.current_assessment("never-seen")
    assert "never-seen" in str(raised.value)


@pytest.mark.parametrize(
    "corrupt",
    [
        b"",
        b"not a haven state",
        bytes(range(256)) * 4,
    ],
)
def test_corrupt_state_is_refused_and_the_engine_keeps_what_it_held(corrupt):
    fixture = load_conversation("sx-full-script-01")
    engine = engine_for(fixture)
    play(engine, fixture)
    before = engine.current_assessment(fixture["id"])
    with pytest.raises(Err.InvalidState) as raised:
        engine.import_state(corrupt)
    assert "state" in str(raised.value)
    assert engine.conversation_count() == 1
    assert engine.current_assessment(fixture["id"]) == before


def test_truncated_and_tampered_exports_are_refused():
    fixture = load_conversation("gr-meetup-04")
    engine = engine_for(fixture)
    play(engine, fixture)
    blob = engine.export_state()
    before = engine.current_assessment(fixture["id"])
    tampered_version = bytes([blob[0] ^ 0xFF]) + blob[1:]
    for bad in (blob[: len(blob) // 2], blob[:-1], tampered_version):
        with pytest.raises(Err.InvalidState):
            engine.import_state(bad)
    assert engine.current_assessment(fixture["id"]) == before


def test_state_larger_than_the_limit_is_refused(engine):
    engine.observe("c", msg())
    with pytest.raises(Err.InvalidState):
        engine.import_state(bytes(haven.limits().max_state_bytes + 1))
    assert engine.conversation_count() == 1


def test_huge_and_odd_message_texts_are_assessed_not_refused(engine):
    huge = "hey " * 500_000 + "i have ur pics. pay $200 on cashapp or everyone sees them"
    a = engine.observe("big", msg(huge))
    assert any(s.kind == haven.SignalKind.PAYMENT for s in a.signals)
    for odd in ["", "\u0000\u200b\ufeff", "\U0001f600" * 5000, "\ud7ff"]:
        engine.observe("odd", msg(odd))
