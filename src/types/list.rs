//! Lists. Representation: a `VecDeque` of byte strings (O(1) push/pop at both
//! ends, O(1) index). `OBJECT ENCODING` reports "quicklist", as Redis 7.0
//! does for every list.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// A list value.
#[derive(Debug, Clone, Default)]
pub struct List {
    /// The elements, head first. Invariant: a list stored in the keyspace is
    /// never empty (an emptied list's key is deleted).
    pub items: VecDeque<Vec<u8>>,
}

impl List {
    /// Number of elements.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        self.items.capacity() * core::mem::size_of::<Vec<u8>>() + self.items.iter().map(|v| v.capacity()).sum::<usize>()
    }
}
