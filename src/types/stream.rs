//! Streams, shaped like Redis 7.0's radix tree of listpacks so that every
//! count Redis derives from its layout comes out the same.
//!
//! Redis keeps a stream as a radix tree keyed by 128-bit big-endian ids whose
//! values are listpacks ("nodes"). A node starts with a master entry (live
//! count, deleted count, the field names of the node's first entry) and then
//! holds entries appended in id order; an entry whose field names equal the
//! master's stores only its values. Deleting an entry (XDEL, exact trimming
//! inside a node) only flags it: the tombstone stays in its node, still
//! counts towards the node's capacity, and the node is dropped once its last
//! live entry goes. Approximate trimming (`~`) removes whole nodes only, so
//! how entries are grouped into nodes is visible in XADD/XTRIM replies.
//!
//! Here a node is a [`BTreeMap`] entry keyed by its master id (its first
//! entry's id), holding its entries and tombstones in id order. New nodes
//! are started exactly when Redis starts one: when the tail node's listpack
//! size plus the new entry's raw field/value bytes reaches
//! `stream-node-max-bytes`, or its entries (tombstones included) reach
//! `stream-node-max-entries`. The listpack size is tracked in bytes as
//! Redis's encoding would lay it out ([`lp_int_size`], [`lp_str_size`]).
//! `XINFO STREAM`'s `radix-tree-nodes` is computed from the node keys as the
//! canonical compressed radix tree, which is what Redis's rax holds for keys
//! of equal length.
//!
//! Invariants:
//! - nodes are disjoint and ordered: every entry of a node has an id at
//!   least its key and below the next node's key; each node has at least one
//!   live entry;
//! - `length` is the number of live entries; `first_id` is the first live
//!   id (0-0 when empty) as Redis records it; `last_id` never decreases
//!   except through XSETID, which keeps it at or above the last live id.
//!
//! Consumer groups live in [`Stream::groups`], ordered by name bytes as
//! Redis's rax orders them. A pending entry (NACK) is in its group's `pel`
//! and in exactly one consumer's `pel`, the one it names.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::vec::Vec;

/// A stream entry id: milliseconds and sequence, ordered as a 128-bit number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct StreamId {
    /// Milliseconds part.
    pub ms: u64,
    /// Sequence part.
    pub seq: u64,
}

impl StreamId {
    /// `0-0`, the smallest id.
    pub const MIN: StreamId = StreamId { ms: 0, seq: 0 };
    /// The largest id, `18446744073709551615-18446744073709551615`.
    pub const MAX: StreamId = StreamId { ms: u64::MAX, seq: u64::MAX };

    /// The id `ms-seq`.
    pub const fn new(ms: u64, seq: u64) -> StreamId {
        StreamId { ms, seq }
    }

    /// The next id, `None` after the largest one.
    pub fn incr(self) -> Option<StreamId> {
        if self.seq == u64::MAX {
            if self.ms == u64::MAX {
                None
            } else {
                Some(StreamId::new(self.ms + 1, 0))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq + 1))
        }
    }

    /// The previous id, `None` before `0-0`.
    pub fn decr(self) -> Option<StreamId> {
        if self.seq == 0 {
            if self.ms == 0 {
                None
            } else {
                Some(StreamId::new(self.ms - 1, u64::MAX))
            }
        } else {
            Some(StreamId::new(self.ms, self.seq - 1))
        }
    }

    /// True for `0-0`.
    pub fn is_zero(self) -> bool {
        self.ms == 0 && self.seq == 0
    }

    /// The `ms-seq` text Redis replies with.
    pub fn to_bytes(self) -> Vec<u8> {
        let mut v = Vec::with_capacity(41);
        push_u64(&mut v, self.ms);
        v.push(b'-');
        push_u64(&mut v, self.seq);
        v
    }

    /// The radix-tree key: 16 bytes, big endian.
    fn key(self) -> [u8; 16] {
        let mut k = [0u8; 16];
        k[..8].copy_from_slice(&self.ms.to_be_bytes());
        k[8..].copy_from_slice(&self.seq.to_be_bytes());
        k
    }
}

fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[i..]);
}

// ---------------------------------------------------------------------------
// Listpack sizes.

/// Bytes a listpack integer element holding `v` takes (encoding + backlen).
pub fn lp_int_size(v: i64) -> usize {
    let enc = if (0..=127).contains(&v) {
        1
    } else if (-4096..=4095).contains(&v) {
        2
    } else if (-32768..=32767).contains(&v) {
        3
    } else if (-8388608..=8388607).contains(&v) {
        4
    } else if (-2147483648..=2147483647).contains(&v) {
        5
    } else {
        9
    };
    enc + 1
}

/// Bytes a listpack element holding the string `s` takes: strings that read
/// as integers are stored as integers.
pub fn lp_str_size(s: &[u8]) -> usize {
    // Listpack's `lpStringToInt64` accepts what `string2ll` does.
    if let Some(v) = crate::num::parse_i64(s) {
        return lp_int_size(v);
    }
    let n = s.len();
    let enc = if n < 64 {
        1 + n
    } else if n < 4096 {
        2 + n
    } else {
        5 + n
    };
    enc + crate::rdb::listpack::backlen_size(enc)
}

/// Listpack header (total bytes, element count) plus the end byte.
const LP_OVERHEAD: usize = 7;

/// Redis caps a stream listpack at 1 GiB whatever the configuration.
pub const STREAM_LISTPACK_MAX_SIZE: u64 = 1 << 30;

// ---------------------------------------------------------------------------
// Nodes.

/// Entry flag: the entry is a tombstone.
const FLAG_DELETED: u8 = 1;
/// Entry flag: the entry's field names are the master entry's.
const FLAG_SAMEFIELDS: u8 = 2;

/// Appends `v` as a LEB128 varint.
fn put_varint(buf: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        buf.push((v as u8) | 0x80);
        v >>= 7;
    }
    buf.push(v as u8);
}

/// Reads a LEB128 varint at `*pos`, advancing it (0 past the end).
fn get_varint(b: &[u8], pos: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0u32;
    while let Some(&c) = b.get(*pos) {
        *pos += 1;
        if shift < 64 {
            v |= u64::from(c & 0x7f) << shift;
        }
        if c & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    v
}

/// A wrapping delta as a small number either way (Redis keeps the deltas
/// as int64: after XSETID-free appends the seq delta is often "negative").
fn zigzag(d: u64) -> u64 {
    let d = d as i64;
    ((d << 1) ^ (d >> 63)) as u64
}

fn unzigzag(z: u64) -> u64 {
    ((z >> 1) as i64 ^ -((z & 1) as i64)) as u64
}

/// `s` as an integer when it is the canonical decimal form of one (what
/// a listpack stores as an integer), small enough for [`put_str`]'s tag.
fn as_int(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 || s == b"-0" {
        return None;
    }
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    if digits.is_empty() || (digits[0] == b'0' && s.len() > 1) || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: i64 = core::str::from_utf8(s).ok()?.parse().ok()?;
    (zigzag(n as u64) < 1 << 62).then_some(n)
}

/// Appends a string: a varint header, `len << 1` then the bytes, or, for
/// the decimal form of an integer, `zigzag(n) << 1 | 1` alone.
fn put_str(buf: &mut Vec<u8>, s: &[u8]) {
    match as_int(s) {
        Some(n) => put_varint(buf, (zigzag(n as u64) << 1) | 1),
        None => {
            put_varint(buf, (s.len() as u64) << 1);
            buf.extend_from_slice(s);
        }
    }
}

/// Reads a string written by [`put_str`] at `*pos`, advancing it.
fn get_str<'a>(b: &'a [u8], pos: &mut usize) -> Option<Cow<'a, [u8]>> {
    let h = get_varint(b, pos);
    if h & 1 == 1 {
        let n = unzigzag(h >> 1) as i64;
        return Some(Cow::Owned(alloc::format!("{n}").into_bytes()));
    }
    let len = usize::try_from(h >> 1).ok()?;
    let s = b.get(*pos..pos.checked_add(len)?)?;
    *pos += len;
    Some(Cow::Borrowed(s))
}

/// Skips a string written by [`put_str`]; false past the end.
fn skip_str(b: &[u8], pos: &mut usize) -> bool {
    let h = get_varint(b, pos);
    if h & 1 == 1 {
        return *pos <= b.len();
    }
    match usize::try_from(h >> 1).ok().and_then(|l| pos.checked_add(l)) {
        Some(end) if end <= b.len() => {
            *pos = end;
            true
        }
        _ => false,
    }
}

/// One entry of a node, decoded from the node's bytes.
#[derive(Clone, Copy)]
struct Item<'a> {
    id: StreamId,
    flags: u8,
    /// Strings stored: values only with [`FLAG_SAMEFIELDS`], else field,
    /// value, field, ...
    count: usize,
    /// The strings, each a varint length and its bytes.
    data: &'a [u8],
    /// Where the entry starts in its node's bytes, and where the next does.
    off: usize,
    next: usize,
}

impl Item<'_> {
    fn deleted(&self) -> bool {
        self.flags & FLAG_DELETED != 0
    }
}

/// A node: what Redis keeps in one listpack, packed about as tightly (a
/// boxed value per entry would cost several times Redis's memory).
#[derive(Debug, Clone)]
struct Node {
    /// Its key: the first entry's id, the base of the id deltas.
    master: StreamId,
    /// The master entry's field names.
    fields: Box<[Box<[u8]>]>,
    /// Entries and tombstones in id order, each: a flags byte, the zigzag
    /// varint ms and seq deltas from `master` (wrapping), a varint count of
    /// strings unless [`FLAG_SAMEFIELDS`], then the strings (varint length,
    /// bytes). Walked from the start like Redis walks a listpack (a node
    /// holds `stream-node-max-entries` entries or `-bytes` bytes).
    buf: Vec<u8>,
    /// Live entries.
    live: u64,
    /// Tombstones.
    deleted: u64,
    /// Listpack bytes of everything but the header, the end byte and the
    /// live/deleted counters (which change size as they grow).
    body: usize,
    /// Heap bytes of `fields`, fixed at creation, so [`Node::heap`] is O(1).
    fields_heap: usize,
}

/// Heap bytes of a boxed slice of boxed byte strings.
fn boxes_heap(b: &[Box<[u8]>]) -> usize {
    core::mem::size_of_val(b) + b.iter().map(|x| x.len()).sum::<usize>()
}

impl Node {
    fn new(master: StreamId, fv: &[&[u8]]) -> Node {
        let fields: Box<[Box<[u8]>]> = fv.iter().step_by(2).map(|f| Box::<[u8]>::from(*f)).collect();
        let body = lp_int_size(fields.len() as i64) + fields.iter().map(|f| lp_str_size(f)).sum::<usize>() + lp_int_size(0);
        let fields_heap = boxes_heap(&fields);
        let mut n = Node { master, fields, buf: Vec::new(), live: 0, deleted: 0, body, fields_heap };
        n.push(master, fv);
        n
    }

    /// Heap bytes this node owns: its field names and its entry bytes
    /// (capacity, as allocated).
    fn heap(&self) -> usize {
        self.fields_heap + self.buf.capacity()
    }

    /// The listpack's total size in bytes.
    fn lp_bytes(&self) -> usize {
        LP_OVERHEAD + lp_int_size(self.live as i64) + lp_int_size(self.deleted as i64) + self.body
    }

    /// Appends an entry.
    fn push(&mut self, id: StreamId, fv: &[&[u8]]) {
        let master = self.master;
        let nfields = fv.len() / 2;
        let same = nfields == self.fields.len() && fv.iter().step_by(2).zip(self.fields.iter()).all(|(a, b)| *a == &b[..]);
        let mut size = lp_int_size(if same { FLAG_SAMEFIELDS as i64 } else { 0 });
        // Redis stores the deltas as int64 after unsigned subtraction.
        size += lp_int_size(id.ms.wrapping_sub(master.ms) as i64);
        size += lp_int_size(id.seq.wrapping_sub(master.seq) as i64);
        self.buf.push(if same { FLAG_SAMEFIELDS } else { 0 });
        put_varint(&mut self.buf, zigzag(id.ms.wrapping_sub(master.ms)));
        put_varint(&mut self.buf, zigzag(id.seq.wrapping_sub(master.seq)));
        if same {
            for v in fv.iter().skip(1).step_by(2) {
                size += lp_str_size(v);
                put_str(&mut self.buf, v);
            }
        } else {
            size += lp_int_size(nfields as i64);
            put_varint(&mut self.buf, fv.len() as u64);
            for v in fv {
                size += lp_str_size(v);
                put_str(&mut self.buf, v);
            }
        }
        let lp_count = nfields as i64 + 3 + if same { 0 } else { nfields as i64 + 1 };
        size += lp_int_size(lp_count);
        self.body += size;
        self.live += 1;
    }

    /// Gives back the spare capacity once the node takes no more entries.
    /// A fresh exact-size copy, as an allocator may keep a shrunk block in
    /// place (mimalloc does down to half its size).
    fn seal(&mut self) {
        if self.buf.capacity() > self.buf.len() {
            self.buf = Box::<[u8]>::from(&self.buf[..]).into_vec();
        }
    }

    /// The entry starting at byte `off`, decoded.
    fn item(&self, off: usize) -> Item<'_> {
        let b = self.buf.get(off..).unwrap_or(&[]);
        let flags = b.first().copied().unwrap_or(0);
        let mut p = 1;
        let ms = self.master.ms.wrapping_add(unzigzag(get_varint(b, &mut p)));
        let seq = self.master.seq.wrapping_add(unzigzag(get_varint(b, &mut p)));
        let count = if flags & FLAG_SAMEFIELDS != 0 { self.fields.len() } else { get_varint(b, &mut p) as usize };
        let data_start = p;
        for _ in 0..count {
            if !skip_str(b, &mut p) {
                p = b.len();
                break;
            }
        }
        let data = b.get(data_start..p).unwrap_or(&[]);
        Item { id: StreamId::new(ms, seq), flags, count, data, off, next: off + p.max(1) }
    }

    /// The entries (tombstones too) in id order, decoded.
    fn items(&self) -> impl Iterator<Item = Item<'_>> + '_ {
        let mut off = 0;
        core::iter::from_fn(move || {
            if off >= self.buf.len() {
                return None;
            }
            let it = self.item(off);
            off = it.next;
            Some(it)
        })
    }

    /// The entries in reverse id order (a listpack is walked back the
    /// same way, entry by entry).
    fn items_rev(&self) -> impl Iterator<Item = Item<'_>> + '_ {
        let offs: Vec<usize> = self.items().map(|it| it.off).collect();
        offs.into_iter().rev().map(move |o| self.item(o))
    }

    /// Offset of entry `id`.
    fn find(&self, id: StreamId) -> Option<usize> {
        self.items().find(|it| it.id >= id).filter(|it| it.id == id).map(|it| it.off)
    }

    /// Flags the entry at `off` a tombstone (the flags byte is its first).
    fn set_deleted(&mut self, off: usize) {
        if let Some(b) = self.buf.get_mut(off) {
            *b |= FLAG_DELETED;
        }
    }

    fn entry<'a>(&'a self, item: Item<'a>) -> EntryRef<'a> {
        EntryRef { id: item.id, node: self, flags: item.flags, count: item.count, data: item.data }
    }
}

/// A live entry of a stream, borrowed.
#[derive(Clone, Copy)]
pub struct EntryRef<'a> {
    /// Its id.
    pub id: StreamId,
    node: &'a Node,
    flags: u8,
    count: usize,
    data: &'a [u8],
}

impl<'a> EntryRef<'a> {
    /// Number of field-value pairs.
    pub fn len(&self) -> usize {
        if self.flags & FLAG_SAMEFIELDS != 0 {
            self.count
        } else {
            self.count / 2
        }
    }

    /// True when the entry has no fields (never, for entries XADD made).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The field-value pairs, in insertion order (integers are stored as
    /// such, so a value may come back owned).
    pub fn fields(&self) -> impl Iterator<Item = (Cow<'a, [u8]>, Cow<'a, [u8]>)> + 'a {
        let names = (self.flags & FLAG_SAMEFIELDS != 0).then(|| self.node.fields.iter());
        FieldIter { names, data: self.data, pos: 0, left: self.len() }
    }

    /// The field-value pairs, copied.
    pub fn to_pairs(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.fields().map(|(f, v)| (f.into_owned(), v.into_owned())).collect()
    }
}

/// Decodes an entry's field-value pairs.
struct FieldIter<'a> {
    /// The master's field names, for an entry that stores values only.
    names: Option<core::slice::Iter<'a, Box<[u8]>>>,
    data: &'a [u8],
    pos: usize,
    left: usize,
}

impl<'a> Iterator for FieldIter<'a> {
    type Item = (Cow<'a, [u8]>, Cow<'a, [u8]>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let name = match &mut self.names {
            Some(n) => Cow::Borrowed(&n.next()?[..]),
            None => get_str(self.data, &mut self.pos)?,
        };
        let value = get_str(self.data, &mut self.pos)?;
        Some((name, value))
    }
}

// ---------------------------------------------------------------------------
// Trimming.

/// How XADD/XTRIM trim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrimStrategy {
    /// `MAXLEN n`: keep at most n entries.
    MaxLen(u64),
    /// `MINID id`: drop entries below id.
    MinId(StreamId),
}

/// A trim request, as Redis's `streamAddTrimArgs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Trim {
    /// What to keep.
    pub strategy: TrimStrategy,
    /// `~`: remove whole nodes only.
    pub approx: bool,
    /// Most entries to remove, 0 = no limit (only meaningful with `approx`).
    pub limit: u64,
}

// ---------------------------------------------------------------------------
// The entries.

/// A stream's entries and counters (everything but its consumer groups), so
/// group operations can read the entries while they update a group.
#[derive(Debug, Clone, Default)]
pub struct Entries {
    nodes: BTreeMap<StreamId, Node>,
    length: u64,
    last_id: StreamId,
    first_id: StreamId,
    max_deleted_id: StreamId,
    entries_added: u64,
    /// Sum of the nodes' `heap` (memory accounting in O(1)).
    heap: usize,
}

impl Entries {
    /// Live entries.
    pub fn len(&self) -> u64 {
        self.length
    }

    /// True when no live entry is left (the key may still exist).
    pub fn is_empty(&self) -> bool {
        self.length == 0
    }

    /// The last id generated or set (`last-generated-id`).
    pub fn last_id(&self) -> StreamId {
        self.last_id
    }

    /// `recorded-first-entry-id`.
    pub fn first_id(&self) -> StreamId {
        self.first_id
    }

    /// `max-deleted-entry-id`.
    pub fn max_deleted_id(&self) -> StreamId {
        self.max_deleted_id
    }

    /// `entries-added`: every entry ever added.
    pub fn entries_added(&self) -> u64 {
        self.entries_added
    }

    /// XSETID's update; the caller checked the arguments.
    pub fn set_ids(&mut self, last: StreamId, entries_added: Option<u64>, max_deleted: Option<StreamId>) {
        self.last_id = last;
        if let Some(n) = entries_added {
            self.entries_added = n;
        }
        if let Some(m) = max_deleted {
            self.max_deleted_id = m;
        }
    }

    /// Appends an entry with `id` (already checked to be above `last_id`);
    /// `fv` holds field, value, field, value... A new node is started as
    /// Redis starts one for `max_bytes` (`stream-node-max-bytes`, 0 = the 1
    /// GiB cap) and `max_entries` (`stream-node-max-entries`, 0 = none).
    pub fn append(&mut self, id: StreamId, fv: &[&[u8]], max_bytes: u64, max_entries: i64) {
        let raw: u64 = fv.iter().map(|e| e.len() as u64).sum();
        let max_bytes = if max_bytes == 0 || max_bytes > STREAM_LISTPACK_MAX_SIZE { STREAM_LISTPACK_MAX_SIZE } else { max_bytes };
        let tail = self.nodes.last_key_value().map(|(k, _)| *k);
        let reuse = match self.nodes.last_key_value() {
            None => false,
            Some((_, n)) => {
                if (n.lp_bytes() as u64).saturating_add(raw) >= max_bytes {
                    false
                } else {
                    !(max_entries != 0 && (n.live + n.deleted) as i64 >= max_entries)
                }
            }
        };
        match tail {
            Some(master) if reuse => {
                if let Some(n) = self.nodes.get_mut(&master) {
                    let before = n.heap();
                    n.push(id, fv);
                    self.heap = self.heap + n.heap() - before;
                }
            }
            _ => {
                // The full tail node gives back its spare capacity.
                if let Some(n) = tail.and_then(|t| self.nodes.get_mut(&t)) {
                    let before = n.heap();
                    n.seal();
                    self.heap = self.heap + n.heap() - before;
                }
                let n = Node::new(id, fv);
                self.heap += n.heap();
                self.nodes.insert(id, n);
            }
        }
        self.length += 1;
        // Unsigned, wrapping as in Redis (a restored stream may claim any count).
        self.entries_added = self.entries_added.wrapping_add(1);
        self.last_id = id;
        if self.length == 1 {
            self.first_id = id;
        }
    }

    /// Flags the live entry `id` deleted (dropping its node if it was the
    /// node's last live entry). False if there is no such live entry.
    fn delete_one(&mut self, id: StreamId) -> bool {
        let Some((&master, node)) = self.nodes.range_mut(..=id).next_back() else { return false };
        let Some(pos) = node.find(id) else { return false };
        if node.item(pos).deleted() {
            return false;
        }
        if node.live == 1 {
            let freed = node.heap();
            self.nodes.remove(&master);
            self.heap -= freed;
        } else {
            node.set_deleted(pos);
            node.live -= 1;
            node.deleted += 1;
        }
        self.length -= 1;
        true
    }

    /// XDEL: deletes the ids that are live entries, updating the maximal
    /// deleted id and the recorded first id as Redis does. Returns how many
    /// were deleted.
    pub fn xdel(&mut self, ids: &[StreamId]) -> u64 {
        let mut deleted = 0;
        let mut first_entry = false;
        for &id in ids {
            if self.delete_one(id) {
                if id == self.first_id {
                    first_entry = true;
                }
                if id > self.max_deleted_id {
                    self.max_deleted_id = id;
                }
                deleted += 1;
            }
        }
        if deleted > 0 {
            if self.length == 0 {
                self.first_id = StreamId::MIN;
            } else if first_entry {
                self.first_id = self.first_live_id().unwrap_or(StreamId::MAX);
            }
        }
        deleted
    }

    /// Redis's `streamTrim`: returns how many entries were removed.
    pub fn trim(&mut self, t: &Trim) -> u64 {
        let mut deleted: u64 = 0;
        loop {
            if let TrimStrategy::MaxLen(maxlen) = t.strategy {
                if self.length <= maxlen {
                    break;
                }
            }
            let Some((&master, node)) = self.nodes.iter_mut().next() else { break };
            let entries = node.live;
            if t.limit != 0 && deleted.saturating_add(entries) > t.limit {
                break;
            }
            let remove_node = match t.strategy {
                TrimStrategy::MaxLen(maxlen) => self.length - entries >= maxlen,
                // The node's last entry, tombstone or not.
                TrimStrategy::MinId(min) => node.items().last().is_some_and(|it| it.id < min),
            };
            if remove_node {
                self.heap -= node.heap();
                self.nodes.remove(&master);
                self.length -= entries;
                deleted += entries;
                continue;
            }
            if t.approx {
                break;
            }
            let mut from_node = 0;
            let mut off = 0;
            while off < node.buf.len() {
                let (id, was_deleted, next) = {
                    let it = node.item(off);
                    (it.id, it.deleted(), it.next)
                };
                let i = off;
                off = next;
                let stop = match t.strategy {
                    TrimStrategy::MaxLen(maxlen) => self.length <= maxlen,
                    TrimStrategy::MinId(min) => id >= min,
                };
                if stop {
                    break;
                }
                if !was_deleted {
                    node.set_deleted(i);
                    from_node += 1;
                    self.length -= 1;
                }
            }
            node.live -= from_node;
            node.deleted += from_node;
            deleted += from_node;
            break;
        }
        if self.length == 0 {
            self.first_id = StreamId::MIN;
        } else if deleted > 0 {
            self.first_id = self.first_live_id().unwrap_or(StreamId::MAX);
        }
        deleted
    }

    /// The live entries with ids in `start..=end`, ascending or (`rev`)
    /// descending.
    pub fn range(&self, start: StreamId, end: StreamId, rev: bool) -> impl Iterator<Item = EntryRef<'_>> + '_ {
        let it: Box<dyn Iterator<Item = (&Node, Item<'_>)> + '_> = if rev {
            let items = self.nodes.range(..=end).rev().flat_map(|(_, n)| n.items_rev().map(move |it| (n, it)));
            Box::new(items.skip_while(move |(_, it)| it.id > end).take_while(move |(_, it)| it.id >= start))
        } else {
            // The node holding `start` begins at the last key at or below it.
            let from = self.nodes.range(..=start).next_back().map_or(StreamId::MIN, |(k, _)| *k);
            let items = self.nodes.range(from..).flat_map(|(_, n)| n.items().map(move |it| (n, it)));
            Box::new(items.skip_while(move |(_, it)| it.id < start).take_while(move |(_, it)| it.id <= end))
        };
        it.filter(|(_, item)| !item.deleted()).map(|(n, item)| n.entry(item))
    }

    /// The live entry `id`, if any.
    pub fn get(&self, id: StreamId) -> Option<EntryRef<'_>> {
        let (_, node) = self.nodes.range(..=id).next_back()?;
        let pos = node.find(id)?;
        let item = node.item(pos);
        (!item.deleted()).then(|| node.entry(item))
    }

    /// True if `id` is a live entry.
    pub fn exists(&self, id: StreamId) -> bool {
        self.get(id).is_some()
    }

    /// The first live id.
    pub fn first_live_id(&self) -> Option<StreamId> {
        self.range(StreamId::MIN, StreamId::MAX, false).next().map(|e| e.id)
    }

    /// The last live id (`streamLastValidID`).
    pub fn last_live_id(&self) -> Option<StreamId> {
        self.range(StreamId::MIN, StreamId::MAX, true).next().map(|e| e.id)
    }

    /// The first entry of the listpack tail, tombstones included: what
    /// `streamGetEdgeID(first=1, skip_tombstones=0)` returns, MAX when empty.
    pub fn first_id_with_tombstones(&self) -> StreamId {
        self.nodes.values().next().and_then(|n| n.items().next()).map_or(StreamId::MAX, |it| it.id)
    }

    /// Redis's `streamRangeHasTombstones` for `start..=MAX`.
    pub fn range_has_tombstones(&self, start: StreamId) -> bool {
        if self.length == 0 || self.max_deleted_id.is_zero() {
            return false;
        }
        if self.first_id > self.max_deleted_id {
            return false;
        }
        start <= self.max_deleted_id
    }

    /// Redis's `streamEstimateDistanceFromFirstEverEntry`: the read counter
    /// of `id`, or -1 when it cannot be known.
    pub fn estimate_distance(&self, id: StreamId) -> i64 {
        if self.entries_added == 0 {
            return 0;
        }
        if self.length == 0 && id <= self.last_id {
            return self.entries_added as i64;
        }
        if id == self.last_id {
            return self.entries_added as i64;
        } else if id > self.last_id {
            return -1;
        }
        if self.max_deleted_id.is_zero() || self.max_deleted_id < self.first_id {
            if id < self.first_id {
                return self.entries_added.wrapping_sub(self.length) as i64;
            } else if id == self.first_id {
                return self.entries_added.wrapping_sub(self.length).wrapping_add(1) as i64;
            }
        }
        -1
    }

    /// A group's lag (`streamReplyWithCGLag`), `None` when unknown.
    pub fn lag(&self, g: &Group) -> Option<i64> {
        if self.entries_added == 0 {
            return Some(0);
        }
        if g.entries_read != -1 && !self.range_has_tombstones(g.last_id) {
            return Some((self.entries_added as i64).wrapping_sub(g.entries_read));
        }
        let read = self.estimate_distance(g.last_id);
        (read != -1).then(|| (self.entries_added as i64).wrapping_sub(read))
    }

    /// `radix-tree-keys`: the number of nodes.
    pub fn rax_keys(&self) -> usize {
        self.nodes.len()
    }

    /// `radix-tree-nodes`: nodes of the compressed radix tree over the node
    /// keys (an empty tree still has its head).
    pub fn rax_nodes(&self) -> usize {
        let keys: Vec<[u8; 16]> = self.nodes.keys().map(|k| k.key()).collect();
        if keys.is_empty() {
            return 1;
        }
        rax_count(&keys, 0)
    }

    /// Deterministic heap weight, O(1): the nodes' own heap (kept as they
    /// change) and the tree holding them.
    pub fn weight(&self) -> usize {
        self.heap + super::btree_bytes(self.nodes.len(), core::mem::size_of::<StreamId>() + core::mem::size_of::<Node>())
    }
}

/// Nodes of a compressed radix tree holding `keys` (sorted, distinct, all 16
/// bytes, sharing their first `depth` bytes) below a node at `depth`: a run
/// of bytes shared by all keys is one compressed node, a byte where they
/// differ is one branching node with a child node per distinct byte, and
/// every key ends in a leaf node.
fn rax_count(keys: &[[u8; 16]], depth: usize) -> usize {
    if depth >= 16 {
        return 1;
    }
    let (first, last) = (&keys[0], &keys[keys.len() - 1]);
    let mut d = depth;
    while d < 16 && first[d] == last[d] {
        d += 1;
    }
    if d > depth {
        return 1 + rax_count(keys, d);
    }
    let mut n = 1;
    let mut i = 0;
    while i < keys.len() {
        let b = keys[i][depth];
        let j = i + keys[i..].iter().take_while(|k| k[depth] == b).count();
        n += rax_count(&keys[i..j], depth + 1);
        i = j;
    }
    n
}

// ---------------------------------------------------------------------------
// Consumer groups.

/// A pending (delivered, not acknowledged) entry.
#[derive(Debug, Clone)]
pub struct Nack {
    /// Last delivery, ms.
    pub delivery_time: i64,
    /// Deliveries so far.
    pub delivery_count: u64,
    /// The consumer it was last delivered to.
    pub consumer: Box<[u8]>,
}

/// A consumer of a group.
#[derive(Debug, Clone, Default)]
pub struct Consumer {
    /// Last time it was active, ms.
    pub seen_time: i64,
    /// Its pending ids (details in the group's `pel`).
    pub pel: BTreeSet<StreamId>,
}

/// A consumer group.
#[derive(Debug, Clone)]
pub struct Group {
    /// Last delivered id.
    pub last_id: StreamId,
    /// Logical read counter of `last_id`; -1 when unknown.
    pub entries_read: i64,
    /// Pending entries of every consumer.
    pub pel: BTreeMap<StreamId, Nack>,
    /// Consumers by name.
    pub consumers: BTreeMap<Box<[u8]>, Consumer>,
}

/// An entry as a group read returns it: `None` fields for a pending id
/// whose entry no longer exists (history reads).
pub type ReadEntry = (StreamId, Option<Vec<(Vec<u8>, Vec<u8>)>>);

impl Group {
    /// A group starting after `last_id`.
    pub fn new(last_id: StreamId, entries_read: i64) -> Group {
        Group { last_id, entries_read, pel: BTreeMap::new(), consumers: BTreeMap::new() }
    }

    /// Creates consumer `name` if missing; true if created.
    pub fn create_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(name.into(), Consumer { seen_time: now, pel: BTreeSet::new() });
        true
    }

    /// Looks consumer `name` up, refreshing its seen time if `refresh`.
    pub fn touch_consumer(&mut self, name: &[u8], now: i64) -> bool {
        match self.consumers.get_mut(name) {
            Some(c) => {
                c.seen_time = now;
                true
            }
            None => false,
        }
    }

    /// Deletes consumer `name` and its pending entries; the number of
    /// pending entries it had, `None` if there was no such consumer.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let c = self.consumers.remove(name)?;
        for id in &c.pel {
            self.pel.remove(id);
        }
        Some(c.pel.len())
    }

    /// Removes pending entry `id` from the group and its consumer; true if
    /// it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(n) => {
                if let Some(c) = self.consumers.get_mut(&n.consumer) {
                    c.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }

    /// Makes `consumer` (which exists) the owner of pending entry `id`.
    pub fn assign(&mut self, id: StreamId, consumer: &[u8]) {
        let Some(n) = self.pel.get_mut(&id) else { return };
        if &n.consumer[..] != consumer {
            if let Some(old) = self.consumers.get_mut(&n.consumer) {
                old.pel.remove(&id);
            }
            n.consumer = consumer.into();
        }
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }

    /// Redis's `streamReplyWithRange` with a group: delivers the live
    /// entries from `start` on (at most `count`, 0 = all) to `consumer`
    /// (which exists), advancing the group's last id and read counter and,
    /// unless `noack`, recording them as pending.
    pub fn deliver(&mut self, entries: &Entries, start: StreamId, count: usize, consumer: &[u8], noack: bool, now: i64) -> Vec<ReadEntry> {
        let mut out = Vec::new();
        for e in entries.range(start, StreamId::MAX, false) {
            let id = e.id;
            if id > self.last_id {
                if self.entries_read != -1 && !entries.range_has_tombstones(id) {
                    self.entries_read = self.entries_read.wrapping_add(1);
                } else if entries.entries_added != 0 {
                    self.entries_read = entries.estimate_distance(id);
                }
                self.last_id = id;
            }
            out.push((id, Some(e.to_pairs())));
            if !noack {
                match self.pel.get_mut(&id) {
                    Some(n) => {
                        // Already pending (SETID moved the group back):
                        // the entry changes hands and starts over.
                        n.delivery_time = now;
                        n.delivery_count = 1;
                    }
                    None => {
                        self.pel.insert(id, Nack { delivery_time: now, delivery_count: 1, consumer: consumer.into() });
                    }
                }
                self.assign(id, consumer);
            }
            if count != 0 && out.len() == count {
                break;
            }
        }
        out
    }

    /// Redis's `streamReplyWithRangeFromConsumerPEL`: `consumer`'s pending
    /// ids from `start` on (at most `count`, 0 = all), with their entries
    /// (`None` for deleted ones); each delivered again bumps its count.
    pub fn history(&mut self, entries: &Entries, start: StreamId, count: usize, consumer: &[u8], now: i64) -> Vec<ReadEntry> {
        let Some(c) = self.consumers.get(consumer) else { return Vec::new() };
        let ids: Vec<StreamId> = c.pel.range(start..).take(if count == 0 { usize::MAX } else { count }).copied().collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match entries.get(id) {
                Some(e) => {
                    out.push((id, Some(e.to_pairs())));
                    if let Some(n) = self.pel.get_mut(&id) {
                        n.delivery_time = now;
                        n.delivery_count = n.delivery_count.wrapping_add(1);
                    }
                }
                None => out.push((id, None)),
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------
// The stream.

/// A stream value: entries and consumer groups.
#[derive(Debug, Clone, Default)]
pub struct Stream {
    /// Entries and counters.
    pub entries: Entries,
    /// Consumer groups by name.
    pub groups: BTreeMap<Box<[u8]>, Group>,
}

impl Stream {
    /// An empty stream.
    pub fn new() -> Stream {
        Stream::default()
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "stream"
    }

    /// Deterministic heap weight: the entries (O(1)) and the consumer
    /// groups, O(groups + consumers) (PELs are counted by their lengths).
    pub fn weight(&self) -> usize {
        use core::mem::size_of;
        let bt = super::btree_bytes;
        let mut w = self.entries.weight() + bt(self.groups.len(), size_of::<Box<[u8]>>() + size_of::<Group>());
        for (name, g) in &self.groups {
            w += name.len();
            w += bt(g.pel.len(), size_of::<StreamId>() + size_of::<Nack>());
            w += bt(g.consumers.len(), size_of::<Box<[u8]>>() + size_of::<Consumer>());
            for (c, x) in &g.consumers {
                // The name, and the copy each of its pending entries holds.
                w += c.len() * (1 + x.pel.len()) + bt(x.pel.len(), size_of::<StreamId>());
            }
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fv<'a>(v: &'a [&'a str]) -> Vec<&'a [u8]> {
        v.iter().map(|s| s.as_bytes()).collect()
    }

    /// Every string comes back as it went in, integers (stored as such)
    /// included, through both entry shapes and tombstones.
    #[test]
    fn packed_entries_round_trip() {
        let strs: &[&[u8]] = &[b"", b"0", b"-0", b"7", b"-7", b"007", b"+1", b"-", b"1 ", b"9223372036854775807", b"-9223372036854775808", b"4611686018427387904", b"123456", b"x\0y", b"field"];
        let mut e = Entries::default();
        let mut want = Vec::new();
        for (i, s) in strs.iter().enumerate() {
            let id = StreamId::new(i as u64 * 1000, u64::MAX - i as u64);
            let f: &[&[u8]] = if i % 2 == 0 { &[b"f", s] } else { &[s, b"v", b"g", s] };
            e.append(id, f, 0, 4);
            want.push((id, f.iter().map(|x| x.to_vec()).collect::<Vec<_>>()));
        }
        let got: Vec<_> = e.range(StreamId::MIN, StreamId::MAX, false).map(|x| (x.id, x.to_pairs().into_iter().flat_map(|(a, b)| [a, b]).collect::<Vec<_>>())).collect();
        assert_eq!(got, want);
        let rev: Vec<_> = e.range(StreamId::MIN, StreamId::MAX, true).map(|x| x.id).collect();
        assert_eq!(rev, want.iter().rev().map(|w| w.0).collect::<Vec<_>>());
        assert_eq!(e.xdel(&[want[3].0]), 1);
        assert!(e.get(want[3].0).is_none());
        assert_eq!(e.get(want[4].0).map(|x| x.to_pairs().len()), Some(1));
    }

    #[test]
    fn listpack_sizes() {
        assert_eq!(lp_int_size(0), 2);
        assert_eq!(lp_int_size(127), 2);
        assert_eq!(lp_int_size(128), 3);
        assert_eq!(lp_int_size(-1), 3);
        assert_eq!(lp_int_size(4096), 4);
        assert_eq!(lp_int_size(1 << 20), 5);
        assert_eq!(lp_int_size(1 << 30), 6);
        assert_eq!(lp_int_size(1 << 40), 10);
        assert_eq!(lp_str_size(b"a"), 3);
        assert_eq!(lp_str_size(b"12"), 2);
        assert_eq!(lp_str_size(b"012"), 5);
        assert_eq!(lp_str_size(&[b'x'; 63]), 65);
        assert_eq!(lp_str_size(&[b'x'; 64]), 67);
        assert_eq!(lp_str_size(&[b'x'; 200]), 204);
    }

    #[test]
    fn nodes_split_by_entries() {
        let mut e = Entries::default();
        for i in 1..=250 {
            e.append(StreamId::new(i, 0), &fv(&["f", "v"]), 4096, 100);
        }
        assert_eq!(e.rax_keys(), 3);
        let t = Trim { strategy: TrimStrategy::MaxLen(120), approx: true, limit: 10000 };
        assert_eq!(e.trim(&t), 100);
        assert_eq!(e.len(), 150);
        let t = Trim { strategy: TrimStrategy::MaxLen(120), approx: false, limit: 0 };
        assert_eq!(e.trim(&t), 30);
        assert_eq!(e.first_id(), StreamId::new(131, 0));
    }

    #[test]
    fn rax_node_counts() {
        let mut e = Entries::default();
        assert_eq!(e.rax_nodes(), 1);
        e.append(StreamId::new(1, 0), &fv(&["f", "v"]), 4096, 1);
        assert_eq!(e.rax_nodes(), 2);
        e.append(StreamId::new(1, 1), &fv(&["f", "v"]), 4096, 1);
        assert_eq!(e.rax_nodes(), 4);
        e.append(StreamId::new(1 << 40, 1), &fv(&["f", "v"]), 4096, 1);
        assert_eq!(e.rax_nodes(), 8);
    }

    #[test]
    fn ids() {
        assert_eq!(StreamId::new(1, u64::MAX).incr(), Some(StreamId::new(2, 0)));
        assert_eq!(StreamId::MAX.incr(), None);
        assert_eq!(StreamId::new(2, 0).decr(), Some(StreamId::new(1, u64::MAX)));
        assert_eq!(StreamId::MIN.decr(), None);
        assert_eq!(StreamId::MAX.to_bytes(), b"18446744073709551615-18446744073709551615".to_vec());
    }
}

// ---------------------------------------------------------------------------
// Raw access for snapshots (crate::snapshot): nodes exactly as laid out, so
// a loaded stream has the same nodes, tombstones and counters.

/// One entry of a node as a snapshot stores it.
pub(crate) struct RawItem<'a> {
    /// Its id.
    pub id: StreamId,
    /// A tombstone.
    pub deleted: bool,
    /// Stored as values only (the node's master fields).
    pub same_fields: bool,
    /// Values only when `same_fields`, else field, value, field, ...
    pub data: Vec<Cow<'a, [u8]>>,
}

impl Entries {
    /// Number of nodes.
    pub(crate) fn raw_node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Nodes in id order: master fields and entries (tombstones included).
    pub(crate) fn raw_nodes(&self) -> impl Iterator<Item = (&[Box<[u8]>], Vec<RawItem<'_>>)> + '_ {
        self.nodes.values().map(|n| {
            let items = n
                .items()
                .map(|it| {
                    let mut data = Vec::with_capacity(it.count);
                    let mut p = 0;
                    while let Some(d) = get_str(it.data, &mut p) {
                        data.push(d);
                        if data.len() == it.count {
                            break;
                        }
                    }
                    RawItem { id: it.id, deleted: it.deleted(), same_fields: it.flags & FLAG_SAMEFIELDS != 0, data }
                })
                .collect();
            (&n.fields[..], items)
        })
    }
}

/// One node as a background snapshot writes it, without copying: see
/// [`Entries::raw_nodes_from`].
pub(crate) struct RawNode<'a> {
    /// The node's key (its master id).
    pub key: StreamId,
    /// The master entry's field names.
    pub fields: &'a [Box<[u8]>],
    node: &'a Node,
}

/// What [`RawNode::visit`] hands over, in order: an entry's header, then
/// its strings.
pub(crate) enum RawPart<'a> {
    /// An entry: its id, whether it is a tombstone, whether it stores
    /// values only (the master's fields), and how many strings follow.
    Item { id: StreamId, deleted: bool, same_fields: bool, strings: usize },
    /// One string of the entry.
    Str(&'a [u8]),
}

impl RawNode<'_> {
    /// Entries of the node, tombstones included.
    pub fn len(&self) -> u64 {
        self.node.live + self.node.deleted
    }

    /// Calls `f` with each entry and its strings, in order, allocating
    /// nothing (an integer stored compactly is handed over as its decimal
    /// digits from one reused buffer): what [`Entries::raw_nodes`] builds
    /// vectors for.
    pub fn visit<E>(&self, mut f: impl FnMut(RawPart<'_>) -> Result<(), E>) -> Result<(), E> {
        let mut digits = Vec::new();
        for it in self.node.items() {
            f(RawPart::Item { id: it.id, deleted: it.deleted(), same_fields: it.flags & FLAG_SAMEFIELDS != 0, strings: it.count })?;
            let mut p = 0;
            for _ in 0..it.count {
                let h = get_varint(it.data, &mut p);
                if h & 1 == 1 {
                    digits.clear();
                    crate::num::push_i64(&mut digits, unzigzag(h >> 1) as i64);
                    f(RawPart::Str(&digits))?;
                    continue;
                }
                let s = usize::try_from(h >> 1).ok().and_then(|len| it.data.get(p..p.checked_add(len)?)).unwrap_or(&[]);
                p += s.len();
                f(RawPart::Str(s))?;
            }
        }
        Ok(())
    }
}

impl Entries {
    /// The nodes keyed above `after` (every node when `None`), in id
    /// order, for a background snapshot: it resumes a stream there in
    /// O(log nodes), and writes a node through [`RawNode::visit`].
    pub(crate) fn raw_nodes_from(&self, after: Option<StreamId>) -> impl Iterator<Item = RawNode<'_>> + '_ {
        use core::ops::Bound::{Excluded, Unbounded};
        let from = after.map_or(Unbounded, Excluded);
        self.nodes.range((from, Unbounded)).map(|(&key, node)| RawNode { key, fields: &node.fields[..], node })
    }
}

/// Rebuilds [`Entries`] node by node from a snapshot, checking the layout's
/// invariants (ids strictly ascending, no node without a live entry, the
/// counters consistent). Errors are the reason, for the loader's message.
#[derive(Default)]
pub(crate) struct RawBuilder {
    cur: Option<StreamId>,
    prev: Option<StreamId>,
}

impl RawBuilder {
    /// Ends the current node: it must hold a live entry; it is sealed (no
    /// spare capacity) and its heap counted, as a full node is.
    fn close(&mut self, e: &mut Entries) -> Result<(), &'static str> {
        if let Some(m) = self.cur {
            let Some(n) = e.nodes.get_mut(&m).filter(|n| n.live != 0) else {
                return Err("stream node without a live entry");
            };
            n.seal();
            e.heap += n.heap();
        }
        self.cur = None;
        Ok(())
    }

    /// Counts the entry just pushed at byte `off` of node `master`.
    fn mark(e: &mut Entries, master: StreamId, off: usize, deleted: bool) {
        if let Some(n) = e.nodes.get_mut(&master) {
            if deleted {
                n.set_deleted(off);
                n.live -= 1;
                n.deleted += 1;
            } else {
                e.length += 1;
            }
        }
    }

    /// Starts a node whose first entry is `id` with `fv`.
    pub(crate) fn start_node(&mut self, e: &mut Entries, id: StreamId, fv: &[&[u8]], deleted: bool) -> Result<(), &'static str> {
        self.close(e)?;
        if self.prev.is_some_and(|p| p >= id) {
            return Err("stream entry ids out of order");
        }
        if !fv.len().is_multiple_of(2) || fv.is_empty() {
            return Err("stream entry without field-value pairs");
        }
        e.nodes.insert(id, Node::new(id, fv));
        self.cur = Some(id);
        self.prev = Some(id);
        Self::mark(e, id, 0, deleted);
        Ok(())
    }

    /// Appends `id` to the current node; `same` must be what the layout
    /// decides for these fields.
    pub(crate) fn push(&mut self, e: &mut Entries, id: StreamId, fv: &[&[u8]], deleted: bool, same: bool) -> Result<(), &'static str> {
        let Some(master) = self.cur else { return Err("stream entry outside a node") };
        if self.prev.is_some_and(|p| p >= id) {
            return Err("stream entry ids out of order");
        }
        if !fv.len().is_multiple_of(2) || fv.is_empty() {
            return Err("stream entry without field-value pairs");
        }
        let Some(n) = e.nodes.get_mut(&master) else { return Err("stream entry outside a node") };
        let off = n.buf.len();
        n.push(id, fv);
        let got_same = n.buf.get(off).is_some_and(|f| f & FLAG_SAMEFIELDS != 0);
        if got_same != same {
            return Err("stream entry field flags inconsistent with its node");
        }
        self.prev = Some(id);
        Self::mark(e, master, off, deleted);
        Ok(())
    }

    /// Ends the stream: sets and checks the counters.
    pub(crate) fn finish(&mut self, e: &mut Entries, last_id: StreamId, max_deleted: StreamId, entries_added: u64) -> Result<(), &'static str> {
        self.close(e)?;
        if self.prev.is_some_and(|p| p > last_id) {
            return Err("stream last id below one of its entries");
        }
        if entries_added < e.length {
            return Err("stream entries-added below its length");
        }
        e.last_id = last_id;
        e.max_deleted_id = max_deleted;
        e.entries_added = entries_added;
        e.first_id = e.first_live_id().unwrap_or(StreamId::MIN);
        Ok(())
    }
}
