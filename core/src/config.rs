//! How an app configures the engine for one teen: age, region, languages, sensitivity.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::limits;

/// How readily the engine raises its level. `Standard` is what the fixtures are measured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Sensitivity {
    /// Fewer, later alerts: for older teens who asked for less interruption.
    Relaxed,
    #[default]
    Standard,
    /// Earlier alerts: for younger users.
    Vigilant,
}

/// Settings for one [`crate::Engine`]. Cheap to build; validated by [`crate::Engine::new`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EngineConfig {
    /// The teen's age in years, if the app knows it. Younger ages raise early signals.
    pub user_age: Option<u8>,
    /// ISO 3166-1 alpha-2 region code ("US", "CA", "GB"...) choosing the help resources.
    pub region: String,
    /// Preferred languages for intervention text, most preferred first (BCP 47: "fr-CA", "es", "en").
    /// The first one Haven has copy for wins; English is the fallback.
    pub languages: Vec<String>,
    pub sensitivity: Sensitivity,
    /// How many conversations the engine holds before it drops the least recently active one.
    pub max_conversations: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        EngineConfig {
            user_age: None,
            region: "US".to_owned(),
            languages: vec!["en".to_owned()],
            sensitivity: Sensitivity::Standard,
            max_conversations: limits::DEFAULT_MAX_CONVERSATIONS,
        }
    }
}

impl EngineConfig {
    /// Checks the values an app could get wrong and normalises the region to upper case.
    pub(crate) fn validated(mut self) -> Result<EngineConfig> {
        let region = self.region.trim().to_ascii_uppercase();
        if region.len() != 2 || !region.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(Error::InvalidConfig(format!(
                "region must be a two-letter ISO 3166-1 code, got {:?}",
                self.region
            )));
        }
        self.region = region;
        if let Some(age) = self.user_age {
            if !(limits::MIN_USER_AGE..=limits::MAX_USER_AGE).contains(&age) {
                return Err(Error::InvalidConfig(format!(
                    "user_age must be between {} and {}, got {age}",
                    limits::MIN_USER_AGE,
                    limits::MAX_USER_AGE
                )));
            }
        }
        if self.max_conversations == 0 || self.max_conversations > limits::MAX_CONVERSATIONS {
            return Err(Error::InvalidConfig(format!(
                "max_conversations must be between 1 and {}, got {}",
                limits::MAX_CONVERSATIONS,
                self.max_conversations
            )));
        }
        Ok(self)
    }
}
