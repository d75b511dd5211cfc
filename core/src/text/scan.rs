//! Scanning one message: the assessed window of its text, normalised, matched against the rule packs, with spans
//! mapped back to the original text.

use crate::assessment::{SignalKind, Span};
use crate::limits;
use crate::message::Message;

use super::normalize::{is_dropped, Normalized};
use super::rules::RuleBook;

/// Matches the rule packs on the assessed window of a message.
pub(crate) fn scan(
    rules: &RuleBook,
    message: &Message,
) -> Vec<(SignalKind, f32, Option<Span>, String)> {
    let mut found = Vec::new();
    for (part, shift) in window(&message.text) {
        let normalized = Normalized::new(part);
        for hit in rules.scan(&normalized, message.direction) {
            let span = shift_span(normalized.span(hit.start, hit.end), shift);
            // Packs overlap (English words turn up in French chats): the same words count once per kind.
            match found
                .iter_mut()
                .find(|(kind, _, s, _)| *kind == hit.rule.kind && *s == Some(span))
            {
                Some(same) if same.1 >= hit.rule.weight => {}
                Some(same) => {
                    *same = (
                        hit.rule.kind,
                        hit.rule.weight,
                        Some(span),
                        hit.rule.id.clone(),
                    )
                }
                None => found.push((
                    hit.rule.kind,
                    hit.rule.weight,
                    Some(span),
                    hit.rule.id.clone(),
                )),
            }
        }
    }
    found
}

/// The parts of a text that are assessed, with the (chars, UTF-16 units) offset of each part's start.
///
/// The window counts visible characters (see [`limits::MAX_ASSESSED_CHARS`]): a text with no more than that many is
/// one part, normalised whole; a longer one gives its first and last halves of the window. Each end is found by a
/// walk of at most [`limits::MAX_WINDOW_WALK_CHARS`] raw characters, so the cost is linear in the raw text kept and
/// bounded whatever padding a message carries.
fn window(text: &str) -> Vec<(&str, (u32, u32))> {
    let half = limits::MAX_ASSESSED_CHARS / 2;
    let head_end = visible_prefix_end(text.char_indices(), half, text.len());
    if head_end == text.len() {
        return vec![(text, (0, 0))];
    }
    let tail_start = visible_prefix_end(text.char_indices().rev(), half, 0);
    if tail_start <= head_end {
        // Fewer than the whole window's visible characters: one part, normalised whole.
        return vec![(text, (0, 0))];
    }
    let before_tail = &text[..tail_start];
    let offset = (
        before_tail.chars().count() as u32,
        before_tail.encode_utf16().count() as u32,
    );
    vec![(&text[..head_end], (0, 0)), (&text[tail_start..], offset)]
}

/// Walks `chars` (forwards or backwards) until `visible` visible characters are passed, or the walk limit, and
/// returns the byte offset where the part ends (forwards) or starts (backwards); `whole` if the text runs out.
fn visible_prefix_end(
    chars: impl Iterator<Item = (usize, char)>,
    visible: usize,
    whole: usize,
) -> usize {
    let mut seen = 0;
    let mut after_space = false;
    let forwards = whole != 0;
    for (walked, (at, c)) in chars.enumerate() {
        if seen == visible || walked == limits::MAX_WINDOW_WALK_CHARS {
            // Forwards the part ends before `c`; backwards it starts after it.
            return if forwards { at } else { at + c.len_utf8() };
        }
        if is_dropped(c) {
            continue;
        }
        let space = c.is_whitespace();
        seen += usize::from(!(space && after_space));
        after_space = space;
    }
    whole
}

fn shift_span(span: Span, (chars, utf16): (u32, u32)) -> Span {
    Span {
        start: span.start + chars,
        end: span.end + chars,
        start_utf16: span.start_utf16 + utf16,
        end_utf16: span.end_utf16 + utf16,
    }
}
