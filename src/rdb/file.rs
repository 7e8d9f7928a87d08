//! Whole RDB files (`dump.rdb`), both ways.
//!
//! Writing follows Redis 7.0's `rdbSaveRio`: `REDIS0010`, the aux fields
//! (`redis-ver`, `redis-bits`, `ctime`, `used-mem`, `aof-base`), the
//! function libraries (`FUNCTION2` opcodes), every non-empty database as
//! `SELECTDB` + `RESIZEDB` + its keys (an `EXPIRETIME_MS` before each key
//! with a TTL), `EOF` and the CRC-64 of everything before it. Keys already
//! expired are left out (Redis writes them and drops them at load). The
//! output goes to a sink in chunks of about [`CHUNK`] bytes.
//!
//! Reading accepts RDB versions 1 to 10 as Redis 7.0 does: every opcode
//! (seconds and milliseconds expiries, `SELECTDB`, `RESIZEDB`, aux fields,
//! `IDLE`/`FREQ` hints, which are read and ignored, functions), every
//! object type [`super::load_object`] reads, and the checksum (0 means
//! "not computed", as Redis's `rdbchecksum no` writes). Keys already
//! expired are dropped and empty values skipped, as Redis's loading does;
//! module data, module aux fields, duplicated keys, a database beyond
//! `databases` and a bad checksum are errors. The result is fresh
//! databases: the caller swaps them in only when the whole file decoded.

use alloc::borrow::Cow;
use alloc::format;
use alloc::vec::Vec;

use super::{crc64, types, Encoder, Error, Reader, Result};
use crate::config::Config;
use crate::engine::Engine;
use crate::keyspace::Db;
use crate::rng::Rng;

/// Output chunk size of [`write`].
pub const CHUNK: usize = 64 * 1024;

/// The Redis version the aux field `redis-ver` names.
pub const REDIS_VER: &str = "7.0.15";

const OP_FUNCTION2: u8 = 245;
const OP_FUNCTION: u8 = 246;
const OP_MODULE_AUX: u8 = 247;
const OP_IDLE: u8 = 248;
const OP_FREQ: u8 = 249;
const OP_AUX: u8 = 250;
const OP_RESIZEDB: u8 = 251;
const OP_EXPIRETIME_MS: u8 = 252;
const OP_EXPIRETIME: u8 = 253;
const OP_SELECTDB: u8 = 254;
const OP_EOF: u8 = 255;

/// A buffered writer that checksums what it hands to the sink.
struct Out<'s> {
    buf: Vec<u8>,
    crc: u64,
    written: u64,
    sink: &'s mut dyn FnMut(&[u8]),
}

impl Out<'_> {
    fn spill_if_full(&mut self) {
        if self.buf.len() >= CHUNK {
            self.spill();
        }
    }

    fn spill(&mut self) {
        if !self.buf.is_empty() {
            self.crc = crc64::crc64(self.crc, &self.buf);
            self.written += self.buf.len() as u64;
            (self.sink)(&self.buf);
            self.buf.clear();
        }
    }
}

/// Writes an RDB file of `dbs` and the function libraries `functions` (each
/// library's code) to `sink`, as of `now_ms` (`ctime`, and which keys have
/// expired); returns the bytes written.
pub fn write(dbs: &[Db], functions: &[&[u8]], cfg: &Config, now_ms: u64, sink: &mut dyn FnMut(&[u8])) -> u64 {
    let mut enc = Encoder::new(cfg);
    let mut o = Out { buf: Vec::with_capacity(CHUNK + 1024), crc: 0, written: 0, sink };
    o.buf.extend_from_slice(format!("REDIS{:04}", super::RDB_VERSION).as_bytes());
    let used: u64 = dbs.iter().map(|d| d.used()).sum();
    let aux: [(&str, Cow<'_, str>); 5] = [
        ("redis-ver", Cow::Borrowed(REDIS_VER)),
        ("redis-bits", Cow::Owned(format!("{}", usize::BITS))),
        ("ctime", Cow::Owned(format!("{}", now_ms / 1000))),
        ("used-mem", Cow::Owned(format!("{used}"))),
        ("aof-base", Cow::Borrowed("0")),
    ];
    for (k, v) in aux {
        o.buf.push(OP_AUX);
        enc.string(&mut o.buf, k.as_bytes());
        enc.string(&mut o.buf, v.as_bytes());
    }
    for code in functions {
        o.buf.push(OP_FUNCTION2);
        enc.string(&mut o.buf, code);
        o.spill_if_full();
    }
    let live = |e: &&crate::keyspace::Entry| e.expire().is_none_or(|t| t >= now_ms);
    for (i, db) in dbs.iter().enumerate() {
        let (n, volatile) = db.iter().filter(live).fold((0u64, 0u64), |(n, v), e| (n + 1, v + u64::from(e.expire().is_some())));
        if n == 0 {
            continue;
        }
        o.buf.push(OP_SELECTDB);
        Encoder::len(&mut o.buf, i as u64);
        o.buf.push(OP_RESIZEDB);
        Encoder::len(&mut o.buf, n);
        Encoder::len(&mut o.buf, volatile);
        for e in db.iter().filter(live) {
            if let Some(t) = e.expire() {
                o.buf.push(OP_EXPIRETIME_MS);
                o.buf.extend_from_slice(&t.to_le_bytes());
            }
            o.buf.push(Encoder::object_type(&e.value));
            enc.string(&mut o.buf, &e.key);
            enc.object(&mut o.buf, &e.value);
            o.spill_if_full();
        }
    }
    o.buf.push(OP_EOF);
    o.spill();
    let crc = o.crc.to_le_bytes();
    (o.sink)(&crc);
    o.written + 8
}

/// What [`read`] decoded.
pub struct Loaded {
    /// The databases (`databases` of them).
    pub dbs: Vec<Db>,
    /// Function libraries' code, in file order.
    pub functions: Vec<Vec<u8>>,
    /// Keys loaded.
    pub keys: u64,
    /// Keys dropped because they had expired.
    pub expired: u64,
    /// Keys skipped because their value was empty.
    pub empty: u64,
    /// The file's RDB version.
    pub version: u16,
    /// The aux fields, in file order.
    pub aux: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Decodes and validates the RDB file `data`, building fresh databases for
/// configuration `cfg` (its `databases` and encodings) with seeds from
/// `rng`; keys expired at `now_ms` are dropped.
pub fn read(data: &[u8], cfg: &Config, now_ms: u64, rng: &mut Rng) -> Result<Loaded> {
    let mut r = Reader::new(data);
    let magic = match r.take(9) {
        Ok(m) => m,
        Err(_) => return r.err("not an RDB file (too short)"),
    };
    if &magic[..5] != b"REDIS" {
        return Err(Error { offset: 0, what: "not an RDB file (no REDIS signature)".into() });
    }
    let version = core::str::from_utf8(&magic[5..]).ok().filter(|s| s.bytes().all(|c| c.is_ascii_digit())).and_then(|s| s.parse::<u16>().ok());
    let version = match version {
        Some(v) if (1..=super::RDB_VERSION).contains(&v) => v,
        _ => return Err(Error { offset: 5, what: format!("can't handle RDB format version {}", alloc::string::String::from_utf8_lossy(&magic[5..])).into() }),
    };
    let databases = cfg.databases.max(1);
    let mut dbs: Vec<Db> = (0..databases).map(|_| Db::new(rng.next_u64())).collect();
    let mut out = Loaded { dbs: Vec::new(), functions: Vec::new(), keys: 0, expired: 0, empty: 0, version, aux: Vec::new() };
    let mut db = 0usize;
    let mut expire: Option<i64> = None;
    let mut seed = || rng.next_u64();
    loop {
        let op = r.u8()?;
        match op {
            OP_EXPIRETIME => {
                let b = r.take(4)?;
                expire = Some(i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as i64 * 1000);
                continue;
            }
            OP_EXPIRETIME_MS => {
                expire = Some(r.i64_le()?);
                continue;
            }
            OP_FREQ => {
                r.u8()?;
                continue;
            }
            OP_IDLE => {
                r.length()?;
                continue;
            }
            OP_EOF => break,
            OP_SELECTDB => {
                let n = r.length()?;
                if n >= databases as u64 {
                    return r.err(format!("the file uses database {n}, more than this configuration's {databases} databases"));
                }
                db = n as usize;
                continue;
            }
            OP_RESIZEDB => {
                r.length()?;
                r.length()?;
                continue;
            }
            OP_AUX => {
                let k = r.string()?.into_owned();
                let v = r.string()?.into_owned();
                out.aux.push((k, v));
                continue;
            }
            OP_MODULE_AUX => return r.err("the file holds module data (no modules here)"),
            OP_FUNCTION => return r.err("pre-release function format not supported"),
            OP_FUNCTION2 => {
                out.functions.push(r.string()?.into_owned());
                continue;
            }
            t if types::is_object(t) => {
                let key = r.string()?.into_owned();
                let at = r.pos();
                let value = super::load_object(&mut r, t, cfg, &mut seed)?;
                let exp = expire.take();
                let Some(value) = value else {
                    out.empty += 1;
                    continue;
                };
                if dbs[db].lookup_raw(&key).is_some() {
                    return Err(Error { offset: at, what: format!("duplicated key {:?} in database {db}", alloc::string::String::from_utf8_lossy(&key)).into() });
                }
                match exp {
                    Some(t) if t < now_ms as i64 || t <= 0 => out.expired += 1,
                    exp => {
                        dbs[db].insert_new(key.into_boxed_slice(), value, exp.map(|t| t as u64), now_ms);
                        out.keys += 1;
                    }
                }
            }
            t => return r.err(format!("unknown RDB opcode or object type {t}")),
        }
    }
    if version >= 5 {
        let body = r.pos();
        let stored = r.i64_le()? as u64;
        let computed = crc64::crc64(0, &data[..body]);
        if stored != 0 && stored != computed {
            return Err(Error { offset: body, what: format!("wrong RDB checksum (stored {stored:016x}, computed {computed:016x})").into() });
        }
    }
    out.dbs = dbs;
    Ok(out)
}

/// What [`Engine::import_rdb`] loaded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// Keys loaded.
    pub keys: u64,
    /// Keys dropped because they had expired.
    pub expired: u64,
    /// Keys skipped because their value was empty.
    pub empty: u64,
    /// Function libraries loaded.
    pub functions: usize,
    /// The file's RDB version.
    pub version: u16,
}

impl Engine {
    /// Writes the dataset and the function libraries as an RDB file (see
    /// [`write`]) to `sink`; returns the bytes written. Nothing changes.
    pub fn export_rdb(&self, sink: &mut dyn FnMut(&[u8])) -> u64 {
        let functions = self.function_codes();
        write(&self.dbs, &functions, &self.config, self.now_ms(), sink)
    }

    /// Replaces the dataset and the function libraries with those of the
    /// RDB file `data` (see [`read`]). All or nothing: on error nothing
    /// changed. The change counter grows by the keys loaded, so the next
    /// save writes them.
    pub fn import_rdb(&mut self, data: &[u8]) -> Result<ImportReport> {
        let now = self.now_ms();
        let loaded = read(data, &self.config, now, &mut self.rng)?;
        let old: Vec<Vec<u8>> = self.function_codes().iter().map(|c| c.to_vec()).collect();
        if let Err(e) = self.load_functions(&loaded.functions) {
            // Put the previous libraries back (they loaded before).
            let _ = self.load_functions(&old);
            return Err(Error { offset: 0, what: e.into() });
        }
        // A background save of the dataset being replaced ends here (its
        // copy-on-write state lives in the old dbs).
        self.bgsave_abort();
        self.dbs = loaded.dbs;
        self.dirty += loaded.keys.max(1);
        for db in 0..self.dbs.len() {
            self.signal_all_ready(db);
        }
        Ok(ImportReport { keys: loaded.keys, expired: loaded.expired, empty: loaded.empty, functions: loaded.functions.len(), version: loaded.version })
    }
}
