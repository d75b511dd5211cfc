//! Intervention copy per language, from the embedded `data/interventions/*.toml`.

use std::collections::HashMap;

use serde::Deserialize;

use super::card::{Action, InterventionKind, Topic};
use super::language::FALLBACK_LANGUAGE;
use crate::error::{Error, Result};

const COPY_SOURCES: &[(&str, &str)] = &[
    ("en.toml", include_str!("../../data/interventions/en.toml")),
    ("fr.toml", include_str!("../../data/interventions/fr.toml")),
    ("es.toml", include_str!("../../data/interventions/es.toml")),
];

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
            let below = order
                .iter()
                .rev()
                .filter(|k| **k < kind)
                .find_map(|k| kinds.get(k.as_str()));
            below.or_else(|| {
                order
                    .iter()
                    .filter(|k| **k > kind)
                    .find_map(|k| kinds.get(k.as_str()))
            })
        })
    }

    /// The button label for `action`.
    pub fn action_label(&self, action: Action) -> &str {
        self.actions
            .get(action.as_str())
            .map_or(action.as_str(), String::as_str)
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
            let parsed: CopyFile = toml::from_str(text).map_err(|e| Error::InvalidData {
                file: (*file).to_owned(),
                reason: e.to_string(),
            })?;
            languages.push(LocalizedCopy {
                language: parsed.language,
                topics: parsed.topics,
                actions: parsed.actions,
            });
        }
        Ok(Copybook { languages })
    }

    /// The copy for the first preferred language Haven has ("fr-CA" matches "fr"), else English.
    pub fn choose(&self, preferred: &[String]) -> &LocalizedCopy {
        preferred
            .iter()
            .filter_map(|tag| {
                let primary = tag
                    .split(['-', '_'])
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                self.languages.iter().find(|c| c.language == primary)
            })
            .next()
            .or_else(|| {
                self.languages
                    .iter()
                    .find(|c| c.language == FALLBACK_LANGUAGE)
            })
            .expect("the English copy is embedded")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOPICS_AND_KINDS: &[(Topic, &[InterventionKind])] = &[
        (
            Topic::UnknownContact,
            &[InterventionKind::Tip, InterventionKind::Caution],
        ),
        (
            Topic::Migration,
            &[InterventionKind::Tip, InterventionKind::Caution],
        ),
        (
            Topic::Grooming,
            &[InterventionKind::Caution, InterventionKind::Warning],
        ),
        (
            Topic::ImageRequest,
            &[InterventionKind::Caution, InterventionKind::Warning],
        ),
        (
            Topic::MeetRequest,
            &[InterventionKind::Caution, InterventionKind::Warning],
        ),
        (
            Topic::Sextortion,
            &[InterventionKind::Warning, InterventionKind::Crisis],
        ),
        (Topic::SelfHarm, &[InterventionKind::Crisis]),
        (
            Topic::OutgoingImage,
            &[
                InterventionKind::Caution,
                InterventionKind::Warning,
                InterventionKind::Crisis,
            ],
        ),
        (
            Topic::IncomingImage,
            &[
                InterventionKind::Tip,
                InterventionKind::Caution,
                InterventionKind::Warning,
            ],
        ),
    ];
    const ACTIONS: &[Action] = &[
        Action::Block,
        Action::Report,
        Action::SaveEvidence,
        Action::TalkToSomeone,
        Action::DontPay,
        Action::DontSend,
        Action::StopReplying,
        Action::RemoveImages,
        Action::GetHelpNow,
    ];

    #[test]
    fn every_language_has_every_card_and_label() {
        let book = Copybook::embedded().expect("embedded copy parses");
        assert!(book.languages.len() >= 3);
        for copy in &book.languages {
            for (topic, kinds) in TOPICS_AND_KINDS {
                for kind in *kinds {
                    let written = copy
                        .topics
                        .get(topic.as_str())
                        .and_then(|k| k.get(kind.as_str()));
                    let text = written
                        .unwrap_or_else(|| panic!("{}: no {:?} {:?}", copy.language, topic, kind));
                    assert!(
                        !text.headline.trim().is_empty() && text.headline.chars().count() <= 60
                    );
                    assert!(!text.body.trim().is_empty() && text.body.chars().count() <= 280);
                }
            }
            for action in ACTIONS {
                assert!(
                    copy.actions.contains_key(action.as_str()),
                    "{}: no label for {action:?}",
                    copy.language
                );
            }
        }
    }

    #[test]
    fn regional_tags_choose_their_language_and_unknown_ones_fall_back_to_english() {
        let book = Copybook::embedded().unwrap();
        assert_eq!(book.choose(&["es-MX".into()]).language, "es");
        assert_eq!(book.choose(&["de".into(), "fr_CA".into()]).language, "fr");
        assert_eq!(book.choose(&["de".into()]).language, "en");
        assert_eq!(book.choose(&[]).language, "en");
    }
}
