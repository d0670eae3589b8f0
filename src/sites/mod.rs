//! The council register: load and validate a sites file (`sites.csv`).
//!
//! A sites file lists the councils to survey, one per line, with the Better Connected council type
//! that decides which tasks and services apply. This module parses and validates the file into
//! [`Site`]s; it does no network I/O. Every problem in a file is reported at once, each naming the
//! file, the line and the field. [`derive`] rebuilds the shipped `sites.csv` from public sources.

pub mod derive;
mod select;

pub use select::{Selection, SelectionError};

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use url::Url;

/// The columns every sites file must have, in any order. Extra columns are ignored.
pub const REQUIRED_COLUMNS: &[&str] = &["slug", "name", "type", "homepage_url"];

/// The columns of the shipped register, in the order [`derive`] writes them.
pub const REGISTER_COLUMNS: &[&str] = &[
    "slug",
    "name",
    "gss",
    "type",
    "tier",
    "nation",
    "region",
    "parent_slug",
    "homepage_url",
    "population",
    "shared_with",
];

/// A council type as Better Connected classified councils.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CouncilType {
    /// English county council (upper tier of a two-tier area).
    CC,
    /// English shire district (lower tier of a two-tier area).
    SD,
    /// English metropolitan district.
    MD,
    /// English unitary authority.
    EU,
    /// London borough, including the City of London.
    LB,
    /// Scottish unitary council.
    SU,
    /// Welsh unitary council.
    WU,
    /// Northern Ireland district council.
    NI,
}

impl CouncilType {
    /// Every type, in the order reports list them.
    pub const ALL: [CouncilType; 8] = [
        CouncilType::CC,
        CouncilType::SD,
        CouncilType::MD,
        CouncilType::EU,
        CouncilType::LB,
        CouncilType::SU,
        CouncilType::WU,
        CouncilType::NI,
    ];

    /// The two-letter code used in files and reports.
    pub fn code(self) -> &'static str {
        match self {
            CouncilType::CC => "CC",
            CouncilType::SD => "SD",
            CouncilType::MD => "MD",
            CouncilType::EU => "EU",
            CouncilType::LB => "LB",
            CouncilType::SU => "SU",
            CouncilType::WU => "WU",
            CouncilType::NI => "NI",
        }
    }

    /// A human name for the type.
    pub fn label(self) -> &'static str {
        match self {
            CouncilType::CC => "County council",
            CouncilType::SD => "Shire district",
            CouncilType::MD => "Metropolitan district",
            CouncilType::EU => "English unitary",
            CouncilType::LB => "London borough",
            CouncilType::SU => "Scottish council",
            CouncilType::WU => "Welsh council",
            CouncilType::NI => "Northern Ireland district",
        }
    }

    /// The type as a plural noun in a sentence: "3 of 12 shire district councils".
    pub fn plural(self) -> &'static str {
        match self {
            CouncilType::CC => "county councils",
            CouncilType::SD => "shire district councils",
            CouncilType::MD => "metropolitan district councils",
            CouncilType::EU => "English unitary councils",
            CouncilType::LB => "London borough councils",
            CouncilType::SU => "Scottish councils",
            CouncilType::WU => "Welsh councils",
            CouncilType::NI => "Northern Ireland district councils",
        }
    }

    /// Whether the type is one tier of a two-tier area (county or shire district).
    pub fn is_two_tier(self) -> bool {
        matches!(self, CouncilType::CC | CouncilType::SD)
    }
}

impl fmt::Display for CouncilType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for CouncilType {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_uppercase();
        CouncilType::ALL
            .into_iter()
            .find(|t| t.code() == code)
            .ok_or_else(|| {
                format!(
                    "unknown council type `{s}` (expected one of {})",
                    CouncilType::ALL.map(|t| t.code()).join(", ")
                )
            })
    }
}

/// One council to survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// A short unique identifier, e.g. `leeds`.
    pub slug: String,
    /// The council's name, e.g. `Leeds City Council`.
    pub name: String,
    /// The ONS GSS code, where known.
    pub gss: Option<String>,
    /// The Better Connected council type.
    pub council_type: CouncilType,
    /// `county`, `district` or `unitary`, where known.
    pub tier: Option<String>,
    /// England, Scotland, Wales or Northern Ireland, where known.
    pub nation: Option<String>,
    /// The ONS region (the nation outside England), where known.
    pub region: Option<String>,
    /// The slug of the county over a shire district.
    pub parent_slug: Option<String>,
    /// The home page the crawl starts from.
    pub homepage: Url,
    /// Population (mid-2020 estimate), where known.
    pub population: Option<u64>,
    /// The slug of a council that shares this council's website.
    pub shared_with: Option<String>,
}

impl Site {
    /// A minimal site, for tests and for `civicscan check`.
    pub fn new(slug: &str, name: &str, council_type: CouncilType, homepage: Url) -> Site {
        Site {
            slug: slug.to_string(),
            name: name.to_string(),
            gss: None,
            council_type,
            tier: None,
            nation: None,
            region: None,
            parent_slug: None,
            homepage,
            population: None,
            shared_with: None,
        }
    }
}

/// One problem found in a sites file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The 1-based line of the file (the header is line 1); 0 for the file as a whole.
    pub line: u64,
    /// The column the problem is in, if any.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Why a sites file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum SitesError {
    /// The file could not be read.
    #[error("{path}: cannot read the sites file: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file was read but has problems; each is listed.
    #[error("{}", render_problems(.path, .problems))]
    Invalid {
        /// The file.
        path: String,
        /// Every problem found, in line order.
        problems: Vec<Problem>,
    },
}

fn render_problems(path: &str, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| match &p.field {
            Some(field) => format!("{path}:{}: field `{field}`: {}", p.line, p.message),
            None if p.line > 0 => format!("{path}:{}: {}", p.line, p.message),
            None => format!("{path}: {}", p.message),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the shipped register, `sites.csv`.
pub const REGISTER_TEXT: &str = include_str!("../../sites.csv");

/// The shipped register of UK principal councils (tested to be valid: tests/foundation.rs).
pub fn register() -> Vec<Site> {
    parse(REGISTER_TEXT, "sites.csv (built in)").unwrap_or_default()
}

/// Loads and validates a sites file.
pub fn load(path: &Path) -> Result<Vec<Site>, SitesError> {
    let text = std::fs::read_to_string(path).map_err(|source| SitesError::Io {
        path: path.display().to_string(),
        source,
    })?;
    parse(&text, &path.display().to_string())
}

/// Parses and validates the text of a sites file; `source` names it in errors.
pub fn parse(text: &str, source: &str) -> Result<Vec<Site>, SitesError> {
    if let Some(problem) = runaway_quote(text) {
        // Everything after an unclosed quote is one field to a CSV reader, so its own error
        // would name the wrong line and the wrong fault.
        return Err(SitesError::Invalid {
            path: source.to_string(),
            problems: vec![problem],
        });
    }
    let mut problems = Vec::new();
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            return Err(SitesError::Invalid {
                path: source.to_string(),
                problems: vec![Problem {
                    line: 1,
                    field: None,
                    message: format!("cannot read the header: {e}"),
                }],
            });
        }
    };
    let index: HashMap<&str, usize> = headers.iter().enumerate().map(|(i, h)| (h, i)).collect();
    for column in REQUIRED_COLUMNS {
        if !index.contains_key(column) {
            problems.push(Problem {
                line: 1,
                field: Some((*column).to_string()),
                message: format!("missing column `{column}` in the header"),
            });
        }
    }
    if !problems.is_empty() {
        return Err(SitesError::Invalid {
            path: source.to_string(),
            problems,
        });
    }

    let mut sites = Vec::new();
    let mut slugs: HashMap<String, u64> = HashMap::new();
    let mut urls: HashMap<String, (u64, String)> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                problems.push(Problem {
                    line,
                    field: None,
                    message: format!("malformed CSV row: {e}"),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |name: &str| -> Option<&str> {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .filter(|v| !v.is_empty())
        };
        let mut row_ok = true;
        let mut fail = |field: &str, message: String| {
            problems.push(Problem {
                line,
                field: Some(field.to_string()),
                message,
            });
        };

        let slug = get("slug").unwrap_or_default().to_string();
        if slug.is_empty() {
            fail("slug", "empty slug".into());
            row_ok = false;
        } else if !is_slug(&slug) {
            fail(
                "slug",
                format!("`{slug}` must be lower-case letters, digits and hyphens"),
            );
            row_ok = false;
        } else if let Some(first) = slugs.get(&slug) {
            fail(
                "slug",
                format!("duplicate slug `{slug}` (first on line {first})"),
            );
            row_ok = false;
        } else {
            slugs.insert(slug.clone(), line);
        }

        let name = get("name").unwrap_or_default().to_string();
        if name.is_empty() {
            fail("name", "empty name".into());
            row_ok = false;
        }

        let council_type = match get("type").unwrap_or_default().parse::<CouncilType>() {
            Ok(t) => Some(t),
            Err(e) => {
                fail("type", e);
                row_ok = false;
                None
            }
        };

        let homepage = match parse_homepage(get("homepage_url").unwrap_or_default()) {
            Ok(u) => Some(u),
            Err(e) => {
                fail("homepage_url", e);
                row_ok = false;
                None
            }
        };
        let shared_with = get("shared_with").map(str::to_string);
        if let Some(url) = &homepage {
            let key = url_key(url);
            if let Some((first, first_slug)) = urls.get(&key) {
                // Some councils share one website; the file must say so on both rows.
                let declared = shared_with.as_deref() == Some(first_slug.as_str());
                if !declared {
                    fail(
                        "homepage_url",
                        format!(
                            "duplicate URL {url} (first on line {first}, `{first_slug}`); \
                             if the two councils share a website, name each other in `shared_with`"
                        ),
                    );
                    row_ok = false;
                }
            } else {
                urls.insert(key, (line, slug.clone()));
            }
        }

        let population = match get("population") {
            None => None,
            Some(p) => match p.parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Some(v.round() as u64),
                _ => {
                    fail("population", format!("`{p}` is not a number"));
                    row_ok = false;
                    None
                }
            },
        };

        if let (true, Some(council_type), Some(homepage)) = (row_ok, council_type, homepage) {
            sites.push(Site {
                slug,
                name,
                gss: get("gss").map(str::to_string),
                council_type,
                tier: get("tier").map(str::to_string),
                nation: get("nation").map(str::to_string),
                region: get("region").map(str::to_string),
                parent_slug: get("parent_slug").map(str::to_string),
                homepage,
                population,
                shared_with,
            });
        }
    }

    // References to other councils must be slugs, but need not be in this file: a subset of the
    // register (a county's districts without the county) is a valid sites file.
    for site in &sites {
        for (field, target) in [
            ("parent_slug", &site.parent_slug),
            ("shared_with", &site.shared_with),
        ] {
            if let Some(target) = target
                && !is_slug(target)
            {
                problems.push(Problem {
                    line: slugs.get(&site.slug).copied().unwrap_or(0),
                    field: Some(field.to_string()),
                    message: format!(
                        "`{target}` is not a slug (lower-case letters, digits and hyphens)"
                    ),
                });
            }
        }
    }

    if sites.is_empty() && problems.is_empty() {
        problems.push(Problem {
            line: 0,
            field: None,
            message: "the file lists no sites".into(),
        });
    }
    if problems.is_empty() {
        Ok(sites)
    } else {
        problems.sort_by_key(|p| p.line);
        Err(SitesError::Invalid {
            path: source.to_string(),
            problems,
        })
    }
}

/// A quoted field that runs past the end of its line: no field of a sites file holds a line
/// break, so it is a missing closing quote, reported on the line where the quote opens.
fn runaway_quote(text: &str) -> Option<Problem> {
    let mut line = 1u64;
    let mut opened_on = None;
    let mut at_field_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (opened_on, c) {
            (None, '"') if at_field_start => {
                opened_on = Some(line);
                at_field_start = false;
            }
            (Some(_), '"') if chars.peek() == Some(&'"') => {
                chars.next(); // an escaped quote inside a quoted field
            }
            (Some(_), '"') => opened_on = None,
            (Some(start), '\n') => {
                return Some(Problem {
                    line: start,
                    field: None,
                    message: format!(
                        "a quoted field opens on this line and is not closed before line {} (a missing `\"`?)",
                        line + 1
                    ),
                });
            }
            (None, ',') => at_field_start = true,
            (None, '\n') => {
                at_field_start = true;
                line += 1;
            }
            (None, '\r') => {}
            _ => at_field_start = false,
        }
    }
    opened_on.map(|start| Problem {
        line: start,
        field: None,
        message: "a quoted field opens on this line and is never closed (a missing `\"`?)".into(),
    })
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Parses a homepage URL, accepting only absolute http(s) URLs with a host and no credentials.
pub fn parse_homepage(raw: &str) -> Result<Url, String> {
    if raw.is_empty() {
        return Err("empty URL".into());
    }
    let url = Url::parse(raw).map_err(|e| format!("`{raw}` is not a valid URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("`{raw}` must be an http or https URL"));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("`{raw}` has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(format!("`{raw}` must not carry a user name or password"));
    }
    Ok(url)
}

/// The form under which two homepage URLs count as the same site.
fn url_key(url: &Url) -> String {
    let host = url
        .host_str()
        .unwrap_or_default()
        .trim_start_matches("www.");
    // A non-default port is another site (test and demo webs serve councils from one host).
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{host}{port}{}", url.path().trim_end_matches('/'))
}

/// How many sites of each type a file holds.
pub fn counts_by_type(sites: &[Site]) -> BTreeMap<CouncilType, usize> {
    let mut counts = BTreeMap::new();
    for site in sites {
        *counts.entry(site.council_type).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "slug,name,type,homepage_url\n";

    fn problems(text: &str) -> Vec<String> {
        match parse(text, "test.csv") {
            Ok(_) => vec![],
            Err(e) => e.to_string().lines().map(str::to_string).collect(),
        }
    }

    #[test]
    fn accepts_a_minimal_file() {
        let sites = parse(
            &format!("{HEADER}leeds,Leeds City Council,MD,https://www.leeds.gov.uk/\n"),
            "t",
        )
        .unwrap();
        assert_eq!(sites[0].council_type, CouncilType::MD);
        assert_eq!(sites[0].homepage.as_str(), "https://www.leeds.gov.uk/");
    }

    #[test]
    fn names_line_and_field_of_an_unknown_type() {
        let p = problems(&format!("{HEADER}a,A,XX,https://a.gov.uk/\n"));
        assert_eq!(p.len(), 1);
        assert!(
            p[0].starts_with("test.csv:2: field `type`: unknown council type `XX`"),
            "{p:?}"
        );
    }

    #[test]
    fn rejects_bad_and_duplicate_urls() {
        let p = problems(&format!(
            "{HEADER}a,A,SD,ftp://a.gov.uk/\nb,B,SD,not a url\nc,C,SD,https://c.gov.uk/\nd,D,SD,https://www.c.gov.uk\n"
        ));
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(p[0].starts_with("test.csv:2: field `homepage_url`"));
        assert!(p[1].starts_with("test.csv:3: field `homepage_url`"));
        assert!(
            p[2].starts_with("test.csv:5: field `homepage_url`: duplicate URL"),
            "{p:?}"
        );
    }

    #[test]
    fn sites_on_other_ports_of_one_host_are_not_duplicates() {
        let p = problems(&format!(
            "{HEADER}a,A,SD,http://127.0.0.1:8001/\nb,B,SD,http://127.0.0.1:8002/\nc,C,SD,http://127.0.0.1:8001\n"
        ));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("duplicate URL"), "{p:?}");
    }

    #[test]
    fn allows_a_shared_website_when_declared() {
        let text = "slug,name,type,homepage_url,shared_with\n\
                    adur,Adur,SD,https://www.adur-worthing.gov.uk/,worthing\n\
                    worthing,Worthing,SD,https://www.adur-worthing.gov.uk/,adur\n";
        assert_eq!(parse(text, "t").unwrap().len(), 2);
    }

    #[test]
    fn rejects_a_duplicate_slug() {
        let p = problems(&format!(
            "{HEADER}a,A,SD,https://a.gov.uk/\na,B,SD,https://b.gov.uk/\n"
        ));
        assert_eq!(
            p,
            vec!["test.csv:3: field `slug`: duplicate slug `a` (first on line 2)"]
        );
    }

    #[test]
    fn names_a_missing_column() {
        let p = problems("slug,name,homepage_url\na,A,https://a.gov.uk/\n");
        assert_eq!(
            p,
            vec!["test.csv:1: field `type`: missing column `type` in the header"]
        );
    }

    #[test]
    fn names_a_ragged_row() {
        let p = problems(&format!("{HEADER}a,A,SD\n"));
        assert_eq!(p.len(), 1);
        assert!(p[0].starts_with("test.csv:2: malformed CSV row"), "{p:?}");
    }

    #[test]
    fn names_the_line_of_an_unclosed_quote() {
        let p = problems(&format!(
            "{HEADER}a,\"A,SD,https://a.gov.uk/\nb,B,SD,https://b.gov.uk/\nc,C,SD,https://c.gov.uk/\n"
        ));
        assert_eq!(
            p,
            vec![
                "test.csv:2: a quoted field opens on this line and is not closed before line 3 (a missing `\"`?)"
            ]
        );
        let p = problems(&format!("{HEADER}a,A,SD,https://a.gov.uk/\nb,\"B"));
        assert_eq!(
            p,
            vec![
                "test.csv:3: a quoted field opens on this line and is never closed (a missing `\"`?)"
            ]
        );
        // Quotes that close, and escaped quotes, are fine.
        assert!(
            problems(&format!(
                "{HEADER}a,\"A \"\"the\"\" council, of A\",SD,https://a.gov.uk/\n"
            ))
            .is_empty()
        );
    }

    #[test]
    fn accepts_a_parent_outside_the_file_but_not_a_malformed_one() {
        assert!(
            problems("slug,name,type,homepage_url,parent_slug\na,A,SD,https://a.gov.uk/,kent\n")
                .is_empty()
        );
        let p = problems(
            "slug,name,type,homepage_url,parent_slug\na,A,SD,https://a.gov.uk/,West Sussex\n",
        );
        assert_eq!(
            p,
            vec![
                "test.csv:2: field `parent_slug`: `West Sussex` is not a slug (lower-case letters, digits and hyphens)"
            ]
        );
    }
}
