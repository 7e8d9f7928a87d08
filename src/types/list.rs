//! Lists, stored like Redis's quicklist: a deque of nodes, each node packing
//! many elements into one byte buffer.
//!
//! A node holds its elements' bytes back to back in `data[lo..]` and their
//! lengths in `lens`. The gap `data[..lo]` lets the head node take pushes at
//! the front without moving its bytes every time (it is re-opened, doubling,
//! when exhausted), so pushes and pops at both ends are amortized O(1), and
//! small elements cost their bytes plus 4 bytes instead of an allocation each.
//!
//! Invariants:
//! - no node is empty; `len` is the sum of the nodes' counts;
//! - a node with more than one element has `size() <= NODE_MAX` (the 8 KiB
//!   of Redis's default `list-max-listpack-size -2`); an element too large
//!   for that lives alone in its node. So in multi-element nodes every length
//!   fits `lens`' `u32`; a single-element node's length is its byte count.
//!
//! Positions follow Redis: index 0 is the head, -1 the tail. Operations take
//! already-normalized `usize` indexes; commands do the signed arithmetic.
//! `OBJECT ENCODING` reports "quicklist", as Redis 7.0 does for every list.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

/// Byte budget of a node (elements' bytes plus 4 per element).
pub const NODE_MAX: usize = 8192;

/// Per-element bookkeeping counted against [`NODE_MAX`].
const ENTRY_OVERHEAD: usize = 4;

/// One quicklist-style node. See the module docs.
#[derive(Debug, Clone, Default)]
struct Node {
    data: Vec<u8>,
    lo: usize,
    lens: VecDeque<u32>,
}

impl Node {
    fn with(v: &[u8]) -> Node {
        let mut n = Node::default();
        n.push_back(v);
        n
    }

    fn count(&self) -> usize {
        self.lens.len()
    }

    fn bytes(&self) -> usize {
        self.data.len() - self.lo
    }

    fn size(&self) -> usize {
        self.bytes() + ENTRY_OVERHEAD * self.count()
    }

    /// Whether an element of `n` bytes may join this node.
    fn fits(&self, n: usize) -> bool {
        self.size().saturating_add(n).saturating_add(ENTRY_OVERHEAD) <= NODE_MAX
    }

    /// Length of element `i`.
    fn elen(&self, i: usize) -> usize {
        if self.lens.len() == 1 {
            self.bytes()
        } else {
            self.lens.get(i).map_or(0, |&l| l as usize)
        }
    }

    /// Offset in `data` where element `i` starts.
    fn offset(&self, i: usize) -> usize {
        if i >= self.count() {
            return self.data.len();
        }
        if i * 2 <= self.count() {
            self.lo + (0..i).map(|j| self.elen(j)).sum::<usize>()
        } else {
            self.data.len() - (i..self.count()).map(|j| self.elen(j)).sum::<usize>()
        }
    }

    fn get(&self, i: usize) -> &[u8] {
        let off = self.offset(i);
        &self.data[off..off + self.elen(i)]
    }

    fn push_back(&mut self, v: &[u8]) {
        self.data.extend_from_slice(v);
        self.lens.push_back(len32(v.len()));
    }

    fn push_front(&mut self, v: &[u8]) {
        if self.lo < v.len() {
            // Re-open a gap at the front: doubling keeps this amortized O(1),
            // and the budget caps the gap of a node that will soon be full.
            let live = self.bytes();
            let spare = NODE_MAX.saturating_sub(self.size() + v.len() + ENTRY_OVERHEAD);
            let gap = v.len() + live.min(spare);
            let mut data = Vec::with_capacity(gap + live);
            data.resize(gap, 0);
            data.extend_from_slice(&self.data[self.lo..]);
            self.data = data;
            self.lo = gap;
        }
        self.lo -= v.len();
        self.data[self.lo..self.lo + v.len()].copy_from_slice(v);
        self.lens.push_front(len32(v.len()));
    }

    fn pop_front(&mut self) -> Option<Vec<u8>> {
        let n = self.elen(0);
        self.lens.pop_front()?;
        let v = self.data[self.lo..self.lo + n].to_vec();
        self.lo += n;
        if self.lens.is_empty() {
            self.data = Vec::new();
            self.lo = 0;
        }
        Some(v)
    }

    fn pop_back(&mut self) -> Option<Vec<u8>> {
        let n = self.elen(self.count().checked_sub(1)?);
        self.lens.pop_back()?;
        let at = self.data.len() - n;
        let v = self.data[at..].to_vec();
        self.data.truncate(at);
        if self.lens.is_empty() {
            self.data = Vec::new();
            self.lo = 0;
        }
        Some(v)
    }

    /// Drops the first `k` elements (`k < count`); returns their bytes.
    fn drop_front(&mut self, k: usize) -> usize {
        let n: usize = (0..k).map(|j| self.elen(j)).sum();
        self.lo += n;
        self.lens.drain(..k);
        n
    }

    /// Drops the last `k` elements (`k < count`); returns their bytes.
    fn drop_back(&mut self, k: usize) -> usize {
        let c = self.count();
        let n: usize = (c - k..c).map(|j| self.elen(j)).sum();
        self.data.truncate(self.data.len() - n);
        self.lens.truncate(c - k);
        n
    }

    /// Elements `a..b`, head first; reversible.
    fn range(&self, a: usize, b: usize) -> NodeIter<'_> {
        let b = b.min(self.count());
        let a = a.min(b);
        NodeIter { n: self, i: a, j: b, front: self.offset(a), back: self.offset(b) }
    }

    /// All elements, head first; reversible.
    fn iter(&self) -> NodeIter<'_> {
        NodeIter { n: self, i: 0, j: self.count(), front: self.lo, back: self.data.len() }
    }
}

/// Iterator over a slice of one node's elements.
struct NodeIter<'a> {
    n: &'a Node,
    i: usize,
    j: usize,
    front: usize,
    back: usize,
}

impl<'a> Iterator for NodeIter<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.i >= self.j {
            return None;
        }
        let s = self.front;
        self.front += self.n.elen(self.i);
        self.i += 1;
        Some(&self.n.data[s..self.front])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let r = self.j - self.i;
        (r, Some(r))
    }
}

impl ExactSizeIterator for NodeIter<'_> {}

impl<'a> DoubleEndedIterator for NodeIter<'a> {
    fn next_back(&mut self) -> Option<&'a [u8]> {
        if self.i >= self.j {
            return None;
        }
        self.j -= 1;
        let e = self.back;
        self.back -= self.n.elen(self.j);
        Some(&self.n.data[self.back..e])
    }
}

fn len32(n: usize) -> u32 {
    // Only lone elements can exceed u32; their length is recomputed from the
    // node's byte count (see `Node::elen`).
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A list value. See the module docs.
#[derive(Debug, Clone, Default)]
pub struct List {
    nodes: VecDeque<Node>,
    len: usize,
    /// Total bytes of the elements, kept so [`List::weight`] is O(1).
    bytes: usize,
}

impl List {
    /// An empty list.
    pub fn new() -> List {
        List::default()
    }

    /// Number of elements.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        "quicklist"
    }

    /// Deterministic heap weight, O(1): the elements' bytes, their length
    /// words and a fixed cost per node (as Redis charges listpack entries
    /// and quicklist nodes).
    pub fn weight(&self) -> usize {
        // Node buffers grow by doubling: on average about an eighth of what
        // they hold again is spare capacity.
        let held = self.bytes + ENTRY_OVERHEAD * self.len;
        held + held / 8 + self.nodes.capacity() * core::mem::size_of::<Node>()
    }

    /// Appends `v` at the tail.
    pub fn push_back(&mut self, v: &[u8]) {
        match self.nodes.back_mut() {
            Some(n) if n.fits(v.len()) => n.push_back(v),
            _ => self.nodes.push_back(Node::with(v)),
        }
        self.len += 1;
        self.bytes += v.len();
    }

    /// Prepends `v` at the head.
    pub fn push_front(&mut self, v: &[u8]) {
        match self.nodes.front_mut() {
            Some(n) if n.fits(v.len()) => n.push_front(v),
            _ => {
                let mut n = Node::default();
                n.push_front(v);
                self.nodes.push_front(n);
            }
        }
        self.len += 1;
        self.bytes += v.len();
    }

    /// Removes and returns the head element.
    pub fn pop_front(&mut self) -> Option<Vec<u8>> {
        let n = self.nodes.front_mut()?;
        let v = n.pop_front()?;
        if n.count() == 0 {
            self.nodes.pop_front();
        }
        self.len -= 1;
        self.bytes -= v.len();
        Some(v)
    }

    /// Removes and returns the tail element.
    pub fn pop_back(&mut self) -> Option<Vec<u8>> {
        let n = self.nodes.back_mut()?;
        let v = n.pop_back()?;
        if n.count() == 0 {
            self.nodes.pop_back();
        }
        self.len -= 1;
        self.bytes -= v.len();
        Some(v)
    }

    /// Node and position within it of element `index` (< len), walking from
    /// the nearer end.
    fn locate(&self, index: usize) -> Option<(usize, usize)> {
        if index >= self.len {
            return None;
        }
        if index < self.len / 2 {
            let mut i = index;
            for (ni, n) in self.nodes.iter().enumerate() {
                if i < n.count() {
                    return Some((ni, i));
                }
                i -= n.count();
            }
        } else {
            let mut back = self.len - 1 - index; // position counted from the tail
            for (ni, n) in self.nodes.iter().enumerate().rev() {
                if back < n.count() {
                    return Some((ni, n.count() - 1 - back));
                }
                back -= n.count();
            }
        }
        None
    }

    /// Element `index` (0 = head), if in range.
    pub fn get(&self, index: usize) -> Option<&[u8]> {
        let (ni, i) = self.locate(index)?;
        Some(self.nodes[ni].get(i))
    }

    /// Rebuilds node `ni` from `elems`, splitting it to respect the budget.
    fn replace_node<'a>(&mut self, ni: usize, elems: impl IntoIterator<Item = &'a [u8]>) {
        let mut built: Vec<Node> = Vec::new();
        for e in elems {
            match built.last_mut() {
                Some(n) if n.fits(e.len()) => n.push_back(e),
                _ => built.push(Node::with(e)),
            }
        }
        self.nodes.remove(ni);
        for (k, n) in built.into_iter().enumerate() {
            self.nodes.insert(ni + k, n);
        }
    }

    /// Replaces element `index`; false when out of range.
    pub fn set(&mut self, index: usize, v: &[u8]) -> bool {
        let Some((ni, i)) = self.locate(index) else { return false };
        let n = &self.nodes[ni];
        self.bytes = self.bytes - n.elen(i) + v.len();
        if n.count() == 1 || n.size() - n.elen(i) + v.len() <= NODE_MAX {
            let n = &mut self.nodes[ni];
            let off = n.offset(i);
            let old = n.elen(i);
            n.data.splice(off..off + old, v.iter().copied());
            n.lens[i] = len32(v.len());
            return true;
        }
        let old: Vec<Vec<u8>> = n.iter().map(|e| e.to_vec()).collect();
        self.replace_node(ni, old.iter().enumerate().map(|(j, e)| if j == i { v } else { e.as_slice() }));
        true
    }

    /// Inserts `v` so that it becomes element `index` (0..=len).
    pub fn insert(&mut self, index: usize, v: &[u8]) {
        if index == 0 {
            return self.push_front(v);
        }
        if index >= self.len {
            return self.push_back(v);
        }
        let Some((ni, i)) = self.locate(index) else { return };
        self.bytes += v.len();
        let n = &mut self.nodes[ni];
        if n.fits(v.len()) {
            let off = n.offset(i);
            n.data.splice(off..off, v.iter().copied());
            n.lens.insert(i, len32(v.len()));
        } else {
            let old: Vec<Vec<u8>> = n.iter().map(|e| e.to_vec()).collect();
            let (a, b) = old.split_at(i);
            let elems = a.iter().map(|e| e.as_slice()).chain(core::iter::once(v)).chain(b.iter().map(|e| e.as_slice()));
            self.replace_node(ni, elems);
        }
        self.len += 1;
    }

    /// Removes `k` elements from the head (all if `k >= len`).
    pub fn trim_front(&mut self, mut k: usize) {
        k = k.min(self.len);
        self.len -= k;
        while k > 0 {
            let Some(n) = self.nodes.front_mut() else { break };
            if n.count() <= k {
                k -= n.count();
                self.bytes -= n.bytes();
                self.nodes.pop_front();
            } else {
                self.bytes -= n.drop_front(k);
                k = 0;
            }
        }
    }

    /// Removes `k` elements from the tail (all if `k >= len`).
    pub fn trim_back(&mut self, mut k: usize) {
        k = k.min(self.len);
        self.len -= k;
        while k > 0 {
            let Some(n) = self.nodes.back_mut() else { break };
            if n.count() <= k {
                k -= n.count();
                self.bytes -= n.bytes();
                self.nodes.pop_back();
            } else {
                self.bytes -= n.drop_back(k);
                k = 0;
            }
        }
    }

    /// Removes up to `limit` elements equal to `v` (all when `limit` is
    /// `None`), scanning from the tail when `from_tail`. Returns how many.
    pub fn remove(&mut self, v: &[u8], limit: Option<usize>, from_tail: bool) -> usize {
        let mut removed = 0;
        let order: Vec<usize> = if from_tail { (0..self.nodes.len()).rev().collect() } else { (0..self.nodes.len()).collect() };
        let mut touched = Vec::new();
        for ni in order {
            if limit.is_some_and(|l| removed >= l) {
                break;
            }
            let n = &self.nodes[ni];
            let c = n.count();
            let mut kill = alloc::vec![false; c];
            let mut any = false;
            let mut visit = |i: usize, e: &[u8]| {
                if limit.is_some_and(|l| removed >= l) {
                    return false;
                }
                if e == v {
                    kill[i] = true;
                    removed += 1;
                    any = true;
                }
                true
            };
            if from_tail {
                for (i, e) in n.iter().enumerate().rev() {
                    if !visit(i, e) {
                        break;
                    }
                }
            } else {
                for (i, e) in n.iter().enumerate() {
                    if !visit(i, e) {
                        break;
                    }
                }
            }
            if any {
                let mut kept = Node::default();
                for (e, _) in n.iter().zip(&kill).filter(|(_, k)| !**k) {
                    kept.push_back(e);
                }
                self.nodes[ni] = kept;
                touched.push(ni);
            }
        }
        self.len -= removed;
        self.bytes -= removed * v.len();
        if !touched.is_empty() {
            self.compact();
        }
        removed
    }

    /// Drops empty nodes and merges neighbours that fit one budget together,
    /// so deletions in the middle do not leave a trail of tiny nodes.
    fn compact(&mut self) {
        let old = core::mem::take(&mut self.nodes);
        for n in old {
            if n.count() == 0 {
                continue;
            }
            match self.nodes.back_mut() {
                Some(last) if last.size() + n.size() <= NODE_MAX => {
                    for e in n.iter() {
                        last.push_back(e);
                    }
                }
                _ => self.nodes.push_back(n),
            }
        }
    }

    /// Elements head to tail.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8]> + '_ {
        self.nodes.iter().flat_map(|n| n.iter())
    }

    /// Elements from `index` towards the tail.
    pub fn iter_from(&self, index: usize) -> impl Iterator<Item = &[u8]> + '_ {
        let (ni, i) = self.locate(index).unwrap_or((self.nodes.len(), 0));
        self.nodes.range(ni..).enumerate().flat_map(move |(k, n)| n.range(if k == 0 { i } else { 0 }, n.count()))
    }

    /// Elements from `index` towards the head.
    pub fn iter_rev_from(&self, index: usize) -> impl Iterator<Item = &[u8]> + '_ {
        let (end, i) = self.locate(index).map_or((0, 0), |(ni, i)| (ni + 1, i));
        self.nodes.range(..end).rev().enumerate().flat_map(move |(k, n)| n.range(0, if k == 0 { i + 1 } else { n.count() }).rev())
    }

    /// The elements of node `node` (0 = the head's), head first; `None`
    /// past the last node. Walking nodes `0..` visits every element once,
    /// in [`List::iter`]'s order, while the list is not modified: a
    /// background snapshot writes a big list a node at a time (a node holds
    /// at most [`NODE_MAX`] bytes, or one element).
    pub fn node_elems(&self, node: usize) -> Option<impl Iterator<Item = &[u8]> + '_> {
        self.nodes.get(node).map(|n| n.iter())
    }

    /// Number of nodes (for tests of the packing).
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }
}

impl<'a> FromIterator<&'a [u8]> for List {
    fn from_iter<I: IntoIterator<Item = &'a [u8]>>(iter: I) -> List {
        let mut l = List::new();
        for e in iter {
            l.push_back(e);
        }
        l
    }
}

impl FromIterator<Vec<u8>> for List {
    fn from_iter<I: IntoIterator<Item = Vec<u8>>>(iter: I) -> List {
        let mut l = List::new();
        for e in iter {
            l.push_back(&e);
        }
        l
    }
}

impl From<VecDeque<Vec<u8>>> for List {
    fn from(items: VecDeque<Vec<u8>>) -> List {
        items.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::collections::VecDeque;

    /// A tiny deterministic generator for the model test.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            self.0 >> 33
        }
    }

    fn elem(r: &mut Lcg) -> Vec<u8> {
        let n = match r.next() % 10 {
            0 => 0,
            1 => 3000 + (r.next() % 9000) as usize,
            _ => (r.next() % 40) as usize,
        };
        let b = (r.next() % 4) as u8 + b'a';
        alloc::vec![b; n]
    }

    fn check(l: &List, m: &VecDeque<Vec<u8>>) {
        assert_eq!(l.len(), m.len());
        assert_eq!(l.bytes, m.iter().map(|v| v.len()).sum::<usize>());
        let got: Vec<&[u8]> = l.iter().collect();
        let want: Vec<&[u8]> = m.iter().map(|v| v.as_slice()).collect();
        assert_eq!(got, want);
        let rev: Vec<&[u8]> = l.iter().rev().collect();
        let wrev: Vec<&[u8]> = m.iter().rev().map(|v| v.as_slice()).collect();
        assert_eq!(rev, wrev);
        for n in &l.nodes {
            assert!(n.count() > 0);
            assert!(n.count() == 1 || n.size() <= NODE_MAX);
        }
        if !m.is_empty() {
            for idx in [0, m.len() / 3, m.len() / 2, m.len() - 1] {
                assert_eq!(l.get(idx), Some(m[idx].as_slice()));
                let f: Vec<&[u8]> = l.iter_from(idx).collect();
                assert_eq!(f, m.iter().skip(idx).map(|v| v.as_slice()).collect::<Vec<_>>());
                let r: Vec<&[u8]> = l.iter_rev_from(idx).collect();
                assert_eq!(r, m.iter().take(idx + 1).rev().map(|v| v.as_slice()).collect::<Vec<_>>());
            }
        }
        assert_eq!(l.get(m.len()), None);
    }

    #[test]
    fn model() {
        let mut r = Lcg(7);
        let mut l = List::new();
        let mut m: VecDeque<Vec<u8>> = VecDeque::new();
        for step in 0..4000 {
            match r.next() % 11 {
                0 | 1 => {
                    let e = elem(&mut r);
                    l.push_back(&e);
                    m.push_back(e);
                }
                2 | 3 => {
                    let e = elem(&mut r);
                    l.push_front(&e);
                    m.push_front(e);
                }
                4 => assert_eq!(l.pop_front(), m.pop_front()),
                5 => assert_eq!(l.pop_back(), m.pop_back()),
                6 if !m.is_empty() => {
                    let i = (r.next() as usize) % m.len();
                    let e = elem(&mut r);
                    assert!(l.set(i, &e));
                    m[i] = e;
                }
                7 => {
                    let i = (r.next() as usize) % (m.len() + 1);
                    let e = elem(&mut r);
                    l.insert(i, &e);
                    m.insert(i, e);
                }
                8 if step % 5 == 0 => {
                    let e = elem(&mut r);
                    let lim = (r.next() % 3) as usize;
                    let tail = r.next().is_multiple_of(2);
                    let lim = if lim == 0 { None } else { Some(lim) };
                    let got = l.remove(&e, lim, tail);
                    let mut want = 0;
                    if tail {
                        let mut i = m.len();
                        while i > 0 && lim.is_none_or(|x| want < x) {
                            i -= 1;
                            if m[i] == e {
                                m.remove(i);
                                want += 1;
                            }
                        }
                    } else {
                        let mut i = 0;
                        while i < m.len() && lim.is_none_or(|x| want < x) {
                            if m[i] == e {
                                m.remove(i);
                                want += 1;
                            } else {
                                i += 1;
                            }
                        }
                    }
                    assert_eq!(got, want);
                }
                9 if step % 7 == 0 => {
                    let k = (r.next() % 5) as usize;
                    l.trim_front(k);
                    for _ in 0..k.min(m.len()) {
                        m.pop_front();
                    }
                }
                10 if step % 7 == 0 => {
                    let k = (r.next() % 5) as usize;
                    l.trim_back(k);
                    for _ in 0..k.min(m.len()) {
                        m.pop_back();
                    }
                }
                _ => {}
            }
            check(&l, &m);
        }
    }

    #[test]
    fn small_elements_pack_densely() {
        let mut l = List::new();
        for i in 0..10_000u32 {
            l.push_back(&i.to_le_bytes());
        }
        // 8 bytes per element (4 data + 4 length) => about 1024 per node.
        assert!(l.node_count() <= 11, "{}", l.node_count());
        let mut l = List::new();
        for i in 0..10_000u32 {
            l.push_front(&i.to_le_bytes());
        }
        assert!(l.node_count() <= 11, "{}", l.node_count());
        assert!(l.weight() < 10_000 * 8 * 2 + 4096);
    }
}
