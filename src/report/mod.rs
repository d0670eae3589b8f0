//! Reports: the static HTML site, CSV and JSON exports, from a stored run.
//!
//! (Being built under issue 6.)
