//! Encoded bytes to pixels: format sniffing, limits checked on the header before any pixel is
//! decoded, EXIF orientation, and JPEG decoding at reduced scale (in the DCT domain) when the image
//! is far larger than the model input.

use std::io::Cursor;

use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use super::error::ImageError;
use super::limits::{MAX_ENCODED_BYTES, MAX_PIXELS, MAX_SIDE};
use super::view::{Orientation, PixelView};

/// A decoded image: stored (not yet oriented) pixels and how to read them upright.
#[derive(Debug)]
pub(crate) struct Decoded {
    pixels: Vec<u8>,
    stored_width: u32,
    stored_height: u32,
    pixel_bytes: usize,
    rgb: [usize; 3],
    orientation: Orientation,
    /// Upright size of the full-resolution image, which boxes are reported in; larger than the
    /// decoded pixels when a JPEG was decoded at reduced scale.
    pub(crate) full_width: u32,
    pub(crate) full_height: u32,
}

impl Decoded {
    /// The decoded pixels, upright.
    pub(crate) fn view(&self) -> Result<PixelView<'_>, ImageError> {
        PixelView::new(
            &self.pixels,
            self.stored_width,
            self.stored_height,
            self.stored_width as usize * self.pixel_bytes,
            self.pixel_bytes,
            self.rgb,
            self.orientation,
        )
    }
}

/// Refuses sizes beyond the limits or empty images, from a header's declared size.
pub(crate) fn check_size(width: u32, height: u32) -> Result<(), ImageError> {
    if width == 0 || height == 0 {
        return Err(ImageError::Empty { width, height });
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width > MAX_SIDE || height > MAX_SIDE {
        return Err(ImageError::TooManyPixels {
            width: u64::from(width),
            height: u64::from(height),
            max_pixels: MAX_PIXELS,
            max_side: MAX_SIDE,
        });
    }
    Ok(())
}

/// Decodes `bytes` (JPEG, PNG or WebP). A JPEG whose longer side is at least twice `min_side` per
/// halving is decoded at 1/2, 1/4 or 1/8 scale, keeping its longer side at `min_side` or more.
pub(crate) fn decode(bytes: &[u8], min_side: u32) -> Result<Decoded, ImageError> {
    if bytes.is_empty() {
        return Err(ImageError::Empty {
            width: 0,
            height: 0,
        });
    }
    if bytes.len() > MAX_ENCODED_BYTES {
        return Err(ImageError::TooLarge {
            bytes: bytes.len(),
            max: MAX_ENCODED_BYTES,
        });
    }
    match sniff(bytes)? {
        ImageFormat::Jpeg => decode_jpeg(bytes, min_side),
        format => decode_other(bytes, format),
    }
}

/// The format from the first bytes; other well-known formats are named in the error.
fn sniff(bytes: &[u8]) -> Result<ImageFormat, ImageError> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(&[0xFF, 0xD8, 0xFF]) {
        return Ok(ImageFormat::Jpeg);
    }
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(ImageFormat::Png);
    }
    if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        return Ok(ImageFormat::WebP);
    }
    let other = if starts(b"GIF8") {
        "GIF"
    } else if starts(b"BM") {
        "BMP"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "TIFF"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        "HEIF/AVIF"
    } else {
        return Err(ImageError::Unsupported(
            "not a JPEG, PNG or WebP file (unrecognised first bytes)".into(),
        ));
    };
    Err(ImageError::Unsupported(format!(
        "{other} images are not supported; use JPEG, PNG or WebP"
    )))
}

/// The DCT scaling denominator (1, 2, 4 or 8) that keeps the longer side at `min_side` or more.
pub(crate) fn jpeg_scale(width: u32, height: u32, min_side: u32) -> u32 {
    let longer = width.max(height);
    [8, 4, 2]
        .into_iter()
        .find(|&s| longer.div_ceil(s) >= min_side)
        .unwrap_or(1)
}

fn decode_jpeg(bytes: &[u8], min_side: u32) -> Result<Decoded, ImageError> {
    let fail = |e: jpeg_decoder::Error| match e {
        jpeg_decoder::Error::Unsupported(what) => {
            ImageError::Unsupported(format!("JPEG: {what:?}"))
        }
        e => ImageError::Decode(format!("JPEG: {e}")),
    };
    let mut decoder = jpeg_decoder::Decoder::new(bytes);
    decoder.read_info().map_err(fail)?;
    let info = decoder
        .info()
        .ok_or_else(|| ImageError::Decode("JPEG: no frame header".into()))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    check_size(width, height)?;
    let scale = jpeg_scale(width, height, min_side);
    if scale > 1 {
        let (w, h) = (width.div_ceil(scale), height.div_ceil(scale));
        // The requested size is what the DCT scaling produces, so the decoder picks exactly `scale`.
        decoder.scale(w as u16, h as u16).map_err(fail)?;
    }
    let pixels = decoder.decode().map_err(fail)?;
    let info = decoder
        .info()
        .ok_or_else(|| ImageError::Decode("JPEG: no frame header".into()))?;
    let (pixel_bytes, rgb) = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => (1, [0, 0, 0]),
        jpeg_decoder::PixelFormat::RGB24 => (3, [0, 1, 2]),
        other => {
            return Err(ImageError::Unsupported(format!(
                "JPEG pixel format {other:?}"
            )))
        }
    };
    let orientation = decoder
        .exif_data()
        .and_then(image::metadata::Orientation::from_exif_chunk)
        .map_or(Orientation::Normal, |o| {
            Orientation::from_exif(o.to_exif().into())
        });
    let (full_width, full_height) = if orientation.swaps_axes() {
        (height, width)
    } else {
        (width, height)
    };
    let decoded = Decoded {
        pixels,
        stored_width: u32::from(info.width),
        stored_height: u32::from(info.height),
        pixel_bytes,
        rgb,
        orientation,
        full_width,
        full_height,
    };
    // A decoder that returned fewer bytes than its header promised must not reach the resizer.
    decoded.view()?;
    Ok(decoded)
}

/// The size a PNG or WebP header declares, read from the bytes themselves: the decoders either refuse a
/// huge size with a bare "memory limit exceeded" (PNG) or wrap a 16384-pixel lossless WebP side to 0.
/// `None` when the header is too short or of a kind not listed here (the decoder then reports it).
fn declared_size(bytes: &[u8], format: ImageFormat) -> Option<(&'static str, u32, u32)> {
    let be = |at: usize| Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?));
    let le24 = |at: usize| {
        let b = bytes.get(at..at + 3)?;
        Some(u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16)
    };
    match format {
        // Signature (8), then the IHDR chunk: length (4), type (4), width, height (big-endian).
        ImageFormat::Png if bytes.get(12..16) == Some(b"IHDR") => Some(("PNG", be(16)?, be(20)?)),
        ImageFormat::WebP => match bytes.get(12..16)? {
            // Lossless: signature byte 0x2f, then 14 bits of width - 1 and 14 of height - 1.
            b"VP8L" if bytes.get(20) == Some(&0x2f) => {
                let bits = u32::from_le_bytes(bytes.get(21..25)?.try_into().ok()?);
                Some((
                    "lossless WebP",
                    (bits & 0x3fff) + 1,
                    ((bits >> 14) & 0x3fff) + 1,
                ))
            }
            // Lossy: a 3-byte frame tag, the start code, then 14-bit width and height.
            b"VP8 " if bytes.get(23..26) == Some(&[0x9d, 0x01, 0x2a]) => {
                let side = |at: usize| -> Option<u32> {
                    Some(u32::from(
                        u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) & 0x3fff,
                    ))
                };
                Some(("lossy WebP", side(26)?, side(28)?))
            }
            // Extended: flags (1), reserved (3), then 24 bits of canvas width - 1 and height - 1.
            b"VP8X" => Some(("extended WebP", le24(24)? + 1, le24(27)? + 1)),
            _ => None,
        },
        _ => None,
    }
}

fn decode_other(bytes: &[u8], format: ImageFormat) -> Result<Decoded, ImageError> {
    let fail = |e: image::ImageError| match e {
        image::ImageError::Unsupported(e) => ImageError::Unsupported(e.to_string()),
        e => ImageError::Decode(e.to_string()),
    };
    let declared = declared_size(bytes, format);
    if let Some((kind, width, height)) = declared {
        if width == 0 || height == 0 {
            return Err(ImageError::Decode(format!(
                "{kind} header declares {width}x{height} pixels; a side of 0 is not a valid image"
            )));
        }
        check_size(width, height)?;
    }
    let mut decoder = ImageReader::with_format(Cursor::new(bytes), format)
        .into_decoder()
        .map_err(fail)?;
    let (width, height) = decoder.dimensions();
    if let Some((kind, w, h)) = declared {
        if (w, h) != (width, height) {
            return Err(ImageError::Unsupported(format!(
                "{kind} header declares {w}x{h} pixels, which the decoder misreads as \
                 {width}x{height}; images of this size are not supported"
            )));
        }
    }
    check_size(width, height)?;
    let orientation = decoder.orientation().map_or(Orientation::Normal, |o| {
        Orientation::from_exif(o.to_exif().into())
    });
    let image = DynamicImage::from_decoder(decoder).map_err(fail)?;
    let (pixels, pixel_bytes, rgb) = match image {
        DynamicImage::ImageRgb8(i) => (i.into_raw(), 3, [0, 1, 2]),
        DynamicImage::ImageRgba8(i) => (i.into_raw(), 4, [0, 1, 2]),
        DynamicImage::ImageLuma8(i) => (i.into_raw(), 1, [0, 0, 0]),
        DynamicImage::ImageLumaA8(i) => (i.into_raw(), 2, [0, 0, 0]),
        // 16-bit and float images are rare in chat; convert them once.
        other => (other.into_rgb8().into_raw(), 3, [0, 1, 2]),
    };
    let (full_width, full_height) = if orientation.swaps_axes() {
        (height, width)
    } else {
        (width, height)
    };
    let decoded = Decoded {
        pixels,
        stored_width: width,
        stored_height: height,
        pixel_bytes,
        rgb,
        orientation,
        full_width,
        full_height,
    };
    decoded.view()?;
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_keeps_the_longer_side_above_the_minimum() {
        assert_eq!(jpeg_scale(3872, 2592, 320), 8); // 484 px
        assert_eq!(jpeg_scale(1080, 1440, 320), 4); // 360 px
        assert_eq!(jpeg_scale(2000, 600, 320), 4); // 500 px
        assert_eq!(jpeg_scale(639, 639, 320), 2); // 320 px
        assert_eq!(jpeg_scale(638, 638, 320), 1);
        assert_eq!(jpeg_scale(640, 480, 320), 2);
        assert_eq!(jpeg_scale(8, 8, 320), 1);
    }

    #[test]
    fn limits_are_checked_on_declared_size() {
        assert!(check_size(7000, 7000).is_ok());
        assert!(matches!(
            check_size(50_000, 50_000),
            Err(ImageError::TooManyPixels { .. })
        ));
        assert!(matches!(
            check_size(40_000, 10),
            Err(ImageError::TooManyPixels { .. })
        ));
        assert!(matches!(check_size(0, 10), Err(ImageError::Empty { .. })));
    }

    #[test]
    fn other_formats_are_named() {
        let gif = decode(b"GIF89a\x01\x00\x01\x00", 320).unwrap_err();
        assert!(gif.to_string().contains("GIF"), "{gif}");
        let heic = decode(b"\0\0\0\x18ftypheic\0\0\0\0", 320).unwrap_err();
        assert!(heic.to_string().contains("HEIF"), "{heic}");
        assert!(matches!(
            decode(b"hello world", 320),
            Err(ImageError::Unsupported(_))
        ));
        assert!(matches!(decode(b"", 320), Err(ImageError::Empty { .. })));
    }

    #[test]
    fn oversized_input_is_refused_before_parsing() {
        let big = vec![0u8; MAX_ENCODED_BYTES + 1];
        assert!(matches!(
            decode(&big, 320),
            Err(ImageError::TooLarge { .. })
        ));
    }
}
