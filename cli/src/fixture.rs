//! The conversation fixture format (docs/fixtures.md): loading files and folders, and turning a fixture into
//! engine calls.

use std::path::{Path, PathBuf};

use haven_core::{
    Assessment, Attachment, ContactContext, Direction, Engine, EngineConfig, Level, Message,
};
use serde::Deserialize;

/// One conversation with its expectations.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub id: String,
    pub locale: String,
    pub user: User,
    #[serde(default)]
    pub contact: Option<Contact>,
    pub messages: Vec<FixtureMessage>,
    pub expect: Expect,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct User {
    pub age: Option<u8>,
    pub region: String,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub new_contact: bool,
    pub mutual_connections: Option<u32>,
    pub account_age_days: Option<u32>,
    pub known_for_days: Option<u32>,
}

#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FixtureMessage {
    pub from: From,
    pub text: String,
    /// Seconds since the conversation's start.
    pub t: f64,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum From {
    Contact,
    User,
}

/// What a fixture expects of the engine.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub label: Label,
    pub min_level: Option<WordLevel>,
    pub alert_by: Option<usize>,
    pub early_level: Option<WordLevel>,
    pub early_by: Option<usize>,
    pub crisis_by: Option<usize>,
    pub max_level: Option<WordLevel>,
}

#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Label {
    Sextortion,
    Grooming,
    Benign,
}

/// A level written as its lowercase word.
#[derive(Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(try_from = "String")]
pub struct WordLevel(pub Level);

impl TryFrom<String> for WordLevel {
    type Error = String;
    fn try_from(word: String) -> Result<Self, String> {
        Level::parse(&word)
            .map(WordLevel)
            .ok_or_else(|| format!("unknown level {word:?}"))
    }
}

/// Reads fixtures from files and folders (recursively, `*.json`), sorted by path.
pub fn load(paths: &[PathBuf]) -> Result<Vec<Fixture>, String> {
    let mut files = Vec::new();
    for path in paths {
        collect(path, &mut files)?;
    }
    files.sort();
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", f.display()))
        })
        .collect()
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
        for entry in entries {
            let p = entry.map_err(|e| e.to_string())?.path();
            if p.is_dir() || p.extension().is_some_and(|x| x == "json") {
                collect(&p, out)?;
            }
        }
        Ok(())
    } else if path.is_file() {
        out.push(path.to_owned());
        Ok(())
    } else {
        Err(format!("{}: no such file or folder", path.display()))
    }
}

impl Fixture {
    /// An engine configured from the fixture's locale and user.
    pub fn engine(&self) -> Result<Engine, haven_core::Error> {
        let language = self
            .locale
            .split(['-', '_'])
            .next()
            .unwrap_or("en")
            .to_owned();
        Engine::new(EngineConfig {
            user_age: self.user.age,
            region: self.user.region.clone(),
            languages: vec![self.locale.clone(), language],
            ..EngineConfig::default()
        })
    }

    /// The fixture's messages as engine messages.
    pub fn messages(&self) -> impl Iterator<Item = Message> + '_ {
        self.messages.iter().map(|m| Message {
            direction: match m.from {
                From::Contact => Direction::FromContact,
                From::User => Direction::FromUser,
            },
            text: m.text.clone(),
            timestamp_ms: (m.t * 1000.0) as i64,
            attachments: m.attachments.clone(),
        })
    }

    /// Runs the whole conversation through a fresh engine and returns one assessment per message.
    pub fn run(&self) -> Result<Vec<Assessment>, haven_core::Error> {
        let engine = self.start()?;
        self.messages()
            .map(|m| engine.observe(&self.id, m))
            .collect()
    }

    /// A fresh engine configured for the fixture, with the contact context set on the fixture's conversation.
    pub fn start(&self) -> Result<Engine, haven_core::Error> {
        let engine = self.engine()?;
        if let Some(c) = &self.contact {
            engine.set_contact(
                &self.id,
                ContactContext {
                    new_contact: c.new_contact,
                    mutual_connections: c.mutual_connections,
                    account_age_days: c.account_age_days,
                    known_for_days: c.known_for_days,
                },
            )?;
        }
        Ok(engine)
    }
}
