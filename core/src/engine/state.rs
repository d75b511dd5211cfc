//! The versioned byte format of `Engine::export_state`: derived evidence only, never message text.
//!
//! Layout: magic `HAVN`, a little-endian u16 format version, a little-endian u64 FNV-1a checksum of the payload,
//! then the postcard-encoded payload. Anything else is refused before the engine is touched.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::assessment::{SignalKind, Span};
use crate::conversation::ConversationState;
use crate::error::{Error, Result};
use crate::limits;

const MAGIC: &[u8; 4] = b"HAVN";
/// Bumped whenever the payload's shape or [`SignalKind::ALL`]'s order changes.
pub const FORMAT_VERSION: u16 = 1;
const HEADER_LEN: usize = 4 + 2 + 8;

/// What is persisted: each conversation's id and derived state, least recently active first.
#[derive(Serialize, Deserialize)]
pub struct Snapshot {
    pub conversations: Vec<(String, ConversationState)>,
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Encodes a snapshot.
pub fn encode(snapshot: &Snapshot) -> Vec<u8> {
    let payload =
        postcard::to_stdvec(snapshot).expect("in-memory serialisation of plain data cannot fail");
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    out.extend_from_slice(&fnv1a(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Decodes and validates bytes written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<Snapshot> {
    let invalid = |why: &str| Error::InvalidState(why.to_owned());
    if bytes.len() > limits::MAX_STATE_BYTES {
        return Err(invalid("larger than the state size limit"));
    }
    if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
        return Err(invalid("not Haven state (bad magic)"));
    }
    let version = u16::from_le_bytes([bytes[4], bytes[5]]);
    if version != FORMAT_VERSION {
        return Err(Error::InvalidState(format!(
            "state format version {version} is not supported (this build reads version {FORMAT_VERSION})"
        )));
    }
    let checksum = u64::from_le_bytes(bytes[6..14].try_into().expect("8 bytes"));
    let payload = &bytes[HEADER_LEN..];
    if fnv1a(payload) != checksum {
        return Err(invalid("checksum mismatch (corrupt or truncated)"));
    }
    let (snapshot, rest): (Snapshot, &[u8]) =
        postcard::take_from_bytes(payload).map_err(|e| Error::InvalidState(e.to_string()))?;
    if !rest.is_empty() {
        return Err(Error::InvalidState(format!(
            "{} unexpected bytes after the state",
            rest.len()
        )));
    }
    if snapshot.conversations.len() > limits::MAX_CONVERSATIONS {
        return Err(Error::InvalidState(format!(
            "{} conversations, more than the limit of {}",
            snapshot.conversations.len(),
            limits::MAX_CONVERSATIONS
        )));
    }
    let mut ids = HashSet::with_capacity(snapshot.conversations.len());
    for (id, state) in &snapshot.conversations {
        if id.is_empty() || id.len() > limits::MAX_CONVERSATION_ID_BYTES {
            return Err(invalid("a conversation id is out of bounds"));
        }
        if !ids.insert(id.as_str()) {
            return Err(invalid("a conversation id appears twice"));
        }
        check_conversation(state)
            .map_err(|why| Error::InvalidState(format!("conversation {id:?}: {why}")))?;
    }
    Ok(snapshot)
}

/// The limits `Engine::observe` keeps for one conversation, checked field by field: what observing can never
/// produce is refused, so an edited file cannot pin the clock, wrap the message count or hand an app a span it
/// cannot cut.
fn check_conversation(state: &ConversationState) -> std::result::Result<(), String> {
    let timestamps = 0..=limits::MAX_TIMESTAMP_MS;
    if state.messages_seen == u32::MAX {
        return Err("message count at its maximum".into());
    }
    if let Some(t) = state.last_timestamp_ms {
        if !timestamps.contains(&t) {
            return Err(format!("clock {t} ms out of range"));
        }
    }
    let clock = state.last_timestamp_ms.unwrap_or(0);
    if state.evidence.len() > SignalKind::ALL.len() {
        return Err(format!("{} evidence slots", state.evidence.len()));
    }
    for e in state.evidence.iter().flatten() {
        if !(e.strength.is_finite() && (0.0..=1.0).contains(&e.strength)) {
            return Err(format!("evidence strength {} out of 0..=1", e.strength));
        }
        if !timestamps.contains(&e.at_ms) || e.at_ms > clock {
            return Err(format!(
                "evidence dated {} ms, after the clock or out of range",
                e.at_ms
            ));
        }
        if e.message_index >= state.messages_seen.max(1) {
            return Err(format!(
                "evidence cites message {} not yet seen",
                e.message_index
            ));
        }
        if let Some(span) = e.span {
            check_span(span)?;
        }
        let rule_id = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-');
        if e.rule.len() > limits::MAX_RULE_ID_BYTES || !e.rule.chars().all(rule_id) {
            return Err("evidence cites a malformed rule id".into());
        }
    }
    Ok(())
}

/// A span `scan` can produce: ordered, UTF-16 offsets consistent with the char offsets (one or two units per
/// char), and no longer than the raw text one assessed part can span.
fn check_span(span: Span) -> std::result::Result<(), String> {
    let consistent =
        |chars: u32, utf16: u32| chars <= utf16 && u64::from(utf16) <= 2 * u64::from(chars);
    let ordered = span.start <= span.end && span.start_utf16 <= span.end_utf16;
    let short = span.end.saturating_sub(span.start) as usize <= limits::MAX_WINDOW_WALK_CHARS;
    if !(ordered
        && short
        && consistent(span.start, span.start_utf16)
        && consistent(span.end, span.end_utf16))
    {
        return Err(format!("span {span:?} is not one a message can have"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversation::Evidence;

    fn evidence(at_ms: i64) -> Evidence {
        Evidence {
            strength: 0.8,
            at_ms,
            message_index: 2,
            span: Some(Span {
                start: 3,
                end: 9,
                start_utf16: 3,
                end_utf16: 10,
            }),
            rule: "en.threat.post".into(),
        }
    }

    fn conversation() -> ConversationState {
        let mut evidence_slots = vec![None; SignalKind::ALL.len()];
        evidence_slots[1] = Some(evidence(1_000));
        ConversationState {
            contact: None,
            messages_seen: 3,
            last_timestamp_ms: Some(2_000),
            evidence: evidence_slots,
        }
    }

    fn snapshot_with(change: impl FnOnce(&mut ConversationState)) -> Vec<u8> {
        let mut state = conversation();
        change(&mut state);
        encode(&Snapshot {
            conversations: vec![("a".into(), conversation()), ("b".into(), state)],
        })
    }

    fn first_evidence(state: &mut ConversationState) -> &mut Evidence {
        state.evidence[1].as_mut().expect("set above")
    }

    #[test]
    fn a_valid_snapshot_round_trips() {
        let bytes = snapshot_with(|_| {});
        let decoded = decode(&bytes).expect("valid");
        assert_eq!(encode(&decoded), bytes);
    }

    /// Each of these re-checksummed blobs was accepted before field validation (issue 11, finding 5).
    #[test]
    fn forged_fields_behind_a_good_checksum_are_refused() {
        let forged: Vec<(&str, Vec<u8>)> = vec![
            ("count", snapshot_with(|s| s.messages_seen = u32::MAX)),
            (
                "clock max",
                snapshot_with(|s| s.last_timestamp_ms = Some(i64::MAX)),
            ),
            (
                "clock negative",
                snapshot_with(|s| s.last_timestamp_ms = Some(-1)),
            ),
            (
                "evidence min",
                snapshot_with(|s| first_evidence(s).at_ms = i64::MIN),
            ),
            (
                "evidence after clock",
                snapshot_with(|s| first_evidence(s).at_ms = 3_000),
            ),
            (
                "nan",
                snapshot_with(|s| first_evidence(s).strength = f32::NAN),
            ),
            (
                "infinite",
                snapshot_with(|s| first_evidence(s).strength = f32::INFINITY),
            ),
            (
                "unseen message",
                snapshot_with(|s| first_evidence(s).message_index = 3),
            ),
            (
                "reversed span",
                snapshot_with(|s| {
                    let span = first_evidence(s).span.as_mut().expect("set");
                    span.start = 9;
                    span.end = 3;
                }),
            ),
            (
                "utf16 before chars",
                snapshot_with(|s| {
                    first_evidence(s).span.as_mut().expect("set").end_utf16 = 2;
                }),
            ),
            (
                "huge rule id",
                snapshot_with(|s| first_evidence(s).rule = "x".repeat(8 << 20)),
            ),
            (
                "odd rule id",
                snapshot_with(|s| first_evidence(s).rule = "a b\n".into()),
            ),
            ("too many slots", snapshot_with(|s| s.evidence.push(None))),
            (
                "duplicate id",
                encode(&Snapshot {
                    conversations: vec![("a".into(), conversation()), ("a".into(), conversation())],
                }),
            ),
        ];
        for (what, bytes) in forged {
            assert!(
                matches!(decode(&bytes), Err(Error::InvalidState(_))),
                "{what} accepted"
            );
        }
    }

    #[test]
    fn trailing_bytes_and_too_many_conversations_are_refused() {
        let good = snapshot_with(|_| {});
        let mut payload = good[HEADER_LEN..].to_vec();
        payload.push(0);
        let mut trailing = good[..6].to_vec();
        trailing.extend_from_slice(&fnv1a(&payload).to_le_bytes());
        trailing.extend_from_slice(&payload);
        assert!(
            matches!(decode(&trailing), Err(Error::InvalidState(why)) if why.contains("after"))
        );

        let many = encode(&Snapshot {
            conversations: (0..=limits::MAX_CONVERSATIONS)
                .map(|k| (k.to_string(), ConversationState::default()))
                .collect(),
        });
        assert!(matches!(decode(&many), Err(Error::InvalidState(why)) if why.contains("limit")));
    }

    /// A small deterministic generator, so the property test needs no dependency and replays exactly.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// Mostly values in range, sometimes edge or hostile ones.
        fn i64(&mut self) -> i64 {
            match self.next() % 9 {
                0 => i64::MIN,
                1 => i64::MAX,
                2 => -((self.next() % 1000) as i64),
                3 => limits::MAX_TIMESTAMP_MS + (self.next() % 2) as i64,
                _ => (self.next() % 10_000) as i64,
            }
        }

        fn u32(&mut self) -> u32 {
            match self.next() % 5 {
                0 => u32::MAX,
                1 => u32::MAX - 1,
                _ => (self.next() % 12) as u32,
            }
        }
    }

    /// Property: a snapshot built from arbitrary field values is accepted exactly when every field is one
    /// `observe` could have produced (the oracle below states the limits independently of `check_conversation`),
    /// and an accepted one re-encodes to the same bytes.
    #[test]
    fn property_decode_accepts_exactly_the_states_observe_can_produce() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut accepted = 0;
        for _ in 0..50_000 {
            let clock = rng.i64();
            let messages_seen = rng.u32();
            let strength = [0.0, 0.5, 1.0, -0.1, 1.5, f32::NAN][(rng.next() % 6) as usize];
            let at_ms = rng.i64();
            let message_index = rng.u32();
            let (start, end) = (rng.u32(), rng.u32());
            // Mostly the UTF-16 offsets of ASCII text, sometimes arbitrary.
            let mut units = |chars: u32| {
                if rng.next().is_multiple_of(4) {
                    rng.u32()
                } else {
                    chars
                }
            };
            let (start_utf16, end_utf16) = (units(start), units(end));
            let rule = ["en.threat", "", "bad id", "x"][(rng.next() % 4) as usize].to_owned();
            let mut state = ConversationState {
                contact: None,
                messages_seen,
                last_timestamp_ms: Some(clock),
                evidence: vec![None; SignalKind::ALL.len()],
            };
            let span = Span {
                start,
                end,
                start_utf16,
                end_utf16,
            };
            state.evidence[(rng.next() % SignalKind::ALL.len() as u64) as usize] = Some(Evidence {
                strength,
                at_ms,
                message_index,
                span: Some(span),
                rule: rule.clone(),
            });
            let in_time = |t: i64| (0..=limits::MAX_TIMESTAMP_MS).contains(&t);
            let units_ok = |c: u32, u: u32| c <= u && u as u64 <= 2 * c as u64;
            let expected = messages_seen != u32::MAX
                && in_time(clock)
                && in_time(at_ms)
                && at_ms <= clock
                && (0.0..=1.0).contains(&strength)
                && message_index < messages_seen.max(1)
                && start <= end
                && start_utf16 <= end_utf16
                && units_ok(start, start_utf16)
                && units_ok(end, end_utf16)
                && (end - start) as usize <= limits::MAX_WINDOW_WALK_CHARS
                && !rule.contains(' ');
            let bytes = encode(&Snapshot {
                conversations: vec![("id".into(), state)],
            });
            let decoded = decode(&bytes);
            assert_eq!(decoded.is_ok(), expected, "{:?}", decoded.err());
            if let Ok(snapshot) = decoded {
                accepted += 1;
                assert_eq!(encode(&snapshot), bytes);
            }
        }
        // The generator must reach both outcomes for the property to mean anything.
        assert!(accepted > 50, "{accepted} accepted");
    }
}
