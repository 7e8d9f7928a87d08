//! Sorted-set commands: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK
//! ZREVRANK ZCOUNT ZLEXCOUNT ZRANGE ZRANGESTORE ZREVRANGE ZRANGEBYSCORE
//! ZREVRANGEBYSCORE ZRANGEBYLEX ZREVRANGEBYLEX ZREMRANGEBYRANK
//! ZREMRANGEBYSCORE ZREMRANGEBYLEX ZPOPMIN ZPOPMAX ZMPOP ZRANDMEMBER ZUNION
//! ZINTER ZDIFF ZUNIONSTORE ZINTERSTORE ZDIFFSTORE ZINTERCARD ZSCAN and the
//! blocking BZPOPMIN BZPOPMAX BZMPOP.
//!
//! Handlers parse; the typed operations below them hold the semantics and
//! back both `execute` and the typed [`Engine`] API. They follow Redis
//! 7.0.15's `t_zset.c` where the outcome is observable: which error wins
//! (arguments parsed before or after the key lookup), reply shapes per
//! protocol (RESP3 nests member/score pairs, scores are doubles), the
//! encoding of created and stored sets, dirty counts and key deletion.
//!
//! Scores are parsed with `strtod` rules ([`strtod`]): hexadecimal floats
//! and `inf` are accepted; ZADD-style arguments reject NaN, overflow and
//! whitespace, while range ends (`zslParseRange`) accept what `strtod`
//! accepts up to the end of the C string.
//!
//! Multi-key commands look every key up once with a read lookup (hit/miss
//! statistics, lazy expiry) and then revisit them with `peek`, one at a
//! time, copying what they need, so no two values are borrowed at once.

use alloc::boxed::Box;
use alloc::vec::Vec;

use hashbrown::HashMap;

use crate::cmd::hashes::{random_reply_too_large, range_error, RANDOM_REPLY_MAX};
use crate::cmd::{flags::*, is_kw, Args, Command, Ctx, ScanArgs};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::num;
use crate::persist::cmd_line;
use crate::reply::{Protocol, Reply};
use crate::types::zset::{double2ll, AddFlags, AddOutcome, LexEdge, LexRange, Limits, ScoreRange, ZSet};
use crate::types::Value;

macro_rules! zcmd {
    ($name:expr, $arity:expr, $flags:expr, $acl:expr, $keys:expr, $summary:expr, $since:expr, $handler:expr) => {
        Command {
            name: $name,
            arity: $arity,
            flags: $flags,
            acl: $acl,
            first_key: $keys.0,
            last_key: $keys.1,
            step: $keys.2,
            group: "sorted-set",
            summary: $summary,
            since: $since,
            handler: $handler,
            ..Command::DEFAULT
        }
    };
}

const RF: &str = "@read @sortedset @fast";
const RS: &str = "@read @sortedset @slow";
const WF: &str = "@write @sortedset @fast";
const WS: &str = "@write @sortedset @slow";

/// The sorted-set family's command table (arity, flags, ACL categories and
/// key positions as Redis 7.0.15's COMMAND INFO reports them).
pub const COMMANDS: &[Command] = &[
    zcmd!("zadd", -4, WRITE | DENYOOM | FAST, WF, (1, 1, 1), "Add one or more members to a sorted set, or update its score if it already exists", "1.2.0", zadd_cmd),
    zcmd!("zincrby", 4, WRITE | DENYOOM | FAST, WF, (1, 1, 1), "Increment the score of a member in a sorted set", "1.2.0", zincrby_cmd),
    zcmd!("zrem", -3, WRITE | FAST, WF, (1, 1, 1), "Remove one or more members from a sorted set", "1.2.0", zrem_cmd),
    zcmd!("zcard", 2, READONLY | FAST, RF, (1, 1, 1), "Get the number of members in a sorted set", "1.2.0", zcard_cmd),
    zcmd!("zscore", 3, READONLY | FAST, RF, (1, 1, 1), "Get the score associated with the given member in a sorted set", "1.2.0", zscore_cmd),
    zcmd!("zmscore", -3, READONLY | FAST, RF, (1, 1, 1), "Get the score associated with the given members in a sorted set", "6.2.0", zmscore_cmd),
    zcmd!("zrank", 3, READONLY | FAST, RF, (1, 1, 1), "Determine the index of a member in a sorted set", "2.0.0", zrank_cmd),
    zcmd!("zrevrank", 3, READONLY | FAST, RF, (1, 1, 1), "Determine the index of a member in a sorted set, with scores ordered from high to low", "2.0.0", zrevrank_cmd),
    zcmd!("zcount", 4, READONLY | FAST, RF, (1, 1, 1), "Count the members in a sorted set with scores within the given values", "2.0.0", zcount_cmd),
    zcmd!("zlexcount", 4, READONLY | FAST, RF, (1, 1, 1), "Count the number of members in a sorted set between a given lexicographical range", "2.8.9", zlexcount_cmd),
    zcmd!("zrange", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set", "1.2.0", zrange_cmd),
    zcmd!("zrangestore", -5, WRITE | DENYOOM, WS, (1, 2, 1), "Store a range of members from sorted set into another key", "6.2.0", zrangestore_cmd),
    zcmd!("zrevrange", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set, by index, with scores ordered from high to low", "1.2.0", zrevrange_cmd),
    zcmd!("zrangebyscore", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set, by score", "1.0.5", zrangebyscore_cmd),
    zcmd!("zrevrangebyscore", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set, by score, with scores ordered from high to low", "2.2.0", zrevrangebyscore_cmd),
    zcmd!("zrangebylex", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set, by lexicographical range", "2.8.9", zrangebylex_cmd),
    zcmd!("zrevrangebylex", -4, READONLY, RS, (1, 1, 1), "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.", "2.8.9", zrevrangebylex_cmd),
    zcmd!("zremrangebyrank", 4, WRITE, WS, (1, 1, 1), "Remove all members in a sorted set within the given indexes", "2.0.0", zremrangebyrank_cmd),
    zcmd!("zremrangebyscore", 4, WRITE, WS, (1, 1, 1), "Remove all members in a sorted set within the given scores", "1.2.0", zremrangebyscore_cmd),
    zcmd!("zremrangebylex", 4, WRITE, WS, (1, 1, 1), "Remove all members in a sorted set between the given lexicographical range", "2.8.9", zremrangebylex_cmd),
    zcmd!("zpopmin", -2, WRITE | FAST, WF, (1, 1, 1), "Remove and return members with the lowest scores in a sorted set", "5.0.0", zpopmin_cmd),
    zcmd!("zpopmax", -2, WRITE | FAST, WF, (1, 1, 1), "Remove and return members with the highest scores in a sorted set", "5.0.0", zpopmax_cmd),
    zcmd!("zmpop", -4, WRITE | MOVABLE_KEYS, WS, (0, 0, 0), "Remove and return members with scores in a sorted set", "7.0.0", zmpop_cmd),
    zcmd!("zrandmember", -2, READONLY, RS, (1, 1, 1), "Get one or multiple random elements from a sorted set", "6.2.0", zrandmember_cmd),
    zcmd!("zunion", -3, READONLY | MOVABLE_KEYS, RS, (0, 0, 0), "Add multiple sorted sets", "6.2.0", zunion_cmd),
    zcmd!("zinter", -3, READONLY | MOVABLE_KEYS, RS, (0, 0, 0), "Intersect multiple sorted sets", "6.2.0", zinter_cmd),
    zcmd!("zdiff", -3, READONLY | MOVABLE_KEYS, RS, (0, 0, 0), "Subtract multiple sorted sets", "6.2.0", zdiff_cmd),
    zcmd!("zunionstore", -4, WRITE | DENYOOM | MOVABLE_KEYS, WS, (1, 1, 1), "Add multiple sorted sets and store the resulting sorted set in a new key", "2.0.0", zunionstore_cmd),
    zcmd!("zinterstore", -4, WRITE | DENYOOM | MOVABLE_KEYS, WS, (1, 1, 1), "Intersect multiple sorted sets and store the resulting sorted set in a new key", "2.0.0", zinterstore_cmd),
    zcmd!("zdiffstore", -4, WRITE | DENYOOM | MOVABLE_KEYS, WS, (1, 1, 1), "Subtract multiple sorted sets and store the resulting sorted set in a new key", "6.2.0", zdiffstore_cmd),
    zcmd!("zintercard", -3, READONLY | MOVABLE_KEYS, RS, (0, 0, 0), "Intersect multiple sorted sets and return the cardinality of the result", "7.0.0", zintercard_cmd),
    zcmd!("zscan", -3, READONLY, RS, (1, 1, 1), "Incrementally iterate sorted sets elements and associated scores", "2.8.0", zscan_cmd),
    zcmd!("bzpopmin", -3, WRITE | NOSCRIPT | BLOCKING | FAST, "@write @sortedset @fast @blocking", (1, -2, 1), "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available", "5.0.0", bzpopmin_cmd),
    zcmd!("bzpopmax", -3, WRITE | NOSCRIPT | BLOCKING | FAST, "@write @sortedset @fast @blocking", (1, -2, 1), "Remove and return the member with the highest score from one or more sorted sets, or block until one is available", "5.0.0", bzpopmax_cmd),
    zcmd!("bzmpop", -5, WRITE | BLOCKING | MOVABLE_KEYS, "@write @sortedset @slow @blocking", (0, 0, 0), "Remove and return members with scores in a sorted set or block until one is available", "7.0.0", bzmpop_cmd),
];

// ---------------------------------------------------------------------------
// Number parsing.
// ---------------------------------------------------------------------------

/// C's `isspace` in the "C" locale.
fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// `m * 2^e2` correctly rounded to a double (round half to even), with
/// `sticky` telling whether nonzero bits were dropped below `m`. Returns
/// the value and whether it overflowed or underflowed to zero (ERANGE).
fn scale_pow2(m: u64, sticky: bool, e2: i64) -> (f64, bool) {
    if m == 0 {
        return (0.0, false);
    }
    let lz = m.leading_zeros();
    let m = m << lz;
    let e2 = e2 - lz as i64;
    // The value lies in [2^top, 2^(top+1)).
    let top = e2 + 63;
    if top > 1023 {
        return (f64::INFINITY, true);
    }
    // Bits of `m` dropped to fit 53 bits (more for subnormals).
    let shift: i64 = if top >= -1022 { 11 } else { 11 + (-1022 - top) };
    if shift > 64 {
        return (0.0, true);
    }
    let m128 = m as u128;
    let mut kept = (m128 >> shift) as u64;
    let rem = m128 & ((1u128 << shift) - 1);
    let half = 1u128 << (shift - 1);
    if rem > half || (rem == half && (sticky || kept & 1 == 1)) {
        kept += 1;
    }
    if kept == 0 {
        return (0.0, true);
    }
    // value = kept * 2^exp with exp >= -1074 and kept <= 2^53: one exact
    // multiplication (the rounding already happened above).
    let exp = e2 + shift;
    let v = kept as f64 * pow2(exp);
    (v, v.is_infinite())
}

/// 2^e for -1074 <= e <= 1023, exactly (subnormal powers included).
fn pow2(e: i64) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1u64 << (e + 1074))
    }
}

/// C's `strtod` (glibc, "C" locale): skips leading whitespace, then parses
/// the longest valid prefix: decimal or hexadecimal (`0x1.8p3`) numbers,
/// `inf`, `infinity`, `nan`, `nan(...)`. Returns the value, the number of
/// bytes consumed (0 when nothing converts) and whether the result is out
/// of range (overflow to infinity, or a nonzero number underflowing to 0).
pub fn strtod(s: &[u8]) -> (f64, usize, bool) {
    let mut i = 0;
    while i < s.len() && is_c_space(s[i]) {
        i += 1;
    }
    let start = i;
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
    let sign = |v: f64| if neg { -v } else { v };
    let rest = &s[i..];
    let starts_ci = |w: &[u8]| rest.len() >= w.len() && rest[..w.len()].eq_ignore_ascii_case(w);
    if starts_ci(b"inf") {
        let n = if starts_ci(b"infinity") { 8 } else { 3 };
        return (sign(f64::INFINITY), i + n, false);
    }
    if starts_ci(b"nan") {
        let mut n = 3;
        if rest.get(3) == Some(&b'(') {
            let body = rest[4..].iter().take_while(|c| c.is_ascii_alphanumeric() || **c == b'_').count();
            if rest.get(4 + body) == Some(&b')') {
                n = 5 + body;
            }
        }
        return (f64::NAN, i + n, false);
    }
    let is_hex = |c: Option<&u8>| c.is_some_and(|c| c.is_ascii_hexdigit());
    if rest.len() >= 2
        && rest[0] == b'0'
        && (rest[1] | 0x20) == b'x'
        && (is_hex(rest.get(2)) || (rest.get(2) == Some(&b'.') && is_hex(rest.get(3))))
    {
        let (v, n, erange) = parse_hex(&rest[2..]);
        return (sign(v), i + 2 + n, erange);
    }
    // Decimal: digits [. digits] [e [sign] digits].
    let mut j = 0;
    let mut digits = 0;
    let mut nonzero = false;
    while j < rest.len() && rest[j].is_ascii_digit() {
        nonzero |= rest[j] != b'0';
        j += 1;
        digits += 1;
    }
    if j < rest.len() && rest[j] == b'.' {
        j += 1;
        while j < rest.len() && rest[j].is_ascii_digit() {
            nonzero |= rest[j] != b'0';
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return (0.0, 0, false);
    }
    if j < rest.len() && (rest[j] | 0x20) == b'e' {
        let mut k = j + 1;
        if k < rest.len() && (rest[k] == b'+' || rest[k] == b'-') {
            k += 1;
        }
        if k < rest.len() && rest[k].is_ascii_digit() {
            while k < rest.len() && rest[k].is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = core::str::from_utf8(&rest[..j]).unwrap_or("0");
    let v: f64 = text.parse().unwrap_or(0.0);
    let erange = v.is_infinite() || (v == 0.0 && nonzero);
    let _ = start;
    (sign(v), i + j, erange)
}

/// The part of a hexadecimal float after `0x`: hex digits with an optional
/// point, then an optional binary exponent `p[+-]digits`.
fn parse_hex(s: &[u8]) -> (f64, usize, bool) {
    let mut m: u64 = 0;
    let mut sticky = false;
    let mut e2: i64 = 0;
    let mut j = 0;
    let mut seen_point = false;
    while j < s.len() {
        let c = s[j];
        if c == b'.' && !seen_point {
            seen_point = true;
            j += 1;
            continue;
        }
        let Some(d) = (c as char).to_digit(16) else { break };
        if m >> 60 == 0 {
            m = m * 16 + d as u64;
            if seen_point {
                e2 -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                e2 += 4;
            }
        }
        j += 1;
    }
    if j < s.len() && (s[j] | 0x20) == b'p' {
        let mut k = j + 1;
        let mut eneg = false;
        if k < s.len() && (s[k] == b'+' || s[k] == b'-') {
            eneg = s[k] == b'-';
            k += 1;
        }
        if k < s.len() && s[k].is_ascii_digit() {
            let mut e: i64 = 0;
            while k < s.len() && s[k].is_ascii_digit() {
                e = (e * 10 + (s[k] - b'0') as i64).min(1 << 40);
                k += 1;
            }
            e2 += if eneg { -e } else { e };
            j = k;
        }
    }
    let (v, erange) = scale_pow2(m, sticky, e2);
    (v, j, erange)
}

/// Parses a score like Redis's `getDoubleFromObject`: `strtod` over the
/// whole argument, no leading whitespace, no NaN, no overflow or underflow
/// to zero.
pub fn parse_score(arg: &[u8]) -> Option<f64> {
    if arg.is_empty() || is_c_space(arg[0]) {
        return None;
    }
    let (v, used, erange) = strtod(arg);
    if used != arg.len() || v.is_nan() || (erange && (v.is_infinite() || v == 0.0)) {
        return None;
    }
    Some(v)
}

/// One end of a score range like `zslParseRange`: `(` makes it exclusive;
/// the rest goes through `strtod`, which must stop at the end of the C
/// string (the argument's end or a NUL byte); NaN is rejected.
fn parse_range_end(arg: &[u8]) -> Option<(f64, bool)> {
    let (body, ex) = match arg.first() {
        Some(b'(') => (&arg[1..], true),
        _ => (arg, false),
    };
    let (v, used, _) = strtod(body);
    if body.get(used).is_some_and(|&c| c != 0) || v.is_nan() {
        return None;
    }
    Some((v, ex))
}

/// Parses a score range, with Redis's error.
pub fn parse_score_range(min: &[u8], max: &[u8]) -> Result<ScoreRange> {
    let err = || Error::err("min or max is not a float");
    let (min, minex) = parse_range_end(min).ok_or_else(err)?;
    let (max, maxex) = parse_range_end(max).ok_or_else(err)?;
    Ok(ScoreRange { min, max, minex, maxex })
}

/// One end of a lex range like `zslParseLexRangeItem`.
fn parse_lex_end(arg: &[u8]) -> Option<(LexEdge, bool)> {
    // `+` and `-` must be the whole C string.
    let alone = arg.get(1).is_none_or(|&c| c == 0);
    match arg.first() {
        Some(b'+') if alone => Some((LexEdge::PosInf, true)),
        Some(b'-') if alone => Some((LexEdge::NegInf, true)),
        Some(b'(') => Some((LexEdge::Str(arg[1..].into()), true)),
        Some(b'[') => Some((LexEdge::Str(arg[1..].into()), false)),
        _ => None,
    }
}

/// Parses a lex range, with Redis's error.
pub fn parse_lex_range(min: &[u8], max: &[u8]) -> Result<LexRange> {
    let err = || Error::err("min or max not valid string range item");
    let (min, minex) = parse_lex_end(min).ok_or_else(err)?;
    let (max, maxex) = parse_lex_end(max).ok_or_else(err)?;
    Ok(LexRange { min, max, minex, maxex })
}

/// How a listpack stores a score, as ZSCAN returns it: integral values
/// within +/- 2^62 as integers, others as `%.17g` (`inf`, `-inf`).
pub fn listpack_score_text(s: f64) -> Vec<u8> {
    match double2ll(s) {
        Some(n) => num::fmt_i64(n).into_bytes(),
        None => num::fmt_g17(s).into_bytes(),
    }
}

// ---------------------------------------------------------------------------
// Lookups and shared helpers.
// ---------------------------------------------------------------------------

/// The conversion thresholds from the engine's configuration.
fn limits(cx: &Ctx<'_>) -> Limits {
    Limits::of(cx.config())
}

/// Deletes `key` if its sorted set became empty; true if it did.
fn drop_if_empty(cx: &mut Ctx<'_>, key: &[u8]) -> bool {
    if cx.peek_as(key, Value::as_zset_mut).is_some_and(|z| z.is_empty()) {
        let now = cx.now;
        cx.db().remove(key, now);
        return true;
    }
    false
}

/// Stores `z` at `dst` (old value and TTL replaced) or, when empty, deletes
/// `dst`, as the *STORE commands do, notifying `event` (or `del`). Returns
/// the stored cardinality.
fn store(cx: &mut Ctx<'_>, dst: &[u8], z: ZSet, event: &str) -> usize {
    let now = cx.now;
    let n = z.len();
    if n > 0 {
        cx.db().set(dst, Value::ZSet(Box::new(z)), false, now);
        cx.touched(dst);
        // The *STORE commands reply before notifying.
        cx.reply_point();
        cx.notify(notify::ZSET, event, dst);
        cx.dirty(1);
    } else if cx.db().remove(dst, now).is_some() {
        // Storing signals before the reply (setKey); deleting after it.
        cx.reply_point();
        cx.touched(dst);
        cx.notify(notify::GENERIC, "del", dst);
        cx.dirty(1);
    }
    n
}

/// A member with its score, as replies carry them.
pub type Scored = (Vec<u8>, f64);

fn is_resp3(cx: &Ctx<'_>) -> bool {
    cx.eng.protocol(cx.client) == Protocol::Resp3
}

/// Members, or members with scores: flat in RESP2, `[member, score]` pairs
/// in RESP3.
fn scored_reply(cx: &Ctx<'_>, items: Vec<Scored>, withscores: bool) -> Reply {
    if !withscores {
        return Reply::Array(items.into_iter().map(|(m, _)| Reply::Bulk(m)).collect());
    }
    if is_resp3(cx) {
        Reply::Array(items.into_iter().map(|(m, s)| Reply::Array(alloc::vec![Reply::Bulk(m), Reply::Double(s)])).collect())
    } else {
        flat_pairs(items)
    }
}

fn flat_pairs(items: Vec<Scored>) -> Reply {
    let mut out = Vec::with_capacity(items.len() * 2);
    for (m, s) in items {
        out.push(Reply::Bulk(m));
        out.push(Reply::Double(s));
    }
    Reply::Array(out)
}

fn nested_pairs(items: Vec<Scored>) -> Reply {
    Reply::Array(items.into_iter().map(|(m, s)| Reply::Array(alloc::vec![Reply::Bulk(m), Reply::Double(s)])).collect())
}

// ---------------------------------------------------------------------------
// ZADD / ZINCRBY / ZREM.
// ---------------------------------------------------------------------------

/// ZADD's options.
#[derive(Debug, Clone, Copy, Default)]
pub struct ZAddOptions {
    /// Only add new members.
    pub nx: bool,
    /// Only update existing members.
    pub xx: bool,
    /// Only update when the new score is greater.
    pub gt: bool,
    /// Only update when the new score is less.
    pub lt: bool,
    /// Count changed members too, not only added ones.
    pub ch: bool,
    /// Increment instead of set (one pair only).
    pub incr: bool,
}

/// What ZADD answers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ZAddReply {
    /// Members added (or added and changed, with CH).
    Count(usize),
    /// With INCR: the new score, `None` when NX/XX/GT/LT aborted.
    Score(Option<f64>),
}

/// ZADD / ZINCRBY (`zaddGenericCommand` after parsing): option checks,
/// key creation with the encoding the first member calls for, then each
/// pair in order. A NaN result stops with an error, keeping what was done.
pub fn zadd_with(cx: &mut Ctx<'_>, key: &[u8], o: ZAddOptions, pairs: &[(f64, &[u8])]) -> Result<ZAddReply> {
    if pairs.is_empty() {
        return Err(Error::Syntax);
    }
    check_zadd_options(&o, pairs.len())?;
    // The command path cannot parse a NaN; refuse one from the typed API
    // before the key is created.
    if pairs.iter().any(|p| p.0.is_nan()) {
        return Err(Error::NotFloat);
    }
    let lim = limits(cx);
    let now = cx.now;
    let exists = cx.write_as(key, Value::as_zset_mut)?.is_some();
    let reply_nothing = || if o.incr { ZAddReply::Score(None) } else { ZAddReply::Count(0) };
    if !exists {
        if o.xx {
            return Ok(reply_nothing());
        }
        let seed = cx.seed();
        let z = ZSet::for_first(seed, pairs[0].1.len(), lim);
        cx.db().insert_new(key.into(), Value::ZSet(Box::new(z)), None, now);
    }
    let flags = AddFlags { incr: o.incr, nx: o.nx, xx: o.xx, gt: o.gt, lt: o.lt };
    let (mut added, mut updated, mut processed) = (0usize, 0usize, 0usize);
    let mut last = 0.0;
    let mut failed = false;
    if let Some(z) = cx.peek_as(key, Value::as_zset_mut) {
        for &(score, member) in pairs {
            match z.add(score, member, flags, lim) {
                Err(()) => {
                    failed = true;
                    break;
                }
                Ok((out, s)) => {
                    match out {
                        AddOutcome::Added => added += 1,
                        AddOutcome::Updated => updated += 1,
                        _ => {}
                    }
                    if out != AddOutcome::Skipped {
                        processed += 1;
                    }
                    last = s;
                }
            }
        }
    }
    if added + updated > 0 {
        if !failed {
            cx.dirty((added + updated) as u64);
        }
        // Redis replies (even with the NaN error) before signalling and
        // notifying.
        cx.reply_point();
        cx.touched(key);
        cx.notify(notify::ZSET, if o.incr { "zincr" } else { "zadd" }, key);
    }
    if failed {
        return Err(Error::err("resulting score is not a number (NaN)"));
    }
    Ok(if o.incr {
        ZAddReply::Score((processed > 0).then_some(last))
    } else {
        ZAddReply::Count(if o.ch { added + updated } else { added })
    })
}

fn zadd_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let mut o = ZAddOptions::default();
    while let Some(opt) = a.peek() {
        if is_kw(opt, "nx") {
            o.nx = true;
        } else if is_kw(opt, "xx") {
            o.xx = true;
        } else if is_kw(opt, "ch") {
            o.ch = true;
        } else if is_kw(opt, "incr") {
            o.incr = true;
        } else if is_kw(opt, "gt") {
            o.gt = true;
        } else if is_kw(opt, "lt") {
            o.lt = true;
        } else {
            break;
        }
        a.next();
    }
    let rest = a.rest();
    if rest.is_empty() || !rest.len().is_multiple_of(2) {
        return Err(Error::Syntax);
    }
    // Option conflicts are reported before any score is parsed.
    check_zadd_options(&o, rest.len() / 2)?;
    let mut pairs = Vec::with_capacity(rest.len() / 2);
    for p in rest.chunks_exact(2) {
        pairs.push((parse_score(p[0]).ok_or(Error::NotFloat)?, p[1]));
    }
    zadd_reply(zadd_with(cx, key, o, &pairs)?)
}

/// The option checks of [`zadd_with`], run alone.
fn check_zadd_options(o: &ZAddOptions, npairs: usize) -> Result<()> {
    if o.nx && o.xx {
        return Err(Error::err("XX and NX options at the same time are not compatible"));
    }
    if (o.nx && (o.gt || o.lt)) || (o.gt && o.lt) {
        return Err(Error::err("GT, LT, and/or NX options at the same time are not compatible"));
    }
    if o.incr && npairs > 1 {
        return Err(Error::err("INCR option supports a single increment-element pair"));
    }
    Ok(())
}

fn zadd_reply(r: ZAddReply) -> Result<Reply> {
    Ok(match r {
        ZAddReply::Count(n) => Reply::Int(n as i64),
        ZAddReply::Score(Some(s)) => Reply::Double(s),
        ZAddReply::Score(None) => Reply::Nil,
    })
}

/// ZINCRBY: returns the member's new score.
pub fn zincrby(cx: &mut Ctx<'_>, key: &[u8], incr: f64, member: &[u8]) -> Result<f64> {
    let o = ZAddOptions { incr: true, ..Default::default() };
    match zadd_with(cx, key, o, &[(incr, member)])? {
        ZAddReply::Score(Some(s)) => Ok(s),
        _ => Err(Error::err("resulting score is not a number (NaN)")),
    }
}

fn zincrby_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let incr = a.req()?;
    // ZINCRBY is ZADD INCR underneath: an option word where the increment
    // goes leaves an odd number of arguments.
    if ["nx", "xx", "ch", "incr", "gt", "lt"].iter().any(|o| is_kw(incr, o)) {
        return Err(Error::Syntax);
    }
    let incr = parse_score(incr).ok_or(Error::NotFloat)?;
    let member = a.req()?;
    Ok(Reply::Double(zincrby(cx, key, incr, member)?))
}

/// ZREM: returns how many members were removed; deletes an emptied key.
pub fn zrem(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<usize> {
    let Some(z) = cx.write_as(key, Value::as_zset_mut)? else { return Ok(0) };
    let mut deleted = 0;
    for m in members {
        if z.remove(m).is_some() {
            deleted += 1;
        }
        if z.is_empty() {
            break;
        }
    }
    let removed = drop_if_empty(cx, key);
    if deleted > 0 {
        cx.notify(notify::ZSET, "zrem", key);
        if removed {
            cx.notify(notify::GENERIC, "del", key);
        }
        cx.touched(key);
        cx.dirty(deleted as u64);
    }
    Ok(deleted)
}

fn zrem_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(zrem(cx, key, a.rest())? as i64))
}

// ---------------------------------------------------------------------------
// Point reads.
// ---------------------------------------------------------------------------

/// ZCARD.
pub fn zcard(cx: &mut Ctx<'_>, key: &[u8]) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_zset_mut)?.map_or(0, |z| z.len()))
}

fn zcard_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    Ok(Reply::Int(zcard(cx, key)? as i64))
}

/// ZSCORE.
pub fn zscore(cx: &mut Ctx<'_>, key: &[u8], member: &[u8]) -> Result<Option<f64>> {
    Ok(cx.read_as(key, Value::as_zset_mut)?.and_then(|z| z.score(member)))
}

fn zscore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, m) = (a.req()?, a.req()?);
    Ok(zscore(cx, key, m)?.map_or(Reply::Nil, Reply::Double))
}

/// ZMSCORE: an absent key is an empty set.
pub fn zmscore(cx: &mut Ctx<'_>, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<f64>>> {
    let z = cx.read_as(key, Value::as_zset_mut)?;
    Ok(members.iter().map(|m| z.as_ref().and_then(|z| z.score(m))).collect())
}

fn zmscore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = zmscore(cx, key, a.rest())?;
    Ok(Reply::Array(r.into_iter().map(|s| s.map_or(Reply::Nil, Reply::Double)).collect()))
}

/// ZRANK (or ZREVRANK with `rev`).
pub fn zrank(cx: &mut Ctx<'_>, key: &[u8], member: &[u8], rev: bool) -> Result<Option<usize>> {
    let Some(z) = cx.read_as(key, Value::as_zset_mut)? else { return Ok(None) };
    let len = z.len();
    Ok(z.rank(member).map(|r| if rev { len - 1 - r } else { r }))
}

fn zrank_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, m) = (a.req()?, a.req()?);
    Ok(zrank(cx, key, m, false)?.map_or(Reply::Nil, |r| Reply::Int(r as i64)))
}

fn zrevrank_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (key, m) = (a.req()?, a.req()?);
    Ok(zrank(cx, key, m, true)?.map_or(Reply::Nil, |r| Reply::Int(r as i64)))
}

/// ZCOUNT.
pub fn zcount(cx: &mut Ctx<'_>, key: &[u8], range: &ScoreRange) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_zset_mut)?.map_or(0, |z| z.count_in_range(range)))
}

fn zcount_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let range = parse_score_range(a.req()?, a.req()?)?;
    Ok(Reply::Int(zcount(cx, key, &range)? as i64))
}

/// ZLEXCOUNT.
pub fn zlexcount(cx: &mut Ctx<'_>, key: &[u8], range: &LexRange) -> Result<usize> {
    Ok(cx.read_as(key, Value::as_zset_mut)?.map_or(0, |z| z.count_in_lex(range)))
}

fn zlexcount_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let range = parse_lex_range(a.req()?, a.req()?)?;
    Ok(Reply::Int(zlexcount(cx, key, &range)? as i64))
}

// ---------------------------------------------------------------------------
// ZRANGE family.
// ---------------------------------------------------------------------------

/// What a ZRANGE selects.
#[derive(Debug, Clone, PartialEq)]
pub enum RangeBy {
    /// Ranks `start..=stop` (negative counts from the end).
    Rank(i64, i64),
    /// A score interval.
    Score(ScoreRange),
    /// A lexicographic interval.
    Lex(LexRange),
}

/// A parsed ZRANGE request.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeSpec {
    /// What to select.
    pub by: RangeBy,
    /// Highest first (ranges are then given as max, min).
    pub rev: bool,
    /// LIMIT offset (score and lex ranges only).
    pub offset: i64,
    /// LIMIT count; negative means no limit.
    pub limit: i64,
}

impl RangeSpec {
    /// Ranks `start..=stop`, ascending.
    pub fn rank(start: i64, stop: i64) -> RangeSpec {
        RangeSpec { by: RangeBy::Rank(start, stop), rev: false, offset: 0, limit: -1 }
    }
}

/// The ascending ranks a spec selects in `z`, in reply order.
fn select(z: &ZSet, spec: &RangeSpec) -> Vec<Scored> {
    let len = z.len();
    let mut out = Vec::new();
    match &spec.by {
        RangeBy::Rank(start, end) => {
            let llen = len as i64;
            let mut start = *start;
            let mut end = *end;
            if start < 0 {
                start += llen;
            }
            if end < 0 {
                end += llen;
            }
            if start < 0 {
                start = 0;
            }
            if start > end || start >= llen {
                return out;
            }
            if end >= llen {
                end = llen - 1;
            }
            let n = (end - start + 1) as usize;
            let first = if spec.rev { len - 1 - start as usize } else { start as usize };
            out.reserve(n);
            out.extend(z.iter_from(first, spec.rev).take(n).map(|(m, s)| (m.to_vec(), s)));
        }
        RangeBy::Score(r) => {
            let first = if spec.rev { z.last_in_range(r) } else { z.first_in_range(r) };
            let Some(pos) = offset_pos(first, spec, len) else { return out };
            let limit = if spec.limit < 0 { usize::MAX } else { spec.limit as usize };
            let ok = |s: f64| if spec.rev { r.gte_min(s) } else { r.lte_max(s) };
            out.extend(z.iter_from(pos, spec.rev).take(limit).take_while(|(_, s)| ok(*s)).map(|(m, s)| (m.to_vec(), s)));
        }
        RangeBy::Lex(r) => {
            let first = if spec.rev { z.last_in_lex(r) } else { z.first_in_lex(r) };
            let Some(pos) = offset_pos(first, spec, len) else { return out };
            let limit = if spec.limit < 0 { usize::MAX } else { spec.limit as usize };
            let ok = |m: &[u8]| if spec.rev { r.gte_min(m) } else { r.lte_max(m) };
            out.extend(z.iter_from(pos, spec.rev).take(limit).take_while(|(m, _)| ok(m)).map(|(m, s)| (m.to_vec(), s)));
        }
    }
    out
}

/// Applies a LIMIT offset to the first rank in range: Redis walks `offset`
/// members from it (a negative offset walks off the end).
fn offset_pos(first: Option<usize>, spec: &RangeSpec, len: usize) -> Option<usize> {
    let first = first?;
    if spec.offset < 0 {
        return None;
    }
    let off = spec.offset as u64;
    if spec.rev {
        (first as u64).checked_sub(off).map(|p| p as usize)
    } else {
        let p = (first as u64).saturating_add(off);
        (p < len as u64).then_some(p as usize)
    }
}

/// ZRANGE (all forms): members with their scores, in reply order.
pub fn zrange(cx: &mut Ctx<'_>, key: &[u8], spec: &RangeSpec) -> Result<Vec<Scored>> {
    let Some(z) = cx.read_as(key, Value::as_zset_mut)? else { return Ok(Vec::new()) };
    Ok(select(z, spec))
}

/// ZRANGESTORE: stores the selected members at `dst` and returns how many.
/// The destination starts as a skiplist only for a rank range longer than
/// `zset-max-listpack-entries`, and converts while filled like ZADD.
pub fn zrangestore(cx: &mut Ctx<'_>, dst: &[u8], src: &[u8], spec: &RangeSpec) -> Result<usize> {
    let lim = limits(cx);
    let (items, planned) = match cx.read_as(src, Value::as_zset_mut)? {
        None => (Vec::new(), None),
        Some(z) => {
            let items = select(z, spec);
            let planned = matches!(spec.by, RangeBy::Rank(..)).then_some(items.len());
            (items, planned)
        }
    };
    let seed = cx.seed();
    let mut z = match planned {
        Some(n) if n > lim.max_entries => ZSet::new_skiplist(seed),
        _ => ZSet::new_listpack(seed),
    };
    for (m, s) in &items {
        let _ = z.add(*s, m, AddFlags::default(), lim);
    }
    Ok(store(cx, dst, z, "zrangestore"))
}

/// Parses `[BYSCORE|BYLEX] [REV] [WITHSCORES] [LIMIT offset count]` and the
/// range itself, as `zrangeGenericCommand` does. `fixed_by`/`fixed_rev`
/// are the legacy commands' implied options. Returns the spec and
/// WITHSCORES.
fn parse_zrange(args: &[&[u8]], store: bool, fixed_by: Option<u8>, fixed_rev: Option<bool>) -> Result<(RangeSpec, bool)> {
    // args: min max [options...]
    let (min, max) = (args[0], args[1]);
    let mut by = fixed_by; // b'r', b's', b'l'
    let mut rev = fixed_rev;
    let mut withscores = false;
    let (mut offset, mut limit) = (0i64, -1i64);
    let mut j = 2;
    while j < args.len() {
        let left = args.len() - j - 1;
        let o = args[j];
        if !store && is_kw(o, "withscores") {
            withscores = true;
        } else if is_kw(o, "limit") && left >= 2 {
            offset = num::parse_i64(args[j + 1]).ok_or(Error::NotInteger)?;
            limit = num::parse_i64(args[j + 2]).ok_or(Error::NotInteger)?;
            j += 2;
        } else if fixed_rev.is_none() && rev.is_none() && is_kw(o, "rev") {
            rev = Some(true);
        } else if fixed_by.is_none() && by.is_none() && is_kw(o, "bylex") {
            by = Some(b'l');
        } else if fixed_by.is_none() && by.is_none() && is_kw(o, "byscore") {
            by = Some(b's');
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    let rev = rev.unwrap_or(false);
    let by = by.unwrap_or(b'r');
    if limit != -1 && by == b'r' {
        return Err(Error::err("syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"));
    }
    if withscores && by == b'l' {
        return Err(Error::err("syntax error, WITHSCORES not supported in combination with BYLEX"));
    }
    let (lo, hi) = if rev && by != b'r' { (max, min) } else { (min, max) };
    let by = match by {
        b'r' => RangeBy::Rank(num::parse_i64(lo).ok_or(Error::NotInteger)?, num::parse_i64(hi).ok_or(Error::NotInteger)?),
        b's' => RangeBy::Score(parse_score_range(lo, hi)?),
        _ => RangeBy::Lex(parse_lex_range(lo, hi)?),
    };
    Ok((RangeSpec { by, rev, offset, limit }, withscores))
}

fn range_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>, fixed_by: Option<u8>, fixed_rev: Option<bool>) -> Result<Reply> {
    let key = a.req()?;
    let rest = a.rest();
    let (spec, withscores) = parse_zrange(rest, false, fixed_by, fixed_rev)?;
    let items = zrange(cx, key, &spec)?;
    Ok(scored_reply(cx, items, withscores))
}

fn zrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, None, None)
}

fn zrevrange_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, Some(b'r'), Some(true))
}

fn zrangebyscore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, Some(b's'), Some(false))
}

fn zrevrangebyscore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, Some(b's'), Some(true))
}

fn zrangebylex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, Some(b'l'), Some(false))
}

fn zrevrangebylex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    range_cmd(cx, a, Some(b'l'), Some(true))
}

fn zrangestore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (dst, src) = (a.req()?, a.req()?);
    let rest = a.rest();
    let (spec, _) = parse_zrange(rest, true, None, None)?;
    Ok(Reply::Int(zrangestore(cx, dst, src, &spec)? as i64))
}

// ---------------------------------------------------------------------------
// ZREMRANGEBY*.
// ---------------------------------------------------------------------------

/// What a ZREMRANGEBY* command removes.
#[derive(Debug, Clone, PartialEq)]
pub enum RemRange {
    /// Ranks `start..=stop` (negative counts from the end).
    Rank(i64, i64),
    /// A score interval.
    Score(ScoreRange),
    /// A lexicographic interval.
    Lex(LexRange),
}

/// ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX: returns how many
/// members were removed; deletes an emptied key.
pub fn zremrange(cx: &mut Ctx<'_>, key: &[u8], range: &RemRange) -> Result<usize> {
    let Some(z) = cx.write_as(key, Value::as_zset_mut)? else { return Ok(0) };
    let event = match range {
        RemRange::Rank(..) => "zremrangebyrank",
        RemRange::Score(_) => "zremrangebyscore",
        RemRange::Lex(_) => "zremrangebylex",
    };
    let deleted = match range {
        RemRange::Rank(start, end) => {
            let llen = z.len() as i64;
            let (mut start, mut end) = (*start, *end);
            if start < 0 {
                start += llen;
            }
            if end < 0 {
                end += llen;
            }
            if start < 0 {
                start = 0;
            }
            if start > end || start >= llen {
                return Ok(0);
            }
            if end >= llen {
                end = llen - 1;
            }
            z.remove_rank_range(start as usize, end as usize)
        }
        RemRange::Score(r) => z.remove_score_range(r),
        RemRange::Lex(r) => z.remove_lex_range(r),
    };
    let removed = drop_if_empty(cx, key);
    if deleted > 0 {
        cx.touched(key);
        cx.notify(notify::ZSET, event, key);
        if removed {
            cx.notify(notify::GENERIC, "del", key);
        }
        cx.dirty(deleted as u64);
    }
    Ok(deleted)
}

fn zremrangebyrank_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let start = a.i64()?;
    let end = a.i64()?;
    Ok(Reply::Int(zremrange(cx, key, &RemRange::Rank(start, end))? as i64))
}

fn zremrangebyscore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = parse_score_range(a.req()?, a.req()?)?;
    Ok(Reply::Int(zremrange(cx, key, &RemRange::Score(r))? as i64))
}

fn zremrangebylex_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let r = parse_lex_range(a.req()?, a.req()?)?;
    Ok(Reply::Int(zremrange(cx, key, &RemRange::Lex(r))? as i64))
}

// ---------------------------------------------------------------------------
// Pops, plain and blocking.
// ---------------------------------------------------------------------------

/// Pops up to `count` members from the lowest (or, with `max`, highest)
/// end of `key`'s sorted set; deletes an emptied key.
fn pop_from(cx: &mut Ctx<'_>, key: &[u8], max: bool, count: usize) -> Vec<Scored> {
    let Some(z) = cx.peek_as(key, Value::as_zset_mut) else { return Vec::new() };
    let n = count.min(z.len());
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        match z.pop(max) {
            Some((m, s)) => out.push((m.into_vec(), s)),
            None => break,
        }
    }
    if !out.is_empty() {
        cx.dirty(out.len() as u64);
        // Redis notifies once it began the reply (array header, and the key
        // for BZPOPMIN/ZMPOP), before the first member: the handler places
        // the messages with `inside` (slot 0); `del` follows the reply.
        let mark = cx.own_outbox_mark();
        cx.notify(notify::ZSET, if max { "zpopmax" } else { "zpopmin" }, key);
        cx.touched(key);
        cx.reply_inside(mark, 0);
    }
    if drop_if_empty(cx, key) {
        cx.reply_point();
        cx.notify(notify::GENERIC, "del", key);
    }
    out
}

/// The first of `keys` holding a sorted set (`genericZpopCommand`'s
/// lookup): WRONGTYPE stops at the first key of another type. When a
/// blocked client is served (`cx.reexec`), only the key that became ready
/// is considered, as Redis serves that key, and a key of another type just
/// does not serve a sorted-set waiter.
fn first_zset_key<'k>(cx: &mut Ctx<'_>, keys: &[&'k [u8]]) -> Result<Option<&'k [u8]>> {
    let serving: Option<Vec<u8>> = if cx.reexec { cx.eng.serving_key(cx.db).map(|k| k.to_vec()) } else { None };
    let reexec = cx.reexec;
    for k in keys {
        if serving.as_deref().is_some_and(|s| s != *k) {
            continue;
        }
        match cx.write_as(k, Value::as_zset_mut) {
            Ok(Some(z)) if !z.is_empty() => return Ok(Some(k)),
            Ok(_) => {}
            Err(e) if !reexec => return Err(e),
            Err(_) => {}
        }
        if serving.is_some() {
            break;
        }
    }
    Ok(None)
}

/// ZPOPMIN / ZPOPMAX: `None` when the key is absent.
pub fn zpop(cx: &mut Ctx<'_>, key: &[u8], max: bool, count: usize) -> Result<Option<Vec<Scored>>> {
    if cx.write_as(key, Value::as_zset_mut)?.is_none() {
        return Ok(None);
    }
    Ok(Some(pop_from(cx, key, max, count)))
}

fn zpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>, max: bool) -> Result<Reply> {
    let key = a.req()?;
    if a.remaining() > 1 {
        return Err(Error::Syntax);
    }
    let count = match a.next() {
        None => None,
        Some(c) => {
            // getPositiveLongFromObjectOrReply: one message for both.
            let n = num::parse_i64(c).filter(|&n| n >= 0).ok_or(Error::MustBePositive)?;
            Some(n as u64)
        }
    };
    let n = count.map_or(1, |c| c.min(usize::MAX as u64) as usize);
    let Some(items) = zpop(cx, key, max, n)? else { return Ok(Reply::Array(Vec::new())) };
    let r = if count.is_some() && is_resp3(cx) { nested_pairs(items) } else { flat_pairs(items) };
    Ok(cx.inside_first(r))
}

fn zpopmin_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    zpop_cmd(cx, a, false)
}

fn zpopmax_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    zpop_cmd(cx, a, true)
}

/// ZMPOP: pops from the first non-empty sorted set among `keys`; returns
/// its key and the popped members, `None` when all are absent.
pub fn zmpop(cx: &mut Ctx<'_>, keys: &[&[u8]], max: bool, count: usize) -> Result<Option<(Vec<u8>, Vec<Scored>)>> {
    let Some(k) = first_zset_key(cx, keys)? else { return Ok(None) };
    let items = pop_from(cx, k, max, count);
    Ok(Some((k.to_vec(), items)))
}

/// Parses `numkeys key... MIN|MAX [COUNT count]` (ZMPOP/BZMPOP).
fn parse_mpop<'a>(args: &'a [&'a [u8]]) -> Result<(&'a [&'a [u8]], bool, usize)> {
    let numkeys = num::parse_i64(args.first().copied().unwrap_or(b""))
        .filter(|&n| n >= 1)
        .ok_or_else(|| Error::err("numkeys should be greater than 0"))?;
    let rest = &args[1..];
    if numkeys as u64 >= rest.len() as u64 {
        return Err(Error::Syntax);
    }
    let n = numkeys as usize;
    let (keys, opts) = rest.split_at(n);
    let max = if is_kw(opts[0], "min") {
        false
    } else if is_kw(opts[0], "max") {
        true
    } else {
        return Err(Error::Syntax);
    };
    let mut count: Option<i64> = None;
    let mut j = 1;
    while j < opts.len() {
        if count.is_none() && is_kw(opts[j], "count") && j + 1 < opts.len() {
            let c = num::parse_i64(opts[j + 1])
                .filter(|&c| c >= 1)
                .ok_or_else(|| Error::err("count should be greater than 0"))?;
            count = Some(c);
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    let count = count.unwrap_or(1);
    Ok((keys, max, usize::try_from(count).unwrap_or(usize::MAX)))
}

fn mpop_reply(cx: &mut Ctx<'_>, r: Option<(Vec<u8>, Vec<Scored>)>) -> Reply {
    match r {
        None => Reply::NilArray,
        Some((k, items)) => Reply::Array(alloc::vec![Reply::Bulk(k), cx.inside_first(nested_pairs(items))]),
    }
}

fn zmpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let args = a.rest();
    let (keys, max, count) = parse_mpop(args)?;
    let r = zmpop(cx, keys, max, count)?;
    Ok(mpop_reply(cx, r))
}

fn bzpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>, max: bool) -> Result<Reply> {
    let args = a.rest();
    let Some((timeout, keys)) = args.split_last() else { return Err(Error::Syntax) };
    let deadline = cx.parse_timeout_secs(timeout)?;
    if let Some(k) = first_zset_key(cx, keys)? {
        let items = pop_from(cx, k, max, 1);
        let mut out = Vec::with_capacity(3);
        out.push(Reply::Bulk(k.to_vec()));
        if let Reply::Array(v) = cx.inside_first(flat_pairs(items)) {
            out.extend(v);
        }
        return Ok(Reply::Array(out));
    }
    if !cx.may_block() {
        return Ok(Reply::NilArray);
    }
    cx.block_on(keys.iter().map(|k| Box::<[u8]>::from(*k)).collect(), deadline, Reply::NilArray);
    Ok(Reply::NilArray)
}

fn bzpopmin_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    bzpop_cmd(cx, a, false)
}

fn bzpopmax_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    bzpop_cmd(cx, a, true)
}

fn bzmpop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let timeout = a.req()?;
    let args = a.rest();
    let (keys, max, count) = parse_mpop(args)?;
    let deadline = cx.parse_timeout_secs(timeout)?;
    if let Some(r) = zmpop(cx, keys, max, count)? {
        return Ok(mpop_reply(cx, Some(r)));
    }
    if !cx.may_block() {
        return Ok(Reply::NilArray);
    }
    cx.block_on(keys.iter().map(|k| Box::<[u8]>::from(*k)).collect(), deadline, Reply::NilArray);
    Ok(Reply::NilArray)
}

// ---------------------------------------------------------------------------
// ZRANDMEMBER.
// ---------------------------------------------------------------------------

/// ZRANDMEMBER without a count: one random member, `None` when absent.
pub fn zrandmember(cx: &mut Ctx<'_>, key: &[u8]) -> Result<Option<Vec<u8>>> {
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let z = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(None),
        Some(e) => match &e.value {
            Value::ZSet(z) => z,
            _ => return Err(Error::WrongType),
        },
    };
    Ok(z.random(|| rng.next_u64()).map(|(m, _)| m.to_vec()))
}

/// ZRANDMEMBER with a count (`zrandmemberWithCountCommand`): distinct
/// members for a positive count (the whole set, highest first, when the
/// count reaches its size), `-count` independent picks for a negative one.
pub fn zrandmember_count(cx: &mut Ctx<'_>, key: &[u8], count: i64, withscores: bool) -> Result<Vec<Scored>> {
    if count == i64::MIN {
        return Err(range_error(-i64::MAX, i64::MAX));
    }
    if withscores && !(-i64::MAX / 2..=i64::MAX / 2).contains(&count) {
        return Err(Error::err("value is out of range"));
    }
    let now = cx.now;
    let eng = &mut *cx.eng;
    let rng = &mut eng.rng;
    let z = match eng.dbs[cx.db].read(key, now) {
        None => return Ok(Vec::new()),
        Some(e) => match &e.value {
            Value::ZSet(z) => &**z,
            _ => return Err(Error::WrongType),
        },
    };
    let n = count.unsigned_abs();
    let size = z.len() as u64;
    if n == 0 {
        return Ok(Vec::new());
    }
    let own = |(m, s): (&[u8], f64)| (m.to_vec(), s);
    // CASE 1: repeats allowed (or a single pick).
    if count < 0 || n == 1 {
        if n > RANDOM_REPLY_MAX {
            return Err(random_reply_too_large());
        }
        let mut out = Vec::with_capacity(n as usize);
        for _ in 0..n {
            if let Some(x) = z.random(|| rng.next_u64()) {
                out.push(own(x));
            }
        }
        return Ok(out);
    }
    // CASE 2: the whole set, iterated from the highest member.
    if n >= size {
        return Ok(z.iter_from(z.len() - 1, true).map(own).collect());
    }
    // CASE 3: close to the size: drop random members from a full copy.
    if n * 3 > size {
        let mut all: Vec<(&[u8], f64)> = z.iter().collect();
        while all.len() as u64 > n {
            let i = rng.below(all.len() as u64) as usize;
            all.swap_remove(i);
        }
        return Ok(all.into_iter().map(own).collect());
    }
    // CASE 4: much smaller than the size.
    if z.is_listpack() {
        // Redis samples a listpack in order (`lpRandomPairsUnique`).
        let mut out = Vec::with_capacity(n as usize);
        let mut need = n;
        let mut left = size;
        for x in z.iter() {
            if need == 0 {
                break;
            }
            if rng.below(left) < need {
                out.push(own(x));
                need -= 1;
            }
            left -= 1;
        }
        return Ok(out);
    }
    let mut seen = alloc::collections::BTreeSet::new();
    let mut out = Vec::with_capacity(n as usize);
    while (out.len() as u64) < n {
        let Some(p) = z.random_pos(|| rng.next_u64()) else { break };
        if seen.insert(p) {
            if let Some(x) = z.at_pos(p) {
                out.push(own(x));
            }
        }
    }
    Ok(out)
}

fn zrandmember_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let Some(c) = a.next() else {
        return Ok(zrandmember(cx, key)?.map_or(Reply::Nil, Reply::Bulk));
    };
    let count = num::parse_i64(c).ok_or(Error::NotInteger)?;
    if count == i64::MIN {
        return Err(range_error(-i64::MAX, i64::MAX));
    }
    let withscores = match a.next() {
        None => false,
        Some(w) if is_kw(w, "withscores") && a.is_empty() => true,
        Some(_) => return Err(Error::Syntax),
    };
    let picks = zrandmember_count(cx, key, count, withscores)?;
    Ok(scored_reply(cx, picks, withscores))
}

// ---------------------------------------------------------------------------
// ZUNION / ZINTER / ZDIFF and their STORE forms, ZINTERCARD.
// ---------------------------------------------------------------------------

/// How scores of a member found in several inputs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Aggregate {
    /// Sum (`inf + -inf` gives 0).
    #[default]
    Sum,
    /// Minimum.
    Min,
    /// Maximum.
    Max,
}

/// The set operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetOp {
    /// Union.
    Union,
    /// Intersection.
    Inter,
    /// Difference (first minus the others).
    Diff,
}

/// `zunionInterAggregate`.
fn aggregate(target: &mut f64, val: f64, agg: Aggregate) {
    match agg {
        Aggregate::Sum => {
            *target += val;
            if target.is_nan() {
                *target = 0.0;
            }
        }
        Aggregate::Min => {
            if val < *target {
                *target = val;
            }
        }
        Aggregate::Max => {
            if val > *target {
                *target = val;
            }
        }
    }
}

/// One input of a set operation: its key, size (0 when absent) and weight.
struct Source<'k> {
    key: &'k [u8],
    len: usize,
    present: bool,
    weight: f64,
}

/// Looks every input up once (read lookup), in order: sorted sets and sets
/// are accepted, WRONGTYPE at the first other type.
fn load_sources<'k>(cx: &mut Ctx<'_>, keys: &[&'k [u8]]) -> Result<Vec<Source<'k>>> {
    let now = cx.now;
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        let (len, present) = match cx.db().read(k, now) {
            None => (0, false),
            Some(e) => match &e.value {
                Value::ZSet(z) => (z.len(), true),
                Value::Set(s) => (s.len(), true),
                _ => return Err(Error::WrongType),
            },
        };
        out.push(Source { key: k, len, present, weight: 1.0 });
    }
    Ok(out)
}

/// Members of one input with their scores (1 for a set member).
fn source_members(cx: &mut Ctx<'_>, key: &[u8]) -> Vec<(Box<[u8]>, f64)> {
    let now = cx.now;
    match cx.db().peek(key, now).map(|e| &e.value) {
        Some(Value::ZSet(z)) => z.iter().map(|(m, s)| (Box::from(m), s)).collect(),
        Some(Value::Set(s)) => s.iter().map(|e| (e.to_vec().into_boxed_slice(), 1.0)).collect(),
        _ => Vec::new(),
    }
}

/// Runs `f` with a lookup of members' scores in one input.
fn with_source<R>(cx: &mut Ctx<'_>, key: &[u8], f: impl FnOnce(&dyn Fn(&[u8]) -> Option<f64>) -> R) -> R {
    let now = cx.now;
    match cx.db().peek(key, now).map(|e| &e.value) {
        Some(Value::ZSet(z)) => f(&|m| z.score(m)),
        Some(Value::Set(s)) => f(&|m| s.contains(m).then_some(1.0)),
        _ => f(&|_| None),
    }
}

/// The result of a set operation, sorted, with the longest member's and the
/// members' total length (for the stored encoding).
struct OpResult {
    items: Vec<(Box<[u8]>, f64)>,
    maxelelen: usize,
    totelelen: usize,
}

/// `zunionInterDiffGenericCommand`'s computation over loaded inputs. With
/// `card_limit`, an intersection only counts (stopping at the limit when
/// nonzero) and the count is returned in `totelelen`'s place.
fn compute(cx: &mut Ctx<'_>, mut srcs: Vec<Source<'_>>, op: SetOp, agg: Aggregate, card_limit: Option<u64>) -> (OpResult, u64) {
    let mut res = OpResult { items: Vec::new(), maxelelen: 0, totelelen: 0 };
    if op != SetOp::Diff {
        // Stable, like glibc's merge-sort qsort: ties keep argument order.
        crate::order::sort_by(&mut srcs, |a, b| a.len.cmp(&b.len));
    }
    let Some(first) = srcs.first() else { return (res, 0) };
    match op {
        SetOp::Inter => {
            if first.len == 0 {
                return (res, 0);
            }
            let w0 = first.weight;
            let mut cand: Vec<(Box<[u8]>, f64)> = source_members(cx, first.key)
                .into_iter()
                .map(|(m, s)| {
                    let mut v = w0 * s;
                    if v.is_nan() {
                        v = 0.0;
                    }
                    (m, v)
                })
                .collect();
            for src in &srcs[1..] {
                if cand.is_empty() {
                    break;
                }
                let w = src.weight;
                with_source(cx, src.key, |find| {
                    cand.retain_mut(|(m, score)| match find(m) {
                        Some(v) => {
                            aggregate(score, v * w, agg);
                            true
                        }
                        None => false,
                    });
                });
            }
            if let Some(limit) = card_limit {
                let n = cand.len() as u64;
                return (res, if limit > 0 { n.min(limit) } else { n });
            }
            res.items = cand;
        }
        SetOp::Union => {
            let seed = cx.seed();
            let mut acc: HashMap<Box<[u8]>, f64, foldhash::fast::FixedState> =
                HashMap::with_hasher(foldhash::fast::FixedState::with_seed(seed));
            for src in &srcs {
                if src.len == 0 {
                    continue;
                }
                for (m, s) in source_members(cx, src.key) {
                    let mut v = src.weight * s;
                    if v.is_nan() {
                        v = 0.0;
                    }
                    match acc.get_mut(&m) {
                        Some(t) => aggregate(t, v, agg),
                        None => {
                            res.totelelen += m.len();
                            res.maxelelen = res.maxelelen.max(m.len());
                            acc.insert(m, v);
                        }
                    }
                }
            }
            res.items = acc.into_iter().collect();
        }
        SetOp::Diff => {
            if first.len == 0 {
                return (res, 0);
            }
            let mut cand = source_members(cx, first.key);
            for src in &srcs[1..] {
                if cand.is_empty() {
                    break;
                }
                if !src.present {
                    continue;
                }
                with_source(cx, src.key, |find| cand.retain(|(m, _)| find(m).is_none()));
            }
            res.items = cand;
        }
    }
    if op != SetOp::Union {
        for (m, _) in &res.items {
            res.totelelen += m.len();
            res.maxelelen = res.maxelelen.max(m.len());
        }
    }
    res.items.sort_by(|a, b| crate::types::zset::cmp_key(a.1, &a.0, b.1, &b.0));
    (res, 0)
}

/// Parsed options of ZUNION/ZINTER/ZDIFF(STORE)/ZINTERCARD.
struct OpOpts {
    weights: Option<Vec<f64>>,
    agg: Aggregate,
    withscores: bool,
    limit: u64,
}

/// Parses `numkeys key...`, looks the keys up (type errors come before
/// option errors), then parses the options the command allows.
fn parse_op<'a>(
    cx: &mut Ctx<'_>,
    args: &'a [&'a [u8]],
    name: &str,
    op: SetOp,
    store: bool,
    card: bool,
) -> Result<(Vec<Source<'a>>, OpOpts)> {
    let setnum = num::parse_i64(args.first().copied().unwrap_or(b"")).ok_or(Error::NotInteger)?;
    if setnum < 1 {
        return Err(Error::msg(alloc::format!("ERR at least 1 input key is needed for '{}' command", name)));
    }
    let rest = &args[1..];
    if setnum as u64 > rest.len() as u64 {
        return Err(Error::Syntax);
    }
    let (keys, opts) = rest.split_at(setnum as usize);
    let mut srcs = load_sources(cx, keys)?;
    let mut o = OpOpts { weights: None, agg: Aggregate::Sum, withscores: false, limit: 0 };
    let mut j = 0;
    while j < opts.len() {
        let remaining = opts.len() - j;
        let a = opts[j];
        if op != SetOp::Diff && !card && remaining > keys.len() && is_kw(a, "weights") {
            j += 1;
            let mut w = Vec::with_capacity(keys.len());
            for _ in 0..keys.len() {
                w.push(parse_score(opts[j]).ok_or_else(|| Error::err("weight value is not a float"))?);
                j += 1;
            }
            for (s, w) in srcs.iter_mut().zip(&w) {
                s.weight = *w;
            }
            o.weights = Some(w);
        } else if op != SetOp::Diff && !card && remaining >= 2 && is_kw(a, "aggregate") {
            let v = opts[j + 1];
            o.agg = if is_kw(v, "sum") {
                Aggregate::Sum
            } else if is_kw(v, "min") {
                Aggregate::Min
            } else if is_kw(v, "max") {
                Aggregate::Max
            } else {
                return Err(Error::Syntax);
            };
            j += 2;
        } else if !store && !card && is_kw(a, "withscores") {
            o.withscores = true;
            j += 1;
        } else if card && remaining >= 2 && is_kw(a, "limit") {
            let l = num::parse_i64(opts[j + 1]).filter(|&l| l >= 0);
            o.limit = l.ok_or_else(|| Error::err("LIMIT can't be negative"))? as u64;
            j += 2;
        } else {
            return Err(Error::Syntax);
        }
    }
    Ok((srcs, o))
}

/// Runs a set operation for the typed API: `weights` (one per key) and
/// `agg` as WEIGHTS/AGGREGATE give them.
fn typed_op(cx: &mut Ctx<'_>, keys: &[&[u8]], weights: Option<&[f64]>, agg: Aggregate, op: SetOp) -> Result<OpResult> {
    if keys.is_empty() {
        return Err(Error::Syntax);
    }
    let mut srcs = load_sources(cx, keys)?;
    if let Some(w) = weights {
        if w.len() != keys.len() {
            return Err(Error::Syntax);
        }
        for (s, w) in srcs.iter_mut().zip(w) {
            s.weight = *w;
        }
    }
    Ok(compute(cx, srcs, op, agg, None).0)
}

fn store_result(cx: &mut Ctx<'_>, dst: &[u8], res: OpResult, op: SetOp) -> usize {
    let lim = limits(cx);
    let seed = cx.seed();
    let mut z = ZSet::new_skiplist(seed);
    let big = Limits { max_entries: usize::MAX, max_value: usize::MAX };
    for (m, s) in &res.items {
        let _ = z.add(*s, m, AddFlags::default(), big);
    }
    if !z.is_empty() {
        z.convert_to_listpack_if_needed(res.maxelelen, res.totelelen, lim);
    }
    let event = match op {
        SetOp::Union => "zunionstore",
        SetOp::Inter => "zinterstore",
        SetOp::Diff => "zdiffstore",
    };
    store(cx, dst, z, event)
}

/// ZUNION / ZINTER / ZDIFF: the result, sorted, with scores.
pub fn zsetop(cx: &mut Ctx<'_>, op: SetOp, keys: &[&[u8]], weights: Option<&[f64]>, agg: Aggregate) -> Result<Vec<Scored>> {
    let res = typed_op(cx, keys, weights, agg, op)?;
    Ok(res.items.into_iter().map(|(m, s)| (m.into_vec(), s)).collect())
}

/// ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: returns the stored cardinality.
pub fn zsetop_store(cx: &mut Ctx<'_>, op: SetOp, dst: &[u8], keys: &[&[u8]], weights: Option<&[f64]>, agg: Aggregate) -> Result<usize> {
    let res = typed_op(cx, keys, weights, agg, op)?;
    Ok(store_result(cx, dst, res, op))
}

/// ZINTERCARD: the intersection's cardinality, at most `limit` (0 = none).
pub fn zintercard(cx: &mut Ctx<'_>, keys: &[&[u8]], limit: u64) -> Result<u64> {
    if keys.is_empty() {
        return Err(Error::Syntax);
    }
    let srcs = load_sources(cx, keys)?;
    Ok(compute(cx, srcs, SetOp::Inter, Aggregate::Sum, Some(limit)).1)
}

fn op_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>, op: SetOp, name: &str) -> Result<Reply> {
    let args = a.rest();
    let (srcs, o) = parse_op(cx, args, name, op, false, false)?;
    let (res, _) = compute(cx, srcs, op, o.agg, None);
    let items = res.items.into_iter().map(|(m, s)| (m.into_vec(), s)).collect();
    Ok(scored_reply(cx, items, o.withscores))
}

fn op_store_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>, op: SetOp, name: &str) -> Result<Reply> {
    let dst = a.req()?;
    let args = a.rest();
    let (srcs, o) = parse_op(cx, args, name, op, true, false)?;
    let (res, _) = compute(cx, srcs, op, o.agg, None);
    Ok(Reply::Int(store_result(cx, dst, res, op) as i64))
}

fn zunion_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_cmd(cx, a, SetOp::Union, "zunion")
}

fn zinter_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_cmd(cx, a, SetOp::Inter, "zinter")
}

fn zdiff_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_cmd(cx, a, SetOp::Diff, "zdiff")
}

fn zunionstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_store_cmd(cx, a, SetOp::Union, "zunionstore")
}

fn zinterstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_store_cmd(cx, a, SetOp::Inter, "zinterstore")
}

fn zdiffstore_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    op_store_cmd(cx, a, SetOp::Diff, "zdiffstore")
}

fn zintercard_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let args = a.rest();
    let (srcs, o) = parse_op(cx, args, "zintercard", SetOp::Inter, false, true)?;
    let (_, n) = compute(cx, srcs, SetOp::Inter, Aggregate::Sum, Some(o.limit));
    Ok(Reply::Int(n as i64))
}

// ---------------------------------------------------------------------------
// ZSCAN.
// ---------------------------------------------------------------------------

/// ZSCAN: one step; returns the next cursor and member, score, member, ...
/// (scores as a listpack stores them, or `%.17g` for a skiplist).
pub fn zscan(cx: &mut Ctx<'_>, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
    zscan_inner(cx, key, args.cursor, Ok(*args))
}

/// ZSCAN with option errors deferred until the key was found, as in Redis.
fn zscan_inner(cx: &mut Ctx<'_>, key: &[u8], cursor: u64, opts: Result<ScanArgs<'_>>) -> Result<(u64, Vec<Vec<u8>>)> {
    let Some(z) = cx.read_as(key, Value::as_zset_mut)? else { return Ok((0, Vec::new())) };
    let opts = opts?;
    let pack = z.is_listpack();
    let mut items = Vec::new();
    let next = z.scan(cursor, opts.count, |m, s| {
        if opts.pattern.is_none_or(|p| crate::glob::matches(p, m, false)) {
            items.push(m.to_vec());
            items.push(if pack { listpack_score_text(s) } else { num::fmt_g17(s).into_bytes() });
        }
    });
    Ok((next, items))
}

fn zscan_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    crate::cmd::key_scan_cmd(cx, a, zscan_inner)
}

// ---------------------------------------------------------------------------
// Typed API.
// ---------------------------------------------------------------------------

impl Engine {
    /// `ZADD key score member [score member ...]`; returns how many members
    /// are new.
    pub fn zadd(&mut self, db: usize, key: &[u8], pairs: &[(f64, &[u8])]) -> Result<usize> {
        self.typed_line(|| {
            // %.17g round-trips every double exactly.
            let scores: Vec<alloc::string::String> = pairs.iter().map(|p| num::fmt_g17(p.0)).collect();
            cmd_line(&[b"ZADD", key], scores.iter().zip(pairs).flat_map(|(s, p)| [s.as_bytes(), p.1]))
        });
        match self.with_ctx(db, |cx| zadd_with(cx, key, ZAddOptions::default(), pairs))? {
            ZAddReply::Count(n) => Ok(n),
            ZAddReply::Score(_) => Ok(0),
        }
    }

    /// `ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member ...`.
    pub fn zadd_with(&mut self, db: usize, key: &[u8], opts: ZAddOptions, pairs: &[(f64, &[u8])]) -> Result<ZAddReply> {
        self.with_ctx(db, |cx| zadd_with(cx, key, opts, pairs))
    }

    /// `ZINCRBY key increment member`; returns the new score.
    pub fn zincrby(&mut self, db: usize, key: &[u8], incr: f64, member: &[u8]) -> Result<f64> {
        self.typed_line(|| cmd_line(&[b"ZINCRBY", key, num::fmt_g17(incr).as_bytes(), member], []));
        self.with_ctx(db, |cx| zincrby(cx, key, incr, member))
    }

    /// `ZREM key member [member ...]`.
    pub fn zrem(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<usize> {
        self.with_ctx(db, |cx| zrem(cx, key, members))
    }

    /// `ZCARD key`.
    pub fn zcard(&mut self, db: usize, key: &[u8]) -> Result<usize> {
        self.with_ctx(db, |cx| zcard(cx, key))
    }

    /// `ZSCORE key member`.
    pub fn zscore(&mut self, db: usize, key: &[u8], member: &[u8]) -> Result<Option<f64>> {
        self.with_ctx(db, |cx| zscore(cx, key, member))
    }

    /// `ZMSCORE key member [member ...]`.
    pub fn zmscore(&mut self, db: usize, key: &[u8], members: &[&[u8]]) -> Result<Vec<Option<f64>>> {
        self.with_ctx(db, |cx| zmscore(cx, key, members))
    }

    /// `ZRANK key member`.
    pub fn zrank(&mut self, db: usize, key: &[u8], member: &[u8]) -> Result<Option<usize>> {
        self.with_ctx(db, |cx| zrank(cx, key, member, false))
    }

    /// `ZREVRANK key member`.
    pub fn zrevrank(&mut self, db: usize, key: &[u8], member: &[u8]) -> Result<Option<usize>> {
        self.with_ctx(db, |cx| zrank(cx, key, member, true))
    }

    /// `ZCOUNT key min max`.
    pub fn zcount(&mut self, db: usize, key: &[u8], range: &ScoreRange) -> Result<usize> {
        self.with_ctx(db, |cx| zcount(cx, key, range))
    }

    /// `ZLEXCOUNT key min max`.
    pub fn zlexcount(&mut self, db: usize, key: &[u8], range: &LexRange) -> Result<usize> {
        self.with_ctx(db, |cx| zlexcount(cx, key, range))
    }

    /// `ZRANGE key start stop WITHSCORES` by rank.
    pub fn zrange(&mut self, db: usize, key: &[u8], start: i64, stop: i64) -> Result<Vec<Scored>> {
        self.with_ctx(db, |cx| zrange(cx, key, &RangeSpec::rank(start, stop)))
    }

    /// `ZRANGE key min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]`.
    pub fn zrange_by(&mut self, db: usize, key: &[u8], spec: &RangeSpec) -> Result<Vec<Scored>> {
        self.with_ctx(db, |cx| zrange(cx, key, spec))
    }

    /// `ZRANGESTORE dst src min max ...`.
    pub fn zrangestore(&mut self, db: usize, dst: &[u8], src: &[u8], spec: &RangeSpec) -> Result<usize> {
        self.with_ctx(db, |cx| zrangestore(cx, dst, src, spec))
    }

    /// `ZREMRANGEBYRANK` / `ZREMRANGEBYSCORE` / `ZREMRANGEBYLEX`.
    pub fn zremrange(&mut self, db: usize, key: &[u8], range: &RemRange) -> Result<usize> {
        self.with_ctx(db, |cx| zremrange(cx, key, range))
    }

    /// `ZPOPMIN key count` (`max` false) or `ZPOPMAX key count`.
    pub fn zpop(&mut self, db: usize, key: &[u8], max: bool, count: usize) -> Result<Vec<Scored>> {
        self.with_ctx(db, |cx| zpop(cx, key, max, count)).map(Option::unwrap_or_default)
    }

    /// `ZMPOP numkeys key... MIN|MAX COUNT count`.
    pub fn zmpop(&mut self, db: usize, keys: &[&[u8]], max: bool, count: usize) -> Result<Option<(Vec<u8>, Vec<Scored>)>> {
        self.with_ctx(db, |cx| zmpop(cx, keys, max, count))
    }

    /// `ZRANDMEMBER key`.
    pub fn zrandmember(&mut self, db: usize, key: &[u8]) -> Result<Option<Vec<u8>>> {
        self.with_ctx(db, |cx| zrandmember(cx, key))
    }

    /// `ZRANDMEMBER key count [WITHSCORES]`.
    pub fn zrandmember_count(&mut self, db: usize, key: &[u8], count: i64, withscores: bool) -> Result<Vec<Scored>> {
        self.with_ctx(db, |cx| zrandmember_count(cx, key, count, withscores))
    }

    /// `ZUNION` / `ZINTER` / `ZDIFF` with scores.
    pub fn zsetop(&mut self, db: usize, op: SetOp, keys: &[&[u8]], weights: Option<&[f64]>, agg: Aggregate) -> Result<Vec<Scored>> {
        self.with_ctx(db, |cx| zsetop(cx, op, keys, weights, agg))
    }

    /// `ZUNIONSTORE` / `ZINTERSTORE` / `ZDIFFSTORE`.
    pub fn zsetop_store(&mut self, db: usize, op: SetOp, dst: &[u8], keys: &[&[u8]], weights: Option<&[f64]>, agg: Aggregate) -> Result<usize> {
        self.with_ctx(db, |cx| zsetop_store(cx, op, dst, keys, weights, agg))
    }

    /// `ZINTERCARD numkeys key... [LIMIT limit]` (0 = no limit).
    pub fn zintercard(&mut self, db: usize, keys: &[&[u8]], limit: u64) -> Result<u64> {
        self.with_ctx(db, |cx| zintercard(cx, keys, limit))
    }

    /// `ZSCAN key cursor [MATCH pattern] [COUNT count]`.
    pub fn zscan(&mut self, db: usize, key: &[u8], args: &ScanArgs<'_>) -> Result<(u64, Vec<Vec<u8>>)> {
        self.with_ctx(db, |cx| zscan(cx, key, args))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtod_prefixes() {
        assert_eq!(strtod(b"1.5"), (1.5, 3, false));
        assert_eq!(strtod(b"  -2e3x"), (-2000.0, 6, false));
        assert_eq!(strtod(b"1e"), (1.0, 1, false));
        assert_eq!(strtod(b"0x10"), (16.0, 4, false));
        assert_eq!(strtod(b"0x1p3"), (8.0, 5, false));
        assert_eq!(strtod(b"0x.8"), (0.5, 4, false));
        assert_eq!(strtod(b"0x"), (0.0, 1, false));
        assert_eq!(strtod(b"-0xg"), (-0.0, 2, false));
        assert_eq!(strtod(b"inFinity"), (f64::INFINITY, 8, false));
        assert_eq!(strtod(b"infin").1, 3);
        assert_eq!(strtod(b"nan(12)").1, 7);
        assert_eq!(strtod(b"abc"), (0.0, 0, false));
        assert_eq!(strtod(b"1e400"), (f64::INFINITY, 5, true));
        assert_eq!(strtod(b"1e-400"), (0.0, 6, true));
        assert_eq!(strtod(b"0e-400"), (0.0, 6, false));
        assert_eq!(strtod(b"0x1p-1074").0, f64::from_bits(1));
        assert_eq!(strtod(b"0x1p-1075"), (0.0, 9, true));
        assert_eq!(strtod(b"0x1.8p-1074").0, f64::from_bits(2));
        assert_eq!(strtod(b"0x1.fffffffffffff8p1023"), (f64::INFINITY, 23, true));
        assert_eq!(strtod(b"0x1.fffffffffffff7p1023").0, f64::MAX);
        assert_eq!(strtod(b"0x123456789abcdef0123").0, 0x123456789abcdef0123u128 as f64);
    }

    #[test]
    fn score_args() {
        assert_eq!(parse_score(b"0x10"), Some(16.0));
        assert_eq!(parse_score(b" 1"), None);
        assert_eq!(parse_score(b"1 "), None);
        assert_eq!(parse_score(b"nan"), None);
        assert_eq!(parse_score(b"1e400"), None);
        assert_eq!(parse_score(b""), None);
        assert_eq!(parse_score(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_range_end(b"("), Some((0.0, true)));
        assert_eq!(parse_range_end(b""), Some((0.0, false)));
        assert_eq!(parse_range_end(b" 1"), Some((1.0, false)));
        assert_eq!(parse_range_end(b"1\0x"), Some((1.0, false)));
        assert_eq!(parse_range_end(b" "), None);
        assert_eq!(parse_range_end(b"nan"), None);
        assert_eq!(parse_range_end(b"1e400"), Some((f64::INFINITY, false)));
    }

    #[test]
    fn listpack_score_texts() {
        assert_eq!(listpack_score_text(1e18), b"1000000000000000000");
        assert_eq!(listpack_score_text(0.5), b"0.5");
        assert_eq!(listpack_score_text(1e19), b"1e+19");
        assert_eq!(listpack_score_text(f64::INFINITY), b"inf");
    }
}
