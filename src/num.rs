//! Number parsing and formatting with Redis's exact rules.
//!
//! Redis parses integers with `string2ll` (no sign but `-`, no leading zeros,
//! no spaces, must fit `i64`) and doubles with `strtod` plus range checks, and
//! prints doubles with `%.17g`. These functions reproduce those rules so that
//! replies match byte for byte.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// Parses like Redis's `string2ll`: optional `-`, no leading zeros, no `+`, no
/// whitespace, within `i64`.
pub fn parse_i64(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    if s == b"0" {
        return Some(0);
    }
    let (neg, digits) = match s[0] {
        b'-' => (true, &s[1..]),
        _ => (false, s),
    };
    match digits.first() {
        Some(b'1'..=b'9') => {}
        _ => return None,
    }
    let mut v: u64 = 0;
    for &c in digits {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    if neg {
        if v > (i64::MAX as u64) + 1 {
            None
        } else {
            Some((v as i64).wrapping_neg())
        }
    } else if v > i64::MAX as u64 {
        None
    } else {
        Some(v as i64)
    }
}

/// Parses like Redis's `string2ull`-based cursor/unsigned parsing (digits only).
pub fn parse_u64(s: &[u8]) -> Option<u64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add((c - b'0') as u64)?;
    }
    Some(v)
}

/// Parses a double like Redis's `string2d`/`getDoubleFromObject`: `strtod`
/// syntax (including `inf` and `infinity`, any case), rejecting leading
/// whitespace, trailing bytes, NaN, and values out of range (overflow to
/// infinity or underflow to zero).
pub fn parse_f64(s: &[u8]) -> Option<f64> {
    if s.is_empty() || s.len() > 5 * 1024 {
        return None;
    }
    let text = core::str::from_utf8(s).ok()?;
    let first = s[0];
    if first.is_ascii_whitespace() {
        return None;
    }
    let body = text.strip_prefix(['+', '-']).unwrap_or(text);
    let lower_is = |w: &str| body.eq_ignore_ascii_case(w);
    if lower_is("inf") || lower_is("infinity") {
        return Some(if first == b'-' { f64::NEG_INFINITY } else { f64::INFINITY });
    }
    // Rust accepts a subset of strtod's grammar that matters here, plus
    // "nan"/"inf" spellings handled above; reject anything non-numeric first.
    if !body.bytes().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) {
        return None;
    }
    if body.is_empty() || !body.bytes().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: f64 = text.parse().ok()?;
    if v.is_infinite() {
        return None; // ERANGE overflow
    }
    if v == 0.0 && mantissa_nonzero(body) {
        return None; // ERANGE underflow to zero
    }
    Some(v)
}

fn mantissa_nonzero(body: &str) -> bool {
    let m = body.split(['e', 'E']).next().unwrap_or("");
    m.bytes().any(|c| (b'1'..=b'9').contains(&c))
}

/// Decimal form of an `i64`.
pub fn fmt_i64(n: i64) -> String {
    let mut s = String::new();
    let _ = write!(s, "{}", n);
    s
}

/// Appends the decimal form of `n` to `out`.
pub fn push_i64(out: &mut Vec<u8>, n: i64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    let neg = n < 0;
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if neg {
        out.push(b'-');
    }
    out.extend_from_slice(&buf[i..]);
}

/// Decimal text of `n`.
pub fn fmt_u64(n: u64) -> String {
    alloc::format!("{n}")
}

/// Formats like C's `printf("%.17g", d)` (glibc): NaN as `nan`/`-nan`,
/// infinities as `inf`/`-inf`.
pub fn fmt_g17(d: f64) -> String {
    fmt_g(d, 17)
}

/// Formats like C's `printf("%.<prec>g", d)` (glibc), `prec` >= 1.
pub fn fmt_g(d: f64, prec: usize) -> String {
    let prec = prec.max(1);
    if d.is_nan() {
        return String::from(if d.is_sign_negative() { "-nan" } else { "nan" });
    }
    if d.is_infinite() {
        return String::from(if d < 0.0 { "-inf" } else { "inf" });
    }
    // `{:.Ne}` rounds correctly to N+1 significant digits, as glibc does.
    let mut sci = String::new();
    let _ = write!(sci, "{:.*e}", prec - 1, d);
    let (mant, exp) = match sci.split_once('e') {
        Some(p) => p,
        None => return sci,
    };
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: Vec<u8> = mant.bytes().filter(|c| c.is_ascii_digit()).collect();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if exp < -4 || exp >= prec as i32 {
        // Scientific: d.ddd with trailing zeros removed, exponent >= 2 digits.
        out.push(digits[0] as char);
        let frac = trim_zeros(&digits[1..]);
        if !frac.is_empty() {
            out.push('.');
            frac.iter().for_each(|&c| out.push(c as char));
        }
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.unsigned_abs());
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        digits[..int_len].iter().for_each(|&c| out.push(c as char));
        let frac = trim_zeros(&digits[int_len..]);
        if !frac.is_empty() {
            out.push('.');
            frac.iter().for_each(|&c| out.push(c as char));
        }
    } else {
        out.push_str("0.");
        for _ in 0..(-exp - 1) {
            out.push('0');
        }
        trim_zeros(&digits).iter().for_each(|&c| out.push(c as char));
    }
    out
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let end = d.iter().rposition(|&c| c != b'0').map_or(0, |p| p + 1);
    &d[..end]
}

/// How Redis 7.0 prints a double reply (`addReplyDouble`): `inf`, `-inf`, or `%.17g`.
pub fn fmt_double_reply(d: f64) -> String {
    fmt_g17(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string2ll_rules() {
        assert_eq!(parse_i64(b"0"), Some(0));
        assert_eq!(parse_i64(b"-1"), Some(-1));
        assert_eq!(parse_i64(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_i64(b"-9223372036854775808"), Some(i64::MIN));
        for bad in [&b""[..], b"-", b"-0", b"01", b"+1", b" 1", b"1 ", b"9223372036854775808", b"1a"] {
            assert_eq!(parse_i64(bad), None, "{:?}", bad);
        }
    }

    #[test]
    fn g17_matches_printf() {
        assert_eq!(fmt_g17(1.5), "1.5");
        assert_eq!(fmt_g17(0.1), "0.10000000000000001");
        assert_eq!(fmt_g17(1e17), "1e+17");
        assert_eq!(fmt_g17(1e16), "10000000000000000");
        assert_eq!(fmt_g17(0.0001), "0.0001");
        assert_eq!(fmt_g17(0.00001), "1.0000000000000001e-05");
        assert_eq!(fmt_g17(-0.0), "-0");
        assert_eq!(fmt_g17(3.0), "3");
        assert_eq!(fmt_g17(f64::INFINITY), "inf");
    }

    #[test]
    fn strtod_rules() {
        assert_eq!(parse_f64(b"1.5"), Some(1.5));
        assert_eq!(parse_f64(b"-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_f64(b"+Infinity"), Some(f64::INFINITY));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"5."), Some(5.0));
        for bad in [&b""[..], b"nan", b" 1", b"1 ", b"1e400", b"1e-400", b"abc", b"."] {
            assert_eq!(parse_f64(bad), None, "{:?}", bad);
        }
    }
}
