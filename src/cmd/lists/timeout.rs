//! Blocking-command timeouts in seconds, computed exactly as Redis 7.0 on
//! x86-64 does: `(long long) ceill(strtold(arg) * 1000.0)`, in 80-bit
//! extended precision (64-bit significand), then "timeout is negative" for
//! anything below zero.
//!
//! The arithmetic is exact: the argument is parsed into a big rational,
//! rounded to a 64-bit significand (round to nearest, ties to even, as
//! glibc's `strtold`), multiplied by 1000 and rounded again, then ceiled.
//! Out-of-range conversions behave like the x87 (`LLONG_MIN`, hence
//! "negative"). Magnitudes far from the millisecond range are classified
//! without big arithmetic; only the overflow/underflow thresholds of the
//! 80-bit format itself are approximated (to 20 significant digits).
//!
//! A submodule of `cmd::lists`; [`crate::cmd::Ctx::parse_timeout_secs`]
//! uses it for every blocking command (BLPOP ... BZPOPMIN ...).

use alloc::vec::Vec;
use core::cmp::Ordering;

use crate::error::{Error, Result};

/// Redis's `MAX_LONG_DOUBLE_CHARS`: arguments this long or longer are refused.
const MAX_CHARS: usize = 5 * 1024;

/// Parses a timeout in seconds into milliseconds (>= 0; 0 = block forever),
/// with Redis 7.0's errors: `ERR timeout is not a float or out of range`
/// (unparsable, NaN, overflow, underflow to zero) and `ERR timeout is
/// negative`.
pub fn secs_to_ms(arg: &[u8]) -> Result<i64> {
    let v = parse(arg).ok_or(Error::TimeoutNotFloat)?;
    let ms = match v {
        Parsed::Zero => 0,
        Parsed::Inf => return Err(Error::TimeoutNegative),
        Parsed::Num { neg, mant, exp, hex } => match classify(mant, exp, hex) {
            Class::Overflow | Class::Underflow => return Err(Error::TimeoutNotFloat),
            Class::Large => return Err(Error::TimeoutNegative),
            Class::Tiny => {
                if neg {
                    0
                } else {
                    1
                }
            }
            Class::Mid => mid_ms(neg, mant, exp, hex).ok_or(Error::TimeoutNegative)?,
        },
    };
    if ms < 0 {
        return Err(Error::TimeoutNegative);
    }
    Ok(ms)
}

enum Parsed<'a> {
    /// Any zero (the sign does not matter: `ceill(-0.0)` converts to 0).
    Zero,
    /// Either infinity: its conversion is `LLONG_MIN`.
    Inf,
    /// `mant` (digits without leading zeros, nonempty, not all zero) times
    /// 10^exp (decimal) or 2^exp (hex, `mant` in hex digits).
    Num { neg: bool, mant: &'a [u8], exp: i64, hex: bool },
}

/// `strtold` grammar, whole argument consumed, no leading space, no NaN.
fn parse(s: &[u8]) -> Option<Parsed<'_>> {
    if s.is_empty() || s.len() >= MAX_CHARS {
        return None;
    }
    let mut i = 0;
    let neg = match s[0] {
        b'-' => {
            i = 1;
            true
        }
        b'+' => {
            i = 1;
            false
        }
        _ => false,
    };
    let rest = &s[i..];
    if rest.eq_ignore_ascii_case(b"inf") || rest.eq_ignore_ascii_case(b"infinity") {
        return Some(Parsed::Inf);
    }
    let hex = rest.len() > 2 && rest[0] == b'0' && (rest[1] | 0x20) == b'x';
    let body = if hex { &rest[2..] } else { rest };
    let is_digit = |c: u8| if hex { c.is_ascii_hexdigit() } else { c.is_ascii_digit() };
    // Mantissa: digits [. digits], at least one digit.
    let int_len = body.iter().take_while(|&&c| is_digit(c)).count();
    let mut j = int_len;
    let mut frac_len = 0;
    if body.get(j) == Some(&b'.') {
        j += 1;
        frac_len = body[j..].iter().take_while(|&&c| is_digit(c)).count();
        j += frac_len;
    }
    if int_len + frac_len == 0 {
        return None;
    }
    let mant_end = j;
    // Exponent: e|E (decimal) or p|P (hex), sign, decimal digits.
    let mut exp: i64 = 0;
    if j < body.len() {
        let marker = body[j] | 0x20;
        if marker != if hex { b'p' } else { b'e' } {
            return None;
        }
        j += 1;
        let eneg = match body.get(j) {
            Some(b'-') => {
                j += 1;
                true
            }
            Some(b'+') => {
                j += 1;
                false
            }
            _ => false,
        };
        let digits = &body[j..];
        if digits.is_empty() || !digits.iter().all(|c| c.is_ascii_digit()) {
            return None;
        }
        for &c in digits {
            // Saturate: anything this large is overflow or underflow anyway.
            exp = (exp * 10 + (c - b'0') as i64).min(1_000_000_000);
        }
        if eneg {
            exp = -exp;
        }
    }
    // Digits of the mantissa without the point; the point shifts the exponent.
    let m = &body[..mant_end];
    let digits: Vec<u8> = m.iter().copied().filter(|&c| c != b'.').collect();
    let scale = if hex { 4 } else { 1 };
    exp -= frac_len as i64 * scale;
    let lead = digits.iter().take_while(|&&c| c == b'0').count();
    if lead == digits.len() {
        return Some(Parsed::Zero);
    }
    // Keep the significant digits in the argument itself: find them there.
    let start = mant_start(m, lead);
    let trail = digits.iter().rev().take_while(|&&c| c == b'0').count();
    exp += trail as i64 * scale;
    let end = mant_end_without(m, trail);
    let off = i + if hex { 2 } else { 0 };
    Some(Parsed::Num { neg, mant: &s[off + start..off + end], exp, hex })
}

/// Index in `m` (digits with maybe one '.') of the first significant digit.
fn mant_start(m: &[u8], lead: usize) -> usize {
    let mut seen = 0;
    for (k, &c) in m.iter().enumerate() {
        if c == b'.' {
            continue;
        }
        if seen == lead {
            return k;
        }
        seen += 1;
    }
    m.len()
}

/// End index in `m` after dropping `trail` trailing zero digits.
fn mant_end_without(m: &[u8], trail: usize) -> usize {
    let mut left = trail;
    let mut k = m.len();
    while left > 0 && k > 0 {
        k -= 1;
        if m[k] != b'.' {
            left -= 1;
        }
    }
    k
}

/// Digit values of a mantissa slice (the point skipped).
fn digit_values(m: &[u8]) -> impl Iterator<Item = u32> + '_ {
    m.iter().filter(|&&c| c != b'.').map(|&c| (c as char).to_digit(16).unwrap_or(0))
}

enum Class {
    Overflow,
    Underflow,
    Large,
    Tiny,
    Mid,
}

/// Compares the significant digits `m` (read as d.ddd) with `t` (also d.ddd).
fn cmp_digits(m: &[u8], t: &[u8]) -> Ordering {
    let mut a = digit_values(m);
    let mut b = t.iter().map(|&c| (c - b'0') as u32);
    loop {
        match (a.next(), b.next()) {
            (None, None) => return Ordering::Equal,
            (x, y) => {
                let (x, y) = (x.unwrap_or(0), y.unwrap_or(0));
                if x != y {
                    return x.cmp(&y);
                }
            }
        }
    }
}

fn classify(mant: &[u8], exp: i64, hex: bool) -> Class {
    let nd = digit_values(mant).count() as i64;
    if hex {
        let first = digit_values(mant).next().unwrap_or(1);
        let nb = (nd - 1) * 4 + (32 - first.leading_zeros()) as i64;
        let e2 = nb - 1 + exp; // value in [2^e2, 2^(e2+1))
        if e2 >= 16384 {
            return Class::Overflow;
        }
        if e2 > 70 {
            return Class::Large;
        }
        // Half the smallest subnormal, 2^-16446, rounds (to even) to zero.
        let pow2 = first.is_power_of_two() && digit_values(mant).skip(1).all(|d| d == 0);
        if e2 < -16446 || (e2 == -16446 && pow2) {
            return Class::Underflow;
        }
        if e2 < -100 {
            return Class::Tiny;
        }
    } else {
        let e10 = nd - 1 + exp; // value in [10^e10, 10^(e10+1))
        if e10 > 4932 || (e10 == 4932 && cmp_digits(mant, b"118973149535723176505") != Ordering::Less) {
            return Class::Overflow;
        }
        if e10 > 20 {
            return Class::Large;
        }
        if e10 < -4951 || (e10 == -4951 && cmp_digits(mant, b"18225997659412373013") != Ordering::Greater) {
            return Class::Underflow;
        }
        if e10 < -30 {
            return Class::Tiny;
        }
    }
    Class::Mid
}

/// Little-endian base-2^32 natural numbers, just what the rounding needs.
#[derive(Clone)]
struct Big(Vec<u32>);

impl Big {
    fn from_u64(v: u64) -> Big {
        let mut b = Big(alloc::vec![v as u32, (v >> 32) as u32]);
        b.trim();
        b
    }

    fn trim(&mut self) {
        while self.0.last() == Some(&0) {
            self.0.pop();
        }
    }

    fn mul_add(&mut self, m: u32, add: u32) {
        let mut carry = add as u64;
        for x in self.0.iter_mut() {
            let v = *x as u64 * m as u64 + carry;
            *x = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.0.push(carry as u32);
        }
    }

    fn mul_pow10(&mut self, mut n: u64) {
        while n >= 9 {
            self.mul_add(1_000_000_000, 0);
            n -= 9;
        }
        if n > 0 {
            self.mul_add(10u32.pow(n as u32), 0);
        }
    }

    fn bits(&self) -> u64 {
        match self.0.last() {
            None => 0,
            Some(&top) => (self.0.len() as u64 - 1) * 32 + (32 - top.leading_zeros()) as u64,
        }
    }

    fn shl(&self, n: u64) -> Big {
        let words = (n / 32) as usize;
        let bits = (n % 32) as u32;
        let mut out = alloc::vec![0u32; words];
        let mut carry = 0u32;
        for &x in &self.0 {
            if bits == 0 {
                out.push(x);
            } else {
                out.push((x << bits) | carry);
                carry = x >> (32 - bits);
            }
        }
        if carry > 0 {
            out.push(carry);
        }
        let mut b = Big(out);
        b.trim();
        b
    }

    fn cmp(&self, o: &Big) -> Ordering {
        self.0.len().cmp(&o.0.len()).then_with(|| self.0.iter().rev().cmp(o.0.iter().rev()))
    }

    /// `self -= o`, requires `self >= o`.
    fn sub(&mut self, o: &Big) {
        let mut borrow = 0i64;
        for (k, x) in self.0.iter_mut().enumerate() {
            let v = *x as i64 - o.0.get(k).copied().unwrap_or(0) as i64 - borrow;
            borrow = (v < 0) as i64;
            *x = v.rem_euclid(1 << 32) as u32;
        }
        self.trim();
    }

    /// `(n / d, n % d)` when the quotient is below 2^127.
    fn div_rem(n: &Big, d: &Big) -> (u128, Big) {
        let mut r = n.clone();
        let mut q = 0u128;
        let (nb, db) = (n.bits(), d.bits());
        if nb < db {
            return (0, r);
        }
        for bit in (0..=(nb - db).min(126)).rev() {
            let t = d.shl(bit);
            if r.cmp(&t) != Ordering::Less {
                r.sub(&t);
                q |= 1 << bit;
            }
        }
        (q, r)
    }
}

/// Rounds `p` (nonzero) to 64 significant bits, nearest-even; returns the
/// significand and the power of two it was shifted by.
fn round64(p: u128) -> (u128, i64) {
    let bl = 128 - p.leading_zeros() as i64;
    if bl <= 64 {
        return (p, 0);
    }
    let s = (bl - 64) as u32;
    let mut m = p >> s;
    let rem = p & ((1u128 << s) - 1);
    let half = 1u128 << (s - 1);
    if rem > half || (rem == half && m & 1 == 1) {
        m += 1;
    }
    if m == 1 << 64 {
        return (1 << 63, s as i64 + 1);
    }
    (m, s as i64)
}

/// The exact computation for magnitudes near the millisecond range; `None`
/// when the conversion overflows (x87: `LLONG_MIN`).
fn mid_ms(neg: bool, mant: &[u8], exp: i64, hex: bool) -> Option<i64> {
    // x = num / den exactly.
    let mut num = Big(Vec::new());
    for d in digit_values(mant) {
        num.mul_add(if hex { 16 } else { 10 }, d);
    }
    let mut den = Big::from_u64(1);
    if hex {
        if exp >= 0 {
            num = num.shl(exp as u64);
        } else {
            den = den.shl(exp.unsigned_abs());
        }
    } else if exp >= 0 {
        num.mul_pow10(exp as u64);
    } else {
        den.mul_pow10(exp.unsigned_abs());
    }
    // strtold: q = x * 2^k rounded to a 64-bit significand.
    let mut k = 64 - (num.bits() as i64 - den.bits() as i64);
    let (mut q, rem, d) = loop {
        let (n2, d2) = if k >= 0 { (num.shl(k as u64), den.clone()) } else { (num.clone(), den.shl(k.unsigned_abs())) };
        let (q, r) = Big::div_rem(&n2, &d2);
        if q >= 1 << 64 {
            k -= 1;
        } else if q < 1 << 63 {
            k += 1;
        } else {
            break (q, r, d2);
        }
    };
    match rem.shl(1).cmp(&d) {
        Ordering::Greater => q += 1,
        Ordering::Equal if q & 1 == 1 => q += 1,
        _ => {}
    }
    if q == 1 << 64 {
        q = 1 << 63;
        k -= 1;
    }
    // The product by 1000, rounded again: value = m * 2^e.
    let (m, s) = round64(q * 1000);
    let e = s - k;
    if e >= 0 {
        // m >= 2^63 so the integer is out of the long long range.
        return None;
    }
    let sh = e.unsigned_abs();
    let (floor, frac) = if sh >= 128 { (0, m != 0) } else { (m >> sh, m & ((1u128 << sh) - 1) != 0) };
    if neg {
        // ceill(-y) = -floor(y)
        return if floor == 0 { Some(0) } else { Some(-(floor.min(1 << 63) as i128) as i64) };
    }
    let c = floor + frac as u128;
    if c >= 1 << 63 {
        return None;
    }
    Some(c as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn ms(s: &str) -> core::result::Result<i64, &'static str> {
        secs_to_ms(s.as_bytes()).map_err(|e| match e {
            Error::TimeoutNotFloat => "notfloat",
            Error::TimeoutNegative => "negative",
            _ => "other",
        })
    }

    #[test]
    fn redis_cases() {
        assert_eq!(ms("abc"), Err("notfloat"));
        assert_eq!(ms("-1"), Err("negative"));
        assert_eq!(ms("-0.0001"), Ok(0));
        assert_eq!(ms("-0.001"), Ok(0));
        assert_eq!(ms("-0.0011"), Err("negative"));
        assert_eq!(ms("1e300"), Err("negative"));
        assert_eq!(ms("1e400"), Err("negative"));
        assert_eq!(ms("inf"), Err("negative"));
        assert_eq!(ms("-inf"), Err("negative"));
        assert_eq!(ms("INFINITY"), Err("negative"));
        assert_eq!(ms("infin"), Err("notfloat"));
        assert_eq!(ms("nan"), Err("notfloat"));
        assert_eq!(ms("nan(12)"), Err("notfloat"));
        assert_eq!(ms(""), Err("notfloat"));
        assert_eq!(ms(" 1"), Err("notfloat"));
        assert_eq!(ms("1 "), Err("notfloat"));
        assert_eq!(ms("1\0"), Err("notfloat"));
        assert_eq!(ms("0x10"), Ok(16000));
        assert_eq!(ms("0X.8P1"), Ok(1000));
        assert_eq!(ms("0x1p-3"), Ok(125));
        assert_eq!(ms("0x"), Err("notfloat"));
        assert_eq!(ms("0x.p1"), Err("notfloat"));
        assert_eq!(ms("1e+"), Err("notfloat"));
        assert_eq!(ms(".e1"), Err("notfloat"));
        assert_eq!(ms("1.e1"), Ok(10000));
        assert_eq!(ms("-.5"), Err("negative"));
        assert_eq!(ms("-0"), Ok(0));
        assert_eq!(ms("+1"), Ok(1000));
        assert_eq!(ms(".5"), Ok(500));
        assert_eq!(ms("1e-400"), Ok(1));
        assert_eq!(ms("0.0001"), Ok(1));
        assert_eq!(ms("1e-5000"), Err("notfloat"));
        assert_eq!(ms("1e-4951"), Err("notfloat"));
        assert_eq!(ms("1.8e-4951"), Err("notfloat"));
        assert_eq!(ms("1.9e-4951"), Ok(1));
        assert_eq!(ms("2e-4951"), Ok(1));
        assert_eq!(ms("1.18e4932"), Err("negative"));
        assert_eq!(ms("1.19e4932"), Err("notfloat"));
        assert_eq!(ms("0x1p-16446"), Err("notfloat"));
        assert_eq!(ms("0x1.1p-16446"), Ok(1));
        assert_eq!(ms("0x1p16384"), Err("notfloat"));
        assert_eq!(ms("0x1p16383"), Err("negative"));
        assert_eq!(ms("9223372036854775807"), Err("negative"));
        assert_eq!(ms("9.3e15"), Err("negative"));
        assert_eq!(ms("1e16"), Err("negative"));
        assert_eq!(ms("1e15"), Ok(1_000_000_000_000_000_000));
        assert_eq!(ms("9223372036854775"), Ok(9_223_372_036_854_775_000));
        assert_eq!(ms("9223372036854775.807"), Ok(9_223_372_036_854_775_807));
        assert_eq!(ms(&"1".repeat(20)), Err("negative"));
        assert_eq!(ms(&"1".repeat(5119)), Err("notfloat"));
        assert_eq!(ms(&format!("1.{}", "1".repeat(5117))), Ok(1112));
        assert_eq!(ms(&format!("1.{}", "1".repeat(5118))), Err("notfloat"));
    }

    #[test]
    fn extended_precision() {
        // In doubles 1.1 * 1000 = 1100.0000000000002 (ceil 1101); the x87
        // product rounds to 1100 exactly.
        assert_eq!(ms("1.1"), Ok(1100));
        assert_eq!(ms("4.35"), Ok(4350));
        assert_eq!(ms("0.001"), Ok(1));
        assert_eq!(ms("0.1"), Ok(100));
        assert_eq!(ms("0.0015"), Ok(2));
        assert_eq!(ms("2.5e-3"), Ok(3));
        assert_eq!(ms("0.00000000000000000000000000000000000000001"), Ok(1));
        assert_eq!(ms("000000000000000000000000000000001.000000000000000000000000000000000"), Ok(1000));
    }
}
