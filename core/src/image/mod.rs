//! On-device nudity check for images, run with tract: decode (JPEG, PNG, WebP, or raw RGBA/BGRA
//! buffers), pad and resize as the reference pipeline does, infer, decode detections and apply the
//! manifest's per-label thresholds to reach a [`ImageVerdict`]. Nothing leaves the device.
//!
//! Load an [`ImageModel`] once (from an `.onnx` file and its [`ModelManifest`]) and call
//! [`ImageModel::classify`] from any thread.

mod decode;
mod error;
mod input;
pub mod limits;
mod manifest;
mod model;
mod ops;
mod postprocess;
mod preprocess;
mod verdict;
mod view;

pub use error::ImageError;
pub use input::{ImageInput, PixelFormat};
pub use manifest::{
    ChannelOrder, InputSpec, Layout, ModelManifest, OutputSpec, Policy, ResizeMode,
};
pub use model::{ImageModel, ImageTimings, ModelOptions, ModelSource, NudityResult};
pub use postprocess::{BoundingBox, Detection};
pub use verdict::ImageVerdict;
