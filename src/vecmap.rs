//! [`VecMap`]: byte-string keys to values in a sorted vector.
//!
//! For the small maps that must iterate in key order (function libraries,
//! BCAST prefixes and the keys collected under them): binary search over
//! one `Vec`, a fraction of a `BTreeMap`'s code in the wasm (each
//! `BTreeMap<K, V>` instantiation was ~7 KB of it). Inserting and removing
//! are O(n), fine for maps of tens to thousands of entries.

use alloc::vec::Vec;

/// Byte-string keys to values, iterated in key order. Invariant: `items`
/// is sorted by key, keys unique.
#[derive(Debug, Clone)]
pub struct VecMap<V> {
    items: Vec<(Vec<u8>, V)>,
}

impl<V> Default for VecMap<V> {
    fn default() -> Self {
        VecMap { items: Vec::new() }
    }
}

impl<V> VecMap<V> {
    fn find(&self, key: &[u8]) -> Result<usize, usize> {
        self.items.binary_search_by(|(k, _)| k.as_slice().cmp(key))
    }

    /// The value under `key`.
    pub fn get(&self, key: &[u8]) -> Option<&V> {
        self.find(key).ok().map(|i| &self.items[i].1)
    }

    /// The value under `key`, mutably.
    pub fn get_mut(&mut self, key: &[u8]) -> Option<&mut V> {
        self.find(key).ok().map(|i| &mut self.items[i].1)
    }

    /// The value under `key`, inserted as `V::default()` if absent.
    pub fn entry_or_default(&mut self, key: &[u8]) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(key) {
            Ok(i) => i,
            Err(i) => {
                self.items.insert(i, (key.to_vec(), V::default()));
                i
            }
        };
        &mut self.items[i].1
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &[u8]) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `v`, returning the value it replaced.
    pub fn insert(&mut self, key: Vec<u8>, v: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(core::mem::replace(&mut self.items[i].1, v)),
            Err(i) => {
                self.items.insert(i, (key, v));
                None
            }
        }
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &[u8]) -> Option<V> {
        self.find(key).ok().map(|i| self.items.remove(i).1)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &Vec<u8>> {
        self.items.iter().map(|(k, _)| k)
    }

    /// The values, in key order.
    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.items.iter().map(|(_, v)| v)
    }

    /// The values, in key order, mutably.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.items.iter_mut().map(|(_, v)| v)
    }

    /// Keys and values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&Vec<u8>, &V)> {
        self.items.iter().map(|(k, v)| (k, v))
    }

    /// Keys and values, in key order, values mutably.
    pub fn iter_mut(&mut self) -> impl Iterator<Item = (&Vec<u8>, &mut V)> {
        self.items.iter_mut().map(|(k, v)| (&*k, v))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Removes everything.
    pub fn clear(&mut self) {
        self.items.clear();
    }
}
