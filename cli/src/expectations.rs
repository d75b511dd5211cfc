//! Judging a fixture's run against its expectations: shared by `haven eval` and the tests.

use haven_core::{Assessment, Level};

use crate::fixture::{Fixture, Label};

/// The outcome of one fixture: which expectations failed, and the figures the metrics need.
pub struct Outcome {
    pub id: String,
    pub label: Label,
    pub language: String,
    pub failures: Vec<String>,
    /// Index of the first message at medium or above.
    pub first_warning: Option<usize>,
    pub warned_early: Option<bool>,
    pub alerted: Option<bool>,
    pub crisis: Option<bool>,
    pub false_alarm: Option<bool>,
}

fn first_at(assessments: &[Assessment], level: Level) -> Option<usize> {
    assessments.iter().position(|a| a.level >= level)
}

pub fn judge(f: &Fixture, assessments: &[Assessment]) -> Outcome {
    let e = &f.expect;
    let mut failures = Vec::new();
    let mut check = |what: &str, level: Level, by: usize| -> bool {
        let reached = first_at(assessments, level);
        let ok = reached.is_some_and(|i| i <= by);
        if !ok {
            let got = reached.map_or("never".to_owned(), |i| format!("at {i}"));
            let peak = assessments
                .iter()
                .map(|a| a.level)
                .max()
                .unwrap_or_default();
            failures.push(format!(
                "{what}: {} by {by}, reached {got} (peak {})",
                level.as_str(),
                peak.as_str()
            ));
        }
        ok
    };
    let alerted = e
        .min_level
        .zip(e.alert_by)
        .map(|(l, by)| check("alert", l.0, by));
    let warned_early = e
        .early_level
        .zip(e.early_by)
        .map(|(l, by)| check("early", l.0, by));
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
