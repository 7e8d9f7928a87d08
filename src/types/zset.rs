//! Sorted sets (placeholder until the representation lands).

/// A sorted set value.
#[derive(Debug, Clone, Default)]
pub struct ZSet {}

impl ZSet {
    /// Number of members.
    pub fn len(&self) -> usize {
        0
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        true
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "skiplist"
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        0
    }
}
