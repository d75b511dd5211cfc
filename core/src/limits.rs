//! The engine's documented limits, in one place.

/// Visible characters of a message that are assessed, counted after invisible characters (zero-width and format
/// characters, soft hyphens, combining marks, tag characters, controls) are dropped and runs of spaces count as one.
/// A message with more visible characters is assessed on its first and last halves of this window, so a 1 MB paste
/// costs the same as a 64 Ki-character message, and padding made of invisible characters cannot push words out.
pub const MAX_ASSESSED_CHARS: usize = 65_536;
/// Raw characters walked from each end of a message to find the assessed window: padding longer than this many
/// invisible characters does push words out, which bounds the work on a hostile message to a few milliseconds.
pub const MAX_WINDOW_WALK_CHARS: usize = 1 << 20;
/// Characters one input character may become in the normalised text (NFKC expands U+FDFA to 18); the rest of a
/// longer expansion is dropped, so normalisation costs a bounded amount per input character.
pub const MAX_FOLD_CHARS: usize = 4;
/// Longest conversation id accepted, in bytes.
pub const MAX_CONVERSATION_ID_BYTES: usize = 256;
/// Conversations held by default before the least recently active one is dropped.
pub const DEFAULT_MAX_CONVERSATIONS: usize = 1_000;
/// Upper bound on `EngineConfig::max_conversations`, and on the conversations an imported state may hold.
pub const MAX_CONVERSATIONS: usize = 100_000;
/// Latest accepted timestamp: the year 2200, in milliseconds since the Unix epoch.
pub const MAX_TIMESTAMP_MS: i64 = 7_258_118_400_000;
/// Largest step a conversation's clock takes on one message's word: a message stamped further from the clock
/// (ahead or behind) counts at most this far ahead of it until the next message confirms the new time (see
/// docs/detection.md, "Time"). One wrong device clock thus moves a conversation by at most a day.
pub const MAX_CLOCK_STEP_MS: i64 = 24 * 3_600_000;
/// Ages accepted in `EngineConfig::user_age`.
pub const MIN_USER_AGE: u8 = 8;
pub const MAX_USER_AGE: u8 = 25;
/// Largest state blob `Engine::import_state` reads, in bytes.
pub const MAX_STATE_BYTES: usize = 64 * 1024 * 1024;
/// Longest rule id an imported state may cite, in bytes (ids are short ASCII names like `en.threat.post`).
pub const MAX_RULE_ID_BYTES: usize = 96;
