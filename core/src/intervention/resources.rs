//! Help resources by region, from the embedded `data/resources.toml`.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::language::FALLBACK_LANGUAGE;
use crate::error::{Error, Result};

/// What a resource is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

/// One place to get help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HelpResource {
    pub kind: ResourceKind,
    pub name: String,
    /// One line on what it does, in the card's language when the data has it.
    pub description: String,
    pub phone: Option<String>,
    /// Number to text, when the service takes texts.
    pub sms: Option<String>,
    pub url: Option<String>,
}

const RESOURCES_SOURCE: &str = include_str!("../../data/resources.toml");

#[derive(Deserialize)]
struct ResourcesFile {
    regions: Vec<RegionFile>,
    fallback: FallbackFile,
}

#[derive(Deserialize)]
struct RegionFile {
    codes: Vec<String>,
    resources: Vec<ResourceFile>,
}

#[derive(Deserialize)]
struct FallbackFile {
    resources: Vec<ResourceFile>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct ResourceFile {
    kind: ResourceKind,
    name: String,
    phone: Option<String>,
    sms: Option<String>,
    url: Option<String>,
    description: HashMap<String, String>,
}

impl ResourceFile {
    fn localized(&self, language: &str) -> HelpResource {
        let description = self
            .description
            .get(language)
            .or_else(|| self.description.get(FALLBACK_LANGUAGE))
            .cloned()
            .unwrap_or_default();
        HelpResource {
            kind: self.kind,
            name: self.name.clone(),
            description,
            phone: self.phone.clone(),
            sms: self.sms.clone(),
            url: self.url.clone(),
        }
    }
}

/// The help resources for one region and language, resolved once per engine.
#[derive(Debug, Clone)]
pub struct RegionResources {
    resources: Vec<HelpResource>,
}

impl RegionResources {
    /// Resources for `region` (ISO 3166-1 alpha-2) with descriptions in `language`. A region's own list comes
    /// first; the worldwide fallback fills in each kind the region lacks, and serves unlisted regions.
    pub fn resolve(region: &str, language: &str) -> Result<RegionResources> {
        let file: ResourcesFile =
            toml::from_str(RESOURCES_SOURCE).map_err(|e| Error::InvalidData {
                file: "resources.toml".into(),
                reason: e.to_string(),
            })?;
        let own = file
            .regions
            .iter()
            .find(|r| r.codes.iter().any(|c| c.eq_ignore_ascii_case(region)))
            .map(|r| r.resources.as_slice())
            .unwrap_or_default();
        let mut resources: Vec<HelpResource> = own.iter().map(|r| r.localized(language)).collect();
        for r in &file.fallback.resources {
            if own.iter().all(|o| o.kind != r.kind) {
                resources.push(r.localized(language));
            }
        }
        Ok(RegionResources { resources })
    }

    /// The resources of the given kinds, in the order of `kinds`, then file order within a kind.
    pub fn select(&self, kinds: &[ResourceKind]) -> Vec<HelpResource> {
        kinds
            .iter()
            .flat_map(|k| self.resources.iter().filter(move |r| r.kind == *k).cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_resolves_with_each_kind_of_help() {
        let file: ResourcesFile = toml::from_str(RESOURCES_SOURCE).expect("resources.toml parses");
        let codes: Vec<&String> = file.regions.iter().flat_map(|r| &r.codes).collect();
        assert!(codes.len() >= 6);
        for code in codes.iter().map(|c| c.as_str()).chain(["ZZ"]) {
            for language in ["en", "fr", "es"] {
                let r = RegionResources::resolve(code, language).unwrap();
                for kind in [
                    ResourceKind::TalkToSomeone,
                    ResourceKind::Report,
                    ResourceKind::ImageRemoval,
                ] {
                    let found = r.select(&[kind]);
                    assert!(!found.is_empty(), "{code}: no {kind:?}");
                    assert!(
                        found.iter().all(|x| !x.description.is_empty()),
                        "{code}/{language}: empty description"
                    );
                }
            }
        }
    }

    #[test]
    fn a_region_lists_its_own_services_before_the_worldwide_ones() {
        let us = RegionResources::resolve("US", "en").unwrap();
        let talk = us.select(&[ResourceKind::TalkToSomeone]);
        assert!(talk[0].name.contains("988"), "{talk:?}");
    }
}
