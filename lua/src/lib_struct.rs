//! The `struct` library Redis embeds (lua_struct.c, Roberto Ierusalimschy's
//! struct library as patched by Redis): `struct.pack`, `struct.unpack` and
//! `struct.size` over binary strings.
//!
//! Formats are read as on x86-64 Linux: native little-endian, `long` and
//! `size_t` of 8 bytes, `int` of 4, maximum alignment 8, integer sizes up to
//! 32 bytes (`i17`), with lua_struct.c's quirks kept: integers wider than 8
//! bytes carry only 64 bits of value (the extra bytes of a packed negative
//! number are zeros, not sign bytes), the "string too short" check of `c`
//! names the argument after the string, and a `c0` in `unpack` takes its
//! length from the previous result.
//!
//! The format walk is pure ([`pack`], [`unpack`], [`size`]); arguments come
//! through the small [`PackArgs`] trait so the binding keeps lauxlib's
//! argument checks and messages.

use alloc::format;
use core::convert::Infallible;
use alloc::vec::Vec;

use crate::number::{double_to_long, double_to_ulong};

/// Largest integer size (`MAXINTSIZE`).
const MAX_INT_SIZE: usize = 32;
/// `MAXALIGN` on x86-64: the padding before a double in `struct {char; double}`.
const MAX_ALIGN: usize = 8;

/// Why a struct call failed.
#[derive(Debug, PartialEq)]
pub enum StructError<E> {
    /// `luaL_argerror(arg, msg)`: "bad argument #arg to 'f' (msg)".
    Arg(usize, Vec<u8>),
    /// `luaL_error(msg)`: the message, to be prefixed with the position.
    Msg(Vec<u8>),
    /// An error of the argument source (a failed luaL_check*).
    Source(E),
}

/// Where `pack` takes its arguments from: luaL_checknumber and
/// luaL_checklstring of argument `arg` (1-based, the format is #1).
pub trait PackArgs {
    /// The source's error (the binding's `LuaError`).
    type Err;
    /// `luaL_checknumber(L, arg)`.
    fn number(&mut self, arg: usize) -> Result<f64, Self::Err>;
    /// `luaL_checklstring(L, arg)`, copied out.
    fn bytes(&mut self, arg: usize) -> Result<Vec<u8>, Self::Err>;
}

/// One value `unpack` produces.
#[derive(Clone, Debug, PartialEq)]
pub enum Unpacked {
    /// A number (integers, floats, doubles).
    Number(f64),
    /// `data[start..end]` (strings of `c` and `s`).
    Bytes(usize, usize),
}

#[derive(Clone, Copy)]
struct Header {
    little: bool,
    align: usize,
}

impl Default for Header {
    fn default() -> Self {
        Header { little: true, align: 1 }
    }
}

/// A cursor over the format string, which ends at its first NUL as in C.
struct Fmt<'a> {
    f: &'a [u8],
    i: usize,
}

impl Fmt<'_> {
    fn new(f: &[u8]) -> Fmt<'_> {
        let end = f.iter().position(|&c| c == 0).unwrap_or(f.len());
        Fmt { f: f.get(..end).unwrap_or(f), i: 0 }
    }

    fn next(&mut self) -> Option<u8> {
        let c = self.f.get(self.i).copied()?;
        self.i += 1;
        Some(c)
    }

    /// `getnum`: an optional decimal number, `df` when absent.
    fn getnum<E>(&mut self, df: usize) -> Result<usize, StructError<E>> {
        let mut a: i64 = 0;
        let mut any = false;
        while let Some(&c) = self.f.get(self.i).filter(|c| c.is_ascii_digit()) {
            let d = (c - b'0') as i64;
            if a > i32::MAX as i64 / 10 || a * 10 > i32::MAX as i64 - d {
                return Err(StructError::Msg(b"integral size overflow".to_vec()));
            }
            a = a * 10 + d;
            self.i += 1;
            any = true;
        }
        Ok(if any { a as usize } else { df })
    }

    /// `optsize`: the size of option `opt`, reading its number if any.
    fn optsize<E>(&mut self, opt: u8) -> Result<usize, StructError<E>> {
        Ok(match opt {
            b'B' | b'b' => 1,
            b'H' | b'h' => 2,
            b'L' | b'l' | b'T' | b'd' => 8,
            b'f' => 4,
            b'x' => 1,
            b'c' => self.getnum(1)?,
            b'i' | b'I' => {
                let sz = self.getnum(4)?;
                if sz > MAX_INT_SIZE {
                    return Err(StructError::Msg(
                        format!("integral size {} is larger than limit of {}", sz, MAX_INT_SIZE).into_bytes(),
                    ));
                }
                sz
            }
            _ => 0,
        })
    }

    /// `controloptions`: spaces, endianness and alignment; anything else is
    /// an invalid option (argument #1).
    fn control<E>(&mut self, opt: u8, h: &mut Header) -> Result<(), StructError<E>> {
        match opt {
            b' ' => Ok(()),
            b'>' => {
                h.little = false;
                Ok(())
            }
            b'<' => {
                h.little = true;
                Ok(())
            }
            b'!' => {
                let a = self.getnum(MAX_ALIGN)?;
                if a == 0 || a & (a - 1) != 0 {
                    return Err(StructError::Msg(format!("alignment {} is not a power of 2", a).into_bytes()));
                }
                h.align = a;
                Ok(())
            }
            _ => {
                let mut msg = b"invalid format option '".to_vec();
                msg.push(opt);
                msg.push(b'\'');
                Err(StructError::Arg(1, msg))
            }
        }
    }
}

/// `gettoalign`: padding needed before an item of `size` at offset `len`
/// (offsets are C's 64-bit `size_t` on every target).
fn gettoalign(len: u64, h: &Header, opt: u8, size: u64) -> u64 {
    if size == 0 || opt == b'c' {
        return 0;
    }
    let size = size.min(h.align as u64);
    // Like C, this assumes a power-of-two size; other sizes (i3) give C's
    // same arithmetic.
    (size.wrapping_sub(len & size.wrapping_sub(1))) & size.wrapping_sub(1)
}

/// `struct.pack(fmt, ...)`: the packed bytes.
pub fn pack<A: PackArgs>(fmt: &[u8], args: &mut A) -> Result<Vec<u8>, StructError<A::Err>> {
    let mut f = Fmt::new(fmt);
    let mut h = Header::default();
    let mut arg = 2;
    let mut out = Vec::new();
    let mut total = 0u64;
    while let Some(opt) = f.next() {
        let mut size = f.optsize(opt)?;
        let toalign = gettoalign(total, &h, opt, size as u64);
        total = total.wrapping_add(toalign);
        // Padding is smaller than the item it aligns (at most 31 bytes).
        out.resize(out.len() + toalign as usize, 0);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                let n = args.number(arg).map_err(StructError::Source)?;
                arg += 1;
                let mut value = if n < 0.0 { double_to_long(n) as u64 } else { double_to_ulong(n) };
                // optsize caps integer sizes at MAX_INT_SIZE, so `buf`
                // holds every byte index below.
                let mut buf = [0u8; MAX_INT_SIZE];
                for k in 0..size {
                    let idx = if h.little { k } else { size - 1 - k };
                    buf[idx] = (value & 0xff) as u8;
                    value >>= 8;
                }
                out.extend_from_slice(&buf[..size]);
            }
            b'x' => out.push(0),
            b'f' => {
                let n = args.number(arg).map_err(StructError::Source)?;
                arg += 1;
                let b = (n as f32).to_bits();
                out.extend_from_slice(&if h.little { b.to_le_bytes() } else { b.to_be_bytes() });
            }
            b'd' => {
                let n = args.number(arg).map_err(StructError::Source)?;
                arg += 1;
                let b = n.to_bits();
                out.extend_from_slice(&if h.little { b.to_le_bytes() } else { b.to_be_bytes() });
            }
            b'c' | b's' => {
                let s = args.bytes(arg).map_err(StructError::Source)?;
                arg += 1;
                if size == 0 {
                    size = s.len();
                }
                if s.len() < size {
                    // lua_struct.c checks after `arg++`: it names the next argument.
                    return Err(StructError::Arg(arg, b"string too short".to_vec()));
                }
                out.extend_from_slice(s.get(..size).unwrap_or(&s));
                if opt == b's' {
                    out.push(0);
                    size += 1;
                }
            }
            _ => f.control(opt, &mut h)?,
        }
        total = total.wrapping_add(size as u64);
    }
    Ok(out)
}

/// `getinteger`: an integer of `size` bytes (only the last 64 bits read
/// survive, as with C's 64-bit accumulator).
fn getinteger(b: &[u8], little: bool, signed: bool, size: usize) -> f64 {
    let mut l: u64 = 0;
    for k in 0..size {
        let idx = if little { size - 1 - k } else { k };
        l = (l << 8) | b.get(idx).copied().unwrap_or(0) as u64;
    }
    if !signed {
        l as f64
    } else {
        // C shifts by size*8-1, which x86 masks to 6 bits.
        let mask = u64::MAX.wrapping_shl((size as u32).wrapping_mul(8).wrapping_sub(1));
        if l & mask != 0 {
            l |= mask;
        }
        l as i64 as f64
    }
}

/// `struct.unpack(fmt, data, pos)`: the values and the next position
/// (1-based). `pos` is the Lua argument (default 1). `nargs` is how many
/// arguments the call had, for the stack check ("too many results").
pub fn unpack(fmt: &[u8], data: &[u8], pos: i64, nargs: usize) -> Result<(Vec<Unpacked>, u64), StructError<Infallible>> {
    // size_t pos = luaL_optinteger(...): negative values become huge. All
    // offsets are u64 as C's size_t on x86-64, whatever the target.
    let pos = pos as u64;
    if pos == 0 {
        return Err(StructError::Arg(3, b"offset must be 1 or greater".to_vec()));
    }
    let mut pos = pos - 1;
    let ld = data.len() as u64;
    let mut f = Fmt::new(fmt);
    let mut h = Header::default();
    let mut res: Vec<Unpacked> = Vec::new();
    let too_short = || StructError::Arg(2, b"data string too short".to_vec());
    // After the length check, `pos..pos + size` lies within `data`.
    let slice = |pos: u64, size: u64| data.get(pos as usize..(pos + size) as usize).unwrap_or(&[]);
    while let Some(opt) = f.next() {
        let mut size = f.optsize(opt)? as u64;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if !(size <= ld && pos <= ld - size) {
            return Err(too_short());
        }
        // luaL_checkstack(L, 2, "too many results"): LUAI_MAXCSTACK is 8000.
        if nargs + res.len() + 2 > 8000 {
            return Err(StructError::Msg(b"stack overflow (too many results)".to_vec()));
        }
        let item = slice(pos, size);
        match opt {
            b'b' | b'B' | b'h' | b'H' | b'l' | b'L' | b'T' | b'i' | b'I' => {
                res.push(Unpacked::Number(getinteger(item, h.little, opt.is_ascii_lowercase(), size as usize)));
            }
            b'x' => {}
            b'f' => {
                let mut b = [0u8; 4];
                b.copy_from_slice(item.get(..4).unwrap_or(&[0; 4]));
                let v = if h.little { u32::from_le_bytes(b) } else { u32::from_be_bytes(b) };
                res.push(Unpacked::Number(f32::from_bits(v) as f64));
            }
            b'd' => {
                let mut b = [0u8; 8];
                b.copy_from_slice(item.get(..8).unwrap_or(&[0; 8]));
                let v = if h.little { u64::from_le_bytes(b) } else { u64::from_be_bytes(b) };
                res.push(Unpacked::Number(f64::from_bits(v)));
            }
            b'c' => {
                if size == 0 {
                    let prev = match res.last() {
                        Some(Unpacked::Number(n)) => Some(*n),
                        Some(Unpacked::Bytes(s, e)) => {
                            crate::number::str2number(data.get(*s..*e).unwrap_or(&[]))
                        }
                        None => None,
                    };
                    let Some(n) = prev else {
                        return Err(StructError::Msg(b"format 'c0' needs a previous size".to_vec()));
                    };
                    size = double_to_ulong(n);
                    res.pop();
                    if !(size <= ld && pos <= ld - size) {
                        return Err(too_short());
                    }
                }
                res.push(Unpacked::Bytes(pos as usize, (pos + size) as usize));
            }
            b's' => {
                let rest = data.get(pos as usize..).unwrap_or(&[]);
                let Some(nul) = rest.iter().position(|&c| c == 0) else {
                    return Err(StructError::Msg(b"unfinished string in data".to_vec()));
                };
                size = nul as u64 + 1;
                res.push(Unpacked::Bytes(pos as usize, pos as usize + nul));
            }
            _ => f.control(opt, &mut h)?,
        }
        pos = pos.wrapping_add(size);
    }
    Ok((res, pos.wrapping_add(1)))
}

/// `struct.size(fmt)`: the packed size of a fixed-size format.
pub fn size(fmt: &[u8]) -> Result<u64, StructError<Infallible>> {
    let mut f = Fmt::new(fmt);
    let mut h = Header::default();
    let mut pos = 0u64;
    while let Some(opt) = f.next() {
        let size = f.optsize(opt)? as u64;
        pos = pos.wrapping_add(gettoalign(pos, &h, opt, size));
        if opt == b's' {
            return Err(StructError::Arg(1, b"option 's' has no fixed size".to_vec()));
        } else if opt == b'c' && size == 0 {
            return Err(StructError::Arg(1, b"option 'c0' has no fixed size".to_vec()));
        }
        if !opt.is_ascii_alphanumeric() {
            f.control(opt, &mut h)?;
        }
        pos = pos.wrapping_add(size);
    }
    Ok(pos)
}

// ---------------------------------------------------------------------------
// Binding

use crate::api::{Ctx, Host, Lua, NativeFn};
use crate::value::{LuaError, Value};

/// Opens the `struct` library (global `struct`, as `luaopen_struct`).
pub fn open_struct<H: Host>(lua: &mut Lua<H>) {
    let t = lua.new_table(0, 3);
    let funcs: [(&str, NativeFn<H>); 3] = [("pack", b_pack), ("unpack", b_unpack), ("size", b_size)];
    for (name, f) in funcs {
        lua.register(t, name, f);
    }
    let g = lua.globals();
    let k = lua.new_string(b"struct");
    // A string key is never nil or NaN: this cannot fail.
    let _ = lua.raw_set(g, Value::String(k), Value::Table(t));
}

/// Arguments of `struct.pack`, read with lauxlib's checks.
struct CtxArgs<'c, 'a, H>(&'c mut Ctx<'a, H>);

impl<H: Host> CtxArgs<'_, '_, H> {
    /// b_pack pushes a nil right after its arguments (a mark before its
    /// string buffer), so the first missing argument is "nil", not "no
    /// value", in its error messages.
    fn missing(&mut self, arg: usize, expected: &str) -> Option<LuaError> {
        (arg == self.0.nargs() + 1).then(|| {
            let msg = alloc::format!("{} expected, got nil", expected);
            self.0.arg_error(arg, &msg)
        })
    }
}

impl<H: Host> PackArgs for CtxArgs<'_, '_, H> {
    type Err = LuaError;
    fn number(&mut self, arg: usize) -> Result<f64, LuaError> {
        if let Some(e) = self.missing(arg, "number") {
            return Err(e);
        }
        self.0.check_number(arg)
    }
    fn bytes(&mut self, arg: usize) -> Result<Vec<u8>, LuaError> {
        if let Some(e) = self.missing(arg, "string") {
            return Err(e);
        }
        let s = self.0.check_bytes(arg)?;
        Ok(self.0.str_bytes(s).to_vec())
    }
}

fn raise<H: Host>(ctx: &mut Ctx<'_, H>, e: StructError<LuaError>) -> LuaError {
    match e {
        StructError::Arg(i, msg) => ctx.arg_error_bytes(i, &msg),
        StructError::Msg(msg) => ctx.error(&msg),
        StructError::Source(e) => e,
    }
}

/// `unpack` and `size` read no arguments through a source.
fn widen(e: StructError<Infallible>) -> StructError<LuaError> {
    match e {
        StructError::Arg(i, m) => StructError::Arg(i, m),
        StructError::Msg(m) => StructError::Msg(m),
        StructError::Source(never) => match never {},
    }
}

fn b_pack<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let f = ctx.check_bytes(1)?;
    let f = ctx.lua_ref().str_rc(f);
    let r = pack(&f, &mut CtxArgs(ctx));
    match r {
        Ok(out) => {
            crate::lib_string::reserve_memory(ctx.lua(), out.len())?;
            ctx.push_bytes(&out)?;
            Ok(1)
        }
        Err(e) => Err(raise(ctx, e)),
    }
}

fn b_unpack<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let f = ctx.check_bytes(1)?;
    let f = ctx.lua_ref().str_rc(f);
    let d = ctx.check_bytes(2)?;
    let data = ctx.lua_ref().str_rc(d);
    let pos = ctx.opt_integer(3, 1)?;
    let (vals, next) = match unpack(&f, &data, pos, ctx.nargs()) {
        Ok(r) => r,
        Err(e) => return Err(raise(ctx, widen(e))),
    };
    let n = vals.len();
    for v in vals {
        let v = match v {
            Unpacked::Number(x) => Value::Number(x),
            Unpacked::Bytes(s, e) => Value::String(ctx.lua().new_substring(d, s, e)),
        };
        ctx.push(v)?;
    }
    // lua_pushinteger of a size_t.
    ctx.push(Value::Number(next as i64 as f64))?;
    Ok(n + 1)
}

fn b_size<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let f = ctx.check_bytes(1)?;
    let f = ctx.lua_ref().str_rc(f);
    match size(&f) {
        Ok(n) => {
            ctx.push(Value::Number(n as i64 as f64))?;
            Ok(1)
        }
        Err(e) => Err(raise(ctx, widen(e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// Arguments for tests: numbers, or strings (numbers are not converted).
    enum A {
        N(f64),
        S(&'static [u8]),
    }
    struct Args(Vec<A>);
    impl PackArgs for Args {
        type Err = usize;
        fn number(&mut self, arg: usize) -> Result<f64, usize> {
            match self.0.get(arg - 2) {
                Some(A::N(n)) => Ok(*n),
                _ => Err(arg),
            }
        }
        fn bytes(&mut self, arg: usize) -> Result<Vec<u8>, usize> {
            match self.0.get(arg - 2) {
                Some(A::S(s)) => Ok(s.to_vec()),
                _ => Err(arg),
            }
        }
    }

    #[test]
    fn pack_matches_redis() {
        // Expected bytes from redis-cli EVAL on redis 7.0.15.
        let p = |f: &[u8], a: Vec<A>| pack(f, &mut Args(a));
        assert_eq!(p(b">I2", vec![A::N(258.0)]), Ok(vec![1, 2]));
        assert_eq!(p(b"<i16", vec![A::N(-1.0)]), Ok([vec![0xff; 8], vec![0; 8]].concat()));
        assert_eq!(p(b"!4 b i", vec![A::N(1.0), A::N(2.0)]), Ok(vec![1, 0, 0, 0, 2, 0, 0, 0]));
        assert_eq!(p(b"s", vec![A::S(b"ab")]), Ok(b"ab\0".to_vec()));
        assert_eq!(p(b"c5", vec![A::S(b"ab")]), Err(StructError::Arg(3, b"string too short".to_vec())));
        assert_eq!(p(b"y", vec![]), Err(StructError::Arg(1, b"invalid format option 'y'".to_vec())));
        assert_eq!(p(b"i33", vec![]), Err(StructError::Msg(b"integral size 33 is larger than limit of 32".to_vec())));
        assert_eq!(p(b"!3", vec![]), Err(StructError::Msg(b"alignment 3 is not a power of 2".to_vec())));
        assert_eq!(p(b">d", vec![A::N(1.5)]), Ok(vec![0x3f, 0xf8, 0, 0, 0, 0, 0, 0]));
        assert_eq!(p(b"<B", vec![A::N(-1.0)]), Ok(vec![0xff]));
    }

    #[test]
    fn unpack_and_size_match_redis() {
        let (v, next) = unpack(b">I2", &[1, 2], 1, 2).unwrap();
        assert_eq!((v, next), (vec![Unpacked::Number(258.0)], 3));
        let (v, _) = unpack(b"<h", &[0xff, 0xff], 1, 2).unwrap();
        assert_eq!(v, vec![Unpacked::Number(-1.0)]);
        let (v, next) = unpack(b"b c0", b"\x03abcd", 1, 2).unwrap();
        assert_eq!((v, next), (vec![Unpacked::Bytes(1, 4)], 5));
        assert_eq!(unpack(b"c0", b"abc", 1, 2), Err(StructError::Msg(b"format 'c0' needs a previous size".to_vec())));
        assert_eq!(unpack(b"i", b"abc", 1, 2), Err(StructError::Arg(2, b"data string too short".to_vec())));
        assert_eq!(unpack(b"i", b"abcd", 0, 3), Err(StructError::Arg(3, b"offset must be 1 or greater".to_vec())));
        assert_eq!(unpack(b"s", b"ab", 1, 2), Err(StructError::Msg(b"unfinished string in data".to_vec())));
        let (v, next) = unpack(b"s", b"ab\0c", 1, 2).unwrap();
        assert_eq!((v, next), (vec![Unpacked::Bytes(0, 2)], 4));
        assert_eq!(size(b"!8 b d"), Ok(16));
        assert_eq!(size(b"i3 h"), Ok(5));
        assert_eq!(size(b"s"), Err(StructError::Arg(1, b"option 's' has no fixed size".to_vec())));
        assert_eq!(size(b"c0"), Err(StructError::Arg(1, b"option 'c0' has no fixed size".to_vec())));
    }
}
