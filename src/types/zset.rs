//! Sorted sets, with Redis 7.0's two encodings reproduced because they are
//! observable (OBJECT ENCODING, ZSCAN returning everything at once, the
//! order ZRANDMEMBER returns members in, `-0` scores becoming `0`).
//!
//! - [`Repr::Pack`] ("listpack"): a vector of (member, score) pairs in
//!   order, used while there are at most `zset-max-listpack-entries`
//!   members of at most `zset-max-listpack-value` bytes. Like Redis's
//!   listpack, which stores an integral score as an integer, a zero score is
//!   stored as `+0`.
//! - [`Repr::Tree`] ("skiplist"): a [`Dict`] from member to score (stable
//!   slots, so ZSCAN keeps SCAN's guarantee under churn) plus an
//!   order-statistic B+tree of (score, dict slot) pairs: O(log n) insert,
//!   delete, rank and rank-to-element, where Redis uses a skiplist with
//!   spans. The tree stores no member bytes: ties on score are broken by
//!   reading the member from the dict slot, which never moves while the
//!   member is present.
//!
//! Order: by score (`-0 == 0`), then member bytes (memcmp, shorter first).
//!
//! Invariants: members are unique; both encodings hold the same order;
//! a pack never holds a NaN or a `-0` score; a tree never converts back to a
//! pack in place (only commands building a new set, like the *STORE
//! commands, produce a pack again); a sorted set stored in the keyspace is
//! never empty.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::bytes::SmallBytes;
use crate::dict::{Dict, Keyed};

/// Redis's `LISTPACK_MAX_SAFETY_SIZE`: a listpack never grows past 1 GiB.
const LISTPACK_MAX_SAFETY_SIZE: usize = 1 << 30;

/// The conversion thresholds (`zset-max-listpack-entries` / `-value`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most members a listpack-encoded sorted set holds.
    pub max_entries: usize,
    /// Longest member a listpack-encoded sorted set holds.
    pub max_value: usize,
}

impl Limits {
    /// The thresholds of a configuration.
    pub fn of(c: &crate::config::Config) -> Limits {
        Limits { max_entries: c.zset_max_listpack_entries, max_value: c.zset_max_listpack_value }
    }
}

/// A member with its score, as a skiplist-encoded set's dict holds it.
/// Short members live inline, saving an allocation and a cache miss per
/// lookup and per tie comparison.
#[derive(Debug, Clone)]
pub struct Elem {
    /// The member.
    pub member: SmallBytes,
    /// Its score (never NaN).
    pub score: f64,
}

impl Keyed for Elem {
    fn key(&self) -> &[u8] {
        &self.member
    }
}

/// The order of two (score, member) keys.
#[inline]
pub fn cmp_key(s1: f64, m1: &[u8], s2: f64, m2: &[u8]) -> Ordering {
    if s1 < s2 {
        Ordering::Less
    } else if s1 > s2 {
        Ordering::Greater
    } else {
        m1.cmp(m2)
    }
}

/// A score interval (`ZRANGEBYSCORE` min/max with `(` for exclusive ends).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScoreRange {
    /// Lower end.
    pub min: f64,
    /// Upper end.
    pub max: f64,
    /// True when the lower end is excluded.
    pub minex: bool,
    /// True when the upper end is excluded.
    pub maxex: bool,
}

impl ScoreRange {
    /// True if `v` is at or above the lower end.
    #[inline]
    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    /// True if `v` is at or below the upper end.
    #[inline]
    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }

    /// True when no score can be in the range.
    pub fn is_empty(&self) -> bool {
        self.min > self.max || (self.min == self.max && (self.minex || self.maxex))
    }
}

/// One end of a lexicographic range: `-`, `+`, or a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LexEdge {
    /// `-`: below every string.
    NegInf,
    /// `+`: above every string.
    PosInf,
    /// A string from `[x` or `(x`.
    Str(Box<[u8]>),
}

impl LexEdge {
    /// Order of a member against this edge.
    fn cmp_value(&self, v: &[u8]) -> Ordering {
        match self {
            LexEdge::NegInf => Ordering::Greater,
            LexEdge::PosInf => Ordering::Less,
            LexEdge::Str(s) => v.cmp(s),
        }
    }

    /// Redis's `sdscmplex` between two edges.
    fn cmp_edge(&self, o: &LexEdge) -> Ordering {
        match (self, o) {
            (LexEdge::NegInf, LexEdge::NegInf) | (LexEdge::PosInf, LexEdge::PosInf) => Ordering::Equal,
            (LexEdge::NegInf, _) | (_, LexEdge::PosInf) => Ordering::Less,
            (LexEdge::PosInf, _) | (_, LexEdge::NegInf) => Ordering::Greater,
            (LexEdge::Str(a), LexEdge::Str(b)) => a.cmp(b),
        }
    }
}

/// A lexicographic interval (`ZRANGEBYLEX` min/max). `-` and `+` count as
/// exclusive ends, as in Redis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexRange {
    /// Lower end.
    pub min: LexEdge,
    /// Upper end.
    pub max: LexEdge,
    /// True when the lower end is excluded.
    pub minex: bool,
    /// True when the upper end is excluded.
    pub maxex: bool,
}

impl LexRange {
    /// True if `v` is at or above the lower end.
    #[inline]
    pub fn gte_min(&self, v: &[u8]) -> bool {
        let c = self.min.cmp_value(v);
        if self.minex {
            c == Ordering::Greater
        } else {
            c != Ordering::Less
        }
    }

    /// True if `v` is at or below the upper end.
    #[inline]
    pub fn lte_max(&self, v: &[u8]) -> bool {
        let c = self.max.cmp_value(v);
        if self.maxex {
            c == Ordering::Less
        } else {
            c != Ordering::Greater
        }
    }

    /// True when no string can be in the range.
    pub fn is_empty(&self) -> bool {
        let c = self.min.cmp_edge(&self.max);
        c == Ordering::Greater || (c == Ordering::Equal && (self.minex || self.maxex))
    }
}

/// ZADD's options as `zsetAdd` takes them.
#[derive(Debug, Clone, Copy, Default)]
pub struct AddFlags {
    /// Add the score to the current one (0 for a new member).
    pub incr: bool,
    /// Only add new members.
    pub nx: bool,
    /// Only update existing members.
    pub xx: bool,
    /// Only update when the new score is greater.
    pub gt: bool,
    /// Only update when the new score is less.
    pub lt: bool,
}

/// What [`ZSet::add`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOutcome {
    /// A new member was added.
    Added,
    /// An existing member's score changed.
    Updated,
    /// The member was processed but its score did not change.
    Unchanged,
    /// Nothing was done because of NX, XX, GT or LT.
    Skipped,
}

/// The score a listpack stores for `s`: integral scores are stored as
/// integers, so `-0` reads back as `0`.
#[inline]
fn pack_score(s: f64) -> f64 {
    if s == 0.0 {
        0.0
    } else {
        s
    }
}

/// Redis's `double2ll`: the integer a double equals exactly, when it lies
/// within +/- `LLONG_MAX / 2`.
pub fn double2ll(d: f64) -> Option<i64> {
    const LIM: f64 = (i64::MAX / 2) as f64;
    if !(-LIM..=LIM).contains(&d) {
        return None;
    }
    let ll = d as i64;
    (ll as f64 == d).then_some(ll)
}

/// Size of one listpack string entry (encoding, body, back-length).
fn lp_entry(len: usize) -> usize {
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

// ---------------------------------------------------------------------------
// Order-statistic B+tree over (score, slot) keys.
// ---------------------------------------------------------------------------

const LCAP: usize = 64;
const ICAP: usize = 48;
const LMIN: usize = LCAP / 4;
const IMIN: usize = ICAP / 4;
const NIL: u32 = u32::MAX;

#[derive(Clone)]
struct Leaf {
    n: u32,
    prev: u32,
    next: u32,
    score: [f64; LCAP],
    slot: [u32; LCAP],
}

impl Leaf {
    fn empty() -> Leaf {
        Leaf { n: 0, prev: NIL, next: NIL, score: [0.0; LCAP], slot: [0; LCAP] }
    }
}

/// An inner node; `key*[i]` is always the exact minimum of child `i`'s
/// subtree, so every key refers to a present member.
#[derive(Clone)]
struct Inner {
    n: u32,
    count: [u32; ICAP],
    child: [u32; ICAP],
    kscore: [f64; ICAP],
    kslot: [u32; ICAP],
}

impl Inner {
    fn empty() -> Inner {
        Inner { n: 0, count: [0; ICAP], child: [0; ICAP], kscore: [0.0; ICAP], kslot: [0; ICAP] }
    }

    fn prefix(&self, i: usize) -> usize {
        self.count[..i].iter().map(|&c| c as usize).sum()
    }
}

/// Index of the first position in `0..n` where `f` is false, given that `f`
/// holds on a prefix.
#[inline]
fn partition(n: usize, f: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if f(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Mutable references to two distinct elements of a slice.
fn two_mut<T>(v: &mut [T], a: usize, b: usize) -> (&mut T, &mut T) {
    debug_assert!(a != b);
    if a < b {
        let (x, y) = v.split_at_mut(b);
        (&mut x[a], &mut y[0])
    } else {
        let (x, y) = v.split_at_mut(a);
        (&mut y[0], &mut x[b])
    }
}

/// An order-statistic B+tree of (score, slot) entries. Comparisons that
/// need the member (equal scores) are given by the caller as predicates.
#[derive(Clone)]
struct Tree {
    leaves: Vec<Leaf>,
    inners: Vec<Inner>,
    free_leaves: Vec<u32>,
    free_inners: Vec<u32>,
    root: u32,
    /// Number of inner levels; 0 means the root is a leaf.
    height: u32,
    len: usize,
    /// The last leaf (the first never changes: splits add to the right and
    /// merges keep the left node).
    tail: u32,
}

impl Tree {
    fn new() -> Tree {
        Tree {
            leaves: alloc::vec![Leaf::empty()],
            inners: Vec::new(),
            free_leaves: Vec::new(),
            free_inners: Vec::new(),
            root: 0,
            height: 0,
            len: 0,
            tail: 0,
        }
    }

    fn alloc_leaf(&mut self) -> u32 {
        match self.free_leaves.pop() {
            Some(i) => {
                self.leaves[i as usize] = Leaf::empty();
                i
            }
            None => {
                self.leaves.push(Leaf::empty());
                (self.leaves.len() - 1) as u32
            }
        }
    }

    fn alloc_inner(&mut self) -> u32 {
        match self.free_inners.pop() {
            Some(i) => {
                self.inners[i as usize] = Inner::empty();
                i
            }
            None => {
                self.inners.push(Inner::empty());
                (self.inners.len() - 1) as u32
            }
        }
    }

    fn bytes(&self) -> usize {
        self.leaves.capacity() * core::mem::size_of::<Leaf>()
            + self.inners.capacity() * core::mem::size_of::<Inner>()
            + (self.free_leaves.capacity() + self.free_inners.capacity()) * 4
    }

    #[inline]
    fn is_leaf(&self, depth: u32) -> bool {
        depth == self.height
    }

    /// Entries (leaf) or children (inner) of a node.
    fn node_len(&self, node: u32, depth: u32) -> usize {
        if self.is_leaf(depth) {
            self.leaves[node as usize].n as usize
        } else {
            self.inners[node as usize].n as usize
        }
    }

    /// The smallest key under a non-empty node.
    fn min_key(&self, node: u32, depth: u32) -> (f64, u32) {
        if self.is_leaf(depth) {
            let l = &self.leaves[node as usize];
            (l.score[0], l.slot[0])
        } else {
            let i = &self.inners[node as usize];
            (i.kscore[0], i.kslot[0])
        }
    }

    /// Number of entries for which `before` holds; they must form a prefix
    /// of the order.
    fn count_before(&self, before: impl Fn(f64, u32) -> bool) -> usize {
        let mut node = self.root as usize;
        let mut acc = 0usize;
        for _ in 0..self.height {
            let inn = &self.inners[node];
            let p = partition(inn.n as usize, |i| before(inn.kscore[i], inn.kslot[i]));
            let i = p.saturating_sub(1);
            acc += inn.prefix(i);
            node = inn.child[i] as usize;
        }
        let l = &self.leaves[node];
        acc + partition(l.n as usize, |i| before(l.score[i], l.slot[i]))
    }

    /// The leaf and index of the entry at `rank`.
    fn locate(&self, rank: usize) -> Option<(u32, usize)> {
        if rank >= self.len {
            return None;
        }
        let mut r = rank;
        let mut node = self.root;
        for _ in 0..self.height {
            let inn = &self.inners[node as usize];
            let mut i = 0;
            while i + 1 < inn.n as usize && r >= inn.count[i] as usize {
                r -= inn.count[i] as usize;
                i += 1;
            }
            node = inn.child[i];
        }
        Some((node, r))
    }

    fn get(&self, rank: usize) -> Option<(f64, u32)> {
        let (l, i) = self.locate(rank)?;
        let l = &self.leaves[l as usize];
        Some((l.score[i], l.slot[i]))
    }

    /// Inserts an entry; `before` tells which entries sort before it.
    fn insert(&mut self, score: f64, slot: u32, before: &dyn Fn(f64, u32) -> bool) {
        if let Some((right, rcount)) = self.ins(self.root, 0, score, slot, before) {
            let left = self.root;
            let (ls, lk) = self.min_key(left, 0);
            let (rs, rk) = self.min_key(right, 0);
            let total = (self.len + 1) as u32;
            let r = self.alloc_inner();
            let inn = &mut self.inners[r as usize];
            inn.n = 2;
            inn.child[0] = left;
            inn.child[1] = right;
            inn.count[0] = total - rcount;
            inn.count[1] = rcount;
            inn.kscore[0] = ls;
            inn.kslot[0] = lk;
            inn.kscore[1] = rs;
            inn.kslot[1] = rk;
            self.root = r;
            self.height += 1;
        }
        self.len += 1;
    }

    /// Inserts under `node`; returns the new right sibling and its entry
    /// count when `node` split.
    fn ins(&mut self, node: u32, depth: u32, score: f64, slot: u32, before: &dyn Fn(f64, u32) -> bool) -> Option<(u32, u32)> {
        if self.is_leaf(depth) {
            let l = &mut self.leaves[node as usize];
            let n = l.n as usize;
            let pos = partition(n, |i| before(l.score[i], l.slot[i]));
            if n < LCAP {
                l.score.copy_within(pos..n, pos + 1);
                l.slot.copy_within(pos..n, pos + 1);
                l.score[pos] = score;
                l.slot[pos] = slot;
                l.n += 1;
                return None;
            }
            // Split: the upper half moves to a new right leaf.
            let half = LCAP / 2;
            let r = self.alloc_leaf();
            let (l, rl) = two_mut(&mut self.leaves, node as usize, r as usize);
            rl.score[..LCAP - half].copy_from_slice(&l.score[half..]);
            rl.slot[..LCAP - half].copy_from_slice(&l.slot[half..]);
            rl.n = (LCAP - half) as u32;
            l.n = half as u32;
            rl.prev = node;
            rl.next = l.next;
            l.next = r;
            let after = rl.next;
            let (target, p) = if pos <= half { (l, pos) } else { (rl, pos - half) };
            let tn = target.n as usize;
            target.score.copy_within(p..tn, p + 1);
            target.slot.copy_within(p..tn, p + 1);
            target.score[p] = score;
            target.slot[p] = slot;
            target.n += 1;
            let rn = self.leaves[r as usize].n;
            if after == NIL {
                self.tail = r;
            } else {
                self.leaves[after as usize].prev = r;
            }
            return Some((r, rn));
        }
        let inn = &self.inners[node as usize];
        let p = partition(inn.n as usize, |i| before(inn.kscore[i], inn.kslot[i]));
        let i = p.saturating_sub(1);
        let child = inn.child[i];
        let split = self.ins(child, depth + 1, score, slot, before);
        let (cs, ck) = self.min_key(child, depth + 1);
        let inn = &mut self.inners[node as usize];
        inn.count[i] += 1;
        inn.kscore[i] = cs;
        inn.kslot[i] = ck;
        let (rnode, rcount) = split?;
        inn.count[i] -= rcount;
        let (rs, rk) = self.min_key(rnode, depth + 1);
        self.inner_insert(node, i + 1, rnode, rcount, rs, rk)
    }

    /// Puts a child at position `at` of an inner node, splitting the node
    /// when full; returns the new right sibling and its entry count.
    fn inner_insert(&mut self, node: u32, at: usize, child: u32, count: u32, ks: f64, kk: u32) -> Option<(u32, u32)> {
        fn put(inn: &mut Inner, at: usize, child: u32, count: u32, ks: f64, kk: u32) {
            let n = inn.n as usize;
            inn.child.copy_within(at..n, at + 1);
            inn.count.copy_within(at..n, at + 1);
            inn.kscore.copy_within(at..n, at + 1);
            inn.kslot.copy_within(at..n, at + 1);
            inn.child[at] = child;
            inn.count[at] = count;
            inn.kscore[at] = ks;
            inn.kslot[at] = kk;
            inn.n += 1;
        }
        if (self.inners[node as usize].n as usize) < ICAP {
            put(&mut self.inners[node as usize], at, child, count, ks, kk);
            return None;
        }
        let half = ICAP / 2;
        let r = self.alloc_inner();
        let (l, rn) = two_mut(&mut self.inners, node as usize, r as usize);
        let m = ICAP - half;
        rn.child[..m].copy_from_slice(&l.child[half..]);
        rn.count[..m].copy_from_slice(&l.count[half..]);
        rn.kscore[..m].copy_from_slice(&l.kscore[half..]);
        rn.kslot[..m].copy_from_slice(&l.kslot[half..]);
        rn.n = m as u32;
        l.n = half as u32;
        if at <= half {
            put(l, at, child, count, ks, kk);
        } else {
            put(rn, at - half, child, count, ks, kk);
        }
        let total = rn.prefix(rn.n as usize) as u32;
        Some((r, total))
    }

    /// Removes and returns the entry at `rank`.
    fn remove_at(&mut self, rank: usize) -> Option<(f64, u32)> {
        if rank >= self.len {
            return None;
        }
        let out = self.del(self.root, 0, rank);
        self.len -= 1;
        while self.height > 0 && self.inners[self.root as usize].n == 1 {
            let old = self.root;
            self.root = self.inners[old as usize].child[0];
            self.height -= 1;
            self.free_inners.push(old);
        }
        Some(out)
    }

    fn del(&mut self, node: u32, depth: u32, rank: usize) -> (f64, u32) {
        if self.is_leaf(depth) {
            let l = &mut self.leaves[node as usize];
            let n = l.n as usize;
            let out = (l.score[rank], l.slot[rank]);
            l.score.copy_within(rank + 1..n, rank);
            l.slot.copy_within(rank + 1..n, rank);
            l.n -= 1;
            return out;
        }
        let inn = &self.inners[node as usize];
        let (mut i, mut r) = (0, rank);
        while i + 1 < inn.n as usize && r >= inn.count[i] as usize {
            r -= inn.count[i] as usize;
            i += 1;
        }
        let child = inn.child[i];
        let out = self.del(child, depth + 1, r);
        self.inners[node as usize].count[i] -= 1;
        let cn = self.node_len(child, depth + 1);
        let min = if self.is_leaf(depth + 1) { LMIN } else { IMIN };
        if cn < min && self.inners[node as usize].n > 1 {
            self.rebalance(node, i, depth + 1);
        } else if cn > 0 {
            let (s, k) = self.min_key(child, depth + 1);
            let inn = &mut self.inners[node as usize];
            inn.kscore[i] = s;
            inn.kslot[i] = k;
        }
        out
    }

    /// Fixes an underfull child `i` of `node` by merging it with a sibling
    /// or moving entries over from it.
    fn rebalance(&mut self, node: u32, i: usize, cdepth: u32) {
        let n = self.inners[node as usize].n as usize;
        let (li, ri) = if i + 1 < n { (i, i + 1) } else { (i - 1, i) };
        let (l, r) = {
            let inn = &self.inners[node as usize];
            (inn.child[li], inn.child[ri])
        };
        let leaf = self.is_leaf(cdepth);
        let ln = self.node_len(l, cdepth);
        let rn = self.node_len(r, cdepth);
        let cap = if leaf { LCAP } else { ICAP };
        if ln + rn <= cap {
            // Merge r into l.
            if leaf {
                let (a, b) = two_mut(&mut self.leaves, l as usize, r as usize);
                a.score[ln..ln + rn].copy_from_slice(&b.score[..rn]);
                a.slot[ln..ln + rn].copy_from_slice(&b.slot[..rn]);
                a.n = (ln + rn) as u32;
                a.next = b.next;
                let after = b.next;
                if after == NIL {
                    self.tail = l;
                } else {
                    self.leaves[after as usize].prev = l;
                }
                self.free_leaves.push(r);
            } else {
                let (a, b) = two_mut(&mut self.inners, l as usize, r as usize);
                a.child[ln..ln + rn].copy_from_slice(&b.child[..rn]);
                a.count[ln..ln + rn].copy_from_slice(&b.count[..rn]);
                a.kscore[ln..ln + rn].copy_from_slice(&b.kscore[..rn]);
                a.kslot[ln..ln + rn].copy_from_slice(&b.kslot[..rn]);
                a.n = (ln + rn) as u32;
                self.free_inners.push(r);
            }
            let (s, k) = self.min_key(l, cdepth);
            let inn = &mut self.inners[node as usize];
            inn.count[li] += inn.count[ri];
            inn.kscore[li] = s;
            inn.kslot[li] = k;
            inn.child.copy_within(ri + 1..n, ri);
            inn.count.copy_within(ri + 1..n, ri);
            inn.kscore.copy_within(ri + 1..n, ri);
            inn.kslot.copy_within(ri + 1..n, ri);
            inn.n -= 1;
            return;
        }
        // Redistribute evenly.
        let target = (ln + rn) / 2;
        let moved: u32;
        if leaf {
            let (a, b) = two_mut(&mut self.leaves, l as usize, r as usize);
            if ln > target {
                let k = ln - target;
                b.score.copy_within(0..rn, k);
                b.slot.copy_within(0..rn, k);
                b.score[..k].copy_from_slice(&a.score[target..ln]);
                b.slot[..k].copy_from_slice(&a.slot[target..ln]);
                a.n = target as u32;
                b.n = (rn + k) as u32;
                moved = k as u32;
            } else {
                let k = target - ln;
                a.score[ln..target].copy_from_slice(&b.score[..k]);
                a.slot[ln..target].copy_from_slice(&b.slot[..k]);
                b.score.copy_within(k..rn, 0);
                b.slot.copy_within(k..rn, 0);
                a.n = target as u32;
                b.n = (rn - k) as u32;
                moved = k as u32;
            }
        } else {
            let (a, b) = two_mut(&mut self.inners, l as usize, r as usize);
            if ln > target {
                let k = ln - target;
                b.child.copy_within(0..rn, k);
                b.count.copy_within(0..rn, k);
                b.kscore.copy_within(0..rn, k);
                b.kslot.copy_within(0..rn, k);
                b.child[..k].copy_from_slice(&a.child[target..ln]);
                b.count[..k].copy_from_slice(&a.count[target..ln]);
                b.kscore[..k].copy_from_slice(&a.kscore[target..ln]);
                b.kslot[..k].copy_from_slice(&a.kslot[target..ln]);
                a.n = target as u32;
                b.n = (rn + k) as u32;
                moved = b.prefix(k) as u32;
            } else {
                let k = target - ln;
                moved = b.prefix(k) as u32;
                a.child[ln..target].copy_from_slice(&b.child[..k]);
                a.count[ln..target].copy_from_slice(&b.count[..k]);
                a.kscore[ln..target].copy_from_slice(&b.kscore[..k]);
                a.kslot[ln..target].copy_from_slice(&b.kslot[..k]);
                b.child.copy_within(k..rn, 0);
                b.count.copy_within(k..rn, 0);
                b.kscore.copy_within(k..rn, 0);
                b.kslot.copy_within(k..rn, 0);
                a.n = target as u32;
                b.n = (rn - k) as u32;
            }
        }
        let (ls, lk) = self.min_key(l, cdepth);
        let (rs, rk) = self.min_key(r, cdepth);
        let inn = &mut self.inners[node as usize];
        if ln > target {
            inn.count[li] -= moved;
            inn.count[ri] += moved;
        } else {
            inn.count[li] += moved;
            inn.count[ri] -= moved;
        }
        inn.kscore[li] = ls;
        inn.kslot[li] = lk;
        inn.kscore[ri] = rs;
        inn.kslot[ri] = rk;
    }

    /// Checks every structural invariant (tests only).
    #[cfg(test)]
    fn check(&self, member: &dyn Fn(u32) -> alloc::vec::Vec<u8>) {
        fn walk(t: &Tree, node: u32, depth: u32, member: &dyn Fn(u32) -> Vec<u8>, leaves: &mut Vec<u32>) -> usize {
            if t.is_leaf(depth) {
                leaves.push(node);
                let l = &t.leaves[node as usize];
                if node != t.root {
                    assert!(l.n as usize >= LMIN, "leaf underfull");
                }
                return l.n as usize;
            }
            let inn = &t.inners[node as usize];
            if node != t.root {
                assert!(inn.n as usize >= IMIN, "inner underfull");
            } else {
                assert!(inn.n >= 2);
            }
            let mut total = 0;
            for i in 0..inn.n as usize {
                let c = walk(t, inn.child[i], depth + 1, member, leaves);
                assert_eq!(c, inn.count[i] as usize, "count");
                let (s, k) = t.min_key(inn.child[i], depth + 1);
                assert_eq!((s.to_bits(), k), (inn.kscore[i].to_bits(), inn.kslot[i]), "min key");
                total += c;
            }
            let _ = member;
            total
        }
        let mut leaves = Vec::new();
        assert_eq!(walk(self, self.root, 0, member, &mut leaves), self.len);
        assert_eq!(leaves.first().copied(), Some(0));
        assert_eq!(leaves.last().copied(), Some(self.tail));
        for w in leaves.windows(2) {
            assert_eq!(self.leaves[w[0] as usize].next, w[1]);
            assert_eq!(self.leaves[w[1] as usize].prev, w[0]);
        }
        let mut prev: Option<(f64, Vec<u8>)> = None;
        for r in 0..self.len {
            let (s, k) = self.get(r).expect("rank in range");
            let m = member(k);
            if let Some((ps, pm)) = &prev {
                assert_eq!(cmp_key(*ps, pm, s, &m), Ordering::Less, "order");
            }
            prev = Some((s, m));
        }
    }
}

/// A position in a tree: leaf and index.
#[derive(Clone, Copy)]
struct TreePos {
    leaf: u32,
    idx: usize,
}

impl Tree {
    fn step(&self, p: TreePos, rev: bool) -> TreePos {
        let l = &self.leaves[p.leaf as usize];
        if !rev {
            if p.idx + 1 < l.n as usize {
                TreePos { leaf: p.leaf, idx: p.idx + 1 }
            } else {
                TreePos { leaf: l.next, idx: 0 }
            }
        } else if p.idx > 0 {
            TreePos { leaf: p.leaf, idx: p.idx - 1 }
        } else if l.prev == NIL {
            TreePos { leaf: NIL, idx: 0 }
        } else {
            let pl = &self.leaves[l.prev as usize];
            TreePos { leaf: l.prev, idx: (pl.n as usize).saturating_sub(1) }
        }
    }
}

// ---------------------------------------------------------------------------
// The sorted set.
// ---------------------------------------------------------------------------

/// One member of a listpack-encoded set.
#[derive(Debug, Clone)]
struct PackEntry {
    member: SmallBytes,
    score: f64,
}

/// The skiplist encoding: member -> score dict and the ordered tree.
#[derive(Clone)]
struct Big {
    dict: Dict<Elem>,
    tree: Tree,
}

#[derive(Clone)]
enum Repr {
    /// Members in order ("listpack").
    Pack(Vec<PackEntry>),
    /// Dict plus order-statistic tree ("skiplist").
    Tree(Box<Big>),
}

/// A sorted set value. See the module docs.
#[derive(Clone)]
pub struct ZSet {
    repr: Repr,
    /// Seed of the dict this set uses or converts to.
    seed: u64,
    /// Total bytes of all members, so [`ZSet::weight`] is O(1).
    bytes: usize,
    /// Bytes of the members too long to be stored inline (the only ones
    /// that cost heap), for [`ZSet::weight`].
    heap: usize,
}

/// Heap bytes of a member of `n` bytes (short members are inline).
fn member_heap(n: usize) -> usize {
    if n > crate::bytes::INLINE_MAX {
        n
    } else {
        0
    }
}

impl core::fmt::Debug for ZSet {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ZSet").field("encoding", &self.encoding()).field("len", &self.len()).finish()
    }
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet::new_listpack(0)
    }
}

#[inline]
fn member_of(dict: &Dict<Elem>, slot: u32) -> &[u8] {
    dict.slot(slot).map_or(&[][..], |e| &e.member)
}

impl Big {
    fn new(seed: u64) -> Big {
        Big { dict: Dict::with_seed(seed), tree: Tree::new() }
    }

    fn insert_new(&mut self, member: &[u8], score: f64) {
        let slot = self.dict.insert_new(Elem { member: SmallBytes::new(member), score });
        let Big { dict, tree } = self;
        tree.insert(score, slot, &|ks, kk| cmp_key(ks, member_of(dict, kk), score, member) == Ordering::Less);
    }

    /// The rank of a present member with score `score`.
    fn rank(&self, member: &[u8], score: f64) -> usize {
        let dict = &self.dict;
        self.tree.count_before(|ks, kk| cmp_key(ks, member_of(dict, kk), score, member) == Ordering::Less)
    }

    fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let slot = self.dict.find(member)?;
        let score = self.dict.slot(slot)?.score;
        let r = self.rank(member, score);
        let _removed = self.tree.remove_at(r);
        debug_assert_eq!(_removed.map(|x| x.1), Some(slot));
        self.dict.remove_slot(slot);
        Some(score)
    }

    fn update(&mut self, member: &[u8], old: f64, new: f64) {
        let Some(slot) = self.dict.find(member) else { return };
        let r = self.rank(member, old);
        self.tree.remove_at(r);
        if let Some(e) = self.dict.slot_mut(slot) {
            e.score = new;
        }
        let Big { dict, tree } = self;
        tree.insert(new, slot, &|ks, kk| cmp_key(ks, member_of(dict, kk), new, member) == Ordering::Less);
    }

    fn remove_rank(&mut self, rank: usize) -> Option<Elem> {
        let (_, slot) = self.tree.remove_at(rank)?;
        self.dict.remove_slot(slot)
    }
}

/// An iterator over a sorted set's members and scores from a rank, upward
/// or downward.
pub struct Iter<'a> {
    z: &'a ZSet,
    /// Pack: next index; tree: next position.
    idx: usize,
    pos: TreePos,
    remaining: usize,
    rev: bool,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<(&'a [u8], f64)> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        match &self.z.repr {
            Repr::Pack(v) => {
                let e = v.get(self.idx)?;
                if self.rev {
                    self.idx = self.idx.wrapping_sub(1);
                } else {
                    self.idx += 1;
                }
                Some((&e.member, e.score))
            }
            Repr::Tree(b) => {
                if self.pos.leaf == NIL {
                    return None;
                }
                let l = b.tree.leaves.get(self.pos.leaf as usize)?;
                let (s, k) = (l.score[self.pos.idx], l.slot[self.pos.idx]);
                self.pos = b.tree.step(self.pos, self.rev);
                Some((member_of(&b.dict, k), s))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl ZSet {
    /// An empty listpack-encoded sorted set (`createZsetListpackObject`);
    /// `seed` seeds its dict if it converts.
    pub fn new_listpack(seed: u64) -> ZSet {
        ZSet { repr: Repr::Pack(Vec::new()), seed, bytes: 0, heap: 0 }
    }

    /// An empty skiplist-encoded sorted set (`createZsetObject`).
    pub fn new_skiplist(seed: u64) -> ZSet {
        ZSet { repr: Repr::Tree(Box::new(Big::new(seed))), seed, bytes: 0, heap: 0 }
    }

    /// The empty set ZADD creates for a first member of `first_len` bytes.
    pub fn for_first(seed: u64, first_len: usize, lim: Limits) -> ZSet {
        if lim.max_entries == 0 || lim.max_value < first_len {
            ZSet::new_skiplist(seed)
        } else {
            ZSet::new_listpack(seed)
        }
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Pack(v) => v.len(),
            Repr::Tree(b) => b.tree.len,
        }
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while Redis would hold this set as a listpack.
    pub fn is_listpack(&self) -> bool {
        matches!(self.repr, Repr::Pack(_))
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        if self.is_listpack() {
            "listpack"
        } else {
            "skiplist"
        }
    }

    /// Deterministic heap weight, O(1).
    pub fn weight(&self) -> usize {
        match &self.repr {
            Repr::Pack(v) => v.capacity() * core::mem::size_of::<PackEntry>() + self.heap,
            Repr::Tree(b) => core::mem::size_of::<Big>() + b.dict.overhead_bytes() + b.tree.bytes() + self.heap,
        }
    }

    /// Approximate size of Redis's listpack for these members plus `add`
    /// bytes, for its 1 GiB safety limit.
    fn listpack_safe_to_add(&self, add: usize) -> bool {
        let Repr::Pack(v) = &self.repr else { return true };
        // Cheap upper bound first: each entry takes at most its member plus
        // 36 bytes of headers and score.
        let bound = self.bytes.saturating_add(v.len().saturating_mul(36)).saturating_add(7);
        if bound.saturating_add(add) <= LISTPACK_MAX_SAFETY_SIZE {
            return true;
        }
        let size = v.iter().fold(7usize, |acc, e| acc.saturating_add(lp_entry(e.member.len())).saturating_add(lp_entry(24)));
        size.saturating_add(add) <= LISTPACK_MAX_SAFETY_SIZE
    }

    /// Converts a listpack to the skiplist encoding (`zsetConvert`).
    pub fn convert_to_skiplist(&mut self) {
        let Repr::Pack(v) = &mut self.repr else { return };
        let v = core::mem::take(v);
        let mut b = Big::new(self.seed);
        for e in v {
            b.insert_new(&e.member, e.score);
        }
        self.repr = Repr::Tree(Box::new(b));
    }

    /// Converts a skiplist to a listpack.
    fn convert_to_listpack(&mut self) {
        let Repr::Tree(_) = &self.repr else { return };
        let v: Vec<PackEntry> = self.iter().map(|(m, s)| PackEntry { member: SmallBytes::new(m), score: pack_score(s) }).collect();
        self.repr = Repr::Pack(v);
    }

    /// Redis's `zsetConvertToListpackIfNeeded`, used when a command built a
    /// new set: back to a listpack if it is small enough, given the longest
    /// member and the members' total length.
    pub fn convert_to_listpack_if_needed(&mut self, maxelelen: usize, totelelen: usize, lim: Limits) {
        if self.is_listpack() {
            return;
        }
        if self.len() <= lim.max_entries && maxelelen <= lim.max_value && totelelen <= LISTPACK_MAX_SAFETY_SIZE {
            self.convert_to_listpack();
        }
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Pack(v) => v.iter().find(|e| &*e.member == member).map(|e| e.score),
            Repr::Tree(b) => b.dict.get(member).map(|e| e.score),
        }
    }

    /// True when `member` is present.
    pub fn contains(&self, member: &[u8]) -> bool {
        self.score(member).is_some()
    }

    /// Inserts a member known to be absent, converting a listpack first
    /// when it would outgrow `lim`.
    fn insert_new(&mut self, member: &[u8], score: f64, lim: Limits) {
        if let Repr::Pack(v) = &self.repr {
            if v.len() + 1 > lim.max_entries || member.len() > lim.max_value || !self.listpack_safe_to_add(member.len()) {
                self.convert_to_skiplist();
            }
        }
        self.bytes += member.len();
        self.heap += member_heap(member.len());
        match &mut self.repr {
            Repr::Pack(v) => {
                let score = pack_score(score);
                let pos = v.partition_point(|e| cmp_key(e.score, &e.member, score, member) == Ordering::Less);
                v.insert(pos, PackEntry { member: SmallBytes::new(member), score });
            }
            Repr::Tree(b) => b.insert_new(member, score),
        }
    }

    /// Changes the score of a present member.
    fn set_score(&mut self, member: &[u8], old: f64, new: f64) {
        match &mut self.repr {
            Repr::Pack(v) => {
                let Some(i) = v.iter().position(|e| &*e.member == member) else { return };
                let e = v.remove(i);
                let score = pack_score(new);
                let pos = v.partition_point(|x| cmp_key(x.score, &x.member, score, member) == Ordering::Less);
                v.insert(pos, PackEntry { member: e.member, score });
            }
            Repr::Tree(b) => b.update(member, old, new),
        }
    }

    /// Redis's `zsetAdd`: adds or updates `member` under ZADD's flags.
    /// Returns what happened and the member's resulting score (the
    /// increment result for INCR), or `Err(())` when the score is or would
    /// become NaN.
    #[allow(clippy::result_unit_err)]
    pub fn add(&mut self, score: f64, member: &[u8], f: AddFlags, lim: Limits) -> Result<(AddOutcome, f64), ()> {
        if score.is_nan() {
            return Err(());
        }
        match self.score(member) {
            Some(cur) => {
                if f.nx {
                    return Ok((AddOutcome::Skipped, cur));
                }
                let mut s = score;
                if f.incr {
                    s += cur;
                    if s.is_nan() {
                        return Err(());
                    }
                }
                if (f.lt && s >= cur) || (f.gt && s <= cur) {
                    return Ok((AddOutcome::Skipped, cur));
                }
                if s != cur {
                    self.set_score(member, cur, s);
                    Ok((AddOutcome::Updated, s))
                } else {
                    Ok((AddOutcome::Unchanged, s))
                }
            }
            None if !f.xx => {
                self.insert_new(member, score, lim);
                Ok((AddOutcome::Added, score))
            }
            None => Ok((AddOutcome::Skipped, score)),
        }
    }

    /// Removes `member`; returns its score.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let s = match &mut self.repr {
            Repr::Pack(v) => {
                let i = v.iter().position(|e| &*e.member == member)?;
                v.remove(i).score
            }
            Repr::Tree(b) => b.remove(member)?,
        };
        self.bytes -= member.len();
        self.heap -= member_heap(member.len());
        Some(s)
    }

    /// The 0-based ascending rank of `member`.
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        match &self.repr {
            Repr::Pack(v) => v.iter().position(|e| &*e.member == member),
            Repr::Tree(b) => {
                let s = b.dict.get(member)?.score;
                Some(b.rank(member, s))
            }
        }
    }

    /// The member and score at ascending rank `rank`.
    pub fn at(&self, rank: usize) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Pack(v) => v.get(rank).map(|e| (&*e.member, e.score)),
            Repr::Tree(b) => {
                let (s, k) = b.tree.get(rank)?;
                Some((member_of(&b.dict, k), s))
            }
        }
    }

    /// Members from ascending rank `start` on, upward (or downward when
    /// `rev`, visiting `start`, `start - 1`, ...).
    pub fn iter_from(&self, start: usize, rev: bool) -> Iter<'_> {
        let len = self.len();
        let remaining = if start >= len {
            0
        } else if rev {
            start + 1
        } else {
            len - start
        };
        let pos = match &self.repr {
            Repr::Tree(b) => b.tree.locate(start).map_or(TreePos { leaf: NIL, idx: 0 }, |(leaf, idx)| TreePos { leaf, idx }),
            Repr::Pack(_) => TreePos { leaf: NIL, idx: 0 },
        };
        Iter { z: self, idx: start, pos, remaining, rev }
    }

    /// Every member with its score, in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0, false)
    }

    /// Number of members whose score is below the range's lower end: the
    /// rank of the first member at or above it.
    fn count_below_min(&self, r: &ScoreRange) -> usize {
        match &self.repr {
            Repr::Pack(v) => v.partition_point(|e| !r.gte_min(e.score)),
            Repr::Tree(b) => b.tree.count_before(|s, _| !r.gte_min(s)),
        }
    }

    /// Number of members at or below the range's upper end.
    fn count_upto_max(&self, r: &ScoreRange) -> usize {
        match &self.repr {
            Repr::Pack(v) => v.partition_point(|e| r.lte_max(e.score)),
            Repr::Tree(b) => b.tree.count_before(|s, _| r.lte_max(s)),
        }
    }

    /// Rank of the first member in the score range.
    pub fn first_in_range(&self, r: &ScoreRange) -> Option<usize> {
        if r.is_empty() {
            return None;
        }
        let i = self.count_below_min(r);
        let (_, s) = self.at(i)?;
        r.lte_max(s).then_some(i)
    }

    /// Rank of the last member in the score range.
    pub fn last_in_range(&self, r: &ScoreRange) -> Option<usize> {
        if r.is_empty() {
            return None;
        }
        let i = self.count_upto_max(r).checked_sub(1)?;
        let (_, s) = self.at(i)?;
        r.gte_min(s).then_some(i)
    }

    /// Number of members in the score range.
    pub fn count_in_range(&self, r: &ScoreRange) -> usize {
        match self.first_in_range(r) {
            None => 0,
            Some(first) => self.count_upto_max(r).saturating_sub(first),
        }
    }

    /// Redis's `z*IsInLexRange`: the range is not empty, the last member is
    /// at or above its lower end and the first at or below its upper end.
    fn lex_may_overlap(&self, r: &LexRange) -> bool {
        if r.is_empty() {
            return false;
        }
        let n = self.len();
        let (Some((last, _)), Some((first, _))) = (self.at(n.wrapping_sub(1)), self.at(0)) else { return false };
        r.gte_min(last) && r.lte_max(first)
    }

    /// Rank of the first member in the lex range. A listpack is scanned from
    /// the start as Redis does; a tree is searched assuming members ascend
    /// (true whenever all scores are equal, the case lex ranges are for).
    pub fn first_in_lex(&self, r: &LexRange) -> Option<usize> {
        if !self.lex_may_overlap(r) {
            return None;
        }
        let i = match &self.repr {
            Repr::Pack(v) => v.iter().position(|e| r.gte_min(&e.member))?,
            Repr::Tree(b) => b.tree.count_before(|_, k| !r.gte_min(member_of(&b.dict, k))),
        };
        let (m, _) = self.at(i)?;
        r.lte_max(m).then_some(i)
    }

    /// Rank of the last member in the lex range (a listpack is scanned from
    /// the end).
    pub fn last_in_lex(&self, r: &LexRange) -> Option<usize> {
        if !self.lex_may_overlap(r) {
            return None;
        }
        let i = match &self.repr {
            Repr::Pack(v) => v.iter().rposition(|e| r.lte_max(&e.member))?,
            Repr::Tree(b) => b.tree.count_before(|_, k| r.lte_max(member_of(&b.dict, k))).checked_sub(1)?,
        };
        let (m, _) = self.at(i)?;
        r.gte_min(m).then_some(i)
    }

    /// Number of members in the lex range: from the first one, while at or
    /// below the upper end.
    pub fn count_in_lex(&self, r: &LexRange) -> usize {
        let Some(first) = self.first_in_lex(r) else { return 0 };
        match &self.repr {
            Repr::Pack(_) => self.iter_from(first, false).take_while(|(m, _)| r.lte_max(m)).count(),
            Repr::Tree(b) => {
                let upto = b.tree.count_before(|_, k| r.lte_max(member_of(&b.dict, k)));
                upto.saturating_sub(first)
            }
        }
    }

    /// Removes the members with ranks `start..=end` (clamped); returns how
    /// many were removed.
    pub fn remove_rank_range(&mut self, start: usize, end: usize) -> usize {
        let len = self.len();
        if start >= len || start > end {
            return 0;
        }
        let end = end.min(len - 1);
        let n = end - start + 1;
        match &mut self.repr {
            Repr::Pack(v) => {
                let (removed, heap) = v.drain(start..=end).fold((0, 0), |(b, h), e| (b + e.member.len(), h + member_heap(e.member.len())));
                self.bytes -= removed;
                self.heap -= heap;
            }
            Repr::Tree(b) => {
                for _ in 0..n {
                    if let Some(e) = b.remove_rank(start) {
                        self.bytes -= e.member.len();
                        self.heap -= member_heap(e.member.len());
                    }
                }
            }
        }
        n
    }

    /// Removes the members in the score range; returns how many.
    pub fn remove_score_range(&mut self, r: &ScoreRange) -> usize {
        let Some(first) = self.first_in_range(r) else { return 0 };
        let upto = self.count_upto_max(r);
        if upto <= first {
            return 0;
        }
        self.remove_rank_range(first, upto - 1)
    }

    /// Removes the members in the lex range (from the first one, while at or
    /// below the upper end); returns how many.
    pub fn remove_lex_range(&mut self, r: &LexRange) -> usize {
        let Some(first) = self.first_in_lex(r) else { return 0 };
        let n = self.iter_from(first, false).take_while(|(m, _)| r.lte_max(m)).count();
        if n == 0 {
            return 0;
        }
        self.remove_rank_range(first, first + n - 1)
    }

    /// Removes and returns the first (or, with `max`, last) member.
    pub fn pop(&mut self, max: bool) -> Option<(Box<[u8]>, f64)> {
        let len = self.len();
        if len == 0 {
            return None;
        }
        let rank = if max { len - 1 } else { 0 };
        let out = match &mut self.repr {
            Repr::Pack(v) => {
                let e = v.remove(rank);
                (e.member.into_boxed(), e.score)
            }
            Repr::Tree(b) => {
                let e = b.remove_rank(rank)?;
                (e.member.into_boxed(), e.score)
            }
        };
        self.bytes -= out.0.len();
        self.heap -= member_heap(out.0.len());
        Some(out)
    }

    /// A random member with its score: a uniform pick in a listpack, a
    /// random dict slot in a skiplist (`dictGetFairRandomKey`).
    pub fn random(&self, mut rnd: impl FnMut() -> u64) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Pack(v) if v.is_empty() => None,
            Repr::Pack(v) => v.get((rnd() % v.len() as u64) as usize).map(|e| (&*e.member, e.score)),
            Repr::Tree(b) => {
                let s = b.dict.random_slot(rnd)?;
                b.dict.slot(s).map(|e| (&*e.member, e.score))
            }
        }
    }

    /// A random position for [`ZSet::at_pos`]: distinct positions are
    /// distinct members while the set is not modified.
    pub fn random_pos(&self, mut rnd: impl FnMut() -> u64) -> Option<u32> {
        match &self.repr {
            Repr::Pack(v) if v.is_empty() => None,
            Repr::Pack(v) => Some((rnd() % v.len() as u64) as u32),
            Repr::Tree(b) => b.dict.random_slot(rnd),
        }
    }

    /// The member at a position from [`ZSet::random_pos`].
    pub fn at_pos(&self, pos: u32) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Pack(v) => v.get(pos as usize).map(|e| (&*e.member, e.score)),
            Repr::Tree(b) => b.dict.slot(pos).map(|e| (&*e.member, e.score)),
        }
    }

    /// One ZSCAN step, like Redis's loop around `dictScan`: visits dict
    /// slots from `cursor` until at least `count` members were collected,
    /// the end was reached, or `count * 10` slots were visited. A listpack is
    /// returned whole, in order, with cursor 0. Returns the next cursor.
    pub fn scan(&self, cursor: u64, count: usize, mut f: impl FnMut(&[u8], f64)) -> u64 {
        match &self.repr {
            Repr::Pack(v) => {
                for e in v {
                    f(&e.member, e.score);
                }
                0
            }
            Repr::Tree(b) => {
                let mut cursor = cursor;
                let mut got = 0usize;
                let mut budget = count.saturating_mul(10);
                loop {
                    cursor = b.dict.scan(cursor, 1, |e| {
                        got += 1;
                        f(&e.member, e.score)
                    });
                    if cursor == 0 || budget == 0 || got >= count {
                        return cursor;
                    }
                    budget -= 1;
                }
            }
        }
    }

    /// Checks the representation's invariants (tests only).
    #[cfg(test)]
    pub(crate) fn check(&self) {
        match &self.repr {
            Repr::Pack(v) => {
                for w in v.windows(2) {
                    assert_eq!(cmp_key(w[0].score, &w[0].member, w[1].score, &w[1].member), Ordering::Less);
                }
                assert_eq!(self.bytes, v.iter().map(|e| e.member.len()).sum::<usize>());
            }
            Repr::Tree(b) => {
                b.tree.check(&|k| member_of(&b.dict, k).to_vec());
                assert_eq!(b.dict.len(), b.tree.len);
                for r in 0..b.tree.len {
                    let (s, k) = b.tree.get(r).expect("rank");
                    assert_eq!(b.dict.slot(k).map(|e| e.score.to_bits()), Some(s.to_bits()));
                }
                assert_eq!(self.bytes, b.dict.iter().map(|e| e.member.len()).sum::<usize>());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::BTreeMap;
    use alloc::format;

    const BIG: Limits = Limits { max_entries: 0, max_value: 0 };

    fn lcg(s: &mut u64) -> u64 {
        *s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        *s >> 33
    }

    /// Random inserts, updates and removals against a BTreeMap model, with
    /// full invariant checks along the way.
    #[test]
    fn tree_matches_model() {
        let mut z = ZSet::new_skiplist(7);
        let mut model: BTreeMap<Vec<u8>, f64> = BTreeMap::new();
        let mut seed = 1u64;
        for step in 0..20000u32 {
            let k = format!("m{}", lcg(&mut seed) % 3000).into_bytes();
            let op = lcg(&mut seed) % 10;
            if op < 6 {
                let s = (lcg(&mut seed) % 50) as f64;
                z.add(s, &k, AddFlags::default(), BIG).unwrap();
                model.insert(k, s);
            } else {
                assert_eq!(z.remove(&k), model.remove(&k));
            }
            if step.is_multiple_of(2000) {
                z.check();
            }
        }
        z.check();
        let mut sorted: Vec<(f64, Vec<u8>)> = model.iter().map(|(m, s)| (*s, m.clone())).collect();
        sorted.sort_by(|a, b| cmp_key(a.0, &a.1, b.0, &b.1));
        let got: Vec<(f64, Vec<u8>)> = z.iter().map(|(m, s)| (s, m.to_vec())).collect();
        assert_eq!(got, sorted);
        for (i, (_, m)) in sorted.iter().enumerate() {
            assert_eq!(z.rank(m), Some(i));
        }
        let rev: Vec<Vec<u8>> = z.iter_from(sorted.len() - 1, true).map(|(m, _)| m.to_vec()).collect();
        assert_eq!(rev, sorted.iter().rev().map(|x| x.1.clone()).collect::<Vec<_>>());
        // Drain everything by popping from both ends.
        let mut n = sorted.len();
        while n > 0 {
            let (m, _) = z.pop(n.is_multiple_of(2)).unwrap();
            assert!(model.remove(&*m).is_some());
            n -= 1;
            if n.is_multiple_of(500) {
                z.check();
            }
        }
        assert!(z.is_empty());
    }

    #[test]
    fn range_removal_and_counts() {
        let mut z = ZSet::new_skiplist(3);
        for i in 0..5000 {
            z.add(i as f64, format!("{:05}", i).as_bytes(), AddFlags::default(), BIG).unwrap();
        }
        let r = ScoreRange { min: 100.0, max: 200.0, minex: true, maxex: false };
        assert_eq!(z.count_in_range(&r), 100);
        assert_eq!(z.first_in_range(&r), Some(101));
        assert_eq!(z.last_in_range(&r), Some(200));
        assert_eq!(z.remove_score_range(&r), 100);
        z.check();
        assert_eq!(z.remove_rank_range(1000, 3999), 3000);
        z.check();
        assert_eq!(z.len(), 1900);
        let lr = LexRange { min: LexEdge::Str(b"00050".to_vec().into()), max: LexEdge::PosInf, minex: false, maxex: true };
        assert_eq!(z.count_in_lex(&lr), 1850);
        assert_eq!(z.remove_lex_range(&lr), 1850);
        z.check();
        assert_eq!(z.len(), 50);
    }

    #[test]
    fn listpack_normalizes_negative_zero() {
        let lim = Limits { max_entries: 128, max_value: 64 };
        let mut z = ZSet::new_listpack(1);
        z.add(-0.0, b"a", AddFlags::default(), lim).unwrap();
        assert!(z.score(b"a").unwrap().is_sign_positive());
        let mut t = ZSet::new_skiplist(1);
        t.add(-0.0, b"a", AddFlags::default(), lim).unwrap();
        assert!(t.score(b"a").unwrap().is_sign_negative());
    }

    #[test]
    fn double2ll_bounds() {
        assert_eq!(double2ll(3.0), Some(3));
        assert_eq!(double2ll(-0.0), Some(0));
        assert_eq!(double2ll(0.5), None);
        assert_eq!(double2ll(4611686018427387904.0), Some(4611686018427387904));
        assert_eq!(double2ll(9223372036854775807.0), None);
        assert_eq!(double2ll(f64::INFINITY), None);
    }
}
