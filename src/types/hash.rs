//! Hashes, with Redis 7.0's two encodings reproduced because they are
//! observable (OBJECT ENCODING, and the order HGETALL/HKEYS/HSCAN return
//! fields in).
//!
//! - [`Repr::Listpack`]: a vector of fields in insertion order, searched
//!   linearly, exactly like Redis's listpack (a replaced value keeps its
//!   place, a deleted field closes the gap). Used while the hash has at most
//!   `hash-max-listpack-entries` fields and no field or value longer than
//!   `hash-max-listpack-value` bytes.
//! - [`Repr::Table`]: a [`Dict`] (stable slots, so HSCAN keeps SCAN's
//!   guarantee under churn).
//!
//! Invariants: field names are unique; once converted to a table a hash never
//! goes back to a listpack (as in Redis); a hash stored in the keyspace is
//! never empty.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::dict::{Dict, Keyed};

/// Redis's `LISTPACK_MAX_SAFETY_SIZE`: a listpack is never grown past 1 GiB.
const LISTPACK_MAX_SAFETY_SIZE: usize = 1 << 30;

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

/// The conversion thresholds (`hash-max-listpack-entries`/`-value`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most fields a listpack-encoded hash holds.
    pub max_entries: usize,
    /// Longest field or value a listpack-encoded hash holds.
    pub max_value: usize,
}

impl Limits {
    /// The thresholds of a configuration.
    pub fn of(c: &crate::config::Config) -> Limits {
        Limits { max_entries: c.hash_max_listpack_entries, max_value: c.hash_max_listpack_value }
    }
}

#[derive(Debug, Clone)]
enum Repr {
    /// Insertion-ordered fields ("listpack").
    Listpack(Vec<Field>),
    /// Hash table ("hashtable").
    Table(Dict<Field>),
}

/// A hash value. See the module docs.
#[derive(Debug, Clone)]
pub struct Hash {
    repr: Repr,
    /// Seed of the table this hash converts to.
    seed: u64,
    /// Total bytes of all field names and values, kept up to date so
    /// [`Hash::weight`] is O(1).
    bytes: usize,
}

impl Hash {
    /// An empty listpack-encoded hash; `seed` seeds its table if it converts.
    pub fn new(seed: u64) -> Self {
        Hash { repr: Repr::Listpack(Vec::new()), seed, bytes: 0 }
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.len(),
            Repr::Table(d) => d.len(),
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while Redis would hold this hash as a listpack.
    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Listpack(_))
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.is_listpack() {
            "listpack"
        } else {
            "hashtable"
        }
    }

    /// Deterministic heap weight, O(1): the containers' capacity plus the
    /// bytes of every field and value.
    pub fn weight(&self) -> usize {
        let fixed = match &self.repr {
            Repr::Listpack(v) => v.capacity() * core::mem::size_of::<Field>(),
            Repr::Table(d) => d.overhead_bytes(),
        };
        fixed + self.bytes
    }

    /// The value of `field`.
    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        match &self.repr {
            Repr::Listpack(v) => v.iter().find(|f| &*f.name == field).map(|f| &*f.value),
            Repr::Table(d) => d.get(field).map(|f| &*f.value),
        }
    }

    /// True if `field` is present.
    pub fn contains(&self, field: &[u8]) -> bool {
        self.get(field).is_some()
    }

    /// Converts to the table encoding (no-op when already converted). The
    /// table's slots follow the listpack order.
    pub fn convert(&mut self) {
        if let Repr::Listpack(v) = &mut self.repr {
            let fields = core::mem::take(v);
            let mut d = Dict::with_seed(self.seed);
            for f in fields {
                d.insert_new(f);
            }
            self.repr = Repr::Table(d);
        }
    }

    /// Redis's `hashTypeTryConversion`, run before a command adds `args`
    /// (fields and values): converts if any is longer than `max_value`, or if
    /// the listpack could outgrow its 1 GiB safety size.
    pub fn try_conversion<'a>(&mut self, args: impl IntoIterator<Item = &'a [u8]>, limits: Limits) {
        let Repr::Listpack(v) = &self.repr else { return };
        let mut sum = 0usize;
        for a in args {
            if a.len() > limits.max_value {
                self.convert();
                return;
            }
            sum = sum.saturating_add(a.len());
        }
        if listpack_bytes(v).saturating_add(sum) > LISTPACK_MAX_SAFETY_SIZE {
            self.convert();
        }
    }

    /// Redis's `hashTypeSet`: sets `field` to `value`, converting first if
    /// either is too long for a listpack and after if the listpack now has
    /// too many entries. Returns true if the field is new.
    pub fn set(&mut self, field: &[u8], value: &[u8], limits: Limits) -> bool {
        if self.is_listpack() && (field.len() > limits.max_value || value.len() > limits.max_value) {
            self.convert();
        }
        match &mut self.repr {
            Repr::Listpack(v) => {
                if let Some(f) = v.iter_mut().find(|f| &*f.name == field) {
                    self.bytes = self.bytes - f.value.len() + value.len();
                    f.value = value.into();
                    return false;
                }
                self.bytes += field.len() + value.len();
                v.push(Field { name: field.into(), value: value.into() });
                if v.len() > limits.max_entries {
                    self.convert();
                }
                true
            }
            Repr::Table(d) => match d.get_mut(field) {
                Some(f) => {
                    self.bytes = self.bytes - f.value.len() + value.len();
                    f.value = value.into();
                    false
                }
                None => {
                    self.bytes += field.len() + value.len();
                    d.insert_new(Field { name: field.into(), value: value.into() });
                    true
                }
            },
        }
    }

    /// Removes `field`; true if it was present.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        let removed = match &mut self.repr {
            Repr::Listpack(v) => v.iter().position(|f| &*f.name == field).map(|i| v.remove(i)),
            Repr::Table(d) => d.remove(field),
        };
        match removed {
            Some(f) => {
                self.bytes -= f.name.len() + f.value.len();
                true
            }
            None => false,
        }
    }

    /// Every field and value, in Redis's iteration order for a listpack
    /// (insertion order) and in slot order for a table.
    pub fn iter(&self) -> impl Iterator<Item = (&[u8], &[u8])> + '_ {
        let (a, b) = match &self.repr {
            Repr::Listpack(v) => (Some(v.iter()), None),
            Repr::Table(d) => (None, Some(d.iter())),
        };
        a.into_iter().flatten().chain(b.into_iter().flatten()).map(|f| (&*f.name, &*f.value))
    }

    /// A uniformly random position (see [`Hash::at`]), `None` when empty.
    pub fn random_pos(&self, mut rnd: impl FnMut() -> u64) -> Option<u32> {
        match &self.repr {
            Repr::Listpack(v) if v.is_empty() => None,
            Repr::Listpack(v) => Some((rnd() % v.len() as u64) as u32),
            Repr::Table(d) => d.random_slot(rnd),
        }
    }

    /// The field at a position returned by [`Hash::random_pos`]: distinct
    /// positions are distinct fields while the hash is not modified.
    pub fn at(&self, pos: u32) -> Option<(&[u8], &[u8])> {
        let f = match &self.repr {
            Repr::Listpack(v) => v.get(pos as usize),
            Repr::Table(d) => d.slot(pos),
        }?;
        Some((&f.name, &f.value))
    }

    /// One past the highest position [`Hash::at`] answers for: the fields
    /// of a listpack, the slots of a table (holes included). Walking `0..`
    /// this with [`Hash::at`] visits every field once, in [`Hash::iter`]'s
    /// order, while the hash is not modified.
    pub fn pos_end(&self) -> u32 {
        match &self.repr {
            Repr::Listpack(v) => u32::try_from(v.len()).unwrap_or(u32::MAX),
            Repr::Table(d) => u32::try_from(d.slot_count()).unwrap_or(u32::MAX),
        }
    }

    /// One HSCAN step over a table-encoded hash, like Redis's loop around
    /// `dictScan`: visits slots from `cursor`, one "bucket" at a time, until
    /// at least `count` fields were collected, the end was reached, or
    /// `count * 10` slots were visited. A listpack is returned whole with
    /// cursor 0. Returns the next cursor.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&[u8], &[u8])) -> u64 {
        match &self.repr {
            Repr::Listpack(v) => {
                for x in v {
                    f(&x.name, &x.value);
                }
                0
            }
            Repr::Table(d) => {
                let mut cursor = cursor;
                let mut got = 0usize;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = d.scan(cursor, 1, |x| {
                        got += 1;
                        f(&x.name, &x.value)
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

/// Approximate size of Redis's listpack for these fields (header, entries
/// with their length prefixes and back-lengths, terminator), for the safety
/// size check.
fn listpack_bytes(v: &[Field]) -> usize {
    fn entry(len: usize) -> usize {
        let enc = if len < 64 {
            1
        } else if len < 4096 {
            2
        } else {
            5
        };
        let body = enc + len;
        let back = match body {
            0..=127 => 1,
            128..=16383 => 2,
            16384..=2097151 => 3,
            2097152..=268435455 => 4,
            _ => 5,
        };
        body + back
    }
    v.iter().fold(7usize, |acc, f| acc.saturating_add(entry(f.name.len())).saturating_add(entry(f.value.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const L: Limits = Limits { max_entries: 3, max_value: 4 };

    #[test]
    fn listpack_keeps_insertion_order_and_converts() {
        let mut h = Hash::new(1);
        assert!(h.set(b"b", b"1", L));
        assert!(h.set(b"a", b"2", L));
        assert!(!h.set(b"b", b"3", L));
        let order: Vec<&[u8]> = h.iter().map(|(f, _)| f).collect();
        assert_eq!(order, [&b"b"[..], b"a"]);
        assert_eq!(h.get(b"b"), Some(&b"3"[..]));
        assert!(h.remove(b"b"));
        assert!(h.set(b"b", b"4", L));
        let order: Vec<&[u8]> = h.iter().map(|(f, _)| f).collect();
        assert_eq!(order, [&b"a"[..], b"b"]);
        assert!(h.is_listpack());
        h.set(b"c", b"1", L);
        assert!(h.is_listpack());
        h.set(b"d", b"1", L);
        assert_eq!(h.encoding(), "hashtable");
        assert!(h.remove(b"d"));
        assert!(h.remove(b"c"));
        assert_eq!(h.encoding(), "hashtable", "never converts back");
        assert_eq!(h.len(), 2);
        let sum: usize = h.iter().map(|(f, v)| f.len() + v.len()).sum();
        assert_eq!(h.bytes, sum, "byte count tracks the content");
    }

    #[test]
    fn long_values_convert() {
        let mut h = Hash::new(1);
        h.set(b"f", b"1234", L);
        assert!(h.is_listpack());
        h.set(b"g", b"12345", L);
        assert!(!h.is_listpack());
        let mut h = Hash::new(1);
        h.try_conversion([&b"f"[..], b"12345"], L);
        assert!(!h.is_listpack());
    }

    #[test]
    fn table_scan_visits_everything() {
        let mut h = Hash::new(3);
        for i in 0..100u32 {
            h.set(&i.to_le_bytes(), b"v", L);
        }
        let mut n = 0;
        let mut c = 0;
        loop {
            c = h.scan(c, 7, |_, _| n += 1);
            if c == 0 {
                break;
            }
        }
        assert_eq!(n, 100);
    }
}
