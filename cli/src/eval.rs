//! `haven eval`: checks every fixture's expectations and prints per-category metrics.

use std::collections::BTreeMap;
use std::path::PathBuf;

use haven_cli::expectations::{judge, Outcome};
use haven_cli::fixture::{self, Label};

/// Arguments of `haven eval`.
#[derive(clap::Args)]
pub struct EvalArgs {
    /// Fixture files or folders of them.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Print one JSON object with the metrics instead of the table.
    #[arg(long)]
    pub json: bool,
}

fn rate(values: impl Iterator<Item = Option<bool>>) -> serde_json::Value {
    let known: Vec<bool> = values.flatten().collect();
    if known.is_empty() {
        return serde_json::Value::Null;
    }
    serde_json::json!({"passed": known.iter().filter(|b| **b).count(), "of": known.len()})
}

fn median(mut values: Vec<usize>) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    (n > 0).then(|| {
        if n % 2 == 1 {
            values[n / 2] as f64
        } else {
            (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0
        }
    })
}

fn metrics(outcomes: &[&Outcome]) -> serde_json::Value {
    let risky: Vec<&&Outcome> = outcomes
        .iter()
        .filter(|o| o.label != Label::Benign)
        .collect();
    serde_json::json!({
        "conversations": outcomes.len(),
        "risky_warned_early": rate(risky.iter().map(|o| o.warned_early)),
        "risky_at_min_level_by_alert": rate(risky.iter().map(|o| o.alerted)),
        "crisis_in_time": rate(outcomes.iter().map(|o| o.crisis)),
        "benign_false_alarms": rate(outcomes.iter().map(|o| o.false_alarm.map(|f| !f))),
        "median_messages_to_first_warning": median(risky.iter().filter_map(|o| o.first_warning).collect()),
        "failed": outcomes.iter().filter(|o| !o.failures.is_empty()).count(),
    })
}

pub fn run(args: EvalArgs) -> Result<bool, String> {
    let fixtures = fixture::load(&args.paths)?;
    let mut outcomes = Vec::new();
    for f in &fixtures {
        let assessments = f.run().map_err(|e| format!("{}: {e}", f.id))?;
        outcomes.push(judge(f, &assessments));
    }
    let mut categories: BTreeMap<String, Vec<&Outcome>> = BTreeMap::new();
    for o in &outcomes {
        let label = format!("{:?}", o.label).to_lowercase();
        categories.entry(label).or_default().push(o);
        categories
            .entry(format!("lang:{}", o.language))
            .or_default()
            .push(o);
        categories.entry("all".to_owned()).or_default().push(o);
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.failures.is_empty()).collect();
    if args.json {
        let by_category: serde_json::Map<String, serde_json::Value> = categories
            .iter()
            .map(|(k, v)| (k.clone(), metrics(v)))
            .collect();
        let failures: Vec<serde_json::Value> = failed
            .iter()
            .map(|o| serde_json::json!({"conversation": o.id, "failures": o.failures}))
            .collect();
        println!(
            "{}",
            serde_json::json!({"categories": by_category, "failures": failures})
        );
    } else {
        print_table(&categories);
        for o in &failed {
            for why in &o.failures {
                println!("FAIL {}: {why}", o.id);
            }
        }
        println!(
            "eval: {} passed, {} failed",
            outcomes.len() - failed.len(),
            failed.len()
        );
    }
    Ok(failed.is_empty())
}

fn print_table(categories: &BTreeMap<String, Vec<&Outcome>>) {
    let cell = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "-".to_owned(),
        serde_json::Value::Object(m) => format!("{}/{}", m["passed"], m["of"]),
        other => other.to_string(),
    };
    println!(
        "{:<12} {:>5} {:>12} {:>12} {:>8} {:>14} {:>14}",
        "category",
        "n",
        "warned early",
        "alert in time",
        "crisis",
        "benign quiet",
        "median 1st warn"
    );
    for (name, outcomes) in categories {
        let m = metrics(outcomes);
        println!(
            "{:<12} {:>5} {:>12} {:>12} {:>8} {:>14} {:>14}",
            name,
            outcomes.len(),
            cell(&m["risky_warned_early"]),
            cell(&m["risky_at_min_level_by_alert"]),
            cell(&m["crisis_in_time"]),
            cell(&m["benign_false_alarms"]),
            cell(&m["median_messages_to_first_warning"]),
        );
    }
}
