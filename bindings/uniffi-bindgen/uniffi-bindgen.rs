//! The UniFFI bindings generator at the workspace's pinned UniFFI version, so generated Kotlin, Swift and
//! Python always match the scaffolding compiled into `libhaven`. Run it as `cargo uniffi-bindgen ...`.

fn main() {
    uniffi::uniffi_bindgen_main()
}
