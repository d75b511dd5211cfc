//! Fuzzes image decoding through `ImageModel::classify` with the tiny synthetic model: encoded bytes (JPEG, PNG,
//! WebP or anything else) and raw pixel buffers with fuzzer-chosen sizes, strides and formats. Every input gives
//! a result or an `ImageError`, never a panic, a hang or an unbounded allocation.
#![no_main]

use std::sync::LazyLock;

use haven_core::image::{ImageInput, ImageModel, ModelManifest, ModelSource, PixelFormat};
use libfuzzer_sys::fuzz_target;

static MODEL: LazyLock<ImageModel> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/models/");
    let onnx = std::fs::read(format!("{dir}synthetic-brightness.onnx")).expect("fixture model");
    let json =
        std::fs::read_to_string(format!("{dir}synthetic-brightness.json")).expect("manifest");
    let manifest = ModelManifest::from_json(&json).expect("fixture manifest parses");
    ImageModel::load(ModelSource::Bytes(onnx), manifest).expect("fixture model loads")
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
    let _ = MODEL.classify(&input);
});
