//! Errors of the image check: every refusal has its own variant and a message a developer can act on.

use thiserror::Error;

/// Why an image could not be checked or a model could not be loaded. Nothing in the image module
/// panics on bad input; it returns one of these.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImageError {
    /// The encoded image is larger than [`super::limits::MAX_ENCODED_BYTES`].
    #[error("encoded image is {bytes} bytes, more than the limit of {max} bytes")]
    TooLarge { bytes: usize, max: usize },
    /// The image (as its header declares it, checked before decoding) has more pixels than
    /// [`super::limits::MAX_PIXELS`] or a side longer than [`super::limits::MAX_SIDE`].
    #[error("image of {width}x{height} pixels exceeds the limit of {max_pixels} pixels ({max_side} per side)")]
    TooManyPixels {
        width: u64,
        height: u64,
        max_pixels: u64,
        max_side: u32,
    },
    /// The image has no pixels: empty input, or a pixel buffer with a width or a height of zero. (A file
    /// whose header declares a side of zero is corrupt: [`ImageError::Decode`].)
    #[error("image is empty ({width}x{height} pixels)")]
    Empty { width: u32, height: u32 },
    /// The bytes are not a decodable image of a supported format: truncated, corrupt, or inconsistent.
    #[error("image could not be decoded: {0}")]
    Decode(String),
    /// The bytes are an image format or variant Haven does not decode (JPEG, PNG and WebP are supported).
    #[error("unsupported image: {0}")]
    Unsupported(String),
    /// A raw pixel buffer does not match its declared width, height and row stride.
    #[error("invalid pixel buffer: {0}")]
    InvalidPixels(String),
    /// The model file is missing, unreadable, not a regular file, not ONNX, or does not run.
    #[error("image model error: {0}")]
    Model(String),
    /// The model file (or the bytes handed over) is larger than [`super::limits::MAX_MODEL_BYTES`]. `bytes` is
    /// the size found, or `max + 1` for a file that grew past the limit while it was read.
    #[error("image model is {bytes} bytes, more than the limit of {max} bytes")]
    ModelTooLarge { bytes: u64, max: u64 },
    /// The model's SHA-256 is not the one its manifest names: a corrupt or substituted file, or a manifest
    /// written for another model. Both digests are lowercase hex.
    #[error("image model digest mismatch: the manifest expects sha256 {expected}, the model has {actual}")]
    ModelDigestMismatch { expected: String, actual: String },
    /// The manifest is not valid JSON, is inconsistent, or does not match the model it describes.
    #[error("image model manifest error: {0}")]
    Manifest(String),
}
