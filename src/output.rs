//! A connection's pending output: the RESP bytes a host still has to write,
//! kept as a queue of buffers so that a large bulk string of a reply moves
//! into it whole instead of being copied next to the rest.
//!
//! Small writes go to the open buffer at the back; [`Reply::write_output`]
//! hands a bulk string of [`Output::MOVE_MIN`] bytes or more over as a
//! buffer of its own. A 256 MB value read four times by one MGET is then
//! held once per copy the reply made (as Redis holds its reply list), not
//! once more in a rendered output buffer.
//!
//! Invariants: `len` is the number of unwritten bytes; the first buffer's
//! bytes before `pos` are written; no buffer but the last is empty.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::reply::Reply;
use crate::Protocol;

/// Pending output bytes (see the module docs).
#[derive(Debug, Default)]
pub struct Output {
    parts: VecDeque<Vec<u8>>,
    /// Bytes of the first part already written.
    pos: usize,
    /// Unwritten bytes.
    len: usize,
    /// The last part was handed over whole: small writes start a new one.
    sealed: bool,
}

impl Output {
    /// Bulk strings this long or longer move into the output instead of
    /// being copied.
    pub const MOVE_MIN: usize = 64 * 1024;

    /// No pending output.
    pub const fn new() -> Output {
        Output { parts: VecDeque::new(), pos: 0, len: 0, sealed: false }
    }

    /// Unwritten bytes.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Nothing left to write.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `bytes`.
    pub fn extend(&mut self, bytes: &[u8]) {
        self.with_bytes(|v| v.extend_from_slice(bytes));
    }

    /// Appends through `f`, which may push any bytes onto the open buffer
    /// (it must not remove any).
    pub fn with_bytes<R>(&mut self, f: impl FnOnce(&mut Vec<u8>) -> R) -> R {
        if self.sealed || self.parts.is_empty() {
            self.parts.push_back(Vec::new());
            self.sealed = false;
        }
        let last = self.parts.len() - 1;
        let v = &mut self.parts[last];
        let before = v.len();
        let r = f(v);
        self.len += v.len().saturating_sub(before);
        r
    }

    /// Appends `buf` as a buffer of its own (no copy).
    pub fn push_owned(&mut self, buf: Vec<u8>) {
        if buf.is_empty() {
            return;
        }
        // An empty open buffer at the back would break "no empty buffer
        // but the last": drop it.
        if !self.sealed && self.parts.back().is_some_and(Vec::is_empty) {
            self.parts.pop_back();
        }
        self.len += buf.len();
        self.parts.push_back(buf);
        self.sealed = true;
    }

    /// Appends `reply` as RESP for a client of `proto`, moving its large
    /// bulk strings in (see [`Reply::write_output`]).
    pub fn reply(&mut self, reply: Reply, proto: Protocol) {
        reply.write_output(proto, self);
    }

    /// The next unwritten bytes (empty when there are none).
    pub fn front(&self) -> &[u8] {
        self.parts.front().map_or(&[][..], |p| &p[self.pos.min(p.len())..])
    }

    /// Marks `n` bytes of [`Output::front`] written; a buffer fully written
    /// is released (the last one is kept for reuse when it is at most
    /// `keep` bytes of capacity).
    pub fn advance(&mut self, n: usize, keep: usize) {
        let Some(first) = self.parts.front() else { return };
        let n = n.min(first.len() - self.pos.min(first.len()));
        self.pos += n;
        self.len -= n;
        if self.pos < first.len() {
            return;
        }
        self.pos = 0;
        if self.parts.len() > 1 {
            self.parts.pop_front();
            return;
        }
        // The only buffer, all written.
        let keep_it = !self.sealed && first.capacity() <= keep;
        match self.parts.front_mut() {
            Some(v) if keep_it => v.clear(),
            _ => {
                self.parts.clear();
                self.sealed = false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(o: &mut Output) -> Vec<u8> {
        let mut all = Vec::new();
        while !o.is_empty() {
            // Write in odd-sized pieces, as a socket may take them.
            let f = o.front();
            let n = f.len().min(7);
            all.extend_from_slice(&f[..n]);
            o.advance(n, 64);
        }
        all
    }

    #[test]
    fn bytes_and_moved_buffers_come_out_in_order() {
        let mut o = Output::new();
        o.extend(b"+OK\r\n");
        o.push_owned(b"BIG".to_vec());
        o.extend(b"\r\n");
        o.push_owned(Vec::new());
        o.push_owned(b"X".to_vec());
        assert_eq!(o.len(), 11);
        assert_eq!(drain(&mut o), b"+OK\r\nBIG\r\nX");
        assert!(o.front().is_empty());
        o.extend(b":1\r\n");
        assert_eq!(drain(&mut o), b":1\r\n");
    }

    #[test]
    fn large_bulks_move_and_render_as_resp() {
        let big = alloc::vec![b'v'; Output::MOVE_MIN];
        let r = Reply::Array(alloc::vec![Reply::Bulk(big.clone()), Reply::Int(1), Reply::Map(alloc::vec![(Reply::bulk(b"k"), Reply::Bulk(big.clone()))])]);
        for proto in [Protocol::Resp2, Protocol::Resp3] {
            let expected = r.to_resp(proto);
            let mut o = Output::new();
            o.reply(r.clone(), proto);
            // Two buffers moved in, the framing in between.
            assert!(o.parts.len() >= 4, "{}", o.parts.len());
            assert_eq!(o.len(), expected.len());
            assert_eq!(drain(&mut o), expected);
        }
    }
}
