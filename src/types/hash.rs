//! Hashes. Representation: a [`Dict`] of field/value pairs (stable slots, so
//! HSCAN keeps SCAN's guarantee). `listpack` records whether Redis would still
//! hold this hash as a listpack (`hash-max-listpack-entries`/`-value`); like
//! Redis, once converted to a hashtable it never goes back.

use alloc::boxed::Box;

use crate::dict::{Dict, Keyed};

/// One field of a hash.
#[derive(Debug, Clone)]
pub struct Field {
    /// Field name.
    pub name: Box<[u8]>,
    /// Field value.
    pub value: Box<[u8]>,
}

impl Keyed for Field {
    fn key(&self) -> &[u8] {
        &self.name
    }
}

/// A hash value.
#[derive(Debug, Clone)]
pub struct Hash {
    /// Fields. Invariant: a hash stored in the keyspace is never empty.
    pub fields: Dict<Field>,
    /// True while Redis would report the "listpack" encoding.
    pub listpack: bool,
}

impl Hash {
    /// An empty hash hashing with `seed`.
    pub fn new(seed: u64) -> Self {
        Hash { fields: Dict::with_seed(seed), listpack: true }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.listpack {
            "listpack"
        } else {
            "hashtable"
        }
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        self.fields.overhead_bytes() + self.fields.iter().map(|f| f.name.len() + f.value.len()).sum::<usize>()
    }
}
