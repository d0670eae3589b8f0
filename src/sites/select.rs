//! Picking councils from a register: `--only SLUG,…`, `--type T,…` and `--nation N,…`.
//!
//! A selection is stored with a run, so a resumed run surveys exactly the councils it started
//! with. Every criterion given must match something in the file; a slug or nation that matches
//! nothing is an error naming it (a typo must not silently shrink a national run).

use serde::{Deserialize, Serialize};

use super::{CouncilType, Site};

/// Which councils of a sites file to survey. Empty criteria select everything; criteria of
/// different kinds must all hold (`--type SD --nation England`); values of one kind are
/// alternatives (`--type SD,CC`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Slugs to survey.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub only: Vec<String>,
    /// Council types to survey.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<CouncilType>,
    /// Nations to survey (as the file's `nation` column names them, any case).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nations: Vec<String>,
}

/// Why a selection cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectionError {
    /// `--only` names a slug the file does not have.
    #[error("{file}: --only {slug}: no council has that slug{}", hint(.suggestion))]
    UnknownSlug {
        /// The sites file.
        file: String,
        /// The slug asked for.
        slug: String,
        /// A slug in the file that looks like it.
        suggestion: Option<String>,
    },
    /// `--nation` names a nation no council of the file is in.
    #[error("{file}: --nation {nation}: no council is in that nation (the file has: {known})")]
    UnknownNation {
        /// The sites file.
        file: String,
        /// The nation asked for.
        nation: String,
        /// The nations the file has.
        known: String,
    },
    /// The criteria together match no council.
    #[error("{file}: no council matches {selection}")]
    Empty {
        /// The sites file.
        file: String,
        /// The criteria, as flags.
        selection: String,
    },
}

fn hint(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

impl Selection {
    /// Whether the selection keeps every council.
    pub fn is_all(&self) -> bool {
        self.only.is_empty() && self.types.is_empty() && self.nations.is_empty()
    }

    /// The selection as command-line flags (`--only a,b --type SD`), for messages.
    pub fn flags(&self) -> String {
        let mut out = Vec::new();
        if !self.only.is_empty() {
            out.push(format!("--only {}", self.only.join(",")));
        }
        if !self.types.is_empty() {
            let codes: Vec<&str> = self.types.iter().map(|t| t.code()).collect();
            out.push(format!("--type {}", codes.join(",")));
        }
        if !self.nations.is_empty() {
            out.push(format!("--nation {}", self.nations.join(",")));
        }
        out.join(" ")
    }

    /// The councils of `sites` (read from `file`) the selection keeps, in file order.
    pub fn apply(&self, sites: Vec<Site>, file: &str) -> Result<Vec<Site>, SelectionError> {
        if self.is_all() {
            return Ok(sites);
        }
        for slug in &self.only {
            if !sites.iter().any(|s| &s.slug == slug) {
                return Err(SelectionError::UnknownSlug {
                    file: file.to_string(),
                    slug: slug.clone(),
                    suggestion: closest(slug, sites.iter().map(|s| s.slug.as_str())),
                });
            }
        }
        for nation in &self.nations {
            if !sites.iter().any(|s| {
                s.nation
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(nation))
            }) {
                let mut known: Vec<&str> =
                    sites.iter().filter_map(|s| s.nation.as_deref()).collect();
                known.sort_unstable();
                known.dedup();
                return Err(SelectionError::UnknownNation {
                    file: file.to_string(),
                    nation: nation.clone(),
                    known: if known.is_empty() {
                        "no nation column".into()
                    } else {
                        known.join(", ")
                    },
                });
            }
        }
        let kept: Vec<Site> = sites.into_iter().filter(|s| self.keeps(s)).collect();
        if kept.is_empty() {
            return Err(SelectionError::Empty {
                file: file.to_string(),
                selection: self.flags(),
            });
        }
        Ok(kept)
    }

    fn keeps(&self, site: &Site) -> bool {
        (self.only.is_empty() || self.only.contains(&site.slug))
            && (self.types.is_empty() || self.types.contains(&site.council_type))
            && (self.nations.is_empty()
                || site
                    .nation
                    .as_deref()
                    .is_some_and(|n| self.nations.iter().any(|x| x.eq_ignore_ascii_case(n))))
    }
}

/// The candidate nearest to `wanted` by edit distance, when it is near enough to be a typo.
fn closest<'a>(wanted: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    candidates
        .map(|c| (edit_distance(wanted, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 5))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(row[j + 1])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register() -> Vec<Site> {
        let text = "slug,name,type,nation,parent_slug,homepage_url\n\
            kent,Kent County Council,CC,England,,https://www.kent.gov.uk/\n\
            ashford,Ashford Borough Council,SD,England,kent,https://www.ashford.gov.uk/\n\
            cardiff,Cardiff Council,WU,Wales,,https://www.cardiff.gov.uk/\n\
            fife,Fife Council,SU,Scotland,,https://www.fife.gov.uk/\n";
        super::super::parse(text, "sites.csv").unwrap()
    }

    fn slugs(sites: &[Site]) -> Vec<&str> {
        sites.iter().map(|s| s.slug.as_str()).collect()
    }

    #[test]
    fn criteria_of_one_kind_are_alternatives_and_kinds_combine() {
        let pick = Selection {
            types: vec![CouncilType::SD, CouncilType::WU],
            nations: vec!["wales".into()],
            ..Default::default()
        };
        assert_eq!(
            slugs(&pick.apply(register(), "sites.csv").unwrap()),
            ["cardiff"]
        );
        let only = Selection {
            only: vec!["fife".into(), "ashford".into()],
            ..Default::default()
        };
        // File order, not the order asked.
        assert_eq!(
            slugs(&only.apply(register(), "sites.csv").unwrap()),
            ["ashford", "fife"]
        );
        assert_eq!(
            Selection::default().apply(register(), "x").unwrap().len(),
            4
        );
    }

    #[test]
    fn a_slug_or_nation_that_matches_nothing_is_an_error_naming_it() {
        let typo = Selection {
            only: vec!["ashfrd".into()],
            ..Default::default()
        };
        assert_eq!(
            typo.apply(register(), "sites.csv").unwrap_err().to_string(),
            "sites.csv: --only ashfrd: no council has that slug (did you mean `ashford`?)"
        );
        let nation = Selection {
            nations: vec!["Cymru".into()],
            ..Default::default()
        };
        assert_eq!(
            nation
                .apply(register(), "sites.csv")
                .unwrap_err()
                .to_string(),
            "sites.csv: --nation Cymru: no council is in that nation (the file has: England, Scotland, Wales)"
        );
        let none = Selection {
            types: vec![CouncilType::LB],
            ..Default::default()
        };
        assert_eq!(
            none.apply(register(), "sites.csv").unwrap_err().to_string(),
            "sites.csv: no council matches --type LB"
        );
    }

    #[test]
    fn a_district_is_selected_without_its_county() {
        let pick = Selection {
            only: vec!["ashford".into()],
            ..Default::default()
        };
        let sites = pick.apply(register(), "sites.csv").unwrap();
        assert_eq!(sites[0].parent_slug.as_deref(), Some("kent"));
    }
}
