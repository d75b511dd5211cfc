//! Engine behaviour through the public API: escalation, contact context, the teen's words, state, limits, errors.

use haven_core::{
    Assessment, ContactContext, Direction, Engine, EngineConfig, Error, InterventionKind, Level,
    Message, ResourceKind, SignalKind, Stage, Topic,
};

fn engine() -> Engine {
    Engine::new(EngineConfig {
        user_age: Some(15),
        ..EngineConfig::default()
    })
    .expect("default config is valid")
}

fn contact_says(text: &str, t_s: i64) -> Message {
    Message {
        direction: Direction::FromContact,
        text: text.to_owned(),
        timestamp_ms: t_s * 1000,
        attachments: vec![],
    }
}

fn teen_says(text: &str, t_s: i64) -> Message {
    Message {
        direction: Direction::FromUser,
        text: text.to_owned(),
        timestamp_ms: t_s * 1000,
        attachments: vec![],
    }
}

const STRANGER: ContactContext = ContactContext {
    new_contact: true,
    mutual_connections: Some(0),
    account_age_days: Some(3),
    known_for_days: None,
};
const OLD_FRIEND: ContactContext = ContactContext {
    new_contact: false,
    mutual_connections: Some(40),
    account_age_days: Some(1200),
    known_for_days: Some(700),
};

fn run(engine: &Engine, id: &str, messages: &[Message]) -> Vec<Assessment> {
    messages
        .iter()
        .map(|m| engine.observe(id, m.clone()).expect("valid message"))
        .collect()
}

#[test]
fn direct_entry_demand_is_high_at_once_with_recovery_card() {
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    let a = e
        .observe("c", contact_says("I have your nudes. Pay $300 in Apple gift cards or I send them to all your followers", 0))
        .unwrap();
    assert!(a.level >= Level::High, "{a:?}");
    assert!(a.stage >= Stage::Leverage);
    assert_eq!(a.intervention.topic, Topic::Sextortion);
    assert!(a.intervention.kind >= InterventionKind::Warning);
    let actions: Vec<_> = a.intervention.actions.iter().map(|x| x.action).collect();
    assert!(actions.contains(&haven_core::Action::DontPay));
    assert!(a
        .intervention
        .resources
        .iter()
        .any(|r| r.kind == ResourceKind::ImageRemoval));
    assert!(!a.intervention.headline.is_empty() && !a.intervention.body.is_empty());
}

#[test]
fn evidence_spans_point_at_the_original_words() {
    let e = engine();
    let text = "hey 😊 ur so cute. add my snap its jess.xo";
    let a = e.observe("c", contact_says(text, 0)).unwrap();
    let migration = a
        .signals
        .iter()
        .find(|s| s.kind == SignalKind::Migration)
        .expect("migration found");
    let span = migration.span.expect("text signal has a span");
    let cited: String = text
        .chars()
        .skip(span.start as usize)
        .take((span.end - span.start) as usize)
        .collect();
    assert!(cited.contains("snap"), "cited {cited:?}");
    let utf16: Vec<u16> = text.encode_utf16().collect();
    let cited16 =
        String::from_utf16(&utf16[span.start_utf16 as usize..span.end_utf16 as usize]).unwrap();
    assert_eq!(cited, cited16);
}

#[test]
fn contact_context_amplifies_early_signals_and_old_friends_dampen_them() {
    let script = [
        contact_says("hey ur really cute", 0),
        contact_says("my insta glitches, add my snap", 60),
        contact_says("send me a pic? i'll send first", 120),
    ];
    let stranger = engine();
    stranger.set_contact("c", STRANGER).unwrap();
    let friend = engine();
    friend.set_contact("c", OLD_FRIEND).unwrap();
    let s = run(&stranger, "c", &script).pop().unwrap();
    let f = run(&friend, "c", &script).pop().unwrap();
    assert!(
        s.score > f.score,
        "stranger {} vs friend {}",
        s.score,
        f.score
    );
    assert!(s.level >= Level::Medium);
    assert!(f.level <= Level::Low);
}

#[test]
fn self_harm_is_always_critical_with_crisis_lines_first() {
    let e = engine();
    let a = e
        .observe("c", teen_says("i just want to die honestly", 0))
        .unwrap();
    assert_eq!(a.level, Level::Critical);
    assert_eq!(a.intervention.kind, InterventionKind::Crisis);
    assert_eq!(a.intervention.topic, Topic::SelfHarm);
    assert_eq!(
        a.intervention.resources.first().map(|r| r.kind),
        Some(ResourceKind::TalkToSomeone)
    );
}

#[test]
fn the_teens_pleading_during_extortion_is_critical() {
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    run(
        &e,
        "c",
        &[contact_says(
            "i screenshotted your followers. send $200 on cash app or they all see your pic",
            0,
        )],
    );
    let a = e
        .observe("c", teen_says("please don't, i don't have any money", 30))
        .unwrap();
    assert_eq!(a.level, Level::Critical);
}

#[test]
fn benign_talk_between_friends_stays_quiet() {
    let e = engine();
    e.set_contact("c", OLD_FRIEND).unwrap();
    let last = run(
        &e,
        "c",
        &[
            contact_says("venmo me 12 for the pizza", 0),
            contact_says("send a pic of the math homework pls", 60),
            contact_says("don't tell mom, it's a surprise party for dad", 120),
            contact_says("im going to destroy you in fortnite tonight", 180),
        ],
    );
    assert!(
        last.iter().all(|a| a.level <= Level::Low),
        "{:?}",
        last.iter().map(|a| a.level).collect::<Vec<_>>()
    );
}

#[test]
fn evidence_decays_over_time() {
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    let fresh = e
        .observe(
            "c",
            contact_says("dont tell anyone about us, delete our chats", 0),
        )
        .unwrap();
    let later = e.observe("c", contact_says("hi", 90 * 24 * 3600)).unwrap();
    assert!(
        later.score < fresh.score,
        "{} then {}",
        fresh.score,
        later.score
    );
}

#[test]
fn state_round_trips_without_message_text() {
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    let secret_words = "zebra-orchid-7741 send me nudes";
    let before = e.observe("c", contact_says(secret_words, 0)).unwrap();
    let bytes = e.export_state();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("zebra"),
        "state must not hold message text"
    );
    let restored = engine();
    restored.import_state(&bytes).unwrap();
    let now = restored.current_assessment("c").unwrap();
    assert_eq!(now.level, before.level);
    assert_eq!(now.stage, before.stage);
    assert!((now.score - before.score).abs() < 1e-6);
}

#[test]
fn corrupt_or_foreign_state_is_refused_and_the_engine_keeps_its_own() {
    let e = engine();
    e.observe("keep", contact_says("hello", 0)).unwrap();
    let good = e.export_state();
    let mut flipped = good.clone();
    *flipped.last_mut().unwrap() ^= 0x55;
    let mut future = good.clone();
    future[4] = 99;
    for bad in [
        b"not haven state".to_vec(),
        Vec::new(),
        flipped,
        future,
        good[..good.len() / 2].to_vec(),
    ] {
        assert!(matches!(e.import_state(&bad), Err(Error::InvalidState(_))));
        assert_eq!(e.conversation_count(), 1);
        assert!(e.current_assessment("keep").is_ok());
    }
}

#[test]
fn state_stays_small_per_conversation() {
    let e = engine();
    for i in 0..50 {
        let id = format!("c{i}");
        e.set_contact(&id, STRANGER).unwrap();
        run(
            &e,
            &id,
            &[
                contact_says("ur cute, how old r u? what school? are u home alone? dont tell anyone", 0),
                contact_says("add my snap. send nudes, i'll send first, my cam is broken, i promise i'll delete", 10),
                contact_says("i have your pics and your followers list. $500 gift cards or everyone sees. 10 minutes", 20),
                teen_says("please dont im 14 i have no money", 30),
            ],
        );
    }
    let per_conversation = e.export_state().len() / 50;
    assert!(
        per_conversation <= 2048,
        "{per_conversation} bytes per conversation"
    );
}

#[test]
fn bad_input_gets_clear_errors_and_leaves_the_engine_intact() {
    let e = engine();
    assert!(matches!(
        e.observe("", contact_says("hi", 0)),
        Err(Error::InvalidConversationId { len: 0 })
    ));
    let long_id = "x".repeat(300);
    assert!(matches!(
        e.observe(&long_id, contact_says("hi", 0)),
        Err(Error::InvalidConversationId { .. })
    ));
    assert!(matches!(
        e.observe("c", contact_says("hi", -5)),
        Err(Error::InvalidTimestamp(_))
    ));
    let far_future = Message {
        timestamp_ms: i64::MAX,
        ..contact_says("hi", 0)
    };
    assert!(matches!(
        e.observe("c", far_future),
        Err(Error::InvalidTimestamp(_))
    ));
    assert!(matches!(
        e.current_assessment("nobody"),
        Err(Error::UnknownConversation(_))
    ));
    assert!(!e.forget("nobody"));
    assert_eq!(e.conversation_count(), 0);
    for config in [
        EngineConfig {
            region: "USA".into(),
            ..EngineConfig::default()
        },
        EngineConfig {
            user_age: Some(3),
            ..EngineConfig::default()
        },
        EngineConfig {
            max_conversations: 0,
            ..EngineConfig::default()
        },
    ] {
        assert!(matches!(Engine::new(config), Err(Error::InvalidConfig(_))));
    }
}

#[test]
fn odd_text_and_order_have_defined_behaviour() {
    let e = engine();
    let empty = e.observe("c", contact_says("", 100)).unwrap();
    assert_eq!(empty.level, Level::None);
    assert!(empty.signals.is_empty());
    let control = e
        .observe("c", contact_says("\u{0}\u{7}\u{1b}[31m\u{202e}", 101))
        .unwrap();
    assert_eq!(control.message_index, 1);
    // A late message counts at the time of the latest one seen, not before it.
    let late = e.observe("c", contact_says("hello", 5)).unwrap();
    assert_eq!(late.message_index, 2);
}

#[test]
fn a_megabyte_message_is_assessed_on_a_bounded_window() {
    let e = engine();
    let mut text = "lorem ipsum ".repeat(90_000);
    text.push_str("i have your pics, pay $200 or everyone sees them");
    assert!(text.len() > 1_000_000);
    let a = e.observe("c", contact_says(&text, 0)).unwrap();
    let leverage = a
        .signals
        .iter()
        .find(|s| s.kind == SignalKind::Leverage)
        .expect("tail is assessed");
    let span = leverage.span.unwrap();
    let cited: String = text
        .chars()
        .skip(span.start as usize)
        .take((span.end - span.start) as usize)
        .collect();
    assert!(cited.starts_with("i have your pics"), "{cited:?}");
}

#[test]
fn forget_and_capacity_bound_the_conversations_held() {
    let e = Engine::new(EngineConfig {
        max_conversations: 3,
        ..EngineConfig::default()
    })
    .unwrap();
    for i in 0..5 {
        e.observe(&format!("c{i}"), contact_says("hi", i)).unwrap();
    }
    assert_eq!(e.conversation_count(), 3);
    assert!(matches!(
        e.current_assessment("c0"),
        Err(Error::UnknownConversation(_))
    ));
    assert!(e.forget("c4"));
    assert_eq!(e.conversation_count(), 2);
}

#[test]
fn copy_follows_the_preferred_language_and_region() {
    let fr = Engine::new(EngineConfig {
        region: "ca".into(),
        languages: vec!["fr-CA".into(), "en".into()],
        ..EngineConfig::default()
    })
    .unwrap();
    assert_eq!(fr.config().region, "CA");
    let a = fr.observe("c", teen_says("je veux mourir", 0)).unwrap();
    assert_eq!(a.level, Level::Critical);
    assert_eq!(a.intervention.language, "fr");
    assert!(a
        .intervention
        .resources
        .iter()
        .any(|r| r.name.contains("Kids Help Phone") || r.name.contains("Jeunesse")));
    let unknown = Engine::new(EngineConfig {
        languages: vec!["xx".into()],
        ..EngineConfig::default()
    })
    .unwrap();
    assert_eq!(
        unknown
            .observe("c", teen_says("i want to kill myself", 0))
            .unwrap()
            .intervention
            .language,
        "en"
    );
}

#[test]
fn engine_is_shared_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    let e = std::sync::Arc::new(engine());
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let e = e.clone();
            std::thread::spawn(move || {
                for i in 0..50 {
                    e.observe(
                        &format!("t{t}"),
                        contact_says("send me pics i'll send first", i),
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(e.conversation_count(), 4);
    assert_eq!(e.current_assessment("t0").unwrap().message_index, 49);
}

/// Kinds found in one message observed alone.
fn kinds_in(text: &str) -> Vec<SignalKind> {
    let a = engine().observe("w", contact_says(text, 0)).unwrap();
    a.signals.iter().map(|s| s.kind).collect()
}

#[test]
fn invisible_padding_does_not_push_a_threat_out_of_the_window() {
    let threat = "pay $200 or i post your pics everywhere";
    let plain = kinds_in(threat);
    assert!(plain.contains(&SignalKind::Threat), "{plain:?}");
    for pad in [
        "\u{200B}",
        "\u{00AD}",
        "\u{0301}",
        "\u{E0041}",
        " ",
        "\u{200B} \u{2060}",
    ] {
        let padding = pad.repeat(2048);
        let text = format!("ok{padding}{threat}{padding}ok");
        let found = kinds_in(&text);
        assert!(
            found.contains(&SignalKind::Threat),
            "padding {pad:?}: {found:?}"
        );
    }
}

#[test]
fn a_threat_in_the_middle_of_sixty_kib_is_assessed_and_cited() {
    let benign = "we talked about the match and the homework for tomorrow. ".repeat(540);
    let threat = "pay $200 or i post your pics everywhere";
    let text = format!("{benign}{threat} {benign}");
    assert!(text.len() > 60 * 1024);
    let a = engine().observe("m", contact_says(&text, 0)).unwrap();
    let signal = a
        .signals
        .iter()
        .find(|s| s.kind == SignalKind::Threat)
        .expect("the middle of the message is assessed");
    let span = signal.span.unwrap();
    let cited: String = text
        .chars()
        .skip(span.start as usize)
        .take((span.end - span.start) as usize)
        .collect();
    assert!(threat.contains(cited.trim()), "{cited:?}");
    let utf16_start = text
        .chars()
        .take(span.start as usize)
        .map(char::len_utf16)
        .sum::<usize>();
    assert_eq!(span.start_utf16 as usize, utf16_start);
}

/// Finding 6: one far-future stamp neither ages a live threat away at once nor pins the clock, so evidence
/// recorded after it still ages with the conversation's real time.
#[test]
fn one_far_future_timestamp_neither_erases_nor_freezes_evidence() {
    const YEAR_S: i64 = 365 * 24 * 3600;
    const THREAT: &str = "i have your pics. pay $500 now or everyone sees them";
    let far = || Message {
        timestamp_ms: haven_core::limits::MAX_TIMESTAMP_MS,
        ..contact_says("hey", 0)
    };
    let t0 = 1_700_000_000;

    // A threat, then one far stamp: the threat is still live right after it.
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    assert_eq!(
        e.observe("c", contact_says(THREAT, t0)).unwrap().level,
        Level::Critical
    );
    let after_far = e.observe("c", far()).unwrap();
    assert_eq!(
        after_far.level,
        Level::Critical,
        "one far stamp aged the threat away"
    );
    // A year on, two messages agree on the time and the threat has aged.
    e.observe("c", teen_says("hi", t0 + YEAR_S)).unwrap();
    let later = e
        .observe("c", teen_says("how are you", t0 + YEAR_S + 60))
        .unwrap();
    assert!(later.level < Level::High, "{:?} a year later", later.level);

    // One far stamp, then a threat: the clock was not pinned at the far stamp, so a year on it has aged too.
    let e = engine();
    e.set_contact("d", STRANGER).unwrap();
    e.observe("d", contact_says("hi", t0)).unwrap();
    e.observe("d", far()).unwrap();
    assert_eq!(
        e.observe("d", contact_says(THREAT, t0 + 60)).unwrap().level,
        Level::Critical
    );
    e.observe("d", teen_says("hi", t0 + YEAR_S)).unwrap();
    let later = e
        .observe("d", teen_says("how are you", t0 + YEAR_S + 60))
        .unwrap();
    assert!(
        later.level < Level::High,
        "{:?} a year after a threat that followed a far stamp",
        later.level
    );
}

#[test]
fn a_clock_set_back_is_followed_and_evidence_ages_from_there() {
    const DAY_S: i64 = 24 * 3600;
    let e = engine();
    e.set_contact("c", STRANGER).unwrap();
    let t0 = 1_700_000_000;
    // The device clock is a year ahead, then fixed.
    e.observe("c", contact_says("hi", t0 + 365 * DAY_S))
        .unwrap();
    let threat = e
        .observe(
            "c",
            contact_says(
                "i have your pics. pay $500 now or everyone sees them",
                t0 + 365 * DAY_S + 60,
            ),
        )
        .unwrap();
    assert_eq!(threat.level, Level::Critical);
    e.observe("c", teen_says("what", t0)).unwrap();
    e.observe("c", teen_says("ok", t0 + 60)).unwrap();
    // A month on, two messages agree on the time, and the re-dated threat has aged a month.
    e.observe("c", teen_says("hey", t0 + 30 * DAY_S)).unwrap();
    let month_later = e
        .observe("c", teen_says("you there?", t0 + 30 * DAY_S + 60))
        .unwrap();
    assert!(month_later.level < Level::High, "{:?}", month_later.level);
}

#[test]
fn eviction_drops_the_least_recently_active_conversation() {
    let e = Engine::new(EngineConfig {
        max_conversations: 3,
        ..EngineConfig::default()
    })
    .unwrap();
    for i in 0..3 {
        e.observe(&format!("c{i}"), contact_says("hi", i)).unwrap();
    }
    // c0 becomes the most recent; c1 is now the least recently active.
    e.observe("c0", contact_says("again", 5)).unwrap();
    e.observe("c3", contact_says("hi", 6)).unwrap();
    assert!(e.current_assessment("c0").is_ok());
    assert!(matches!(
        e.current_assessment("c1"),
        Err(Error::UnknownConversation(_))
    ));
    // Forgetting frees a place without evicting anyone else.
    assert!(e.forget("c2"));
    e.observe("c4", contact_says("hi", 7)).unwrap();
    assert_eq!(e.conversation_count(), 3);
    assert!(e.current_assessment("c0").is_ok() && e.current_assessment("c3").is_ok());
    // Export keeps recency order, so an import evicts the same ones.
    let small = Engine::new(EngineConfig {
        max_conversations: 2,
        ..EngineConfig::default()
    })
    .unwrap();
    small.import_state(&e.export_state()).unwrap();
    assert!(small.current_assessment("c0").is_err());
    assert!(small.current_assessment("c3").is_ok() && small.current_assessment("c4").is_ok());
}
