//! The library version and its documented limits, for apps that validate input before calling.

use haven_core::image::limits as image;
use haven_core::limits as core;

/// The engine's documented limits. Input past them is refused with a `HavenError` (or, for message text,
/// assessed on its first and last halves of the window).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Limits {
    /// Visible characters of a message that are assessed (invisible ones do not count); longer texts are cut to
    /// their first and last halves of this.
    pub max_assessed_chars: u32,
    /// Longest conversation id accepted, in bytes of UTF-8.
    pub max_conversation_id_bytes: u32,
    /// Conversations held by default before the least recently active one is dropped.
    pub default_max_conversations: u32,
    /// Upper bound on `EngineConfig.max_conversations`.
    pub max_conversations: u32,
    /// Latest accepted message timestamp (the year 2200), in milliseconds since the Unix epoch.
    pub max_timestamp_ms: i64,
    /// Youngest `EngineConfig.user_age` accepted.
    pub min_user_age: u8,
    /// Oldest `EngineConfig.user_age` accepted.
    pub max_user_age: u8,
    /// Largest state blob `import_state` reads, in bytes.
    pub max_state_bytes: u64,
    /// Largest encoded image accepted, in bytes.
    pub max_image_bytes: u64,
    /// Largest image accepted, in pixels (checked on the header before decoding).
    pub max_image_pixels: u64,
    /// Longest image side accepted, in pixels (also bounds raw pixel buffers).
    pub max_image_side: u32,
    /// Largest image model file `load_image_model` reads (or model bytes it takes), in bytes.
    pub max_model_bytes: u64,
}

/// The limits compiled into this library. Cheap; any thread.
#[uniffi::export]
pub fn limits() -> Limits {
    Limits {
        max_assessed_chars: core::MAX_ASSESSED_CHARS as u32,
        max_conversation_id_bytes: core::MAX_CONVERSATION_ID_BYTES as u32,
        default_max_conversations: core::DEFAULT_MAX_CONVERSATIONS as u32,
        max_conversations: core::MAX_CONVERSATIONS as u32,
        max_timestamp_ms: core::MAX_TIMESTAMP_MS,
        min_user_age: core::MIN_USER_AGE,
        max_user_age: core::MAX_USER_AGE,
        max_state_bytes: core::MAX_STATE_BYTES as u64,
        max_image_bytes: image::MAX_ENCODED_BYTES as u64,
        max_image_pixels: image::MAX_PIXELS,
        max_image_side: image::MAX_SIDE,
        max_model_bytes: image::MAX_MODEL_BYTES,
    }
}

/// The version of the Haven library, such as "0.1.0". Cheap; any thread.
#[uniffi::export]
pub fn haven_version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
