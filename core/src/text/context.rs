//! The context mechanism of the rule packs: named marker classes that describe the message a rule fired in
//! (laughter, reported speech, a trivial object, a farewell before travel or sleep...), and per-rule conditions
//! on them and on the conversation: `vetoed_by`, `soften` and `requires`.
//!
//! A pack defines `[markers]`, each class a list of patterns over the normalised text, matched through the same
//! prefilter as the rules and only when a rule that fired uses them. A rule then says:
//! - `vetoed_by = ["reported"]`: no hit when the message has a marker of one of these classes;
//! - `soften = { by = ["laughter"], signal = "pleading", weight = 0.1 }`: with such a marker the hit becomes this
//!   gentler signal and weight (the signal defaults to the rule's own); it is reported as `<rule id>~softened`;
//! - `requires = ["image_request", "image_shared"]`: the hit counts only when the conversation has a referent for
//!   it: live evidence of one of these signal kinds before the message, or another signal of such a kind in the
//!   same message. The engine checks this when it records the message (see `RuleBook::keep_referenced`).
//!
//! This file is shared with the build script (packs are prepared at compile time), so it uses no crate types.
//! Limits are in docs/detection.md.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Marker classes are one bit each in a `u64` mask, across all packs.
pub const MAX_MARKER_CLASSES: usize = 64;

/// A rule's `soften` table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SoftenFile {
    by: Vec<String>,
    #[serde(default)]
    signal: Option<String>,
    weight: f32,
}

/// A rule's context conditions as written in its pack (the rule's `requires`, `vetoed_by` and `soften`).
pub struct ContextFile {
    pub requires: Vec<String>,
    pub vetoed_by: Vec<String>,
    pub soften: Option<SoftenFile>,
}

/// A rule's context conditions, with marker class names resolved to bits of the message's marker mask.
#[derive(Serialize, Deserialize, Debug, Default, Clone, PartialEq)]
pub struct PreparedContext {
    /// Signal kind names, checked against the kinds when the book is built.
    pub requires: Vec<String>,
    pub vetoed_by: u64,
    pub softened_by: u64,
    /// The signal and weight of a softened hit; `None` keeps the rule's signal.
    pub soften_signal: Option<String>,
    pub soften_weight: f32,
}

/// The marker classes of all packs, named `<language>.<class>`, in the order they were defined.
#[derive(Default)]
pub struct MarkerClasses {
    names: Vec<String>,
}

impl MarkerClasses {
    /// Adds a pack's classes and returns each class's bit index with its patterns.
    pub fn add<'p>(
        &mut self,
        language: &str,
        classes: &'p BTreeMap<String, Vec<String>>,
    ) -> Result<Vec<(u8, &'p String)>, String> {
        let mut patterns = Vec::new();
        for (name, list) in classes {
            if list.is_empty() {
                return Err(format!("marker class {name}: no patterns"));
            }
            if self.names.len() == MAX_MARKER_CLASSES {
                return Err(format!(
                    "more than {MAX_MARKER_CLASSES} marker classes in all packs"
                ));
            }
            let bit = self.names.len() as u8;
            self.names.push(format!("{language}.{name}"));
            patterns.extend(list.iter().map(|p| (bit, p)));
        }
        Ok(patterns)
    }

    /// The mask of the named classes of `language`'s pack.
    fn mask(&self, language: &str, names: &[String]) -> Result<u64, String> {
        names.iter().try_fold(0u64, |mask, name| {
            let qualified = format!("{language}.{name}");
            let bit = self
                .names
                .iter()
                .position(|n| *n == qualified)
                .ok_or_else(|| format!("unknown marker class {name:?}"))?;
            Ok(mask | 1 << bit)
        })
    }

    /// Resolves a rule's conditions against the classes of its pack.
    pub fn prepare(&self, language: &str, file: ContextFile) -> Result<PreparedContext, String> {
        let mut prepared = PreparedContext {
            requires: file.requires,
            vetoed_by: self.mask(language, &file.vetoed_by)?,
            ..PreparedContext::default()
        };
        if let Some(soften) = file.soften {
            if soften.by.is_empty() {
                return Err("soften.by names no marker class".to_owned());
            }
            if !(0.0..=1.0).contains(&soften.weight) {
                return Err("soften.weight must be within 0..1".to_owned());
            }
            prepared.softened_by = self.mask(language, &soften.by)?;
            prepared.soften_signal = soften.signal;
            prepared.soften_weight = soften.weight;
        }
        Ok(prepared)
    }
}
