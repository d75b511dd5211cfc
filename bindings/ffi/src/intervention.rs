//! Intervention records: the card to show, its actions and the region's help resources.

/// How strongly the app should interrupt, from nothing to a full-screen crisis card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum InterventionKind {
    /// Show nothing.
    None,
    /// A light, dismissible note.
    Tip,
    /// A pause with a choice.
    Caution,
    /// A clear warning with actions.
    Warning,
    /// Help first: crisis lines and recovery steps above everything else.
    Crisis,
}

/// What the card is about; chooses its copy and actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Topic {
    /// No card.
    None,
    /// A new account with no shared friends.
    UnknownContact,
    /// Asked to switch apps.
    Migration,
    /// Secrecy, isolation, age probing from someone the teen does not know well.
    Grooming,
    /// Asked for pictures or sexual talk.
    ImageRequest,
    /// Asked to meet in person.
    MeetRequest,
    /// Threats, leverage or demands: the recovery card.
    Sextortion,
    /// The teen's own words about self-harm or suicide.
    SelfHarm,
    /// The teen is about to send a nude or suggestive image.
    OutgoingImage,
    /// A nude or suggestive image arrived.
    IncomingImage,
}

/// Something the teen can do from the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Action {
    /// Block the account.
    Block,
    /// Report the account to the app or platform.
    Report,
    /// Keep screenshots of the chat and the account before blocking.
    SaveEvidence,
    /// Tell a trusted adult or call a helpline.
    TalkToSomeone,
    /// Do not pay: paying rarely ends the threats.
    DontPay,
    /// Do not send the image.
    DontSend,
    /// Stop replying to the account.
    StopReplying,
    /// Get images taken down (such as Take It Down).
    RemoveImages,
    /// Reach crisis help now.
    GetHelpNow,
}

/// An action with its button label in the card's language.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct SuggestedAction {
    /// What the button does; the app implements it.
    pub action: Action,
    /// The button's label in the card's language.
    pub label: String,
}

/// What a help resource is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum ResourceKind {
    /// Someone to talk to now: crisis and child helplines.
    TalkToSomeone,
    /// Where to report the account or the crime.
    Report,
    /// Getting images taken down.
    ImageRemoval,
    /// Emergency services.
    Emergency,
}

/// One place to get help in the teen's region.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct HelpResource {
    /// What it is for.
    pub kind: ResourceKind,
    /// Its name, such as "988 Suicide & Crisis Lifeline".
    pub name: String,
    /// One line on what it does, in the card's language when available.
    pub description: String,
    /// Number to call, when there is one.
    pub phone: Option<String>,
    /// Number to text, when the service takes texts.
    pub sms: Option<String>,
    /// Web address, when there is one.
    pub url: Option<String>,
}

/// What to show the teen. `kind == None` means show nothing; the text fields are then empty.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct Intervention {
    /// How strongly to interrupt.
    pub kind: InterventionKind,
    /// What the card is about.
    pub topic: Topic,
    /// BCP 47 language of the copy, such as "en" or "fr".
    pub language: String,
    /// The card's title.
    pub headline: String,
    /// The card's text: what is happening and that it is not the teen's fault.
    pub body: String,
    /// Buttons to offer, most useful first.
    pub actions: Vec<SuggestedAction>,
    /// Help for the teen's region, most urgent first.
    pub resources: Vec<HelpResource>,
}

impl From<haven_core::InterventionKind> for InterventionKind {
    fn from(k: haven_core::InterventionKind) -> Self {
        use haven_core::InterventionKind as K;
        match k {
            K::None => InterventionKind::None,
            K::Tip => InterventionKind::Tip,
            K::Caution => InterventionKind::Caution,
            K::Warning => InterventionKind::Warning,
            K::Crisis => InterventionKind::Crisis,
        }
    }
}

impl From<haven_core::Topic> for Topic {
    fn from(t: haven_core::Topic) -> Self {
        use haven_core::Topic as T;
        match t {
            T::None => Topic::None,
            T::UnknownContact => Topic::UnknownContact,
            T::Migration => Topic::Migration,
            T::Grooming => Topic::Grooming,
            T::ImageRequest => Topic::ImageRequest,
            T::MeetRequest => Topic::MeetRequest,
            T::Sextortion => Topic::Sextortion,
            T::SelfHarm => Topic::SelfHarm,
            T::OutgoingImage => Topic::OutgoingImage,
            T::IncomingImage => Topic::IncomingImage,
        }
    }
}

impl From<haven_core::Action> for Action {
    fn from(a: haven_core::Action) -> Self {
        use haven_core::Action as A;
        match a {
            A::Block => Action::Block,
            A::Report => Action::Report,
            A::SaveEvidence => Action::SaveEvidence,
            A::TalkToSomeone => Action::TalkToSomeone,
            A::DontPay => Action::DontPay,
            A::DontSend => Action::DontSend,
            A::StopReplying => Action::StopReplying,
            A::RemoveImages => Action::RemoveImages,
            A::GetHelpNow => Action::GetHelpNow,
        }
    }
}

impl From<haven_core::ResourceKind> for ResourceKind {
    fn from(k: haven_core::ResourceKind) -> Self {
        use haven_core::ResourceKind as K;
        match k {
            K::TalkToSomeone => ResourceKind::TalkToSomeone,
            K::Report => ResourceKind::Report,
            K::ImageRemoval => ResourceKind::ImageRemoval,
            K::Emergency => ResourceKind::Emergency,
        }
    }
}

impl From<haven_core::HelpResource> for HelpResource {
    fn from(r: haven_core::HelpResource) -> Self {
        HelpResource {
            kind: r.kind.into(),
            name: r.name,
            description: r.description,
            phone: r.phone,
            sms: r.sms,
            url: r.url,
        }
    }
}

impl From<haven_core::Intervention> for Intervention {
    fn from(i: haven_core::Intervention) -> Self {
        Intervention {
            kind: i.kind.into(),
            topic: i.topic.into(),
            language: i.language,
            headline: i.headline,
            body: i.body,
            actions: i
                .actions
                .into_iter()
                .map(|a| SuggestedAction {
                    action: a.action.into(),
                    label: a.label,
                })
                .collect(),
            resources: i.resources.into_iter().map(Into::into).collect(),
        }
    }
}
