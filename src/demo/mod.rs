//! The demo web: synthetic council websites with known ground truth, served on loopback.
//!
//! (Being built under issue 7.)
