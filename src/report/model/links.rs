//! Links between the report's pages: a council's and a task's page, and a council as a link.

use serde::Serialize;

use crate::audit::SiteAssessment;
use crate::report::format::file_slug;

/// A link to a council.
#[derive(Debug, Clone, Serialize)]
pub struct CouncilLink {
    /// Its slug.
    pub slug: String,
    /// Its name.
    pub name: String,
    /// Its page, relative to the report root.
    pub href: String,
    /// Its type code.
    pub type_code: String,
}

pub(super) fn council_href(slug: &str) -> String {
    format!("councils/{}.html", file_slug(slug))
}

pub(super) fn task_href(id: &str) -> String {
    format!("tasks/{}.html", file_slug(id))
}

pub(super) fn link(a: &SiteAssessment) -> CouncilLink {
    CouncilLink {
        slug: a.site.slug.clone(),
        name: a.site.name.clone(),
        href: council_href(&a.site.slug),
        type_code: a.site.council_type.code().into(),
    }
}
