//! Intervention copy per language, from the embedded `data/interventions/*.toml`.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::intervention::{Action, InterventionKind, Topic};

const COPY_SOURCES: &[(&str, &str)] = &[
    ("en.toml", include_str!("../data/interventions/en.toml")),
    ("fr.toml", include_str!("../data/interventions/fr.toml")),
    ("es.toml", include_str!("../data/interventions/es.toml")),
];

/// The language used when none of the preferred ones has copy.
pub const FALLBACK_LANGUAGE: &str = "en";

#[derive(Deserialize)]
struct CopyFile {
    language: String,
    topics: HashMap<String, HashMap<String, Text>>,
    actions: HashMap<String, String>,
}

/// A headline and body.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub headline: String,
    pub body: String,
}

/// The copy of one language.
#[derive(Debug)]
pub struct LocalizedCopy {
    pub language: String,
    topics: HashMap<String, HashMap<String, Text>>,
    actions: HashMap<String, String>,
}

impl LocalizedCopy {
    /// The card text for `topic` shown as `kind`, or the nearest kind the copy has for that topic.
    pub fn text(&self, topic: Topic, kind: InterventionKind) -> Option<&Text> {
        let kinds = self.topics.get(topic.as_str())?;
        kinds.get(kind.as_str()).or_else(|| {
            // Fall back to the strongest kind written below the requested one, then the weakest above it.
            let order = [
                InterventionKind::Tip,
                InterventionKind::Caution,
                InterventionKind::Warning,
                InterventionKind::Crisis,
            ];
            let below = order.iter().rev().filter(|k| **k < kind).find_map(|k| kinds.get(k.as_str()));
            below.or_else(|| order.iter().filter(|k| **k > kind).find_map(|k| kinds.get(k.as_str())))
        })
    }

    /// The button label for `action`.
    pub fn action_label(&self, action: Action) -> &str {
        self.actions.get(action.as_str()).map_or(action.as_str(), String::as_str)
    }
}

/// Every embedded language's copy, parsed once.
#[derive(Debug)]
pub struct Copybook {
    languages: Vec<LocalizedCopy>,
}

impl Copybook {
    /// Parses the embedded copy files.
    pub fn embedded() -> Result<Copybook> {
        let mut languages = Vec::new();
        for (file, text) in COPY_SOURCES {
            let parsed: CopyFile = toml::from_str(text)
                .map_err(|e| Error::InvalidData { file: (*file).to_owned(), reason: e.to_string() })?;
            languages.push(LocalizedCopy { language: parsed.language, topics: parsed.topics, actions: parsed.actions });
        }
        Ok(Copybook { languages })
    }

    /// The copy for the first preferred language Haven has ("fr-CA" matches "fr"), else English.
    pub fn choose(&self, preferred: &[String]) -> &LocalizedCopy {
        preferred
            .iter()
            .filter_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or("").to_ascii_lowercase();
                self.languages.iter().find(|c| c.language == primary)
            })
            .next()
            .or_else(|| self.languages.iter().find(|c| c.language == FALLBACK_LANGUAGE))
            .expect("the English copy is embedded")
    }

    /// Every embedded language's copy.
    pub fn all(&self) -> &[LocalizedCopy] {
        &self.languages
    }
}
