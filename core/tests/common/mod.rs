//! Paths and manifests of the synthetic models in fixtures/models, shared by the image test files.

use std::path::{Path, PathBuf};

use haven_core::image::ModelManifest;

/// The repository's root.
pub fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The manifest of a synthetic model: NudeNet's, with that model's name and digest.
pub fn manifest(name: &str) -> ModelManifest {
    let path = repo().join(format!("fixtures/models/synthetic-{name}.json"));
    ModelManifest::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The ONNX file of a synthetic model.
pub fn model_path(name: &str) -> PathBuf {
    repo().join(format!("fixtures/models/synthetic-{name}.onnx"))
}
