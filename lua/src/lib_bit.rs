//! The `bit` library Redis embeds: LuaBitOp 1.0.2 (lua_bit.c) on Lua 5.1's
//! doubles.
//!
//! Every argument becomes a 32-bit word the way LuaBitOp does it: the double
//! plus 2^52+2^51, whose low 32 mantissa bits are then the number rounded to
//! nearest-even modulo 2^32 ([`tobit_bits`]). Results are pushed as signed
//! 32-bit numbers. The operations themselves are pure functions here; the
//! binding reads arguments like `lua_tonumber` (numeric strings convert) and
//! raises lua_bit.c's "number expected" error for anything else.

/// LuaBitOp's `barg` conversion of a double to a 32-bit word: add 2^52+2^51
/// and keep the low 32 bits of the IEEE representation.
///
/// ```
/// assert_eq!(redlet_lua::lib_bit::tobit_bits(-1.0), 0xffff_ffff);
/// assert_eq!(redlet_lua::lib_bit::tobit_bits(2.5), 2); // ties to even
/// ```
pub fn tobit_bits(n: f64) -> u32 {
    (n + 6755399441055744.0).to_bits() as u32
}

/// The value a result word is pushed as: `(lua_Number)(int32_t)b`.
pub fn bits_to_number(b: u32) -> f64 {
    b as i32 as f64
}

/// `bit.lshift` / `rshift` / `arshift` / `rol` / `ror`: `which` names the
/// operation; the count uses its low 5 bits, as in lua_bit.c.
pub fn shift(which: Shift, b: u32, n: u32) -> u32 {
    let n = n & 31;
    match which {
        Shift::Left => b << n,
        Shift::Right => b >> n,
        Shift::Arith => ((b as i32) >> n) as u32,
        Shift::RotLeft => b.rotate_left(n),
        Shift::RotRight => b.rotate_right(n),
    }
}

/// The shift and rotate operations of [`shift`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shift {
    /// `bit.lshift`
    Left,
    /// `bit.rshift` (logical)
    Right,
    /// `bit.arshift` (sign-propagating)
    Arith,
    /// `bit.rol`
    RotLeft,
    /// `bit.ror`
    RotRight,
}

/// `bit.tohex(b, n)`: the low `|n|` hex digits of `b` (at most 8), upper
/// case when `n` is negative. `n` defaults to 8 when absent.
///
/// lua_bit.c negates `n` in 32-bit arithmetic, so -2^31 stays negative and
/// would ask C for a negative-length string; here it gives 8 upper-case
/// digits instead (a deviation on an input the original crashes on).
pub fn tohex(b: u32, n: i32) -> ([u8; 8], usize) {
    let (n, digits): (i32, &[u8; 16]) = if n < 0 {
        (n.checked_neg().unwrap_or(8), b"0123456789ABCDEF")
    } else {
        (n, b"0123456789abcdef")
    };
    let n = n.min(8) as usize;
    let mut buf = [0u8; 8];
    let mut v = b;
    for i in (0..n).rev() {
        buf[i] = digits[(v & 15) as usize];
        v >>= 4;
    }
    (buf, n)
}

/// `bit.bswap`: reverses the byte order of the word.
pub fn bswap(b: u32) -> u32 {
    b.swap_bytes()
}

// ---------------------------------------------------------------------------
// Binding

use crate::api::{Ctx, Host, Lua, NativeFn};
use crate::value::{LuaError, Value};

/// Opens the `bit` library (global `bit`, as `luaopen_bit`).
pub fn open_bit<H: Host>(lua: &mut Lua<H>) {
    let t = lua.new_table(0, 12);
    let funcs: [(&str, NativeFn<H>); 12] = [
        ("tobit", bit_tobit),
        ("bnot", bit_bnot),
        ("band", bit_band),
        ("bor", bit_bor),
        ("bxor", bit_bxor),
        ("lshift", bit_lshift),
        ("rshift", bit_rshift),
        ("arshift", bit_arshift),
        ("rol", bit_rol),
        ("ror", bit_ror),
        ("bswap", bit_bswap),
        ("tohex", bit_tohex),
    ];
    for (name, f) in funcs {
        lua.register(t, name, f);
    }
    let g = lua.globals();
    let k = lua.new_string(b"bit");
    // A string key is never nil or NaN: this cannot fail.
    let _ = lua.raw_set(g, Value::String(k), Value::Table(t));
}

/// `barg`: argument `i` as a word; `lua_tonumber` rules (numeric strings
/// convert), and "number expected" when the result is 0 and the argument is
/// not a number.
fn barg<H: Host>(ctx: &mut Ctx<'_, H>, i: usize) -> Result<u32, LuaError> {
    let n = ctx.lua_ref().to_number(ctx.arg(i));
    let b = tobit_bits(n.unwrap_or(0.0));
    if b == 0 && n.is_none() {
        return Err(ctx.type_error(i, "number"));
    }
    Ok(b)
}

fn bret<H: Host>(ctx: &mut Ctx<'_, H>, b: u32) -> Result<usize, LuaError> {
    ctx.push(Value::Number(bits_to_number(b)))?;
    Ok(1)
}

fn bit_tobit<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let b = barg(ctx, 1)?;
    bret(ctx, b)
}

fn bit_bnot<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let b = barg(ctx, 1)?;
    bret(ctx, !b)
}

/// `band`/`bor`/`bxor`: arguments folded from the last to the second, as
/// lua_bit.c's loop does (so the last bad argument is the one reported).
fn fold<H: Host>(ctx: &mut Ctx<'_, H>, op: fn(u32, u32) -> u32) -> Result<usize, LuaError> {
    let mut b = barg(ctx, 1)?;
    let mut i = ctx.nargs();
    while i > 1 {
        b = op(b, barg(ctx, i)?);
        i -= 1;
    }
    bret(ctx, b)
}

fn bit_band<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    fold(ctx, |a, b| a & b)
}

fn bit_bor<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    fold(ctx, |a, b| a | b)
}

fn bit_bxor<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    fold(ctx, |a, b| a ^ b)
}

fn shift_op<H: Host>(ctx: &mut Ctx<'_, H>, which: Shift) -> Result<usize, LuaError> {
    let b = barg(ctx, 1)?;
    let n = barg(ctx, 2)?;
    bret(ctx, shift(which, b, n))
}

fn bit_lshift<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    shift_op(ctx, Shift::Left)
}

fn bit_rshift<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    shift_op(ctx, Shift::Right)
}

fn bit_arshift<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    shift_op(ctx, Shift::Arith)
}

fn bit_rol<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    shift_op(ctx, Shift::RotLeft)
}

fn bit_ror<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    shift_op(ctx, Shift::RotRight)
}

fn bit_bswap<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let b = barg(ctx, 1)?;
    bret(ctx, bswap(b))
}

fn bit_tohex<H: Host>(ctx: &mut Ctx<'_, H>) -> Result<usize, LuaError> {
    let b = barg(ctx, 1)?;
    // lua_isnone(L, 2): only an absent argument takes the default.
    let n = if ctx.nargs() < 2 { 8 } else { barg(ctx, 2)? as i32 };
    let (buf, len) = tohex(b, n);
    ctx.push_bytes(&buf[..len])?;
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_match_luabitop() {
        // Values from redis-cli EVAL on redis 7.0.15 (bit.tobit / bit.tohex).
        assert_eq!(bits_to_number(tobit_bits(0xffffffff_u32 as f64)), -1.0);
        assert_eq!(bits_to_number(tobit_bits(4294967296.0 + 5.0)), 5.0);
        assert_eq!(bits_to_number(tobit_bits(1.5)), 2.0);
        assert_eq!(bits_to_number(tobit_bits(-1.5)), -2.0);
        assert_eq!(bits_to_number(tobit_bits(2147483648.0)), -2147483648.0);
        assert_eq!(tobit_bits(1437217655.0), 1437217655);
        let (buf, n) = tohex(0x12345678, -4);
        assert_eq!(&buf[..n], b"5678".to_ascii_uppercase().as_slice());
        let (buf, n) = tohex(0xdeadbeef, 8);
        assert_eq!(&buf[..n], b"deadbeef");
        let (buf, n) = tohex(0xdeadbeef, -20);
        assert_eq!(&buf[..n], b"DEADBEEF");
        assert_eq!(shift(Shift::Arith, 0x80000000, 4), 0xf8000000);
        assert_eq!(shift(Shift::Left, 1, 33), 2);
        assert_eq!(shift(Shift::RotRight, 1, 1), 0x80000000);
        assert_eq!(bswap(0x12345678), 0x78563412);
    }
}
