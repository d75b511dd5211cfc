//! From what the caller hands over to the model's input tensor: decode the file (or check the pixel buffer),
//! then resize and normalise. Free of tract, so the fuzzer reaches every input-dependent step without a model.

use std::time::Instant;

use super::decode::{check_size, Decoded};
use super::error::ImageError;
use super::input::ImageInput;
use super::manifest::InputSpec;
use super::preprocess::preprocess;
use super::view::{Orientation, PixelView};

/// A JPEG is decoded at reduced scale only while its longer side stays at least this many times
/// the model input's longer side, so the final resize still averages several decoded pixels.
const JPEG_SCALE_MARGIN: u32 = 1;

/// Where a prepared input came from: enough to report boxes in the caller's full-resolution pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prepared {
    /// Full-resolution pixels per model input pixel, across and down.
    pub(crate) x_ratio: f32,
    pub(crate) y_ratio: f32,
    /// Upright size of the full-resolution image.
    pub(crate) full_width: u32,
    pub(crate) full_height: u32,
    /// When decoding (or checking the buffer) ended and preprocessing began.
    pub(crate) decoded_at: Instant,
}

/// Fills `out` (the input tensor's data, `spec.width * spec.height * 3` floats) from `input`. An encoded input is
/// decoded by `decode(bytes, min_side)`, which the model runs on its own threads; the JPEG decoder may stop at the
/// reduced scale whose longer side is still `min_side` or more.
pub(crate) fn prepare(
    input: &ImageInput,
    spec: &InputSpec,
    decode: impl FnOnce(&[u8], u32) -> Result<Decoded, ImageError>,
    out: &mut [f32],
) -> Result<Prepared, ImageError> {
    let decoded;
    let (view, full_width, full_height) = match input {
        ImageInput::Encoded(bytes) => {
            decoded = decode(bytes, spec.width.max(spec.height) * JPEG_SCALE_MARGIN)?;
            (decoded.view()?, decoded.full_width, decoded.full_height)
        }
        ImageInput::Pixels {
            data,
            width,
            height,
            row_stride,
            format,
        } => {
            check_size(*width, *height)?;
            let view = PixelView::new(
                data,
                *width,
                *height,
                *row_stride as usize,
                format.bytes_per_pixel(),
                format.rgb_offsets(),
                Orientation::Normal,
            )?;
            (view, *width, *height)
        }
    };
    let decoded_at = Instant::now();
    let geometry = preprocess(&view, spec, out);
    // Model input pixels to decoded pixels to full-resolution pixels.
    let ratio = |padded: u32, input: u32, full: u32, decoded: u32| {
        (f64::from(padded) / f64::from(input) * (f64::from(full) / f64::from(decoded))) as f32
    };
    Ok(Prepared {
        x_ratio: ratio(geometry.padded_width, spec.width, full_width, view.width()),
        y_ratio: ratio(
            geometry.padded_height,
            spec.height,
            full_height,
            view.height(),
        ),
        full_width,
        full_height,
        decoded_at,
    })
}
