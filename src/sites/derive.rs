//! Rebuilds the shipped `sites.csv` from its public sources, so it can be re-derived each year.
//!
//! Sources (see README.md for credits and licences):
//! - GOV.UK Local Links Manager `data/local-authorities.csv` (Open Government Licence v3.0):
//!   the current principal councils with their GSS code, tier, parent and homepage URL;
//! - mySociety `uk_local_authority_names_and_codes` `data/uk_local_authorities.csv` (CC BY 4.0):
//!   official names, region, nation, former GSS codes and population.
//!
//! The join is on GSS code, falling back to mySociety's former codes. Two Local Links Manager rows
//! still carry the county codes of councils that became unitary in 2023, mapped here by hand.
//! The Better Connected type comes from the GSS prefix alone.

use std::collections::HashMap;
use std::path::Path;

use super::{CouncilType, REGISTER_COLUMNS};

/// Codes the Local Links Manager file has not yet caught up with (checked 2026-08).
const GSS_FIXES: &[(&str, &str)] = &[
    ("E10000023", "E06000065"), // North Yorkshire became a unitary council in April 2023.
    ("E10000027", "E06000066"), // Somerset became a unitary council in April 2023.
];

/// Why the register could not be derived.
#[derive(Debug, thiserror::Error)]
pub enum DeriveError {
    /// A source file could not be read or parsed.
    #[error("{path}: {message}")]
    Source {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// A council in the Local Links Manager file has no match in mySociety's file.
    #[error(
        "{path}:{line}: GSS code `{gss}` ({name}) matches no current or former code in the mySociety file"
    )]
    Unmatched {
        /// The Local Links Manager file.
        path: String,
        /// Its line.
        line: u64,
        /// The code that did not match.
        gss: String,
        /// The council's name.
        name: String,
    },
    /// A GSS prefix that is not a principal council.
    #[error("{path}:{line}: GSS code `{gss}` has no Better Connected council type")]
    UnknownPrefix {
        /// The Local Links Manager file.
        path: String,
        /// Its line.
        line: u64,
        /// The code.
        gss: String,
    },
}

/// The Better Connected type for a GSS code, by its prefix.
pub fn type_for_gss(gss: &str) -> Option<CouncilType> {
    Some(match gss.get(..3)? {
        "E10" => CouncilType::CC,
        "E07" => CouncilType::SD,
        "E06" => CouncilType::EU,
        "E08" => CouncilType::MD,
        "E09" => CouncilType::LB,
        "S12" => CouncilType::SU,
        "W06" => CouncilType::WU,
        "N09" => CouncilType::NI,
        _ => return None,
    })
}

/// A CSV row as column → value, with its line.
type Row = (u64, HashMap<String, String>);

fn read_rows(path: &Path) -> Result<Vec<Row>, DeriveError> {
    let err = |message: String| DeriveError::Source {
        path: path.display().to_string(),
        message,
    };
    let mut reader = csv::Reader::from_path(path).map_err(|e| err(e.to_string()))?;
    let headers = reader.headers().map_err(|e| err(e.to_string()))?.clone();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| err(e.to_string()))?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| (h.to_string(), v.trim().to_string()))
            .collect();
        rows.push((line, row));
    }
    Ok(rows)
}

/// Joins the two sources and returns the text of `sites.csv`.
pub fn derive(links_manager: &Path, mysociety: &Path) -> Result<String, DeriveError> {
    let llm = read_rows(links_manager)?;
    let mys = read_rows(mysociety)?;
    let llm_path = links_manager.display().to_string();

    // mySociety rows by current code, and by each former code.
    let mut by_code: HashMap<String, &HashMap<String, String>> = HashMap::new();
    let mut by_former: HashMap<String, &HashMap<String, String>> = HashMap::new();
    for (_, row) in &mys {
        if let Some(code) = row.get("gss-code").filter(|c| !c.is_empty()) {
            by_code.insert(code.clone(), row);
        }
        for former in row
            .get("former-gss-codes")
            .into_iter()
            .flat_map(|f| f.split([',', ';', ' ']))
        {
            if !former.is_empty() {
                by_former.insert(former.to_string(), row);
            }
        }
    }
    let slug_by_id: HashMap<&str, &str> = llm
        .iter()
        .map(|(_, r)| (r["id"].as_str(), r["slug"].as_str()))
        .collect();

    // Councils sharing one website name each other.
    let mut by_url: HashMap<String, Vec<&str>> = HashMap::new();
    for (_, r) in &llm {
        by_url
            .entry(r["homepage_url"].trim_end_matches('/').to_string())
            .or_default()
            .push(&r["slug"]);
    }

    let mut out = csv::Writer::from_writer(Vec::new());
    let io = |e: csv::Error| DeriveError::Source {
        path: "sites.csv".into(),
        message: e.to_string(),
    };
    out.write_record(REGISTER_COLUMNS).map_err(io)?;
    let mut rows = Vec::new();
    for (line, r) in &llm {
        let raw_gss = r["gss"].as_str();
        let gss = GSS_FIXES
            .iter()
            .find(|(old, _)| *old == raw_gss)
            .map_or(raw_gss, |(_, new)| new);
        let m = by_code
            .get(gss)
            .or_else(|| by_former.get(gss))
            .ok_or_else(|| DeriveError::Unmatched {
                path: llm_path.clone(),
                line: *line,
                gss: gss.to_string(),
                name: r["name"].clone(),
            })?;
        let council_type = type_for_gss(gss).ok_or_else(|| DeriveError::UnknownPrefix {
            path: llm_path.clone(),
            line: *line,
            gss: gss.to_string(),
        })?;
        let tier = match r["tier_id"].as_str() {
            "1" => "county",
            "2" => "district",
            _ => "unitary",
        };
        let parent = slug_by_id
            .get(r["parent_local_authority_id"].as_str())
            .copied()
            .unwrap_or_default();
        let population = m
            .get("pop-2020")
            .and_then(|p| p.parse::<f64>().ok())
            .map(|p| format!("{}", p.round() as u64))
            .unwrap_or_default();
        let shared: Vec<&str> = by_url[r["homepage_url"].trim_end_matches('/')]
            .iter()
            .copied()
            .filter(|s| *s != r["slug"])
            .collect();
        let name = m
            .get("official-name")
            .filter(|n| !n.is_empty())
            .unwrap_or(&r["name"]);
        rows.push([
            r["slug"].clone(),
            name.clone(),
            gss.to_string(),
            council_type.code().to_string(),
            tier.to_string(),
            r["country_name"].clone(),
            m.get("region").cloned().unwrap_or_default(),
            parent.to_string(),
            r["homepage_url"].clone(),
            population,
            shared.join(" "),
        ]);
    }
    rows.sort_by(|a, b| a[0].cmp(&b[0]));
    for row in rows {
        out.write_record(&row).map_err(io)?;
    }
    let bytes = out.into_inner().map_err(|e| DeriveError::Source {
        path: "sites.csv".into(),
        message: e.to_string(),
    })?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
