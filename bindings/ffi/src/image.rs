//! Image records: inputs (encoded bytes or raw pixel buffers), model sources and the image assessment.

use crate::assessment::{Assessment, Level};
use crate::intervention::Intervention;

/// Byte order of one pixel in a raw buffer. Android `Bitmap` (`ARGB_8888`) is `Rgba8`; iOS `CGImage` with
/// premultiplied-first alpha and 32-bit little-endian byte order is `Bgra8`. Alpha is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum PixelFormat {
    /// Four bytes per pixel: red, green, blue, alpha.
    Rgba8,
    /// Four bytes per pixel: blue, green, red, alpha.
    Bgra8,
}

/// One image to check.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ImageInput {
    /// An encoded file (JPEG, PNG or WebP) as read from disk or the network. A JPEG's EXIF orientation is
    /// applied.
    Encoded {
        /// The file's bytes.
        bytes: Vec<u8>,
    },
    /// Decoded pixels, top row first, as the platform's bitmap holds them.
    Pixels {
        /// At least `row_stride * (height - 1) + width * 4` bytes.
        data: Vec<u8>,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
        /// Bytes from the start of one row to the start of the next (at least `width * 4`; Android
        /// `Bitmap.rowBytes`, iOS `CGImage.bytesPerRow`).
        row_stride: u32,
        /// Byte order of each pixel.
        format: PixelFormat,
    },
}

/// Where the image model comes from.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ModelSource {
    /// A file on the device, such as one copied out of the app's assets.
    Path {
        /// Absolute path of the `.onnx` file.
        path: String,
    },
    /// The model's bytes, such as an asset read into memory.
    Bytes {
        /// The `.onnx` file's contents.
        bytes: Vec<u8>,
    },
}

/// How risky an image is, by the model manifest's per-label thresholds. Declared in increasing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum ImageVerdict {
    /// Nothing reached a suggestive or explicit threshold.
    Safe,
    /// A detection reached a suggestive threshold (covered intimate areas, or an exposed one at moderate
    /// confidence).
    Suggestive,
    /// A detection reached an explicit threshold.
    Explicit,
}

/// A box in the image's own pixel coordinates (after EXIF orientation), top-left origin.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct BoundingBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// One thing the model detected.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Detection {
    /// The model's label, such as `FACE_FEMALE` or `FEMALE_BREAST_EXPOSED` (see the model's manifest).
    pub label: String,
    /// Confidence in 0..1.
    pub score: f32,
    /// Where it is.
    pub bbox: BoundingBox,
}

/// Where the time of one image check went, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, uniffi::Record)]
pub struct ImageTimings {
    /// Decoding the file (zero for pixel buffers).
    pub decode_ms: f32,
    /// Resizing and normalising for the model.
    pub preprocess_ms: f32,
    /// Running the model.
    pub inference_ms: f32,
    /// Reading detections from the model's output.
    pub postprocess_ms: f32,
}

/// The model's reading of an image.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct NudityResult {
    /// Safe, suggestive or explicit.
    pub verdict: ImageVerdict,
    /// The highest score among the detections that reached the verdict; for `Safe`, the highest score among
    /// the labels the policy names (how close the image came to a warning).
    pub score: f32,
    /// Every detection after non-maximum suppression, best first.
    pub detections: Vec<Detection>,
    /// Time spent per step.
    pub timings: ImageTimings,
}

/// What to do with one image, combined with its conversation when one was given.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct ImageAssessment {
    /// What the model saw.
    pub nudity: NudityResult,
    /// How worried the app should be about this image in its context.
    pub level: Level,
    /// Incoming: show the image blurred until the teen chooses to see it.
    pub blur: bool,
    /// Outgoing: ask the teen before sending (a caution, warning or crisis card).
    pub pause: bool,
    /// The card to show; `kind == None` means show nothing.
    pub intervention: Intervention,
    /// The conversation's assessment after this image, when a conversation id was given.
    pub conversation: Option<Assessment>,
}

impl From<PixelFormat> for haven_core::image::PixelFormat {
    fn from(f: PixelFormat) -> Self {
        match f {
            PixelFormat::Rgba8 => haven_core::image::PixelFormat::Rgba8,
            PixelFormat::Bgra8 => haven_core::image::PixelFormat::Bgra8,
        }
    }
}

impl From<ImageInput> for haven_core::image::ImageInput {
    fn from(i: ImageInput) -> Self {
        match i {
            ImageInput::Encoded { bytes } => haven_core::image::ImageInput::Encoded(bytes),
            ImageInput::Pixels {
                data,
                width,
                height,
                row_stride,
                format,
            } => haven_core::image::ImageInput::Pixels {
                data,
                width,
                height,
                row_stride,
                format: format.into(),
            },
        }
    }
}

impl From<ModelSource> for haven_core::image::ModelSource {
    fn from(s: ModelSource) -> Self {
        match s {
            ModelSource::Path { path } => haven_core::image::ModelSource::Path(path.into()),
            ModelSource::Bytes { bytes } => haven_core::image::ModelSource::Bytes(bytes),
        }
    }
}

impl From<haven_core::image::ImageVerdict> for ImageVerdict {
    fn from(v: haven_core::image::ImageVerdict) -> Self {
        use haven_core::image::ImageVerdict as V;
        match v {
            V::Safe => ImageVerdict::Safe,
            V::Suggestive => ImageVerdict::Suggestive,
            V::Explicit => ImageVerdict::Explicit,
        }
    }
}

impl From<haven_core::image::Detection> for Detection {
    fn from(d: haven_core::image::Detection) -> Self {
        let b = d.bbox;
        Detection {
            label: d.label,
            score: d.score,
            bbox: BoundingBox {
                x: b.x,
                y: b.y,
                w: b.w,
                h: b.h,
            },
        }
    }
}

impl From<haven_core::image::NudityResult> for NudityResult {
    fn from(r: haven_core::image::NudityResult) -> Self {
        let t = r.timings;
        NudityResult {
            verdict: r.verdict.into(),
            score: r.score,
            detections: r.detections.into_iter().map(Into::into).collect(),
            timings: ImageTimings {
                decode_ms: t.decode_ms,
                preprocess_ms: t.preprocess_ms,
                inference_ms: t.inference_ms,
                postprocess_ms: t.postprocess_ms,
            },
        }
    }
}

impl From<haven_core::ImageAssessment> for ImageAssessment {
    fn from(a: haven_core::ImageAssessment) -> Self {
        ImageAssessment {
            nudity: a.nudity.into(),
            level: a.level.into(),
            blur: a.blur,
            pause: a.pause,
            intervention: a.intervention.into(),
            conversation: a.conversation.map(Into::into),
        }
    }
}
