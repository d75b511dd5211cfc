//! Fuzzes `Engine::observe` over a sequence of messages: the input is split into messages, each with a
//! direction, a timestamp and attachments taken from its first bytes. No input may panic, and every
//! assessment's spans must lie inside their message.
#![no_main]

use std::sync::LazyLock;

use haven_core::{Attachment, Direction, Engine, EngineConfig, Message};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    Engine::new(EngineConfig {
        max_conversations: 4,
        ..EngineConfig::default()
    })
    .expect("default configuration is valid")
});

fuzz_target!(|data: &[u8]| {
    for part in data.split(|&b| b == 0xFF) {
        let [flags, t0, t1, t2, t3, text @ ..] = part else {
            continue;
        };
        let text = String::from_utf8_lossy(text);
        let direction = if flags & 1 == 0 {
            Direction::FromContact
        } else {
            Direction::FromUser
        };
        let attachments = if flags & 2 == 0 {
            vec![]
        } else {
            vec![Attachment::Image]
        };
        // Timestamps span the whole range, out-of-range ones included, with repeats and jumps.
        let raw = i64::from(u32::from_le_bytes([*t0, *t1, *t2, *t3]));
        let timestamp_ms = match flags >> 6 {
            0 => raw,
            1 => raw * 1_000_000,
            2 => haven_core::limits::MAX_TIMESTAMP_MS - raw,
            _ => -raw,
        };
        let id = format!("c{}", (flags >> 2) & 7);
        let message = Message {
            direction,
            text: text.to_string(),
            timestamp_ms,
            attachments,
        };
        let chars = text.chars().count() as u32;
        if let Ok(assessment) = ENGINE.observe(&id, message) {
            for signal in assessment.signals.iter().chain(&assessment.evidence) {
                if let Some(span) = signal.span {
                    assert!(span.start <= span.end && span.start_utf16 <= span.end_utf16);
                }
            }
            for signal in &assessment.signals {
                if let Some(span) = signal.span {
                    assert!(span.end <= chars, "{span:?} past a {chars}-char message");
                }
            }
        }
    }
    let state = ENGINE.export_state();
    ENGINE
        .import_state(&state)
        .expect("an exported state imports");
});
