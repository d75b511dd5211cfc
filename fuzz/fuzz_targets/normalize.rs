//! Fuzzes the normaliser: any text normalises without panicking, and every span of the normalised text maps
//! inside the original, in order, with UTF-16 offsets that agree with the character offsets.
#![no_main]

use haven_core::text::normalize::Normalized;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let normalized = Normalized::new(text);
    let chars: Vec<char> = text.chars().collect();
    let utf16_at = |char_index: u32| -> u32 {
        chars[..char_index as usize]
            .iter()
            .map(|c| c.len_utf16() as u32)
            .sum()
    };
    let out = normalized.text();
    let mut previous_start = 0;
    for (at, c) in out.char_indices() {
        let span = normalized.span(at, at + c.len_utf8());
        assert!(span.start <= span.end, "{span:?} reversed");
        assert!(span.end as usize <= chars.len(), "{span:?} past the end");
        assert!(span.start >= previous_start, "{span:?} out of order");
        assert_eq!(span.start_utf16, utf16_at(span.start));
        assert_eq!(span.end_utf16, utf16_at(span.end));
        previous_start = span.start;
    }
    let whole = normalized.span(0, out.len());
    assert!(whole.end as usize <= chars.len());
    // Out-of-range requests are clamped, never a panic.
    let _ = normalized.span(out.len() + 7, out.len() + 3);
});
