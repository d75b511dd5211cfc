//! Text analysis: normalisation of obfuscated text, then matching against per-language rule packs.

mod context;
pub mod normalize;
mod pack;
pub mod rules;
pub(crate) mod scan;
pub mod squeeze;
