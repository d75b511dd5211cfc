//! Fuzzes `Engine::import_state`. The first byte picks the mode: raw bytes as given, or structured mutations of
//! a valid state (the input is a payload wrapped in a correct header and checksum, so the fuzzer reaches the
//! field checks behind the checksum the way a forger would). Whatever is accepted must behave: it exports
//! again, every conversation can be observed into and assessed.
#![no_main]

use std::sync::LazyLock;

use haven_core::{Direction, Engine, EngineConfig, Message};
use libfuzzer_sys::fuzz_target;

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A state with a few conversations and evidence, exported once.
static VALID: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let engine = Engine::new(EngineConfig::default()).expect("valid configuration");
    let texts = [
        "send me a pic first, I'll delete it",
        "pay 200 now or I post it everywhere",
        "let's talk on snap instead",
    ];
    for (k, text) in texts.iter().enumerate() {
        let message = Message {
            direction: Direction::FromContact,
            text: (*text).to_owned(),
            timestamp_ms: 1_700_000_000_000 + k as i64 * 60_000,
            attachments: vec![],
        };
        engine
            .observe(&format!("conv-{k}"), message)
            .expect("valid message");
    }
    engine.export_state()
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let bytes = match mode % 3 {
        0 => rest.to_vec(),
        1 => with_header(rest),
        _ => {
            // Overwrite bytes of the valid payload at fuzzer-chosen places, then re-checksum.
            let mut payload = VALID[14..].to_vec();
            for pair in rest.chunks_exact(2) {
                let at = usize::from(pair[0]) % payload.len().max(1);
                if let Some(b) = payload.get_mut(at) {
                    *b = pair[1];
                }
            }
            with_header(&payload)
        }
    };
    let engine = Engine::new(EngineConfig {
        max_conversations: 8,
        ..EngineConfig::default()
    })
    .expect("valid configuration");
    if engine.import_state(&bytes).is_ok() {
        let again = engine.export_state();
        let copy = Engine::new(EngineConfig::default()).expect("valid configuration");
        copy.import_state(&again)
            .expect("a re-exported state imports");
        for k in 0..3 {
            let id = format!("conv-{k}");
            let _ = engine.current_assessment(&id);
            let message = Message {
                direction: Direction::FromContact,
                text: "or else".to_owned(),
                timestamp_ms: 1_800_000_000_000,
                attachments: vec![],
            };
            engine
                .observe(&id, message)
                .expect("observing after an import works");
        }
    }
});

fn with_header(payload: &[u8]) -> Vec<u8> {
    let mut out = VALID[..6].to_vec();
    out.extend_from_slice(&fnv1a(payload).to_le_bytes());
    out.extend_from_slice(payload);
    out
}
