//! The one error type of the bindings, and the guard that keeps panics from crossing the boundary.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Everything a Haven call can refuse. Kotlin sees `HavenException`, Swift `HavenError`, Python `HavenError`.
///
/// Each variant carries a message saying what was wrong. A refused call leaves the engine as it was.
#[derive(Debug, thiserror::Error, uniffi::Error)]
#[uniffi(flat_error)]
pub enum HavenError {
    /// The configuration passed to the engine's constructor is invalid (region, age or conversation limit).
    #[error("invalid configuration: {0}")]
    InvalidConfig(String),
    /// A conversation id was empty or longer than `Limits.max_conversation_id_bytes`.
    #[error("{0}")]
    InvalidConversationId(String),
    /// The conversation is not held by the engine (never seen, forgotten, or dropped as least recently active).
    #[error("{0}")]
    UnknownConversation(String),
    /// A message timestamp was negative or past `Limits.max_timestamp_ms`.
    #[error("{0}")]
    InvalidTimestamp(String),
    /// State bytes passed to `import_state` were corrupt, foreign or from a newer version; nothing was changed.
    #[error("{0}")]
    InvalidState(String),
    /// Data embedded in the library (rule packs, copy, resources) failed to load: a build defect.
    #[error("{0}")]
    InvalidData(String),
    /// An image check was asked for before `load_image_model` succeeded.
    #[error("{0}")]
    NoImageModel(String),
    /// The image model could not be loaded: the file is missing, unreadable, not a regular file, larger than
    /// `Limits.max_model_bytes`, not ONNX, or does not run, or its manifest is invalid or does not match it.
    /// An image model loaded before stays in use.
    #[error("{0}")]
    ImageModel(String),
    /// The model file's SHA-256 is not the one its manifest's `sha256` names: a corrupt or substituted file
    /// (fetch it again) or a manifest written for another model. The message gives both digests. An image
    /// model loaded before stays in use.
    #[error("{0}")]
    ImageModelDigestMismatch(String),
    /// The image is larger than `Limits.max_image_bytes`, or declares more than `Limits.max_image_pixels` pixels
    /// or a side over `Limits.max_image_side`. Refused before decoding; downscale it and check again.
    #[error("{0}")]
    ImageTooLarge(String),
    /// The image could not be read: empty, truncated, corrupt, of an unsupported format, or a pixel buffer that
    /// does not match its width, height and row stride.
    #[error("{0}")]
    InvalidImage(String),
    /// A bug inside Haven: a panic was caught at the boundary. The engine stays usable; please report it.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<haven_core::Error> for HavenError {
    fn from(e: haven_core::Error) -> Self {
        use haven_core::Error as E;
        let message = e.to_string();
        match e {
            E::InvalidConfig(reason) => HavenError::InvalidConfig(reason),
            E::InvalidConversationId { .. } => HavenError::InvalidConversationId(message),
            E::UnknownConversation(_) => HavenError::UnknownConversation(message),
            E::InvalidTimestamp(_) => HavenError::InvalidTimestamp(message),
            E::InvalidState(_) => HavenError::InvalidState(message),
            E::InvalidData { .. } => HavenError::InvalidData(message),
            E::NoImageModel => HavenError::NoImageModel(message),
            E::Image(image) => image.into(),
        }
    }
}

impl From<haven_core::image::ImageError> for HavenError {
    fn from(e: haven_core::image::ImageError) -> Self {
        use haven_core::image::ImageError as E;
        let message = e.to_string();
        match e {
            E::Model(_) | E::Manifest(_) | E::ModelTooLarge { .. } => {
                HavenError::ImageModel(message)
            }
            E::ModelDigestMismatch { .. } => HavenError::ImageModelDigestMismatch(message),
            E::TooLarge { .. } | E::TooManyPixels { .. } => HavenError::ImageTooLarge(message),
            E::Empty { .. } | E::Decode(_) | E::Unsupported(_) | E::InvalidPixels(_) => {
                HavenError::InvalidImage(message)
            }
        }
    }
}

/// Runs one exported call, turning a panic into [`HavenError::Internal`] with the panic's message.
///
/// `AssertUnwindSafe` is sound here: the engine's only shared state is a mutex-guarded table whose updates are
/// single inserts, and the core recovers a poisoned lock, so a caught panic cannot expose a broken invariant.
pub(crate) fn guard<T>(call: impl FnOnce() -> Result<T, HavenError>) -> Result<T, HavenError> {
    catch_unwind(AssertUnwindSafe(call)).unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic with a non-text payload".to_owned());
        Err(HavenError::Internal(what))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal_with_its_message() {
        let got: Result<(), HavenError> = guard(|| panic!("boom {}", 42));
        match got {
            Err(HavenError::Internal(m)) => assert_eq!(m, "boom 42"),
            other => panic!("expected Internal, got {other:?}"),
        }
    }

    #[test]
    fn every_core_error_keeps_its_message() {
        let e: HavenError = haven_core::Error::InvalidTimestamp(-1).into();
        assert!(matches!(e, HavenError::InvalidTimestamp(_)));
        assert!(e.to_string().contains("-1"), "{e}");
        let e: HavenError = haven_core::Error::InvalidConfig("region".into()).into();
        assert_eq!(e.to_string(), "invalid configuration: region");
        let e: HavenError = haven_core::image::ImageError::ModelDigestMismatch {
            expected: "ab".repeat(32),
            actual: "cd".repeat(32),
        }
        .into();
        assert!(matches!(e, HavenError::ImageModelDigestMismatch(_)));
        assert!(e.to_string().contains(&"cd".repeat(32)), "{e}");
    }
}
