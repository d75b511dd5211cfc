//! Text analysis: normalisation of obfuscated text, then matching against per-language rule packs.

pub mod normalize;
pub mod rules;
