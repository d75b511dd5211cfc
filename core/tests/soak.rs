//! Soak test (ignored by default): several threads observe into shared and separate conversations of one full
//! engine while others export and import its state, forget conversations, reload the image model and check images,
//! for `HAVEN_SOAK_SECONDS` (default 20). Asserts no error, resident memory that stops growing, and a final
//! state that round-trips. Run: `cargo test --release -p haven-core --test soak -- --ignored --nocapture`.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use haven_core::image::{ImageInput, ModelSource, PixelFormat};
use haven_core::{Attachment, Direction, Engine, EngineConfig, Message};

const TEXTS: &[&str] = &[
    "hey u seem cool, where do u go to school?",
    "lets talk on snap instead",
    "send me a pic first, i'll delete it",
    "i have ur pics. pay $200 in gift cards or everyone sees them",
    "you have 10 minutes",
    "please dont, i have no money",
    "did you finish the homework for tomorrow?",
    "s3nd [x7q] m3 ä p̈ıç \u{200B}\u{200B} n0w",
];

/// Resident set size in bytes, from /proc/self/statm (pages).
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("Linux /proc");
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("statm");
    pages * 4096
}

fn model_files() -> (Vec<u8>, String) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/models/");
    (
        std::fs::read(format!("{dir}synthetic-brightness.onnx")).expect("fixture model"),
        std::fs::read_to_string(format!("{dir}synthetic-brightness.json"))
            .expect("fixture manifest"),
    )
}

#[test]
#[ignore = "soak: minutes of load; run with --ignored"]
fn soak_concurrent_observe_export_import_forget_and_reload() {
    let seconds: u64 = std::env::var("HAVEN_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let engine = Arc::new(
        Engine::new(EngineConfig {
            max_conversations: 2_000,
            ..EngineConfig::default()
        })
        .unwrap(),
    );
    let (onnx, manifest) = model_files();
    engine
        .load_image_model(ModelSource::Bytes(onnx.clone()), &manifest)
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let observed = Arc::new(AtomicU64::new(0));
    let housekeeping = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let warm_until = started + Duration::from_secs(seconds / 4);
    let mut rss_after_warm_up = 0;
    let mut threads = Vec::new();
    for worker in 0..4u64 {
        let (engine, stop, observed) = (engine.clone(), stop.clone(), observed.clone());
        threads.push(std::thread::spawn(move || {
            let mut k = 0u64;
            while !stop.load(Ordering::Relaxed) {
                // Shared conversations see every worker; separate ones cycle through more ids than the engine
                // holds, so eviction runs all the time.
                let id = if k.is_multiple_of(3) {
                    format!("shared-{}", k % 8)
                } else {
                    format!("w{worker}-{}", k % 5_000)
                };
                let message = Message {
                    direction: if k % 4 == 3 {
                        Direction::FromUser
                    } else {
                        Direction::FromContact
                    },
                    text: TEXTS[(k as usize + worker as usize) % TEXTS.len()].to_owned(),
                    timestamp_ms: 1_700_000_000_000 + (k as i64) * 1_000,
                    attachments: if k.is_multiple_of(11) {
                        vec![Attachment::Image]
                    } else {
                        vec![]
                    },
                };
                engine.observe(&id, message).expect("observe");
                observed.fetch_add(1, Ordering::Relaxed);
                k += 1;
            }
        }));
    }
    {
        let (engine, stop, housekeeping) = (engine.clone(), stop.clone(), housekeeping.clone());
        threads.push(std::thread::spawn(move || {
            let pixels = ImageInput::Pixels {
                data: vec![200; 16 * 16 * 4],
                width: 16,
                height: 16,
                row_stride: 64,
                format: PixelFormat::Rgba8,
            };
            let mut k = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let state = engine.export_state();
                engine.import_state(&state).expect("own state imports");
                engine.forget(&format!("w{}-{}", k % 4, k % 5_000));
                if k.is_multiple_of(5) {
                    engine
                        .load_image_model(ModelSource::Bytes(onnx.clone()), &manifest)
                        .expect("reload");
                }
                engine
                    .assess_incoming_image(Some(&format!("shared-{}", k % 8)), &pixels)
                    .expect("image check");
                housekeeping.fetch_add(1, Ordering::Relaxed);
                k += 1;
            }
        }));
    }
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_millis(200));
        if rss_after_warm_up == 0 && Instant::now() >= warm_until {
            rss_after_warm_up = resident_bytes();
        }
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("no thread panicked");
    }
    let rss_end = resident_bytes();
    let elapsed = started.elapsed().as_secs_f64();
    let state = engine.export_state();
    let copy = Engine::new(EngineConfig {
        max_conversations: 2_000,
        ..EngineConfig::default()
    })
    .unwrap();
    copy.import_state(&state).unwrap();
    assert_eq!(copy.export_state(), state, "the final state round-trips");
    assert!(engine.conversation_count() <= 2_000);
    let observed = observed.load(Ordering::Relaxed);
    println!(
        "soak: {elapsed:.1} s, {observed} messages ({:.0}/s), {} export+import+forget rounds, {} conversations, \
         state {} KiB, RSS after warm-up {} MiB, at end {} MiB",
        observed as f64 / elapsed,
        housekeeping.load(Ordering::Relaxed),
        engine.conversation_count(),
        state.len() / 1024,
        rss_after_warm_up >> 20,
        rss_end >> 20
    );
    // After warm-up the engine is full; what remains must not grow with the number of messages.
    assert!(
        rss_end <= rss_after_warm_up + (64 << 20),
        "resident memory grew from {} to {} MiB",
        rss_after_warm_up >> 20,
        rss_end >> 20
    );
}
