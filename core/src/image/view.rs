//! A read-only, oriented view of pixels in memory: decoded images and platform buffers are read in
//! place, with EXIF orientation folded into the addressing instead of rotating a copy.

use super::error::ImageError;

/// EXIF orientation (tag 0x0112): how the stored pixels map to the upright picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Orientation {
    /// 1: stored upright.
    Normal,
    /// 2: mirrored left to right.
    FlipHorizontal,
    /// 3: turned 180 degrees.
    Rotate180,
    /// 4: mirrored top to bottom.
    FlipVertical,
    /// 5: mirrored along the top-left to bottom-right diagonal.
    Transpose,
    /// 6: shown turned 90 degrees clockwise.
    Rotate90,
    /// 7: mirrored along the top-right to bottom-left diagonal.
    Transverse,
    /// 8: shown turned 90 degrees counter-clockwise.
    Rotate270,
}

impl Orientation {
    /// The orientation for an EXIF value; unknown values mean upright, as viewers treat them.
    pub(crate) fn from_exif(value: u16) -> Orientation {
        match value {
            2 => Orientation::FlipHorizontal,
            3 => Orientation::Rotate180,
            4 => Orientation::FlipVertical,
            5 => Orientation::Transpose,
            6 => Orientation::Rotate90,
            7 => Orientation::Transverse,
            8 => Orientation::Rotate270,
            _ => Orientation::Normal,
        }
    }

    /// Whether the upright picture has width and height swapped relative to the stored pixels.
    pub(crate) fn swaps_axes(self) -> bool {
        matches!(
            self,
            Orientation::Transpose
                | Orientation::Rotate90
                | Orientation::Transverse
                | Orientation::Rotate270
        )
    }
}

/// Pixels as the model should see them: `width` x `height` upright, pixel `(x, y)` starting at byte
/// `origin + x * x_step + y * y_step`, its red, green and blue at `rgb` offsets from there. Construction
/// checks every address once, so reads never go out of bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PixelView<'a> {
    data: &'a [u8],
    width: u32,
    height: u32,
    origin: isize,
    x_step: isize,
    y_step: isize,
    rgb: [usize; 3],
}

impl<'a> PixelView<'a> {
    /// A view of `stored_width` x `stored_height` stored pixels of `pixel_bytes` bytes each, rows
    /// `row_stride` bytes apart, shown with `orientation`.
    pub(crate) fn new(
        data: &'a [u8],
        stored_width: u32,
        stored_height: u32,
        row_stride: usize,
        pixel_bytes: usize,
        rgb: [usize; 3],
        orientation: Orientation,
    ) -> Result<PixelView<'a>, ImageError> {
        if stored_width == 0 || stored_height == 0 {
            return Err(ImageError::Empty {
                width: stored_width,
                height: stored_height,
            });
        }
        let row_bytes = stored_width as usize * pixel_bytes;
        if row_stride < row_bytes {
            return Err(ImageError::InvalidPixels(format!(
                "row stride {row_stride} is smaller than width {stored_width} x {pixel_bytes} bytes"
            )));
        }
        let needed = (stored_height as usize - 1)
            .checked_mul(row_stride)
            .and_then(|n| n.checked_add(row_bytes))
            .ok_or_else(|| ImageError::InvalidPixels("buffer size overflows".into()))?;
        if data.len() < needed {
            return Err(ImageError::InvalidPixels(format!(
                "buffer has {} bytes, {stored_width}x{stored_height} pixels with row stride {row_stride} need {needed}",
                data.len()
            )));
        }
        if rgb.iter().any(|&o| o >= pixel_bytes) {
            return Err(ImageError::InvalidPixels(
                "channel offset outside the pixel".into(),
            ));
        }
        let (px, row) = (pixel_bytes as isize, row_stride as isize);
        let last_x = (stored_width as isize - 1) * px;
        let last_y = (stored_height as isize - 1) * row;
        let (origin, x_step, y_step) = match orientation {
            Orientation::Normal => (0, px, row),
            Orientation::FlipHorizontal => (last_x, -px, row),
            Orientation::Rotate180 => (last_x + last_y, -px, -row),
            Orientation::FlipVertical => (last_y, px, -row),
            Orientation::Transpose => (0, row, px),
            Orientation::Rotate90 => (last_y, -row, px),
            Orientation::Transverse => (last_x + last_y, -row, -px),
            Orientation::Rotate270 => (last_x, row, -px),
        };
        let (width, height) = if orientation.swaps_axes() {
            (stored_height, stored_width)
        } else {
            (stored_width, stored_height)
        };
        Ok(PixelView {
            data,
            width,
            height,
            origin,
            x_step,
            y_step,
            rgb,
        })
    }

    /// Upright width in pixels.
    pub(crate) fn width(&self) -> u32 {
        self.width
    }

    /// Upright height in pixels.
    pub(crate) fn height(&self) -> u32 {
        self.height
    }

    /// Start of upright row `y` and the step between its pixels; `y < height`.
    pub(crate) fn row(&self, y: u32) -> (isize, isize) {
        (self.origin + y as isize * self.y_step, self.x_step)
    }

    /// Red, green and blue of the pixel starting at `offset` (from [`PixelView::row`]).
    #[inline]
    pub(crate) fn rgb_at(&self, offset: isize) -> [u8; 3] {
        let o = offset as usize;
        [
            self.data[o + self.rgb[0]],
            self.data[o + self.rgb[1]],
            self.data[o + self.rgb[2]],
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 3x2 RGB image whose pixel (x, y) has red x, green y and blue 7.
    fn stored() -> Vec<u8> {
        let mut data = Vec::new();
        for y in 0..2u8 {
            for x in 0..3u8 {
                data.extend_from_slice(&[x, y, 7]);
            }
        }
        data
    }

    fn upright(o: Orientation) -> (u32, u32, Vec<[u8; 3]>) {
        let data = stored();
        let view = PixelView::new(&data, 3, 2, 9, 3, [0, 1, 2], o).unwrap();
        let mut px = Vec::new();
        for y in 0..view.height() {
            let (start, step) = view.row(y);
            for x in 0..view.width() {
                px.push(view.rgb_at(start + x as isize * step));
            }
        }
        (view.width(), view.height(), px)
    }

    #[test]
    fn every_orientation_maps_corners_like_a_viewer() {
        // (x, y) of the stored pixel shown at the upright top-left and top-right corners.
        let cases = [
            (Orientation::Normal, (3, 2), [0, 0], [2, 0]),
            (Orientation::FlipHorizontal, (3, 2), [2, 0], [0, 0]),
            (Orientation::Rotate180, (3, 2), [2, 1], [0, 1]),
            (Orientation::FlipVertical, (3, 2), [0, 1], [2, 1]),
            (Orientation::Transpose, (2, 3), [0, 0], [0, 1]),
            (Orientation::Rotate90, (2, 3), [0, 1], [0, 0]),
            (Orientation::Transverse, (2, 3), [2, 1], [2, 0]),
            (Orientation::Rotate270, (2, 3), [2, 0], [2, 1]),
        ];
        for (o, dims, top_left, top_right) in cases {
            let (w, h, px) = upright(o);
            assert_eq!((w, h), dims, "{o:?}");
            assert_eq!(px[0], [top_left[0], top_left[1], 7], "{o:?} top-left");
            assert_eq!(
                px[w as usize - 1],
                [top_right[0], top_right[1], 7],
                "{o:?} top-right"
            );
        }
    }

    #[test]
    fn exif_values_outside_one_to_eight_mean_upright() {
        assert_eq!(Orientation::from_exif(0), Orientation::Normal);
        assert_eq!(Orientation::from_exif(9), Orientation::Normal);
        assert_eq!(Orientation::from_exif(6), Orientation::Rotate90);
    }

    #[test]
    fn short_buffer_and_small_stride_are_refused() {
        let data = stored();
        let short = PixelView::new(&data[..17], 3, 2, 9, 3, [0, 1, 2], Orientation::Normal);
        assert!(matches!(short, Err(ImageError::InvalidPixels(_))));
        let stride = PixelView::new(&data, 3, 2, 8, 3, [0, 1, 2], Orientation::Normal);
        assert!(matches!(stride, Err(ImageError::InvalidPixels(_))));
        let empty = PixelView::new(&data, 0, 2, 9, 3, [0, 1, 2], Orientation::Normal);
        assert!(matches!(empty, Err(ImageError::Empty { .. })));
        // The last row needs only its pixels, not a whole stride.
        assert!(PixelView::new(&data[..18], 3, 2, 9, 3, [0, 1, 2], Orientation::Normal).is_ok());
    }
}
