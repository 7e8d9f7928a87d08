//! Redis's RDB serialization (format version 10, Redis 7.0): the values of
//! DUMP and RESTORE, and whole RDB files ([`file`]).
//!
//! A DUMP payload is an object type byte, the object, the RDB version (2
//! bytes LE) and a CRC-64 ([`crc64`]) of everything before it (8 bytes LE).
//! Objects are written in the encoding Redis 7.0 would hold them in, which
//! the engine's types mirror (`OBJECT ENCODING`): int-encoded, LZF
//! ([`lzf`], with `rdbcompression yes`, strings over 20 bytes) or raw
//! strings; intset or plain sets; listpack or plain hashes; listpack or
//! skiplist sorted sets; lists as quicklists of listpacks ([`listpack`]);
//! streams as their listpack nodes with consumer groups and PELs.
//!
//! Where the bytes equal Redis's and where they cannot:
//! - strings, intsets, listpack hashes and sorted sets, skiplist sorted
//!   sets, and streams (whose nodes the stream type lays out as Redis does)
//!   are Redis's bytes;
//! - lists are re-packed into quicklist nodes as Redis's RPUSH packs them
//!   (`list-max-listpack-size`): equal to Redis's for lists built by RPUSH,
//!   and for any list Redis holds in one node; other histories (LPUSH past
//!   one node, LINSERT splits, deletions) leave Redis with other node
//!   boundaries, so the same elements in different nodes;
//! - hashtable sets and hashes come in the engine's table order: Redis's
//!   order depends on its per-process random hash seed, so no two Redis
//!   processes agree either;
//! - an intset is written in the narrowest width holding its members;
//!   Redis never narrows one after removing its widest member.
//!
//! Reading accepts everything Redis 7.0 reads: every object type of RDB
//! versions 1 to 10 (ziplists, zipmaps, quicklists, the older list, set,
//! zset and stream types) and refuses module types. Every length is
//! checked against the bytes left before anything is allocated, every
//! packed encoding is validated entry by entry (Redis's deep sanitization,
//! always on), and a value is built only from a fully checked payload.

pub mod crc64;
pub mod file;
pub mod legacy;
pub mod listpack;
pub mod lzf;

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::fmt;

use crate::config::Config;
use crate::num;
use crate::types::set::Elem;
use crate::types::stream::{Group, Nack, StreamId};
use crate::types::{hash, zset, Hash, List, Set, Str, Stream, Value, ZSet};

use listpack::Item;

/// The RDB version Redis 7.0 writes, and the newest it reads.
pub const RDB_VERSION: u16 = 10;

/// RDB object type bytes (`rdb.h`).
pub mod types {
    /// A string.
    pub const STRING: u8 = 0;
    /// A list as a sequence of strings (before quicklists).
    pub const LIST: u8 = 1;
    /// A set as a sequence of strings.
    pub const SET: u8 = 2;
    /// A sorted set with scores as strings (before RDB 8).
    pub const ZSET: u8 = 3;
    /// A hash as a sequence of field/value strings.
    pub const HASH: u8 = 4;
    /// A sorted set with binary scores.
    pub const ZSET_2: u8 = 5;
    /// A module value (refused).
    pub const MODULE: u8 = 6;
    /// A module value with annotations (refused).
    pub const MODULE_2: u8 = 7;
    /// A hash as a zipmap (Redis < 2.6).
    pub const HASH_ZIPMAP: u8 = 9;
    /// A list as a ziplist (Redis < 3.2).
    pub const LIST_ZIPLIST: u8 = 10;
    /// A set as an intset.
    pub const SET_INTSET: u8 = 11;
    /// A sorted set as a ziplist (Redis < 7.0).
    pub const ZSET_ZIPLIST: u8 = 12;
    /// A hash as a ziplist (Redis < 7.0).
    pub const HASH_ZIPLIST: u8 = 13;
    /// A list as a quicklist of ziplists (Redis 3.2 to 6.2).
    pub const LIST_QUICKLIST: u8 = 14;
    /// A stream without the 7.0 counters (Redis 5 to 6.2).
    pub const STREAM_LISTPACKS: u8 = 15;
    /// A hash as a listpack.
    pub const HASH_LISTPACK: u8 = 16;
    /// A sorted set as a listpack.
    pub const ZSET_LISTPACK: u8 = 17;
    /// A list as a quicklist of listpacks or plain nodes.
    pub const LIST_QUICKLIST_2: u8 = 18;
    /// A stream with first id, max deleted id, entries added and the
    /// groups' entries read.
    pub const STREAM_LISTPACKS_2: u8 = 19;

    /// Redis's `rdbIsObjectType`.
    pub fn is_object(t: u8) -> bool {
        t <= 7 || (9..=19).contains(&t)
    }
}

/// Quicklist node container: one element stored as is.
const CONTAINER_PLAIN: u64 = 1;
/// Quicklist node container: a listpack.
const CONTAINER_PACKED: u64 = 2;
/// Elements this large get a plain node of their own (`packed_threshold`).
const PACKED_THRESHOLD: usize = 1 << 30;
/// Stream entry flags.
const STREAM_DELETED: i64 = 1;
const STREAM_SAMEFIELDS: i64 = 2;

/// Why a payload or file does not decode: what was wrong and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Byte offset in the input where it was noticed.
    pub offset: usize,
    /// What was wrong.
    pub what: Cow<'static, str>,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.what, self.offset)
    }
}

impl core::error::Error for Error {}

/// Decoding result.
pub type Result<T> = core::result::Result<T, Error>;

// ---------------------------------------------------------------------------
// Writing.

/// Writes objects in RDB form. Holds what the encodings depend on (the
/// configuration's `rdbcompression` and list packing) and a reusable LZF
/// compressor.
pub struct Encoder {
    compression: bool,
    list_fill: i64,
    lzf: lzf::Compressor,
}

impl Encoder {
    /// An encoder for configuration `cfg`.
    pub fn new(cfg: &Config) -> Encoder {
        let compression = cfg.get_param("rdbcompression").is_none_or(|v| v != "no");
        // quicklistSetFill's clamp.
        let list_fill = cfg.list_max_listpack_size.clamp(-5, 32767);
        Encoder { compression, list_fill, lzf: lzf::Compressor::new() }
    }

    /// Redis's `rdbSaveLen`.
    pub fn len(out: &mut Vec<u8>, n: u64) {
        if n < 1 << 6 {
            out.push(n as u8);
        } else if n < 1 << 14 {
            out.extend_from_slice(&[0x40 | (n >> 8) as u8, n as u8]);
        } else if n <= u32::MAX as u64 {
            out.push(0x80);
            out.extend_from_slice(&(n as u32).to_be_bytes());
        } else {
            out.push(0x81);
            out.extend_from_slice(&n.to_be_bytes());
        }
    }

    /// `rdbEncodeInteger`: the special encoding of `v` if it fits 32 bits.
    fn encode_int(out: &mut Vec<u8>, v: i64) -> bool {
        if (-(1 << 7)..1 << 7).contains(&v) {
            out.extend_from_slice(&[0xC0, v as u8]);
        } else if (-(1 << 15)..1 << 15).contains(&v) {
            out.push(0xC1);
            out.extend_from_slice(&(v as i16).to_le_bytes());
        } else if (-(1 << 31)..1 << 31).contains(&v) {
            out.push(0xC2);
            out.extend_from_slice(&(v as i32).to_le_bytes());
        } else {
            return false;
        }
        true
    }

    /// Redis's `rdbSaveRawString`: integer-encoded when `s` is a short
    /// integer, LZF-compressed when that saves at least 4 bytes
    /// (`rdbcompression`, over 20 bytes), else a length and the bytes.
    pub fn string(&mut self, out: &mut Vec<u8>, s: &[u8]) {
        if s.len() <= 11 {
            if let Some(v) = num::parse_i64(s) {
                if Self::encode_int(out, v) {
                    return;
                }
            }
        }
        if self.compression && s.len() > 20 {
            if let Some(z) = self.lzf.compress(s, s.len() - 4) {
                Self::lzf_blob(out, &z, s.len());
                return;
            }
        }
        Self::len(out, s.len() as u64);
        out.extend_from_slice(s);
    }

    /// `rdbSaveLzfBlob`.
    fn lzf_blob(out: &mut Vec<u8>, z: &[u8], original: usize) {
        out.push(0xC3);
        Self::len(out, z.len() as u64);
        Self::len(out, original as u64);
        out.extend_from_slice(z);
    }

    /// `rdbSaveLongLongAsStringObject` (an int-encoded string value).
    fn int_string(out: &mut Vec<u8>, v: i64) {
        if !Self::encode_int(out, v) {
            let s = num::fmt_i64(v);
            Self::len(out, s.len() as u64);
            out.extend_from_slice(s.as_bytes());
        }
    }

    /// The object type byte of `v` (`rdbSaveObjectType`).
    pub fn object_type(v: &Value) -> u8 {
        match v {
            Value::Str(_) => types::STRING,
            Value::List(_) => types::LIST_QUICKLIST_2,
            Value::Set(s) if s.is_intset() => types::SET_INTSET,
            Value::Set(_) => types::SET,
            Value::ZSet(z) if z.is_listpack() => types::ZSET_LISTPACK,
            Value::ZSet(_) => types::ZSET_2,
            Value::Hash(h) if h.is_listpack() => types::HASH_LISTPACK,
            Value::Hash(_) => types::HASH,
            Value::Stream(_) => types::STREAM_LISTPACKS_2,
        }
    }

    /// Appends object `v` (`rdbSaveObject`), without its type byte.
    pub fn object(&mut self, out: &mut Vec<u8>, v: &Value) {
        match v {
            Value::Str(Str::Int(n) | Str::IntUnshared(n)) => Self::int_string(out, *n),
            Value::Str(s) => self.string(out, &s.as_bytes()),
            Value::List(l) => self.list(out, l),
            Value::Set(s) => {
                if s.is_intset() {
                    let ints: Vec<i64> = s.iter().filter_map(|e| if let Elem::Int(n) = e { Some(n) } else { None }).collect();
                    self.string(out, &legacy::write_intset(&ints));
                } else {
                    Self::len(out, s.len() as u64);
                    for m in s.iter() {
                        self.string(out, &m.bytes());
                    }
                }
            }
            Value::ZSet(z) => {
                if z.is_listpack() {
                    let mut w = listpack::Writer::new();
                    for (m, sc) in z.iter() {
                        w.push_str(m);
                        push_score(&mut w, sc);
                    }
                    self.string(out, &w.finish());
                } else {
                    // Highest first, as Redis walks its skiplist from the
                    // tail (loading then inserts at the head each time).
                    Self::len(out, z.len() as u64);
                    for (m, sc) in z.iter_from(z.len() - 1, true) {
                        self.string(out, m);
                        out.extend_from_slice(&sc.to_le_bytes());
                    }
                }
            }
            Value::Hash(h) => {
                if h.is_listpack() {
                    let mut w = listpack::Writer::new();
                    for (f, v) in h.iter() {
                        w.push_str(f);
                        w.push_str(v);
                    }
                    self.string(out, &w.finish());
                } else {
                    Self::len(out, h.len() as u64);
                    for (f, v) in h.iter() {
                        self.string(out, f);
                        self.string(out, v);
                    }
                }
            }
            Value::Stream(x) => self.stream(out, x),
        }
    }

    /// A list as a quicklist of listpacks, packed as Redis's
    /// `quicklistPushTail` packs nodes (see the module docs).
    fn list(&mut self, out: &mut Vec<u8>, l: &List) {
        let mut nodes: Vec<(u64, Vec<u8>)> = Vec::new();
        let mut cur: Option<listpack::Writer> = None;
        for e in l.iter() {
            if e.len() >= PACKED_THRESHOLD {
                if let Some(w) = cur.take() {
                    nodes.push((CONTAINER_PACKED, w.finish()));
                }
                nodes.push((CONTAINER_PLAIN, e.to_vec()));
                continue;
            }
            let fits = cur.as_ref().is_some_and(|w| allow_insert(w.bytes_len(), w.len(), self.list_fill, e.len()));
            if !fits {
                if let Some(w) = cur.take() {
                    nodes.push((CONTAINER_PACKED, w.finish()));
                }
                cur = Some(listpack::Writer::new());
            }
            if let Some(w) = cur.as_mut() {
                w.push_str(e);
            }
        }
        if let Some(w) = cur.take() {
            nodes.push((CONTAINER_PACKED, w.finish()));
        }
        Self::len(out, nodes.len() as u64);
        for (container, data) in nodes {
            Self::len(out, container);
            self.string(out, &data);
        }
    }

    fn stream(&mut self, out: &mut Vec<u8>, x: &Stream) {
        let en = &x.entries;
        Self::len(out, en.raw_node_count() as u64);
        for (fields, items) in en.raw_nodes() {
            let Some(master) = items.first().map(|i| i.id) else { continue };
            let mut w = listpack::Writer::new();
            let deleted = items.iter().filter(|i| i.deleted).count();
            w.push_int((items.len() - deleted) as i64);
            w.push_int(deleted as i64);
            w.push_int(fields.len() as i64);
            for f in fields {
                w.push_str(f);
            }
            w.push_int(0);
            for it in &items {
                let flags = if it.deleted { STREAM_DELETED } else { 0 } | if it.same_fields { STREAM_SAMEFIELDS } else { 0 };
                w.push_int(flags);
                w.push_int(it.id.ms.wrapping_sub(master.ms) as i64);
                w.push_int(it.id.seq.wrapping_sub(master.seq) as i64);
                let nf = if it.same_fields { it.data.len() } else { it.data.len() / 2 };
                if !it.same_fields {
                    w.push_int(nf as i64);
                }
                for d in &it.data {
                    w.push_str(d);
                }
                w.push_int(nf as i64 + 3 + if it.same_fields { 0 } else { nf as i64 + 1 });
            }
            let mut key = [0u8; 16];
            key[..8].copy_from_slice(&master.ms.to_be_bytes());
            key[8..].copy_from_slice(&master.seq.to_be_bytes());
            self.string(out, &key);
            self.string(out, &w.finish());
        }
        Self::len(out, en.len());
        for id in [en.last_id(), en.first_id(), en.max_deleted_id()] {
            Self::len(out, id.ms);
            Self::len(out, id.seq);
        }
        Self::len(out, en.entries_added());
        Self::len(out, x.groups.len() as u64);
        for (name, g) in &x.groups {
            self.string(out, name);
            Self::len(out, g.last_id.ms);
            Self::len(out, g.last_id.seq);
            // -1 (unknown) is saved as a 64-bit length, as Redis does.
            Self::len(out, g.entries_read as u64);
            Self::len(out, g.pel.len() as u64);
            for (id, n) in &g.pel {
                put_id(out, *id);
                out.extend_from_slice(&n.delivery_time.to_le_bytes());
                Self::len(out, n.delivery_count);
            }
            Self::len(out, g.consumers.len() as u64);
            for (cname, c) in &g.consumers {
                self.string(out, cname);
                out.extend_from_slice(&c.seen_time.to_le_bytes());
                Self::len(out, c.pel.len() as u64);
                for id in &c.pel {
                    put_id(out, *id);
                }
            }
        }
    }
}

/// A stream id as its rax key: 16 bytes big endian.
fn put_id(out: &mut Vec<u8>, id: StreamId) {
    out.extend_from_slice(&id.ms.to_be_bytes());
    out.extend_from_slice(&id.seq.to_be_bytes());
}

/// A sorted set score in a listpack (`zzlInsertAt`): an integer when the
/// double is one, else `d2string`'s text.
fn push_score(w: &mut listpack::Writer, sc: f64) {
    match zset::double2ll(sc) {
        Some(l) => w.push_int(l),
        None if sc.is_infinite() => w.push_str(if sc < 0.0 { b"-inf" } else { b"inf" }),
        None => w.push_str(num::fmt_g17(sc).as_bytes()),
    }
}

/// Redis's `_quicklistNodeAllowInsert` for a node of `node_sz` listpack
/// bytes and `count` elements and a new element of `sz` bytes.
fn allow_insert(node_sz: usize, count: usize, fill: i64, sz: usize) -> bool {
    const OPTIMIZATION_LEVEL: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
    let new_sz = node_sz + sz + 8;
    if fill < 0 {
        let offset = (-fill - 1) as usize;
        if offset < OPTIMIZATION_LEVEL.len() && new_sz <= OPTIMIZATION_LEVEL[offset] {
            return true;
        }
    }
    if new_sz > 8192 {
        return false;
    }
    (count as i64) < fill
}

/// The DUMP payload of `v` under configuration `cfg`: type, object, RDB
/// version 10 and CRC-64.
pub fn dump(v: &Value, cfg: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    out.push(Encoder::object_type(v));
    Encoder::new(cfg).object(&mut out, v);
    out.extend_from_slice(&RDB_VERSION.to_le_bytes());
    let crc = crc64::crc64(0, &out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

// ---------------------------------------------------------------------------
// Reading.

/// A cursor over RDB bytes. Every read is bounded by the bytes left.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Reader<'a> {
        Reader { buf, pos: 0 }
    }

    /// Offset of the next byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// An error at the current offset.
    pub fn err<T>(&self, what: impl Into<Cow<'static, str>>) -> Result<T> {
        Err(Error { offset: self.pos, what: what.into() })
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if n > self.remaining() {
            return self.err("unexpected end of data");
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    /// One byte.
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// An 8-byte little-endian integer (`rdbLoadMillisecondTime`).
    pub fn i64_le(&mut self) -> Result<i64> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_le_bytes(a))
    }

    /// `rdbLoadLenByRef`: a length, or (`true`) a special encoding number.
    pub fn len_enc(&mut self) -> Result<(u64, bool)> {
        let b = self.u8()?;
        Ok(match b >> 6 {
            0 => ((b & 0x3F) as u64, false),
            1 => ((((b & 0x3F) as u64) << 8) | self.u8()? as u64, false),
            3 => ((b & 0x3F) as u64, true),
            _ if b == 0x80 => {
                let s = self.take(4)?;
                (u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as u64, false)
            }
            _ if b == 0x81 => {
                let s = self.take(8)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(s);
                (u64::from_be_bytes(a), false)
            }
            _ => return self.err("unknown length encoding"),
        })
    }

    /// A plain length.
    pub fn length(&mut self) -> Result<u64> {
        match self.len_enc()? {
            (n, false) => Ok(n),
            _ => self.err("encoded value where a length was expected"),
        }
    }

    /// A count of items each taking at least one byte: refused when the
    /// bytes left cannot hold that many.
    fn count(&mut self) -> Result<usize> {
        let n = self.length()?;
        if n > self.remaining() as u64 {
            return self.err("count larger than the data left");
        }
        Ok(n as usize)
    }

    /// A string (`rdbGenericLoadStringObject`): raw, integer-encoded or
    /// LZF-compressed.
    pub fn string(&mut self) -> Result<Cow<'a, [u8]>> {
        let (n, enc) = self.len_enc()?;
        if !enc {
            let n = usize::try_from(n).ok().filter(|&n| n <= self.remaining());
            return match n {
                Some(n) => Ok(Cow::Borrowed(self.take(n)?)),
                None => self.err("string longer than the data left"),
            };
        }
        let v = match n {
            0 => self.u8()? as i8 as i64,
            1 => {
                let s = self.take(2)?;
                i16::from_le_bytes([s[0], s[1]]) as i64
            }
            2 => {
                let s = self.take(4)?;
                i32::from_le_bytes([s[0], s[1], s[2], s[3]]) as i64
            }
            3 => {
                let clen = self.length()?;
                let ulen = self.length()?;
                if clen > self.remaining() as u64 || ulen > clen.saturating_mul(lzf::MAX_RATIO as u64) {
                    return self.err("LZF lengths larger than the data allows");
                }
                let src = self.take(clen as usize)?;
                if ulen == 0 {
                    // lzf_decompress "produces" 0 bytes of anything.
                    return Ok(Cow::Owned(Vec::new()));
                }
                return match lzf::decompress(src, ulen as usize) {
                    Some(v) => Ok(Cow::Owned(v)),
                    None => self.err("invalid LZF compressed string"),
                };
            }
            _ => return self.err("unknown string encoding"),
        };
        Ok(Cow::Owned(num::fmt_i64(v).into_bytes()))
    }

    /// `rdbLoadDoubleValue`: a score as text (sorted sets before RDB 8).
    fn text_double(&mut self) -> Result<f64> {
        match self.u8()? {
            255 => Ok(f64::NEG_INFINITY),
            254 => Ok(f64::INFINITY),
            253 => Ok(f64::NAN),
            n => {
                let s = self.take(n as usize)?;
                match num::parse_f64(s) {
                    Some(d) => Ok(d),
                    None => self.err("invalid double"),
                }
            }
        }
    }

    /// `rdbLoadBinaryDoubleValue`.
    fn binary_double(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.i64_le()? as u64))
    }

    /// A 16-byte big-endian stream id.
    fn raw_id(&mut self) -> Result<StreamId> {
        let b = self.take(16)?;
        let mut ms = [0u8; 8];
        let mut seq = [0u8; 8];
        ms.copy_from_slice(&b[..8]);
        seq.copy_from_slice(&b[8..]);
        Ok(StreamId::new(u64::from_be_bytes(ms), u64::from_be_bytes(seq)))
    }
}

/// Why [`restore`] refused a payload, as RESTORE reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestoreError {
    /// Shorter than the footer, a newer RDB version, or a bad CRC.
    VersionOrChecksum,
    /// The object does not decode (the reason, for logs and tests).
    BadFormat(Error),
}

/// Decodes a DUMP payload into a value built under `cfg` (encodings as
/// Redis's RESTORE chooses them); `seed` gives hash table seeds.
pub fn restore(payload: &[u8], cfg: &Config, seed: &mut dyn FnMut() -> u64) -> core::result::Result<Value, RestoreError> {
    verify_payload(payload)?;
    // As Redis does, the object is read from the whole payload (footer
    // included) and bytes it leaves unread are ignored.
    let mut r = Reader::new(payload);
    let t = r.u8().map_err(RestoreError::BadFormat)?;
    if !types::is_object(t) {
        return Err(RestoreError::BadFormat(Error { offset: 0, what: "not an object type".into() }));
    }
    match load_object(&mut r, t, cfg, seed) {
        Ok(Some(v)) => Ok(v),
        Ok(None) => Err(RestoreError::BadFormat(Error { offset: r.pos(), what: "empty value".into() })),
        Err(e) => Err(RestoreError::BadFormat(e)),
    }
}

/// `verifyDumpPayload`: the footer's version and checksum.
pub fn verify_payload(p: &[u8]) -> core::result::Result<(), RestoreError> {
    if p.len() < 10 {
        return Err(RestoreError::VersionOrChecksum);
    }
    let footer = &p[p.len() - 10..];
    let ver = u16::from_le_bytes([footer[0], footer[1]]);
    if ver > RDB_VERSION {
        return Err(RestoreError::VersionOrChecksum);
    }
    let crc = crc64::crc64(0, &p[..p.len() - 8]);
    if crc.to_le_bytes() != footer[2..] {
        return Err(RestoreError::VersionOrChecksum);
    }
    Ok(())
}

/// Reads an object of RDB type `t` (`rdbLoadObject`), building it with the
/// encodings Redis's loading gives under `cfg`. `Ok(None)` for an empty
/// value (which an RDB file skips and RESTORE refuses).
pub fn load_object(r: &mut Reader<'_>, t: u8, cfg: &Config, seed: &mut dyn FnMut() -> u64) -> Result<Option<Value>> {
    let hlim = hash::Limits::of(cfg);
    let zlim = zset::Limits::of(cfg);
    let unlimited_h = hash::Limits { max_entries: usize::MAX, max_value: usize::MAX };
    let unlimited_z = zset::Limits { max_entries: usize::MAX, max_value: usize::MAX };
    let v = match t {
        types::STRING => Value::Str(Str::from_vec(r.string()?.into_owned())),
        types::LIST => {
            let n = r.count()?;
            let mut l = List::new();
            for _ in 0..n {
                l.push_back(&r.string()?);
            }
            if l.is_empty() {
                return Ok(None);
            }
            Value::List(Box::new(l))
        }
        types::LIST_QUICKLIST | types::LIST_QUICKLIST_2 => {
            let n = r.count()?;
            let mut l = List::new();
            for _ in 0..n {
                let container = if t == types::LIST_QUICKLIST_2 { r.length()? } else { CONTAINER_PACKED };
                if container != CONTAINER_PACKED && container != CONTAINER_PLAIN {
                    return r.err("quicklist integrity check failed");
                }
                let data = r.string()?;
                if data.is_empty() {
                    return r.err("empty quicklist node");
                }
                if container == CONTAINER_PLAIN {
                    l.push_back(&data);
                    continue;
                }
                let items = if t == types::LIST_QUICKLIST_2 { listpack::parse(&data) } else { legacy::ziplist(&data) };
                let Some(items) = items else { return r.err(if t == types::LIST_QUICKLIST_2 { "listpack integrity check failed" } else { "ziplist integrity check failed" }) };
                for it in items {
                    l.push_back(&it.bytes());
                }
            }
            if l.is_empty() {
                return Ok(None);
            }
            Value::List(Box::new(l))
        }
        types::LIST_ZIPLIST => {
            let data = r.string()?;
            let Some(items) = legacy::ziplist(&data) else { return r.err("list ziplist integrity check failed") };
            if items.is_empty() {
                return Ok(None);
            }
            Value::List(Box::new(items.iter().map(|i| i.bytes().into_owned()).collect()))
        }
        types::SET => {
            let n = r.count()?;
            if n == 0 {
                return Ok(None);
            }
            let max = cfg.set_max_intset_entries.min(1 << 30);
            let mut s = if n > max { Set::new_table(seed()) } else { Set::new(seed()) };
            for _ in 0..n {
                if !s.add(&r.string()?, max) {
                    return r.err("duplicate set members detected");
                }
            }
            Value::Set(Box::new(s))
        }
        types::SET_INTSET => {
            let data = r.string()?;
            let Some(ints) = legacy::intset(&data) else { return r.err("intset integrity check failed") };
            let mut s = Set::new(seed());
            for n in ints {
                s.add_elem(Elem::Int(n), cfg.set_max_intset_entries);
            }
            Value::Set(Box::new(s))
        }
        types::ZSET | types::ZSET_2 => {
            let n = r.count()?;
            if n == 0 {
                return Ok(None);
            }
            let mut z = ZSet::new_skiplist(seed());
            let (mut maxlen, mut total) = (0usize, 0usize);
            for _ in 0..n {
                let m = r.string()?;
                let sc = if t == types::ZSET_2 { r.binary_double()? } else { r.text_double()? };
                if sc.is_nan() {
                    return r.err("zset with NaN score detected");
                }
                if z.contains(&m) {
                    return r.err("duplicate zset fields detected");
                }
                maxlen = maxlen.max(m.len());
                total = total.saturating_add(m.len());
                let _ = z.add(sc, &m, Default::default(), zlim);
            }
            z.convert_to_listpack_if_needed(maxlen, total, zlim);
            Value::ZSet(Box::new(z))
        }
        types::ZSET_ZIPLIST | types::ZSET_LISTPACK => {
            let data = r.string()?;
            let items = if t == types::ZSET_LISTPACK { listpack::parse(&data) } else { legacy::ziplist(&data) };
            let Some(items) = items.filter(|i| i.len() % 2 == 0) else { return r.err("zset listpack integrity check failed") };
            if items.is_empty() {
                return Ok(None);
            }
            let mut z = ZSet::new_listpack(seed());
            for p in items.chunks_exact(2) {
                let m = p[0].bytes();
                let sc = match p[1] {
                    Item::Int(v) => v as f64,
                    Item::Str(s) => match num::parse_f64(s) {
                        Some(d) if !d.is_nan() => d,
                        _ => return r.err("zset listpack score is not a number"),
                    },
                };
                if z.contains(&m) {
                    return r.err("duplicate zset fields detected");
                }
                let _ = z.add(sc, &m, Default::default(), unlimited_z);
            }
            if z.len() > zlim.max_entries {
                z.convert_to_skiplist();
            }
            Value::ZSet(Box::new(z))
        }
        types::HASH => {
            let n = r.count()?;
            if n == 0 {
                return Ok(None);
            }
            let mut h = Hash::new(seed());
            if n > hlim.max_entries {
                h.convert();
            }
            for _ in 0..n {
                let f = r.string()?;
                let v = r.string()?;
                if !h.set(&f, &v, hlim) {
                    return r.err("duplicate hash fields detected");
                }
            }
            Value::Hash(Box::new(h))
        }
        types::HASH_ZIPMAP => {
            let data = r.string()?;
            let Some(pairs) = legacy::zipmap(&data) else { return r.err("zipmap integrity check failed") };
            let mut h = Hash::new(seed());
            let mut maxlen = 0;
            for (f, v) in pairs {
                maxlen = maxlen.max(f.len()).max(v.len());
                if !h.set(f, v, unlimited_h) {
                    return r.err("hash zipmap with dup elements");
                }
            }
            if h.len() > hlim.max_entries || maxlen > hlim.max_value {
                h.convert();
            }
            Value::Hash(Box::new(h))
        }
        types::HASH_ZIPLIST | types::HASH_LISTPACK => {
            let data = r.string()?;
            let items = if t == types::HASH_LISTPACK { listpack::parse(&data) } else { legacy::ziplist(&data) };
            let Some(items) = items.filter(|i| i.len() % 2 == 0) else { return r.err("hash listpack integrity check failed") };
            if items.is_empty() {
                return Ok(None);
            }
            let mut h = Hash::new(seed());
            for p in items.chunks_exact(2) {
                if !h.set(&p[0].bytes(), &p[1].bytes(), unlimited_h) {
                    return r.err("hash with dup elements");
                }
            }
            if h.len() > hlim.max_entries {
                h.convert();
            }
            Value::Hash(Box::new(h))
        }
        types::STREAM_LISTPACKS | types::STREAM_LISTPACKS_2 => Value::Stream(Box::new(load_stream(r, t == types::STREAM_LISTPACKS_2)?)),
        types::MODULE | types::MODULE_2 => return r.err("module data can't be loaded (no modules)"),
        _ => return r.err("unknown object type"),
    };
    Ok(Some(v))
}

/// One integer element of a stream listpack.
fn lp_int(it: Option<&Item<'_>>) -> Option<i64> {
    match it? {
        Item::Int(v) => Some(*v),
        Item::Str(s) => crate::num::parse_i64(s),
    }
}

/// A pending entry while its group loads: delivery time and count, and
/// the consumer once a consumer's PEL names it.
type PendingLoad = (i64, u64, Option<Box<[u8]>>);

/// Reads a stream: listpack nodes, counters, consumer groups.
fn load_stream(r: &mut Reader<'_>, v2: bool) -> Result<Stream> {
    let mut x = Stream::new();
    let mut builder = crate::types::stream::RawBuilder::default();
    let nodes = r.count()?;
    for _ in 0..nodes {
        let key = r.string()?;
        if key.len() != 16 {
            return r.err("stream node key entry is not the size of a stream ID");
        }
        let master = Reader::new(&key).raw_id()?;
        let lp = r.string()?;
        let Some(items) = listpack::parse(&lp) else { return r.err("stream listpack integrity check failed") };
        if let Err(why) = load_stream_node(&mut x, &mut builder, master, &items) {
            return r.err(why);
        }
    }
    let length = r.length()?;
    let last = StreamId::new(r.length()?, r.length()?);
    let (max_deleted, entries_added) = if v2 {
        // The recorded first id is recomputed from the entries.
        let _first = StreamId::new(r.length()?, r.length()?);
        (StreamId::new(r.length()?, r.length()?), r.length()?)
    } else {
        (StreamId::MIN, length)
    };
    if let Err(why) = builder.finish(&mut x.entries, last, max_deleted, entries_added) {
        return r.err(why);
    }
    if x.entries.len() != length {
        return r.err("stream length inconsistent with its entries");
    }
    let ngroups = r.count()?;
    for _ in 0..ngroups {
        let name = r.string()?.into_owned();
        let glast = StreamId::new(r.length()?, r.length()?);
        let entries_read = if v2 { r.length()? as i64 } else { x.entries.estimate_distance(glast) };
        if x.groups.contains_key(name.as_slice()) {
            return r.err("duplicated consumer group name");
        }
        let mut g = Group::new(glast, entries_read);
        let npel = r.count()?;
        let mut pel: BTreeMap<StreamId, PendingLoad> = BTreeMap::new();
        for _ in 0..npel {
            let id = r.raw_id()?;
            let time = r.i64_le()?;
            let count = r.length()?;
            if pel.insert(id, (time, count, None)).is_some() {
                return r.err("duplicated global PEL entry loading stream consumer group");
            }
        }
        let nc = r.count()?;
        for _ in 0..nc {
            let cname: Box<[u8]> = r.string()?.into_owned().into_boxed_slice();
            let seen = r.i64_le()?;
            if !g.create_consumer(&cname, seen) {
                return r.err("duplicate stream consumer detected");
            }
            let n = r.count()?;
            for _ in 0..n {
                let id = r.raw_id()?;
                match pel.get_mut(&id) {
                    Some((_, _, owner @ None)) => *owner = Some(cname.clone()),
                    Some(_) => return r.err("duplicated consumer PEL entry loading a stream consumer group"),
                    None => return r.err("consumer entry not found in group global PEL"),
                }
                if let Some(c) = g.consumers.get_mut(&cname) {
                    c.pel.insert(id);
                }
            }
        }
        for (id, (delivery_time, delivery_count, owner)) in pel {
            let Some(consumer) = owner else { return r.err("stream CG PEL entry without consumer") };
            g.pel.insert(id, Nack { delivery_time, delivery_count, consumer });
        }
        x.groups.insert(name.into_boxed_slice(), g);
    }
    Ok(x)
}

/// Decodes one stream node (its listpack's elements) into the builder,
/// checking the layout `streamValidateListpackIntegrity` checks.
fn load_stream_node(x: &mut Stream, b: &mut crate::types::stream::RawBuilder, master: StreamId, items: &[Item<'_>]) -> core::result::Result<(), &'static str> {
    const BAD: &str = "stream listpack integrity check failed";
    if items.is_empty() {
        return Err("empty listpack inside stream");
    }
    let live = lp_int(items.first()).ok_or(BAD)?;
    let deleted = lp_int(items.get(1)).ok_or(BAD)?;
    let nf = lp_int(items.get(2)).ok_or(BAD)?;
    let nf = usize::try_from(nf).ok().filter(|&n| n > 0 && n < items.len()).ok_or(BAD)?;
    let fields: Vec<Cow<'_, [u8]>> = items.get(3..3 + nf).ok_or(BAD)?.iter().map(|i| i.bytes()).collect();
    if lp_int(items.get(3 + nf)) != Some(0) {
        return Err(BAD);
    }
    let mut p = 4 + nf;
    let (mut seen_live, mut seen_deleted) = (0i64, 0i64);
    let mut first = true;
    while p < items.len() {
        let start = p;
        let flags = lp_int(items.get(p)).ok_or(BAD)?;
        if flags & !(STREAM_DELETED | STREAM_SAMEFIELDS) != 0 {
            return Err(BAD);
        }
        let ms = master.ms.wrapping_add(lp_int(items.get(p + 1)).ok_or(BAD)? as u64);
        let seq = master.seq.wrapping_add(lp_int(items.get(p + 2)).ok_or(BAD)? as u64);
        p += 3;
        let same = flags & STREAM_SAMEFIELDS != 0;
        let mut fv: Vec<Cow<'_, [u8]>> = Vec::new();
        if same {
            let vals = items.get(p..p + nf).ok_or(BAD)?;
            for (f, v) in fields.iter().zip(vals) {
                fv.push(f.clone());
                fv.push(v.bytes());
            }
            p += nf;
        } else {
            let n = usize::try_from(lp_int(items.get(p)).ok_or(BAD)?).ok().filter(|&n| n > 0 && n <= items.len()).ok_or(BAD)?;
            p += 1;
            fv.extend(items.get(p..p + 2 * n).ok_or(BAD)?.iter().map(|i| i.bytes()));
            p += 2 * n;
        }
        let lp_count = lp_int(items.get(p)).ok_or(BAD)?;
        if lp_count != (p - start) as i64 {
            return Err(BAD);
        }
        p += 1;
        let deleted_flag = flags & STREAM_DELETED != 0;
        if deleted_flag {
            seen_deleted += 1;
        } else {
            seen_live += 1;
        }
        let id = StreamId::new(ms, seq);
        let refs: Vec<&[u8]> = fv.iter().map(|v| v.as_ref()).collect();
        if first {
            if !same || id != master {
                return Err("stream node's first entry is not its master entry");
            }
            b.start_node(&mut x.entries, id, &refs, deleted_flag)?;
            first = false;
        } else {
            b.push(&mut x.entries, id, &refs, deleted_flag, same)?;
        }
    }
    if first || seen_live != live || seen_deleted != deleted {
        return Err(BAD);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> impl FnMut() -> u64 {
        let mut n = 0;
        move || {
            n += 1;
            n
        }
    }

    #[test]
    fn redis_string_payloads() {
        let cfg = Config::default();
        // DUMP of SET k 123 on redis-server 7.0.15: 00 C0 7B 0A 00 + CRC.
        let p = dump(&Value::Str(Str::Int(123)), &cfg);
        assert_eq!(&p[..5], b"\x00\xc0\x7b\x0a\x00");
        let p = dump(&Value::Str(Str::from_bytes(b"hello")), &cfg);
        assert_eq!(&p[..7], b"\x00\x05hello");
        let v = restore(&p, &cfg, &mut seed()).unwrap();
        assert!(matches!(v, Value::Str(ref s) if s.as_bytes().as_ref() == b"hello"));
    }

    #[test]
    fn footer_checks() {
        let cfg = Config::default();
        let mut p = dump(&Value::Str(Str::from_bytes(b"hello")), &cfg);
        assert_eq!(restore(&p[..9], &cfg, &mut seed()).unwrap_err(), RestoreError::VersionOrChecksum);
        let n = p.len();
        p[n - 1] ^= 1;
        assert_eq!(restore(&p, &cfg, &mut seed()).unwrap_err(), RestoreError::VersionOrChecksum);
    }

    #[test]
    fn mutated_payloads_never_panic() {
        let cfg = Config::default();
        let mut l = List::new();
        for i in 0..300 {
            l.push_back(alloc::format!("element-{i}").as_bytes());
        }
        let p = dump(&Value::List(Box::new(l)), &cfg);
        for k in 0..p.len() - 10 {
            for x in [1u8, 0x80, 0xFF] {
                let mut m = p.clone();
                m[k] ^= x;
                let body = m.len() - 8;
                let crc = crc64::crc64(0, &m[..body]);
                m[body..].copy_from_slice(&crc.to_le_bytes());
                let _ = restore(&m, &cfg, &mut seed());
            }
        }
    }
}

/// Entry points of the fuzz targets (`fuzz/fuzz_targets/rdb_*.rs`) and
/// their smoke test (`tests/fuzz_smoke.rs`): arbitrary bytes must never
/// panic, and what is accepted must survive a second round trip.
pub mod fuzz {
    use alloc::boxed::Box;
    use alloc::format;
    use alloc::vec::Vec;

    use crate::clock::Clock;
    use crate::{Config, Engine, Options, Reply};

    struct Fixed;
    impl Clock for Fixed {
        fn now_micros(&self) -> u64 {
            1_700_000_000_000_000
        }
    }

    fn engine() -> Engine {
        Engine::new(Options { config: Config::default(), clock: Box::new(Fixed), seed: 1 })
    }

    /// An engine holding every type in every encoding.
    fn sample() -> Engine {
        let mut e = engine();
        let mut lines: Vec<Vec<Vec<u8>>> = Vec::new();
        let w = |s: &str| s.split(' ').map(|a| a.as_bytes().to_vec()).collect::<Vec<_>>();
        for l in [
            "SET s1 123",
            "SET s2 hello",
            "SET s3 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            "RPUSH l1 a b 1 2 300",
            "SADD i1 1 2 100000",
            "SADD t1 a b c",
            "HSET h1 a 1 b 2",
            "ZADD z1 1 a 2.5 b inf c",
            "XADD x1 1-1 f v g w",
            "XADD x1 2-1 f v g w",
            "XADD x1 3-1 other 1",
            "XDEL x1 2-1",
            "XGROUP CREATE x1 g 0",
            "XREADGROUP GROUP g c COUNT 1 STREAMS x1 >",
            "SET e1 v PX 100000",
        ] {
            lines.push(w(l));
        }
        let mut big = w("RPUSH l2");
        big.extend((0..700).map(|i| format!("item-{i}").into_bytes()));
        lines.push(big);
        let mut zs = w("ZADD z2");
        zs.extend((0..200).flat_map(|i| [format!("{i}.5").into_bytes(), format!("m{i}").into_bytes()]));
        lines.push(zs);
        let mut hs = w("HSET h2");
        hs.extend((0..600).flat_map(|i| [format!("f{i}").into_bytes(), format!("v{i}").into_bytes()]));
        lines.push(hs);
        for l in &lines {
            let refs: Vec<&[u8]> = l.iter().map(|a| a.as_slice()).collect();
            e.command(&refs);
        }
        e
    }

    /// DUMP payloads of every type and encoding.
    pub fn seed_payloads() -> Vec<Vec<u8>> {
        let mut e = sample();
        let mut out = Vec::new();
        for k in ["s1", "s2", "s3", "l1", "l2", "i1", "t1", "h1", "h2", "z1", "z2", "x1"] {
            if let Reply::Bulk(b) = e.command(&[b"DUMP", k.as_bytes()]) {
                out.push(b);
            }
        }
        out
    }

    /// An RDB file of every type and encoding.
    pub fn seed_file() -> Vec<u8> {
        let e = sample();
        let mut out = Vec::new();
        e.export_rdb(&mut |c| out.extend_from_slice(c));
        out
    }

    /// `body` as a DUMP payload (version 10 and the right CRC appended):
    /// RESTORE must not panic; when it accepts, the value's DUMP must be
    /// accepted too and DUMP to the same bytes. True when accepted.
    pub fn restore_payload(body: &[u8]) -> bool {
        let mut p = body.to_vec();
        p.extend_from_slice(&super::RDB_VERSION.to_le_bytes());
        let crc = super::crc64::crc64(0, &p);
        p.extend_from_slice(&crc.to_le_bytes());
        let cfg = Config::default();
        let mut n = 0u64;
        let mut seed = || {
            n += 1;
            n
        };
        let Ok(v) = super::restore(&p, &cfg, &mut seed) else { return false };
        let again = super::dump(&v, &cfg);
        let v2 = super::restore(&again, &cfg, &mut seed).expect("a payload redlet wrote restores");
        assert_eq!(super::dump(&v2, &cfg), again, "DUMP of a restored DUMP changed");
        // The value must also be usable by commands.
        let mut e = engine();
        if e.command(&[b"RESTORE", b"k", b"0", &p]) == Reply::ok() {
            for cmd in [&b"TYPE"[..], b"OBJECT", b"DEBUG"] {
                let _ = e.command(&[cmd, b"k"]);
            }
            let _ = e.command(&[b"XINFO", b"STREAM", b"k", b"FULL"]);
            let _ = e.command(&[b"LRANGE", b"k", b"0", b"-1"]);
            let _ = e.command(&[b"ZRANGE", b"k", b"0", b"-1", b"WITHSCORES"]);
            let _ = e.command(&[b"HGETALL", b"k"]);
            let _ = e.command(&[b"SMEMBERS", b"k"]);
            let _ = e.command(&[b"XADD", b"k", b"*", b"f", b"v"]);
        }
        true
    }

    /// `data` as an RDB file (its checksum zeroed, which means "not
    /// computed", so mutations reach the decoder): loading must not panic;
    /// when it loads, exporting and loading again must work.
    pub fn rdb_file(data: &[u8]) {
        let mut f = data.to_vec();
        if f.len() >= 8 {
            let n = f.len();
            f[n - 8..].fill(0);
        }
        let mut e = engine();
        if e.import_rdb(&f).is_ok() {
            let mut out = Vec::new();
            e.export_rdb(&mut |c| out.extend_from_slice(c));
            let mut e2 = engine();
            e2.import_rdb(&out).expect("an RDB file redlet wrote loads");
        }
    }
}
