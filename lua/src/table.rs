//! Lua tables, as ltable.c of Lua 5.1.5: an array part plus a hash part of
//! `2^k` nodes with chained scatter and Brent's variation.
//!
//! The layout is reproduced exactly (main positions, collision moves, the
//! `lastfree` scan, `rehash`/`computesizes`, the hash functions for numbers,
//! strings and booleans) because `next`/`pairs` order and `#t` on tables with
//! holes are visible to scripts, and Redis scripts (cjson.encode's key order)
//! depend on them. Tables and functions used as keys hash by their handle, so
//! their order differs from C Lua's (which hashes addresses), as it differs
//! between two C Lua runs.
//!
//! Invariants (as ltable.c):
//! - `node.len()` is a power of two; an empty hash part is one "dummy" node
//!   (`dummy == true`) that never takes a key.
//! - a key not in its main position has its main position occupied by a key
//!   that is in its own main position; each chain links keys of one main
//!   position through `next`.
//! - every node at index `>= lastfree` is taken or was taken since the last
//!   resize (the free-slot scan walks down from the end once).
//! - keys of removed entries stay in their node with a nil value, so `next`
//!   can continue from a key that was just set to nil; only a rehash drops
//!   them.

use alloc::vec::Vec;

use crate::value::{StrRef, Value};

/// Largest array part: 2^MAXBITS (ltable.c, with 32-bit ints).
const MAXBITS: usize = 26;
const MAXASIZE: usize = 1 << MAXBITS;
/// Marks the end of a collision chain.
const NO_NEXT: u32 = u32::MAX;

/// One hash node: key, value and the index of the next node in the chain.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Node {
    pub(crate) key: Value,
    pub(crate) val: Value,
    next: u32,
}

const EMPTY_NODE: Node = Node { key: Value::Nil, val: Value::Nil, next: NO_NEXT };

/// Where a key's value lives, as the pointer luaH_set returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    /// Index into the array part (key - 1).
    Array(usize),
    /// Index into the hash part.
    Node(usize),
}

/// Errors a raw set can raise (luaG_runerror texts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TableError {
    /// "table index is nil"
    NilIndex,
    /// "table index is NaN"
    NanIndex,
    /// "table overflow" (hash part beyond 2^26 nodes)
    Overflow,
}

impl TableError {
    /// The message Lua raises.
    pub(crate) fn message(self) -> &'static str {
        match self {
            TableError::NilIndex => "table index is nil",
            TableError::NanIndex => "table index is NaN",
            TableError::Overflow => "table overflow",
        }
    }
}

/// A Lua table (ltable.c's `Table`).
#[derive(Debug)]
pub(crate) struct Table {
    pub(crate) array: Vec<Value>,
    pub(crate) node: Vec<Node>,
    /// The hash part is the shared dummy node (size 0 in Lua's terms).
    dummy: bool,
    lastfree: usize,
    pub(crate) metatable: Option<crate::value::TableRef>,
    /// Cache of absent metamethods (bit set = known absent), as `Table.flags`.
    pub(crate) flags: u8,
    /// Redis's read-only tables ("Attempt to modify a readonly table").
    pub(crate) readonly: bool,
}

/// `ceil(log2(x))` for x >= 1 (luaO_log2 + 1 rounding).
fn ceillog2(x: usize) -> usize {
    if x <= 1 {
        0
    } else {
        (usize::BITS - (x - 1).leading_zeros()) as usize
    }
}

/// The index `key` would have in the array part (luaH's `arrayindex`):
/// its value if the key is a number with an exact `int` value.
#[inline]
fn arrayindex(key: &Value) -> Option<i64> {
    if let Value::Number(n) = *key {
        let k = n as i32;
        if k as f64 == n {
            return Some(k as i64);
        }
    }
    None
}

/// hashnum: the two 32-bit halves of the double summed, modulo (size-1)|1.
#[inline]
fn hashnum(n: f64, size: usize) -> usize {
    if n == 0.0 {
        return 0; // avoid problems with -0
    }
    let bits = n.to_bits();
    let a = (bits as u32).wrapping_add((bits >> 32) as u32);
    (a % (((size - 1) | 1) as u32)) as usize
}

#[inline]
fn hashmod(h: u32, size: usize) -> usize {
    (h % (((size - 1) | 1) as u32)) as usize
}

impl Table {
    /// luaH_new: a table with `narray` array slots and room for `nhash` keys.
    pub(crate) fn new(narray: usize, nhash: usize) -> Result<Table, TableError> {
        let mut t = Table {
            array: Vec::new(),
            node: Vec::new(),
            dummy: true,
            lastfree: 0,
            metatable: None,
            flags: 0xff,
            readonly: false,
        };
        t.set_array_vector(narray.min(MAXASIZE));
        t.set_node_vector(nhash)?;
        Ok(t)
    }

    /// luaH_new with sizes clamped to what a table can hold (so it cannot fail).
    pub(crate) fn with_sizes(narray: usize, nhash: usize) -> Table {
        match Table::new(narray.min(MAXASIZE), nhash.min(MAXASIZE)) {
            Ok(t) => t,
            // Both sizes are within MAXBITS, so `new` cannot overflow.
            Err(_) => Table::dead(),
        }
    }

    /// An empty table that holds no allocation (for freed arena slots).
    pub(crate) fn dead() -> Table {
        Table {
            array: Vec::new(),
            node: alloc::vec![EMPTY_NODE],
            dummy: true,
            lastfree: 0,
            metatable: None,
            flags: 0xff,
            readonly: false,
        }
    }

    /// The bytes this table's parts occupy, for memory accounting.
    pub(crate) fn mem_size(&self) -> usize {
        self.array.len() * core::mem::size_of::<Value>() + self.node.len() * core::mem::size_of::<Node>()
    }

    /// Number of hash nodes (1 for the dummy).
    #[inline]
    fn sizenode(&self) -> usize {
        self.node.len()
    }

    fn set_array_vector(&mut self, size: usize) {
        self.array.resize(size, Value::Nil);
    }

    fn set_node_vector(&mut self, size: usize) -> Result<(), TableError> {
        if size == 0 {
            self.node = alloc::vec![EMPTY_NODE];
            self.dummy = true;
            self.lastfree = 0;
        } else {
            let lsize = ceillog2(size);
            if lsize > MAXBITS {
                return Err(TableError::Overflow);
            }
            let size = 1usize << lsize;
            self.node = alloc::vec![EMPTY_NODE; size];
            self.dummy = false;
            self.lastfree = size;
        }
        Ok(())
    }

    /// The main position of a (non-nil) key.
    #[inline]
    fn mainposition(&self, key: &Value) -> usize {
        let size = self.sizenode();
        match *key {
            Value::Number(n) => hashnum(n, size),
            Value::String(s) => (s.hash as usize) & (size - 1),
            Value::Boolean(b) => (b as usize) & (size - 1),
            Value::LightUserData(p) => hashmod(p as u32, size),
            Value::Table(t) => hashmod(t.0, size),
            Value::Function(f) => hashmod(f.0, size),
            Value::Thread(c) => hashmod(c.0, size),
            Value::Nil => 0,
        }
    }

    #[inline]
    fn next_of(&self, n: usize) -> Option<usize> {
        let nx = self.node[n].next;
        if nx == NO_NEXT {
            None
        } else {
            Some(nx as usize)
        }
    }

    /// luaH_getstr.
    #[inline]
    pub(crate) fn get_str(&self, key: StrRef) -> Value {
        let mut n = (key.hash as usize) & (self.sizenode() - 1);
        loop {
            let node = &self.node[n];
            if let Value::String(k) = node.key {
                if k == key {
                    return node.val;
                }
            }
            if node.next == NO_NEXT {
                return Value::Nil;
            }
            n = node.next as usize;
        }
    }

    /// Overwrites the value of an existing string key with a non-nil value
    /// (what luaH_setstr + assignment does when the key is present);
    /// `false` when the key is absent or its value is nil.
    #[inline]
    pub(crate) fn set_existing_str(&mut self, key: StrRef, v: Value) -> bool {
        let mut n = (key.hash as usize) & (self.sizenode() - 1);
        loop {
            let node = &mut self.node[n];
            if let Value::String(k) = node.key {
                if k == key {
                    if node.val.is_nil() {
                        return false;
                    }
                    node.val = v;
                    self.flags = 0;
                    return true;
                }
            }
            if node.next == NO_NEXT {
                return false;
            }
            n = node.next as usize;
        }
    }

    /// luaH_getnum.
    #[inline]
    pub(crate) fn get_int(&self, key: i64) -> Value {
        if key >= 1 && ((key - 1) as u64) < self.array.len() as u64 {
            return self.array[(key - 1) as usize];
        }
        let nk = key as f64;
        let mut n = hashnum(nk, self.sizenode());
        loop {
            let node = &self.node[n];
            if let Value::Number(k) = node.key {
                if k == nk {
                    return node.val;
                }
            }
            if node.next == NO_NEXT {
                return Value::Nil;
            }
            n = node.next as usize;
        }
    }

    /// luaH_get.
    #[inline]
    pub(crate) fn get(&self, key: &Value) -> Value {
        match *key {
            Value::Nil => Value::Nil,
            Value::String(s) => self.get_str(s),
            Value::Number(n) => {
                let k = n as i32;
                if k as f64 == n {
                    self.get_int(k as i64)
                } else {
                    self.get_generic(key)
                }
            }
            _ => self.get_generic(key),
        }
    }

    fn get_generic(&self, key: &Value) -> Value {
        match self.find_node(key) {
            Some(n) => self.node[n].val,
            None => Value::Nil,
        }
    }

    /// The node holding `key` (raw equality), if any.
    fn find_node(&self, key: &Value) -> Option<usize> {
        let mut n = self.mainposition(key);
        loop {
            if self.node[n].key == *key {
                return Some(n);
            }
            n = self.next_of(n)?;
        }
    }

    /// The slot holding `key`'s value, without inserting.
    fn find_slot(&self, key: &Value) -> Option<Slot> {
        match *key {
            Value::Nil => None,
            Value::Number(n) => {
                let k = n as i32;
                if k as f64 == n && k >= 1 && (k as usize) <= self.array.len() {
                    Some(Slot::Array(k as usize - 1))
                } else {
                    self.find_node(key).map(Slot::Node)
                }
            }
            _ => self.find_node(key).map(Slot::Node),
        }
    }

    /// Reads a slot returned by [`Table::set_slot`].
    #[inline]
    pub(crate) fn slot_get(&self, s: Slot) -> Value {
        match s {
            Slot::Array(i) => self.array[i],
            Slot::Node(i) => self.node[i].val,
        }
    }

    /// Writes a slot returned by [`Table::set_slot`].
    #[inline]
    pub(crate) fn slot_put(&mut self, s: Slot, v: Value) {
        match s {
            Slot::Array(i) => self.array[i] = v,
            Slot::Node(i) => self.node[i].val = v,
        }
    }

    /// luaH_set: the slot for `key`, inserting the key (with a nil value) if
    /// absent. Clears the metamethod cache, as Lua does.
    pub(crate) fn set_slot(&mut self, key: Value) -> Result<Slot, TableError> {
        self.flags = 0;
        if let Some(s) = self.find_slot(&key) {
            return Ok(s);
        }
        match key {
            Value::Nil => Err(TableError::NilIndex),
            Value::Number(n) if n.is_nan() => Err(TableError::NanIndex),
            _ => self.newkey(key),
        }
    }

    /// `t[key] = val` without metamethods.
    pub(crate) fn raw_set(&mut self, key: Value, val: Value) -> Result<(), TableError> {
        // Fast path for an existing array slot: no insertion, same effect.
        if let Value::Number(n) = key {
            let k = n as i32;
            if k as f64 == n && k >= 1 && (k as usize) <= self.array.len() {
                self.flags = 0;
                self.array[k as usize - 1] = val;
                return Ok(());
            }
        }
        let s = self.set_slot(key)?;
        self.slot_put(s, val);
        Ok(())
    }

    /// luaH_setnum + assignment.
    pub(crate) fn raw_set_int(&mut self, key: i64, val: Value) -> Result<(), TableError> {
        if key >= 1 && ((key - 1) as u64) < self.array.len() as u64 {
            self.flags = 0;
            self.array[(key - 1) as usize] = val;
            return Ok(());
        }
        self.raw_set(Value::Number(key as f64), val)
    }

    /// getfreepos: scans down from `lastfree` for a node without a key.
    fn getfreepos(&mut self) -> Option<usize> {
        while self.lastfree > 0 {
            self.lastfree -= 1;
            if self.node[self.lastfree].key.is_nil() {
                return Some(self.lastfree);
            }
        }
        None
    }

    /// newkey: inserts a key that is not present (value nil).
    fn newkey(&mut self, key: Value) -> Result<Slot, TableError> {
        let mut mp = self.mainposition(&key);
        if !self.node[mp].val.is_nil() || self.dummy {
            let n = match self.getfreepos() {
                Some(n) => n,
                None => {
                    self.rehash(&key)?;
                    return self.set_slot(key);
                }
            };
            let othern0 = self.mainposition(&self.node[mp].key);
            if othern0 != mp {
                // The colliding node is out of its main position: move it to
                // the free node and take its place.
                let mut othern = othern0;
                while self.node[othern].next != mp as u32 {
                    othern = self.node[othern].next as usize;
                }
                self.node[othern].next = n as u32;
                self.node[n] = self.node[mp];
                self.node[mp].next = NO_NEXT;
                self.node[mp].val = Value::Nil;
            } else {
                // The colliding node is in its main position: the new key
                // goes to the free node, chained after it.
                self.node[n].next = self.node[mp].next;
                self.node[mp].next = n as u32;
                mp = n;
            }
        }
        self.node[mp].key = key;
        Ok(Slot::Node(mp))
    }

    fn numusearray(&self, nums: &mut [usize; MAXBITS + 1]) -> usize {
        let mut ause = 0;
        let mut i = 1usize;
        let mut ttlg = 1usize;
        for count in nums.iter_mut() {
            let mut lc = 0;
            let mut lim = ttlg;
            if lim > self.array.len() {
                lim = self.array.len();
                if i > lim {
                    break;
                }
            }
            while i <= lim {
                if !self.array[i - 1].is_nil() {
                    lc += 1;
                }
                i += 1;
            }
            *count += lc;
            ause += lc;
            ttlg *= 2;
        }
        ause
    }

    fn countint(key: &Value, nums: &mut [usize; MAXBITS + 1]) -> usize {
        match arrayindex(key) {
            Some(k) if k > 0 && (k as usize) <= MAXASIZE => {
                nums[ceillog2(k as usize)] += 1;
                1
            }
            _ => 0,
        }
    }

    fn numusehash(&self, nums: &mut [usize; MAXBITS + 1], nasize: &mut usize) -> usize {
        let mut totaluse = 0;
        let mut ause = 0;
        for n in self.node.iter().rev() {
            if !n.val.is_nil() {
                ause += Self::countint(&n.key, nums);
                totaluse += 1;
            }
        }
        *nasize += ause;
        totaluse
    }

    fn computesizes(nums: &[usize; MAXBITS + 1], narray: &mut usize) -> usize {
        let mut a = 0;
        let mut na = 0;
        let mut n = 0;
        let mut i = 0;
        let mut twotoi = 1usize;
        while twotoi / 2 < *narray {
            if nums[i] > 0 {
                a += nums[i];
                if a > twotoi / 2 {
                    n = twotoi;
                    na = a;
                }
            }
            if a == *narray {
                break;
            }
            i += 1;
            twotoi *= 2;
            if i > MAXBITS {
                break;
            }
        }
        *narray = n;
        na
    }

    /// The bytes of the new parts if inserting `key` would rehash the table
    /// now (so a caller can check a memory limit before the allocation);
    /// `None` when the key is present or has room.
    pub(crate) fn rehash_bytes_if_full(&self, key: &Value) -> Option<usize> {
        if key.is_nil() || self.find_slot(key).is_some() {
            return None;
        }
        if !self.dummy {
            let mp = self.mainposition(key);
            if self.node[mp].val.is_nil() {
                return None;
            }
            if self.node[..self.lastfree].iter().rev().any(|n| n.key.is_nil()) {
                return None;
            }
        }
        let mut nums = [0usize; MAXBITS + 1];
        let mut nasize = self.numusearray(&mut nums);
        let mut totaluse = nasize;
        totaluse += self.numusehash(&mut nums, &mut nasize);
        nasize += Self::countint(key, &mut nums);
        totaluse += 1;
        let na = Self::computesizes(&nums, &mut nasize);
        let nh = totaluse - na;
        let nodes = if nh == 0 { 1 } else { 1usize << ceillog2(nh).min(MAXBITS) };
        Some(nasize.max(self.array.len()) * core::mem::size_of::<Value>() + nodes * core::mem::size_of::<Node>())
    }

    fn rehash(&mut self, ek: &Value) -> Result<(), TableError> {
        let mut nums = [0usize; MAXBITS + 1];
        let mut nasize = self.numusearray(&mut nums);
        let mut totaluse = nasize;
        totaluse += self.numusehash(&mut nums, &mut nasize);
        nasize += Self::countint(ek, &mut nums);
        totaluse += 1;
        let na = Self::computesizes(&nums, &mut nasize);
        self.resize(nasize, totaluse - na)
    }

    /// luaH_resize: new array and hash sizes, re-inserting every entry.
    fn resize(&mut self, nasize: usize, nhsize: usize) -> Result<(), TableError> {
        let oldasize = self.array.len();
        let was_dummy = self.dummy;
        if nasize > oldasize {
            self.set_array_vector(nasize);
        }
        let nold = core::mem::take(&mut self.node);
        if let Err(e) = self.set_node_vector(nhsize) {
            self.node = nold;
            return Err(e);
        }
        if nasize < oldasize {
            // Re-insert the vanishing slice into the hash part.
            let vanishing: Vec<Value> = self.array.split_off(nasize);
            for (i, v) in vanishing.into_iter().enumerate() {
                if !v.is_nil() {
                    self.raw_set_int((nasize + i + 1) as i64, v)?;
                }
            }
            self.array.shrink_to_fit();
        }
        if !was_dummy {
            for old in nold.iter().rev() {
                if !old.val.is_nil() {
                    let s = self.set_slot(old.key)?;
                    self.slot_put(s, old.val);
                }
            }
        }
        Ok(())
    }

    /// luaH_resizearray (used by SETLIST to pre-size the array part).
    pub(crate) fn resize_array(&mut self, nasize: usize) -> Result<(), TableError> {
        let nsize = if self.dummy { 0 } else { self.sizenode() };
        self.resize(nasize.min(MAXASIZE), nsize)
    }

    fn unbound_search(&self, j: usize) -> usize {
        let mut i = j;
        let mut j = j + 1;
        while !self.get_int(j as i64).is_nil() {
            i = j;
            j *= 2;
            if j > i32::MAX as usize {
                // Built for bad purposes: linear search.
                let mut i = 1usize;
                while !self.get_int(i as i64).is_nil() {
                    i += 1;
                }
                return i - 1;
            }
        }
        while j - i > 1 {
            let m = (i + j) / 2;
            if self.get_int(m as i64).is_nil() {
                j = m;
            } else {
                i = m;
            }
        }
        i
    }

    /// luaH_getn: a border of the table (`#t`).
    pub(crate) fn getn(&self) -> usize {
        let mut j = self.array.len();
        if j > 0 && self.array[j - 1].is_nil() {
            let mut i = 0;
            while j - i > 1 {
                let m = (i + j) / 2;
                if self.array[m - 1].is_nil() {
                    j = m;
                } else {
                    i = m;
                }
            }
            i
        } else if self.dummy {
            j
        } else {
            self.unbound_search(j)
        }
    }

    /// luaH_next: the entry after `key` in traversal order (array part, then
    /// hash nodes), `Ok(None)` at the end, `Err(())` for "invalid key to 'next'".
    pub(crate) fn next(&self, key: &Value) -> Result<Option<(Value, Value)>, ()> {
        let mut i = self.findindex(key)?;
        let asize = self.array.len();
        i = i.wrapping_add(1);
        while i < asize {
            if !self.array[i].is_nil() {
                return Ok(Some((Value::Number((i + 1) as f64), self.array[i])));
            }
            i += 1;
        }
        let mut n = i - asize;
        while n < self.sizenode() {
            let node = &self.node[n];
            if !node.val.is_nil() {
                return Ok(Some((node.key, node.val)));
            }
            n += 1;
        }
        Ok(None)
    }

    /// findindex: traversal index of `key` (usize::MAX for the start).
    fn findindex(&self, key: &Value) -> Result<usize, ()> {
        if key.is_nil() {
            return Ok(usize::MAX);
        }
        if let Some(i) = arrayindex(key) {
            if i > 0 && (i as usize) <= self.array.len() {
                return Ok(i as usize - 1);
            }
        }
        match self.find_node(key) {
            Some(n) => Ok(n + self.array.len()),
            None => Err(()),
        }
    }

    /// Every key and value (for the collector).
    pub(crate) fn for_each_value(&self, mut f: impl FnMut(Value)) {
        for v in &self.array {
            f(*v);
        }
        for n in &self.node {
            if !n.val.is_nil() {
                f(n.key);
                f(n.val);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> Value {
        Value::Number(n)
    }

    #[test]
    fn array_and_hash_parts() {
        let mut t = Table::new(0, 0).unwrap();
        for i in 1..=10 {
            t.raw_set(num(i as f64), num(i as f64 * 2.0)).unwrap();
        }
        assert_eq!(t.getn(), 10);
        assert_eq!(t.get(&num(3.0)), num(6.0));
        assert_eq!(t.array.len(), 16);
        t.raw_set(num(5.0), Value::Nil).unwrap();
        // 5 is nil, but array[15] is nil so binary search finds a border
        let n = t.getn();
        assert!(n == 4 || n == 10);
        let mut k = Value::Nil;
        let mut count = 0;
        while let Some((nk, _)) = t.next(&k).unwrap() {
            count += 1;
            k = nk;
        }
        assert_eq!(count, 9);
    }

    #[test]
    fn nil_and_nan_keys() {
        let mut t = Table::new(0, 0).unwrap();
        assert_eq!(t.raw_set(Value::Nil, num(1.0)), Err(TableError::NilIndex));
        assert_eq!(t.raw_set(num(f64::NAN), num(1.0)), Err(TableError::NanIndex));
    }
}
