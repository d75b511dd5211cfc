//! Benchmarks the engine's per-message cost, its start-up (rule compilation), state export, and adding a
//! conversation to a full engine (eviction) at 50,000 and 100,000 conversations.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use haven_core::text::rules::RuleBook;
use haven_core::{ContactContext, Direction, Engine, EngineConfig, Message};

const SCRIPT: &[&str] = &[
    "hey ur cute, just moved here. u got snap?",
    "my insta keeps glitching, add me its jess.xo",
    "send me a pic? i'll send first, my cam is broken",
    "i have ur pic and a screenshot of all ur followers",
    "$200 in apple gift cards or everyone at ur school sees it. 15 minutes",
];

fn message(text: &str, t: i64) -> Message {
    Message {
        direction: Direction::FromContact,
        text: text.to_owned(),
        timestamp_ms: t,
        attachments: vec![],
    }
}

fn observe(c: &mut Criterion) {
    let engine = Engine::new(EngineConfig::default()).unwrap();
    let stranger = ContactContext {
        new_contact: true,
        mutual_connections: Some(0),
        ..ContactContext::default()
    };
    let mut round = 0i64;
    c.bench_function("observe_script_message", |b| {
        b.iter(|| {
            round += 1;
            let id = format!("c{}", round % 512);
            engine.set_contact(&id, stranger).unwrap();
            let text = SCRIPT[(round as usize) % SCRIPT.len()];
            black_box(engine.observe(&id, message(text, round * 1000)).unwrap())
        })
    });
    c.bench_function("export_state_512_conversations", |b| {
        b.iter(|| black_box(engine.export_state()))
    });
}

fn startup(c: &mut Criterion) {
    c.bench_function("compile_rule_packs", |b| {
        b.iter(|| black_box(RuleBook::embedded().unwrap()))
    });
}

/// A new conversation in a full engine evicts the least recently active one; its cost must not grow with the
/// number held (it was a scan of every conversation before).
fn eviction(c: &mut Criterion) {
    for held in [50_000usize, 100_000] {
        let engine = Engine::new(EngineConfig {
            max_conversations: held,
            ..EngineConfig::default()
        })
        .unwrap();
        for k in 0..held {
            engine.observe(&format!("c{k}"), message("hi", 0)).unwrap();
        }
        let mut next = held;
        c.bench_function(&format!("new_conversation_in_full_engine_{held}"), |b| {
            b.iter(|| {
                next += 1;
                black_box(
                    engine
                        .observe(&format!("c{next}"), message("hi", 0))
                        .unwrap(),
                )
            })
        });
    }
}

criterion_group!(benches, observe, startup, eviction);
criterion_main!(benches);
