//! `haven assess`: one JSON line per message of each fixture.

use std::io::Write;
use std::path::PathBuf;

use haven_cli::fixture;

/// Arguments of `haven assess`.
#[derive(clap::Args)]
pub struct AssessArgs {
    /// Fixture files or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: AssessArgs) -> Result<(), String> {
    let fixtures = fixture::load(&args.paths)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for f in &fixtures {
        let assessments = f.run().map_err(|e| format!("{}: {e}", f.id))?;
        for a in assessments {
            let line = serde_json::json!({
                "conversation": f.id,
                "index": a.message_index,
                "level": a.level.as_str(),
                "score": (a.score * 1000.0).round() / 1000.0,
                "stage": a.stage.as_str(),
                "pattern": a.pattern.as_str(),
                "signals": a.signals.iter().map(|s| s.kind.as_str()).collect::<Vec<_>>(),
                "intervention": a.intervention.kind.as_str(),
                "rules": a.signals.iter().map(|s| s.rule.as_str()).collect::<Vec<_>>(),
            });
            writeln!(out, "{line}").map_err(|e| e.to_string())?;
        }
    }
    out.flush().map_err(|e| e.to_string())
}
