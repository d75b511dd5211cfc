//! Scanning one message: the assessed window of its text, normalised, matched against the rule packs, with spans
//! mapped back to the original text.

use crate::assessment::{SignalKind, Span};
use crate::limits;
use crate::message::Message;

use super::normalize::Normalized;
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
fn window(text: &str) -> Vec<(&str, (u32, u32))> {
    let half = limits::MAX_ASSESSED_CHARS / 2;
    let Some((head_end, _)) = text.char_indices().nth(limits::MAX_ASSESSED_CHARS) else {
        return vec![(text, (0, 0))];
    };
    let head_end = text.char_indices().nth(half).map_or(head_end, |(i, _)| i);
    let total_chars = text.chars().count();
    let tail_start_char = total_chars - half;
    let tail_start = text
        .char_indices()
        .nth(tail_start_char)
        .map_or(text.len(), |(i, _)| i);
    let utf16_before_tail = text[..tail_start].encode_utf16().count() as u32;
    vec![
        (&text[..head_end], (0, 0)),
        (
            &text[tail_start..],
            (tail_start_char as u32, utf16_before_tail),
        ),
    ]
}

fn shift_span(span: Span, (chars, utf16): (u32, u32)) -> Span {
    Span {
        start: span.start + chars,
        end: span.end + chars,
        start_utf16: span.start_utf16 + utf16,
        end_utf16: span.end_utf16 + utf16,
    }
}
