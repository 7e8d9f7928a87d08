//! String commands: GET SET and friends.
//!
//! Handlers parse; the typed operations below them ([`get`], [`set`]) hold
//! the semantics and back both `execute` and the typed [`Engine`] API.

use alloc::vec::Vec;

use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::reply::Reply;
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
    if let SetExpiry::At(at) = opts.expiry {
        cx.db().set_expire(key, at, now);
    }
    cx.dirty(1);
    cx.touched(key);
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

impl Engine {
    /// `GET key` in db `db`.
    pub fn get(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| get(cx, key))
    }

    /// `SET key value [options]` in db `db`.
    pub fn set(&mut self, db: usize, key: &[u8], value: &[u8], opts: SetOptions) -> Result<SetOutcome> {
        self.with_ctx(db, |cx| set(cx, key, value, opts))
    }
}
