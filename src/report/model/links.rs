//! Links between the report's pages: a council's and a task's page, and a council as a link.

use serde::Serialize;

use crate::report::format::file_slug;
use crate::sites::Site;

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

pub(super) fn link(site: &Site) -> CouncilLink {
    CouncilLink {
        slug: site.slug.clone(),
        name: site.name.clone(),
        href: council_href(&site.slug),
        type_code: site.council_type.code().into(),
    }
}
