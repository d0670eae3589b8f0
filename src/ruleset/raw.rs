//! The ruleset file as written: serde types with spans, never seen outside `ruleset`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRuleset {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub edition: Spanned<String>,
    pub crawl: RawCrawl,
    pub scoring: RawScoring,
    #[serde(default)]
    pub accessibility: RawAccessibility,
    pub navigation: RawNavigation,
    pub tiers: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default, rename = "common_question")]
    pub common_questions: Vec<RawQuestion>,
    #[serde(default, rename = "task")]
    pub tasks: Vec<RawTask>,
    #[serde(default, rename = "service")]
    pub services: Vec<RawService>,
    #[serde(default)]
    pub digital: Option<RawDigital>,
    #[serde(default)]
    pub statement: Option<super::duties::RawStatement>,
    #[serde(default)]
    pub welsh: Option<super::duties::RawWelsh>,
    pub recognition: Option<RawRecognition>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecognition {
    #[serde(default)]
    pub not_task: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_task_url: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDigital {
    pub max_home_bytes: Spanned<u64>,
    pub max_home_ttfb_ms: Spanned<u64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCrawl {
    pub max_pages: Spanned<u64>,
    pub max_depth: Spanned<u64>,
    pub max_bytes: Spanned<u64>,
    pub max_document_bytes: Spanned<u64>,
    pub request_timeout_secs: Spanned<f64>,
    pub connect_timeout_secs: Spanned<f64>,
    pub site_time_budget_secs: Spanned<f64>,
    pub requests_per_second: Spanned<f64>,
    pub crawl_delay_cap_secs: Spanned<f64>,
    pub max_redirects: Spanned<u64>,
    pub retries: Spanned<u64>,
    pub global_concurrency: Spanned<u64>,
    #[serde(default)]
    pub portal_hosts: Vec<Spanned<String>>,
    #[serde(default)]
    pub strip_query_params: Vec<String>,
    #[serde(default)]
    pub max_sitemap_urls: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThresholds {
    pub four: Spanned<f64>,
    pub three: Spanned<f64>,
    pub two: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawWeights {
    pub tasks: Spanned<f64>,
    pub accessibility: Spanned<f64>,
    pub coverage: Spanned<f64>,
    pub digital: Spanned<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawScoring {
    pub task_stars: RawThresholds,
    pub dimension_stars: RawThresholds,
    pub essential_cap: Spanned<u8>,
    pub out_of_date_cap: Spanned<u8>,
    pub out_of_date_months: Spanned<u32>,
    pub weights: RawWeights,
    pub four_star_needs_accessibility_pass: bool,
    pub accessibility_pass_max_critical: Spanned<u32>,
    pub accessibility_pass_max_serious: Spanned<u32>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAccessibility {
    #[serde(default)]
    pub disabled_rules: Vec<Spanned<String>>,
    #[serde(default)]
    pub max_findings_per_rule: Option<Spanned<u64>>,
    #[serde(default)]
    pub duplicate_title_min_pages: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawNavigation {
    pub search_result_count: Spanned<u64>,
    pub search_input_names: Vec<String>,
    pub a_to_z_link: Vec<Spanned<String>>,
    pub my_account: Vec<Spanned<String>>,
    pub accessibility_statement: Vec<Spanned<String>>,
    pub form_platforms: Vec<Spanned<String>>,
    pub payment_platforms: Vec<Spanned<String>>,
    pub phone_only: Vec<Spanned<String>>,
    #[serde(default)]
    pub freshness_markers: Vec<Spanned<String>>,
    #[serde(default)]
    pub widget_forms: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTask {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub lgsl: Option<Spanned<u32>>,
    pub council_types: Vec<Spanned<String>>,
    pub essential: Spanned<String>,
    pub search_term: Spanned<String>,
    pub az_term: Spanned<String>,
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub wordings: Vec<Spanned<String>>,
    #[serde(default)]
    pub not_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub hub_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub url_patterns: Vec<Spanned<String>>,
    pub landing_patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub key: bool,
    #[serde(default)]
    pub skip_common: Vec<Spanned<String>>,
    #[serde(default, rename = "question")]
    pub questions: Vec<RawQuestion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawQuestion {
    pub id: Spanned<String>,
    pub text: String,
    pub check: Spanned<super::CheckKind>,
    #[serde(default)]
    pub out_of_date: bool,
    #[serde(default)]
    pub patterns: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawService {
    pub lgsl: Spanned<u32>,
    pub title: String,
    pub providers: Spanned<String>,
    pub patterns: Vec<Spanned<String>>,
    #[serde(default)]
    pub url_patterns: Vec<Spanned<String>>,
}
