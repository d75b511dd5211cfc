//! Fuzzes what `ImageModel::classify` does before inference: decoding encoded bytes (JPEG, PNG, WebP or anything
//! else) or checking raw pixel buffers with fuzzer-chosen sizes, strides and formats, then preprocessing for the
//! synthetic model's input with a fuzzer-chosen layout, channel order and resize mode. Every input is prepared
//! or refused with an `ImageError`, never a panic, a hang or an unbounded allocation. Inference itself is left
//! out: its input is always the one fixed-size tensor, so the fuzz build needs no model and no tract.
#![no_main]

use std::sync::LazyLock;

use haven_core::image::{
    fuzz_prepare, ChannelOrder, ImageInput, InputSpec, Layout, ModelManifest, PixelFormat,
    ResizeMode,
};
use libfuzzer_sys::fuzz_target;

static SPEC: LazyLock<InputSpec> = LazyLock::new(|| {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fixtures/models/synthetic-brightness.json"
    );
    let json = std::fs::read_to_string(path).expect("fixture manifest");
    ModelManifest::from_json(&json)
        .expect("fixture manifest parses")
        .input
});

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let input = if mode & 1 == 0 {
        ImageInput::Encoded(rest.to_vec())
    } else {
        let [w0, w1, h0, h1, s0, s1, pixels @ ..] = rest else {
            return;
        };
        ImageInput::Pixels {
            data: pixels.to_vec(),
            width: u32::from(u16::from_le_bytes([*w0, *w1])),
            height: u32::from(u16::from_le_bytes([*h0, *h1])),
            row_stride: u32::from(u16::from_le_bytes([*s0, *s1])),
            format: if mode & 2 == 0 {
                PixelFormat::Rgba8
            } else {
                PixelFormat::Bgra8
            },
        }
    };
    let spec = InputSpec {
        layout: if mode & 4 == 0 {
            Layout::Nchw
        } else {
            Layout::Nhwc
        },
        channels: if mode & 8 == 0 {
            ChannelOrder::Rgb
        } else {
            ChannelOrder::Bgr
        },
        resize: if mode & 16 == 0 {
            ResizeMode::PadBottomRight
        } else {
            ResizeMode::Stretch
        },
        ..SPEC.clone()
    };
    let _ = fuzz_prepare(&input, &spec);
});
