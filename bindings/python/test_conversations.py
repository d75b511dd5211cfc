"""Whole conversations through the Python bindings: sextortion, grooming, benign chats, contact context and
the evidence spans an app highlights."""

import pytest
from conftest import (
    EPOCH_MS,
    engine_for,
    haven,
    level_named,
    load_conversation,
    play,
    rank,
    to_message,
)


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


def test_a_whole_sextortion_script_reaches_crisis_with_the_recovery_card():
    fixture = load_conversation("sx-full-script-01")
    expect = fixture["expect"]
    assessments = play(engine_for(fixture), fixture)

    early = max(rank(a.level) for a in assessments[: expect["early_by"] + 1])
    assert early >= rank(level_named(expect["early_level"]))
    by_alert = max(rank(a.level) for a in assessments[: expect["alert_by"] + 1])
    assert by_alert >= rank(level_named(expect["min_level"]))

    last = assessments[-1]
    assert rank(last.level) >= rank(haven.Level.HIGH)
    assert last.pattern == haven.Pattern.SEXTORTION
    assert last.stage in (haven.Stage.LEVERAGE, haven.Stage.DEMAND, haven.Stage.PRESSURE)
    assert last.message_index == len(fixture["messages"]) - 1
    assert last.conversation_id == fixture["id"]
    card = last.intervention
    assert card.kind in (haven.InterventionKind.WARNING, haven.InterventionKind.CRISIS)
    assert card.topic == haven.Topic.SEXTORTION
    assert card.language == "en" and card.headline and card.body
    actions = {a.action for a in card.actions}
    assert haven.Action.DONT_PAY in actions
    assert all(a.label for a in card.actions)
    assert card.resources, "a US crisis card lists help resources"
    assert any(r.phone or r.url for r in card.resources)
    # The evidence names the extortion itself, strongest first.
    kinds = {s.kind for s in last.evidence}
    assert {haven.SignalKind.LEVERAGE, haven.SignalKind.THREAT, haven.SignalKind.PAYMENT} <= kinds
    weights = [s.weight for s in last.evidence]
    assert weights == sorted(weights, reverse=True)
    assert 0.0 <= last.score <= 1.0


def test_evidence_spans_point_at_the_words_in_the_original_text():
    fixture = load_conversation("sx-full-script-01")
    assessments = play(engine_for(fixture), fixture)
    matched = []
    for message, assessment in zip(fixture["messages"], assessments):
        text = message["text"]
        for signal in assessment.signals:
            if signal.span is None:
                continue
            span = signal.span
            assert 0 <= span.start < span.end <= len(text)
            words = text[span.start : span.end]
            # Both unit systems mark the same words.
            assert utf16_slice(text, span.start_utf16, span.end_utf16) == words
            matched.append((signal.kind, words.lower()))
    # The demand and the leverage are highlighted where they were written.
    assert any(k == haven.SignalKind.PAYMENT and "gift card" in w for k, w in matched), matched
    assert any(k == haven.SignalKind.LEVERAGE and "screenshot" in w for k, w in matched), matched
    # Evidence points back at the message that produced it.
    last = assessments[-1]
    for signal in last.evidence:
        if signal.span is not None:
            text = fixture["messages"][signal.message_index]["text"]
            assert signal.span.end <= len(text)


def test_spans_count_utf16_units_separately_after_emoji():
    engine = haven.HavenEngine(haven.EngineConfig())
    text = "😈😈 i have ur pics. send $200 to my cashapp or everyone u know sees them"
    a = engine.observe("emoji", haven.Message(direction=haven.Direction.FROM_CONTACT, text=text, timestamp_ms=EPOCH_MS))
    spans = [s.span for s in a.signals if s.span is not None]
    for span in spans:
        assert utf16_slice(text, span.start_utf16, span.end_utf16) == text[span.start : span.end]
    after_emoji = [span for span in spans if span.start >= 2]
    assert after_emoji, spans
    for span in after_emoji:
        # Each emoji before the words is one scalar value but two UTF-16 units.
        assert span.start_utf16 == span.start + 2


@pytest.mark.parametrize("name", ["gr-meetup-04", "fr-sx-snap-01", "es-sx-cashapp-03"])
def test_grooming_and_other_languages_reach_their_expected_level(name):
    fixture = load_conversation(name)
    expect = fixture["expect"]
    assessments = play(engine_for(fixture), fixture)
    by_alert = max(rank(a.level) for a in assessments[: expect["alert_by"] + 1])
    assert by_alert >= rank(level_named(expect["min_level"]))
    # The card speaks the teen's language.
    language = fixture["locale"].split("-")[0]
    cards = [a.intervention for a in assessments if a.intervention.kind != haven.InterventionKind.NONE]
    assert cards and all(c.language == language for c in cards)


@pytest.mark.parametrize("name", ["bn-haircut-selfie-01", "bn-add-snap-classmate-28", "bn-sneakers-cashapp-06"])
def test_benign_conversations_stay_low(name):
    fixture = load_conversation(name)
    ceiling = rank(level_named(fixture["expect"]["max_level"]))
    assert ceiling <= rank(haven.Level.LOW)
    for a in play(engine_for(fixture), fixture):
        assert rank(a.level) <= ceiling, (a.message_index, a.level, a.signals)
        assert a.intervention.kind in (haven.InterventionKind.NONE, haven.InterventionKind.TIP)


def test_contact_context_changes_the_level_of_the_same_early_messages():
    fixture = load_conversation("sx-full-script-01")
    early = fixture["messages"][:9]  # up to the image request
    stranger = haven.ContactContext(new_contact=True, mutual_connections=0, account_age_days=3, known_for_days=0)
    old_friend = haven.ContactContext(
        new_contact=False, mutual_connections=40, account_age_days=900, known_for_days=400
    )

    def levels(contact):
        engine = haven.HavenEngine(haven.EngineConfig(user_age=15))
        engine.set_contact("c", contact)
        return [engine.observe("c", to_message(m)) for m in early]

    with_stranger, with_friend = levels(stranger), levels(old_friend)
    assert rank(with_stranger[-1].level) >= rank(haven.Level.MEDIUM)
    assert rank(with_friend[-1].level) < rank(with_stranger[-1].level)
    for s, f in zip(with_stranger, with_friend):
        assert s.score >= f.score
    assert with_stranger[-1].score > with_friend[-1].score


def test_contact_set_later_applies_to_the_next_assessment(engine):
    engine.observe("late", haven.Message(direction=haven.Direction.FROM_CONTACT, text="hey", timestamp_ms=EPOCH_MS))
    before = engine.current_assessment("late")
    engine.set_contact("late", haven.ContactContext(new_contact=True, mutual_connections=0, account_age_days=1))
    after = engine.current_assessment("late")
    assert after.score > before.score
    assert rank(after.level) >= rank(before.level)


def test_current_assessment_forget_and_count(engine):
    fixture = load_conversation("sx-direct-short-24")
    assessments = play(engine, fixture)
    current = engine.current_assessment(fixture["id"])
    assert current.level == assessments[-1].level
    assert current.message_index == assessments[-1].message_index
    assert current.signals == []  # nothing new was observed
    assert engine.conversation_count() == 1
    assert engine.forget(fixture["id"]) is True
    assert engine.forget(fixture["id"]) is False
    assert engine.conversation_count() == 0


def test_the_least_recently_active_conversation_is_dropped_at_the_limit():
    engine = haven.HavenEngine(haven.EngineConfig(max_conversations=2))
    for i, cid in enumerate(["a", "b", "a", "c"]):
        engine.observe(cid, haven.Message(direction=haven.Direction.FROM_USER, text="hi", timestamp_ms=EPOCH_MS + i))
    assert engine.conversation_count() == 2
    engine.current_assessment("a")
    engine.current_assessment("c")
    with pytest.raises(haven.HavenError.UnknownConversation):
        engine.current_assessment("b")


def test_configuration_is_normalised_and_reported():
    engine = haven.HavenEngine(
        haven.EngineConfig(user_age=14, region="gb", languages=["fr-CA"], sensitivity=haven.Sensitivity.VIGILANT)
    )
    config = engine.config()
    assert config.region == "GB"
    assert config.user_age == 14
    assert config.sensitivity == haven.Sensitivity.VIGILANT
    assert config.max_conversations == haven.limits().default_max_conversations


def test_version_and_limits():
    assert haven.haven_version().count(".") == 2
    limits = haven.limits()
    assert limits.max_conversation_id_bytes == 256
    assert limits.max_timestamp_ms > EPOCH_MS
    assert limits.min_user_age < limits.max_user_age
    assert limits.max_assessed_chars > 0 and limits.max_state_bytes > 0
