//! Streams (placeholder until the representation lands).

/// A stream value.
#[derive(Debug, Clone, Default)]
pub struct Stream {}

impl Stream {
    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "stream"
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        0
    }
}
