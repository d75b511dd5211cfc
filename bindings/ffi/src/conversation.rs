//! Message and contact records: what an app passes in about a conversation.

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Direction {
    /// Written by the other side.
    FromContact,
    /// Written by the teen using the app.
    FromUser,
}

/// The kind of something attached to a message. Only the kind is passed here; images themselves are checked
/// with `assess_outgoing_image` and `assess_incoming_image`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Attachment {
    /// A photo; on a message from the teen it counts as an image shared.
    Image,
    /// A video.
    Video,
    /// A voice note or audio file.
    Audio,
    /// A link.
    Link,
    /// Any other file.
    File,
    /// Anything else (stickers, locations...).
    Other,
}

/// A message to observe. Text may be empty when the message is only an attachment. The engine never keeps it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Message {
    /// Who wrote it.
    pub direction: Direction,
    /// The message text as shown to the teen.
    pub text: String,
    /// Milliseconds since the Unix epoch (0 to `Limits.max_timestamp_ms`).
    pub timestamp_ms: i64,
    /// Kinds of attachments the message carries.
    #[uniffi(default = [])]
    pub attachments: Vec<Attachment>,
}

/// What the app knows cheaply about the other side of a conversation. Unknown values neither raise nor lower
/// risk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct ContactContext {
    /// The teen and this account have not talked before (a new follower, a message request).
    #[uniffi(default = false)]
    pub new_contact: bool,
    /// Friends or followers the two accounts share.
    #[uniffi(default = None)]
    pub mutual_connections: Option<u32>,
    /// Age of the contact's account in days.
    #[uniffi(default = None)]
    pub account_age_days: Option<u32>,
    /// How long the two have been talking, in days.
    #[uniffi(default = None)]
    pub known_for_days: Option<u32>,
}

impl From<Direction> for haven_core::Direction {
    fn from(d: Direction) -> Self {
        match d {
            Direction::FromContact => haven_core::Direction::FromContact,
            Direction::FromUser => haven_core::Direction::FromUser,
        }
    }
}

impl From<Attachment> for haven_core::Attachment {
    fn from(a: Attachment) -> Self {
        use haven_core::Attachment as A;
        match a {
            Attachment::Image => A::Image,
            Attachment::Video => A::Video,
            Attachment::Audio => A::Audio,
            Attachment::Link => A::Link,
            Attachment::File => A::File,
            Attachment::Other => A::Other,
        }
    }
}

impl From<Message> for haven_core::Message {
    fn from(m: Message) -> Self {
        haven_core::Message {
            direction: m.direction.into(),
            text: m.text,
            timestamp_ms: m.timestamp_ms,
            attachments: m.attachments.into_iter().map(Into::into).collect(),
        }
    }
}

impl From<ContactContext> for haven_core::ContactContext {
    fn from(c: ContactContext) -> Self {
        haven_core::ContactContext {
            new_contact: c.new_contact,
            mutual_connections: c.mutual_connections,
            account_age_days: c.account_age_days,
            known_for_days: c.known_for_days,
        }
    }
}
