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
