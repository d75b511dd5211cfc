//! `haven eval`: checks every fixture's expectations and prints per-category metrics.

use std::collections::BTreeMap;
use std::path::PathBuf;

use haven_core::{Assessment, Level};

use crate::fixture::{self, Fixture, Label};

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

/// The outcome of one fixture.
struct Outcome {
    id: String,
    label: Label,
    language: String,
    failures: Vec<String>,
    /// Index of the first message at medium or above.
    first_warning: Option<usize>,
    warned_early: Option<bool>,
    alerted: Option<bool>,
    crisis: Option<bool>,
    false_alarm: Option<bool>,
}

fn first_at(assessments: &[Assessment], level: Level) -> Option<usize> {
    assessments.iter().position(|a| a.level >= level)
}

fn judge(f: &Fixture, assessments: &[Assessment]) -> Outcome {
    let e = &f.expect;
    let mut failures = Vec::new();
    let mut check = |what: &str, level: Level, by: usize| -> bool {
        let reached = first_at(assessments, level);
        let ok = reached.is_some_and(|i| i <= by);
        if !ok {
            let got = reached.map_or("never".to_owned(), |i| format!("at {i}"));
            let peak = assessments.iter().map(|a| a.level).max().unwrap_or_default();
            failures.push(format!("{what}: {} by {by}, reached {got} (peak {})", level.as_str(), peak.as_str()));
        }
        ok
    };
    let alerted = e.min_level.zip(e.alert_by).map(|(l, by)| check("alert", l.0, by));
    let warned_early = e.early_level.zip(e.early_by).map(|(l, by)| check("early", l.0, by));
    let crisis = e.crisis_by.map(|by| check("crisis", Level::Critical, by));
    let false_alarm = (f.expect.label == Label::Benign).then(|| {
        let max = e.max_level.map_or(Level::Low, |l| l.0);
        let peak = assessments.iter().enumerate().max_by_key(|(_, a)| a.level);
        match peak {
            Some((i, a)) if a.level > max => {
                let kinds: Vec<&str> = a.evidence.iter().map(|s| s.rule.as_str()).collect();
                failures.push(format!(
                    "false alarm: {} at {i} above max {} ({})",
                    a.level.as_str(),
                    max.as_str(),
                    kinds.join(", ")
                ));
                true
            }
            _ => false,
        }
    });
    Outcome {
        id: f.id.clone(),
        label: f.expect.label,
        language: f.locale.split(['-', '_']).next().unwrap_or("").to_owned(),
        failures,
        first_warning: first_at(assessments, Level::Medium),
        warned_early,
        alerted,
        crisis,
        false_alarm,
    }
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
    (n > 0).then(|| if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] + values[n / 2]) as f64 / 2.0 })
}

fn metrics(outcomes: &[&Outcome]) -> serde_json::Value {
    let risky: Vec<&&Outcome> = outcomes.iter().filter(|o| o.label != Label::Benign).collect();
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
        categories.entry(format!("lang:{}", o.language)).or_default().push(o);
        categories.entry("all".to_owned()).or_default().push(o);
    }
    let failed: Vec<&Outcome> = outcomes.iter().filter(|o| !o.failures.is_empty()).collect();
    if args.json {
        let by_category: serde_json::Map<String, serde_json::Value> =
            categories.iter().map(|(k, v)| (k.clone(), metrics(v))).collect();
        let failures: Vec<serde_json::Value> = failed
            .iter()
            .map(|o| serde_json::json!({"conversation": o.id, "failures": o.failures}))
            .collect();
        println!("{}", serde_json::json!({"categories": by_category, "failures": failures}));
    } else {
        print_table(&categories);
        for o in &failed {
            for why in &o.failures {
                println!("FAIL {}: {why}", o.id);
            }
        }
        println!("eval: {} passed, {} failed", outcomes.len() - failed.len(), failed.len());
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
        "category", "n", "warned early", "alert in time", "crisis", "benign quiet", "median 1st warn"
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
