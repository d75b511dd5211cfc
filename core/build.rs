//! Prepares the embedded rule packs at compile time (vocab expansion, squeezing, prefilter literals), so an
//! engine starts in milliseconds and a broken pack fails the build. Every `data/rules/*.toml` is a pack.

#[path = "src/text/context.rs"]
mod context;
#[path = "src/text/pack.rs"]
mod pack;
#[path = "src/text/squeeze.rs"]
mod squeeze;

use std::path::{Path, PathBuf};

fn main() {
    println!("cargo::rerun-if-changed=data/rules");
    println!("cargo::rerun-if-changed=src/text/pack.rs");
    println!("cargo::rerun-if-changed=src/text/context.rs");
    println!("cargo::rerun-if-changed=src/text/squeeze.rs");
    let mut files: Vec<PathBuf> = std::fs::read_dir("data/rules")
        .expect("data/rules is readable")
        .map(|entry| entry.expect("data/rules entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(path).expect("rule pack is UTF-8 text");
            (name, text)
        })
        .collect();
    let sources: Vec<(&str, &str)> = texts.iter().map(|(n, t)| (&**n, &**t)).collect();
    let prepared =
        pack::prepare(&sources).unwrap_or_else(|e| panic!("rule pack {}: {}", e.file, e.reason));
    let bytes = postcard::to_stdvec(&prepared).expect("prepared packs serialise");
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("rules.postcard"), bytes).expect("OUT_DIR is writable");
}
