//! Benchmarks the engine's per-message cost, its start-up (rule compilation) and state export.

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

criterion_group!(benches, observe, startup);
criterion_main!(benches);
