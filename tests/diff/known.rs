//! Quarantine: mismatch signatures (`get`, `object|refcount`, `keyspace`)
//! that are reported but do not fail the differential test, each with why
//! and who fixes it. Keep this empty: an entry is a debt, remove it with the
//! fix. A signature here still prints its repro.

/// (signature, reason).
pub const KNOWN: &[(&str, &str)] = &[];

/// The reason a signature is quarantined, if it is.
pub fn known(sig: &str) -> Option<&'static str> {
    KNOWN.iter().find(|(s, _)| *s == sig).map(|(_, r)| *r)
}
