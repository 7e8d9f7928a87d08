//! Hash commands: HSET HSETNX HMSET HGET HMGET HGETALL HDEL HEXISTS HLEN
//! HSTRLEN HKEYS HVALS HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
//!
//! Handlers parse; the typed operations below them hold the semantics and
//! back both `execute` and the typed [`Engine`] API. Every operation follows
//! Redis 7.0.15's `t_hash.c` step by step where the order is observable:
//! which argument error wins, when a key is created, what counts as dirty,
//! and when the listpack encoding converts (see [`crate::types::hash`]).
//!
//! Also home of the bound on replies of random commands with a negative
//! count ([`RANDOM_REPLY_MAX`]), shared with sets and sorted sets.

use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use crate::cmd::{flags::*, Args, Command, Ctx, ScanArgs};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::ldouble::LongDouble;
use crate::num;
use crate::persist::cmd_line;
use crate::reply::{Protocol, Reply};
use crate::types::hash::{Hash, Limits};
use crate::types::Value;

macro_rules! hcmd {
    ($name:expr, $arity:expr, $flags:expr, $acl:expr, $summary:expr, $since:expr, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            first_key: 1,
            last_key: 1,
            step: 1,
            group: "hash",
            summary: $summary,
            since: $since,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

/// The hash family's command table (arity, flags, ACL categories and key
/// positions as Redis 7.0.15's COMMAND INFO reports them).
pub const COMMANDS: &[Command] = &[
    hcmd!("hset", -4, WRITE | DENYOOM | FAST, "@write @hash @fast", "Set the string value of a hash field", "2.0.0", hset_cmd),
    hcmd!("hsetnx", 4, WRITE | DENYOOM | FAST, "@write @hash @fast", "Set the value of a hash field, only if the field does not exist", "2.0.0", hsetnx_cmd),
    hcmd!("hmset", -4, WRITE | DENYOOM | FAST, "@write @hash @fast", "Set multiple hash fields to multiple values", "2.0.0", hmset_cmd),
    hcmd!("hget", 3, READONLY | FAST, "@read @hash @fast", "Get the value of a hash field", "2.0.0", hget_cmd),
    hcmd!("hmget", -3, READONLY | FAST, "@read @hash @fast", "Get the values of all the given hash fields", "2.0.0", hmget_cmd),
    hcmd!("hgetall", 2, READONLY, "@read @hash @slow", "Get all the fields and values in a hash", "2.0.0", hgetall_cmd),
    hcmd!("hdel", -3, WRITE | FAST, "@write @hash @fast", "Delete one or more hash fields", "2.0.0", hdel_cmd),
    hcmd!("hexists", 3, READONLY | FAST, "@read @hash @fast", "Determine if a hash field exists", "2.0.0", hexists_cmd),
    hcmd!("hlen", 2, READONLY | FAST, "@read @hash @fast", "Get the number of fields in a hash", "2.0.0", hlen_cmd),
    hcmd!("hstrlen", 3, READONLY | FAST, "@read @hash @fast", "Get the length of the value of a hash field", "3.2.0", hstrlen_cmd),
    hcmd!("hkeys", 2, READONLY, "@read @hash @slow", "Get all the fields in a hash", "2.0.0", hkeys_cmd),
    hcmd!("hvals", 2, READONLY, "@read @hash @slow", "Get all the values in a hash", "2.0.0", hvals_cmd),
    hcmd!("hincrby", 4, WRITE | DENYOOM | FAST, "@write @hash @fast", "Increment the integer value of a hash field by the given number", "2.0.0", hincrby_cmd),
    hcmd!("hincrbyfloat", 4, WRITE | DENYOOM | FAST, "@write @hash @fast", "Increment the float value of a hash field by the given amount", "2.6.0", hincrbyfloat_cmd),
    hcmd!("hrandfield", -2, READONLY, "@read @hash @slow", "Get one or multiple random fields from a hash", "6.2.0", hrandfield_cmd),
    hcmd!("hscan", -3, READONLY, "@read @hash @slow", "Incrementally iterate hash fields and associated values", "2.8.0", hscan_cmd),
];

/// Most elements a random command with a negative count (HRANDFIELD,
/// SRANDMEMBER: "N picks, repeats allowed") replies with. Redis has no bound
/// and would try to build an unbounded reply; beyond this we answer
/// `ERR value is out of range` instead of allocating without limit.
pub const RANDOM_REPLY_MAX: u64 = 1 << 22;

/// The error for a negative count beyond [`RANDOM_REPLY_MAX`].
pub(crate) fn random_reply_too_large() -> Error {
    Error::err("value is out of range")
}

/// Redis's range error for a `long` argument limited to `[min, max]`
/// (`getRangeLongFromObjectOrReply` without a custom message).
pub(crate) fn range_error(min: i64, max: i64) -> Error {
    Error::msg(alloc::format!("ERR value is out of range, value must between {} and {}", min, max))
}

/// The conversion thresholds from the engine's configuration.
fn limits(cx: &Ctx<'_>) -> Limits {
    Limits::of(cx.config())
}

/// The hash at `key`, created empty if absent (Redis's
/// `hashTypeLookupWriteOrCreate`). The caller must leave it non-empty.
fn hash_or_create<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Result<&'c mut Hash> {
    let now = cx.now;
    let exists = cx.write_as(key, Value::as_hash_mut)?.is_some();
    let entry = if exists {
        cx.db().peek(key, now)
    } else {
        let seed = cx.seed();
        Some(cx.db().insert_new(key.into(), Value::Hash(Box::new(Hash::new(seed))), None, now))
    };
    match entry.map(|e| &mut e.value) {
        Some(Value::Hash(h)) => Ok(h),
        // Checked or inserted just above, within the same instant.
        _ => Err(Error::WrongType),
    }
}

/// HSET/HMSET: sets every field/value pair; returns how many fields are new.
pub fn hset(cx: &mut Ctx<'_>, key: &[u8], pairs: &[(&[u8], &[u8])]) -> Result<usize> {
    if pairs.is_empty() {
        // Nothing to store; an empty hash must not be created.
        cx.write_as(key, Value::as_hash_mut)?;
        return Ok(0);
    }
    let lim = limits(cx);
    let h = hash_or_create(cx, key)?;
    h.try_conversion(pairs.iter().flat_map(|(f, v)| [*f, *v]), lim);
    let created = pairs.iter().filter(|(f, v)| h.set(f, v, lim)).count();
    // Redis replies, then signals the change (tracking) and notifies.
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::HASH, "hset", key);
    cx.dirty(pairs.len() as u64);
    Ok(created)
}

fn pairs_of<'a>(a: &mut Args<'a>, name: &str) -> Result<Vec<(&'a [u8], &'a [u8])>> {
    let rest = a.rest();
    if !rest.len().is_multiple_of(2) {
        return Err(Error::WrongArity(name.into()));
    }
    Ok(rest.chunks_exact(2).map(|p| (p[0], p[1])).collect())
}

fn hset_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let pairs = pairs_of(a, "hset")?;
    Ok(Reply::Int(hset(cx, key, &pairs)? as i64))
}

fn hmset_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let pairs = pairs_of(a, "hmset")?;
    hset(cx, key, &pairs)?;
    Ok(Reply::ok())
}

/// HSETNX: sets `field` only if absent; true if it was set.
pub fn hsetnx(cx: &mut Ctx<'_>, key: &[u8], field: &[u8], value: &[u8]) -> Result<bool> {
    if cx.write_as(key, Value::as_hash_mut)?.is_some_and(|h| h.contains(field)) {
        return Ok(false);
    }
    let lim = limits(cx);
    let h = hash_or_create(cx, key)?;
    h.try_conversion([field, value], lim);
    h.set(field, value, lim);
    // Redis replies, then signals the change (tracking) and notifies.
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::HASH, "hset", key);
    cx.dirty(1);
    Ok(true)
}

fn hsetnx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field, value) = (a.req()?, a.req()?, a.req()?);
    Ok(Reply::Int(hsetnx(cx, key, field, value)? as i64))
}

/// HGET.
pub fn hget(cx: &mut Ctx<'_>, key: &[u8], field: &[u8]) -> Result<Option<Vec<u8>>> {
    Ok(cx.read_as(key, Value::as_hash_mut)?.and_then(|h| h.get(field)).map(<[u8]>::to_vec))
}

fn hget_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (a.req()?, a.req()?);
    Ok(hget(cx, key, field)?.map_or(Reply::Nil, Reply::Bulk))
}

/// HMGET: one value (or `None`) per field; an absent key is an empty hash.
pub fn hmget(cx: &mut Ctx<'_>, key: &[u8], fields: &[&[u8]]) -> Result<Vec<Option<Vec<u8>>>> {
    let h = cx.read_as(key, Value::as_hash_mut)?;
    Ok(fields.iter().map(|f| h.as_ref().and_then(|h| h.get(f)).map(<[u8]>::to_vec)).collect())
}

fn hmget_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let fields = a.rest();
    let vals = hmget(cx, key, fields)?;
    Ok(Reply::Array(vals.into_iter().map(|v| v.map_or(Reply::Nil, Reply::Bulk)).collect()))
}

/// HGETALL: every field and value, in Redis's order for a listpack.
pub fn hgetall(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    Ok(hash_read(cx, key, |h| h.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect())?.unwrap_or_default())
}

/// The hash at `key` handed to `f` (`None`: no such key).
fn hash_read<R>(cx: &mut Ctx<'_>, key: &[u8], f: impl FnOnce(&Hash) -> R) -> Result<Option<R>> {
    Ok(cx.read_as(key, Value::as_hash_mut)?.map(|h| f(h)))
}

// The commands build their replies straight from the hash (RESP bytes for
// a large one to a connection), with no owned copy of each field between.

fn hgetall_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let bulks = cx.bulks();
    Ok(hash_read(cx, key, |h| bulks.pairs(h.len(), &mut h.iter()))?.unwrap_or(Reply::Map(Vec::new())))
}

/// HKEYS.
pub fn hkeys(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Vec<Vec<u8>>> {
    Ok(hash_read(cx, key, |h| h.iter().map(|(f, _)| f.to_vec()).collect())?.unwrap_or_default())
}

fn hkeys_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let bulks = cx.bulks();
    Ok(hash_read(cx, key, |h| bulks.items(h.len(), &mut h.iter().map(|(f, _)| f)))?.unwrap_or(Reply::Array(Vec::new())))
}

/// HVALS.
pub fn hvals(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Vec<Vec<u8>>> {
    Ok(hash_read(cx, key, |h| h.iter().map(|(_, v)| v.to_vec()).collect())?.unwrap_or_default())
}

fn hvals_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let bulks = cx.bulks();
    Ok(hash_read(cx, key, |h| bulks.items(h.len(), &mut h.iter().map(|(_, v)| v)))?.unwrap_or(Reply::Array(Vec::new())))
}

/// HDEL: removes fields; returns how many existed. Deletes the key when
/// emptied (and stops there, as Redis does).
pub fn hdel(cx: &mut Ctx<'_>, key: &[u8], fields: &[&[u8]]) -> Result<usize> {
    let Some(h) = cx.write_as(key, Value::as_hash_mut)? else { return Ok(0) };
    let mut deleted = 0;
    let mut emptied = false;
    for f in fields {
        if h.remove(f) {
            deleted += 1;
            if h.is_empty() {
                emptied = true;
                break;
            }
        }
    }
    if emptied {
        let now = cx.now;
        cx.db().remove(key, now);
    }
    if deleted > 0 {
        cx.touched(key);
        cx.notify(notify::HASH, "hdel", key);
        if emptied {
            cx.notify(notify::GENERIC, "del", key);
        }
        cx.dirty(deleted as u64);
    }
    Ok(deleted)
}

fn hdel_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let fields = a.rest();
    Ok(Reply::Int(hdel(cx, key, fields)? as i64))
}

/// HEXISTS.
pub fn hexists(cx: &mut Ctx<'_>, key: &[u8], field: &[u8]) -> Result<bool> {
    Ok(cx.read_as(key, Value::as_hash_mut)?.is_some_and(|h| h.contains(field)))
}

fn hexists_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (a.req()?, a.req()?);
    Ok(Reply::Int(hexists(cx, key, field)? as i64))
}

/// HLEN.
pub fn hlen(cx: &mut Ctx<'_>, key: &[u8]) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_hash_mut)?.map_or(0, |h| h.len()))
}

fn hlen_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(hlen(cx, key)? as i64))
}

/// HSTRLEN: length of a field's value, 0 when absent.
pub fn hstrlen(cx: &mut Ctx<'_>, key: &[u8], field: &[u8]) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_hash_mut)?.and_then(|h| h.get(field)).map_or(0, <[u8]>::len))
}

fn hstrlen_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (a.req()?, a.req()?);
    Ok(Reply::Int(hstrlen(cx, key, field)? as i64))
}

/// HINCRBY: adds `incr` to a field holding an integer (absent = 0).
pub fn hincrby(cx: &mut Ctx<'_>, key: &[u8], field: &[u8], incr: i64) -> Result<i64> {
    let old = match cx.write_as(key, Value::as_hash_mut)?.and_then(|h| h.get(field)) {
        Some(v) => num::parse_i64(v).ok_or_else(|| Error::err("hash value is not an integer"))?,
        None => 0,
    };
    let new = old.checked_add(incr).ok_or(Error::Overflow)?;
    let lim = limits(cx);
    hash_or_create(cx, key)?.set(field, num::fmt_i64(new).as_bytes(), lim);
    // Redis replies, then signals the change (tracking) and notifies.
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::HASH, "hincrby", key);
    cx.dirty(1);
    Ok(new)
}

fn hincrby_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (a.req()?, a.req()?);
    let incr = a.i64()?;
    Ok(Reply::Int(hincrby(cx, key, field, incr)?))
}

/// HINCRBYFLOAT: adds `incr` in long-double precision to a field holding a
/// number (absent = 0); returns and stores the result in Redis's human form.
pub fn hincrbyfloat(cx: &mut Ctx<'_>, key: &[u8], field: &[u8], incr: LongDouble) -> Result<Vec<u8>> {
    if !incr.is_finite() {
        return Err(Error::err("value is NaN or Infinity"));
    }
    let old = match cx.write_as(key, Value::as_hash_mut)?.and_then(|h| h.get(field)) {
        // A listpack holds canonical integers as integers and Redis converts
        // those exactly; any other value goes through string2ld.
        Some(v) => match num::parse_i64(v) {
            Some(n) => LongDouble::from_i64(n),
            None => LongDouble::parse(v).ok_or_else(|| Error::err("hash value is not a float"))?,
        },
        None => LongDouble::from_i64(0),
    };
    let new = old.add(incr);
    if !new.is_finite() {
        return Err(Error::NanOrInfinity);
    }
    // Redis ignores ld2string's failure here and stores (and replies) the
    // empty string; a finite long double always fits its 5 KiB buffer.
    let text = new.to_human().unwrap_or_default();
    let lim = limits(cx);
    hash_or_create(cx, key)?.set(field, &text, lim);
    // Redis replies, then signals the change (tracking) and notifies.
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::HASH, "hincrbyfloat", key);
    cx.dirty(1);
    Ok(text)
}

fn hincrbyfloat_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, field) = (a.req()?, a.req()?);
    let incr = LongDouble::parse(a.req()?).ok_or(Error::NotFloat)?;
    Ok(Reply::Bulk(hincrbyfloat(cx, key, field, incr)?))
}

/// HRANDFIELD without a count: one random field, `None` when absent.
pub fn hrandfield(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let h = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(None),
        Some(e) => match &e.value {
            Value::Hash(h) => h,
            _ => return Err(Error::WrongType),
        },
    };
    Ok(h.random_pos(|| rng.next_u64()).and_then(|p| h.at(p)).map(|(f, _)| f.to_vec()))
}

/// One HRANDFIELD pick: the field and, when asked, its value.
pub type FieldPick = (Vec<u8>, Option<Vec<u8>>);

/// HRANDFIELD with a count: distinct fields for a positive count (at most
/// the hash's size), `-count` independent picks for a negative one.
pub fn hrandfield_count(cx: &mut Ctx<'_>, key: &[u8], count: i64, withvalues: bool) -> Result<Vec<FieldPick>> {
    if count == i64::MIN {
        return Err(range_error(-i64::MAX, i64::MAX));
    }
    if withvalues && !(-i64::MAX / 2..=i64::MAX / 2).contains(&count) {
        return Err(Error::err("value is out of range"));
    }
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let h = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(Vec::new()),
        Some(e) => match &e.value {
            Value::Hash(h) => &**h,
            _ => return Err(Error::WrongType),
        },
    };
    let pick = |(f, v): (&[u8], &[u8])| (f.to_vec(), withvalues.then(|| v.to_vec()));
    let n = count.unsigned_abs();
    let size = h.len() as u64;
    if n == 0 {
        return Ok(Vec::new());
    }
    // CASE 1: repeats allowed (or a single pick).
    if count < 0 || n == 1 {
        if n > RANDOM_REPLY_MAX {
            return Err(random_reply_too_large());
        }
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            if let Some(x) = h.random_pos(|| rng.next_u64()).and_then(|p| h.at(p)) {
                out.push(pick(x));
            }
        }
        return Ok(out);
    }
    // CASE 2: the whole hash, in iteration order.
    if n >= size {
        return Ok(h.iter().map(pick).collect());
    }
    // CASE 3: close to the size: drop random fields from a full copy.
    if n * 3 > size {
        let mut all: Vec<(&[u8], &[u8])> = h.iter().collect();
        while all.len() as u64 > n {
            let i = rng.below(all.len() as u64) as usize;
            all.swap_remove(i);
        }
        return Ok(all.into_iter().map(pick).collect());
    }
    // CASE 4: much smaller than the size: random picks until enough distinct.
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(n as usize);
    while (out.len() as u64) < n {
        let Some(p) = h.random_pos(|| rng.next_u64()) else { break };
        if seen.insert(p) {
            if let Some(x) = h.at(p) {
                out.push(pick(x));
            }
        }
    }
    Ok(out)
}

fn hrandfield_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let Some(c) = a.next() else {
        return Ok(hrandfield(cx, key)?.map_or(Reply::Nil, Reply::Bulk));
    };
    let count = num::parse_i64(c).ok_or(Error::NotInteger)?;
    if count == i64::MIN {
        return Err(range_error(-i64::MAX, i64::MAX));
    }
    let withvalues = match a.next() {
        None => false,
        Some(w) if w.eq_ignore_ascii_case(b"withvalues") && a.is_empty() => true,
        Some(_) => return Err(Error::Syntax),
    };
    let picks = hrandfield_count(cx, key, count, withvalues)?;
    if !withvalues {
        return Ok(Reply::Array(picks.into_iter().map(|(f, _)| Reply::Bulk(f)).collect()));
    }
    // RESP3 nests each field/value pair; RESP2 flattens them.
    let nested = cx.eng.protocol(cx.client) == Protocol::Resp3;
    let mut out = Vec::with_capacity(picks.len() * if nested { 1 } else { 2 });
    for (f, v) in picks {
        let v = Reply::Bulk(v.unwrap_or_default());
        if nested {
            out.push(Reply::Array(alloc::vec![Reply::Bulk(f), v]));
        } else {
            out.push(Reply::Bulk(f));
            out.push(v);
        }
    }
    Ok(Reply::Array(out))
}

/// HSCAN: one step; returns the next cursor and field, value, field, ...
pub fn hscan(cx: &mut Ctx<'_>, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
    hscan_inner(cx, key, args.cursor, Ok(*args))
}

/// HSCAN with option errors deferred until the key was found, as in Redis.
fn hscan_inner(cx: &mut Ctx<'_>, key: &[u8], cursor: u64, opts: Result<ScanArgs<'_>>) -> Result<(u64, Vec<Vec<u8>>)> {
    let Some(h) = cx.read_as(key, Value::as_hash_mut)? else { return Ok((0, Vec::new())) };
    let opts = opts?;
    let mut items = Vec::new();
    let next = h.scan(cursor, opts.count, |f, v| {
        if opts.pattern.is_none_or(|p| crate::glob::matches(p, f, false)) {
            items.push(f.to_vec());
            items.push(v.to_vec());
        }
    });
    Ok((next, items))
}

fn hscan_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    crate::cmd::key_scan_cmd(cx, a, hscan_inner)
}

impl Engine {
    /// `HSET key field value [field value ...]` in db `db`; returns how many
    /// fields are new.
    pub fn hset(&mut self, db: usize, key: &[u8], pairs: &[(&[u8], &[u8])]) -> Result<usize> {
        self.typed_line(|| cmd_line(&[b"HSET", key], pairs.iter().flat_map(|&(f, v)| [f, v])));
        self.with_ctx(db, |cx| hset(cx, key, pairs))
    }

    /// `HSETNX key field value`.
    pub fn hsetnx(&mut self, db: usize, key: &[u8], field: &[u8], value: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| hsetnx(cx, key, field, value))
    }

    /// `HGET key field`.
    pub fn hget(&mut self, db: usize, key: &[u8], field: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| hget(cx, key, field))
    }

    /// `HMGET key field [field ...]`.
    pub fn hmget(&mut self, db: usize, key: &[u8], fields: &[&[u8]]) -> Result<Vec<Option<Vec<u8>>>> {
        self.with_ctx(db, |cx| hmget(cx, key, fields))
    }

    /// `HGETALL key`.
    pub fn hgetall(&mut self, db: usize, key: &[u8]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
        self.with_ctx(db, |cx| hgetall(cx, key))
    }

    /// `HKEYS key`.
    pub fn hkeys(&mut self, db: usize, key: &[u8]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| hkeys(cx, key))
    }

    /// `HVALS key`.
    pub fn hvals(&mut self, db: usize, key: &[u8]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| hvals(cx, key))
    }

    /// `HDEL key field [field ...]`.
    pub fn hdel(&mut self, db: usize, key: &[u8], fields: &[&[u8]]) -> Result<usize> {
        self.typed_line(|| cmd_line(&[b"HDEL", key], fields.iter().copied()));
        self.with_ctx(db, |cx| hdel(cx, key, fields))
    }

    /// `HEXISTS key field`.
    pub fn hexists(&mut self, db: usize, key: &[u8], field: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| hexists(cx, key, field))
    }

    /// `HLEN key`.
    pub fn hlen(&mut self, db: usize, key: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| hlen(cx, key))
    }

    /// `HSTRLEN key field`.
    pub fn hstrlen(&mut self, db: usize, key: &[u8], field: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| hstrlen(cx, key, field))
    }

    /// `HINCRBY key field increment`.
    pub fn hincrby(&mut self, db: usize, key: &[u8], field: &[u8], incr: i64) -> Result<i64> {
        self.with_ctx(db, |cx| hincrby(cx, key, field, incr))
    }

    /// `HINCRBYFLOAT key field increment`; returns the new value as stored.
    pub fn hincrbyfloat(&mut self, db: usize, key: &[u8], field: &[u8], incr: LongDouble) -> Result<Vec<u8>> {
        self.with_ctx(db, |cx| hincrbyfloat(cx, key, field, incr))
    }

    /// `HRANDFIELD key`.
    pub fn hrandfield(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| hrandfield(cx, key))
    }

    /// `HRANDFIELD key count [WITHVALUES]`.
    pub fn hrandfield_count(&mut self, db: usize, key: &[u8], count: i64, withvalues: bool) -> Result<Vec<FieldPick>> {
        self.with_ctx(db, |cx| hrandfield_count(cx, key, count, withvalues))
    }

    /// `HSCAN key cursor [MATCH pattern] [COUNT count]`.
    pub fn hscan(&mut self, db: usize, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
        self.with_ctx(db, |cx| hscan(cx, key, args))
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::ManualClock;
    use crate::reply::Protocol;
    use crate::{ClientInfo, Config, Engine, Options};
    use alloc::boxed::Box;
    use alloc::vec::Vec;

    fn run(e: &mut Engine, c: crate::ClientId, line: &str, proto: Protocol) -> Vec<u8> {
        let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        e.execute(c, &argv).map(|r| r.to_resp(proto)).unwrap_or_default()
    }

    /// Replies whose shape depends on the protocol, verified with a RESP3
    /// client (`HELLO 3`) on Redis 7.0.15.
    #[test]
    fn resp3_shapes() {
        let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000)), seed: 1 });
        let c = e.open_client(ClientInfo::default());
        let p3 = Protocol::Resp3;
        assert_eq!(run(&mut e, c, "HSET h a 1 b 2 c 3", p3), b":3\r\n");
        if let Some(cl) = e.clients.get_mut(&c) {
            cl.proto = p3;
        }
        assert_eq!(run(&mut e, c, "HRANDFIELD h 5 WITHVALUES", p3), &b"*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n"[..]);
        assert_eq!(run(&mut e, c, "HRANDFIELD h -1 WITHVALUES", p3).len(), b"*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n".len());
        assert_eq!(run(&mut e, c, "HRANDFIELD h 5", p3), &b"*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"[..]);
        assert_eq!(run(&mut e, c, "HRANDFIELD nokey 2 WITHVALUES", p3), b"*0\r\n");
        assert_eq!(run(&mut e, c, "HRANDFIELD nokey", p3), b"_\r\n");
        assert_eq!(run(&mut e, c, "HGETALL h", p3), &b"%3\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n"[..]);
        assert_eq!(run(&mut e, c, "HGETALL nokey", p3), b"%0\r\n");
        assert_eq!(run(&mut e, c, "HMGET h a zz", p3), b"*2\r\n$1\r\n1\r\n_\r\n");
        assert_eq!(run(&mut e, c, "HEXISTS h a", p3), b":1\r\n");
        assert_eq!(run(&mut e, c, "HSCAN nokey 0", p3), b"*2\r\n$1\r\n0\r\n*0\r\n");
    }
}
