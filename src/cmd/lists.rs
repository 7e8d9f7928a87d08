//! List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX
//! LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH LMPOP and the blocking
//! BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP, with Redis 7.0.15's replies.
//!
//! Handlers parse in Redis's order (which decides which error wins) and call
//! the typed operations below them, which back the typed [`Engine`] API too.
//!
//! Blocking: a blocking handler that finds nothing to pop calls
//! [`Ctx::block_on`] (or, when it may not block, answers at once as Redis
//! does for a client that denies blocking). When a key it waits on becomes
//! ready, the engine re-runs the command with [`Engine::serving_key`] set,
//! and the handler serves from that key only. As in Redis 7.0 a ready key of
//! another type does not wake list waiters: the handler stays blocked
//! instead of answering WRONGTYPE. A timed-out list waiter always gets the
//! null array, BLMOVE and BRPOPLPUSH included (7.0's
//! `replyToBlockedClientTimedOut`).

pub mod timeout;

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::persist::cmd_line;
use crate::reply::Reply;
use crate::types::{List, Value};

// One row per command keeps the table readable; the fields are positional.
#[allow(clippy::too_many_arguments)]
const fn list_cmd(name: &'static str, arity: i32, flags: u32, acl: &'static str, keys: (i32, i32, i32), summary: &'static str, since: &'static str, handler: crate::cmd::Handler) -> Command {
    Command {
        name,
        arity,
        flags,
        acl,
        first_key: keys.0,
        last_key: keys.1,
        step: keys.2,
        group: "list",
        summary,
        since,
        handler,
        subcommands: &[],
    }
}

/// The list family's command table (arity, flags, keys and ACL categories
/// as Redis 7.0's `COMMAND INFO` reports them).
pub const COMMANDS: &[Command] = &[
    list_cmd("lpush", -3, WRITE | DENYOOM | FAST, "@write @list @fast", (1, 1, 1), "Prepend one or multiple elements to a list", "1.0.0", lpush_cmd),
    list_cmd("rpush", -3, WRITE | DENYOOM | FAST, "@write @list @fast", (1, 1, 1), "Append one or multiple elements to a list", "1.0.0", rpush_cmd),
    list_cmd("lpushx", -3, WRITE | DENYOOM | FAST, "@write @list @fast", (1, 1, 1), "Prepend an element to a list, only if the list exists", "2.2.0", lpushx_cmd),
    list_cmd("rpushx", -3, WRITE | DENYOOM | FAST, "@write @list @fast", (1, 1, 1), "Append an element to a list, only if the list exists", "2.2.0", rpushx_cmd),
    list_cmd("lpop", -2, WRITE | FAST, "@write @list @fast", (1, 1, 1), "Remove and get the first elements in a list", "1.0.0", lpop_cmd),
    list_cmd("rpop", -2, WRITE | FAST, "@write @list @fast", (1, 1, 1), "Remove and get the last elements in a list", "1.0.0", rpop_cmd),
    list_cmd("llen", 2, READONLY | FAST, "@read @list @fast", (1, 1, 1), "Get the length of a list", "1.0.0", llen_cmd),
    list_cmd("lrange", 4, READONLY, "@read @list @slow", (1, 1, 1), "Get a range of elements from a list", "1.0.0", lrange_cmd),
    list_cmd("lindex", 3, READONLY, "@read @list @slow", (1, 1, 1), "Get an element from a list by its index", "1.0.0", lindex_cmd),
    list_cmd("lset", 4, WRITE | DENYOOM, "@write @list @slow", (1, 1, 1), "Set the value of an element in a list by its index", "1.0.0", lset_cmd),
    list_cmd("linsert", 5, WRITE | DENYOOM, "@write @list @slow", (1, 1, 1), "Insert an element before or after another element in a list", "2.2.0", linsert_cmd),
    list_cmd("lrem", 4, WRITE, "@write @list @slow", (1, 1, 1), "Remove elements from a list", "1.0.0", lrem_cmd),
    list_cmd("ltrim", 4, WRITE, "@write @list @slow", (1, 1, 1), "Trim a list to the specified range", "1.0.0", ltrim_cmd),
    list_cmd("lpos", -3, READONLY, "@read @list @slow", (1, 1, 1), "Return the index of matching elements on a list", "6.0.6", lpos_cmd),
    list_cmd("lmove", 5, WRITE | DENYOOM, "@write @list @slow", (1, 2, 1), "Pop an element from a list, push it to another list and return it", "6.2.0", lmove_cmd),
    list_cmd("rpoplpush", 3, WRITE | DENYOOM, "@write @list @slow", (1, 2, 1), "Remove the last element in a list, prepend it to another list and return it", "1.2.0", rpoplpush_cmd),
    list_cmd("lmpop", -4, WRITE | MOVABLE_KEYS, "@write @list @slow", (0, 0, 0), "Pop elements from a list", "7.0.0", lmpop_cmd),
    list_cmd("blpop", -3, WRITE | NOSCRIPT | BLOCKING, "@write @list @slow @blocking", (1, -2, 1), "Remove and get the first element in a list, or block until one is available", "2.0.0", blpop_cmd),
    list_cmd("brpop", -3, WRITE | NOSCRIPT | BLOCKING, "@write @list @slow @blocking", (1, -2, 1), "Remove and get the last element in a list, or block until one is available", "2.0.0", brpop_cmd),
    list_cmd("blmove", 6, WRITE | DENYOOM | NOSCRIPT | BLOCKING, "@write @list @slow @blocking", (1, 2, 1), "Pop an element from a list, push it to another list and return it; or block until one is available", "6.2.0", blmove_cmd),
    list_cmd("brpoplpush", 4, WRITE | DENYOOM | NOSCRIPT | BLOCKING, "@write @list @slow @blocking", (1, 2, 1), "Pop an element from a list, push it to another list and return it; or block until one is available", "2.2.0", brpoplpush_cmd),
    list_cmd("blmpop", -5, WRITE | BLOCKING | MOVABLE_KEYS, "@write @list @slow @blocking", (0, 0, 0), "Pop elements from a list, or block until one is available", "7.0.0", blmpop_cmd),
];

/// An end of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// The head (LEFT, index 0).
    Left,
    /// The tail (RIGHT, index -1).
    Right,
}

impl End {
    /// Parses LEFT or RIGHT (any case); anything else is a syntax error.
    pub fn parse(arg: &[u8]) -> Result<End> {
        if is_kw(arg, "left") {
            Ok(End::Left)
        } else if is_kw(arg, "right") {
            Ok(End::Right)
        } else {
            Err(Error::Syntax)
        }
    }
}

fn push_end(l: &mut List, v: &[u8], end: End) {
    match end {
        End::Left => l.push_front(v),
        End::Right => l.push_back(v),
    }
}

fn pop_end(l: &mut List, end: End) -> Option<Vec<u8>> {
    match end {
        End::Left => l.pop_front(),
        End::Right => l.pop_back(),
    }
}

/// Deletes `key` if its list became empty (containers are never stored
/// empty); true if it did.
fn drop_if_empty(cx: &mut Ctx<'_>, key: &[u8]) -> bool {
    let now = cx.now;
    let empty = matches!(cx.db().peek(key, now), Some(e) if matches!(&e.value, Value::List(l) if l.is_empty()));
    if empty {
        cx.db().remove(key, now);
    }
    empty
}

/// The keyspace events of elements pushed at `end`.
fn push_event(end: End) -> &'static str {
    match end {
        End::Left => "lpush",
        End::Right => "rpush",
    }
}

/// The keyspace events of elements popped at `end`, then `del` when the
/// pop emptied the list (Redis's `listElementsRemoved` order).
fn notify_popped(cx: &mut Ctx<'_>, key: &[u8], end: End, deleted: bool) {
    cx.notify(notify::LIST, if end == End::Left { "lpop" } else { "rpop" }, key);
    if deleted {
        cx.notify(notify::GENERIC, "del", key);
    }
}

/// Redis's index normalization for LRANGE/LTRIM: the inclusive range of
/// positions `start..=end` selects in a list of `len`, `None` when empty.
/// Never overflows, whatever the `i64`s.
pub fn normalize_range(start: i64, end: i64, len: usize) -> Option<(usize, usize)> {
    let llen = len as i64;
    // llen >= 0, so adding a negative index cannot overflow.
    let mut s = if start < 0 { llen + start } else { start };
    let mut e = if end < 0 { llen + end } else { end };
    if s < 0 {
        s = 0;
    }
    if s > e || s >= llen {
        return None;
    }
    if e >= llen {
        e = llen - 1;
    }
    Some((s as usize, e as usize))
}

/// The position a possibly negative index names, if in range.
fn normalize_index(index: i64, len: usize) -> Option<usize> {
    let llen = len as i64;
    let i = if index < 0 { llen + index } else { index };
    (0..llen).contains(&i).then_some(i as usize)
}

// ---------------------------------------------------------------------------
// Typed operations.

/// LPUSH/RPUSH (`only_if_exists` false) and LPUSHX/RPUSHX (true): pushes the
/// elements one by one at `end` and returns the new length (0 when
/// `only_if_exists` and the key is missing).
pub fn push(cx: &mut Ctx<'_>, key: &[u8], elems: &[&[u8]], end: End, only_if_exists: bool) -> Result<i64> {
    let len = match cx.write_as(key, Value::as_list_mut)? {
        Some(l) => {
            for e in elems {
                push_end(l, e, end);
            }
            l.len()
        }
        None if only_if_exists => return Ok(0),
        None => {
            let mut l = List::new();
            for e in elems {
                push_end(&mut l, e, end);
            }
            let n = l.len();
            let now = cx.now;
            cx.db().insert_new(key.into(), Value::List(Box::new(l)), None, now);
            n
        }
    };
    cx.dirty(elems.len() as u64);
    // Redis replies with the length before signalling and notifying.
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::LIST, push_event(end), key);
    Ok(len as i64)
}

/// LPOP/RPOP. `count` `None` pops one element; `Some(n)` pops up to `n`
/// (`Some(0)` pops nothing but still checks the type). `Ok(None)` when the
/// key is missing.
pub fn pop(cx: &mut Ctx<'_>, key: &[u8], end: End, count: Option<usize>) -> Result<Option<Vec<Vec<u8>>>> {
    let Some(l) = cx.write_as(key, Value::as_list_mut)? else { return Ok(None) };
    let n = count.unwrap_or(1).min(l.len());
    if n == 0 {
        return Ok(Some(Vec::new()));
    }
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        if let Some(v) = pop_end(l, end) {
            out.push(v);
        }
    }
    let deleted = drop_if_empty(cx, key);
    cx.dirty(out.len() as u64);
    cx.reply_point();
    cx.touched(key);
    notify_popped(cx, key, end, deleted);
    Ok(Some(out))
}

/// LLEN.
pub fn llen(cx: &mut Ctx<'_>, key: &[u8]) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_list_mut)?.map_or(0, |l| l.len()))
}

/// LRANGE with Redis's index rules.
pub fn lrange(cx: &mut Ctx<'_>, key: &[u8], start: i64, end: i64) -> Result<Vec<Vec<u8>>> {
    Ok(lrange_with(cx, key, start, end, |n, it| {
        let mut v = Vec::with_capacity(n);
        v.extend(it.map(<[u8]>::to_vec));
        v
    })?
    .unwrap_or_default())
}

/// LRANGE's lookup and range: `f` gets the number of elements and the
/// elements (not called for a missing key or an empty range).
fn lrange_with<R>(cx: &mut Ctx<'_>, key: &[u8], start: i64, end: i64, f: impl FnOnce(usize, &mut dyn Iterator<Item = &[u8]>) -> R) -> Result<Option<R>> {
    let Some(l) = cx.read_as(key, Value::as_list_mut)? else { return Ok(None) };
    Ok(normalize_range(start, end, l.len()).map(|(s, e)| f(e - s + 1, &mut l.iter_from(s).take(e - s + 1))))
}

/// LINDEX.
pub fn lindex(cx: &mut Ctx<'_>, key: &[u8], index: i64) -> Result<Option<Vec<u8>>> {
    let Some(l) = cx.read_as(key, Value::as_list_mut)? else { return Ok(None) };
    Ok(normalize_index(index, l.len()).and_then(|i| l.get(i)).map(|v| v.to_vec()))
}

/// LSET: `ERR no such key` / `ERR index out of range` as Redis.
pub fn lset(cx: &mut Ctx<'_>, key: &[u8], index: i64, value: &[u8]) -> Result<()> {
    let l = cx.write_as(key, Value::as_list_mut)?.ok_or(Error::NoSuchKey)?;
    let i = normalize_index(index, l.len()).ok_or(Error::IndexOutOfRange)?;
    l.set(i, value);
    cx.dirty(1);
    cx.reply_point();
    cx.touched(key);
    cx.notify(notify::LIST, "lset", key);
    Ok(())
}

/// LINSERT: inserts `value` before (or after) the first element equal to
/// `pivot`. Returns the new length, -1 when the pivot is absent, 0 when the
/// key is missing.
pub fn linsert(cx: &mut Ctx<'_>, key: &[u8], after: bool, pivot: &[u8], value: &[u8]) -> Result<i64> {
    let Some(l) = cx.write_as(key, Value::as_list_mut)? else { return Ok(0) };
    let Some(pos) = l.iter().position(|e| e == pivot) else { return Ok(-1) };
    l.insert(pos + after as usize, value);
    let n = l.len() as i64;
    cx.dirty(1);
    cx.touched(key);
    cx.notify(notify::LIST, "linsert", key);
    Ok(n)
}

/// LREM: `count` > 0 removes that many from the head, < 0 from the tail,
/// 0 all. Returns how many were removed.
pub fn lrem(cx: &mut Ctx<'_>, key: &[u8], count: i64, value: &[u8]) -> Result<i64> {
    let Some(l) = cx.write_as(key, Value::as_list_mut)? else { return Ok(0) };
    // i64::MIN negates to itself in Redis and never matches the removed
    // count: it removes every match from the tail, as `unsigned_abs` does.
    let limit = (count != 0).then(|| usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX));
    let removed = l.remove(value, limit, count < 0);
    let deleted = drop_if_empty(cx, key);
    if removed > 0 {
        cx.dirty(removed as u64);
        cx.touched(key);
        cx.notify(notify::LIST, "lrem", key);
    }
    if deleted {
        cx.notify(notify::GENERIC, "del", key);
    }
    Ok(removed as i64)
}

/// LTRIM with Redis's index rules; an empty result deletes the key.
pub fn ltrim(cx: &mut Ctx<'_>, key: &[u8], start: i64, end: i64) -> Result<()> {
    let Some(l) = cx.write_as(key, Value::as_list_mut)? else { return Ok(()) };
    let len = l.len();
    let (left, right) = match normalize_range(start, end, len) {
        None => (len, 0),
        Some((s, e)) => (s, len - e - 1),
    };
    l.trim_front(left);
    l.trim_back(right);
    let deleted = drop_if_empty(cx, key);
    cx.dirty((left + right) as u64);
    cx.touched(key);
    cx.notify(notify::LIST, "ltrim", key);
    if deleted {
        cx.notify(notify::GENERIC, "del", key);
    }
    Ok(())
}

/// Options of [`lpos`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LposOptions {
    /// RANK: nonzero; negative searches from the tail.
    pub rank: i64,
    /// COUNT: `None` = not given (single reply); `Some(0)` = all matches.
    pub count: Option<u64>,
    /// MAXLEN: elements compared at most, 0 = all.
    pub maxlen: u64,
}

impl Default for LposOptions {
    fn default() -> Self {
        LposOptions { rank: 1, count: None, maxlen: 0 }
    }
}

/// LPOS: positions (as LINDEX counts them) of matches of `elem`. Without
/// COUNT the result holds at most one position. `rank` must be nonzero.
pub fn lpos(cx: &mut Ctx<'_>, key: &[u8], elem: &[u8], opts: LposOptions) -> Result<Vec<i64>> {
    let Some(l) = cx.read_as(key, Value::as_list_mut)? else { return Ok(Vec::new()) };
    let from_tail = opts.rank < 0;
    // Redis negates a negative rank in a `long`: i64::MIN stays negative, so
    // every match satisfies "matches >= rank" and the COUNT test
    // (overflowing) never stops the scan.
    let unbounded = opts.rank == i64::MIN;
    let rank = if unbounded { 1 } else { opts.rank.unsigned_abs() };
    let len = l.len();
    let it: Box<dyn Iterator<Item = &[u8]>> = if from_tail { Box::new(l.iter().rev()) } else { Box::new(l.iter()) };
    let mut out = Vec::new();
    let mut matches: u64 = 0;
    for (index, e) in it.enumerate() {
        if opts.maxlen != 0 && index as u64 >= opts.maxlen {
            break;
        }
        if e != elem {
            continue;
        }
        matches += 1;
        if matches < rank {
            continue;
        }
        let pos = if from_tail { len - index - 1 } else { index };
        out.push(pos as i64);
        match opts.count {
            None => break,
            Some(c) => {
                if c != 0 && !unbounded && matches - rank + 1 >= c {
                    break;
                }
            }
        }
    }
    Ok(out)
}

/// What LMPOP/BLMPOP pop: the key and its elements, in pop order.
pub type KeyElements = (Vec<u8>, Vec<Vec<u8>>);

/// LMOVE/RPOPLPUSH: pops at `from` of `src`, pushes at `to` of `dst`,
/// returns the element; `Ok(None)` when `src` is missing. The destination's
/// type is checked before anything moves.
pub fn lmove(cx: &mut Ctx<'_>, src: &[u8], dst: &[u8], from: End, to: End) -> Result<Option<Vec<u8>>> {
    if cx.write_as(src, Value::as_list_mut)?.is_none() {
        return Ok(None);
    }
    let dst_exists = cx.write_as(dst, Value::as_list_mut)?.is_some();
    let Some(v) = cx.write_as(src, Value::as_list_mut)?.and_then(|l| pop_end(l, from)) else { return Ok(None) };
    if src == dst || dst_exists {
        if let Some(l) = cx.write_as(dst, Value::as_list_mut)? {
            push_end(l, &v, to);
        }
    } else {
        let mut l = List::new();
        l.push_back(&v);
        let now = cx.now;
        cx.db().insert_new(dst.into(), Value::List(Box::new(l)), None, now);
    }
    cx.touched(dst);
    cx.notify(notify::LIST, push_event(to), dst);
    // Redis replies between the push and the pop notifications.
    cx.reply_point();
    let deleted = drop_if_empty(cx, src);
    cx.touched(src);
    notify_popped(cx, src, from, deleted);
    cx.dirty(1);
    Ok(Some(v))
}

/// LMPOP: pops up to `count` elements at `end` of the first non-empty list
/// among `keys`; returns that key and the elements, `Ok(None)` when all are
/// missing. A key of another type met first is WRONGTYPE.
pub fn lmpop(cx: &mut Ctx<'_>, keys: &[&[u8]], end: End, count: usize) -> Result<Option<KeyElements>> {
    for &k in keys {
        if let Some(v) = pop(cx, k, end, Some(count))? {
            return Ok(Some((k.to_vec(), v)));
        }
    }
    Ok(None)
}

// ---------------------------------------------------------------------------
// Handlers.

fn push_handler(cx: &mut Ctx<'_>, a: &mut Args<'_>, end: End, xx: bool) -> Result<Reply> {
    let key = a.req()?;
    let elems = a.rest();
    Ok(Reply::Int(push(cx, key, elems, end, xx)?))
}

fn lpush_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    push_handler(cx, a, End::Left, false)
}

fn rpush_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    push_handler(cx, a, End::Right, false)
}

fn lpushx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    push_handler(cx, a, End::Left, true)
}

fn rpushx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    push_handler(cx, a, End::Right, true)
}

/// `getPositiveLongFromObjectOrReply` with Redis's default message.
fn positive(arg: &[u8], msg: Error) -> Result<u64> {
    match num::parse_i64(arg) {
        Some(v) if v >= 0 => Ok(v as u64),
        _ => Err(msg),
    }
}

fn pop_handler(cx: &mut Ctx<'_>, a: &mut Args<'_>, end: End) -> Result<Reply> {
    let key = a.req()?;
    if a.remaining() > 1 {
        return Err(Error::WrongArity(if end == End::Left { "lpop".into() } else { "rpop".into() }));
    }
    let count = match a.next() {
        Some(c) => Some(usize::try_from(positive(c, Error::MustBePositive)?).unwrap_or(usize::MAX)),
        None => None,
    };
    let r = pop(cx, key, end, count)?;
    Ok(match (count, r) {
        (None, None) => Reply::Nil,
        (Some(_), None) => Reply::NilArray,
        (None, Some(mut v)) => v.pop().map_or(Reply::Nil, Reply::Bulk),
        (Some(_), Some(v)) => Reply::Array(v.into_iter().map(Reply::Bulk).collect()),
    })
}

fn lpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    pop_handler(cx, a, End::Left)
}

fn rpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    pop_handler(cx, a, End::Right)
}

fn llen_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(llen(cx, key)? as i64))
}

fn lrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let start = a.i64()?;
    let end = a.i64()?;
    // The elements go straight into the reply (RESP bytes for a large
    // range to a connection), with no owned copy each in between.
    let bulks = cx.bulks();
    Ok(lrange_with(cx, key, start, end, |n, it| bulks.items(n, it))?.unwrap_or(Reply::Array(Vec::new())))
}

fn lindex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let idx = a.req()?;
    // Redis looks the key up (and checks its type) before parsing the index.
    if cx.read_as(key, Value::as_list_mut)?.is_none() {
        return Ok(Reply::Nil);
    }
    let index = num::parse_i64(idx).ok_or(Error::NotInteger)?;
    Ok(lindex_at(cx, key, index)?.map_or(Reply::Nil, Reply::Bulk))
}

/// LINDEX after the lookup was already counted.
fn lindex_at(cx: &mut Ctx<'_>, key: &[u8], index: i64) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    Ok(match cx.db().peek(key, now).map(|e| &e.value) {
        Some(Value::List(l)) => normalize_index(index, l.len()).and_then(|i| l.get(i)).map(|v| v.to_vec()),
        _ => None,
    })
}

fn lset_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let idx = a.req()?;
    let value = a.req()?;
    // Key, then type, then index, as Redis checks them.
    cx.write_as(key, Value::as_list_mut)?.ok_or(Error::NoSuchKey)?;
    let index = num::parse_i64(idx).ok_or(Error::NotInteger)?;
    lset(cx, key, index, value)?;
    Ok(Reply::ok())
}

fn linsert_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let wh = a.req()?;
    let after = if is_kw(wh, "after") {
        true
    } else if is_kw(wh, "before") {
        false
    } else {
        return Err(Error::Syntax);
    };
    let pivot = a.req()?;
    let value = a.req()?;
    Ok(Reply::Int(linsert(cx, key, after, pivot, value)?))
}

fn lrem_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let count = a.i64()?;
    let value = a.req()?;
    Ok(Reply::Int(lrem(cx, key, count, value)?))
}

fn ltrim_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let start = a.i64()?;
    let end = a.i64()?;
    ltrim(cx, key, start, end)?;
    Ok(Reply::ok())
}

/// LPOS's error for RANK 0.
fn rank_zero() -> Error {
    Error::err("RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list")
}

fn lpos_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let elem = a.req()?;
    let mut opts = LposOptions::default();
    while let Some(opt) = a.next() {
        let more = !a.is_empty();
        if is_kw(opt, "rank") && more {
            opts.rank = a.i64()?;
            if opts.rank == 0 {
                return Err(rank_zero());
            }
        } else if is_kw(opt, "count") && more {
            opts.count = Some(positive(a.req()?, Error::err("COUNT can't be negative"))?);
        } else if is_kw(opt, "maxlen") && more {
            opts.maxlen = positive(a.req()?, Error::err("MAXLEN can't be negative"))?;
        } else {
            return Err(Error::Syntax);
        }
    }
    let r = lpos(cx, key, elem, opts)?;
    Ok(match opts.count {
        Some(_) => Reply::Array(r.into_iter().map(Reply::Int).collect()),
        None => r.first().map_or(Reply::Nil, |&p| Reply::Int(p)),
    })
}

fn lmove_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let src = a.req()?;
    let dst = a.req()?;
    let from = End::parse(a.req()?)?;
    let to = End::parse(a.req()?)?;
    Ok(lmove(cx, src, dst, from, to)?.map_or(Reply::Nil, Reply::Bulk))
}

fn rpoplpush_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let src = a.req()?;
    let dst = a.req()?;
    Ok(lmove(cx, src, dst, End::Right, End::Left)?.map_or(Reply::Nil, Reply::Bulk))
}

/// `numkeys keys... LEFT|RIGHT [COUNT n]` of LMPOP/BLMPOP, parsed with
/// Redis's messages and order.
fn parse_mpop<'a>(a: &mut Args<'a>) -> Result<(&'a [&'a [u8]], End, usize)> {
    let nk_err = || Error::err("numkeys should be greater than 0");
    let numkeys = num::parse_i64(a.req()?).ok_or_else(nk_err)?;
    if numkeys < 1 {
        return Err(nk_err());
    }
    let argv = a.argv();
    let first = a.pos();
    // The LEFT|RIGHT argument must exist after the keys.
    if numkeys as u64 >= (argv.len() - first) as u64 {
        return Err(Error::Syntax);
    }
    let numkeys = numkeys as usize;
    let keys = &argv[first..first + numkeys];
    for _ in 0..numkeys {
        a.next();
    }
    let end = End::parse(a.req()?)?;
    let mut count: Option<usize> = None;
    while let Some(opt) = a.next() {
        if count.is_none() && is_kw(opt, "count") && !a.is_empty() {
            let c_err = || Error::err("count should be greater than 0");
            let c = num::parse_i64(a.req()?).ok_or_else(c_err)?;
            if c < 1 {
                return Err(c_err());
            }
            count = Some(usize::try_from(c).unwrap_or(usize::MAX));
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok((keys, end, count.unwrap_or(1)))
}

fn mpop_reply(r: Option<KeyElements>) -> Reply {
    match r {
        None => Reply::NilArray,
        Some((k, v)) => Reply::Array(alloc::vec![Reply::Bulk(k), Reply::Array(v.into_iter().map(Reply::Bulk).collect())]),
    }
}

fn lmpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (keys, end, count) = parse_mpop(a)?;
    Ok(mpop_reply(lmpop(cx, keys, end, count)?))
}

// ---------------------------------------------------------------------------
// Blocking handlers.

/// The keys a blocking pop may take from now: when re-run for a ready key,
/// that key only (if the command waits on it), else all of them in order.
fn candidate_keys<'a>(cx: &Ctx<'_>, keys: &'a [&'a [u8]]) -> Vec<&'a [u8]> {
    if cx.reexec {
        if let Some(k) = cx.eng.serving_key(cx.db) {
            return keys.iter().copied().filter(|&x| x == k).take(1).collect();
        }
    }
    keys.to_vec()
}

fn to_boxed(keys: &[&[u8]]) -> Vec<Box<[u8]>> {
    keys.iter().map(|&k| k.into()).collect()
}

/// BLPOP/BRPOP (`count` None) and BLMPOP (`count` Some).
fn blocking_pop(cx: &mut Ctx<'_>, keys: &[&[u8]], end: End, timeout: &[u8], count: Option<usize>) -> Result<Reply> {
    let deadline = cx.parse_timeout_secs(timeout)?;
    for k in candidate_keys(cx, keys) {
        let reexec = cx.reexec;
        match cx.write_as(k, Value::as_list_mut).map(|l| l.is_some()) {
            Ok(false) => continue,
            // A ready key that is not a list does not serve a list waiter.
            Err(_) if reexec => continue,
            Err(e) => return Err(e),
            Ok(true) => {}
        }
        let popped = pop(cx, k, end, Some(count.unwrap_or(1)))?.unwrap_or_default();
        return Ok(match count {
            Some(_) => mpop_reply(Some((k.to_vec(), popped))),
            None => Reply::Array(alloc::vec![Reply::bulk(k), popped.into_iter().next().map_or(Reply::Nil, Reply::Bulk)]),
        });
    }
    if !cx.may_block() {
        return Ok(Reply::NilArray);
    }
    cx.block_on(to_boxed(keys), deadline, Reply::NilArray);
    Ok(Reply::NilArray)
}

fn bpop_handler(cx: &mut Ctx<'_>, a: &mut Args<'_>, end: End) -> Result<Reply> {
    let rest = a.rest();
    let (timeout, keys) = rest.split_last().ok_or(Error::Syntax)?;
    blocking_pop(cx, keys, end, timeout, None)
}

fn blpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    bpop_handler(cx, a, End::Left)
}

fn brpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    bpop_handler(cx, a, End::Right)
}

fn blmpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let timeout = a.req()?;
    let (keys, end, count) = parse_mpop(a)?;
    blocking_pop(cx, keys, end, timeout, Some(count))
}

/// BLMOVE/BRPOPLPUSH after their arguments are parsed.
fn blocking_move(cx: &mut Ctx<'_>, src: &[u8], dst: &[u8], from: End, to: End, deadline: Option<u64>) -> Result<Reply> {
    let reexec = cx.reexec;
    match cx.write_as(src, Value::as_list_mut).map(|l| l.is_some()) {
        Ok(true) => return Ok(lmove(cx, src, dst, from, to)?.map_or(Reply::Nil, Reply::Bulk)),
        Ok(false) => {}
        Err(_) if reexec => {}
        Err(e) => return Err(e),
    }
    if !cx.may_block() {
        return Ok(Reply::Nil);
    }
    cx.block_on(alloc::vec![src.into()], deadline, Reply::NilArray);
    Ok(Reply::Nil)
}

fn blmove_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let src = a.req()?;
    let dst = a.req()?;
    let from = End::parse(a.req()?)?;
    let to = End::parse(a.req()?)?;
    let deadline = cx.parse_timeout_secs(a.req()?)?;
    blocking_move(cx, src, dst, from, to, deadline)
}

fn brpoplpush_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let src = a.req()?;
    let dst = a.req()?;
    let deadline = cx.parse_timeout_secs(a.req()?)?;
    blocking_move(cx, src, dst, End::Right, End::Left, deadline)
}

// ---------------------------------------------------------------------------
// Typed API.

impl Engine {
    /// `LPUSH key elems...` in db `db`: the new length.
    pub fn lpush(&mut self, db: usize, key: &[u8], elems: &[&[u8]]) -> Result<i64> {
        self.typed_line(|| cmd_line(&[b"LPUSH", key], elems.iter().copied()));
        self.with_ctx(db, |cx| push(cx, key, elems, End::Left, false))
    }

    /// `RPUSH key elems...`: the new length.
    pub fn rpush(&mut self, db: usize, key: &[u8], elems: &[&[u8]]) -> Result<i64> {
        self.typed_line(|| cmd_line(&[b"RPUSH", key], elems.iter().copied()));
        self.with_ctx(db, |cx| push(cx, key, elems, End::Right, false))
    }

    /// `LPUSHX key elems...`: the new length, 0 when the key is missing.
    pub fn lpushx(&mut self, db: usize, key: &[u8], elems: &[&[u8]]) -> Result<i64> {
        self.with_ctx(db, |cx| push(cx, key, elems, End::Left, true))
    }

    /// `RPUSHX key elems...`: the new length, 0 when the key is missing.
    pub fn rpushx(&mut self, db: usize, key: &[u8], elems: &[&[u8]]) -> Result<i64> {
        self.with_ctx(db, |cx| push(cx, key, elems, End::Right, true))
    }

    /// `LPOP key`.
    pub fn lpop(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.typed_line(|| cmd_line(&[b"LPOP", key], []));
        self.with_ctx(db, |cx| Ok(pop(cx, key, End::Left, None)?.and_then(|mut v| v.pop())))
    }

    /// `RPOP key`.
    pub fn rpop(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.typed_line(|| cmd_line(&[b"RPOP", key], []));
        self.with_ctx(db, |cx| Ok(pop(cx, key, End::Right, None)?.and_then(|mut v| v.pop())))
    }

    /// `LPOP key count`: `None` when the key is missing.
    pub fn lpop_count(&mut self, db: usize, key: &[u8], count: usize) -> Result<Option<Vec<Vec<u8>>>> {
        self.with_ctx(db, |cx| pop(cx, key, End::Left, Some(count)))
    }

    /// `RPOP key count`: `None` when the key is missing.
    pub fn rpop_count(&mut self, db: usize, key: &[u8], count: usize) -> Result<Option<Vec<Vec<u8>>>> {
        self.with_ctx(db, |cx| pop(cx, key, End::Right, Some(count)))
    }

    /// `LLEN key`.
    pub fn llen(&mut self, db: usize, key: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| llen(cx, key))
    }

    /// `LRANGE key start end`.
    pub fn lrange(&mut self, db: usize, key: &[u8], start: i64, end: i64) -> Result<Vec<Vec<u8>>> {
        self.with_ctx(db, |cx| lrange(cx, key, start, end))
    }

    /// `LINDEX key index`.
    pub fn lindex(&mut self, db: usize, key: &[u8], index: i64) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| lindex(cx, key, index))
    }

    /// `LSET key index value`.
    pub fn lset(&mut self, db: usize, key: &[u8], index: i64, value: &[u8]) -> Result<()> {
        self.with_ctx(db, |cx| lset(cx, key, index, value))
    }

    /// `LINSERT key BEFORE|AFTER pivot value`: new length, -1 without the
    /// pivot, 0 without the key.
    pub fn linsert(&mut self, db: usize, key: &[u8], after: bool, pivot: &[u8], value: &[u8]) -> Result<i64> {
        self.with_ctx(db, |cx| linsert(cx, key, after, pivot, value))
    }

    /// `LREM key count value`: how many were removed.
    pub fn lrem(&mut self, db: usize, key: &[u8], count: i64, value: &[u8]) -> Result<i64> {
        self.with_ctx(db, |cx| lrem(cx, key, count, value))
    }

    /// `LTRIM key start end`.
    pub fn ltrim(&mut self, db: usize, key: &[u8], start: i64, end: i64) -> Result<()> {
        self.with_ctx(db, |cx| ltrim(cx, key, start, end))
    }

    /// `LPOS key elem [RANK r] [COUNT c] [MAXLEN m]`; a zero `opts.rank` is
    /// Redis's RANK error.
    pub fn lpos(&mut self, db: usize, key: &[u8], elem: &[u8], opts: LposOptions) -> Result<Vec<i64>> {
        if opts.rank == 0 {
            return Err(rank_zero());
        }
        self.with_ctx(db, |cx| lpos(cx, key, elem, opts))
    }

    /// `LMOVE src dst from to`.
    pub fn lmove(&mut self, db: usize, src: &[u8], dst: &[u8], from: End, to: End) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| lmove(cx, src, dst, from, to))
    }

    /// `RPOPLPUSH src dst`.
    pub fn rpoplpush(&mut self, db: usize, src: &[u8], dst: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| lmove(cx, src, dst, End::Right, End::Left))
    }

    /// `LMPOP numkeys keys... end COUNT count` (`count` >= 1).
    pub fn lmpop(&mut self, db: usize, keys: &[&[u8]], end: End, count: usize) -> Result<Option<KeyElements>> {
        self.with_ctx(db, |cx| lmpop(cx, keys, end, count.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_normalization_never_overflows() {
        assert_eq!(normalize_range(i64::MIN, i64::MAX, 3), Some((0, 2)));
        assert_eq!(normalize_range(i64::MAX, i64::MIN, 3), None);
        assert_eq!(normalize_range(i64::MIN, i64::MIN, 3), None);
        assert_eq!(normalize_range(i64::MAX, i64::MAX, 3), None);
        assert_eq!(normalize_range(-100, -3, 3), Some((0, 0)));
        assert_eq!(normalize_range(-1, -2, 3), None);
        assert_eq!(normalize_range(0, 0, 0), None);
        assert_eq!(normalize_index(i64::MIN, 3), None);
        assert_eq!(normalize_index(i64::MAX, 3), None);
        assert_eq!(normalize_index(-3, 3), Some(0));
    }
}
