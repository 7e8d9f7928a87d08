//! HyperLogLog commands: PFADD PFCOUNT PFMERGE PFDEBUG PFSELFTEST, with
//! Redis 7.0.15's replies and errors. The representation lives in
//! [`crate::hll`]; values are ordinary strings holding Redis's exact bytes,
//! so they survive GET/SET round trips with a real Redis.
//!
//! Every command that edits an HLL does it in place (the key keeps its TTL)
//! and leaves the string "raw", as Redis's `dbUnshareStringValue` does;
//! PFCOUNT on one key writes the cached cardinality back into the value and
//! counts as a modification (WATCH sees it), like Redis.
//!
//! Errors: a non-string is the usual WRONGTYPE; a string that fails
//! [`hll::is_valid`] is "WRONGTYPE Key is not a valid HyperLogLog string
//! value."; sparse opcodes found inconsistent while walking them are
//! "INVALIDOBJ Corrupted HLL object detected" (changes made before the
//! discovery stay, as in Redis).

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::hll::{self, Corrupt, REGISTERS};
use crate::reply::Reply;
use crate::types::{Str, Value};

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "pfadd",
        arity: -2,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @hyperloglog @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "hyperloglog",
        summary: "Adds the specified elements to the specified HyperLogLog.",
        since: "2.8.9",
        handler: pfadd_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pfcount",
        arity: -2,
        flags: READONLY | MAY_REPLICATE,
        acl: "@read @hyperloglog @slow",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "hyperloglog",
        summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
        since: "2.8.9",
        handler: pfcount_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pfmerge",
        arity: -2,
        flags: WRITE | DENYOOM,
        acl: "@write @hyperloglog @slow",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "hyperloglog",
        summary: "Merge N different HyperLogLogs into a single one.",
        since: "2.8.9",
        handler: pfmerge_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pfdebug",
        arity: 3,
        flags: WRITE | DENYOOM | ADMIN,
        acl: "@write @hyperloglog @admin @slow @dangerous",
        first_key: 2,
        last_key: 2,
        step: 1,
        group: "hyperloglog",
        summary: "Internal commands for debugging HyperLogLog values",
        since: "2.8.9",
        handler: pfdebug_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pfselftest",
        arity: 1,
        flags: ADMIN,
        acl: "@hyperloglog @admin @slow @dangerous",
        first_key: 0,
        last_key: 0,
        step: 0,
        group: "hyperloglog",
        summary: "An internal command for testing HyperLogLog values",
        since: "2.8.9",
        handler: pfselftest_cmd,
        ..Command::DEFAULT
    },
];

/// "WRONGTYPE Key is not a valid HyperLogLog string value."
pub fn not_hll() -> Error {
    Error::msg("WRONGTYPE Key is not a valid HyperLogLog string value.")
}

/// "INVALIDOBJ Corrupted HLL object detected"
pub fn corrupt() -> Error {
    Error::msg("INVALIDOBJ Corrupted HLL object detected")
}

impl From<Corrupt> for Error {
    fn from(_: Corrupt) -> Error {
        corrupt()
    }
}

/// `hll-sparse-max-bytes` from the configuration (Redis's default 3000).
fn sparse_max_bytes(cx: &Ctx<'_>) -> u64 {
    cx.config().get_param("hll-sparse-max-bytes").and_then(|v| v.parse().ok()).unwrap_or(3000)
}

/// Redis's `isHLLObjectOrReply` on a value.
fn check_hll(value: &Value) -> Result<&Str> {
    match value {
        Value::Str(s @ (Str::Emb(_) | Str::Raw(_))) if hll::is_valid(&s.as_bytes()) => Ok(s),
        Value::Str(_) => Err(not_hll()),
        _ => Err(Error::WrongType),
    }
}

/// The HLL at `key` as a raw buffer for in-place edits; `None` if missing.
fn hll_for_write<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Result<Option<&'c mut Vec<u8>>> {
    let now = cx.now;
    match cx.db().write(key, now) {
        None => Ok(None),
        Some(e) => {
            check_hll(&e.value)?;
            match &mut e.value {
                Value::Str(s) => Ok(Some(s.make_raw())),
                _ => Err(Error::WrongType),
            }
        }
    }
}

/// Creates an empty (sparse) HLL at `key`, known to be absent.
fn create_hll<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Result<&'c mut Vec<u8>> {
    let now = cx.now;
    let e = cx.db().insert_new(key.into(), Value::Str(Str::Raw(hll::new_sparse())), None, now);
    match &mut e.value {
        Value::Str(s) => Ok(s.make_raw()),
        _ => Err(Error::WrongType),
    }
}

/// PFADD: adds the elements, creating the key if needed; true when the
/// HLL was created or a register changed.
pub fn pfadd(cx: &mut Ctx<'_>, key: &[u8], elements: &[&[u8]]) -> Result<bool> {
    let max = sparse_max_bytes(cx);
    let mut updated = 0u64;
    let v = match hll_for_write(cx, key)? {
        Some(v) => v,
        None => {
            updated += 1;
            create_hll(cx, key)?
        }
    };
    for ele in elements {
        if hll::add(v, ele, max)? {
            updated += 1;
        }
    }
    if updated > 0 {
        hll::invalidate_cache(v);
        cx.touched(key);
        cx.notify(notify::STRING, "pfadd", key);
        cx.dirty(updated);
    }
    Ok(updated > 0)
}

fn pfadd_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let elements = a.rest();
    Ok(Reply::Int(pfadd(cx, key, elements)? as i64))
}

/// PFCOUNT: the estimated cardinality of one HLL (served from, or written
/// into, its cache) or of the union of several (missing keys are empty).
/// The value is the `u64` Redis computes; a crafted HLL can make it exceed
/// `i64::MAX`, which the reply shows negative, as Redis's does.
pub fn pfcount(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<u64> {
    let now = cx.now;
    if let [key] = keys {
        let Some(e) = cx.db().read(key, now) else { return Ok(0) };
        check_hll(&e.value)?;
        let Value::Str(s) = &mut e.value else { return Err(Error::WrongType) };
        let v = s.make_raw();
        if let Some(card) = hll::cached_card(v) {
            return Ok(card);
        }
        let card = hll::count(v)?;
        hll::set_cached_card(v, card);
        cx.touched(key);
        cx.dirty(1);
        return Ok(card);
    }
    let mut max: Box<[u8; REGISTERS]> = Box::new([0; REGISTERS]);
    for key in keys {
        let Some(e) = cx.db().read(key, now) else { continue };
        let s = check_hll(&e.value)?;
        hll::merge_into(&mut max, &s.as_bytes())?;
    }
    Ok(hll::count_registers(&max))
}

fn pfcount_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    Ok(Reply::Int(pfcount(cx, keys)? as i64))
}

/// PFMERGE: `dest` becomes the union of itself and the sources (created
/// sparse if missing; dense if any input is dense; TTL kept).
pub fn pfmerge(cx: &mut Ctx<'_>, dest: &[u8], sources: &[&[u8]]) -> Result<()> {
    let now = cx.now;
    let max_bytes = sparse_max_bytes(cx);
    let mut max: Box<[u8; REGISTERS]> = Box::new([0; REGISTERS]);
    let mut use_dense = false;
    for key in core::iter::once(&dest).chain(sources.iter()) {
        let Some(e) = cx.db().read(key, now) else { continue };
        let s = check_hll(&e.value)?;
        let bytes = s.as_bytes();
        use_dense |= hll::is_dense(&bytes);
        hll::merge_into(&mut max, &bytes)?;
    }
    let v = match hll_for_write(cx, dest)? {
        Some(v) => v,
        None => create_hll(cx, dest)?,
    };
    hll::store_registers(v, &max, use_dense, max_bytes)?;
    cx.touched(dest);
    // Redis reports a merge as a mass add.
    cx.notify(notify::STRING, "pfadd", dest);
    cx.dirty(1);
    Ok(())
}

fn pfmerge_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let dest = a.req()?;
    let sources = a.rest();
    pfmerge(cx, dest, sources)?;
    Ok(Reply::ok())
}

fn pfdebug_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let sub = a.req()?;
    let key = a.req()?;
    let Some(v) = hll_for_write(cx, key)? else {
        return Err(Error::err("The specified key does not exist"));
    };
    if is_kw(sub, "getreg") {
        let mut dirty = false;
        if !hll::is_dense(v) {
            hll::sparse_to_dense(v)?;
            dirty = true;
        }
        let regs = (0..REGISTERS).map(|i| Reply::Int(hll::dense_register(v, i) as i64)).collect();
        if dirty {
            cx.dirty(1);
        }
        Ok(Reply::Array(regs))
    } else if is_kw(sub, "decode") {
        if hll::is_dense(v) {
            return Err(Error::err("HLL encoding is not sparse"));
        }
        Ok(Reply::Bulk(hll::decode_sparse(v)))
    } else if is_kw(sub, "encoding") {
        Ok(Reply::status(if hll::is_dense(v) { "dense" } else { "sparse" }))
    } else if is_kw(sub, "todense") {
        if hll::is_dense(v) {
            return Ok(Reply::Int(0));
        }
        hll::sparse_to_dense(v)?;
        cx.dirty(1);
        Ok(Reply::Int(1))
    } else {
        // `%s` of the C string: cut at a NUL.
        let name = &sub[..sub.iter().position(|&c| c == 0).unwrap_or(sub.len())];
        let mut m = b"ERR Unknown PFDEBUG subcommand '".to_vec();
        m.extend_from_slice(name);
        m.push(b'\'');
        Err(Error::msg(m))
    }
}

fn pfselftest_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    let max_bytes = sparse_max_bytes(cx);
    let rng = cx.rng();
    match hll::selftest(|| rng.next_u64() as u32, max_bytes) {
        Ok(()) => Ok(Reply::ok()),
        Err(text) => Err(Error::err(&text)),
    }
}

impl Engine {
    /// `PFADD key element...`: true if the HLL was created or changed.
    pub fn pfadd(&mut self, db: usize, key: &[u8], elements: &[&[u8]]) -> Result<bool> {
        self.with_ctx(db, |cx| pfadd(cx, key, elements))
    }

    /// `PFCOUNT key...`.
    pub fn pfcount(&mut self, db: usize, keys: &[&[u8]]) -> Result<u64> {
        self.with_ctx(db, |cx| pfcount(cx, keys))
    }

    /// `PFMERGE dest source...`.
    pub fn pfmerge(&mut self, db: usize, dest: &[u8], sources: &[&[u8]]) -> Result<()> {
        self.with_ctx(db, |cx| pfmerge(cx, dest, sources))
    }
}
