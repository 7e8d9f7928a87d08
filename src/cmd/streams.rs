//! Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XTRIM XREAD XREADGROUP
//! XGROUP XACK XPENDING XCLAIM XAUTOCLAIM XINFO XSETID, with Redis 7.0.15's
//! replies, errors and error precedence.
//!
//! Handlers parse in Redis's order (several commands look the key up before
//! parsing the rest, which decides which error wins) and call the typed
//! operations below them, which back the typed [`Engine`] API too.
//!
//! Readiness: only what Redis signals wakes blocked readers: XADD and key
//! creation ([`Ctx::touched`]), XGROUP DESTROY (ready only: Redis does not
//! signal it as modified, so WATCH does not see it); XDEL and XTRIM only mark the
//! key modified ([`Ctx::modified`]). Serving a stream waiter is not
//! idempotent (XREAD answers as soon as the stream's last id passes the one
//! it waits after, even when those entries were deleted since), so waking it
//! on other writes would answer it early.
//!
//! Blocking XREAD/XREADGROUP: when nothing can be served and BLOCK was
//! given, the command blocks on its keys; XREAD's `$` ids are rewritten to
//! the stream's last id so the re-run waits after that id, as Redis
//! remembers it. When a key becomes ready the engine re-runs the command
//! with [`Engine::serving_key`] set and the handler serves that key only,
//! Redis's `serveClientsBlockedOnStreamKey`: XREAD is answered when the
//! stream's last id is above its id, XREADGROUP when it is above the group's
//! last delivered id, with at most COUNT (default 1000) entries. A blocked
//! XREADGROUP whose group is gone gets `-NOGROUP`, and one whose stream was
//! deleted or replaced by another type gets `-UNBLOCKED` (it blocks with
//! `wake_on_delete`). A timed-out reader gets the null array.
//!
//! Known differences: other families' writes to a stream key (EXPIRE, ...)
//! re-run its waiters, which are then answered only if Redis's serving
//! condition holds; a stream key removed by expiry does not yet answer its
//! blocked XREADGROUP readers (the keyspace does not signal expiries).

use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::persist::cmd_line;
use crate::reply::{Protocol, Reply};
use crate::types::stream::{Group, ReadEntry, Stream, StreamId, Trim, TrimStrategy, STREAM_LISTPACK_MAX_SIZE};
use crate::types::Value;

// One row per command keeps the table readable; the fields are positional.
#[allow(clippy::too_many_arguments)]
const fn stream_cmd(name: &'static str, arity: i32, flags: u32, acl: &'static str, keys: (i32, i32, i32), summary: &'static str, since: &'static str, handler: crate::cmd::Handler) -> Command {
    Command { name, arity, flags, acl, first_key: keys.0, last_key: keys.1, step: keys.2, group: "stream", summary, since, handler, subcommands: &[] }
}

/// The stream family's command table (arity, flags, keys and ACL categories
/// as Redis 7.0's `COMMAND INFO` reports them).
pub const COMMANDS: &[Command] = &[
    stream_cmd("xadd", -5, WRITE | DENYOOM | FAST, "@write @stream @fast", (1, 1, 1), "Appends a new entry to a stream", "5.0.0", xadd_cmd),
    stream_cmd("xrange", -4, READONLY, "@read @stream @slow", (1, 1, 1), "Return a range of elements in a stream, with IDs matching the specified IDs interval", "5.0.0", xrange_cmd),
    stream_cmd("xrevrange", -4, READONLY, "@read @stream @slow", (1, 1, 1), "Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE", "5.0.0", xrevrange_cmd),
    stream_cmd("xlen", 2, READONLY | FAST, "@read @stream @fast", (1, 1, 1), "Return the number of entries in a stream", "5.0.0", xlen_cmd),
    stream_cmd("xdel", -3, WRITE | FAST, "@write @stream @fast", (1, 1, 1), "Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.", "5.0.0", xdel_cmd),
    stream_cmd("xtrim", -4, WRITE, "@write @stream @slow", (1, 1, 1), "Trims the stream to (approximately if '~' is passed) a certain size", "5.0.0", xtrim_cmd),
    stream_cmd("xread", -4, READONLY | BLOCKING | MOVABLE_KEYS, "@read @stream @slow @blocking", (0, 0, 0), "Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.", "5.0.0", xread_cmd),
    stream_cmd("xreadgroup", -7, WRITE | BLOCKING | MOVABLE_KEYS, "@write @stream @slow @blocking", (0, 0, 0), "Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.", "5.0.0", xreadgroup_cmd),
    Command {
        name: "xgroup",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "stream",
        summary: "A container for consumer groups commands",
        since: "5.0.0",
        subcommands: XGROUP_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    stream_cmd("xack", -4, WRITE | FAST, "@write @stream @fast", (1, 1, 1), "Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.", "5.0.0", xack_cmd),
    stream_cmd("xpending", -3, READONLY, "@read @stream @slow", (1, 1, 1), "Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.", "5.0.0", xpending_cmd),
    stream_cmd("xclaim", -6, WRITE | FAST, "@write @stream @fast", (1, 1, 1), "Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.", "5.0.0", xclaim_cmd),
    stream_cmd("xautoclaim", -6, WRITE | FAST, "@write @stream @fast", (1, 1, 1), "Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.", "6.2.0", xautoclaim_cmd),
    Command {
        name: "xinfo",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "stream",
        summary: "A container for stream introspection commands",
        since: "5.0.0",
        subcommands: XINFO_SUBCOMMANDS,
        ..Command::DEFAULT
    },
    stream_cmd("xsetid", -3, WRITE | DENYOOM | FAST, "@write @stream @fast", (1, 1, 1), "An internal command for replicating stream values", "5.0.0", xsetid_cmd),
];

/// XGROUP's subcommands, in the order Redis 7.0 lists them.
const XGROUP_SUBCOMMANDS: &[Command] = &[
    stream_cmd("delconsumer", 5, WRITE, "@write @stream @slow", (2, 2, 1), "Delete a consumer from a consumer group.", "5.0.0", xgroup_cmd),
    stream_cmd("createconsumer", 5, WRITE | DENYOOM, "@write @stream @slow", (2, 2, 1), "Create a consumer in a consumer group.", "6.2.0", xgroup_cmd),
    stream_cmd("create", -5, WRITE | DENYOOM, "@write @stream @slow", (2, 2, 1), "Create a consumer group.", "5.0.0", xgroup_cmd),
    stream_cmd("destroy", 4, WRITE, "@write @stream @slow", (2, 2, 1), "Destroy a consumer group.", "5.0.0", xgroup_cmd),
    stream_cmd("help", 2, LOADING | STALE, "@stream @slow", (0, 0, 0), "Show helpful text about the different subcommands", "5.0.0", xgroup_cmd),
    stream_cmd("setid", -5, WRITE, "@write @stream @slow", (2, 2, 1), "Set a consumer group to an arbitrary last delivered ID value.", "5.0.0", xgroup_cmd),
];

/// XINFO's subcommands, in the order Redis 7.0 lists them.
const XINFO_SUBCOMMANDS: &[Command] = &[
    stream_cmd("groups", 3, READONLY, "@read @stream @slow", (2, 2, 1), "List the consumer groups of a stream", "5.0.0", xinfo_cmd),
    stream_cmd("stream", -3, READONLY, "@read @stream @slow", (2, 2, 1), "Get information about a stream", "5.0.0", xinfo_cmd),
    stream_cmd("help", 2, LOADING | STALE, "@stream @slow", (0, 0, 0), "Show helpful text about the different subcommands", "5.0.0", xinfo_cmd),
    stream_cmd("consumers", 4, READONLY, "@read @stream @slow", (2, 2, 1), "List the consumers in a consumer group", "5.0.0", xinfo_cmd),
];

// ---------------------------------------------------------------------------
// Parsing helpers.

/// The C string Redis sees: `argv` up to its first NUL (Redis compares
/// keywords with `strcasecmp` and formats names with `%s`).
fn cstr(a: &[u8]) -> &[u8] {
    match a.iter().position(|&b| b == 0) {
        Some(p) => &a[..p],
        None => a,
    }
}

/// `strcasecmp(arg, kw) == 0`.
fn ckw(a: &[u8], kw: &str) -> bool {
    cstr(a).eq_ignore_ascii_case(kw.as_bytes())
}

fn invalid_id() -> Error {
    Error::err("Invalid stream ID specified as stream command argument")
}

/// Redis's `string2ull`: `string2ll` (non-negative) or else `strtoull`
/// (leading spaces, a sign, leading zeros; `-n` wraps around).
fn string2ull(s: &[u8]) -> Option<u64> {
    if let Some(v) = num::parse_i64(s) {
        return u64::try_from(v).ok();
    }
    let mut i = s.iter().take_while(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')).count();
    let neg = match s.get(i) {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };
    let digits = &s[i..];
    if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let mut v: u64 = 0;
    for &c in digits {
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Redis's `streamGenericParseIDOrReply`. `strict` rejects `-` and `+`;
/// `star_seq` accepts `<ms>-*`. Returns the id and whether its sequence was
/// given (false only for `<ms>-*`).
fn parse_id_full(arg: &[u8], missing_seq: u64, strict: bool, star_seq: bool) -> Result<(StreamId, bool)> {
    if arg.len() > 127 {
        return Err(invalid_id());
    }
    let buf = cstr(arg);
    if strict && (buf == b"-" || buf == b"+") {
        return Err(invalid_id());
    }
    if buf == b"-" {
        return Ok((StreamId::MIN, true));
    }
    if buf == b"+" {
        return Ok((StreamId::MAX, true));
    }
    let (ms_part, seq_part) = match buf.iter().position(|&c| c == b'-') {
        Some(p) => (&buf[..p], Some(&buf[p + 1..])),
        None => (buf, None),
    };
    let ms = string2ull(ms_part).ok_or_else(invalid_id)?;
    match seq_part {
        Some(b"*") if star_seq => Ok((StreamId::new(ms, 0), false)),
        Some(s) => Ok((StreamId::new(ms, string2ull(s).ok_or_else(invalid_id)?), true)),
        None => Ok((StreamId::new(ms, missing_seq), true)),
    }
}

/// A strict id (`-` and `+` rejected), missing sequence 0.
pub fn parse_id(arg: &[u8]) -> Result<StreamId> {
    parse_id_full(arg, 0, true, false).map(|(id, _)| id)
}

/// XADD's id argument: `*`, `<ms>-*` or an explicit id, with XADD's
/// checks (typed callers pass the id as text).
pub fn parse_xadd_id(arg: &[u8]) -> Result<XaddId> {
    if arg == b"*" {
        return Ok(XaddId::Auto);
    }
    let (id, seq_given) = parse_id_full(arg, 0, true, true)?;
    Ok(if seq_given { XaddId::Explicit(id) } else { XaddId::AutoSeq(id.ms) })
}

/// An XREADGROUP id argument: `>` (new entries, `None`) or a history id,
/// with XREADGROUP's errors (typed callers pass the id as text).
pub fn parse_xreadgroup_id(arg: &[u8]) -> Result<Option<StreamId>> {
    match cstr(arg) {
        b">" => Ok(None),
        b"$" => Err(dollar_in_xreadgroup()),
        _ => parse_id(arg).map(Some),
    }
}

fn dollar_in_xreadgroup() -> Error {
    Error::err("The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.")
}

/// A range bound: `-`, `+`, `ms[-seq]` (missing sequence `missing_seq`) or,
/// exclusive, `(ms[-seq]`. Returns the id and whether it is exclusive.
fn parse_interval(arg: &[u8], missing_seq: u64) -> Result<(StreamId, bool)> {
    if arg.len() > 1 && arg[0] == b'(' {
        Ok((parse_id_full(&arg[1..], missing_seq, true, false)?.0, true))
    } else {
        Ok((parse_id_full(arg, missing_seq, false, false)?.0, false))
    }
}

/// Start bound of a range: exclusive bounds move up one id.
fn parse_start(arg: &[u8]) -> Result<StreamId> {
    let (id, ex) = parse_interval(arg, 0)?;
    if ex {
        id.incr().ok_or_else(|| Error::err("invalid start ID for the interval"))
    } else {
        Ok(id)
    }
}

/// End bound of a range: exclusive bounds move down one id.
fn parse_end(arg: &[u8]) -> Result<StreamId> {
    let (id, ex) = parse_interval(arg, u64::MAX)?;
    if ex {
        id.decr().ok_or_else(|| Error::err("invalid end ID for the interval"))
    } else {
        Ok(id)
    }
}

/// Redis's `addReplySubcommandSyntaxError`.
fn subcommand_syntax(container: &str, sub: &[u8]) -> Error {
    let sub = cstr(sub);
    let mut m = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    m.extend_from_slice(&sub[..sub.len().min(128)]);
    m.extend_from_slice(b"'. Try ");
    m.extend_from_slice(container.as_bytes());
    m.extend_from_slice(b" HELP.");
    Error::msg(m)
}

/// An error whose text is `parts` concatenated, names cut at NUL as `%s`.
fn fmt_err(parts: &[&[u8]]) -> Error {
    Error::msg(parts.concat())
}

fn nogroup(key: &[u8], group: &[u8]) -> Error {
    fmt_err(&[b"NOGROUP No such key '", cstr(key), b"' or consumer group '", cstr(group), b"'"])
}

fn nogroup_for_key(key: &[u8], group: &[u8]) -> Error {
    fmt_err(&[b"NOGROUP No such consumer group '", cstr(group), b"' for key name '", cstr(key), b"'"])
}

// ---------------------------------------------------------------------------
// Lookups and replies.

fn id_reply(id: StreamId) -> Reply {
    Reply::Bulk(id.to_bytes())
}

/// `[id, [field, value, ...]]`, or `[id, nil]` for a pending id whose entry
/// is gone.
fn entry_reply(id: StreamId, fields: Option<Vec<(Vec<u8>, Vec<u8>)>>) -> Reply {
    let body = match fields {
        Some(f) => Reply::Array(f.into_iter().flat_map(|(a, b)| [Reply::Bulk(a), Reply::Bulk(b)]).collect()),
        None => Reply::NilArray,
    };
    Reply::Array(vec![id_reply(id), body])
}

fn entries_reply(entries: Vec<ReadEntry>) -> Reply {
    Reply::Array(entries.into_iter().map(|(id, f)| entry_reply(id, f)).collect())
}

fn bulk(s: &str) -> Reply {
    Reply::Bulk(s.as_bytes().to_vec())
}

fn now_i(cx: &Ctx<'_>) -> i64 {
    i64::try_from(cx.now).unwrap_or(i64::MAX)
}

/// An entry returned by XRANGE and friends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamEntry {
    /// Its id.
    pub id: StreamId,
    /// Field-value pairs in insertion order.
    pub fields: Vec<(Vec<u8>, Vec<u8>)>,
}

// ---------------------------------------------------------------------------
// XADD / XTRIM.

/// The id XADD is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XaddId {
    /// `*`: the current time, or after the last id.
    Auto,
    /// `<ms>-*`: this millisecond, the next free sequence.
    AutoSeq(u64),
    /// An explicit id.
    Explicit(StreamId),
}

/// A trimming request as XADD/XTRIM take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrimSpec {
    /// MAXLEN or MINID.
    pub strategy: TrimStrategy,
    /// `~`.
    pub approx: bool,
    /// LIMIT; `None` uses Redis's default (100 nodes' worth with `~`).
    /// Ignored without `~`, as exact trimming has no limit.
    pub limit: Option<u64>,
}

/// XADD's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct XaddOptions {
    /// The id.
    pub id: XaddId,
    /// NOMKSTREAM: do not create a missing stream.
    pub nomkstream: bool,
    /// MAXLEN/MINID trimming after the insertion.
    pub trim: Option<TrimSpec>,
}

impl Default for XaddOptions {
    fn default() -> Self {
        XaddOptions { id: XaddId::Auto, nomkstream: false, trim: None }
    }
}

fn resolve_trim(cx: &Ctx<'_>, t: &TrimSpec) -> Trim {
    let limit = if !t.approx {
        0
    } else {
        match t.limit {
            Some(l) => l,
            None => {
                // 100 nodes' worth, capped on both sides (Redis multiplies
                // a long long and clamps the result).
                let l = cx.config().stream_node_max_entries.wrapping_mul(100);
                if l <= 0 {
                    10000
                } else {
                    l.min(1_000_000) as u64
                }
            }
        }
    };
    Trim { strategy: t.strategy, approx: t.approx, limit }
}

/// What `streamParseAddOrTrimArgsOrReply` parses.
struct AddTrimArgs {
    id: XaddId,
    nomkstream: bool,
    trim: Option<TrimSpec>,
    /// Position of the id (XADD), or past the end.
    idpos: usize,
}

fn parse_add_trim(argv: &[&[u8]], xadd: bool) -> Result<AddTrimArgs> {
    let mut out = AddTrimArgs { id: XaddId::Auto, nomkstream: false, trim: None, idpos: argv.len() };
    let mut limit: Option<i64> = None;
    let mut approx = false;
    let mut strategy: Option<TrimStrategy> = None;
    let mut i = 2;
    while i < argv.len() {
        let moreargs = argv.len() - 1 - i;
        let opt = argv[i];
        if xadd && opt == b"*" {
            break;
        } else if (ckw(opt, "maxlen") || ckw(opt, "minid")) && moreargs > 0 {
            if strategy.is_some() {
                return Err(Error::err("syntax error, MAXLEN and MINID options at the same time are not compatible"));
            }
            approx = false;
            let next = cstr(argv[i + 1]);
            if moreargs >= 2 && next == b"~" {
                approx = true;
                i += 1;
            } else if moreargs >= 2 && next == b"=" {
                i += 1;
            }
            let arg = argv[i + 1];
            if ckw(opt, "maxlen") {
                let n = num::parse_i64(arg).ok_or(Error::NotInteger)?;
                if n < 0 {
                    return Err(Error::err("The MAXLEN argument must be >= 0."));
                }
                strategy = Some(TrimStrategy::MaxLen(n as u64));
            } else {
                strategy = Some(TrimStrategy::MinId(parse_id(arg)?));
            }
            i += 1;
        } else if ckw(opt, "limit") && moreargs > 0 {
            let n = num::parse_i64(argv[i + 1]).ok_or(Error::NotInteger)?;
            if n < 0 {
                return Err(Error::err("The LIMIT argument must be >= 0."));
            }
            limit = Some(n);
            i += 1;
        } else if xadd && ckw(opt, "nomkstream") {
            out.nomkstream = true;
        } else if xadd {
            out.id = parse_xadd_id(opt)?;
            break;
        } else {
            return Err(Error::Syntax);
        }
        i += 1;
    }
    out.idpos = i;
    if limit.is_some_and(|l| l != 0) && strategy.is_none() {
        return Err(Error::err("syntax error, LIMIT cannot be used without specifying a trimming strategy"));
    }
    if !xadd && strategy.is_none() {
        return Err(Error::err("syntax error, XTRIM must be called with a trimming strategy"));
    }
    if limit.is_some() && !approx {
        return Err(Error::err("syntax error, LIMIT cannot be used without the special ~ option"));
    }
    out.trim = strategy.map(|s| TrimSpec { strategy: s, approx, limit: limit.map(|l| l as u64) });
    Ok(out)
}

fn xadd_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let p = parse_add_trim(argv, true)?;
    let field_pos = p.idpos + 1;
    let nfv = argv.len().saturating_sub(field_pos);
    if field_pos > argv.len() || nfv < 2 || nfv % 2 == 1 {
        return Err(Error::WrongArity("xadd".into()));
    }
    let opts = XaddOptions { id: p.id, nomkstream: p.nomkstream, trim: p.trim };
    Ok(match xadd(cx, argv[1], &opts, &argv[field_pos..])? {
        Some(id) => id_reply(id),
        None => Reply::Nil,
    })
}

/// XADD: appends the entry `fv` (field, value, ...; an even, nonzero
/// count) and trims. Returns the new id, `None` with NOMKSTREAM on a
/// missing key.
pub fn xadd(cx: &mut Ctx<'_>, key: &[u8], opts: &XaddOptions, fv: &[&[u8]]) -> Result<Option<StreamId>> {
    if fv.is_empty() || fv.len() % 2 == 1 {
        return Err(Error::WrongArity("xadd".into()));
    }
    if opts.id == XaddId::Explicit(StreamId::MIN) {
        return Err(Error::err("The ID specified in XADD must be greater than 0-0"));
    }
    let now = cx.now;
    let max_bytes = cx.config().stream_node_max_bytes;
    let max_entries = cx.config().stream_node_max_entries;
    let trim = opts.trim.map(|t| resolve_trim(cx, &t));
    if cx.write_as(key, Value::as_stream_mut)?.is_none() {
        if opts.nomkstream {
            return Ok(None);
        }
        // Redis creates the stream before appending: a failed append
        // leaves it empty.
        cx.db().insert_new(key.into(), Value::Stream(Box::default()), None, now);
        cx.touched(key);
    }
    let Some(s) = cx.write_as(key, Value::as_stream_mut)? else { return Ok(None) };
    let last = s.entries.last_id();
    if last == StreamId::MAX {
        return Err(Error::err("The stream has exhausted the last possible ID, unable to add more items"));
    }
    let too_large = || Error::err("Elements are too large to be stored");
    let id = match opts.id {
        XaddId::Explicit(id) => id,
        XaddId::AutoSeq(ms) => {
            if last.ms == ms {
                // Redis fails here without setting errno, so the reply is
                // its "too large" fallback.
                if last.seq == u64::MAX {
                    return Err(too_large());
                }
                StreamId::new(ms, last.seq + 1)
            } else {
                StreamId::new(ms, 0)
            }
        }
        XaddId::Auto => {
            if now > last.ms {
                StreamId::new(now, 0)
            } else {
                last.incr().unwrap_or(StreamId::MIN)
            }
        }
    };
    if id <= last {
        return Err(Error::err("The ID specified in XADD is equal or smaller than the target stream top item"));
    }
    let raw: u64 = fv.iter().map(|e| e.len() as u64).sum();
    if raw > STREAM_LISTPACK_MAX_SIZE {
        return Err(too_large());
    }
    s.entries.append(id, fv, max_bytes, max_entries);
    let trimmed = trim.map_or(0, |t| s.entries.trim(&t));
    // XADD replies with the id before notifying xadd (and xtrim).
    cx.reply_point();
    cx.notify(notify::STREAM, "xadd", key);
    cx.dirty(1);
    if trimmed > 0 {
        cx.notify(notify::STREAM, "xtrim", key);
    }
    cx.touched(key);
    Ok(Some(id))
}

fn xtrim_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let p = parse_add_trim(argv, false)?;
    let Some(t) = p.trim else { return Err(Error::Syntax) };
    Ok(Reply::Int(xtrim(cx, argv[1], &t)? as i64))
}

/// XTRIM: removes entries as `t` says; returns how many.
pub fn xtrim(cx: &mut Ctx<'_>, key: &[u8], t: &TrimSpec) -> Result<u64> {
    let trim = resolve_trim(cx, t);
    let Some(s) = cx.write_as(key, Value::as_stream_mut)? else { return Ok(0) };
    let n = s.entries.trim(&trim);
    if n > 0 {
        cx.notify(notify::STREAM, "xtrim", key);
        cx.modified(key);
        cx.dirty(n);
    }
    Ok(n)
}

// ---------------------------------------------------------------------------
// XLEN XRANGE XREVRANGE XDEL.

fn xlen_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(xlen(cx, key)? as i64))
}

/// XLEN: live entries, 0 for a missing key.
pub fn xlen(cx: &mut Ctx<'_>, key: &[u8]) -> Result<u64> {
    Ok(cx.read_as(key, Value::as_stream_mut)?.map_or(0, |s| s.entries.len()))
}

fn xrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    xrange_generic(cx, a, false)
}

fn xrevrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    xrange_generic(cx, a, true)
}

fn xrange_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, rev: bool) -> Result<Reply> {
    let argv = a.argv();
    let (start_arg, end_arg) = if rev { (argv[3], argv[2]) } else { (argv[2], argv[3]) };
    let start = parse_start(start_arg)?;
    let end = parse_end(end_arg)?;
    let mut count: Option<u64> = None;
    let mut j = 4;
    while j < argv.len() {
        if ckw(argv[j], "COUNT") && j + 1 < argv.len() {
            let n = num::parse_i64(argv[j + 1]).ok_or(Error::NotInteger)?;
            count = Some(n.max(0) as u64);
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok(match xrange(cx, argv[1], start, end, rev, count)? {
        None => Reply::NilArray,
        Some(v) => Reply::Array(v.into_iter().map(|e| entry_reply(e.id, Some(e.fields))).collect()),
    })
}

/// XRANGE (or, `rev`, XREVRANGE) over `start..=end`, at most `count`
/// entries. `Some(empty)` for a missing key; `None` (the null reply) for
/// COUNT 0 on an existing key.
pub fn xrange(cx: &mut Ctx<'_>, key: &[u8], start: StreamId, end: StreamId, rev: bool, count: Option<u64>) -> Result<Option<Vec<StreamEntry>>> {
    let Some(s) = cx.read_as(key, Value::as_stream_mut)? else { return Ok(Some(Vec::new())) };
    if count == Some(0) {
        return Ok(None);
    }
    let n = count.map_or(usize::MAX, |c| usize::try_from(c).unwrap_or(usize::MAX));
    Ok(Some(s.entries.range(start, end, rev).take(n).map(|e| StreamEntry { id: e.id, fields: e.to_pairs() }).collect()))
}

fn xdel_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    // Redis looks the key up before it parses the ids.
    if cx.write_as(argv[1], Value::as_stream_mut)?.is_none() {
        return Ok(Reply::Int(0));
    }
    let ids = argv[2..].iter().map(|i| parse_id(i)).collect::<Result<Vec<_>>>()?;
    Ok(Reply::Int(xdel(cx, argv[1], &ids)? as i64))
}

/// XDEL: deletes the given ids; returns how many existed.
pub fn xdel(cx: &mut Ctx<'_>, key: &[u8], ids: &[StreamId]) -> Result<u64> {
    let Some(s) = cx.write_as(key, Value::as_stream_mut)? else { return Ok(0) };
    let n = s.entries.xdel(ids);
    if n > 0 {
        cx.modified(key);
        cx.notify(notify::STREAM, "xdel", key);
        cx.dirty(n);
    }
    Ok(n)
}

// ---------------------------------------------------------------------------
// XREAD / XREADGROUP.

/// XREAD/XREADGROUP options.
struct ReadArgs<'a> {
    block_ms: Option<i64>,
    count: u64,
    noack: bool,
    group: Option<(&'a [u8], &'a [u8])>,
    keys: &'a [&'a [u8]],
    ids: &'a [&'a [u8]],
    streams_arg: usize,
}

/// `from_script`: the script client runs it, where BLOCK is refused as
/// Redis does (before its value is read).
fn parse_read_args<'a>(argv: &'a [&'a [u8]], xreadgroup: bool, from_script: bool) -> Result<ReadArgs<'a>> {
    let mut r = ReadArgs { block_ms: None, count: 0, noack: false, group: None, keys: &[], ids: &[], streams_arg: 0 };
    let mut i = 1;
    while i < argv.len() {
        let moreargs = argv.len() - i - 1;
        let o = argv[i];
        if ckw(o, "BLOCK") && moreargs > 0 {
            if from_script {
                let mut m = b"ERR ".to_vec();
                m.extend_from_slice(argv[0]);
                m.extend_from_slice(b" command is not allowed with BLOCK option from scripts");
                return Err(Error::msg(m));
            }
            i += 1;
            let ms = num::parse_i64(argv[i]).ok_or_else(|| Error::err("timeout is not an integer or out of range"))?;
            if ms < 0 {
                return Err(Error::TimeoutNegative);
            }
            r.block_ms = Some(ms);
        } else if ckw(o, "COUNT") && moreargs > 0 {
            i += 1;
            r.count = num::parse_i64(argv[i]).ok_or(Error::NotInteger)?.max(0) as u64;
        } else if ckw(o, "STREAMS") && moreargs > 0 {
            r.streams_arg = i + 1;
            let n = argv.len() - r.streams_arg;
            if !n.is_multiple_of(2) {
                return Err(Error::err("Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified."));
            }
            r.keys = &argv[r.streams_arg..r.streams_arg + n / 2];
            r.ids = &argv[r.streams_arg + n / 2..];
            break;
        } else if ckw(o, "GROUP") && moreargs >= 2 {
            if !xreadgroup {
                return Err(Error::err("The GROUP option is only supported by XREADGROUP. You called XREAD instead."));
            }
            r.group = Some((argv[i + 1], argv[i + 2]));
            i += 2;
        } else if ckw(o, "NOACK") {
            if !xreadgroup {
                return Err(Error::err("The NOACK option is only supported by XREADGROUP. You called XREAD instead."));
            }
            r.noack = true;
        } else {
            return Err(Error::Syntax);
        }
        i += 1;
    }
    if r.streams_arg == 0 {
        return Err(Error::Syntax);
    }
    if xreadgroup && r.group.is_none() {
        return Err(Error::err("Missing GROUP option for XREADGROUP"));
    }
    Ok(r)
}

/// What XREAD/XREADGROUP return: for each served stream, its key and
/// entries.
pub type ReadReply = Vec<(Vec<u8>, Vec<ReadEntry>)>;

fn read_reply(cx: &mut Ctx<'_>, r: ReadReply) -> Reply {
    let resp3 = cx.eng.protocol(cx.client) == Protocol::Resp3;
    let mut pairs = Vec::with_capacity(r.len());
    for (j, (k, e)) in r.into_iter().enumerate() {
        pairs.push((Reply::Bulk(k), cx.inside(j, entries_reply(e))));
    }
    if resp3 {
        Reply::Map(pairs)
    } else {
        Reply::Array(pairs.into_iter().map(|(k, e)| Reply::Array(vec![k, e])).collect())
    }
}

fn xread_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    xread_generic(cx, a, false)
}

fn xreadgroup_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    xread_generic(cx, a, true)
}

/// Stays blocked: a re-run that cannot serve its key.
fn stay_blocked(cx: &mut Ctx<'_>) -> Result<Reply> {
    cx.block_on(Vec::new(), None, Reply::NilArray);
    Ok(Reply::NilArray)
}

fn xread_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, xreadgroup: bool) -> Result<Reply> {
    let argv = a.argv();
    let ra = parse_read_args(argv, xreadgroup, cx.eng.in_script(cx.client))?;
    if cx.reexec {
        return serve_blocked(cx, &ra);
    }
    // Resolve the ids, checking each key (type, group) in order.
    let mut ids = Vec::with_capacity(ra.keys.len());
    let mut dollar = false;
    for (key, idarg) in ra.keys.iter().zip(ra.ids.iter()) {
        let (exists, has_group, last) = match cx.read_as(key, Value::as_stream_mut)? {
            None => (false, false, StreamId::MIN),
            Some(s) => (true, ra.group.is_some_and(|(g, _)| s.groups.contains_key(g)), s.entries.last_id()),
        };
        if let Some((g, _)) = ra.group {
            if !exists || !has_group {
                return Err(fmt_err(&[b"NOGROUP No such key '", cstr(key), b"' or consumer group '", cstr(g), b"' in XREADGROUP with GROUP option"]));
            }
        }
        let c = cstr(idarg);
        let id = if c == b"$" {
            if xreadgroup {
                return Err(dollar_in_xreadgroup());
            }
            dollar = true;
            last
        } else if c == b">" {
            if !xreadgroup {
                return Err(Error::err("The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option."));
            }
            StreamId::MAX
        } else {
            parse_id(idarg)?
        };
        ids.push(id);
    }
    let count = usize::try_from(ra.count).unwrap_or(usize::MAX);
    let served = xread_streams(cx, ra.group, ra.keys, &ids, count, ra.noack)?;
    if !served.is_empty() {
        return Ok(read_reply(cx, served));
    }
    let Some(ms) = ra.block_ms else { return Ok(Reply::NilArray) };
    if !cx.may_block() {
        return Ok(Reply::NilArray);
    }
    let deadline = if ms == 0 {
        None
    } else {
        // As for list timeouts: a sum past i64::MAX waits forever.
        let at = (cx.now as i64).wrapping_add(ms);
        (at >= 0).then_some(at as u64)
    };
    // Remember what `$` meant now, as Redis keeps the resolved ids.
    let rewritten = dollar.then(|| {
        let mut v: Vec<Vec<u8>> = argv.iter().map(|x| x.to_vec()).collect();
        let first_id = ra.streams_arg + ra.keys.len();
        for (j, id) in ids.iter().enumerate() {
            if cstr(ra.ids[j]) == b"$" {
                v[first_id + j] = id.to_bytes();
            }
        }
        v
    });
    let keys = ra.keys.iter().map(|k| Box::<[u8]>::from(*k)).collect();
    cx.block_on_with(keys, deadline, Reply::NilArray, rewritten, xreadgroup);
    Ok(Reply::NilArray)
}

/// The synchronous part of XREAD/XREADGROUP: serves every stream that has
/// something after its id (`StreamId::MAX` is XREADGROUP's `>`). Keys were
/// checked (type, group) by the caller; each is looked up again as Redis
/// does. `count` 0 means all.
pub fn xread_streams(cx: &mut Ctx<'_>, group: Option<(&[u8], &[u8])>, keys: &[&[u8]], ids: &[StreamId], count: usize, noack: bool) -> Result<ReadReply> {
    let now = now_i(cx);
    let mut out = Vec::new();
    for (key, &gt) in keys.iter().zip(ids.iter()) {
        let Ok(Some(s)) = cx.read_as(key, Value::as_stream_mut) else { continue };
        let (entries, created) = match group {
            None => {
                let Some(maxid) = s.entries.last_live_id() else { continue };
                if maxid <= gt {
                    continue;
                }
                let start = gt.incr().unwrap_or(StreamId::MIN);
                let n = if count == 0 { usize::MAX } else { count };
                let v: Vec<ReadEntry> = s.entries.range(start, StreamId::MAX, false).take(n).map(|e| (e.id, Some(e.to_pairs()))).collect();
                (v, false)
            }
            Some((gname, cname)) => {
                let Some(g) = s.groups.get_mut(gname) else { continue };
                let history = gt != StreamId::MAX;
                let mut from = gt;
                if !history {
                    let Some(maxid) = s.entries.last_live_id() else { continue };
                    if maxid <= g.last_id {
                        continue;
                    }
                    from = g.last_id;
                }
                let created = !g.touch_consumer(cname, now) && g.create_consumer(cname, now);
                let start = from.incr().unwrap_or(StreamId::MIN);
                let v = if history { g.history(&s.entries, start, count, cname, now) } else { g.deliver(&s.entries, start, count, cname, noack, now) };
                (v, created)
            }
        };
        if created {
            cx.dirty(1);
            // Redis creates the consumer after writing the stream's name:
            // the reply places the event there (slot = the stream's index).
            let mark = cx.own_outbox_mark();
            cx.notify(notify::STREAM, "xgroup-createconsumer", key);
            cx.reply_inside(mark, out.len());
        }
        if group.is_some() {
            cx.dirty(1);
        }
        out.push((key.to_vec(), entries));
    }
    Ok(out)
}

/// A blocked XREAD/XREADGROUP re-run because its key `serving_key` became
/// ready (Redis's `serveClientsBlockedOnStreamKey`).
fn serve_blocked(cx: &mut Ctx<'_>, ra: &ReadArgs<'_>) -> Result<Reply> {
    let Some(key) = cx.eng.serving_key(cx.db).map(|k| k.to_vec()) else { return stay_blocked(cx) };
    // A key named twice waits after its first id.
    let Some(j) = ra.keys.iter().position(|k| *k == &key[..]) else { return stay_blocked(cx) };
    let gt = if cstr(ra.ids[j]) == b">" {
        StreamId::MAX
    } else {
        match parse_id(ra.ids[j]) {
            Ok(id) => id,
            Err(_) => return stay_blocked(cx),
        }
    };
    let count = if ra.count > 0 { usize::try_from(ra.count).unwrap_or(usize::MAX) } else { 1000 };
    let now = now_i(cx);
    let Some(s) = cx.peek_as(&key, Value::as_stream_mut) else {
        // Deleted, or replaced by another type.
        return if ra.group.is_some() { Err(Error::msg("UNBLOCKED the stream key no longer exists")) } else { stay_blocked(cx) };
    };
    let (entries, created) = match ra.group {
        None => {
            if s.entries.last_id() <= gt {
                return stay_blocked(cx);
            }
            let start = gt.incr().unwrap_or(StreamId::MIN);
            let v: Vec<ReadEntry> = s.entries.range(start, StreamId::MAX, false).take(count).map(|e| (e.id, Some(e.to_pairs()))).collect();
            (v, false)
        }
        Some((gname, cname)) => {
            let Some(g) = s.groups.get_mut(gname) else {
                return Err(Error::msg("NOGROUP the consumer group this client was blocked on no longer exists"));
            };
            if s.entries.last_id() <= g.last_id {
                return stay_blocked(cx);
            }
            let created = !g.touch_consumer(cname, now) && g.create_consumer(cname, now);
            let start = g.last_id.incr().unwrap_or(StreamId::MIN);
            (g.deliver(&s.entries, start, count, cname, ra.noack, now), created)
        }
    };
    if created {
        cx.dirty(1);
        cx.notify(notify::STREAM, "xgroup-createconsumer", &key);
    }
    Ok(read_reply(cx, vec![(key, entries)]))
}

// ---------------------------------------------------------------------------
// XGROUP.

const XGROUP_HELP: &[&str] = &[
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
];

/// Where XGROUP CREATE/SETID put the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupStart {
    /// `$`: the stream's last id.
    Last,
    /// An id.
    Id(StreamId),
}

fn requires_key() -> Error {
    Error::err("The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.")
}

fn xgroup_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let argc = argv.len();
    let opt = argv[1];
    if argc == 2 && ckw(opt, "HELP") {
        return Ok(crate::cmd::keys::help_reply(b"XGROUP", XGROUP_HELP));
    }
    if argc < 4 {
        return Err(subcommand_syntax("XGROUP", opt));
    }
    let (create, setid) = (ckw(opt, "CREATE"), ckw(opt, "SETID"));
    let mut mkstream = false;
    let mut entries_read: i64 = -1;
    let mut i = 5;
    while i < argc {
        if create && ckw(argv[i], "MKSTREAM") {
            mkstream = true;
            i += 1;
        } else if (create || setid) && ckw(argv[i], "ENTRIESREAD") && i + 1 < argc {
            entries_read = num::parse_i64(argv[i + 1]).ok_or(Error::NotInteger)?;
            if entries_read < 0 && entries_read != -1 {
                return Err(Error::err("value for ENTRIESREAD must be positive or -1"));
            }
            i += 2;
        } else {
            return Err(subcommand_syntax("XGROUP", opt));
        }
    }
    let (key, group) = (argv[2], argv[3]);
    let (exists, has_group) = match cx.write_as(key, Value::as_stream_mut)? {
        Some(s) => (true, s.groups.contains_key(group)),
        None => (false, false),
    };
    if !mkstream {
        if !exists {
            return Err(requires_key());
        }
        if !has_group && (setid || ckw(opt, "CREATECONSUMER") || ckw(opt, "DELCONSUMER")) {
            return Err(nogroup_for_key(key, group));
        }
    }
    if create && (5..=8).contains(&argc) {
        let start = if cstr(argv[4]) == b"$" { GroupStart::Last } else { GroupStart::Id(parse_id(argv[4])?) };
        xgroup_create(cx, key, group, start, mkstream, entries_read)?;
        Ok(Reply::ok())
    } else if setid && (argc == 5 || argc == 7) {
        let start = if cstr(argv[4]) == b"$" { GroupStart::Last } else { GroupStart::Id(parse_id_full(argv[4], 0, false, false)?.0) };
        xgroup_setid(cx, key, group, start, entries_read)?;
        Ok(Reply::ok())
    } else if ckw(opt, "DESTROY") && argc == 4 {
        Ok(Reply::Int(xgroup_destroy(cx, key, group)? as i64))
    } else if ckw(opt, "CREATECONSUMER") && argc == 5 {
        Ok(Reply::Int(xgroup_createconsumer(cx, key, group, argv[4])? as i64))
    } else if ckw(opt, "DELCONSUMER") && argc == 5 {
        Ok(Reply::Int(xgroup_delconsumer(cx, key, group, argv[4])? as i64))
    } else {
        Err(subcommand_syntax("XGROUP", opt))
    }
}

/// The group `group` of the stream at `key` for a write, with XGROUP's
/// errors.
fn write_group<'c>(cx: &'c mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<&'c mut Group> {
    let s = cx.write_as(key, Value::as_stream_mut)?.ok_or_else(requires_key)?;
    s.groups.get_mut(group).ok_or_else(|| nogroup_for_key(key, group))
}

/// XGROUP CREATE: creates `group` starting after `start`, creating the
/// stream with `mkstream`; `entries_read` -1 leaves the read counter
/// unknown.
pub fn xgroup_create(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], start: GroupStart, mkstream: bool, entries_read: i64) -> Result<()> {
    let last = match cx.write_as(key, Value::as_stream_mut)? {
        Some(s) => Some(s.entries.last_id()),
        None if mkstream => None,
        None => return Err(requires_key()),
    };
    let id = match start {
        GroupStart::Last => last.unwrap_or(StreamId::MIN),
        GroupStart::Id(id) => id,
    };
    if last.is_none() {
        let now = cx.now;
        cx.db().insert_new(key.into(), Value::Stream(Box::default()), None, now);
        cx.touched(key);
    }
    let Some(s) = cx.write_as(key, Value::as_stream_mut)? else { return Err(requires_key()) };
    if s.groups.contains_key(group) {
        return Err(Error::msg("BUSYGROUP Consumer Group name already exists"));
    }
    s.groups.insert(group.into(), Group::new(id, entries_read));
    cx.dirty(1);
    cx.reply_point();
    cx.notify(notify::STREAM, "xgroup-create", key);
    Ok(())
}

/// XGROUP SETID: moves the group's last delivered id and read counter.
pub fn xgroup_setid(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], start: GroupStart, entries_read: i64) -> Result<()> {
    let last = cx.write_as(key, Value::as_stream_mut)?.ok_or_else(requires_key)?.entries.last_id();
    let g = write_group(cx, key, group)?;
    g.last_id = match start {
        GroupStart::Last => last,
        GroupStart::Id(id) => id,
    };
    g.entries_read = entries_read;
    cx.dirty(1);
    cx.reply_point();
    cx.notify(notify::STREAM, "xgroup-setid", key);
    Ok(())
}

/// XGROUP DESTROY: true if the group existed. Clients blocked reading it
/// are answered `-NOGROUP`.
pub fn xgroup_destroy(cx: &mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<bool> {
    let s = cx.write_as(key, Value::as_stream_mut)?.ok_or_else(requires_key)?;
    if s.groups.remove(group).is_none() {
        return Ok(false);
    }
    cx.dirty(1);
    cx.reply_point();
    cx.notify(notify::STREAM, "xgroup-destroy", key);
    // Redis only makes the key ready (serving -NOGROUP to readers): WATCH
    // does not see a destroyed group.
    let db = cx.db;
    cx.eng.mark_ready(db, key);
    Ok(true)
}

/// XGROUP CREATECONSUMER: true if the consumer was created.
pub fn xgroup_createconsumer(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8]) -> Result<bool> {
    let now = now_i(cx);
    let created = write_group(cx, key, group)?.create_consumer(consumer, now);
    if created {
        cx.dirty(1);
        cx.notify(notify::STREAM, "xgroup-createconsumer", key);
    }
    Ok(created)
}

/// XGROUP DELCONSUMER: the number of pending entries the consumer had (0
/// when there was no such consumer).
pub fn xgroup_delconsumer(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8]) -> Result<u64> {
    match write_group(cx, key, group)?.delete_consumer(consumer) {
        Some(n) => {
            cx.dirty(1);
            cx.notify(notify::STREAM, "xgroup-delconsumer", key);
            Ok(n as u64)
        }
        None => Ok(0),
    }
}

// ---------------------------------------------------------------------------
// XSETID.

fn xsetid_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let id = parse_id(argv[2])?;
    let mut entries_added: Option<u64> = None;
    let mut max_deleted: Option<StreamId> = None;
    let mut i = 3;
    while i < argv.len() {
        let moreargs = argv.len() - 1 - i;
        if ckw(argv[i], "ENTRIESADDED") && moreargs > 0 {
            let n = num::parse_i64(argv[i + 1]).ok_or(Error::NotInteger)?;
            if n < 0 {
                return Err(Error::err("entries_added must be positive"));
            }
            entries_added = Some(n as u64);
            i += 2;
        } else if ckw(argv[i], "MAXDELETEDID") && moreargs > 0 {
            let m = parse_id(argv[i + 1])?;
            if id < m {
                return Err(Error::err("The ID specified in XSETID is smaller than the provided max_deleted_entry_id"));
            }
            max_deleted = Some(m);
            i += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    xsetid(cx, argv[1], id, entries_added, max_deleted)?;
    Ok(Reply::ok())
}

/// XSETID: sets the stream's last id and, optionally, its entries-added
/// counter and maximal deleted id (a zero id leaves the latter alone).
pub fn xsetid(cx: &mut Ctx<'_>, key: &[u8], id: StreamId, entries_added: Option<u64>, max_deleted: Option<StreamId>) -> Result<()> {
    let s = cx.write_as(key, Value::as_stream_mut)?.ok_or(Error::NoSuchKey)?;
    if !s.entries.is_empty() {
        if s.entries.last_live_id().is_some_and(|m| id < m) {
            return Err(Error::err("The ID specified in XSETID is smaller than the target stream top item"));
        }
        if entries_added.is_some_and(|n| s.entries.len() > n) {
            return Err(Error::err("The entries_added specified in XSETID is smaller than the target stream length"));
        }
    }
    s.entries.set_ids(id, entries_added, max_deleted.filter(|m| !m.is_zero()));
    cx.dirty(1);
    cx.reply_point();
    cx.notify(notify::STREAM, "xsetid", key);
    Ok(())
}

// ---------------------------------------------------------------------------
// XACK.

/// True if the stream at `key` exists and has `group` (a read lookup:
/// counts a hit or miss); WRONGTYPE for another type.
fn has_group(cx: &mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<bool> {
    Ok(cx.read_as(key, Value::as_stream_mut)?.is_some_and(|s| s.groups.contains_key(group)))
}

fn xack_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    // Redis looks the group up before it parses the ids.
    if !has_group(cx, argv[1], argv[2])? {
        return Ok(Reply::Int(0));
    }
    let ids = argv[3..].iter().map(|i| parse_id(i)).collect::<Result<Vec<_>>>()?;
    Ok(Reply::Int(ack_ids(cx, argv[1], argv[2], &ids) as i64))
}

fn ack_ids(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], ids: &[StreamId]) -> u64 {
    let Some(g) = cx.peek_as(key, Value::as_stream_mut).and_then(|s| s.groups.get_mut(group)) else { return 0 };
    let n = ids.iter().filter(|&&id| g.ack(id)).count() as u64;
    cx.dirty(n);
    n
}

/// XACK: acknowledges the ids; returns how many were pending. 0 when the
/// key or group is missing.
pub fn xack(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], ids: &[StreamId]) -> Result<u64> {
    if !has_group(cx, key, group)? {
        return Ok(0);
    }
    Ok(ack_ids(cx, key, group, ids))
}

// ---------------------------------------------------------------------------
// XPENDING.

/// XPENDING's summary form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingSummary {
    /// Pending entries.
    pub count: u64,
    /// Smallest and largest pending ids (when any).
    pub range: Option<(StreamId, StreamId)>,
    /// Consumers with pending entries and how many, by name.
    pub consumers: Vec<(Vec<u8>, u64)>,
}

/// One pending entry, as XPENDING's extended form lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingEntry {
    /// Its id.
    pub id: StreamId,
    /// The consumer it was delivered to.
    pub consumer: Vec<u8>,
    /// Milliseconds since its last delivery.
    pub idle: i64,
    /// Deliveries.
    pub deliveries: u64,
}

fn xpending_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let argc = argv.len();
    if argc != 3 && !(6..=9).contains(&argc) {
        return Err(Error::Syntax);
    }
    let (key, group) = (argv[1], argv[2]);
    if argc == 3 {
        let s = xpending_summary(cx, key, group)?;
        return Ok(Reply::Array(match s.range {
            None => vec![Reply::Int(s.count as i64), Reply::Nil, Reply::Nil, Reply::NilArray],
            Some((lo, hi)) => vec![
                Reply::Int(s.count as i64),
                id_reply(lo),
                id_reply(hi),
                Reply::Array(s.consumers.into_iter().map(|(n, c)| Reply::Array(vec![Reply::Bulk(n), Reply::bulk_int(c as i64)])).collect()),
            ],
        }));
    }
    let mut startidx = 3;
    let mut minidle = 0;
    if ckw(argv[3], "IDLE") {
        minidle = num::parse_i64(argv[4]).ok_or(Error::NotInteger)?;
        if argc < 8 {
            return Err(Error::Syntax);
        }
        startidx += 2;
    }
    let count = num::parse_i64(argv[startidx + 2]).ok_or(Error::NotInteger)?.max(0) as u64;
    let start = parse_start(argv[startidx])?;
    let end = parse_end(argv[startidx + 1])?;
    // Arguments past the consumer are ignored, as in Redis.
    let consumer = argv.get(startidx + 3).copied();
    let v = xpending_range(cx, key, group, minidle, start, end, count, consumer)?;
    Ok(Reply::Array(
        v.into_iter()
            .map(|p| Reply::Array(vec![id_reply(p.id), Reply::Bulk(p.consumer), Reply::Int(p.idle), Reply::Int(p.deliveries as i64)]))
            .collect(),
    ))
}

/// The group for XPENDING and the claim commands: a read lookup with their
/// `-NOGROUP No such key ... or consumer group ...` error.
fn read_group<'c>(cx: &'c mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<&'c mut Stream> {
    match cx.read_as(key, Value::as_stream_mut)? {
        Some(s) if s.groups.contains_key(group) => Ok(s),
        _ => Err(nogroup(key, group)),
    }
}

/// XPENDING's summary.
pub fn xpending_summary(cx: &mut Ctx<'_>, key: &[u8], group: &[u8]) -> Result<PendingSummary> {
    let s = read_group(cx, key, group)?;
    let Some(g) = s.groups.get(group) else { return Err(nogroup(key, group)) };
    let range = match (g.pel.keys().next(), g.pel.keys().next_back()) {
        (Some(lo), Some(hi)) => Some((*lo, *hi)),
        _ => None,
    };
    let consumers = g.consumers.iter().filter(|(_, c)| !c.pel.is_empty()).map(|(n, c)| (n.to_vec(), c.pel.len() as u64)).collect();
    Ok(PendingSummary { count: g.pel.len() as u64, range, consumers })
}

/// XPENDING's extended form: pending entries in `start..=end` idle for at
/// least `minidle` ms, at most `count`, of `consumer` only when given (none
/// for an unknown consumer).
#[allow(clippy::too_many_arguments)]
pub fn xpending_range(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], minidle: i64, start: StreamId, end: StreamId, count: u64, consumer: Option<&[u8]>) -> Result<Vec<PendingEntry>> {
    let now = now_i(cx);
    let s = read_group(cx, key, group)?;
    let Some(g) = s.groups.get(group) else { return Err(nogroup(key, group)) };
    let mut out = Vec::new();
    if start > end || count == 0 {
        return Ok(out);
    }
    let ids: Box<dyn Iterator<Item = StreamId> + '_> = match consumer {
        Some(name) => match g.consumers.get(name) {
            Some(c) => Box::new(c.pel.range(start..=end).copied()),
            None => return Ok(out),
        },
        None => Box::new(g.pel.range(start..=end).map(|(k, _)| *k)),
    };
    for id in ids {
        let Some(n) = g.pel.get(&id) else { continue };
        let idle = now.wrapping_sub(n.delivery_time);
        if minidle != 0 && idle < minidle {
            continue;
        }
        out.push(PendingEntry { id, consumer: n.consumer.to_vec(), idle: idle.max(0), deliveries: n.delivery_count });
        if out.len() as u64 == count {
            break;
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// XCLAIM / XAUTOCLAIM.

/// XCLAIM's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimOptions {
    /// IDLE/TIME: the new last delivery time (ms); `None` = now. Times in
    /// the future or negative become now.
    pub delivery_time: Option<i64>,
    /// RETRYCOUNT.
    pub retry_count: Option<u64>,
    /// FORCE: create pending entries for existing but unpending ids.
    pub force: bool,
    /// JUSTID: return ids only and leave delivery counts alone.
    pub justid: bool,
    /// LASTID: raise the group's last delivered id to this.
    pub last_id: StreamId,
}

fn xclaim_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let (key, group) = (argv[1], argv[2]);
    read_group(cx, key, group)?;
    let minidle = num::parse_i64(argv[4]).ok_or_else(|| Error::err("Invalid min-idle-time argument for XCLAIM"))?.max(0);
    let mut j = 5;
    let mut ids = Vec::new();
    while j < argv.len() {
        match parse_id(argv[j]) {
            Ok(id) => ids.push(id),
            Err(_) => break,
        }
        j += 1;
    }
    let now = now_i(cx);
    let mut o = ClaimOptions::default();
    let mut dt: i64 = -1;
    while j < argv.len() {
        let moreargs = argv.len() - 1 - j;
        let opt = argv[j];
        if ckw(opt, "FORCE") {
            o.force = true;
        } else if ckw(opt, "JUSTID") {
            o.justid = true;
        } else if ckw(opt, "IDLE") && moreargs > 0 {
            j += 1;
            let idle = num::parse_i64(argv[j]).ok_or_else(|| Error::err("Invalid IDLE option argument for XCLAIM"))?;
            dt = now.wrapping_sub(idle);
        } else if ckw(opt, "TIME") && moreargs > 0 {
            j += 1;
            dt = num::parse_i64(argv[j]).ok_or_else(|| Error::err("Invalid TIME option argument for XCLAIM"))?;
        } else if ckw(opt, "RETRYCOUNT") && moreargs > 0 {
            j += 1;
            let n = num::parse_i64(argv[j]).ok_or_else(|| Error::err("Invalid RETRYCOUNT option argument for XCLAIM"))?;
            o.retry_count = u64::try_from(n).ok();
        } else if ckw(opt, "LASTID") && moreargs > 0 {
            j += 1;
            o.last_id = parse_id(argv[j])?;
        } else {
            return Err(fmt_err(&[b"ERR Unrecognized XCLAIM option '", cstr(opt), b"'"]));
        }
        j += 1;
    }
    // -1 is Redis's "not given" marker, whichever way it was reached.
    o.delivery_time = (dt != -1).then_some(dt);
    let justid = o.justid;
    let claimed = xclaim_apply(cx, key, group, argv[3], minidle, &ids, &o);
    let r = Reply::Array(claimed.into_iter().map(|(id, f)| if justid { id_reply(id) } else { entry_reply(id, f) }).collect());
    Ok(cx.inside_first(r))
}

/// XCLAIM: gives `consumer` the pending entries among `ids` idle for at
/// least `minidle` ms. Returns them (fields `None` with JUSTID).
pub fn xclaim(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8], minidle: i64, ids: &[StreamId], opts: &ClaimOptions) -> Result<Vec<ReadEntry>> {
    read_group(cx, key, group)?;
    Ok(xclaim_apply(cx, key, group, consumer, minidle.max(0), ids, opts))
}

fn xclaim_apply(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8], minidle: i64, ids: &[StreamId], o: &ClaimOptions) -> Vec<ReadEntry> {
    let now = now_i(cx);
    let Some(s) = cx.peek_as(key, Value::as_stream_mut) else { return Vec::new() };
    let Some(g) = s.groups.get_mut(group) else { return Vec::new() };
    let entries = &s.entries;
    let mut dirty = 0;
    let mut propagate_last_id = false;
    if o.last_id > g.last_id {
        g.last_id = o.last_id;
        propagate_last_id = true;
    }
    let delivery_time = match o.delivery_time {
        Some(t) if (0..=now).contains(&t) => t,
        _ => now,
    };
    let mut resolved = false;
    let mut created = false;
    let mut out = Vec::new();
    for &id in ids {
        if !entries.exists(id) {
            if g.ack(id) {
                propagate_last_id = false;
                dirty += 1;
            }
            continue;
        }
        let mut forced = false;
        if o.force && !g.pel.contains_key(&id) {
            // A fresh entry; it joins the consumer's list below.
            g.pel.insert(id, crate::types::stream::Nack { delivery_time: now, delivery_count: 1, consumer: consumer.into() });
            forced = true;
        }
        let Some(n) = g.pel.get(&id) else { continue };
        if !forced && minidle != 0 && now.wrapping_sub(n.delivery_time) < minidle {
            continue;
        }
        if !resolved {
            resolved = true;
            if !g.touch_consumer(consumer, now) {
                created = g.create_consumer(consumer, now);
            }
        }
        if let Some(n) = g.pel.get_mut(&id) {
            n.delivery_time = delivery_time;
            match o.retry_count {
                Some(c) => n.delivery_count = c,
                None if !o.justid => n.delivery_count = n.delivery_count.wrapping_add(1),
                None => {}
            }
        }
        g.assign(id, consumer);
        out.push((id, if o.justid { None } else { entries.get(id).map(|e| e.to_pairs()) }));
        propagate_last_id = false;
        dirty += 1;
    }
    if propagate_last_id {
        dirty += 1;
    }
    if created {
        dirty += 1;
        // Redis creates the consumer as it claims the first entry, inside
        // its reply: the handler places the event before that entry.
        let mark = cx.own_outbox_mark();
        cx.notify(notify::STREAM, "xgroup-createconsumer", key);
        cx.reply_inside(mark, 0);
    }
    cx.dirty(dirty);
    out
}

/// XAUTOCLAIM's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AutoClaim {
    /// Where the next call should start (0-0 when the scan is complete).
    pub next: StreamId,
    /// Claimed entries (fields `None` with JUSTID).
    pub claimed: Vec<ReadEntry>,
    /// Pending ids dropped because their entries no longer exist.
    pub deleted: Vec<StreamId>,
}

fn xautoclaim_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    // Redis 7.0 looks the key up first (keymiss event), then parses every
    // argument, and only then checks the type.
    let now = cx.now;
    let found = cx.db().read(argv[1], now).map(|e| matches!(e.value, Value::Stream(_)));
    let minidle = num::parse_i64(argv[4]).ok_or_else(|| Error::err("Invalid min-idle-time argument for XAUTOCLAIM"))?.max(0);
    let start = parse_start(argv[5])?;
    let mut count: u64 = 100;
    let mut justid = false;
    let mut j = 6;
    while j < argv.len() {
        let moreargs = argv.len() - 1 - j;
        if ckw(argv[j], "COUNT") && moreargs > 0 {
            // LONG_MAX / max(sizeof(streamID), attempts factor 10).
            const MAX_COUNT: i64 = i64::MAX / 16;
            count = match num::parse_i64(argv[j + 1]) {
                Some(n) if (1..=MAX_COUNT).contains(&n) => n as u64,
                _ => return Err(Error::err("COUNT must be > 0")),
            };
            j += 1;
        } else if ckw(argv[j], "JUSTID") {
            justid = true;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    match found {
        None => return Err(nogroup(argv[1], argv[2])),
        Some(false) => return Err(Error::WrongType),
        Some(true) => {}
    }
    let r = xautoclaim(cx, argv[1], argv[2], argv[3], minidle, start, count, justid)?;
    let claimed = r.claimed.into_iter().map(|(id, f)| if justid { id_reply(id) } else { entry_reply(id, f) }).collect();
    let claimed = cx.inside_first(Reply::Array(claimed));
    Ok(Reply::Array(vec![id_reply(r.next), claimed, Reply::Array(r.deleted.into_iter().map(id_reply).collect())]))
}

/// XAUTOCLAIM: scans the group's pending entries from `start`, giving
/// `consumer` those idle for at least `minidle` ms (at most `count`, and at
/// most `count * 10` entries looked at) and dropping those whose entries
/// were deleted.
#[allow(clippy::too_many_arguments)]
pub fn xautoclaim(cx: &mut Ctx<'_>, key: &[u8], group: &[u8], consumer: &[u8], minidle: i64, start: StreamId, count: u64, justid: bool) -> Result<AutoClaim> {
    let now = now_i(cx);
    let s = read_group(cx, key, group)?;
    // Redis allocates COUNT stream ids up front; the official build's
    // jemalloc refuses anything above 2^46 bytes, 2^42 ids.
    if count > 1 << 42 {
        return Err(Error::err("Insufficient memory, failed allocating transient memory, COUNT too high."));
    }
    let Some(g) = s.groups.get_mut(group) else { return Err(nogroup(key, group)) };
    let entries = &s.entries;
    let mut count = count;
    let mut attempts = count.saturating_mul(10);
    let mut last: Option<StreamId> = None;
    let mut eof = false;
    let mut resolved = false;
    let mut created = false;
    let mut dirty = 0;
    let mut r = AutoClaim { next: StreamId::MIN, claimed: Vec::new(), deleted: Vec::new() };
    // The first pending id after the last one looked at.
    let after = |g: &Group, last: Option<StreamId>| -> Option<StreamId> {
        match last {
            None => g.pel.range(start..).next().map(|(k, _)| *k),
            Some(l) => l.incr().and_then(|n| g.pel.range(n..).next().map(|(k, _)| *k)),
        }
    };
    loop {
        if attempts == 0 || count == 0 {
            break;
        }
        attempts -= 1;
        let Some(id) = after(g, last) else {
            eof = true;
            break;
        };
        last = Some(id);
        if !entries.exists(id) {
            g.ack(id);
            r.deleted.push(id);
            dirty += 1;
            count -= 1;
            continue;
        }
        if minidle != 0 && g.pel.get(&id).is_some_and(|n| now.wrapping_sub(n.delivery_time) < minidle) {
            continue;
        }
        if !resolved {
            resolved = true;
            if !g.touch_consumer(consumer, now) {
                created = g.create_consumer(consumer, now);
            }
        }
        if let Some(n) = g.pel.get_mut(&id) {
            n.delivery_time = now;
            if !justid {
                n.delivery_count = n.delivery_count.wrapping_add(1);
            }
        }
        g.assign(id, consumer);
        r.claimed.push((id, if justid { None } else { entries.get(id).map(|e| e.to_pairs()) }));
        count -= 1;
        dirty += 1;
    }
    if !eof {
        r.next = after(g, last).unwrap_or(StreamId::MIN);
    }
    if created {
        dirty += 1;
        // Redis creates the consumer as it claims the first entry, inside
        // its reply: the handler places the event before that entry.
        let mark = cx.own_outbox_mark();
        cx.notify(notify::STREAM, "xgroup-createconsumer", key);
        cx.reply_inside(mark, 0);
    }
    cx.dirty(dirty);
    Ok(r)
}

// ---------------------------------------------------------------------------
// XINFO.

const XINFO_HELP: &[&str] = &[
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
];

fn xinfo_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let argv = a.argv();
    let opt = argv[1];
    if ckw(opt, "HELP") {
        if argv.len() != 2 {
            return Err(subcommand_syntax("XINFO", opt));
        }
        return Ok(crate::cmd::keys::help_reply(b"XINFO", XINFO_HELP));
    }
    if argv.len() < 3 {
        return Err(subcommand_syntax("XINFO", opt));
    }
    let key = argv[2];
    let now = now_i(cx);
    let Some(s) = cx.read_as(key, Value::as_stream_mut)? else { return Err(Error::NoSuchKey) };
    if ckw(opt, "CONSUMERS") && argv.len() == 4 {
        let Some(g) = s.groups.get(argv[3]) else { return Err(nogroup_for_key(key, argv[3])) };
        Ok(Reply::Array(
            g.consumers
                .iter()
                .map(|(name, c)| {
                    Reply::Map(vec![
                        (bulk("name"), Reply::Bulk(name.to_vec())),
                        (bulk("pending"), Reply::Int(c.pel.len() as i64)),
                        (bulk("idle"), Reply::Int(now.wrapping_sub(c.seen_time).max(0))),
                    ])
                })
                .collect(),
        ))
    } else if ckw(opt, "GROUPS") && argv.len() == 3 {
        Ok(Reply::Array(
            s.groups
                .iter()
                .map(|(name, g)| {
                    Reply::Map(vec![
                        (bulk("name"), Reply::Bulk(name.to_vec())),
                        (bulk("consumers"), Reply::Int(g.consumers.len() as i64)),
                        (bulk("pending"), Reply::Int(g.pel.len() as i64)),
                        (bulk("last-delivered-id"), id_reply(g.last_id)),
                        (bulk("entries-read"), opt_int(g.entries_read)),
                        (bulk("lag"), s.entries.lag(g).map_or(Reply::Nil, Reply::Int)),
                    ])
                })
                .collect(),
        ))
    } else if ckw(opt, "STREAM") {
        xinfo_stream(s, &argv[3..], opt)
    } else {
        Err(subcommand_syntax("XINFO", opt))
    }
}

fn opt_int(n: i64) -> Reply {
    if n == -1 {
        Reply::Nil
    } else {
        Reply::Int(n)
    }
}

fn xinfo_stream(s: &Stream, optv: &[&[u8]], sub: &[u8]) -> Result<Reply> {
    let mut full = false;
    let mut count: u64 = 10;
    if !optv.is_empty() {
        if optv.len() != 1 && optv.len() != 3 {
            return Err(subcommand_syntax("XINFO", sub));
        }
        if !ckw(optv[0], "full") {
            return Err(subcommand_syntax("XINFO", sub));
        }
        full = true;
        if optv.len() == 3 {
            if !ckw(optv[1], "count") {
                return Err(subcommand_syntax("XINFO", sub));
            }
            let n = num::parse_i64(optv[2]).ok_or(Error::NotInteger)?;
            count = if n < 0 { 10 } else { n as u64 };
        }
    }
    let e = &s.entries;
    let mut m = vec![
        (bulk("length"), Reply::Int(e.len() as i64)),
        (bulk("radix-tree-keys"), Reply::Int(e.rax_keys() as i64)),
        (bulk("radix-tree-nodes"), Reply::Int(e.rax_nodes() as i64)),
        (bulk("last-generated-id"), id_reply(e.last_id())),
        (bulk("max-deleted-entry-id"), id_reply(e.max_deleted_id())),
        (bulk("entries-added"), Reply::Int(e.entries_added() as i64)),
        (bulk("recorded-first-entry-id"), id_reply(e.first_id())),
    ];
    let one = |rev: bool| e.range(StreamId::MIN, StreamId::MAX, rev).next().map_or(Reply::Nil, |x| entry_reply(x.id, Some(x.to_pairs())));
    if !full {
        m.push((bulk("groups"), Reply::Int(s.groups.len() as i64)));
        m.push((bulk("first-entry"), one(false)));
        m.push((bulk("last-entry"), one(true)));
        return Ok(Reply::Map(m));
    }
    let limit = if count == 0 { usize::MAX } else { usize::try_from(count).unwrap_or(usize::MAX) };
    let entries = e.range(StreamId::MIN, StreamId::MAX, false).take(limit).map(|x| entry_reply(x.id, Some(x.to_pairs()))).collect();
    m.push((bulk("entries"), Reply::Array(entries)));
    let groups = s
        .groups
        .iter()
        .map(|(name, g)| {
            let pending = g
                .pel
                .iter()
                .take(limit)
                .map(|(id, n)| Reply::Array(vec![id_reply(*id), Reply::Bulk(n.consumer.to_vec()), Reply::Int(n.delivery_time), Reply::Int(n.delivery_count as i64)]))
                .collect();
            let consumers = g
                .consumers
                .iter()
                .map(|(cname, c)| {
                    let cpel = c
                        .pel
                        .iter()
                        .take(limit)
                        .filter_map(|id| g.pel.get(id).map(|n| Reply::Array(vec![id_reply(*id), Reply::Int(n.delivery_time), Reply::Int(n.delivery_count as i64)])))
                        .collect();
                    Reply::Map(vec![
                        (bulk("name"), Reply::Bulk(cname.to_vec())),
                        (bulk("seen-time"), Reply::Int(c.seen_time)),
                        (bulk("pel-count"), Reply::Int(c.pel.len() as i64)),
                        (bulk("pending"), Reply::Array(cpel)),
                    ])
                })
                .collect();
            Reply::Map(vec![
                (bulk("name"), Reply::Bulk(name.to_vec())),
                (bulk("last-delivered-id"), id_reply(g.last_id)),
                (bulk("entries-read"), opt_int(g.entries_read)),
                (bulk("lag"), e.lag(g).map_or(Reply::Nil, Reply::Int)),
                (bulk("pel-count"), Reply::Int(g.pel.len() as i64)),
                (bulk("pending"), Reply::Array(pending)),
                (bulk("consumers"), Reply::Array(consumers)),
            ])
        })
        .collect();
    m.push((bulk("groups"), Reply::Array(groups)));
    Ok(Reply::Map(m))
}

// ---------------------------------------------------------------------------
// Typed API.

impl Engine {
    /// `XADD key [options] id field value ...` in db `db`: the new id, `None`
    /// with NOMKSTREAM on a missing key.
    pub fn xadd(&mut self, db: usize, key: &[u8], opts: &XaddOptions, fields: &[(&[u8], &[u8])]) -> Result<Option<StreamId>> {
        let fv: Vec<&[u8]> = fields.iter().flat_map(|(f, v)| [*f, *v]).collect();
        // Replayed at this call's instant, `*` makes the same id.
        self.typed_line(|| {
            let mut l = cmd_line(&[b"XADD", key], []);
            if opts.nomkstream {
                l.push(b"NOMKSTREAM".to_vec());
            }
            if let Some(t) = opts.trim {
                let (word, arg) = match t.strategy {
                    TrimStrategy::MaxLen(n) => (b"MAXLEN".as_slice(), num::fmt_u64(n).into_bytes()),
                    TrimStrategy::MinId(id) => (b"MINID".as_slice(), id.to_bytes()),
                };
                l.extend([word.to_vec(), if t.approx { b"~".to_vec() } else { b"=".to_vec() }, arg]);
                if let (true, Some(n)) = (t.approx, t.limit) {
                    l.extend([b"LIMIT".to_vec(), num::fmt_u64(n).into_bytes()]);
                }
            }
            l.push(match opts.id {
                XaddId::Auto => b"*".to_vec(),
                XaddId::AutoSeq(ms) => alloc::format!("{ms}-*").into_bytes(),
                XaddId::Explicit(id) => id.to_bytes(),
            });
            l.extend(fv.iter().map(|a| a.to_vec()));
            l
        });
        self.with_ctx(db, |cx| xadd(cx, key, opts, &fv))
    }

    /// `XLEN key`.
    pub fn xlen(&mut self, db: usize, key: &[u8]) -> Result<u64> {
        self.with_ctx(db, |cx| xlen(cx, key))
    }

    /// `XRANGE key start end [COUNT n]` (or XREVRANGE with `rev`); see
    /// [`xrange`] for the `None` case.
    pub fn xrange(&mut self, db: usize, key: &[u8], start: StreamId, end: StreamId, rev: bool, count: Option<u64>) -> Result<Option<Vec<StreamEntry>>> {
        self.with_ctx(db, |cx| xrange(cx, key, start, end, rev, count))
    }

    /// `XDEL key id...`: how many were deleted.
    pub fn xdel(&mut self, db: usize, key: &[u8], ids: &[StreamId]) -> Result<u64> {
        self.with_ctx(db, |cx| xdel(cx, key, ids))
    }

    /// `XTRIM key MAXLEN|MINID ...`: how many were removed.
    pub fn xtrim(&mut self, db: usize, key: &[u8], trim: &TrimSpec) -> Result<u64> {
        self.with_ctx(db, |cx| xtrim(cx, key, trim))
    }

    /// `XGROUP CREATE key group id|$ [MKSTREAM] [ENTRIESREAD n]`
    /// (`entries_read` -1 = not given).
    pub fn xgroup_create(&mut self, db: usize, key: &[u8], group: &[u8], start: GroupStart, mkstream: bool, entries_read: i64) -> Result<()> {
        self.typed_line(|| {
            let id = match start {
                GroupStart::Last => b"$".to_vec(),
                GroupStart::Id(id) => id.to_bytes(),
            };
            let mut l = cmd_line(&[b"XGROUP", b"CREATE", key, group, &id], []);
            if mkstream {
                l.push(b"MKSTREAM".to_vec());
            }
            if entries_read != -1 {
                l.extend([b"ENTRIESREAD".to_vec(), num::fmt_i64(entries_read).into_bytes()]);
            }
            l
        });
        self.with_ctx(db, |cx| xgroup_create(cx, key, group, start, mkstream, entries_read))
    }

    /// `XREADGROUP GROUP group consumer [COUNT n] [NOACK] STREAMS key... id...`
    /// without blocking: `ids[i]` `None` is `>`. Returns the served
    /// streams (empty when XREADGROUP would answer nil).
    #[allow(clippy::too_many_arguments)]
    pub fn xreadgroup(&mut self, db: usize, group: &[u8], consumer: &[u8], keys: &[&[u8]], ids: &[Option<StreamId>], count: usize, noack: bool) -> Result<ReadReply> {
        if keys.len() != ids.len() {
            return Err(Error::Syntax);
        }
        // Reading for a group writes its pending entries and last id.
        self.typed_line(|| {
            let mut l = cmd_line(&[b"XREADGROUP", b"GROUP", group, consumer], []);
            if count > 0 {
                l.extend([b"COUNT".to_vec(), num::fmt_u64(count as u64).into_bytes()]);
            }
            if noack {
                l.push(b"NOACK".to_vec());
            }
            l.push(b"STREAMS".to_vec());
            l.extend(keys.iter().map(|k| k.to_vec()));
            l.extend(ids.iter().map(|id| id.map_or_else(|| b">".to_vec(), StreamId::to_bytes)));
            l
        });
        self.with_ctx(db, |cx| {
            for key in keys {
                if !has_group(cx, key, group)? {
                    return Err(fmt_err(&[b"NOGROUP No such key '", cstr(key), b"' or consumer group '", cstr(group), b"' in XREADGROUP with GROUP option"]));
                }
            }
            let ids: Vec<StreamId> = ids.iter().map(|i| i.unwrap_or(StreamId::MAX)).collect();
            xread_streams(cx, Some((group, consumer)), keys, &ids, count, noack)
        })
    }

    /// `XREAD [COUNT n] STREAMS key... id...` without blocking.
    pub fn xread(&mut self, db: usize, keys: &[&[u8]], ids: &[StreamId], count: usize) -> Result<ReadReply> {
        if keys.len() != ids.len() {
            return Err(Error::Syntax);
        }
        self.with_ctx(db, |cx| {
            for key in keys {
                cx.read_as(key, Value::as_stream_mut)?;
            }
            xread_streams(cx, None, keys, ids, count, false)
        })
    }

    /// `XACK key group id...`: how many were pending.
    pub fn xack(&mut self, db: usize, key: &[u8], group: &[u8], ids: &[StreamId]) -> Result<u64> {
        self.typed_line(|| {
            let mut l = cmd_line(&[b"XACK", key, group], []);
            l.extend(ids.iter().map(|id| id.to_bytes()));
            l
        });
        self.with_ctx(db, |cx| xack(cx, key, group, ids))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_parsing() {
        assert_eq!(parse_id(b"5").unwrap(), StreamId::new(5, 0));
        assert_eq!(parse_id(b"5-3").unwrap(), StreamId::new(5, 3));
        assert!(parse_id(b"-").is_err());
        assert!(parse_id(b"+").is_err());
        assert_eq!(parse_id_full(b"+", 0, false, false).unwrap().0, StreamId::MAX);
        assert_eq!(parse_id(b"+5").unwrap(), StreamId::new(5, 0));
        assert_eq!(parse_id(b" 5-007").unwrap(), StreamId::new(5, 7));
        assert_eq!(parse_id(b"1- -1").unwrap(), StreamId::new(1, u64::MAX));
        assert!(parse_id(b"1--1").is_err());
        assert!(parse_id(b"1-").is_err());
        assert!(parse_id(b"").is_err());
        assert!(parse_id(b"18446744073709551616").is_err());
        assert_eq!(parse_id(b"18446744073709551615").unwrap(), StreamId::new(u64::MAX, 0));
        assert_eq!(parse_id(b"7\0junk").unwrap(), StreamId::new(7, 0));
        assert_eq!(parse_id_full(b"5-*", 0, true, true).unwrap(), (StreamId::new(5, 0), false));
        assert!(parse_id(b"5-*").is_err());
    }
}
