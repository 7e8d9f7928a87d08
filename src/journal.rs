//! The journal: an append-only log of write effects between snapshots.
//! The byte layout is in `docs/FORMAT.md`; the engine side (what is
//! recorded, replay) is in [`crate::persist`].
//!
//! A journal starts with a header carrying the epoch of the snapshot it
//! follows; then records, each `(db, absolute ms time, argv)` framed by a
//! length and a CRC-64 of the payload. A record that runs past the end of
//! the blob or fails its checksum as the last record is a torn tail (a
//! crash mid-append): it is dropped with a warning. A bad record followed
//! by more bytes is corruption: loading fails.
//!
//! Decoding never trusts a length: the record length is checked against
//! the bytes left before its payload is read, and every field inside the
//! payload against the payload's end.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::snapshot::{crc64, CodecError, Source};
use crate::storage::Storage;

/// First bytes of every journal.
pub const MAGIC: &[u8; 8] = b"REDLETJN";
/// The journal format version this build writes and the newest it reads.
pub const VERSION: u32 = 1;
/// Header bytes: magic, version (u32), epoch (u64), CRC-64 of those (u64).
pub const HEADER_LEN: usize = 28;
/// Record framing bytes: payload length (u32) and its CRC-64 (u64).
pub const FRAME_LEN: usize = 12;

/// The header of a journal following the snapshot of `epoch`.
pub fn header(epoch: u64) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..8].copy_from_slice(MAGIC);
    h[8..12].copy_from_slice(&VERSION.to_le_bytes());
    h[12..20].copy_from_slice(&epoch.to_le_bytes());
    let crc = crc64::checksum(&h[..20]);
    h[20..28].copy_from_slice(&crc.to_le_bytes());
    h
}

fn put_var(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7F) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Appends the framed record `(db, time_ms, argv)` to `out`.
pub fn encode_record<A: AsRef<[u8]>>(out: &mut Vec<u8>, db: u64, time_ms: u64, argv: &[A]) {
    let start = out.len();
    out.extend_from_slice(&[0u8; FRAME_LEN]);
    put_var(out, db);
    out.extend_from_slice(&time_ms.to_le_bytes());
    put_var(out, argv.len() as u64);
    for a in argv {
        let a = a.as_ref();
        put_var(out, a.len() as u64);
        out.extend_from_slice(a);
    }
    let payload_len = out.len() - start - FRAME_LEN;
    let crc = crc64::checksum(&out[start + FRAME_LEN..]);
    // Payloads over 4 GiB cannot happen: proto-max-bulk-len bounds argv.
    out[start..start + 4].copy_from_slice(&(payload_len as u32).to_le_bytes());
    out[start + 4..start + 12].copy_from_slice(&crc.to_le_bytes());
}

/// One journal record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Database the command ran in.
    pub db: u64,
    /// The command's instant, Unix ms.
    pub time_ms: u64,
    /// The command line.
    pub argv: Vec<Vec<u8>>,
}

/// What reading the next record found.
#[derive(Debug)]
pub enum Next {
    /// A record; the offset just after it.
    Record(Record, u64),
    /// The clean end of the journal.
    End,
    /// A torn or corrupt last record starting at `offset`, to drop.
    Torn {
        /// Where the valid prefix ends.
        offset: u64,
        /// Why it was rejected.
        reason: String,
    },
}

/// Reads a journal blob record by record through a bounded buffer.
pub struct Reader<'a> {
    src: Source<'a>,
}

impl<'a> Reader<'a> {
    /// A reader over blob `name` of `size` bytes.
    pub fn new(st: &'a mut dyn Storage, name: &'a str, size: u64) -> Self {
        Reader { src: Source::new(st, name, size) }
    }

    /// Reads and checks the header; returns the epoch.
    pub fn header(&mut self) -> Result<u64, CodecError> {
        if self.src.remaining() < HEADER_LEN as u64 {
            return self.src.invalid("journal header truncated");
        }
        let mut h = [0u8; HEADER_LEN];
        self.src.take(&mut h)?;
        if &h[..8] != MAGIC {
            return self.src.invalid("not a redlet journal (bad magic)");
        }
        let version = u32::from_le_bytes([h[8], h[9], h[10], h[11]]);
        let crc = u64::from_le_bytes([h[20], h[21], h[22], h[23], h[24], h[25], h[26], h[27]]);
        if crc != crc64::checksum(&h[..20]) {
            return self.src.invalid("journal header checksum mismatch");
        }
        if version > VERSION {
            return self.src.invalid(format!("journal format version {version} is newer than this build supports ({VERSION})"));
        }
        if version == 0 {
            return self.src.invalid("journal format version 0 is invalid");
        }
        Ok(u64::from_le_bytes([h[12], h[13], h[14], h[15], h[16], h[17], h[18], h[19]]))
    }

    /// Offset of the next unread byte.
    pub fn offset(&self) -> u64 {
        self.src.offset()
    }

    /// The next record, the end, or a torn tail; corruption before the last
    /// record is an error.
    pub fn next_record(&mut self) -> Result<Next, CodecError> {
        let start = self.src.offset();
        let left = self.src.remaining();
        if left == 0 {
            return Ok(Next::End);
        }
        if left < FRAME_LEN as u64 {
            return Ok(Next::Torn { offset: start, reason: format!("{left} bytes of a record frame at the end") });
        }
        let len = self.src.u32()? as u64;
        let crc = self.src.u64()?;
        if len > self.src.remaining() {
            return Ok(Next::Torn { offset: start, reason: format!("last record claims {len} bytes, {} left", self.src.remaining()) });
        }
        let mut payload = alloc::vec![0u8; len as usize];
        self.src.take(&mut payload)?;
        let at_end = self.src.remaining() == 0;
        if crc64::checksum(&payload) != crc {
            if at_end {
                return Ok(Next::Torn { offset: start, reason: String::from("last record checksum mismatch") });
            }
            return Err(CodecError::Invalid { offset: start, reason: String::from("journal record checksum mismatch before the last record") });
        }
        match parse_payload(&payload) {
            Some(rec) => Ok(Next::Record(rec, self.src.offset())),
            None => Err(CodecError::Invalid { offset: start, reason: String::from("malformed journal record") }),
        }
    }
}

/// Parses a record payload; `None` when malformed.
pub fn parse_payload(p: &[u8]) -> Option<Record> {
    let mut i = 0usize;
    let var = |i: &mut usize| -> Option<u64> {
        let mut v: u64 = 0;
        for k in 0..10 {
            let b = *p.get(*i)?;
            *i += 1;
            if k == 9 && b > 1 {
                return None;
            }
            v |= ((b & 0x7F) as u64) << (7 * k);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    };
    let db = var(&mut i)?;
    let t = p.get(i..i + 8)?;
    let time_ms = u64::from_le_bytes([t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]]);
    i += 8;
    let argc = var(&mut i)?;
    // Every argument takes at least its length byte.
    if argc == 0 || argc > (p.len() - i) as u64 {
        return None;
    }
    let mut argv = Vec::with_capacity(argc as usize);
    for _ in 0..argc {
        let n = var(&mut i)?;
        if n > (p.len() - i) as u64 {
            return None;
        }
        let n = n as usize;
        argv.push(p[i..i + n].to_vec());
        i += n;
    }
    if i != p.len() {
        return None;
    }
    Some(Record { db, time_ms, argv })
}
