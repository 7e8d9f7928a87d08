//! String commands: GET SET SETNX SETEX PSETEX MGET MSET MSETNX GETSET
//! GETDEL GETEX APPEND STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY
//! DECRBY INCRBYFLOAT LCS, with Redis 7.0's replies, errors and encodings.
//!
//! Handlers parse; the typed operations below them ([`get`], [`set`],
//! [`incr_by`], ...) hold the semantics and back both `execute` and the
//! typed [`Engine`] API. Where Redis checks things in a particular order
//! (type before options in LCS, expire time after the lookup in GETEX,
//! increment before the lookup in INCRBY) the split between handler and
//! operation keeps that order, since it decides which error a client sees.
//!
//! Encodings follow Redis (`OBJECT ENCODING`): whole-value writes encode
//! like SET ([`Str::from_bytes`]); APPEND to an existing key and SETRANGE
//! leave "raw"; INCR family results are "int"; INCRBYFLOAT stores its text
//! as "embstr"/"raw" by length, never "int". In-place edits keep the TTL;
//! whole-value writes (SET, MSET, GETSET) clear it.

use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::keyspace::Entry;
use crate::ldouble::LongDouble;
use crate::num;
use crate::persist::cmd_line;
use crate::reply::Reply;
use crate::types::string::EMBSTR_MAX;
use crate::types::{Str, Value};

/// The string family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "get",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@read @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get the value of a key",
        handler: get_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "set",
        arity: -3,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Set the string value of a key",
        handler: set_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "setnx",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Set the value of a key, only if the key does not exist",
        since: "1.0.0",
        handler: setnx_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "setex",
        arity: 4,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Set the value and expiration of a key",
        since: "2.0.0",
        handler: setex_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "psetex",
        arity: 4,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Set the value and expiration in milliseconds of a key",
        since: "2.6.0",
        handler: psetex_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "mget",
        arity: -2,
        flags: READONLY | FAST,
        acl: "@read @string @fast",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "string",
        summary: "Get the values of all the given keys",
        since: "1.0.0",
        handler: mget_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "mset",
        arity: -3,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: -1,
        step: 2,
        group: "string",
        summary: "Set multiple keys to multiple values",
        since: "1.0.1",
        handler: mset_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "msetnx",
        arity: -3,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: -1,
        step: 2,
        group: "string",
        summary: "Set multiple keys to multiple values, only if none of the keys exist",
        since: "1.0.1",
        handler: msetnx_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getset",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Set the string value of a key and return its old value",
        since: "1.0.0",
        handler: getset_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getdel",
        arity: 2,
        flags: WRITE | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get the value of a key and delete the key",
        since: "6.2.0",
        handler: getdel_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getex",
        arity: -2,
        flags: WRITE | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get the value of a key and optionally set its expiration",
        since: "6.2.0",
        handler: getex_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "append",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Append a value to a key",
        since: "2.0.0",
        handler: append_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "strlen",
        arity: 2,
        flags: READONLY | FAST,
        acl: "@read @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get the length of the value stored in a key",
        since: "2.2.0",
        handler: strlen_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getrange",
        arity: 4,
        flags: READONLY,
        acl: "@read @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get a substring of the string stored at a key",
        since: "2.4.0",
        handler: getrange_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "substr",
        arity: 4,
        flags: READONLY,
        acl: "@read @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Get a substring of the string stored at a key",
        since: "1.0.0",
        handler: getrange_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "setrange",
        arity: 4,
        flags: WRITE | DENYOOM,
        acl: "@write @string @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Overwrite part of a string at key starting at the specified offset",
        since: "2.2.0",
        handler: setrange_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "incr",
        arity: 2,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Increment the integer value of a key by one",
        since: "1.0.0",
        handler: incr_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "decr",
        arity: 2,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Decrement the integer value of a key by one",
        since: "1.0.0",
        handler: decr_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "incrby",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Increment the integer value of a key by the given amount",
        since: "1.0.0",
        handler: incrby_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "decrby",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Decrement the integer value of a key by the given number",
        since: "1.0.0",
        handler: decrby_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "incrbyfloat",
        arity: 3,
        flags: WRITE | DENYOOM | FAST,
        acl: "@write @string @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "string",
        summary: "Increment the float value of a key by the given amount",
        since: "2.6.0",
        handler: incrbyfloat_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "lcs",
        arity: -3,
        flags: READONLY,
        acl: "@read @string @slow",
        first_key: 1,
        last_key: 2,
        step: 1,
        group: "string",
        summary: "Find longest common substring",
        since: "7.0.0",
        handler: lcs_cmd,
        ..Command::DEFAULT
    },
];

/// Reads a string value: `Ok(None)` when absent, WRONGTYPE for other types.
pub fn get(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    match cx.db().read(key, now) {
        None => Ok(None),
        Some(e) => match &e.value {
            Value::Str(s) => Ok(Some(s.to_vec())),
            _ => Err(Error::WrongType),
        },
    }
}

fn get_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(get(cx, key)?.map_or(Reply::Nil, Reply::Bulk))
}

/// When SET writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SetCondition {
    /// Always.
    #[default]
    Always,
    /// Only if the key does not exist (NX).
    IfAbsent,
    /// Only if the key exists (XX).
    IfPresent,
}

/// What happens to the key's TTL on SET.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SetExpiry {
    /// Remove any TTL.
    #[default]
    Clear,
    /// Keep the existing TTL (KEEPTTL).
    Keep,
    /// Expire at this absolute time, ms.
    At(u64),
}

/// Options of [`set`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SetOptions {
    /// NX / XX.
    pub condition: SetCondition,
    /// EX/PX/EXAT/PXAT/KEEPTTL.
    pub expiry: SetExpiry,
    /// GET: return the old value (WRONGTYPE if it is not a string).
    pub get: bool,
}

/// What [`set`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetOutcome {
    /// Whether the value was written.
    pub written: bool,
    /// The old value, when `get` was asked and the key held a string.
    pub old: Option<Vec<u8>>,
}

/// SET with all its options.
pub fn set(cx: &mut Ctx<'_>, key: &[u8], value: &[u8], opts: SetOptions) -> Result<SetOutcome> {
    let now = cx.now;
    let old = if opts.get { get(cx, key)? } else { None };
    if opts.get {
        // Redis replies with the old value before writing.
        cx.reply_point();
    }
    let found = cx.db().write(key, now).is_some();
    let skip = match opts.condition {
        SetCondition::Always => false,
        SetCondition::IfAbsent => found,
        SetCondition::IfPresent => !found,
    };
    if skip {
        return Ok(SetOutcome { written: false, old });
    }
    let keep = opts.expiry == SetExpiry::Keep;
    cx.db().set(key, Value::Str(Str::from_bytes(value)), keep, now);
    cx.dirty(1);
    cx.touched(key);
    cx.notify(notify::STRING, "set", key);
    if let SetExpiry::At(at) = opts.expiry {
        cx.db().set_expire(key, at, now);
        cx.notify(notify::GENERIC, "expire", key);
    }
    Ok(SetOutcome { written: true, old })
}

/// Which command is parsing expiry options (their grammar differs slightly).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum ExpiryCommand {
    /// SET: NX XX GET KEEPTTL EX PX EXAT PXAT.
    Set,
    /// GETEX: EX PX EXAT PXAT PERSIST.
    GetEx,
}

/// Parsed SET/GETEX options before the expiry is made absolute.
#[derive(Default)]
pub struct RawSetArgs<'a> {
    /// NX/XX.
    pub condition: SetCondition,
    /// GET.
    pub get: bool,
    /// KEEPTTL.
    pub keepttl: bool,
    /// PERSIST (GETEX).
    pub persist: bool,
    /// The expiry option and its argument: unit ms?, absolute?, value.
    pub expire: Option<(bool, bool, &'a [u8])>,
}

/// Parses SET/GETEX options with Redis's `parseExtendedStringArgumentsOrReply`
/// rules (conflicting options are a syntax error; a repeated EX takes the
/// last value).
pub fn parse_set_args<'a>(a: &mut Args<'a>, which: ExpiryCommand) -> Result<RawSetArgs<'a>> {
    let mut r = RawSetArgs::default();
    let is_set = which == ExpiryCommand::Set;
    // (ms, absolute) for EX PX EXAT PXAT
    while let Some(opt) = a.next() {
        let has_next = !a.is_empty();
        let kind = match opt.to_ascii_lowercase().as_slice() {
            b"nx" if is_set && r.condition != SetCondition::IfPresent => {
                r.condition = SetCondition::IfAbsent;
                continue;
            }
            b"xx" if is_set && r.condition != SetCondition::IfAbsent => {
                r.condition = SetCondition::IfPresent;
                continue;
            }
            b"get" if is_set => {
                r.get = true;
                continue;
            }
            b"keepttl" if is_set && !r.persist && r.expire.is_none() => {
                r.keepttl = true;
                continue;
            }
            b"persist" if !is_set && r.expire.is_none() && !r.keepttl => {
                r.persist = true;
                continue;
            }
            b"ex" => (false, false),
            b"px" => (true, false),
            b"exat" => (false, true),
            b"pxat" => (true, true),
            _ => return Err(Error::Syntax),
        };
        let same = r.expire.is_none_or(|(ms, abs, _)| (ms, abs) == kind);
        if r.keepttl || r.persist || !same || !has_next {
            return Err(Error::Syntax);
        }
        r.expire = Some((kind.0, kind.1, a.req()?));
    }
    Ok(r)
}

/// Turns an EX/PX/EXAT/PXAT argument into an absolute ms time with Redis's
/// checks; `cmd` names the command in "invalid expire time in '<cmd>' command".
pub fn absolute_expire(now: u64, ms_unit: bool, absolute: bool, arg: &[u8], cmd: &str) -> Result<u64> {
    let invalid = || Error::msg(alloc::format!("ERR invalid expire time in '{}' command", cmd));
    let mut v = num::parse_i64(arg).ok_or(Error::NotInteger)?;
    if v <= 0 || (!ms_unit && v > i64::MAX / 1000) {
        return Err(invalid());
    }
    if !ms_unit {
        v *= 1000;
    }
    if !absolute {
        v = v.wrapping_add(now as i64);
    }
    if v <= 0 {
        return Err(invalid());
    }
    Ok(v as u64)
}

fn set_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let value = a.req()?;
    let raw = parse_set_args(a, ExpiryCommand::Set)?;
    let expiry = match raw.expire {
        Some((ms, abs, arg)) => SetExpiry::At(absolute_expire(cx.now, ms, abs, arg, "set")?),
        None if raw.keepttl => SetExpiry::Keep,
        None => SetExpiry::Clear,
    };
    let out = set(cx, key, value, SetOptions { condition: raw.condition, expiry, get: raw.get })?;
    Ok(if raw.get {
        out.old.map_or(Reply::Nil, Reply::Bulk)
    } else if out.written {
        Reply::ok()
    } else {
        Reply::Nil
    })
}

fn setnx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, value) = (a.req()?, a.req()?);
    Ok(Reply::Int(setnx(cx, key, value)? as i64))
}

/// SETNX: SET ... NX answering whether the key was written.
pub fn setnx(cx: &mut Ctx<'_>, key: &[u8], value: &[u8]) -> Result<bool> {
    let opts = SetOptions { condition: SetCondition::IfAbsent, ..SetOptions::default() };
    Ok(set(cx, key, value, opts)?.written)
}

fn setex_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, ms_unit: bool, name: &str) -> Result<Reply> {
    let (key, ttl, value) = (a.req()?, a.req()?, a.req()?);
    let at = absolute_expire(cx.now, ms_unit, false, ttl, name)?;
    set(cx, key, value, SetOptions { expiry: SetExpiry::At(at), ..SetOptions::default() })?;
    Ok(Reply::ok())
}

fn setex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    setex_generic(cx, a, false, "setex")
}

fn psetex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    setex_generic(cx, a, true, "psetex")
}

/// MGET: each key's string value; `None` for missing keys and for keys
/// holding other types (MGET never fails on type).
pub fn mget(cx: &mut Ctx<'_>, keys: &[&[u8]]) -> Result<Vec<Option<Vec<u8>>>> {
    let now = cx.now;
    let db = cx.db();
    Ok(keys
        .iter()
        .map(|k| match db.read(k, now) {
            Some(Entry { value: Value::Str(s), .. }) => Some(s.to_vec()),
            _ => None,
        })
        .collect())
}

fn mget_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    if !cx.may_publish() {
        let vals = mget(cx, keys)?;
        return Ok(Reply::Array(vals.into_iter().map(|v| v.map_or(Reply::Nil, Reply::Bulk)).collect()));
    }
    // Redis writes the array header before the lookups: what a lazy expiry
    // publishes to the caller (its `expired` event, an invalidation sent
    // to it as a redirect target) comes inside the array, before the
    // element whose lookup raised it.
    let now = cx.now;
    let mut out = Vec::with_capacity(keys.len());
    for (i, k) in keys.iter().enumerate() {
        let mark = cx.own_outbox_mark();
        let v = match cx.db().read(k, now) {
            Some(Entry { value: Value::Str(s), .. }) => Reply::Bulk(s.to_vec()),
            _ => Reply::Nil,
        };
        cx.reply_inside(mark, i);
        out.push(cx.inside(i, v));
    }
    Ok(Reply::Array(out))
}

/// MSET (and MSETNX when `nx`): writes every pair, later pairs winning over
/// earlier ones with the same key, clearing TTLs. With `nx`, writes nothing
/// and answers false if any key exists.
pub fn mset(cx: &mut Ctx<'_>, pairs: &[(&[u8], &[u8])], nx: bool) -> Result<bool> {
    let now = cx.now;
    if nx && pairs.iter().any(|(k, _)| cx.db().write(k, now).is_some()) {
        return Ok(false);
    }
    for &(k, v) in pairs {
        cx.db().set(k, Value::Str(Str::from_bytes(v)), false, now);
        cx.touched(k);
        cx.notify(notify::STRING, "set", k);
    }
    cx.dirty(pairs.len() as u64);
    Ok(true)
}

fn mset_args<'a>(a: &mut Args<'a>, name: &str) -> Result<Vec<(&'a [u8], &'a [u8])>> {
    let rest = a.rest();
    if !rest.len().is_multiple_of(2) {
        return Err(Error::WrongArity(name.into()));
    }
    Ok(rest.chunks_exact(2).map(|p| (p[0], p[1])).collect())
}

fn mset_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let pairs = mset_args(a, "mset")?;
    mset(cx, &pairs, false)?;
    Ok(Reply::ok())
}

fn msetnx_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let pairs = mset_args(a, "msetnx")?;
    Ok(Reply::Int(mset(cx, &pairs, true)? as i64))
}

/// GETSET: the old string value (WRONGTYPE, writing nothing, if the key
/// holds another type), then the new value with any TTL cleared.
pub fn getset(cx: &mut Ctx<'_>, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
    let old = get(cx, key)?;
    cx.reply_point();
    let now = cx.now;
    cx.db().set(key, Value::Str(Str::from_bytes(value)), false, now);
    cx.touched(key);
    cx.notify(notify::STRING, "set", key);
    cx.dirty(1);
    Ok(old)
}

fn getset_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, value) = (a.req()?, a.req()?);
    Ok(getset(cx, key, value)?.map_or(Reply::Nil, Reply::Bulk))
}

/// GETDEL: the string value, and the key deleted.
pub fn getdel(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let old = get(cx, key)?;
    if old.is_some() {
        cx.reply_point();
        let now = cx.now;
        cx.db().remove(key, now);
        cx.touched(key);
        cx.notify(notify::GENERIC, "del", key);
        cx.dirty(1);
    }
    Ok(old)
}

fn getdel_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(getdel(cx, key)?.map_or(Reply::Nil, Reply::Bulk))
}

/// What GETEX does to the TTL of the key it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GetExExpiry {
    /// Nothing (plain GET, but a write command).
    #[default]
    Keep,
    /// PERSIST: remove the TTL.
    Persist,
    /// Expire at this absolute time in ms; a time not after now deletes
    /// the key (after reading it), as EXAT/PXAT in the past do.
    At(u64),
}

/// GETEX: the string value, then the TTL change.
pub fn getex(cx: &mut Ctx<'_>, key: &[u8], expiry: GetExExpiry) -> Result<Option<Vec<u8>>> {
    getex_with(cx, key, |_| Ok(expiry))
}

/// GETEX with the expiry resolved only once the key is known to hold a
/// string: Redis validates the time after the lookup, so a missing key
/// answers nil even for `EX 0`.
fn getex_with(cx: &mut Ctx<'_>, key: &[u8], resolve: impl FnOnce(u64) -> Result<GetExExpiry>) -> Result<Option<Vec<u8>>> {
    let Some(value) = get(cx, key)? else { return Ok(None) };
    let now = cx.now;
    let expiry = resolve(now)?;
    cx.reply_point();
    match expiry {
        GetExExpiry::Keep => {}
        GetExExpiry::At(at) if at <= now => {
            cx.db().remove(key, now);
            cx.touched(key);
            cx.notify(notify::GENERIC, "del", key);
            cx.dirty(1);
        }
        GetExExpiry::At(at) => {
            cx.db().set_expire(key, at, now);
            cx.touched(key);
            cx.notify(notify::GENERIC, "expire", key);
            cx.dirty(1);
        }
        GetExExpiry::Persist => {
            if cx.db().persist(key, now) {
                cx.touched(key);
                cx.notify(notify::GENERIC, "persist", key);
                cx.dirty(1);
            }
        }
    }
    Ok(Some(value))
}

fn getex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let raw = parse_set_args(a, ExpiryCommand::GetEx)?;
    let v = getex_with(cx, key, |now| {
        Ok(match raw.expire {
            Some((ms, abs, arg)) => GetExExpiry::At(absolute_expire(now, ms, abs, arg, "getex")?),
            None if raw.persist => GetExExpiry::Persist,
            None => GetExExpiry::Keep,
        })
    })?;
    Ok(v.map_or(Reply::Nil, Reply::Bulk))
}

/// Redis's `checkStringLength`: a string of `len + extra` bytes must fit
/// `proto-max-bulk-len`. Checked before any allocation.
fn check_string_length(cx: &Ctx<'_>, len: u64, extra: u64) -> Result<()> {
    match len.checked_add(extra) {
        Some(total) if total <= cx.config().proto_max_bulk_len => Ok(()),
        _ => Err(Error::StringTooLong),
    }
}

/// APPEND: the new length. A new key gets the value as SET would encode
/// it; an existing one becomes "raw".
pub fn append(cx: &mut Ctx<'_>, key: &[u8], value: &[u8]) -> Result<usize> {
    let now = cx.now;
    let len = match cx.db().write(key, now) {
        None => {
            cx.db().insert_new(key.into(), Value::Str(Str::from_bytes(value)), None, now);
            value.len()
        }
        Some(e) => {
            let Value::Str(s) = &e.value else { return Err(Error::WrongType) };
            let old = s.len();
            check_string_length(cx, old as u64, value.len() as u64)?;
            let Some(Entry { value: Value::Str(s), .. }) = cx.db().write(key, now) else { return Err(Error::WrongType) };
            let buf = s.make_raw();
            buf.try_reserve(value.len()).map_err(|_| Error::Oom)?;
            buf.extend_from_slice(value);
            buf.len()
        }
    };
    cx.touched(key);
    cx.notify(notify::STRING, "append", key);
    cx.dirty(1);
    Ok(len)
}

fn append_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, value) = (a.req()?, a.req()?);
    Ok(Reply::Int(append(cx, key, value)? as i64))
}

/// STRLEN: 0 for a missing key.
pub fn strlen(cx: &mut Ctx<'_>, key: &[u8]) -> Result<usize> {
    let now = cx.now;
    match cx.db().read(key, now) {
        None => Ok(0),
        Some(Entry { value: Value::Str(s), .. }) => Ok(s.len()),
        Some(_) => Err(Error::WrongType),
    }
}

fn strlen_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(strlen(cx, key)? as i64))
}

/// The byte range `[start, end]` of a `len`-byte string with GETRANGE's
/// rules (negative indexes count from the end, clamped), or `None` when
/// empty.
fn getrange_bounds(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let n = len as i128;
    let fix = |i: i64| {
        let i = i as i128;
        (if i < 0 { n + i } else { i }).max(0)
    };
    let (start, end) = (fix(start), fix(end).min(n - 1));
    if len == 0 || start > end {
        return None;
    }
    // 0 <= start <= end < len here.
    Some((start as usize, end as usize))
}

/// GETRANGE/SUBSTR: the bytes from `start` to `end` inclusive; empty for a
/// missing key.
pub fn getrange(cx: &mut Ctx<'_>, key: &[u8], start: i64, end: i64) -> Result<Vec<u8>> {
    let now = cx.now;
    match cx.db().read(key, now) {
        None => Ok(Vec::new()),
        Some(Entry { value: Value::Str(s), .. }) => {
            let bytes = s.as_bytes();
            Ok(getrange_bounds(bytes.len(), start, end).map_or_else(Vec::new, |(a, b)| bytes[a..=b].to_vec()))
        }
        Some(_) => Err(Error::WrongType),
    }
}

fn getrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let (start, end) = (a.i64()?, a.i64()?);
    Ok(Reply::Bulk(getrange(cx, key, start, end)?))
}

/// SETRANGE: overwrites from `offset`, zero-padding, and answers the new
/// length. An empty `value` changes nothing (and creates no key).
pub fn setrange(cx: &mut Ctx<'_>, key: &[u8], offset: i64, value: &[u8]) -> Result<usize> {
    if offset < 0 {
        return Err(Error::err("offset is out of range"));
    }
    let offset = offset as u64;
    let now = cx.now;
    let exists = match cx.db().write(key, now) {
        None => false,
        Some(Entry { value: Value::Str(s), .. }) => {
            if value.is_empty() {
                return Ok(s.len());
            }
            true
        }
        Some(_) => return Err(Error::WrongType),
    };
    if value.is_empty() {
        return Ok(0);
    }
    check_string_length(cx, offset, value.len() as u64)?;
    // Fits proto-max-bulk-len, hence (on the targets that can hold such a
    // string) usize.
    let offset = usize::try_from(offset).map_err(|_| Error::StringTooLong)?;
    let total = offset.checked_add(value.len()).ok_or(Error::StringTooLong)?;
    let write = |buf: &mut Vec<u8>| -> Result<usize> {
        if buf.len() < total {
            buf.try_reserve(total - buf.len()).map_err(|_| Error::Oom)?;
            buf.resize(total, 0);
        }
        buf[offset..total].copy_from_slice(value);
        Ok(buf.len())
    };
    let len = if exists {
        let Some(Entry { value: Value::Str(s), .. }) = cx.db().write(key, now) else { return Err(Error::WrongType) };
        write(s.make_raw())?
    } else {
        let mut buf = Vec::new();
        let len = write(&mut buf)?;
        cx.db().insert_new(key.into(), Value::Str(Str::Raw(buf)), None, now);
        len
    };
    cx.touched(key);
    cx.notify(notify::STRING, "setrange", key);
    cx.dirty(1);
    Ok(len)
}

fn setrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let offset = a.i64()?;
    let value = a.req()?;
    Ok(Reply::Int(setrange(cx, key, offset, value)? as i64))
}

/// INCRBY (INCR, DECR, DECRBY): adds `delta` to the integer value (0 when
/// missing), keeping the TTL; the result is "int"-encoded.
pub fn incr_by(cx: &mut Ctx<'_>, key: &[u8], delta: i64) -> Result<i64> {
    let now = cx.now;
    let v = match cx.db().write(key, now) {
        None => {
            let v = delta;
            cx.db().insert_new(key.into(), Value::Str(Str::Int(v)), None, now);
            v
        }
        Some(e) => {
            let Value::Str(s) = &mut e.value else { return Err(Error::WrongType) };
            let old = s.as_i64().ok_or(Error::NotInteger)?;
            let v = old.checked_add(delta).ok_or(Error::Overflow)?;
            *s = Str::Int(v);
            v
        }
    };
    cx.touched(key);
    cx.notify(notify::STRING, "incrby", key);
    cx.dirty(1);
    Ok(v)
}

fn incr_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(incr_by(cx, a.req()?, 1)?))
}

fn decr_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(incr_by(cx, a.req()?, -1)?))
}

fn incrby_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let delta = a.i64()?;
    Ok(Reply::Int(incr_by(cx, key, delta)?))
}

fn decrby_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let delta = a.i64()?;
    let neg = delta.checked_neg().ok_or_else(|| Error::err("decrement would overflow"))?;
    Ok(Reply::Int(incr_by(cx, key, neg)?))
}

/// INCRBYFLOAT: adds `incr` (text, parsed like `strtold`) to the value in
/// x87 `long double` arithmetic and stores the `%.17Lf`-style result as a
/// plain string ("embstr"/"raw", never "int"), keeping the TTL. Returns
/// the stored text.
pub fn incr_by_float(cx: &mut Ctx<'_>, key: &[u8], incr: &[u8]) -> Result<Vec<u8>> {
    let now = cx.now;
    let (exists, current) = match cx.db().write(key, now) {
        None => (false, LongDouble::from_i64(0)),
        Some(Entry { value: Value::Str(s), .. }) => {
            let v = match s {
                Str::Int(n) | Str::IntUnshared(n) => LongDouble::from_i64(*n),
                other => LongDouble::parse(&other.as_bytes()).ok_or(Error::NotFloat)?,
            };
            (true, v)
        }
        Some(_) => return Err(Error::WrongType),
    };
    let incr = LongDouble::parse(incr).ok_or(Error::NotFloat)?;
    let sum = current.add(incr);
    if !sum.is_finite() {
        return Err(Error::NanOrInfinity);
    }
    // Redis's 5 KiB buffer never overflows for a finite x87 value; were it
    // to, Redis would store the empty string it got back.
    let text = sum.to_human().unwrap_or_default();
    let stored = if text.len() <= EMBSTR_MAX { Str::Emb(text.as_slice().into()) } else { Str::Raw(text.clone()) };
    cx.db().set(key, Value::Str(stored), exists, now);
    cx.touched(key);
    cx.notify(notify::STRING, "incrbyfloat", key);
    cx.dirty(1);
    Ok(text)
}

fn incrbyfloat_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, incr) = (a.req()?, a.req()?);
    Ok(Reply::Bulk(incr_by_float(cx, key, incr)?))
}

/// What LCS answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LcsMode {
    /// The longest common subsequence itself.
    #[default]
    String,
    /// LEN: its length.
    Len,
    /// IDX: the matching ranges and the length.
    Idx,
}

/// Options of [`lcs`].
#[derive(Debug, Clone, Copy, Default)]
pub struct LcsOptions {
    /// LEN / IDX.
    pub mode: LcsMode,
    /// MINMATCHLEN: ranges shorter than this are not listed (IDX).
    pub min_match_len: u64,
    /// WITHMATCHLEN: list each range's length (IDX).
    pub with_match_len: bool,
}

/// One matching range of LCS IDX: inclusive byte ranges in each string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LcsMatch {
    /// Range in the first string.
    pub a: (usize, usize),
    /// Range in the second string.
    pub b: (usize, usize),
    /// Its length.
    pub len: usize,
}

/// The answer of [`lcs`], by mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LcsResult {
    /// The subsequence.
    String(Vec<u8>),
    /// Its length.
    Len(usize),
    /// Ranges, from the end of the strings backwards as Redis lists them,
    /// and the subsequence's length.
    Idx {
        /// Matching ranges.
        matches: Vec<LcsMatch>,
        /// Length of the subsequence.
        len: usize,
    },
}

/// The two values LCS compares; missing keys are empty strings, and any
/// non-string is an error (checked before the options, as in Redis).
fn lcs_values(cx: &mut Ctx<'_>, a: &[u8], b: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let now = cx.now;
    let mut fetch = |k: &[u8]| match cx.db().read(k, now) {
        None => Ok(Some(Vec::new())),
        Some(Entry { value: Value::Str(s), .. }) => Ok(Some(s.to_vec())),
        Some(_) => Ok(None),
    };
    let (va, vb): (Result<_>, Result<_>) = (fetch(a), fetch(b));
    match (va?, vb?) {
        (Some(x), Some(y)) => Ok((x, y)),
        _ => Err(Error::err("The specified keys must contain string values")),
    }
}

/// LCS of two keys' values.
pub fn lcs(cx: &mut Ctx<'_>, a: &[u8], b: &[u8], opts: LcsOptions) -> Result<LcsResult> {
    let (x, y) = lcs_values(cx, a, b)?;
    lcs_compute(cx, &x, &y, opts)
}

/// Redis's dynamic-programming LCS, with its limits and its traceback (so
/// ties and range order match).
fn lcs_compute(cx: &Ctx<'_>, a: &[u8], b: &[u8], opts: LcsOptions) -> Result<LcsResult> {
    if a.len() as u64 >= u32::MAX as u64 - 1 || b.len() as u64 >= u32::MAX as u64 - 1 {
        return Err(Error::err("String too long for LCS"));
    }
    let (alen, blen) = (a.len(), b.len());
    let cells = (alen as u64 + 1) * (blen as u64 + 1);
    if cells.saturating_mul(4) > cx.config().proto_max_bulk_len {
        return Err(Error::err("Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len"));
    }
    let oom = || Error::err("Insufficient memory, failed allocating transient memory for LCS");
    let cells = usize::try_from(cells).map_err(|_| oom())?;
    let mut t: Vec<u32> = Vec::new();
    t.try_reserve_exact(cells).map_err(|_| oom())?;
    t.resize(cells, 0);
    let w = blen + 1;
    for i in 1..=alen {
        for j in 1..=blen {
            t[i * w + j] = if a[i - 1] == b[j - 1] { t[(i - 1) * w + j - 1] + 1 } else { t[(i - 1) * w + j].max(t[i * w + j - 1]) };
        }
    }
    let total = t[alen * w + blen] as usize;
    if opts.mode == LcsMode::Len {
        return Ok(LcsResult::Len(total));
    }
    let mut result = alloc::vec![0u8; total];
    let mut matches = Vec::new();
    let mut idx = total;
    // `ra.0 == alen` marks "no range open", as in Redis.
    let (mut ra, mut rb) = ((alen, 0usize), (0usize, 0usize));
    let (mut i, mut j) = (alen, blen);
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            result[idx - 1] = a[i - 1];
            if ra.0 == alen {
                ra = (i - 1, i - 1);
                rb = (j - 1, j - 1);
            } else if ra.0 == i && rb.0 == j {
                ra.0 -= 1;
                rb.0 -= 1;
            } else {
                emit = true;
            }
            if ra.0 == 0 || rb.0 == 0 {
                emit = true;
            }
            idx -= 1;
            i -= 1;
            j -= 1;
        } else {
            if t[(i - 1) * w + j] > t[i * w + j - 1] {
                i -= 1;
            } else {
                j -= 1;
            }
            if ra.0 != alen {
                emit = true;
            }
        }
        if emit {
            let len = ra.1.wrapping_sub(ra.0).wrapping_add(1);
            if opts.min_match_len == 0 || len as u64 >= opts.min_match_len {
                matches.push(LcsMatch { a: ra, b: rb, len });
            }
            ra.0 = alen;
        }
    }
    Ok(match opts.mode {
        LcsMode::Idx => LcsResult::Idx { matches, len: total },
        _ => LcsResult::String(result),
    })
}

fn lcs_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (ka, kb) = (a.req()?, a.req()?);
    // Redis reads both keys (and checks their types) before the options.
    let (x, y) = lcs_values(cx, ka, kb)?;
    let (mut len, mut idx) = (false, false);
    let mut opts = LcsOptions::default();
    while let Some(opt) = a.next() {
        if is_kw(opt, "idx") {
            idx = true;
        } else if is_kw(opt, "len") {
            len = true;
        } else if is_kw(opt, "withmatchlen") {
            opts.with_match_len = true;
        } else if is_kw(opt, "minmatchlen") && !a.is_empty() {
            opts.min_match_len = a.i64()?.max(0) as u64;
        } else {
            return Err(Error::Syntax);
        }
    }
    if len && idx {
        return Err(Error::err("If you want both the length and indexes, please just use IDX."));
    }
    opts.mode = if idx {
        LcsMode::Idx
    } else if len {
        LcsMode::Len
    } else {
        LcsMode::String
    };
    Ok(match lcs_compute(cx, &x, &y, opts)? {
        LcsResult::String(s) => Reply::Bulk(s),
        LcsResult::Len(n) => Reply::Int(n as i64),
        LcsResult::Idx { matches, len } => {
            let pair = |r: (usize, usize)| Reply::Array(alloc::vec![Reply::Int(r.0 as i64), Reply::Int(r.1 as i64)]);
            let items = matches
                .into_iter()
                .map(|m| {
                    let mut v = alloc::vec![pair(m.a), pair(m.b)];
                    if opts.with_match_len {
                        v.push(Reply::Int(m.len as i64));
                    }
                    Reply::Array(v)
                })
                .collect();
            Reply::Map(alloc::vec![
                (Reply::bulk(b"matches"), Reply::Array(items)),
                (Reply::bulk(b"len"), Reply::Int(len as i64)),
            ])
        }
    })
}

impl Engine {
    /// `GET key` in db `db`.
    pub fn get(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| get(cx, key))
    }

    /// `SET key value [options]` in db `db`.
    pub fn set(&mut self, db: usize, key: &[u8], value: &[u8], opts: SetOptions) -> Result<SetOutcome> {
        self.typed_line(|| {
            let mut l = cmd_line(&[b"SET", key, value], []);
            match opts.condition {
                SetCondition::Always => {}
                SetCondition::IfAbsent => l.push(b"NX".to_vec()),
                SetCondition::IfPresent => l.push(b"XX".to_vec()),
            }
            match opts.expiry {
                SetExpiry::Clear => {}
                SetExpiry::Keep => l.push(b"KEEPTTL".to_vec()),
                SetExpiry::At(at) => l.extend([b"PXAT".to_vec(), num::fmt_u64(at).into_bytes()]),
            }
            if opts.get {
                l.push(b"GET".to_vec());
            }
            l
        });
        self.with_ctx(db, |cx| set(cx, key, value, opts))
    }

    /// `SETNX key value`: true if written.
    pub fn setnx(&mut self, db: usize, key: &[u8], value: &[u8]) -> Result<bool> {
        self.with_ctx(db, |cx| setnx(cx, key, value))
    }

    /// `MGET key...`: `None` for missing keys and non-strings.
    pub fn mget(&mut self, db: usize, keys: &[&[u8]]) -> Result<Vec<Option<Vec<u8>>>> {
        self.with_ctx(db, |cx| mget(cx, keys))
    }

    /// `MSET key value ...`.
    pub fn mset(&mut self, db: usize, pairs: &[(&[u8], &[u8])]) -> Result<()> {
        self.typed_line(|| cmd_line(&[b"MSET"], pairs.iter().flat_map(|&(k, v)| [k, v])));
        self.with_ctx(db, |cx| mset(cx, pairs, false).map(|_| ()))
    }

    /// `MSETNX key value ...`: true if all were written (none existed).
    pub fn msetnx(&mut self, db: usize, pairs: &[(&[u8], &[u8])]) -> Result<bool> {
        self.with_ctx(db, |cx| mset(cx, pairs, true))
    }

    /// `GETSET key value`: the old value.
    pub fn getset(&mut self, db: usize, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| getset(cx, key, value))
    }

    /// `GETDEL key`.
    pub fn getdel(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| getdel(cx, key))
    }

    /// `GETEX key [EX|PX|EXAT|PXAT|PERSIST]`, the expiry made absolute.
    pub fn getex(&mut self, db: usize, key: &[u8], expiry: GetExExpiry) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| getex(cx, key, expiry))
    }

    /// `APPEND key value`: the new length.
    pub fn append(&mut self, db: usize, key: &[u8], value: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| append(cx, key, value))
    }

    /// `STRLEN key`.
    pub fn strlen(&mut self, db: usize, key: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| strlen(cx, key))
    }

    /// `GETRANGE key start end`.
    pub fn getrange(&mut self, db: usize, key: &[u8], start: i64, end: i64) -> Result<Vec<u8>> {
        self.with_ctx(db, |cx| getrange(cx, key, start, end))
    }

    /// `SETRANGE key offset value`: the new length.
    pub fn setrange(&mut self, db: usize, key: &[u8], offset: i64, value: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| setrange(cx, key, offset, value))
    }

    /// `INCRBY key delta` (INCR, DECR, DECRBY with the matching delta).
    pub fn incr_by(&mut self, db: usize, key: &[u8], delta: i64) -> Result<i64> {
        self.typed_line(|| cmd_line(&[b"INCRBY", key, num::fmt_i64(delta).as_bytes()], []));
        self.with_ctx(db, |cx| incr_by(cx, key, delta))
    }

    /// `INCRBYFLOAT key incr`: the stored result text. `incr` is text so
    /// that it is parsed exactly as Redis parses it.
    pub fn incr_by_float(&mut self, db: usize, key: &[u8], incr: &[u8]) -> Result<Vec<u8>> {
        self.with_ctx(db, |cx| incr_by_float(cx, key, incr))
    }

    /// `LCS a b [LEN|IDX] [MINMATCHLEN n] [WITHMATCHLEN]`.
    pub fn lcs(&mut self, db: usize, a: &[u8], b: &[u8], opts: LcsOptions) -> Result<LcsResult> {
        self.with_ctx(db, |cx| lcs(cx, a, b, opts))
    }
}
