//! Benchmarks the image check's stages on a synthetic photo-sized input: preprocessing of a raw
//! buffer, and (when models/nudenet-320n.onnx is present) the whole check on the NudeNet 320n model.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use haven_core::image::{ImageInput, ImageModel, PixelFormat};

/// A 1080x1440 RGBA buffer with smooth gradients (content does not change the cost).
fn phone_pixels() -> ImageInput {
    let (width, height) = (1080u32, 1440u32);
    let mut data = Vec::with_capacity((width * height * 4) as usize);
    for y in 0..height {
        for x in 0..width {
            data.extend_from_slice(&[(x / 5) as u8, (y / 6) as u8, ((x + y) / 10) as u8, 255]);
        }
    }
    ImageInput::Pixels {
        data,
        width,
        height,
        row_stride: width * 4,
        format: PixelFormat::Rgba8,
    }
}

fn image(c: &mut Criterion) {
    let model_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models/nudenet-320n.onnx");
    if !model_path.exists() {
        eprintln!(
            "skipping image benchmarks: {} absent (scripts/fetch-models.sh)",
            model_path.display()
        );
        return;
    }
    let model = ImageModel::load_file(&model_path).expect("model loads");
    let input = phone_pixels();
    let mut group = c.benchmark_group("image");
    group.sample_size(20);
    group.bench_function("classify_rgba_1080x1440", |b| {
        b.iter(|| model.classify(black_box(&input)).unwrap())
    });
    group.finish();
}

criterion_group!(benches, image);
criterion_main!(benches);
