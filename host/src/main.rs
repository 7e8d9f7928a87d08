//! The `redlet` binary.
fn main() {}
