//! Sets. Representation: a [`Dict`] of members (stable slots, so SSCAN keeps
//! SCAN's guarantee). `intset` records whether Redis would still hold the set
//! as an intset (all members canonical integers, at most
//! `set-max-intset-entries`); once converted it never goes back.

use alloc::boxed::Box;

use crate::dict::{Dict, Keyed};

/// One member of a set.
#[derive(Debug, Clone)]
pub struct Member(pub Box<[u8]>);

impl Keyed for Member {
    fn key(&self) -> &[u8] {
        &self.0
    }
}

/// A set value.
#[derive(Debug, Clone)]
pub struct Set {
    /// Members. Invariant: a set stored in the keyspace is never empty.
    pub members: Dict<Member>,
    /// True while Redis would report the "intset" encoding.
    pub intset: bool,
}

impl Set {
    /// An empty set hashing with `seed`.
    pub fn new(seed: u64) -> Self {
        Set { members: Dict::with_seed(seed), intset: true }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.intset {
            "intset"
        } else {
            "hashtable"
        }
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        self.members.overhead_bytes() + self.members.iter().map(|m| m.0.len()).sum::<usize>()
    }
}
