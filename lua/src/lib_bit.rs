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
