//! Sets, with Redis 7.0's two encodings reproduced because they are
//! observable (OBJECT ENCODING, and the ascending order an intset returns
//! its members in).
//!
//! - [`Repr::Ints`]: a sorted vector of `i64` ("intset"), used while every
//!   member is the canonical decimal form of an integer (`string2ll`) and
//!   there are at most `set-max-intset-entries` members (capped at 2^30 as
//!   Redis does).
//! - [`Repr::Table`]: a [`Dict`] of members (stable slots, so SSCAN keeps
//!   SCAN's guarantee under churn).
//!
//! Invariants: members are unique; the intset vector is strictly ascending;
//! once converted to a table a set is never converted back in place (only
//! commands that build a new set, like SPOP's rebuild or the *STORE
//! commands, can produce an intset again); a set stored in the keyspace is
//! never empty.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::dict::{Dict, Keyed};
use crate::num;

/// Redis caps `set-max-intset-entries` at 2^30 (intset internals).
const INTSET_HARD_MAX: usize = 1 << 30;

/// One member of a table-encoded set.
#[derive(Debug, Clone)]
pub struct Member(pub Box<[u8]>);

impl Keyed for Member {
    fn key(&self) -> &[u8] {
        &self.0
    }
}

/// A member as a set yields it: intsets hold integers, tables hold bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Elem<'a> {
    /// A member of an intset.
    Int(i64),
    /// A member of a table.
    Bytes(&'a [u8]),
}

impl Elem<'_> {
    /// The member's bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        match self {
            Elem::Int(n) => {
                let mut v = Vec::new();
                num::push_i64(&mut v, *n);
                v
            }
            Elem::Bytes(b) => b.to_vec(),
        }
    }

    /// The member's bytes, borrowed when possible.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Elem::Int(_) => Cow::Owned(self.to_vec()),
            Elem::Bytes(b) => Cow::Borrowed(b),
        }
    }

    /// The member as an integer if it is one in canonical form.
    fn as_int(&self) -> Option<i64> {
        match self {
            Elem::Int(n) => Some(*n),
            Elem::Bytes(b) => num::parse_i64(b),
        }
    }
}

#[derive(Debug, Clone)]
enum Repr {
    /// Sorted integers ("intset").
    Ints(Vec<i64>),
    /// Hash table ("hashtable").
    Table(Dict<Member>),
}

/// A set value. See the module docs.
#[derive(Debug, Clone)]
pub struct Set {
    repr: Repr,
    /// Seed of the table this set uses or converts to.
    seed: u64,
    /// Total bytes of a table's members (0 for an intset), kept up to date
    /// so [`Set::weight`] is O(1).
    bytes: usize,
}

impl Set {
    /// An empty intset-encoded set (Redis's `createIntsetObject`); `seed`
    /// seeds its table if it converts.
    pub fn new(seed: u64) -> Self {
        Set { repr: Repr::Ints(Vec::new()), seed, bytes: 0 }
    }

    /// An empty table-encoded set (Redis's `createSetObject`).
    pub fn new_table(seed: u64) -> Self {
        Set { repr: Repr::Table(Dict::with_seed(seed)), seed, bytes: 0 }
    }

    /// An empty set able to hold `first` (Redis's `setTypeCreate`): an intset
    /// if `first` is an integer, a table otherwise.
    pub fn for_member(seed: u64, first: &[u8]) -> Self {
        if num::parse_i64(first).is_some() {
            Set::new(seed)
        } else {
            Set::new_table(seed)
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.len(),
            Repr::Table(d) => d.len(),
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while Redis would hold this set as an intset.
    pub fn is_intset(&self) -> bool {
        matches!(self.repr, Repr::Ints(_))
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.is_intset() {
            "intset"
        } else {
            "hashtable"
        }
    }

    /// Deterministic heap weight, O(1): the containers' capacity plus the
    /// bytes of every table member.
    pub fn weight(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.capacity() * 8,
            Repr::Table(d) => d.overhead_bytes() + self.bytes,
        }
    }

    /// True if `m` is a member.
    pub fn contains(&self, m: &[u8]) -> bool {
        self.contains_elem(Elem::Bytes(m))
    }

    /// True if `e` (a member of some set) is a member of this one.
    pub fn contains_elem(&self, e: Elem<'_>) -> bool {
        match &self.repr {
            Repr::Ints(v) => e.as_int().is_some_and(|n| v.binary_search(&n).is_ok()),
            Repr::Table(d) => match e {
                Elem::Bytes(b) => d.contains(b),
                Elem::Int(_) => d.contains(&e.to_vec()),
            },
        }
    }

    /// Converts to the table encoding (no-op when already converted). The
    /// table's slots follow the intset's ascending order.
    pub fn convert(&mut self) {
        if let Repr::Ints(v) = &mut self.repr {
            let ints = core::mem::take(v);
            let mut d = Dict::with_seed(self.seed);
            let mut bytes = 0;
            for n in ints {
                let m = Elem::Int(n).to_vec();
                bytes += m.len();
                d.insert_new(Member(m.into_boxed_slice()));
            }
            self.repr = Repr::Table(d);
            self.bytes = bytes;
        }
    }

    /// Redis's `setTypeAdd`: adds `m`, converting an intset to a table when
    /// `m` is not an integer or the intset outgrows `max_intset` entries.
    /// Returns true if `m` is new.
    pub fn add(&mut self, m: &[u8], max_intset: usize) -> bool {
        self.add_elem(Elem::Bytes(m), max_intset)
    }

    /// [`Set::add`] for a member taken from another set.
    pub fn add_elem(&mut self, e: Elem<'_>, max_intset: usize) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => match e.as_int() {
                Some(n) => match v.binary_search(&n) {
                    Ok(_) => false,
                    Err(i) => {
                        v.insert(i, n);
                        if v.len() > max_intset.min(INTSET_HARD_MAX) {
                            self.convert();
                        }
                        true
                    }
                },
                None => {
                    self.convert();
                    if let Repr::Table(d) = &mut self.repr {
                        // Not an integer, so not among the intset's members.
                        let m = e.to_vec();
                        self.bytes += m.len();
                        d.insert_new(Member(m.into_boxed_slice()));
                    }
                    true
                }
            },
            Repr::Table(d) => {
                let b = e.bytes();
                if d.contains(&b) {
                    false
                } else {
                    self.bytes += b.len();
                    d.insert_new(Member(b.into_owned().into_boxed_slice()));
                    true
                }
            }
        }
    }

    /// Removes `m`; true if it was a member.
    pub fn remove(&mut self, m: &[u8]) -> bool {
        self.remove_elem(Elem::Bytes(m))
    }

    /// [`Set::remove`] for a member taken from another set.
    pub fn remove_elem(&mut self, e: Elem<'_>) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => match e.as_int().map(|n| v.binary_search(&n)) {
                Some(Ok(i)) => {
                    v.remove(i);
                    true
                }
                _ => false,
            },
            Repr::Table(d) => match d.remove(&e.bytes()) {
                Some(m) => {
                    self.bytes -= m.0.len();
                    true
                }
                None => false,
            },
        }
    }

    /// Every member, in Redis's iteration order for an intset (ascending)
    /// and in slot order for a table.
    pub fn iter(&self) -> impl Iterator<Item = Elem<'_>> + '_ {
        let (a, b) = match &self.repr {
            Repr::Ints(v) => (Some(v.iter().map(|&n| Elem::Int(n))), None),
            Repr::Table(d) => (None, Some(d.iter().map(|m| Elem::Bytes(&m.0)))),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten())
    }

    /// A uniformly random position (see [`Set::at`]), `None` when empty.
    pub fn random_pos(&self, mut rnd: impl FnMut() -> u64) -> Option<u32> {
        match &self.repr {
            Repr::Ints(v) if v.is_empty() => None,
            Repr::Ints(v) => Some((rnd() % v.len() as u64) as u32),
            Repr::Table(d) => d.random_slot(rnd),
        }
    }

    /// The member at a position returned by [`Set::random_pos`]: distinct
    /// positions are distinct members while the set is not modified.
    pub fn at(&self, pos: u32) -> Option<Elem<'_>> {
        match &self.repr {
            Repr::Ints(v) => v.get(pos as usize).map(|&n| Elem::Int(n)),
            Repr::Table(d) => d.slot(pos).map(|m| Elem::Bytes(&m.0)),
        }
    }

    /// One past the highest position [`Set::at`] answers for: the members
    /// of an intset, the slots of a table (holes included). Walking `0..`
    /// this with [`Set::at`] visits every member once, in [`Set::iter`]'s
    /// order, while the set is not modified.
    pub fn pos_end(&self) -> u32 {
        match &self.repr {
            Repr::Ints(v) => u32::try_from(v.len()).unwrap_or(u32::MAX),
            Repr::Table(d) => u32::try_from(d.slot_count()).unwrap_or(u32::MAX),
        }
    }

    /// A uniformly random member.
    pub fn random(&self, rnd: impl FnMut() -> u64) -> Option<Elem<'_>> {
        self.random_pos(rnd).and_then(|p| self.at(p))
    }

    /// One SSCAN step over a table-encoded set, like Redis's loop around
    /// `dictScan`: visits slots from `cursor`, one "bucket" at a time, until
    /// at least `count` members were collected, the end was reached, or
    /// `count * 10` slots were visited. An intset is returned whole with
    /// cursor 0. Returns the next cursor.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(Elem<'_>)) -> u64 {
        match &self.repr {
            Repr::Ints(v) => {
                for &n in v {
                    f(Elem::Int(n));
                }
                0
            }
            Repr::Table(d) => {
                let mut cursor = cursor;
                let mut got = 0usize;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = d.scan(cursor, 1, |m| {
                        got += 1;
                        f(Elem::Bytes(&m.0))
                    });
                    if cursor == 0 || budget == 0 || got >= count {
                        return cursor;
                    }
                    budget -= 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn members(s: &Set) -> Vec<Vec<u8>> {
        s.iter().map(|e| e.to_vec()).collect()
    }

    #[test]
    fn intset_sorted_and_converts() {
        let mut s = Set::new(1);
        assert!(s.add(b"3", 3));
        assert!(s.add(b"-1", 3));
        assert!(!s.add(b"3", 3));
        assert!(s.add(b"2", 3));
        assert_eq!(members(&s), [b"-1".to_vec(), b"2".to_vec(), b"3".to_vec()]);
        assert!(s.is_intset());
        assert!(s.contains(b"2"));
        assert!(!s.contains(b"02"));
        assert!(s.add(b"4", 3));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.remove(b"4"));
        assert_eq!(s.encoding(), "hashtable");
        assert!(s.contains(b"-1"));
        assert_eq!(s.bytes, 2 + 1 + 1, "byte count tracks the content");
        let mut t = Set::new(1);
        t.add(b"1", 10);
        t.add(b"01", 10);
        assert!(!t.is_intset());
        assert!(t.contains_elem(Elem::Int(1)));
        assert_eq!(t.len(), 2);
    }

    #[test]
    fn for_member_picks_encoding() {
        assert!(Set::for_member(1, b"12").is_intset());
        assert!(!Set::for_member(1, b"x").is_intset());
        assert!(!Set::for_member(1, b"-0").is_intset());
    }
}
