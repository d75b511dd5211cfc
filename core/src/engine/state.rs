//! The versioned byte format of `Engine::export_state`: derived evidence only, never message text.
//!
//! Layout: magic `HAVN`, a little-endian u16 format version, a little-endian u64 FNV-1a checksum of the payload,
//! then the postcard-encoded payload. Anything else is refused before the engine is touched.

use serde::{Deserialize, Serialize};

use crate::assessment::SignalKind;
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
    let snapshot: Snapshot =
        postcard::from_bytes(payload).map_err(|e| Error::InvalidState(e.to_string()))?;
    for (id, state) in &snapshot.conversations {
        if id.is_empty() || id.len() > limits::MAX_CONVERSATION_ID_BYTES {
            return Err(invalid("a conversation id is out of bounds"));
        }
        let sane = state.evidence.len() <= SignalKind::ALL.len()
            && state
                .evidence
                .iter()
                .flatten()
                .all(|e| (0.0..=1.0).contains(&e.strength));
        if !sane {
            return Err(invalid("evidence out of bounds"));
        }
    }
    Ok(snapshot)
}
