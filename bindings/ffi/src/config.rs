//! Engine configuration records: the teen's age, region, languages and sensitivity.

/// How readily the engine raises its level. `Standard` is what the fixtures are measured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Sensitivity {
    /// Fewer, later alerts: for older teens who asked for less interruption.
    Relaxed,
    /// The default.
    Standard,
    /// Earlier alerts: for younger users.
    Vigilant,
}

/// Settings for one `HavenEngine`. Validated by the engine's constructor; every field has a default.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct EngineConfig {
    /// The teen's age in years (8 to 25), if the app knows it. Younger ages raise early signals.
    #[uniffi(default = None)]
    pub user_age: Option<u8>,
    /// ISO 3166-1 alpha-2 region code ("US", "CA", "GB"...) choosing the help resources.
    #[uniffi(default = "US")]
    pub region: String,
    /// Preferred languages for intervention text, most preferred first (BCP 47: "fr-CA", "es", "en").
    /// The first one Haven has copy for wins; English is the fallback. Empty means English.
    #[uniffi(default = [])]
    pub languages: Vec<String>,
    /// How readily the level rises; `None` means `Standard`.
    #[uniffi(default = None)]
    pub sensitivity: Option<Sensitivity>,
    /// Conversations held before the least recently active one is dropped (1 to `Limits.max_conversations`).
    #[uniffi(default = 1000)]
    pub max_conversations: u32,
}

impl From<Sensitivity> for haven_core::Sensitivity {
    fn from(s: Sensitivity) -> Self {
        match s {
            Sensitivity::Relaxed => haven_core::Sensitivity::Relaxed,
            Sensitivity::Standard => haven_core::Sensitivity::Standard,
            Sensitivity::Vigilant => haven_core::Sensitivity::Vigilant,
        }
    }
}

impl From<EngineConfig> for haven_core::EngineConfig {
    fn from(c: EngineConfig) -> Self {
        haven_core::EngineConfig {
            user_age: c.user_age,
            region: c.region,
            languages: c.languages,
            sensitivity: c.sensitivity.unwrap_or(Sensitivity::Standard).into(),
            max_conversations: c.max_conversations as usize,
        }
    }
}

impl From<haven_core::Sensitivity> for Sensitivity {
    fn from(s: haven_core::Sensitivity) -> Self {
        match s {
            haven_core::Sensitivity::Relaxed => Sensitivity::Relaxed,
            haven_core::Sensitivity::Standard => Sensitivity::Standard,
            haven_core::Sensitivity::Vigilant => Sensitivity::Vigilant,
        }
    }
}

impl From<haven_core::EngineConfig> for EngineConfig {
    fn from(c: haven_core::EngineConfig) -> Self {
        EngineConfig {
            user_age: c.user_age,
            region: c.region,
            languages: c.languages,
            sensitivity: Some(c.sensitivity.into()),
            max_conversations: c.max_conversations as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_generated_default_matches_the_core() {
        // The UniFFI default must be a literal; keep it in step with the core's constant.
        assert_eq!(1000, haven_core::limits::DEFAULT_MAX_CONVERSATIONS);
    }
}
