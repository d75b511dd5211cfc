//! What the teen is shown: the card ([`card`]), which card a score calls for (`policy`), its words in the teen's
//! language (`wording`) and the help resources for their region ([`resources`]).

pub mod card;
mod language;
pub(crate) mod policy;
pub mod resources;
pub(crate) mod wording;

pub use card::{Action, Intervention, InterventionKind, SuggestedAction, Topic};
pub use resources::{HelpResource, RegionResources, ResourceKind};
