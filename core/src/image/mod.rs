//! On-device nudity check for images, run with tract: decode (JPEG, PNG, WebP, or raw RGBA/BGRA
//! buffers), pad and resize as the reference pipeline does, infer, decode detections and apply the
//! manifest's per-label thresholds to reach a [`ImageVerdict`]. Nothing leaves the device.
//!
//! Load an `ImageModel` once (from an `.onnx` file and its [`ModelManifest`]) and call
//! `ImageModel::classify` from any thread. The model and its tract operators are behind the `image-model`
//! feature (on by default); without it, decoding, preprocessing and manifests still build, which is what the
//! fuzz targets use.

mod decode;
mod error;
mod input;
pub mod limits;
mod manifest;
#[cfg(feature = "image-model")]
mod model;
#[cfg(feature = "image-model")]
mod ops;
mod postprocess;
mod prepare;
mod preprocess;
mod verdict;
mod view;

pub use error::ImageError;
pub use input::{ImageInput, PixelFormat};
pub use manifest::{
    ChannelOrder, InputSpec, Layout, ModelManifest, OutputSpec, Policy, ResizeMode,
};
#[cfg(feature = "image-model")]
pub use model::{ImageModel, ImageTimings, ModelOptions, ModelSource, NudityResult};
pub use postprocess::{BoundingBox, Detection};
pub use verdict::ImageVerdict;

/// Decodes (or checks) `input` and preprocesses it for `spec`, as `ImageModel::classify` does before inference.
/// Built only for cargo-fuzz (which sets `cfg(fuzzing)`), so that the image fuzz target needs no model.
#[cfg(fuzzing)]
pub fn fuzz_prepare(input: &ImageInput, spec: &InputSpec) -> Result<(), ImageError> {
    let mut out = vec![0.0; 3 * spec.width as usize * spec.height as usize];
    prepare::prepare(input, spec, decode::decode, &mut out).map(drop)
}
