//! One chat message as the engine sees it.

use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Written by the other side.
    FromContact,
    /// Written by the teen using the app.
    FromUser,
}

/// The kind of something attached to a message. The engine never sees the attachment itself here;
/// images are checked through the image calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Attachment {
    Image,
    Video,
    Audio,
    Link,
    File,
    Other,
}

/// A message to observe. Text may be empty when the message is only an attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub direction: Direction,
    pub text: String,
    /// Milliseconds since the Unix epoch (or since any fixed origin, used consistently per conversation).
    pub timestamp_ms: i64,
    pub attachments: Vec<Attachment>,
}
