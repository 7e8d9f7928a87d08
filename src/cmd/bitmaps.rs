//! Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD
//! BITFIELD_RO, with Redis 7.0.15's replies, errors and check order.
//!
//! Bitmaps are plain strings: bit 0 is the most significant bit of byte 0.
//! An "int"-encoded string is read through its decimal text, as Redis does.
//! Writes (SETBIT, BITFIELD) zero-pad the string up to the highest byte
//! they touch and leave it "raw"; BITOP stores a "raw" string (or deletes
//! the destination when every source is empty).
//!
//! Bit offsets are bounded by `proto-max-bulk-len` (`offset / 8` must be
//! below it) and checked while parsing, before any lookup or allocation.
//!
//! Where Redis interleaves argument parsing with the key lookup (BITCOUNT
//! and BITPOS parse their range only after finding the key, so a missing
//! key answers 0 even with a malformed range), the handlers do the same and
//! share pure functions on the bytes ([`bitcount_bytes`], [`bitpos_bytes`])
//! with the typed operations.

use alloc::vec::Vec;

use crate::cmd::{flags::*, is_kw, Args, Command, Ctx};
use crate::config::notify;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::keyspace::Entry;
use crate::num;
use crate::reply::Reply;
use crate::types::{Str, Value};

/// The bitmap family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "setbit",
        arity: 4,
        flags: WRITE | DENYOOM,
        acl: "@write @bitmap @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Sets or clears the bit at offset in the string value stored at key",
        since: "2.2.0",
        handler: setbit_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "getbit",
        arity: 3,
        flags: READONLY | FAST,
        acl: "@read @bitmap @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Returns the bit value at offset in the string value stored at key",
        since: "2.2.0",
        handler: getbit_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bitcount",
        arity: -2,
        flags: READONLY,
        acl: "@read @bitmap @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Count set bits in a string",
        since: "2.6.0",
        handler: bitcount_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bitpos",
        arity: -3,
        flags: READONLY,
        acl: "@read @bitmap @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Find first bit set or clear in a string",
        since: "2.8.7",
        handler: bitpos_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bitop",
        arity: -4,
        flags: WRITE | DENYOOM,
        acl: "@write @bitmap @slow",
        first_key: 2,
        last_key: -1,
        step: 1,
        group: "bitmap",
        summary: "Perform bitwise operations between strings",
        since: "2.6.0",
        handler: bitop_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bitfield",
        arity: -2,
        flags: WRITE | DENYOOM,
        acl: "@write @bitmap @slow",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Perform arbitrary bitfield integer operations on strings",
        since: "3.2.0",
        handler: bitfield_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "bitfield_ro",
        arity: -2,
        flags: READONLY | FAST,
        acl: "@read @bitmap @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "bitmap",
        summary: "Perform arbitrary bitfield integer operations on strings. Read-only variant of BITFIELD",
        since: "6.0.0",
        handler: bitfield_ro_cmd,
        ..Command::DEFAULT
    },
];

fn offset_err() -> Error {
    Error::err("bit offset is not an integer or out of range")
}

fn bitfield_type_err() -> Error {
    Error::err("Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.")
}

/// Redis's bound on bit offsets: `offset / 8 < proto-max-bulk-len`.
fn check_offset(cx: &Ctx<'_>, offset: u64) -> Result<()> {
    if (offset >> 3) >= cx.config().proto_max_bulk_len {
        return Err(offset_err());
    }
    Ok(())
}

/// Parses a bit offset like Redis's `getBitOffsetFromArgument`; with
/// `bits > 0` (BITFIELD) `#n` means `n * bits` (multiplied in wrapping
/// 64-bit arithmetic, as Redis's C does).
pub fn parse_bit_offset(cx: &Ctx<'_>, arg: &[u8], bits: u32) -> Result<u64> {
    let (hash, digits) = match arg.first() {
        Some(b'#') if bits > 0 => (true, &arg[1..]),
        _ => (false, arg),
    };
    let mut off = num::parse_i64(digits).ok_or_else(offset_err)?;
    if hash {
        off = off.wrapping_mul(bits as i64);
    }
    if off < 0 {
        return Err(offset_err());
    }
    check_offset(cx, off as u64)?;
    Ok(off as u64)
}

/// Looks a string up for reading: `Ok(None)` when absent, WRONGTYPE for
/// other types.
fn read_str<'c>(cx: &'c mut Ctx<'_>, key: &[u8]) -> Result<Option<&'c Str>> {
    let now = cx.now;
    match cx.db().read(key, now) {
        None => Ok(None),
        Some(Entry { value: Value::Str(s), .. }) => Ok(Some(s)),
        Some(_) => Err(Error::WrongType),
    }
}

/// Redis's `lookupStringForBitCommand`: the string at `key` as a raw
/// buffer at least `byte + 1` long, created (zero-filled) when missing.
/// The flag tells whether it was created or grown.
fn string_for_bits<'c>(cx: &'c mut Ctx<'_>, key: &[u8], byte: usize) -> Result<(&'c mut Vec<u8>, bool)> {
    let now = cx.now;
    let need = byte.checked_add(1).ok_or(Error::StringTooLong)?;
    let exists = match cx.db().write(key, now) {
        None => false,
        Some(Entry { value: Value::Str(_), .. }) => true,
        Some(_) => return Err(Error::WrongType),
    };
    if !exists {
        let mut buf = Vec::new();
        buf.try_reserve_exact(need).map_err(|_| Error::Oom)?;
        buf.resize(need, 0);
        let e = cx.db().insert_new(key.into(), Value::Str(Str::Raw(buf)), None, now);
        let Value::Str(s) = &mut e.value else { return Err(Error::WrongType) };
        return Ok((s.make_raw(), true));
    }
    let Some(Entry { value: Value::Str(s), .. }) = cx.db().write(key, now) else { return Err(Error::WrongType) };
    let buf = s.make_raw();
    let grown = buf.len() < need;
    if grown {
        buf.try_reserve(need - buf.len()).map_err(|_| Error::Oom)?;
        buf.resize(need, 0);
    }
    Ok((buf, grown))
}

// ---- SETBIT / GETBIT ----

/// SETBIT: sets or clears bit `offset` (creating or zero-padding the
/// string) and answers the bit's old value.
pub fn setbit(cx: &mut Ctx<'_>, key: &[u8], offset: u64, on: bool) -> Result<bool> {
    check_offset(cx, offset)?;
    let byte = usize::try_from(offset >> 3).map_err(|_| offset_err())?;
    let (buf, grown) = string_for_bits(cx, key, byte)?;
    let shift = 7 - (offset & 7) as u32;
    let old = buf[byte] & (1 << shift) != 0;
    let changed = grown || old != on;
    if changed {
        buf[byte] = (buf[byte] & !(1 << shift)) | ((on as u8) << shift);
        cx.touched(key);
        cx.notify(notify::STRING, "setbit", key);
        cx.dirty(1);
    }
    Ok(old)
}

fn setbit_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let offset = parse_bit_offset(cx, a.req()?, 0)?;
    let bit_err = || Error::err("bit is not an integer or out of range");
    let on = match num::parse_i64(a.req()?) {
        Some(0) => false,
        Some(1) => true,
        _ => return Err(bit_err()),
    };
    Ok(Reply::Int(setbit(cx, key, offset, on)? as i64))
}

/// GETBIT: bit `offset` of the string (0 past its end or for a missing key).
pub fn getbit(cx: &mut Ctx<'_>, key: &[u8], offset: u64) -> Result<bool> {
    check_offset(cx, offset)?;
    let Some(s) = read_str(cx, key)? else { return Ok(false) };
    let bytes = s.as_bytes();
    let byte = usize::try_from(offset >> 3).unwrap_or(usize::MAX);
    Ok(bytes.get(byte).is_some_and(|b| b & (1 << (7 - (offset & 7))) != 0))
}

fn getbit_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let offset = parse_bit_offset(cx, a.req()?, 0)?;
    Ok(Reply::Int(getbit(cx, key, offset)? as i64))
}

// ---- BITCOUNT / BITPOS ----

/// Whether a range counts bytes (the default) or bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BitUnit {
    /// BYTE.
    #[default]
    Byte,
    /// BIT.
    Bit,
}

fn parse_unit(arg: &[u8]) -> Result<BitUnit> {
    if is_kw(arg, "bit") {
        Ok(BitUnit::Bit)
    } else if is_kw(arg, "byte") {
        Ok(BitUnit::Byte)
    } else {
        Err(Error::Syntax)
    }
}

/// A resolved range: byte indexes plus the masks of the out-of-range bits
/// of the first and last bytes (BIT ranges). `None` when empty.
struct Span {
    start: usize,
    end: usize,
    first_mask: u8,
    last_mask: u8,
}

/// Redis's range normalization shared by BITCOUNT and BITPOS: negative
/// indexes count from the end, then both are clamped into the string.
fn resolve(len: usize, mut start: i64, mut end: i64, unit: BitUnit) -> Option<Span> {
    let mut total = len as i64;
    if unit == BitUnit::Bit {
        total <<= 3;
    }
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0);
    if end >= total {
        end = total - 1;
    }
    if start > end {
        return None;
    }
    let (mut first_mask, mut last_mask) = (0u8, 0u8);
    if unit == BitUnit::Bit {
        first_mask = !((1u32 << (8 - (start & 7))) - 1) as u8;
        last_mask = ((1u32 << (7 - (end & 7))) - 1) as u8;
        start >>= 3;
        end >>= 3;
    }
    // 0 <= start <= end < len here.
    Some(Span { start: start as usize, end: end as usize, first_mask, last_mask })
}

/// BITCOUNT on a string's bytes: the whole string, or `[start, end]` in
/// bytes or bits with Redis's index rules.
pub fn bitcount_bytes(p: &[u8], range: Option<(i64, i64, BitUnit)>) -> u64 {
    let span = match range {
        None if p.is_empty() => return 0,
        None => Span { start: 0, end: p.len() - 1, first_mask: 0, last_mask: 0 },
        Some((start, end, _)) if start < 0 && end < 0 && start > end => return 0,
        Some((start, end, unit)) => match resolve(p.len(), start, end, unit) {
            Some(s) => s,
            None => return 0,
        },
    };
    let mut count: u64 = p[span.start..=span.end].iter().map(|b| b.count_ones() as u64).sum();
    if span.first_mask != 0 {
        count -= (p[span.start] & span.first_mask).count_ones() as u64;
    }
    if span.last_mask != 0 {
        count -= (p[span.end] & span.last_mask).count_ones() as u64;
    }
    count
}

/// BITCOUNT: set bits in the string (0 for a missing key).
pub fn bitcount(cx: &mut Ctx<'_>, key: &[u8], range: Option<(i64, i64, BitUnit)>) -> Result<u64> {
    let Some(s) = read_str(cx, key)? else { return Ok(0) };
    Ok(bitcount_bytes(&s.as_bytes(), range))
}

fn bitcount_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    // Redis looks the key up before it reads the range.
    let Some(s) = read_str(cx, key)? else { return Ok(Reply::Int(0)) };
    let p = s.as_bytes();
    let range = match a.remaining() {
        0 => None,
        2 | 3 => {
            let start = a.i64()?;
            let end = a.i64()?;
            if start < 0 && end < 0 && start > end {
                return Ok(Reply::Int(0));
            }
            let unit = match a.next() {
                Some(u) => parse_unit(u)?,
                None => BitUnit::Byte,
            };
            Some((start, end, unit))
        }
        _ => return Err(Error::Syntax),
    };
    Ok(Reply::Int(bitcount_bytes(&p, range) as i64))
}

/// Position of the first bit equal to `bit` in `p`: -1 when looking for a 1
/// and there is none; `8 * len` when looking for a 0 and there is none
/// (the string is taken as zero-padded on the right).
fn first_bit(p: &[u8], bit: bool) -> i64 {
    for (i, &b) in p.iter().enumerate() {
        let b = if bit { b } else { !b };
        if b != 0 {
            return i as i64 * 8 + b.leading_zeros() as i64;
        }
    }
    if bit {
        -1
    } else {
        p.len() as i64 * 8
    }
}

/// BITPOS on a string's bytes: `start` and `end` as given (either may be
/// absent) in `unit`. With an explicit end, a clear bit is only found
/// inside the range (-1 otherwise); without one the string counts as
/// zero-padded, so the first bit past it may be answered.
pub fn bitpos_bytes(p: &[u8], bit: bool, start: Option<i64>, end: Option<i64>, unit: BitUnit) -> i64 {
    let total = p.len() as i64;
    let end_given = end.is_some();
    let span = match start {
        None => {
            if p.is_empty() {
                return -1;
            }
            Span { start: 0, end: p.len() - 1, first_mask: 0, last_mask: 0 }
        }
        Some(start) => {
            let end = end.unwrap_or(if unit == BitUnit::Bit { (total << 3) + 7 } else { total - 1 });
            match resolve(p.len(), start, end, unit) {
                Some(s) => s,
                None => return -1,
            }
        }
    };
    let (mut start, end) = (span.start, span.end);
    let (fm, lm) = (span.first_mask, span.last_mask);
    let mut bytes = end - start + 1;
    let look = |b: u8, mask: u8| if bit { b & !mask } else { b | mask };
    let pos;
    'found: {
        if fm != 0 {
            let mut t = look(p[start], fm);
            if lm != 0 && bytes == 1 {
                t = look(t, lm);
            }
            let r = first_bit(&[t], bit);
            if bytes == 1 || (r != -1 && r != 8) {
                pos = r;
                break 'found;
            }
            start += 1;
            bytes -= 1;
        }
        let cur = bytes - (lm != 0) as usize;
        if cur > 0 {
            let r = first_bit(&p[start..start + cur], bit);
            if bytes == cur || (r != -1 && r != (cur as i64) << 3) {
                pos = r;
                break 'found;
            }
            start += cur;
            bytes -= cur;
        }
        pos = first_bit(&[look(p[end], lm)], bit);
    }
    if end_given && !bit && pos == (bytes as i64) << 3 {
        return -1;
    }
    if pos != -1 {
        pos + ((start as i64) << 3)
    } else {
        pos
    }
}

/// BITPOS: see [`bitpos_bytes`]; a missing key is all zeros (0 for a clear
/// bit, -1 for a set bit).
pub fn bitpos(cx: &mut Ctx<'_>, key: &[u8], bit: bool, start: Option<i64>, end: Option<i64>, unit: BitUnit) -> Result<i64> {
    let Some(s) = read_str(cx, key)? else { return Ok(if bit { -1 } else { 0 }) };
    Ok(bitpos_bytes(&s.as_bytes(), bit, start, end, unit))
}

fn bitpos_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let bit = match a.i64()? {
        0 => false,
        1 => true,
        _ => return Err(Error::err("The bit argument must be 1 or 0.")),
    };
    let Some(s) = read_str(cx, key)? else { return Ok(Reply::Int(if bit { -1 } else { 0 })) };
    let p = s.as_bytes();
    let n = a.remaining();
    if n > 3 {
        return Err(Error::Syntax);
    }
    let (mut start, mut end, mut unit) = (None, None, BitUnit::Byte);
    if n >= 1 {
        start = Some(a.i64()?);
        // Redis reads BIT|BYTE before the end index.
        if n == 3 {
            unit = parse_unit(a.argv().get(a.pos() + 1).copied().unwrap_or_default())?;
        }
        if n >= 2 {
            end = Some(a.i64()?);
        }
    }
    Ok(Reply::Int(bitpos_bytes(&p, bit, start, end, unit)))
}

// ---- BITOP ----

/// A BITOP operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitOp {
    /// AND
    And,
    /// OR
    Or,
    /// XOR
    Xor,
    /// NOT (one source)
    Not,
}

/// BITOP: combines the sources (missing keys are empty strings, shorter
/// strings are zero-padded) into `dest` and answers the result's length;
/// an empty result deletes `dest`. The stored value is "raw" and loses any
/// TTL `dest` had.
pub fn bitop(cx: &mut Ctx<'_>, op: BitOp, dest: &[u8], sources: &[&[u8]]) -> Result<usize> {
    if op == BitOp::Not && sources.len() != 1 {
        return Err(Error::err("BITOP NOT must be called with a single source key."));
    }
    let now = cx.now;
    let mut res: Vec<u8> = Vec::new();
    for (i, k) in sources.iter().enumerate() {
        let s = match cx.db().read(k, now) {
            None => None,
            Some(Entry { value: Value::Str(s), .. }) => Some(s),
            Some(_) => return Err(Error::WrongType),
        };
        let bytes = s.map(|s| s.as_bytes());
        let src: &[u8] = bytes.as_deref().unwrap_or(&[]);
        if src.len() > res.len() {
            res.try_reserve(src.len() - res.len()).map_err(|_| Error::Oom)?;
            res.resize(src.len(), 0);
        }
        if i == 0 {
            res[..src.len()].copy_from_slice(src);
            if op == BitOp::Not {
                for b in res.iter_mut() {
                    *b = !*b;
                }
            }
            continue;
        }
        // Later sources: zero-padding means AND clears the tail past `src`.
        match op {
            BitOp::And => {
                for (j, r) in res.iter_mut().enumerate() {
                    *r &= src.get(j).copied().unwrap_or(0);
                }
            }
            BitOp::Or => res.iter_mut().zip(src).for_each(|(r, s)| *r |= s),
            BitOp::Xor => res.iter_mut().zip(src).for_each(|(r, s)| *r ^= s),
            BitOp::Not => {}
        }
    }
    let len = res.len();
    if len > 0 {
        cx.db().set(dest, Value::Str(Str::Raw(res)), false, now);
        cx.touched(dest);
        cx.notify(notify::STRING, "set", dest);
        cx.dirty(1);
    } else if cx.db().remove_raw(dest).is_some() {
        // Redis deletes the destination without looking it up: an expired
        // destination is deleted ("del"), not expired.
        cx.touched(dest);
        cx.notify(notify::GENERIC, "del", dest);
        cx.dirty(1);
    }
    Ok(len)
}

fn bitop_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.req()?;
    let op = if is_kw(name, "and") {
        BitOp::And
    } else if is_kw(name, "or") {
        BitOp::Or
    } else if is_kw(name, "xor") {
        BitOp::Xor
    } else if is_kw(name, "not") {
        BitOp::Not
    } else {
        return Err(Error::Syntax);
    };
    let dest = a.req()?;
    let sources = a.rest();
    Ok(Reply::Int(bitop(cx, op, dest, sources)? as i64))
}

// ---- BITFIELD ----

/// What BITFIELD does on overflow of SET and INCRBY.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// Wrap around (the default).
    #[default]
    Wrap,
    /// Saturate at the type's minimum or maximum.
    Sat,
    /// Do nothing and answer nil.
    Fail,
}

/// One BITFIELD subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldOp {
    /// GET: the field's value.
    Get,
    /// SET v: store, answer the old value.
    Set(i64),
    /// INCRBY n: add, answer the new value.
    IncrBy(i64),
}

/// One BITFIELD operation on a field: `signed`/`bits` is the type (`i1`
/// ..`i64`, `u1`..`u63`), `offset` the first bit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BitfieldOp {
    /// GET, SET or INCRBY.
    pub op: FieldOp,
    /// Signed (`i`) or unsigned (`u`).
    pub signed: bool,
    /// Width in bits.
    pub bits: u32,
    /// Bit offset of the field's most significant bit.
    pub offset: u64,
    /// Overflow behaviour in force for this operation.
    pub overflow: Overflow,
}

/// Parses a type like `i16`/`u8` (`getBitfieldTypeFromArgument`; the
/// width is read up to a NUL byte, as the C string is).
fn parse_type(arg: &[u8]) -> Result<(bool, u32)> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(bitfield_type_err()),
    };
    let rest = &arg[1..];
    let rest = &rest[..rest.iter().position(|&c| c == 0).unwrap_or(rest.len())];
    match num::parse_i64(rest) {
        Some(b) if b >= 1 && ((signed && b <= 64) || (!signed && b <= 63)) => Ok((signed, b as u32)),
        _ => Err(bitfield_type_err()),
    }
}

/// Parses BITFIELD's subcommands (everything after the key) with Redis's
/// checks, in its order.
pub fn parse_bitfield(cx: &Ctx<'_>, a: &mut Args<'_>) -> Result<Vec<BitfieldOp>> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    while let Some(sub) = a.next() {
        let rem = a.remaining();
        let op = if is_kw(sub, "get") && rem >= 2 {
            FieldOp::Get
        } else if is_kw(sub, "set") && rem >= 3 {
            FieldOp::Set(0)
        } else if is_kw(sub, "incrby") && rem >= 3 {
            FieldOp::IncrBy(0)
        } else if is_kw(sub, "overflow") && rem >= 1 {
            let t = a.req()?;
            overflow = if is_kw(t, "wrap") {
                Overflow::Wrap
            } else if is_kw(t, "sat") {
                Overflow::Sat
            } else if is_kw(t, "fail") {
                Overflow::Fail
            } else {
                return Err(Error::err("Invalid OVERFLOW type specified"));
            };
            continue;
        } else {
            return Err(Error::Syntax);
        };
        let (signed, bits) = parse_type(a.req()?)?;
        let offset = parse_bit_offset(cx, a.req()?, bits)?;
        let op = match op {
            FieldOp::Get => FieldOp::Get,
            FieldOp::Set(_) => FieldOp::Set(a.i64()?),
            FieldOp::IncrBy(_) => FieldOp::IncrBy(a.i64()?),
        };
        ops.push(BitfieldOp { op, signed, bits, offset, overflow });
    }
    Ok(ops)
}

fn get_unsigned(p: &[u8], offset: u64, bits: u32) -> u64 {
    let mut v = 0u64;
    for j in 0..bits as u64 {
        // Offsets are bounded by proto-max-bulk-len; wrapping only keeps an
        // absurd configuration from panicking.
        let o = offset.wrapping_add(j);
        let byte = usize::try_from(o >> 3).unwrap_or(usize::MAX);
        let b = p.get(byte).copied().unwrap_or(0);
        v = (v << 1) | ((b >> (7 - (o & 7))) & 1) as u64;
    }
    v
}

fn get_signed(p: &[u8], offset: u64, bits: u32) -> i64 {
    let mut v = get_unsigned(p, offset, bits);
    if bits < 64 && v & (1u64 << (bits - 1)) != 0 {
        v |= u64::MAX << bits;
    }
    v as i64
}

/// Writes the low `bits` bits of `value` at `offset` (inside `p`, which
/// the caller grew to cover every write).
fn set_unsigned(p: &mut [u8], offset: u64, bits: u32, value: u64) {
    for j in 0..bits as u64 {
        let bit = (value >> (bits as u64 - 1 - j)) & 1;
        let o = offset.wrapping_add(j);
        let shift = 7 - (o & 7);
        if let Some(b) = usize::try_from(o >> 3).ok().and_then(|i| p.get_mut(i)) {
            *b = (*b & !(1 << shift)) | ((bit as u8) << shift);
        }
    }
}

/// Redis's `checkUnsignedBitfieldOverflow`: 0 when `value + incr` fits,
/// else +1/-1 and the value to store under `ow` (None for FAIL).
fn unsigned_overflow(value: u64, incr: i64, bits: u32, ow: Overflow) -> (i32, Option<u64>) {
    let max = if bits == 64 { u64::MAX } else { (1u64 << bits) - 1 };
    let maxincr = max.wrapping_sub(value) as i64;
    let minincr = value.wrapping_neg() as i64;
    let wrap = || {
        let mask = if bits >= 64 { 0 } else { u64::MAX << bits };
        value.wrapping_add(incr as u64) & !mask
    };
    if value > max || (incr > 0 && incr > maxincr) {
        let lim = match ow {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        };
        (1, lim)
    } else if incr < 0 && incr < minincr {
        let lim = match ow {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(0),
            Overflow::Fail => None,
        };
        (-1, lim)
    } else {
        (0, None)
    }
}

/// Redis's `checkSignedBitfieldOverflow`, with its C arithmetic (wrapping
/// where C relies on two's complement).
fn signed_overflow(value: i64, incr: i64, bits: u32, ow: Overflow) -> (i32, Option<i64>) {
    let max = if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
    let min = -max - 1;
    let maxincr = (max as u64).wrapping_sub(value as u64) as i64;
    let minincr = min.wrapping_sub(value);
    let wrap = || {
        let msb = 1u64 << (bits - 1);
        let mut c = (value as u64).wrapping_add(incr as u64);
        if bits < 64 {
            let mask = u64::MAX << bits;
            if c & msb != 0 {
                c |= mask;
            } else {
                c &= !mask;
            }
        }
        c as i64
    };
    let b64 = bits == 64;
    if value > max || (!b64 && incr > maxincr) || (value >= 0 && incr > 0 && incr > maxincr) {
        let lim = match ow {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(max),
            Overflow::Fail => None,
        };
        (1, lim)
    } else if value < min || (!b64 && incr < minincr) || (value < 0 && incr < 0 && incr < minincr) {
        let lim = match ow {
            Overflow::Wrap => Some(wrap()),
            Overflow::Sat => Some(min),
            Overflow::Fail => None,
        };
        (-1, lim)
    } else {
        (0, None)
    }
}

/// Runs a GET on a read-only view.
fn field_get(p: &[u8], op: &BitfieldOp) -> i64 {
    if op.signed {
        get_signed(p, op.offset, op.bits)
    } else {
        get_unsigned(p, op.offset, op.bits) as i64
    }
}

/// Runs a SET or INCRBY on the buffer: the reply (None when FAIL
/// refused) and whether the field's bits changed.
fn field_write(p: &mut [u8], op: &BitfieldOp) -> (Option<i64>, bool) {
    let (is_incr, arg) = match op.op {
        FieldOp::Set(v) => (false, v),
        FieldOp::IncrBy(n) => (true, n),
        FieldOp::Get => return (Some(field_get(p, op)), false),
    };
    if op.signed {
        let old = get_signed(p, op.offset, op.bits);
        let (new, of, ret);
        if is_incr {
            let (o, lim) = signed_overflow(old, arg, op.bits, op.overflow);
            of = o != 0;
            new = if of { lim.unwrap_or(0) } else { old.wrapping_add(arg) };
            ret = new;
        } else {
            let (o, lim) = signed_overflow(arg, 0, op.bits, op.overflow);
            of = o != 0;
            new = if of { lim.unwrap_or(0) } else { arg };
            ret = old;
        }
        if of && op.overflow == Overflow::Fail {
            return (None, false);
        }
        set_unsigned(p, op.offset, op.bits, new as u64);
        (Some(ret), old != new)
    } else {
        let old = get_unsigned(p, op.offset, op.bits);
        let (new, of, ret);
        if is_incr {
            let (o, lim) = unsigned_overflow(old, arg, op.bits, op.overflow);
            of = o != 0;
            new = if of { lim.unwrap_or(0) } else { old.wrapping_add(arg as u64) };
            ret = new;
        } else {
            let (o, lim) = unsigned_overflow(arg as u64, 0, op.bits, op.overflow);
            of = o != 0;
            new = if of { lim.unwrap_or(0) } else { arg as u64 };
            ret = old;
        }
        if of && op.overflow == Overflow::Fail {
            return (None, false);
        }
        set_unsigned(p, op.offset, op.bits, new);
        (Some(ret as i64), old != new)
    }
}

/// Checks a typed-API operation as the parser would have.
fn check_op(cx: &Ctx<'_>, op: &BitfieldOp) -> Result<()> {
    let ok = op.bits >= 1 && ((op.signed && op.bits <= 64) || (!op.signed && op.bits <= 63));
    if !ok {
        return Err(bitfield_type_err());
    }
    check_offset(cx, op.offset)
}

/// BITFIELD: runs `ops` in order. With only GETs the key is just read (a
/// missing key reads as zeros); otherwise the string is created or
/// zero-padded to cover the farthest written bit first. Each answer is
/// the value (None for an operation refused by OVERFLOW FAIL).
pub fn bitfield(cx: &mut Ctx<'_>, key: &[u8], ops: &[BitfieldOp]) -> Result<Vec<Option<i64>>> {
    bitfield_generic(cx, key, ops, false)
}

/// BITFIELD_RO: BITFIELD restricted to GET.
pub fn bitfield_ro(cx: &mut Ctx<'_>, key: &[u8], ops: &[BitfieldOp]) -> Result<Vec<Option<i64>>> {
    bitfield_generic(cx, key, ops, true)
}

fn bitfield_generic(cx: &mut Ctx<'_>, key: &[u8], ops: &[BitfieldOp], ro: bool) -> Result<Vec<Option<i64>>> {
    for op in ops {
        check_op(cx, op)?;
    }
    let highest = ops.iter().filter(|o| o.op != FieldOp::Get).map(|o| o.offset.saturating_add(o.bits as u64 - 1)).max();
    let Some(highest) = highest else {
        let Some(s) = read_str(cx, key)? else { return Ok(ops.iter().map(|op| Some(field_get(&[], op))).collect()) };
        let p = s.as_bytes();
        return Ok(ops.iter().map(|op| Some(field_get(&p, op))).collect());
    };
    if ro {
        return Err(Error::err("BITFIELD_RO only supports the GET subcommand"));
    }
    let byte = usize::try_from(highest >> 3).map_err(|_| offset_err())?;
    let (buf, grown) = string_for_bits(cx, key, byte)?;
    let mut out = Vec::with_capacity(ops.len());
    let mut changes = 0u64;
    for op in ops {
        let (r, changed) = field_write(buf, op);
        if op.op != FieldOp::Get && r.is_some() && (grown || changed) {
            changes += 1;
        }
        out.push(r);
    }
    if changes > 0 {
        // BITFIELD replies before signalling and notifying.
        cx.reply_point();
        cx.touched(key);
        cx.notify(notify::STRING, "setbit", key);
        cx.dirty(changes);
    }
    Ok(out)
}

fn bitfield_reply(r: Vec<Option<i64>>) -> Reply {
    Reply::Array(r.into_iter().map(|v| v.map_or(Reply::Nil, Reply::Int)).collect())
}

fn bitfield_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let ops = parse_bitfield(cx, a)?;
    Ok(bitfield_reply(bitfield(cx, key, &ops)?))
}

fn bitfield_ro_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let key = a.req()?;
    let ops = parse_bitfield(cx, a)?;
    Ok(bitfield_reply(bitfield_ro(cx, key, &ops)?))
}

impl Engine {
    /// `SETBIT key offset 0|1`: the bit's old value.
    pub fn setbit(&mut self, db: usize, key: &[u8], offset: u64, on: bool) -> Result<bool> {
        self.with_ctx(db, |cx| setbit(cx, key, offset, on))
    }

    /// `GETBIT key offset`.
    pub fn getbit(&mut self, db: usize, key: &[u8], offset: u64) -> Result<bool> {
        self.with_ctx(db, |cx| getbit(cx, key, offset))
    }

    /// `BITCOUNT key [start end [BYTE|BIT]]`.
    pub fn bitcount(&mut self, db: usize, key: &[u8], range: Option<(i64, i64, BitUnit)>) -> Result<u64> {
        self.with_ctx(db, |cx| bitcount(cx, key, range))
    }

    /// `BITPOS key bit [start [end [BYTE|BIT]]]`.
    pub fn bitpos(&mut self, db: usize, key: &[u8], bit: bool, start: Option<i64>, end: Option<i64>, unit: BitUnit) -> Result<i64> {
        self.with_ctx(db, |cx| bitpos(cx, key, bit, start, end, unit))
    }

    /// `BITOP op dest src...`: the result's length.
    pub fn bitop(&mut self, db: usize, op: BitOp, dest: &[u8], sources: &[&[u8]]) -> Result<usize> {
        self.with_ctx(db, |cx| bitop(cx, op, dest, sources))
    }

    /// `BITFIELD key ...` with parsed operations.
    pub fn bitfield(&mut self, db: usize, key: &[u8], ops: &[BitfieldOp]) -> Result<Vec<Option<i64>>> {
        self.with_ctx(db, |cx| bitfield(cx, key, ops))
    }

    /// `BITFIELD_RO key GET ...`.
    pub fn bitfield_ro(&mut self, db: usize, key: &[u8], ops: &[BitfieldOp]) -> Result<Vec<Option<i64>>> {
        self.with_ctx(db, |cx| bitfield_ro(cx, key, ops))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitpos_matches_reference_scan() {
        // Brute force over small strings and all ranges against a bit-by-bit
        // model of Redis's rules.
        let data = [0x00u8, 0xff, 0x0f, 0xf0, 0x81, 0x7e];
        for len in 0..4 {
            let p = &data[..len];
            for bit in [false, true] {
                for s in -20i64..20 {
                    for e in -20i64..20 {
                        for unit in [BitUnit::Byte, BitUnit::Bit] {
                            let got = bitpos_bytes(p, bit, Some(s), Some(e), unit);
                            let want = model(p, bit, s, e, unit);
                            assert_eq!(got, want, "{p:?} {bit} {s} {e} {unit:?}");
                        }
                    }
                }
            }
        }
    }

    fn model(p: &[u8], bit: bool, s: i64, e: i64, unit: BitUnit) -> i64 {
        let Some(sp) = resolve(p.len(), s, e, unit) else { return -1 };
        let (lo, hi) = match unit {
            BitUnit::Byte => (sp.start as i64 * 8, sp.end as i64 * 8 + 7),
            BitUnit::Bit => {
                let t = (p.len() as i64) * 8;
                let (mut s, mut e) = (if s < 0 { s + t } else { s }, if e < 0 { e + t } else { e });
                s = s.max(0);
                e = e.max(0).min(t - 1);
                (s, e)
            }
        };
        for i in lo..=hi {
            let b = p[(i >> 3) as usize] & (1 << (7 - (i & 7))) != 0;
            if b == bit {
                return i;
            }
        }
        -1
    }
}
