//! Fuzzes model manifest parsing and validation: any JSON-ish text gives a manifest or an error, never a panic
//! or a long stall.
#![no_main]

use haven_core::image::ModelManifest;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|json: &str| {
    if let Ok(manifest) = ModelManifest::from_json(json) {
        // `from_json` validates: a manifest it returns must pass validation again, unchanged.
        assert!(
            manifest.validate().is_ok(),
            "from_json returned a manifest that does not validate"
        );
        assert!(!manifest.output.labels().is_empty());
    }
});
