//! Image to model input: pad right and bottom to a square (or stretch), bilinear resize with OpenCV
//! `INTER_LINEAR` arithmetic on 8-bit samples, normalise, lay out as the model expects. One pass
//! from the source pixels to the float tensor: the padding is never materialised and nothing is
//! converted or copied on the way.

use super::manifest::{ChannelOrder, InputSpec, Layout, ResizeMode};
use super::view::PixelView;

/// Fixed-point precision of OpenCV's 8-bit linear resize (`INTER_RESIZE_COEF_BITS`).
const COEF_BITS: u32 = 11;
const COEF_SCALE: f32 = (1 << COEF_BITS) as f32;

/// One output position of a resize along an axis: two source indices and their fixed-point
/// weights. An index at or beyond the image's extent reads a black padding pixel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tap {
    pub(crate) i0: u32,
    pub(crate) i1: u32,
    pub(crate) w0: i32,
    pub(crate) w1: i32,
}

/// Taps for resizing `src` samples to `dst` along one axis, as OpenCV's `resize` computes them for
/// `INTER_LINEAR` (`resizeGeneric_`): source coordinate `(d + 0.5) * src / dst - 0.5` in float,
/// weights rounded to 11 bits. Horizontally OpenCV clamps coordinates outside the image to the edge
/// pixel with full weight (`clamp_weights`); vertically it keeps the weights and clamps the rows.
pub(crate) fn taps(src: u32, dst: u32, clamp_weights: bool) -> Vec<Tap> {
    let scale = 1.0 / (f64::from(dst) / f64::from(src));
    let last = src as i64 - 1;
    (0..dst)
        .map(|d| {
            let f = ((f64::from(d) + 0.5) * scale - 0.5) as f32;
            let mut s = f.floor() as i64;
            let mut frac = f - s as f32;
            if clamp_weights {
                if s < 0 {
                    s = 0;
                    frac = 0.0;
                }
                if s >= last {
                    s = last;
                    frac = 0.0;
                }
            }
            Tap {
                i0: s.clamp(0, last) as u32,
                i1: (s + 1).clamp(0, last) as u32,
                w0: round_even((1.0 - frac) * COEF_SCALE),
                w1: round_even(frac * COEF_SCALE),
            }
        })
        .collect()
}

/// `cvRound`: round half to even, as `saturate_cast<short>(float)` does.
fn round_even(v: f32) -> i32 {
    v.round_ties_even() as i32
}

/// Where the model input sits in the upright source image: the model's `width` x `height` input
/// covers `padded_width` x `padded_height` source pixels from the top-left corner (padding included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Geometry {
    pub(crate) padded_width: u32,
    pub(crate) padded_height: u32,
}

impl Geometry {
    /// The source area the model input covers, for a view of `width` x `height`.
    pub(crate) fn new(mode: ResizeMode, width: u32, height: u32) -> Geometry {
        match mode {
            ResizeMode::PadBottomRight => {
                let side = width.max(height);
                Geometry {
                    padded_width: side,
                    padded_height: side,
                }
            }
            ResizeMode::Stretch => Geometry {
                padded_width: width,
                padded_height: height,
            },
        }
    }
}

/// Fills `out` (`width * height * 3` floats, the input tensor's data) from `view`.
pub(crate) fn preprocess(view: &PixelView<'_>, spec: &InputSpec, out: &mut [f32]) -> Geometry {
    let geometry = Geometry::new(spec.resize, view.width(), view.height());
    let (dw, dh) = (spec.width as usize, spec.height as usize);
    debug_assert_eq!(out.len(), dw * dh * 3);
    let xs = taps(geometry.padded_width, spec.width, true);
    let ys = taps(geometry.padded_height, spec.height, false);
    let lut = lookup(spec);
    // Model channel k reads source channel `order[k]` (0 red, 1 green, 2 blue).
    let order = match spec.channels {
        ChannelOrder::Rgb => [0, 1, 2],
        ChannelOrder::Bgr => [2, 1, 0],
    };
    let plane = dw * dh;
    let mut rows = RowCache::new(dw);
    let mut line = vec![0u8; dw * 3];
    for (y, tap) in ys.iter().enumerate() {
        rows.vertical(view, &xs, tap, &mut line);
        match spec.layout {
            Layout::Nchw => {
                for (k, &c) in order.iter().enumerate() {
                    let dst = &mut out[k * plane + y * dw..k * plane + (y + 1) * dw];
                    for (d, px) in dst.iter_mut().zip(line.chunks_exact(3)) {
                        *d = lut[k][px[c] as usize];
                    }
                }
            }
            Layout::Nhwc => {
                let dst = &mut out[y * dw * 3..(y + 1) * dw * 3];
                for (d, px) in dst.chunks_exact_mut(3).zip(line.chunks_exact(3)) {
                    for (k, &c) in order.iter().enumerate() {
                        d[k] = lut[k][px[c] as usize];
                    }
                }
            }
        }
    }
    geometry
}

/// Per model channel, the normalised float of every 8-bit sample: `v * scale` in float as OpenCV's
/// `convertTo` computes it, then the mean and standard deviation.
fn lookup(spec: &InputSpec) -> [[f32; 256]; 3] {
    let mut lut = [[0f32; 256]; 3];
    for (k, table) in lut.iter_mut().enumerate() {
        for (v, entry) in table.iter_mut().enumerate() {
            *entry = (v as f32 * spec.scale - spec.mean[k]) / spec.std[k];
        }
    }
    lut
}

/// The two most recent horizontally resized source rows (fixed point, times 2048), since consecutive
/// output rows mostly read the same source rows.
struct RowCache {
    rows: [(Option<u32>, Vec<i32>); 2],
    next: usize,
}

impl RowCache {
    fn new(width: usize) -> RowCache {
        RowCache {
            rows: [(None, vec![0; width * 3]), (None, vec![0; width * 3])],
            next: 0,
        }
    }

    /// Index into `rows` of source row `y` resized horizontally, computing it if needed.
    fn get(&mut self, view: &PixelView<'_>, xs: &[Tap], y: u32) -> usize {
        if let Some(i) = self.rows.iter().position(|(r, _)| *r == Some(y)) {
            return i;
        }
        let i = self.next;
        self.next ^= 1;
        let (key, buf) = &mut self.rows[i];
        *key = Some(y);
        horizontal(view, xs, y, buf);
        i
    }

    /// Output row for vertical tap `tap` into `line` (RGB, 8-bit).
    fn vertical(&mut self, view: &PixelView<'_>, xs: &[Tap], tap: &Tap, line: &mut [u8]) {
        let a = self.get(view, xs, tap.i0);
        let b = self.get(view, xs, tap.i1);
        let (s0, s1) = (&self.rows[a].1, &self.rows[b].1);
        for ((d, &v0), &v1) in line.iter_mut().zip(s0).zip(s1) {
            *d = combine(tap.w0, v0, tap.w1, v1);
        }
    }
}

/// OpenCV's vectorised vertical pass (`VResizeLinearVec_32s8u`): each term is reduced to 16 bits
/// before its high-half multiply, then the sum is rounded by two more bits. Its rounding differs
/// from the exact `(w0 * v0 + w1 * v1 + 2^21) >> 22`, and it is what x86 and ARM builds run.
#[inline]
fn combine(w0: i32, v0: i32, w1: i32, v1: i32) -> u8 {
    let sum = ((w0 * (v0 >> 4)) >> 16) + ((w1 * (v1 >> 4)) >> 16);
    ((sum + 2) >> 2).clamp(0, 255) as u8
}

/// Source row `y` (upright) resized horizontally into `out`, `[r, g, b]` per output pixel, scaled by
/// 2048. Rows and columns beyond the image are the black padding.
fn horizontal(view: &PixelView<'_>, xs: &[Tap], y: u32, out: &mut [i32]) {
    if y >= view.height() {
        out.fill(0);
        return;
    }
    let (start, step) = view.row(y);
    let width = view.width();
    let pixel = |x: u32| -> [i32; 3] {
        if x < width {
            view.rgb_at(start + x as isize * step).map(i32::from)
        } else {
            [0; 3]
        }
    };
    for (o, tap) in out.chunks_exact_mut(3).zip(xs) {
        let (p0, p1) = (pixel(tap.i0), pixel(tap.i1));
        for ((o, a), b) in o.iter_mut().zip(p0).zip(p1) {
            *o = tap.w0 * a + tap.w1 * b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::view::Orientation;

    fn spec(w: u32, h: u32, resize: ResizeMode) -> InputSpec {
        InputSpec {
            width: w,
            height: h,
            layout: Layout::Nchw,
            channels: ChannelOrder::Rgb,
            resize,
            scale: 1.0,
            mean: [0.0; 3],
            std: [1.0; 3],
        }
    }

    /// `w` x `h` RGB pixels from a seeded generator, the same sequence as the Python lines below.
    fn lcg_image(w: u32, h: u32, seed: u32) -> Vec<u8> {
        let mut s = seed;
        (0..w * h * 3)
            .map(|_| {
                s = s.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (s >> 16) as u8
            })
            .collect()
    }

    fn resize(data: &[u8], w: u32, h: u32, s: &InputSpec) -> Vec<f32> {
        let view = PixelView::new(
            data,
            w,
            h,
            w as usize * 3,
            3,
            [0, 1, 2],
            Orientation::Normal,
        )
        .unwrap();
        let mut out = vec![0f32; (s.width * s.height * 3) as usize];
        preprocess(&view, s, &mut out);
        out
    }

    // Expected values come from OpenCV 4.14 (opencv-python-headless 4.14.0.94) in .venv:
    //   def lcg(w, h, seed):
    //       s, out = seed, []
    //       for _ in range(w * h * 3):
    //           s = (s * 1103515245 + 12345) % 2**32; out.append((s >> 16) & 255)
    //       return np.array(out, np.uint8).reshape(h, w, 3)
    //   img = lcg(W, H, SEED); side = max(W, H)
    //   pad = cv2.copyMakeBorder(img, 0, side - H, 0, side - W, cv2.BORDER_CONSTANT)
    //   out = cv2.resize(pad, (D, D), interpolation=cv2.INTER_LINEAR)
    //   print(out[:, :, C].ravel().sum(), out[ROW, :, C][:16].tolist())

    #[test]
    fn taps_match_opencv_coordinates() {
        // 3 -> 8: source x = (d + 0.5) * 0.375 - 0.5, clamped at the edges.
        let t = taps(3, 8, true);
        assert_eq!((t[0].i0, t[0].w0, t[0].w1), (0, 2048, 0));
        assert_eq!((t[3].i0, t[3].i1, t[3].w0, t[3].w1), (0, 1, 384, 1664));
        assert_eq!((t[7].i0, t[7].w0, t[7].w1), (2, 2048, 0));
        // Vertically the weights stay and the rows clamp: -0.3125 reads row 0 twice.
        let v = taps(3, 8, false);
        assert_eq!((v[0].i0, v[0].i1, v[0].w0, v[0].w1), (0, 0, 640, 1408));
    }

    #[test]
    fn pad_and_resize_match_opencv_bit_for_bit() {
        // (W, H, D, SEED, ROW, C) -> (sum of channel C, first 16 values of row ROW, channel C).
        type Case = ((u32, u32, u32, u32, usize, usize), u64, [u8; 16]);
        let cases: [Case; 5] = [
            (
                (37, 23, 320, 1, 5, 0),
                8017184,
                [
                    192, 192, 192, 192, 190, 178, 167, 155, 144, 132, 121, 109, 98, 99, 112, 125,
                ],
            ),
            (
                (451, 300, 320, 2, 100, 1),
                8679634,
                [
                    43, 161, 116, 192, 42, 144, 110, 131, 156, 208, 147, 198, 43, 102, 15, 136,
                ],
            ),
            (
                (640, 640, 320, 3, 319, 2),
                13059773,
                [
                    112, 145, 115, 66, 99, 195, 128, 114, 132, 204, 117, 82, 173, 119, 98, 76,
                ],
            ),
            ((7, 5, 320, 4, 0, 0), 9295603, [25; 16]),
            (
                (1000, 13, 320, 5, 3, 2),
                163532,
                [
                    154, 139, 166, 187, 119, 116, 131, 84, 107, 204, 178, 106, 144, 116, 125, 66,
                ],
            ),
        ];
        for ((w, h, d, seed, row, c), sum, head) in cases {
            let out = resize(
                &lcg_image(w, h, seed),
                w,
                h,
                &spec(d, d, ResizeMode::PadBottomRight),
            );
            let plane = &out[c * (d * d) as usize..(c + 1) * (d * d) as usize];
            let got_sum: u64 = plane.iter().map(|&v| v as u64).sum();
            let start = row * d as usize;
            let got_head: Vec<u8> = plane[start..start + 16].iter().map(|&v| v as u8).collect();
            assert_eq!(got_head, head, "{w}x{h} row {row} channel {c}");
            assert_eq!(got_sum, sum, "{w}x{h} channel {c}");
        }
    }

    #[test]
    fn identity_size_is_a_copy() {
        let img = lcg_image(5, 5, 7);
        let out = resize(&img, 5, 5, &spec(5, 5, ResizeMode::PadBottomRight));
        for c in 0..3 {
            for i in 0..25 {
                assert_eq!(out[c * 25 + i], f32::from(img[i * 3 + c]));
            }
        }
    }

    #[test]
    fn padding_is_black_on_the_right() {
        // A white 2x1 image padded to 2x2: the bottom row is padding.
        let img = vec![255u8; 6];
        let out = resize(&img, 2, 1, &spec(2, 2, ResizeMode::PadBottomRight));
        assert_eq!(&out[..4], &[255.0, 255.0, 0.0, 0.0]);
        let stretched = resize(&img, 2, 1, &spec(2, 2, ResizeMode::Stretch));
        assert_eq!(&stretched[..4], &[255.0; 4]);
    }
}
