//! The answer a correct survey gives to one question, as the generators record it while they
//! write a page. Its own file so that the generators of each part of a site (the statement, the
//! Welsh pages) and the truth that gathers them all read it from one place, one way.

use serde::{Deserialize, Serialize};

/// The answer a correct survey gives to one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expected {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not tested: the site lacks what the question needs (an A–Z, a site search).
    NotTested,
}

impl Expected {
    /// `Yes` for true, `No` for false.
    pub fn from_bool(b: bool) -> Expected {
        if b { Expected::Yes } else { Expected::No }
    }
}
