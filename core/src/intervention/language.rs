//! Which language Haven falls back to, shared by the copy and the help resources.

/// The language used when none of the preferred ones has copy, and for resource descriptions missing a translation.
pub const FALLBACK_LANGUAGE: &str = "en";
