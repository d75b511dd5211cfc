//! What callers hand to the image check: encoded file bytes or a raw pixel buffer from the platform.

use serde::Serialize;

/// Byte order of one pixel in a raw buffer, as the platforms hand them over: Android `Bitmap`
/// (`ARGB_8888`, stored R, G, B, A in memory) is [`PixelFormat::Rgba8`]; iOS `CGImage` with
/// `kCGImageAlphaPremultipliedFirst | kCGBitmapByteOrder32Little` is [`PixelFormat::Bgra8`].
/// Alpha is ignored (dropped, not composited), as OpenCV does when it converts to three channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PixelFormat {
    /// Four bytes per pixel: red, green, blue, alpha.
    Rgba8,
    /// Four bytes per pixel: blue, green, red, alpha.
    Bgra8,
}

impl PixelFormat {
    /// Bytes per pixel.
    pub fn bytes_per_pixel(self) -> usize {
        4
    }

    /// Offsets of red, green and blue within a pixel.
    pub(crate) fn rgb_offsets(self) -> [usize; 3] {
        match self {
            PixelFormat::Rgba8 => [0, 1, 2],
            PixelFormat::Bgra8 => [2, 1, 0],
        }
    }
}

/// One image to check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageInput {
    /// An encoded file (JPEG, PNG or WebP), as read from disk or the network. The EXIF orientation
    /// of a JPEG is applied, so the check sees the picture upright, as a viewer shows it.
    Encoded(Vec<u8>),
    /// Decoded pixels, top row first. `row_stride` is the number of bytes from the start of one row
    /// to the start of the next (at least `width * 4`); the last row needs only `width * 4` bytes.
    Pixels {
        data: Vec<u8>,
        width: u32,
        height: u32,
        row_stride: u32,
        format: PixelFormat,
    },
}
