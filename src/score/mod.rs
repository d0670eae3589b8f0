//! Scoring: stars per task, per dimension and overall, with ranks. Pure functions, no I/O.
//!
//! (Being built under issue 6.)
