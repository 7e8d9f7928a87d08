//! `Dict`: a hash map from byte keys to entries with *stable slots*, used for
//! the keyspace and for hash and set values.
//!
//! Representation: entries live in a slab (`slots`); a hashbrown `HashTable`
//! maps a key's hash to its slot index, so each key is stored once. Removing
//! an entry leaves a hole that the next insert reuses.
//!
//! Invariant: an entry never changes slot while it is present. That is what
//! gives SCAN its Redis guarantee cheaply: a cursor is a slot index, and a key
//! present for a whole iteration is returned exactly once however the dict
//! grows, shrinks or rehashes meanwhile (keys added or removed during the
//! iteration may or may not be returned). The cost is that holes are only
//! given back when the dict becomes empty; inserts refill them first.

use alloc::vec::Vec;
use foldhash::fast::FixedState;
use hashbrown::HashTable;

use core::hash::BuildHasher;

/// Something stored in a [`Dict`]: it knows its own key.
pub trait Keyed {
    /// The entry's key.
    fn key(&self) -> &[u8];
}

/// A stable-slot hash map; see the module docs.
#[derive(Clone)]
pub struct Dict<E> {
    table: HashTable<u32>,
    slots: Vec<Option<E>>,
    free: Vec<u32>,
    hasher: FixedState,
}

impl<E: core::fmt::Debug + Keyed> core::fmt::Debug for Dict<E> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<E: Keyed> Dict<E> {
    /// An empty dict hashing with `seed`.
    pub fn with_seed(seed: u64) -> Self {
        Dict { table: HashTable::new(), slots: Vec::new(), free: Vec::new(), hasher: FixedState::with_seed(seed) }
    }

    /// Number of entries.
    #[inline]
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// True when there are no entries.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// One past the highest slot index; the end of a scan.
    #[inline]
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    #[inline]
    fn hash(&self, key: &[u8]) -> u64 {
        self.hasher.hash_one(key)
    }

    /// The slot index holding `key`.
    #[inline]
    pub fn find(&self, key: &[u8]) -> Option<u32> {
        let h = self.hash(key);
        let slots = &self.slots;
        self.table
            .find(h, |&i| slots[i as usize].as_ref().is_some_and(|e| e.key() == key))
            .copied()
    }

    /// The entry for `key`.
    #[inline]
    pub fn get(&self, key: &[u8]) -> Option<&E> {
        let i = self.find(key)?;
        self.slots[i as usize].as_ref()
    }

    /// The entry for `key`, mutably. The caller must not change the key.
    #[inline]
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut E> {
        let i = self.find(key)?;
        self.slots[i as usize].as_mut()
    }

    /// The entry in slot `i`, if any.
    #[inline]
    pub fn slot(&self, i: u32) -> Option<&E> {
        self.slots.get(i as usize).and_then(|s| s.as_ref())
    }

    /// The entry in slot `i`, mutably.
    #[inline]
    pub fn slot_mut(&mut self, i: u32) -> Option<&mut E> {
        self.slots.get_mut(i as usize).and_then(|s| s.as_mut())
    }

    /// True when `key` is present.
    #[inline]
    pub fn contains(&self, key: &[u8]) -> bool {
        self.find(key).is_some()
    }

    /// Inserts `e`, replacing an entry with the same key. Returns the slot and
    /// the replaced entry. A replaced entry keeps its slot.
    pub fn insert(&mut self, e: E) -> (u32, Option<E>) {
        if let Some(i) = self.find(e.key()) {
            let old = self.slots[i as usize].replace(e);
            return (i, old);
        }
        (self.insert_new(e), None)
    }

    /// Inserts `e`, whose key the caller knows is absent. Returns its slot.
    pub fn insert_new(&mut self, e: E) -> u32 {
        debug_assert!(!self.contains(e.key()));
        let h = self.hash(e.key());
        let idx = loop {
            match self.free.pop() {
                Some(i) if (i as usize) < self.slots.len() => {
                    self.slots[i as usize] = Some(e);
                    break i;
                }
                // Past the end: stale, the tail it named was cut (see
                // `take_slot`).
                Some(_) => {}
                None => {
                    self.slots.push(Some(e));
                    break (self.slots.len() - 1) as u32;
                }
            }
        };
        let slots = &self.slots;
        let hasher = &self.hasher;
        self.table.insert_unique(h, idx, |&i| {
            // Every indexed slot is occupied (invariant), so the key exists.
            slots[i as usize].as_ref().map_or(0, |e| hasher.hash_one(e.key()))
        });
        idx
    }

    /// Removes and returns the entry for `key`.
    pub fn remove(&mut self, key: &[u8]) -> Option<E> {
        let h = self.hash(key);
        let slots = &self.slots;
        let found = self
            .table
            .find_entry(h, |&i| slots[i as usize].as_ref().is_some_and(|e| e.key() == key))
            .ok()?;
        let (idx, _) = found.remove();
        self.take_slot(idx)
    }

    /// Removes and returns the entry in slot `i`.
    pub fn remove_slot(&mut self, i: u32) -> Option<E> {
        let key_hash = self.slots.get(i as usize)?.as_ref().map(|e| self.hasher.hash_one(e.key()))?;
        let found = self.table.find_entry(key_hash, |&j| j == i).ok()?;
        found.remove();
        self.take_slot(i)
    }

    fn take_slot(&mut self, i: u32) -> Option<E> {
        let e = self.slots[i as usize].take();
        if self.table.is_empty() {
            // No entry can be mid-scan-stable any more: give the memory back.
            self.slots = Vec::new();
            self.free = Vec::new();
        } else if i as usize + 1 == self.slots.len() {
            self.slots.pop();
            // Trailing holes can go too; they only come from the free list.
            while matches!(self.slots.last(), Some(None)) {
                self.slots.pop();
            }
            // The free list now names slots past the end; `insert_new`
            // skips those as it pops (filtering here would cost the whole
            // list on every removal at the tail). While the list is not
            // empty the slab does not grow, so a stale index never becomes
            // valid again, and the valid ones are reused in the same order.
        } else {
            self.free.push(i);
        }
        e
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.table = HashTable::new();
        self.slots = Vec::new();
        self.free = Vec::new();
    }

    /// Empties the dict like [`Dict::clear`], handing over every entry with
    /// its slot index.
    pub fn drain_slots(&mut self) -> impl Iterator<Item = (u32, E)> {
        let slots = core::mem::take(&mut self.slots);
        self.clear();
        slots.into_iter().enumerate().filter_map(|(i, s)| s.map(|e| (i as u32, e)))
    }

    /// All entries, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = &E> + '_ {
        self.slots.iter().filter_map(|s| s.as_ref())
    }

    /// All entries mutably, in slot order.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut E> + '_ {
        self.slots.iter_mut().filter_map(|s| s.as_mut())
    }

    /// All occupied slot indexes with their entries.
    pub fn iter_slots(&self) -> impl Iterator<Item = (u32, &E)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, s)| s.as_ref().map(|e| (i as u32, e)))
    }

    /// One SCAN step: visits occupied slots from `cursor` on, stopping after
    /// `count` slots were examined (holes included, as Redis counts buckets).
    /// Returns the next cursor, 0 when the end was reached.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&E)) -> u64 {
        let n = self.slots.len() as u64;
        let mut i = cursor;
        let mut examined = 0usize;
        while i < n && examined < count.max(1) {
            if let Some(e) = &self.slots[i as usize] {
                f(e);
            }
            i += 1;
            examined += 1;
        }
        if i >= n {
            0
        } else {
            i
        }
    }

    /// A uniformly random occupied slot, given a source of random `u64`s.
    /// Tries random slots first, then walks forward from the last guess so the
    /// call is bounded even when the slab is mostly holes.
    pub fn random_slot(&self, mut rnd: impl FnMut() -> u64) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        let n = self.slots.len();
        let mut guess = 0;
        for _ in 0..16 {
            guess = (rnd() % n as u64) as usize;
            if self.slots[guess].is_some() {
                return Some(guess as u32);
            }
        }
        (0..n).map(|k| (guess + k) % n).find(|&i| self.slots[i].is_some()).map(|i| i as u32)
    }

    /// Bytes of bookkeeping the dict itself uses (table and slab), for memory
    /// accounting; entries' own heap data is not included.
    pub fn overhead_bytes(&self) -> usize {
        self.table.capacity() * (core::mem::size_of::<u32>() + 1)
            + self.slots.capacity() * core::mem::size_of::<Option<E>>()
            + self.free.capacity() * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::boxed::Box;
    use alloc::vec;

    #[derive(Debug, Clone)]
    struct K(Box<[u8]>);
    impl Keyed for K {
        fn key(&self) -> &[u8] {
            &self.0
        }
    }
    fn k(n: u32) -> K {
        K(n.to_le_bytes().to_vec().into_boxed_slice())
    }

    #[test]
    fn insert_remove_reuse() {
        let mut d = Dict::with_seed(1);
        for i in 0..100 {
            d.insert(k(i));
        }
        assert_eq!(d.len(), 100);
        for i in 0..50 {
            assert!(d.remove(&k(i).0).is_some());
        }
        assert_eq!(d.len(), 50);
        assert!(d.get(&k(10).0).is_none());
        assert!(d.get(&k(60).0).is_some());
        for i in 100..150 {
            d.insert(k(i));
        }
        assert_eq!(d.slot_count(), 100, "holes are reused");
        for i in 50..150 {
            d.remove(&k(i).0);
        }
        assert_eq!(d.slot_count(), 0);
    }

    /// Removing the tail slot leaves stale free-list entries behind;
    /// inserts skip them and reuse the live holes, lowest-freed last.
    #[test]
    fn tail_cut_leaves_stale_free_entries() {
        let mut d = Dict::with_seed(3);
        for i in 0..10 {
            d.insert(k(i));
        }
        for i in [2, 8, 7, 4, 9] {
            d.remove(&k(i).0);
        }
        // 9 was the tail: 7 and 8 (holes before it) go too; 2 and 4 stay.
        assert_eq!(d.slot_count(), 7);
        let a = d.insert_new(k(20));
        let b = d.insert_new(k(21));
        let c = d.insert_new(k(22));
        assert_eq!((a, b, c), (4, 2, 7));
        assert_eq!(d.len(), 8);
        for i in [0, 1, 3, 5, 6, 20, 21, 22] {
            assert!(d.get(&k(i).0).is_some(), "{i}");
        }
    }

    #[test]
    fn scan_returns_stable_keys_under_churn() {
        let mut d = Dict::with_seed(7);
        for i in 0..1000 {
            d.insert(k(i));
        }
        let mut seen = vec![0u32; 3000];
        let mut cursor = 0;
        let mut next_new = 1000;
        loop {
            cursor = d.scan(cursor, 10, |e| {
                let n = u32::from_le_bytes(e.0[..].try_into().unwrap());
                seen[n as usize] += 1;
            });
            // Churn: remove some keys >= 500, add new ones.
            for _ in 0..5 {
                d.insert(k(next_new));
                next_new += 1;
            }
            let victim = 500 + (next_new % 500);
            d.remove(&k(victim).0);
            if cursor == 0 {
                break;
            }
        }
        for i in 0..500 {
            assert_eq!(seen[i], 1, "stable key {} seen once", i);
        }
    }
}
