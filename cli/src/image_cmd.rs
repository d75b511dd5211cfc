//! `haven image` (one JSON line per image file) and `haven bench-image` (median end-to-end
//! milliseconds per check, decode to verdict).

use std::path::{Path, PathBuf};
use std::time::Instant;

use haven_core::image::{
    ImageInput, ImageModel, ModelManifest, ModelOptions, ModelSource, NudityResult,
};
use serde_json::json;

/// The model used when `--model` is not given, relative to the working directory.
const DEFAULT_MODEL: &str = "models/nudenet-320n.onnx";

/// Arguments of `haven image`.
#[derive(clap::Args)]
pub struct ImageArgs {
    /// Image files (JPEG, PNG, WebP).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// ONNX model; its manifest is the `.json` file of the same name beside it.
    #[arg(long, default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// Manifest to use instead of the one beside the model.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Print JSON lines (the only output format; accepted for explicitness).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `haven bench-image`.
#[derive(clap::Args)]
pub struct BenchImageArgs {
    /// Image file to check repeatedly.
    pub path: PathBuf,
    /// ONNX model; its manifest is the `.json` file of the same name beside it.
    #[arg(long, default_value = DEFAULT_MODEL)]
    pub model: PathBuf,
    /// Manifest to use instead of the one beside the model.
    #[arg(long)]
    pub manifest: Option<PathBuf>,
    /// Threads for one check (decoding, and inference when more than one).
    #[arg(long, default_value_t = 1)]
    pub threads: usize,
    /// Timed runs (after two warm-up runs).
    #[arg(long, default_value_t = 30)]
    pub runs: usize,
}

fn load(model: &Path, manifest: Option<&Path>, threads: usize) -> Result<ImageModel, String> {
    let manifest_path = manifest.map_or_else(|| model.with_extension("json"), Path::to_path_buf);
    let json = std::fs::read_to_string(&manifest_path)
        .map_err(|e| format!("cannot read manifest {}: {e}", manifest_path.display()))?;
    let manifest = ModelManifest::from_json(&json).map_err(|e| e.to_string())?;
    ImageModel::load_with_options(
        ModelSource::Path(model.to_path_buf()),
        manifest,
        ModelOptions { threads },
    )
    .map_err(|e| e.to_string())
}

fn line(file: &Path, result: &NudityResult) -> serde_json::Value {
    let detections: Vec<_> = result
        .detections
        .iter()
        .map(|d| json!({"label": d.label, "score": d.score, "box": [d.bbox.x, d.bbox.y, d.bbox.w, d.bbox.h]}))
        .collect();
    let t = &result.timings;
    json!({
        "file": file.display().to_string(),
        "verdict": result.verdict,
        "score": result.score,
        "detections": detections,
        "timings_ms": {
            "decode": t.decode_ms,
            "preprocess": t.preprocess_ms,
            "inference": t.inference_ms,
            "postprocess": t.postprocess_ms,
        },
    })
}

/// Checks every file; a file that cannot be read or decoded gets an `{"file", "error"}` line and
/// makes the command fail after the others are done.
pub fn run_image(args: ImageArgs) -> Result<(), String> {
    let model = load(&args.model, args.manifest.as_deref(), 1)?;
    let mut failed = 0;
    for path in &args.paths {
        let outcome = std::fs::read(path)
            .map_err(|e| format!("cannot read: {e}"))
            .and_then(|bytes| {
                model
                    .classify(&ImageInput::Encoded(bytes))
                    .map_err(|e| e.to_string())
            });
        match outcome {
            Ok(result) => println!("{}", line(path, &result)),
            Err(error) => {
                failed += 1;
                eprintln!("haven: {}: {error}", path.display());
                println!(
                    "{}",
                    json!({"file": path.display().to_string(), "error": error})
                );
            }
        }
    }
    if failed > 0 {
        return Err(format!(
            "{failed} of {} images could not be checked",
            args.paths.len()
        ));
    }
    Ok(())
}

/// Loads the model (timed), then checks the same file `runs` times from its bytes in memory and
/// prints the median; the figure alone is the last line.
pub fn run_bench_image(args: BenchImageArgs) -> Result<(), String> {
    if args.runs == 0 {
        return Err("--runs must be at least 1".into());
    }
    let started = Instant::now();
    let model = load(&args.model, args.manifest.as_deref(), args.threads)?;
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let bytes = std::fs::read(&args.path)
        .map_err(|e| format!("cannot read {}: {e}", args.path.display()))?;
    let mut samples = Vec::with_capacity(args.runs);
    for run in 0..args.runs + 2 {
        let t = Instant::now();
        // The input is built inside the timed region: a caller hands over owned bytes each time.
        let result = model
            .classify(&ImageInput::Encoded(bytes.clone()))
            .map_err(|e| e.to_string())?;
        let ms = t.elapsed().as_secs_f64() * 1e3;
        std::hint::black_box(result);
        if run >= 2 {
            samples.push(ms);
        }
    }
    samples.sort_by(f64::total_cmp);
    let median = samples[samples.len() / 2];
    println!(
        "{}: threads {}, model load {load_ms:.1} ms, runs {}, min {:.2} ms, max {:.2} ms",
        args.path.display(),
        args.threads,
        args.runs,
        samples[0],
        samples[samples.len() - 1]
    );
    println!("{median:.2}");
    Ok(())
}
