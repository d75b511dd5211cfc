//! Input limits of the image check, enforced before any pixel is decoded or allocated.

/// Largest encoded image accepted, in bytes (64 MiB). Phone cameras write 2 to 15 MB JPEGs; a larger
/// input is refused before it is parsed.
pub const MAX_ENCODED_BYTES: usize = 64 * 1024 * 1024;

/// Largest image accepted, in pixels (50 megapixels, beyond the 48 MP of current phone sensors).
/// Checked on the header's declared size before decoding, so a file claiming 50000x50000 pixels is
/// refused without allocating. A full-scale decode of this many pixels needs about 150 MB (RGB);
/// large JPEGs are decoded at reduced scale and need far less.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Longest side accepted, in pixels. Also bounds raw pixel buffers, whose sides index memory.
pub const MAX_SIDE: u32 = 32_768;

/// Largest model file accepted, in bytes (256 MiB; NudeNet 320n is 12 MB, its 640m sibling about 100 MB).
/// A path is read at most this far, so an endless file cannot exhaust memory; model bytes handed over in
/// memory are held to the same limit.
pub const MAX_MODEL_BYTES: u64 = 256 * 1024 * 1024;

/// Largest manifest accepted, in bytes (1 MiB; the NudeNet manifest is under 2 KB).
pub const MAX_MANIFEST_BYTES: usize = 1024 * 1024;

/// Most labels a manifest may list (ImageNet classifiers have 1,000; NudeNet 18).
pub const MAX_LABELS: usize = 1024;

/// Longest label, manifest name or other short manifest text, in bytes.
pub const MAX_LABEL_BYTES: usize = 128;

/// Longest `source` text of a manifest, in bytes.
pub const MAX_SOURCE_BYTES: usize = 4096;
