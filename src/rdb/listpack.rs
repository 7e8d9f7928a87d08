//! Listpacks (Redis 7.0's `listpack.c` format), written and read for RDB:
//! a 6-byte header (total bytes u32 LE, element count u16 LE, 65535 =
//! unknown), entries, and an `0xFF` end byte. Each entry is an encoding
//! byte (with its integer or string length), the string bytes, and a
//! "backlen" of the entry's length, 7 bits per byte, for walking back.
//!
//! The writer makes the bytes `lpAppend` makes (a string that reads as an
//! integer is stored as one, in the smallest integer encoding). The reader
//! checks every entry against the buffer's end, each backlen, the end byte
//! and the header's size and count: a payload that passes can be decoded
//! without further checks.

use alloc::borrow::Cow;
use alloc::vec::Vec;

use crate::num;

/// One element of a listpack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Item<'a> {
    /// An integer-encoded element.
    Int(i64),
    /// A string element.
    Str(&'a [u8]),
}

impl<'a> Item<'a> {
    /// The element as Redis hands it out: integers as their decimal form.
    pub fn bytes(&self) -> Cow<'a, [u8]> {
        match *self {
            Item::Int(v) => Cow::Owned(num::fmt_i64(v).into_bytes()),
            Item::Str(s) => Cow::Borrowed(s),
        }
    }
}

/// Appends the backlen of an entry of `l` bytes (`lpEncodeBacklen`).
fn put_backlen(out: &mut Vec<u8>, l: usize) {
    let l = l as u64;
    if l <= 127 {
        out.push(l as u8);
    } else if l < 16383 {
        out.extend_from_slice(&[(l >> 7) as u8, (l & 127) as u8 | 128]);
    } else if l < 2097151 {
        out.extend_from_slice(&[(l >> 14) as u8, ((l >> 7) & 127) as u8 | 128, (l & 127) as u8 | 128]);
    } else if l < 268435455 {
        out.extend_from_slice(&[(l >> 21) as u8, ((l >> 14) & 127) as u8 | 128, ((l >> 7) & 127) as u8 | 128, (l & 127) as u8 | 128]);
    } else {
        out.extend_from_slice(&[(l >> 28) as u8, ((l >> 21) & 127) as u8 | 128, ((l >> 14) & 127) as u8 | 128, ((l >> 7) & 127) as u8 | 128, (l & 127) as u8 | 128]);
    }
}

/// Bytes of the backlen of an entry of `l` bytes (also what a stream's
/// node size accounting counts, `src/types/stream.rs`).
pub(crate) fn backlen_size(l: usize) -> usize {
    match l {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2097150 => 3,
        2097151..=268435454 => 4,
        _ => 5,
    }
}

/// Builds a listpack element by element.
pub struct Writer {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

impl Writer {
    /// An empty listpack.
    pub fn new() -> Writer {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(&[0; 6]);
        Writer { buf, count: 0 }
    }

    /// Elements so far.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True before the first element.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `lpAppend`: a string, stored as an integer when it reads as one.
    pub fn push_str(&mut self, s: &[u8]) {
        // `lpStringToInt64` accepts what `string2ll` does.
        if let Some(v) = crate::num::parse_i64(s) {
            return self.push_int(v);
        }
        let start = self.buf.len();
        let n = s.len();
        if n < 64 {
            self.buf.push(0x80 | n as u8);
        } else if n < 4096 {
            self.buf.extend_from_slice(&[0xE0 | (n >> 8) as u8, n as u8]);
        } else {
            self.buf.push(0xF0);
            self.buf.extend_from_slice(&(n as u32).to_le_bytes());
        }
        self.buf.extend_from_slice(s);
        let l = self.buf.len() - start;
        put_backlen(&mut self.buf, l);
        self.count += 1;
    }

    /// `lpAppendInteger`.
    pub fn push_int(&mut self, v: i64) {
        let start = self.buf.len();
        if (0..=127).contains(&v) {
            self.buf.push(v as u8);
        } else if (-4096..=4095).contains(&v) {
            let u = if v < 0 { (1 << 13) + v } else { v } as u16;
            self.buf.extend_from_slice(&[0xC0 | (u >> 8) as u8, u as u8]);
        } else if (-32768..=32767).contains(&v) {
            self.buf.push(0xF1);
            self.buf.extend_from_slice(&(v as i16).to_le_bytes());
        } else if (-8388608..=8388607).contains(&v) {
            self.buf.push(0xF2);
            self.buf.extend_from_slice(&(v as i32).to_le_bytes()[..3]);
        } else if (-2147483648..=2147483647).contains(&v) {
            self.buf.push(0xF3);
            self.buf.extend_from_slice(&(v as i32).to_le_bytes());
        } else {
            self.buf.push(0xF4);
            self.buf.extend_from_slice(&v.to_le_bytes());
        }
        let l = self.buf.len() - start;
        put_backlen(&mut self.buf, l);
        self.count += 1;
    }

    /// Appends an element as read from another listpack.
    pub fn push_item(&mut self, it: Item<'_>) {
        match it {
            Item::Int(v) => self.push_int(v),
            Item::Str(s) => self.push_str(s),
        }
    }

    /// The listpack's bytes so far, end byte included (`lpBytes`).
    pub fn bytes_len(&self) -> usize {
        self.buf.len() + 1
    }

    /// The finished listpack.
    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(0xFF);
        let total = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        let n = self.count.min(65535) as u16;
        self.buf[4..6].copy_from_slice(&n.to_le_bytes());
        self.buf
    }
}

/// Every element of listpack `lp`, after checking its whole layout
/// (`lpValidateIntegrity` with deep validation); `None` if it is corrupt.
pub fn parse(lp: &[u8]) -> Option<Vec<Item<'_>>> {
    if lp.len() < 7 {
        return None;
    }
    let total = u32::from_le_bytes([lp[0], lp[1], lp[2], lp[3]]) as usize;
    let count = u16::from_le_bytes([lp[4], lp[5]]) as usize;
    if total != lp.len() || lp[lp.len() - 1] != 0xFF {
        return None;
    }
    let end = lp.len() - 1;
    // Every element takes at least 2 bytes: no over-allocation.
    let mut items = Vec::with_capacity(count.min(end / 2));
    let mut p = 6;
    let mut back = Vec::with_capacity(5);
    while p < end {
        let b = lp[p];
        let (item, len) = if b & 0x80 == 0 {
            (Item::Int((b & 0x7F) as i64), 1)
        } else if b & 0xC0 == 0x80 {
            let n = (b & 0x3F) as usize;
            (Item::Str(lp.get(p + 1..p + 1 + n)?), 1 + n)
        } else if b & 0xE0 == 0xC0 {
            let u = (((b & 0x1F) as i64) << 8) | *lp.get(p + 1)? as i64;
            (Item::Int(if u >= 1 << 12 { u - (1 << 13) } else { u }), 2)
        } else if b & 0xF0 == 0xE0 {
            let n = (((b & 0x0F) as usize) << 8) | *lp.get(p + 1)? as usize;
            (Item::Str(lp.get(p + 2..p + 2 + n)?), 2 + n)
        } else {
            match b {
                0xF0 => {
                    let h = lp.get(p + 1..p + 5)?;
                    let n = u32::from_le_bytes([h[0], h[1], h[2], h[3]]) as usize;
                    (Item::Str(lp.get(p + 5..(p + 5).checked_add(n)?)?), 5 + n)
                }
                0xF1 => {
                    let h = lp.get(p + 1..p + 3)?;
                    (Item::Int(i16::from_le_bytes([h[0], h[1]]) as i64), 3)
                }
                0xF2 => {
                    let h = lp.get(p + 1..p + 4)?;
                    // Sign-extend the 24-bit value.
                    (Item::Int((i32::from_le_bytes([0, h[0], h[1], h[2]]) >> 8) as i64), 4)
                }
                0xF3 => {
                    let h = lp.get(p + 1..p + 5)?;
                    (Item::Int(i32::from_le_bytes([h[0], h[1], h[2], h[3]]) as i64), 5)
                }
                0xF4 => {
                    let h = lp.get(p + 1..p + 9)?;
                    let mut a = [0u8; 8];
                    a.copy_from_slice(h);
                    (Item::Int(i64::from_le_bytes(a)), 9)
                }
                _ => return None,
            }
        };
        let bl = backlen_size(len);
        let after = p.checked_add(len)?.checked_add(bl)?;
        if after > end {
            return None;
        }
        back.clear();
        put_backlen(&mut back, len);
        if lp[p + len..after] != back[..] {
            return None;
        }
        items.push(item);
        p = after;
    }
    if count != 65535 && count != items.len() {
        return None;
    }
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn round_trip_every_encoding() {
        let long = vec![b'x'; 5000];
        let mid = vec![b'y'; 300];
        let strs: Vec<&[u8]> = vec![b"", b"a", b"0", b"-0", b"127", b"128", b"-1", b"-4096", b"4095", b"4096", b"-32768", b"32768", b"8388607", b"-8388609", b"2147483647", b"2147483648", b"-9223372036854775808", b"9223372036854775807", b"007", &mid, &long];
        let mut w = Writer::new();
        for s in &strs {
            w.push_str(s);
        }
        let lp = w.finish();
        let got = parse(&lp).unwrap();
        let back: Vec<Vec<u8>> = got.iter().map(|i| i.bytes().into_owned()).collect();
        assert_eq!(back, strs.iter().map(|s| s.to_vec()).collect::<Vec<_>>());
        assert!(matches!(got[4], Item::Int(127)));
        assert!(matches!(got[3], Item::Str(b"-0")));
        // Any truncation or single-byte change of the layout is caught or
        // decodes to something else without panicking.
        for k in 0..lp.len() {
            assert!(parse(&lp[..k]).is_none());
            let mut m = lp.clone();
            m[k] ^= 0x41;
            let _ = parse(&m);
        }
    }

    #[test]
    fn redis_bytes() {
        // HSET h a 1 (redis-server 7.0.15 DUMP): the listpack of a, 1.
        let mut w = Writer::new();
        w.push_str(b"a");
        w.push_str(b"1");
        assert_eq!(w.finish(), vec![0x0C, 0, 0, 0, 2, 0, 0x81, 0x61, 0x02, 0x01, 0x01, 0xFF]);
    }
}
