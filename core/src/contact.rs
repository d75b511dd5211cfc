//! What the app knows cheaply about the other side of a conversation.

use serde::{Deserialize, Serialize};

/// Context about a contact. Every field is optional knowledge; unknown values neither raise nor lower risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct ContactContext {
    /// The teen and this account have not talked before (a new follower, a message request).
    pub new_contact: bool,
    /// Friends or followers the two accounts share.
    pub mutual_connections: Option<u32>,
    /// Age of the contact's account in days.
    pub account_age_days: Option<u32>,
    /// How long the two have been talking, in days.
    pub known_for_days: Option<u32>,
}
