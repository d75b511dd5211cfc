//! The engine's documented limits, in one place.

/// Characters of a message that are assessed: longer texts are cut to their first and last halves of this
/// window, so a 1 MB paste costs the same as a long message.
pub const MAX_ASSESSED_CHARS: usize = 4096;
/// Longest conversation id accepted, in bytes.
pub const MAX_CONVERSATION_ID_BYTES: usize = 256;
/// Conversations held by default before the least recently active one is dropped.
pub const DEFAULT_MAX_CONVERSATIONS: usize = 1_000;
/// Upper bound on `EngineConfig::max_conversations`.
pub const MAX_CONVERSATIONS: usize = 100_000;
/// Latest accepted timestamp: the year 2200, in milliseconds since the Unix epoch.
pub const MAX_TIMESTAMP_MS: i64 = 7_258_118_400_000;
/// Ages accepted in `EngineConfig::user_age`.
pub const MIN_USER_AGE: u8 = 8;
pub const MAX_USER_AGE: u8 = 25;
/// Largest state blob `Engine::import_state` reads, in bytes.
pub const MAX_STATE_BYTES: usize = 64 * 1024 * 1024;
