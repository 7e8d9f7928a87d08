//! Set commands: SADD SREM SMEMBERS SISMEMBER SMISMEMBER SCARD SPOP
//! SRANDMEMBER SMOVE SINTER SINTERCARD SUNION SDIFF SINTERSTORE SUNIONSTORE
//! SDIFFSTORE SSCAN.
//!
//! Handlers parse; the typed operations below them hold the semantics and
//! back both `execute` and the typed [`Engine`] API. They follow Redis
//! 7.0.15's `t_set.c` where the outcome is observable: error precedence,
//! reply order (an intset iterates in ascending order, and results are built
//! into a fresh intset-first set the way Redis builds them), the encoding of
//! stored results (SDIFFSTORE's two algorithms, SPOP's rebuild), dirty
//! counts and key deletion.
//!
//! Multi-key commands look every key up once with a read lookup (hit/miss
//! statistics, lazy expiry) and then revisit them with `peek`, one at a time,
//! so no two values are borrowed at once.

use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::vec::Vec;

use crate::cmd::hashes::{random_reply_too_large, range_error, RANDOM_REPLY_MAX};
use crate::cmd::{flags::*, Args, Command, Ctx, ScanArgs};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::persist::cmd_line;
use crate::reply::Reply;
use crate::types::set::{Elem, Set};
use crate::types::Value;

macro_rules! scmd {
    ($name:expr, $arity:expr, $flags:expr, $acl:expr, $keys:expr, $summary:expr, $since:expr, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            first_key: $keys.0,
            last_key: $keys.1,
            step: $keys.2,
            group: "set",
            summary: $summary,
            since: $since,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

/// The set family's command table (arity, flags, ACL categories and key
/// positions as Redis 7.0.15's COMMAND INFO reports them).
pub const COMMANDS: &[Command] = &[
    scmd!("sadd", -3, WRITE | DENYOOM | FAST, "@write @set @fast", (1, 1, 1), "Add one or more members to a set", "1.0.0", sadd_cmd),
    scmd!("srem", -3, WRITE | FAST, "@write @set @fast", (1, 1, 1), "Remove one or more members from a set", "1.0.0", srem_cmd),
    scmd!("smembers", 2, READONLY, "@read @set @slow", (1, 1, 1), "Get all the members in a set", "1.0.0", smembers_cmd),
    scmd!("sismember", 3, READONLY | FAST, "@read @set @fast", (1, 1, 1), "Determine if a given value is a member of a set", "1.0.0", sismember_cmd),
    scmd!("smismember", -3, READONLY | FAST, "@read @set @fast", (1, 1, 1), "Returns the membership associated with the given elements for a set", "6.2.0", smismember_cmd),
    scmd!("scard", 2, READONLY | FAST, "@read @set @fast", (1, 1, 1), "Get the number of members in a set", "1.0.0", scard_cmd),
    scmd!("spop", -2, WRITE | FAST, "@write @set @fast", (1, 1, 1), "Remove and return one or multiple random members from a set", "1.0.0", spop_cmd),
    scmd!("srandmember", -2, READONLY, "@read @set @slow", (1, 1, 1), "Get one or multiple random members from a set", "1.0.0", srandmember_cmd),
    scmd!("smove", 4, WRITE | FAST, "@write @set @fast", (1, 2, 1), "Move a member from one set to another", "1.0.0", smove_cmd),
    scmd!("sinter", -2, READONLY, "@read @set @slow", (1, -1, 1), "Intersect multiple sets", "1.0.0", sinter_cmd),
    scmd!("sintercard", -3, READONLY | MOVABLE_KEYS, "@read @set @slow", (0, 0, 0), "Intersect multiple sets and return the cardinality of the result", "7.0.0", sintercard_cmd),
    scmd!("sunion", -2, READONLY, "@read @set @slow", (1, -1, 1), "Add multiple sets", "1.0.0", sunion_cmd),
    scmd!("sdiff", -2, READONLY, "@read @set @slow", (1, -1, 1), "Subtract multiple sets", "1.0.0", sdiff_cmd),
    scmd!("sinterstore", -3, WRITE | DENYOOM, "@write @set @slow", (1, -1, 1), "Intersect multiple sets and store the resulting set in a key", "1.0.0", sinterstore_cmd),
    scmd!("sunionstore", -3, WRITE | DENYOOM, "@write @set @slow", (1, -1, 1), "Add multiple sets and store the resulting set in a key", "1.0.0", sunionstore_cmd),
    scmd!("sdiffstore", -3, WRITE | DENYOOM, "@write @set @slow", (1, -1, 1), "Subtract multiple sets and store the resulting set in a key", "1.0.0", sdiffstore_cmd),
    scmd!("sscan", -3, READONLY, "@read @set @slow", (1, 1, 1), "Incrementally iterate Set elements", "2.8.0", sscan_cmd),
];

/// `set-max-intset-entries`.
fn max_intset(cx: &Ctx<'_>) -> usize {
    cx.config().set_max_intset_entries
}

/// An owned copy of a member, keeping intset members as integers so
/// membership tests against other intsets stay integer comparisons.
enum Owned {
    Int(i64),
    Bytes(Box<[u8]>),
}

impl Owned {
    fn of(e: Elem<'_>) -> Owned {
        match e {
            Elem::Int(n) => Owned::Int(n),
            Elem::Bytes(b) => Owned::Bytes(b.into()),
        }
    }

    fn elem(&self) -> Elem<'_> {
        match self {
            Owned::Int(n) => Elem::Int(*n),
            Owned::Bytes(b) => Elem::Bytes(b),
        }
    }
}

/// Stores `set` at `dst` (any old value and TTL replaced), or deletes `dst`
/// when `set` is empty, as the *STORE commands do; `event` is the keyspace
/// event of a store. Redis replies before notifying, except SINTERSTORE
/// with a missing source (`reply_last`). Returns the cardinality.
fn store(cx: &mut Ctx<'_>, dst: &[u8], set: Set, event: &str, reply_last: bool) -> usize {
    let now = cx.now;
    let n = set.len();
    if n > 0 {
        cx.db().set(dst, Value::Set(Box::new(set)), false, now);
        cx.touched(dst);
        cx.reply_point();
        cx.notify(notify::SET, event, dst);
        cx.dirty(1);
    } else if cx.db().remove(dst, now).is_some() {
        // Storing signals before the reply (setKey); deleting after it.
        if !reply_last {
            cx.reply_point();
        }
        cx.touched(dst);
        cx.notify(notify::GENERIC, "del", dst);
        cx.dirty(1);
    }
    n
}

/// SADD: returns how many members are new.
pub fn sadd(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<usize> {
    let now = cx.now;
    let max = max_intset(cx);
    let exists = cx.write_as(key, Value::as_set_mut)?.is_some();
    let Some(first) = members.first() else { return Ok(0) };
    if !exists {
        let seed = cx.seed();
        cx.db().insert_new(key.into(), Value::Set(Box::new(Set::for_member(seed, first))), None, now);
    }
    let Some(s) = cx.peek_as(key, Value::as_set_mut) else { return Ok(0) };
    let added = members.iter().filter(|m| s.add(m, max)).count();
    if added > 0 {
        cx.touched(key);
        cx.notify(notify::SET, "sadd", key);
        cx.dirty(added as u64);
    }
    Ok(added)
}

fn sadd_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(sadd(cx, key, a.rest())? as i64))
}

/// SREM: returns how many members were removed; deletes an emptied key.
pub fn srem(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<usize> {
    let Some(s) = cx.write_as(key, Value::as_set_mut)? else { return Ok(0) };
    let mut deleted = 0;
    for m in members {
        if s.remove(m) {
            deleted += 1;
            if s.is_empty() {
                break;
            }
        }
    }
    let emptied = s.is_empty();
    if emptied {
        let now = cx.now;
        cx.db().remove(key, now);
    }
    if deleted > 0 {
        cx.touched(key);
        cx.notify(notify::SET, "srem", key);
        if emptied {
            cx.notify(notify::GENERIC, "del", key);
        }
        cx.dirty(deleted as u64);
    }
    Ok(deleted)
}

fn srem_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(srem(cx, key, a.rest())? as i64))
}

/// SMEMBERS (an intersection of one set in Redis 7.0).
pub fn smembers(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Vec<Vec<u8>>> {
    sinter(cx, &[key])
}

fn smembers_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(set_reply(smembers(cx, key)?))
}

/// SISMEMBER.
pub fn sismember(cx: &mut Ctx<'_>, key: &[u8], member: &[u8]) -> Result<bool> {
    Ok(cx.read_as(key, Value::as_set_mut)?.is_some_and(|s| s.contains(member)))
}

fn sismember_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, m) = (a.req()?, a.req()?);
    Ok(Reply::Int(sismember(cx, key, m)? as i64))
}

/// SMISMEMBER: membership of each member; an absent key is an empty set.
pub fn smismember(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<Vec<bool>> {
    let s = cx.read_as(key, Value::as_set_mut)?;
    Ok(members.iter().map(|m| s.as_ref().is_some_and(|s| s.contains(m))).collect())
}

fn smismember_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = smismember(cx, key, a.rest())?;
    Ok(Reply::Array(r.into_iter().map(|b| Reply::Int(b as i64)).collect()))
}

/// SCARD.
pub fn scard(cx: &mut Ctx<'_>, key: &[u8]) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_set_mut)?.map_or(0, |s| s.len()))
}

fn scard_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(scard(cx, key)? as i64))
}

/// SPOP without a count: removes and returns a random member.
pub fn spop(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let s = match eng.dbs[cx.db].write(key, now) {
        None => return Ok(None),
        Some(e) => match &mut e.value {
            Value::Set(s) => s,
            _ => return Err(Error::WrongType),
        },
    };
    let Some(m) = s.random(|| rng.next_u64()).map(|e| e.to_vec()) else { return Ok(None) };
    s.remove(&m);
    let emptied = s.is_empty();
    if emptied {
        cx.db().remove(key, now);
    }
    cx.notify(notify::SET, "spop", key);
    cx.reply_point();
    if emptied {
        cx.notify(notify::GENERIC, "del", key);
    }
    cx.touched(key);
    cx.dirty(1);
    Ok(Some(m))
}

/// SPOP with a count: removes and returns `count` distinct random members
/// (the whole set, deleting the key, when `count` reaches its size).
pub fn spop_count(cx: &mut Ctx<'_>, key: &[u8], count: u64) -> Result<Vec<Vec<u8>>> {
    let now = cx.now;
    let max = max_intset(cx);
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let s = match eng.dbs[cx.db].write(key, now) {
        None => return Ok(Vec::new()),
        Some(e) => match &mut e.value {
            Value::Set(s) => s,
            _ => return Err(Error::WrongType),
        },
    };
    if count == 0 {
        return Ok(Vec::new());
    }
    let size = s.len() as u64;
    let out;
    if count >= size {
        // CASE 1: everything, in the order SUNION of this one set gives.
        out = s.iter().map(|e| e.to_vec()).collect();
        cx.db().remove(key, now);
        cx.notify(notify::SET, "spop", key);
        cx.reply_point();
        cx.notify(notify::GENERIC, "del", key);
        cx.dirty(size);
    } else {
        let remaining = size - count;
        if remaining * 5 > count {
            // CASE 2: pop random members one by one.
            let mut v = Vec::with_capacity(count as usize);
            for _ in 0..count {
                let Some(m) = s.random(|| rng.next_u64()).map(|e| e.to_vec()) else { break };
                s.remove(&m);
                v.push(m);
            }
            out = v;
        } else {
            // CASE 3: move the members that stay into a new set (which may
            // get a different encoding) and return what is left behind.
            let mut keep: Option<Set> = None;
            let seed = rng.next_u64();
            for _ in 0..remaining {
                let Some(m) = s.random(|| rng.next_u64()).map(|e| e.to_vec()) else { break };
                keep.get_or_insert_with(|| Set::for_member(seed, &m)).add(&m, max);
                s.remove(&m);
            }
            out = s.iter().map(|e| e.to_vec()).collect();
            if let Some(k) = keep {
                **s = k;
            }
        }
        cx.notify(notify::SET, "spop", key);
        cx.dirty(count);
    }
    cx.touched(key);
    Ok(out)
}

fn spop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let Some(c) = a.next() else {
        let m = spop(cx, key)?;
        if let Some(m) = &m {
            cx.journal_spop(key, core::slice::from_ref(m));
        }
        return Ok(m.map_or(Reply::Nil, Reply::Bulk));
    };
    a.finish()?;
    let count = num::parse_i64(c).filter(|&n| n >= 0).ok_or(Error::MustBePositive)?;
    let popped = spop_count(cx, key, count as u64)?;
    // The journal records what was chosen, not the choice (persist.rs).
    cx.journal_spop(key, &popped);
    Ok(set_reply(popped))
}

/// SRANDMEMBER without a count: a random member.
pub fn srandmember(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let s = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(None),
        Some(e) => match &e.value {
            Value::Set(s) => s,
            _ => return Err(Error::WrongType),
        },
    };
    Ok(s.random(|| rng.next_u64()).map(|e| e.to_vec()))
}

/// SRANDMEMBER with a count: distinct members for a positive count (at most
/// the set's size), `-count` independent picks for a negative one.
pub fn srandmember_count(cx: &mut Ctx<'_>, key: &[u8], count: i64) -> Result<Vec<Vec<u8>>> {
    if count == i64::MIN {
        return Err(range_error(-i64::MAX, i64::MAX));
    }
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let s = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(Vec::new()),
        Some(e) => match &e.value {
            Value::Set(s) => &**s,
            _ => return Err(Error::WrongType),
        },
    };
    let n = count.unsigned_abs();
    let size = s.len() as u64;
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
            if let Some(e) = s.random(|| rng.next_u64()) {
                out.push(e.to_vec());
            }
        }
        return Ok(out);
    }
    // CASE 2: the whole set, in iteration order.
    if n >= size {
        return Ok(s.iter().map(|e| e.to_vec()).collect());
    }
    // CASE 3: close to the size: drop random members from a full copy.
    if n * 3 > size {
        let mut all: Vec<Elem<'_>> = s.iter().collect();
        while all.len() as u64 > n {
            let i = rng.below(all.len() as u64) as usize;
            all.swap_remove(i);
        }
        return Ok(all.into_iter().map(|e| e.to_vec()).collect());
    }
    // CASE 4: much smaller than the size: random picks until enough distinct.
    let mut seen = BTreeSet::new();
    let mut out = Vec::with_capacity(n as usize);
    while (out.len() as u64) < n {
        let Some(p) = s.random_pos(|| rng.next_u64()) else { break };
        if seen.insert(p) {
            if let Some(e) = s.at(p) {
                out.push(e.to_vec());
            }
        }
    }
    Ok(out)
}

fn srandmember_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let Some(c) = a.next() else {
        return Ok(srandmember(cx, key)?.map_or(Reply::Nil, Reply::Bulk));
    };
    a.finish()?;
    let count = num::parse_i64(c).ok_or(Error::NotInteger)?;
    Ok(Reply::bulk_array(srandmember_count(cx, key, count)?))
}

/// SMOVE: moves `member` from `src` to `dst`; true if it was in `src`.
pub fn smove(cx: &mut Ctx<'_>, src: &[u8], dst: &[u8], member: &[u8]) -> Result<bool> {
    let now = cx.now;
    let max = max_intset(cx);
    // Both lookups happen before any check, as in Redis.
    let src_found = cx.db().write(src, now).map(|e| matches!(e.value, Value::Set(_)));
    let dst_found = cx.db().write(dst, now).map(|e| matches!(e.value, Value::Set(_)));
    match src_found {
        None => return Ok(false),
        Some(false) => return Err(Error::WrongType),
        Some(true) => {}
    }
    if dst_found == Some(false) {
        return Err(Error::WrongType);
    }
    if src == dst {
        return Ok(cx.peek_as(src, Value::as_set_mut).is_some_and(|s| s.contains(member)));
    }
    let Some(s) = cx.peek_as(src, Value::as_set_mut) else { return Ok(false) };
    if !s.remove(member) {
        return Ok(false);
    }
    let emptied = s.is_empty();
    if emptied {
        cx.db().remove(src, now);
    }
    cx.notify(notify::SET, "srem", src);
    if emptied {
        cx.notify(notify::GENERIC, "del", src);
    }
    if dst_found.is_none() {
        let seed = cx.seed();
        cx.db().insert_new(dst.into(), Value::Set(Box::new(Set::for_member(seed, member))), None, now);
    }
    cx.touched(src);
    cx.dirty(1);
    if cx.peek_as(dst, Value::as_set_mut).is_some_and(|d| d.add(member, max)) {
        cx.dirty(1);
        cx.touched(dst);
        cx.notify(notify::SET, "sadd", dst);
    }
    Ok(true)
}

fn smove_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (src, dst, m) = (a.req()?, a.req()?, a.req()?);
    Ok(Reply::Int(smove(cx, src, dst, m)? as i64))
}

/// Looks every key up once (read lookup), in order, stopping at the first
/// key of another type. Returns each set's size, `None` for absent keys.
fn load_sets(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<Vec<Option<usize>>> {
    keys.iter().map(|k| Ok(cx.read_as(k, Value::as_set_mut)?.map(|s| s.len()))).collect()
}

/// What an intersection produces.
enum InterMode {
    /// The members, in the smallest set's order (SINTER, SMEMBERS).
    Members,
    /// The cardinality, stopping at a limit (0 = none) (SINTERCARD).
    Card(u64),
    /// A new set built intset-first (SINTERSTORE).
    Store,
}

enum InterOut {
    Members(Vec<Vec<u8>>),
    Card(u64),
    Store(Set),
}

/// Redis's `sinterGenericCommand`: iterate the smallest set (the first of
/// the smallest, as a stable sort orders them) and keep members every other
/// set holds.
fn inter(cx: &mut Ctx<'_>, keys: &[&[u8]], mode: InterMode) -> Result<InterOut> {
    let sizes = load_sets(cx, keys)?;
    let max = max_intset(cx);
    let mut candidates: Vec<Owned> = Vec::new();
    if sizes.iter().all(Option::is_some) && !keys.is_empty() {
        let first = (0..keys.len()).min_by_key(|&i| sizes[i]).unwrap_or(0);
        if let Some(s) = cx.peek_as(keys[first], Value::as_set_mut) {
            candidates = s.iter().map(Owned::of).collect();
        }
        for (j, k) in keys.iter().enumerate() {
            if candidates.is_empty() {
                break;
            }
            if j == first || *k == keys[first] {
                continue;
            }
            if let Some(s) = cx.peek_as(k, Value::as_set_mut) {
                candidates.retain(|c| s.contains_elem(c.elem()));
            }
        }
    }
    Ok(match mode {
        InterMode::Members => InterOut::Members(candidates.iter().map(|c| c.elem().to_vec()).collect()),
        InterMode::Card(limit) => {
            let n = candidates.len() as u64;
            InterOut::Card(if limit > 0 { n.min(limit) } else { n })
        }
        InterMode::Store => {
            let mut set = Set::new(cx.seed());
            for c in &candidates {
                set.add_elem(c.elem(), max);
            }
            InterOut::Store(set)
        }
    })
}

/// SINTER.
pub fn sinter(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
    match inter(cx, keys, InterMode::Members)? {
        InterOut::Members(v) => Ok(v),
        _ => Ok(Vec::new()),
    }
}

fn set_reply(members: Vec<Vec<u8>>) -> Reply {
    Reply::Set(members.into_iter().map(Reply::Bulk).collect())
}

fn sinter_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    Ok(set_reply(sinter(cx, keys)?))
}

/// SINTERCARD: the intersection's cardinality, at most `limit` (0 = none).
pub fn sintercard(cx: &mut Ctx<'_>, keys: &[&[u8]], limit: u64) -> Result<u64> {
    match inter(cx, keys, InterMode::Card(limit))? {
        InterOut::Card(n) => Ok(n),
        _ => Ok(0),
    }
}

fn sintercard_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let numkeys_err = || Error::err("numkeys should be greater than 0");
    let numkeys = num::parse_i64(a.req()?).filter(|&n| n >= 1).ok_or_else(numkeys_err)?;
    if numkeys as u64 > a.remaining() as u64 {
        return Err(Error::err("Number of keys can't be greater than number of args"));
    }
    let all = a.rest();
    let (keys, opts) = all.split_at(numkeys as usize);
    let mut limit = 0u64;
    let mut i = 0;
    while i < opts.len() {
        if opts[i].eq_ignore_ascii_case(b"limit") && i + 1 < opts.len() {
            let l = num::parse_i64(opts[i + 1]).filter(|&n| n >= 0);
            limit = l.ok_or_else(|| Error::err("LIMIT can't be negative"))? as u64;
            i += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok(Reply::Int(sintercard(cx, keys, limit)? as i64))
}

/// SINTERSTORE: stores the intersection at `dst`; returns its cardinality.
pub fn sinterstore(cx: &mut Ctx<'_>, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
    match inter(cx, keys, InterMode::Store)? {
        InterOut::Store(set) => {
            // A missing source takes Redis's early exit, which deletes the
            // destination before replying.
            let now = cx.now;
            let missing = keys.iter().any(|k| cx.db().peek(k, now).is_none());
            Ok(store(cx, dst, set, "sinterstore", missing))
        }
        _ => Ok(0),
    }
}

fn sinterstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let dst = a.req()?;
    Ok(Reply::Int(sinterstore(cx, dst, a.rest())? as i64))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Op {
    Union,
    Diff,
}

/// Redis's `sunionDiffGenericCommand`: builds the result into a new
/// intset-first set, picking SDIFF's algorithm the way Redis does (the
/// choice shows in the stored result's encoding).
fn union_diff(cx: &mut Ctx<'_>, keys: &[&[u8]], op: Op) -> Result<Set> {
    let sizes = load_sets(cx, keys)?;
    let max = max_intset(cx);
    let mut dst = Set::new(cx.seed());
    let Some(&first_key) = keys.first() else { return Ok(dst) };
    let first_size = sizes[0];
    let sameset = first_size.is_some() && keys.iter().zip(&sizes).skip(1).any(|(k, s)| s.is_some() && *k == first_key);
    match op {
        Op::Union => {
            for (k, sz) in keys.iter().zip(&sizes) {
                if sz.is_none() {
                    continue;
                }
                if let Some(s) = cx.peek_as(k, Value::as_set_mut) {
                    for e in s.iter() {
                        dst.add_elem(e, max);
                    }
                }
            }
        }
        Op::Diff if sameset => {}
        Op::Diff => {
            let Some(size0) = first_size else { return Ok(dst) };
            let present = sizes.iter().filter(|s| s.is_some()).count();
            let algo_one = (size0 as u64).saturating_mul(present as u64) / 2;
            let algo_two: u64 = sizes.iter().flatten().map(|&s| s as u64).sum();
            if algo_one <= algo_two {
                // Algorithm 1: members of the first set no other set holds.
                let mut candidates: Vec<Owned> = match cx.peek_as(first_key, Value::as_set_mut) {
                    Some(s) => s.iter().map(Owned::of).collect(),
                    None => Vec::new(),
                };
                for (k, sz) in keys.iter().zip(&sizes).skip(1) {
                    if candidates.is_empty() {
                        break;
                    }
                    if sz.is_some() {
                        if let Some(s) = cx.peek_as(k, Value::as_set_mut) {
                            candidates.retain(|c| !s.contains_elem(c.elem()));
                        }
                    }
                }
                for c in &candidates {
                    dst.add_elem(c.elem(), max);
                }
            } else {
                // Algorithm 2: add the first set, remove all the others.
                for (j, (k, sz)) in keys.iter().zip(&sizes).enumerate() {
                    if sz.is_none() {
                        continue;
                    }
                    if let Some(s) = cx.peek_as(k, Value::as_set_mut) {
                        for e in s.iter() {
                            if j == 0 {
                                dst.add_elem(e, max);
                            } else {
                                dst.remove_elem(e);
                            }
                        }
                    }
                    if dst.is_empty() {
                        break;
                    }
                }
            }
        }
    }
    Ok(dst)
}

fn members_of(set: &Set) -> Vec<Vec<u8>> {
    set.iter().map(|e| e.to_vec()).collect()
}

/// SUNION.
pub fn sunion(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
    Ok(members_of(&union_diff(cx, keys, Op::Union)?))
}

fn sunion_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(set_reply(sunion(cx, a.rest())?))
}

/// SDIFF.
pub fn sdiff(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
    Ok(members_of(&union_diff(cx, keys, Op::Diff)?))
}

fn sdiff_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(set_reply(sdiff(cx, a.rest())?))
}

/// SUNIONSTORE: stores the union at `dst`; returns its cardinality.
pub fn sunionstore(cx: &mut Ctx<'_>, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
    let set = union_diff(cx, keys, Op::Union)?;
    Ok(store(cx, dst, set, "sunionstore", false))
}

fn sunionstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let dst = a.req()?;
    Ok(Reply::Int(sunionstore(cx, dst, a.rest())? as i64))
}

/// SDIFFSTORE: stores the difference at `dst`; returns its cardinality.
pub fn sdiffstore(cx: &mut Ctx<'_>, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
    let set = union_diff(cx, keys, Op::Diff)?;
    Ok(store(cx, dst, set, "sdiffstore", false))
}

fn sdiffstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let dst = a.req()?;
    Ok(Reply::Int(sdiffstore(cx, dst, a.rest())? as i64))
}

/// SSCAN: one step; returns the next cursor and the members.
pub fn sscan(cx: &mut Ctx<'_>, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
    sscan_inner(cx, key, args.cursor, Ok(*args))
}

/// SSCAN with option errors deferred until the key was found, as in Redis.
fn sscan_inner(cx: &mut Ctx<'_>, key: &[u8], cursor: u64, opts: Result<ScanArgs<'_>>) -> Result<(u64, Vec<Vec<u8>>)> {
    let Some(s) = cx.read_as(key, Value::as_set_mut)? else { return Ok((0, Vec::new())) };
    let opts = opts?;
    let mut items = Vec::new();
    let next = s.scan(cursor, opts.count, |e| {
        let b = e.bytes();
        if opts.pattern.is_none_or(|p| crate::glob::matches(p, &b, false)) {
            items.push(b.into_owned());
        }
    });
    Ok((next, items))
}

fn sscan_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    crate::cmd::key_scan_cmd(cx, a, sscan_inner)
}

impl Engine {
    /// `SADD key member [member ...]`; returns how many members are new.
    pub fn sadd(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<usize> {
        self.typed_line(|| cmd_line(&[b"SADD", key], members.iter().copied()));
        self.with_ctx(db, |cx| sadd(cx, key, members))
    }

    /// `SREM key member [member ...]`.
    pub fn srem(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<usize> {
        self.typed_line(|| cmd_line(&[b"SREM", key], members.iter().copied()));
        self.with_ctx(db, |cx| srem(cx, key, members))
    }

    /// `SMEMBERS key`.
    pub fn smembers(&mut self, db: usize, key: &[u8]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| smembers(cx, key))
    }

    /// `SISMEMBER key member`.
    pub fn sismember(&mut self, db: usize, key: &[u8], member: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| sismember(cx, key, member))
    }

    /// `SMISMEMBER key member [member ...]`.
    pub fn smismember(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<Vec<bool>> {
        self.with_ctx(db, |cx| smismember(cx, key, members))
    }

    /// `SCARD key`.
    pub fn scard(&mut self, db: usize, key: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| scard(cx, key))
    }

    /// `SPOP key`.
    pub fn spop(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| spop(cx, key))
    }

    /// `SPOP key count`.
    pub fn spop_count(&mut self, db: usize, key: &[u8], count: u64) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| spop_count(cx, key, count))
    }

    /// `SRANDMEMBER key`.
    pub fn srandmember(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| srandmember(cx, key))
    }

    /// `SRANDMEMBER key count`.
    pub fn srandmember_count(&mut self, db: usize, key: &[u8], count: i64) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| srandmember_count(cx, key, count))
    }

    /// `SMOVE source destination member`.
    pub fn smove(&mut self, db: usize, src: &[u8], dst: &[u8], member: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| smove(cx, src, dst, member))
    }

    /// `SINTER key [key ...]`.
    pub fn sinter(&mut self, db: usize, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| sinter(cx, keys))
    }

    /// `SINTERCARD numkeys key [key ...] [LIMIT limit]` (0 = no limit).
    pub fn sintercard(&mut self, db: usize, keys: &[&[u8]], limit: u64) -> Result<u64> {
        self.with_ctx(db, |cx| sintercard(cx, keys, limit))
    }

    /// `SUNION key [key ...]`.
    pub fn sunion(&mut self, db: usize, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| sunion(cx, keys))
    }

    /// `SDIFF key [key ...]`.
    pub fn sdiff(&mut self, db: usize, keys: &[&[u8]]) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| sdiff(cx, keys))
    }

    /// `SINTERSTORE destination key [key ...]`.
    pub fn sinterstore(&mut self, db: usize, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
        self.with_ctx(db, |cx| sinterstore(cx, dst, keys))
    }

    /// `SUNIONSTORE destination key [key ...]`.
    pub fn sunionstore(&mut self, db: usize, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
        self.with_ctx(db, |cx| sunionstore(cx, dst, keys))
    }

    /// `SDIFFSTORE destination key [key ...]`.
    pub fn sdiffstore(&mut self, db: usize, dst: &[u8], keys: &[&[u8]]) -> Result<usize> {
        self.with_ctx(db, |cx| sdiffstore(cx, dst, keys))
    }

    /// `SSCAN key cursor [MATCH pattern] [COUNT count]`.
    pub fn sscan(&mut self, db: usize, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
        self.with_ctx(db, |cx| sscan(cx, key, args))
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::ManualClock;
    use crate::reply::Protocol;
    use crate::{ClientInfo, Config, Engine, Options};
    use alloc::boxed::Box;
    use alloc::vec::Vec;

    fn run(e: &mut Engine, c: crate::ClientId, line: &str) -> Vec<u8> {
        let argv: Vec<&[u8]> = line.split(' ').map(str::as_bytes).collect();
        e.execute(c, &argv).map(|r| r.to_resp(Protocol::Resp3)).unwrap_or_default()
    }

    /// RESP3 shapes verified with `HELLO 3` on Redis 7.0.15: sets where
    /// Redis uses a set reply, arrays elsewhere, integers (not booleans) for
    /// membership.
    #[test]
    fn resp3_shapes() {
        let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000)), seed: 1 });
        let c = e.open_client(ClientInfo::default());
        if let Some(cl) = e.clients.get_mut(&c) {
            cl.proto = Protocol::Resp3;
        }
        assert_eq!(run(&mut e, c, "SADD a 3 1 2"), b":3\r\n");
        let three = &b"~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n"[..];
        assert_eq!(run(&mut e, c, "SMEMBERS a"), three);
        assert_eq!(run(&mut e, c, "SINTER a"), three);
        assert_eq!(run(&mut e, c, "SUNION a"), three);
        assert_eq!(run(&mut e, c, "SDIFF a"), three);
        assert_eq!(run(&mut e, c, "SMEMBERS nokey"), b"~0\r\n");
        assert_eq!(run(&mut e, c, "SPOP a 0"), b"~0\r\n");
        assert_eq!(run(&mut e, c, "SPOP nokey 2"), b"~0\r\n");
        assert_eq!(run(&mut e, c, "SRANDMEMBER a 5"), b"*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        assert_eq!(run(&mut e, c, "SRANDMEMBER a -1").len(), b"*1\r\n$1\r\n3\r\n".len());
        assert_eq!(run(&mut e, c, "SMISMEMBER a 1 9"), b"*2\r\n:1\r\n:0\r\n");
        assert_eq!(run(&mut e, c, "SISMEMBER a 1"), b":1\r\n");
        assert_eq!(run(&mut e, c, "SINTERCARD 1 a"), b":3\r\n");
        assert_eq!(run(&mut e, c, "SSCAN a 0"), b"*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
        assert_eq!(run(&mut e, c, "SPOP a 5"), three);
        assert_eq!(run(&mut e, c, "SPOP nokey"), b"_\r\n");
        assert_eq!(run(&mut e, c, "SRANDMEMBER nokey"), b"_\r\n");
    }
}
