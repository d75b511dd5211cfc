//! The `haven` command: assess and evaluate fixture conversations, measure plain real text, check images, run the demo and benchmarks.

mod assess;
mod bench;
mod corpus;
mod demo;
mod eval;
mod image_cmd;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "haven",
    version,
    about = "On-device sextortion and grooming risk engine"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print one JSON line per message of each fixture conversation.
    Assess(assess::AssessArgs),
    /// Check every fixture's expectations; exit non-zero if any fails.
    Eval(eval::EvalArgs),
    /// Measure levels and firing rules on plain real text (lines or `__eou__` dialogues).
    Corpus(corpus::CorpusArgs),
    /// Replay a few conversations as a chat with the engine's view beside it.
    Demo(demo::DemoArgs),
    /// Measure per-message latency, start-up time and state size on the fixture corpus.
    Bench(bench::BenchArgs),
    /// Check images for nudity: one JSON line per file.
    Image(image_cmd::ImageArgs),
    /// Median end-to-end milliseconds per image check.
    BenchImage(image_cmd::BenchImageArgs),
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Assess(args) => assess::run(args).map(|()| true),
        Command::Eval(args) => eval::run(args),
        Command::Corpus(args) => corpus::run(args).map(|()| true),
        Command::Demo(args) => demo::run(args).map(|()| true),
        Command::Bench(args) => bench::run(args).map(|()| true),
        Command::Image(args) => image_cmd::run_image(args).map(|()| true),
        Command::BenchImage(args) => image_cmd::run_bench_image(args).map(|()| true),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("haven: {message}");
            ExitCode::from(2)
        }
    }
}
