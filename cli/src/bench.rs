//! `haven bench`: per-message latency, engine start-up and state size, measured on the fixture corpus.

use std::path::PathBuf;
use std::time::Instant;

use haven_core::text::rules::RuleBook;
use haven_core::{ContactContext, Direction, Engine, EngineConfig, Message};

use haven_cli::fixture;

/// Arguments of `haven bench`.
#[derive(clap::Args)]
pub struct BenchArgs {
    /// Fixture files or folders making up the corpus.
    #[arg(default_value = "fixtures/conversations")]
    pub paths: Vec<PathBuf>,
    /// Passes over the corpus.
    #[arg(long, default_value_t = 50)]
    pub rounds: usize,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn run(args: BenchArgs) -> Result<(), String> {
    // Start-up first, in a fresh process: the first engine starts compiling the rule packs in the background,
    // and the first message waits for whatever of that is left.
    let started = Instant::now();
    let engine = Engine::new(EngineConfig::default()).map_err(|e| e.to_string())?;
    let engine_new_ms = started.elapsed().as_secs_f64() * 1e3;
    let first = Message {
        direction: Direction::FromContact,
        text: "hi".into(),
        timestamp_ms: 0,
        attachments: vec![],
    };
    engine
        .observe("warm-up", first)
        .map_err(|e| e.to_string())?;
    let ready_ms = started.elapsed().as_secs_f64() * 1e3;
    engine.forget("warm-up");
    let started = Instant::now();
    RuleBook::embedded().map_err(|e| e.to_string())?;
    let compile_ms = started.elapsed().as_secs_f64() * 1e3;

    let fixtures = fixture::load(&args.paths)?;
    let mut samples = Vec::new();
    let mut wall = Instant::now();
    // Round 0 warms up (the background thread may still be compiling patterns) and is not measured.
    for round in 0..=args.rounds {
        if round == 1 {
            samples.clear();
            wall = Instant::now();
        }
        for f in &fixtures {
            let id = format!("{}#{round}", f.id);
            if let Some(c) = &f.contact {
                let contact = ContactContext {
                    new_contact: c.new_contact,
                    mutual_connections: c.mutual_connections,
                    account_age_days: c.account_age_days,
                    known_for_days: c.known_for_days,
                };
                engine
                    .set_contact(&id, contact)
                    .map_err(|e| e.to_string())?;
            }
            for message in f.messages() {
                let t = Instant::now();
                let assessment = engine.observe(&id, message).map_err(|e| e.to_string())?;
                samples.push(t.elapsed().as_secs_f64() * 1e6);
                std::hint::black_box(assessment);
            }
        }
    }
    let wall_s = wall.elapsed().as_secs_f64();
    let conversations = engine.conversation_count();
    let state_bytes = engine.export_state().len();
    samples.sort_by(f64::total_cmp);
    println!("messages            {}", samples.len());
    println!("messages_per_second {:.0}", samples.len() as f64 / wall_s);
    println!("p50_us              {:.1}", percentile(&samples, 0.5));
    println!("p99_us              {:.1}", percentile(&samples, 0.99));
    println!(
        "max_us              {:.1}",
        samples.last().copied().unwrap_or(0.0)
    );
    println!("engine_new_ms       {engine_new_ms:.2}");
    println!("first_message_ready_ms {ready_ms:.2}");
    println!("rule_compile_ms     {compile_ms:.2}");
    println!("conversations       {conversations}");
    println!(
        "state_bytes_per_conversation {:.0}",
        state_bytes as f64 / conversations.max(1) as f64
    );
    Ok(())
}
