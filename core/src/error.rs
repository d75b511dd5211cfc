//! The core's error type.

use thiserror::Error;

/// Everything the core can refuse. Each variant leaves the engine as it was before the call.
#[derive(Debug, Error)]
pub enum Error {
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    #[error("conversation id must be 1 to {max} bytes, got {len}", max = crate::limits::MAX_CONVERSATION_ID_BYTES)]
    InvalidConversationId { len: usize },
    #[error("unknown conversation {0:?}")]
    UnknownConversation(String),
    #[error("timestamp {0} ms is outside 0..=year 2200")]
    InvalidTimestamp(i64),
    #[error("state could not be imported: {0}")]
    InvalidState(String),
    #[error("data file {file} is invalid: {reason}")]
    InvalidData { file: String, reason: String },
    #[cfg(feature = "image-model")]
    #[error("no image model loaded: call load_image_model first")]
    NoImageModel,
    #[error(transparent)]
    Image(#[from] crate::image::ImageError),
}

/// Result with the core's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
