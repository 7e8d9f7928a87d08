//! Numbers as text, the way Lua 5.1.5 on x86-64 glibc writes and reads them.
//!
//! * [`fmt_number`] is `lua_Number2str` (`sprintf("%.14g")`): `tostring`, `..`
//!   and `print` of numbers all go through it.
//! * [`str2number`] is `luaO_str2d` (`strtod` plus the `0x` rule, surrounding
//!   whitespace allowed, trailing junk rejected): `tonumber`, arithmetic on
//!   strings and the lexer's numerals.
//! * [`format_float`], [`format_int`], [`format_char`] and [`format_str`] are
//!   the pieces of C `printf` that `string.format` hands single items to, with
//!   glibc's output for every flag (`-+ #0`), width and precision.
//!
//! Invariants: the floating-point digits come from `core::fmt`'s exact
//! (correctly rounded, ties-to-even) `{:.*e}` / `{:.*}` formatting, which is
//! what glibc's printf produces in the default rounding mode, so no digit is
//! ever computed twice in two ways. Nothing here allocates beyond the output
//! vector and a small scratch string, and nothing panics on any input.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

/// The flags, width and precision of one printf conversion (`%-+ #0WW.PP`).
///
/// Lua 5.1's `string.format` accepts at most two digits of width and of
/// precision, so both stay below 100; the formatters work for any value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FormatSpec {
    /// `-`: left-justify within the width.
    pub minus: bool,
    /// `+`: always write a sign for signed conversions.
    pub plus: bool,
    /// ` `: a space where a `+` would go (ignored when `plus` is set).
    pub space: bool,
    /// `#`: the alternate form (`0x` prefixes, a kept decimal point).
    pub alt: bool,
    /// `0`: pad numbers with zeros after the sign instead of spaces.
    pub zero: bool,
    /// Minimum field width (0 = none).
    pub width: usize,
    /// Precision after `.`; `Some(0)` for a bare `.`.
    pub precision: Option<usize>,
}

/// Writes `n` as Lua 5.1's `tostring` does: C's `%.14g`, with glibc's `inf`,
/// `-inf`, `nan` and `-nan` (the sign bit of a NaN shows).
///
/// ```
/// let mut out = Vec::new();
/// redlet_lua::number::fmt_number(0.1, &mut out);
/// assert_eq!(out, b"0.1");
/// ```
pub fn fmt_number(n: f64, out: &mut Vec<u8>) {
    // The common case, an integral value that %.14g prints as an integer,
    // skips the float machinery.
    if n == libm::trunc(n) && libm::fabs(n) < 1e14 && !(n == 0.0 && n.is_sign_negative()) {
        // The check above bounds n to i64 range, so the cast is exact.
        let i = n as i64;
        let mut buf = itoa_buf();
        out.extend_from_slice(itoa(i.unsigned_abs(), i < 0, &mut buf));
        return;
    }
    if (n.is_normal() || n == 0.0) && shortest_g14(n, out) {
        return;
    }
    let spec = FormatSpec { precision: Some(14), ..FormatSpec::default() };
    format_float(&spec, b'g', n, out);
}

/// `%.14g` from the shortest round-trip digits when they number 14 or
/// fewer: a normal double lies within half an ulp (2^-53 relative) of those
/// digits, far closer than half a unit of the 14th digit (5e-15 relative at
/// least), so rounding it to 14 digits gives the same digits (and %g strips
/// the zeros that would pad them). Subnormals have fewer significant bits
/// and never come here. Shortest digits are cheaper than exact ones; `false`
/// leaves the work to the exact path.
fn shortest_g14(n: f64, out: &mut Vec<u8>) -> bool {
    let mut w = StackWriter { buf: [0; 128], len: 0 };
    if write!(w, "{:e}", libm::fabs(n)).is_err() {
        return false;
    }
    let s = w.buf.get(..w.len).unwrap_or(&[]);
    let Some(e) = s.iter().position(|&c| c == b'e') else { return false };
    let mant = s.get(..e).unwrap_or(&[]);
    let Some(x) = core::str::from_utf8(s.get(e + 1..).unwrap_or(&[])).ok().and_then(|t| t.parse::<i32>().ok())
    else {
        return false;
    };
    let digits = mant.iter().filter(|c| c.is_ascii_digit()).count();
    if digits > 14 {
        return false;
    }
    if n.is_sign_negative() {
        out.push(b'-');
    }
    if (-4..14).contains(&x) {
        let ds = mant.iter().copied().filter(|c| c.is_ascii_digit());
        if x >= 0 {
            let int_len = x as usize + 1;
            let mut k = 0;
            for d in ds {
                if k == int_len {
                    out.push(b'.');
                }
                out.push(d);
                k += 1;
            }
            // Fewer digits than the integer part: the rest are zeros.
            out.resize(out.len() + int_len.saturating_sub(k), b'0');
        } else {
            out.extend_from_slice(b"0.");
            out.resize(out.len() + (-x - 1) as usize, b'0');
            out.extend(ds);
        }
    } else {
        push_exp(out, mant, x, false, false);
    }
    true
}

fn itoa_buf() -> [u8; 24] {
    [0u8; 24]
}

/// Decimal digits of `v` (with a leading `-` when `neg`) into the end of `buf`.
fn itoa(mut v: u64, neg: bool, buf: &mut [u8; 24]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if neg {
        i -= 1;
        buf[i] = b'-';
    }
    &buf[i..]
}

/// The C library's `isspace` in the "C" locale.
pub fn is_c_space(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// Lua 5.1's `luaO_str2d`: the number a string converts to, or `None`.
///
/// glibc `strtod` syntax after optional leading whitespace and sign: decimal
/// (`1`, `1.`, `.5`, `1e-3`), hexadecimal with an optional binary exponent
/// (`0x1F`, `0x1.8p3`), `inf`/`infinity`/`nan`/`nan(chars)` in any case.
/// Trailing whitespace is allowed, anything else after the number is not.
/// Like the C original, which sees the string as a C string, the text ends at
/// the first NUL byte (`"5\0x"` converts to 5).
///
/// ```
/// use redlet_lua::number::str2number;
/// assert_eq!(str2number(b" 0x10 "), Some(16.0));
/// assert_eq!(str2number(b"1e"), None);
/// ```
pub fn str2number(s: &[u8]) -> Option<f64> {
    let s = match s.iter().position(|&c| c == 0) {
        Some(nul) => s.get(..nul)?,
        None => s,
    };
    let (value, end) = strtod(s)?;
    let rest = s.get(end..)?;
    if rest.iter().all(|&c| is_c_space(c)) {
        Some(value)
    } else {
        None
    }
}

/// glibc `strtod` on a prefix of `s`: the value and the index just after the
/// parsed text, or `None` when no number starts the string (strtod's
/// `endptr == s`). cjson reads its numbers with it.
pub fn strtod_prefix(s: &[u8]) -> Option<(f64, usize)> {
    strtod(s)
}

/// glibc `strtod`: the value and the index just after the parsed text, or
/// `None` when no number starts the string (strtod's `endptr == s`).
fn strtod(s: &[u8]) -> Option<(f64, usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let mut i = 0;
    while is_c_space(at(i)) {
        i += 1;
    }
    let mut neg = false;
    if at(i) == b'+' || at(i) == b'-' {
        neg = at(i) == b'-';
        i += 1;
    }
    let sign = |v: f64| if neg { -v } else { v };
    let rest = s.get(i..).unwrap_or(&[]);
    if starts_with_ci(rest, b"inf") {
        let len = if starts_with_ci(rest, b"infinity") { 8 } else { 3 };
        return Some((sign(f64::INFINITY), i + len));
    }
    if starts_with_ci(rest, b"nan") {
        let mut end = i + 3;
        // "nan(n-char-sequence)" is consumed only when the parenthesis closes.
        if at(end) == b'(' {
            let mut j = end + 1;
            while at(j).is_ascii_alphanumeric() || at(j) == b'_' {
                j += 1;
            }
            if at(j) == b')' {
                end = j + 1;
            }
        }
        // glibc's strtod("nan") is the positive quiet NaN; "-nan" negates it.
        return Some((sign(f64::NAN), end));
    }
    if at(i) == b'0' && (at(i + 1) | 0x20) == b'x' {
        if let Some((v, end)) = hex_float(s, i + 2) {
            return Some((sign(v), end));
        }
        // "0x" without hex digits: strtod reads the "0", stops at the 'x'.
        return Some((sign(0.0), i + 1));
    }
    // Decimal: digits, optional fraction, optional exponent (only when it has
    // digits). The accepted text is handed to core's correctly rounded parser.
    let start = i;
    let mut j = i;
    let mut digits = 0usize;
    while at(j).is_ascii_digit() {
        j += 1;
        digits += 1;
    }
    if at(j) == b'.' {
        j += 1;
        while at(j).is_ascii_digit() {
            j += 1;
            digits += 1;
        }
    }
    if digits == 0 {
        return None;
    }
    if (at(j) | 0x20) == b'e' {
        let mut k = j + 1;
        if at(k) == b'+' || at(k) == b'-' {
            k += 1;
        }
        if at(k).is_ascii_digit() {
            while at(k).is_ascii_digit() {
                k += 1;
            }
            j = k;
        }
    }
    let text = s.get(start..j)?;
    // Every byte is ASCII (digits, '.', 'e', sign), so this cannot fail; a
    // failure would mean "no number", never a panic.
    let text = core::str::from_utf8(text).ok()?;
    let v = text.parse::<f64>().ok()?;
    Some((sign(v), j))
}

fn starts_with_ci(s: &[u8], word: &[u8]) -> bool {
    s.len() >= word.len() && s.iter().zip(word).all(|(a, b)| a.to_ascii_lowercase() == *b)
}

/// The hexadecimal part of strtod after "0x": `h*[.h*][p[+-]d+]` with at
/// least one hex digit, correctly rounded to nearest-even. `None` when no hex
/// digit follows.
fn hex_float(s: &[u8], mut i: usize) -> Option<(f64, usize)> {
    let at = |i: usize| s.get(i).copied().unwrap_or(0);
    let hex = |c: u8| (c as char).to_digit(16);
    let mut mant: u64 = 0;
    let mut sticky = false;
    // Binary exponent adjustment: digits dropped after the 16th add 4 each,
    // fraction digits kept subtract 4 each.
    let mut exp: i64 = 0;
    let mut any = false;
    let mut seen_point = false;
    loop {
        let c = at(i);
        if c == b'.' && !seen_point {
            seen_point = true;
            i += 1;
            continue;
        }
        let Some(d) = hex(c) else { break };
        any = true;
        if mant >> 60 == 0 {
            mant = (mant << 4) | d as u64;
            if seen_point {
                exp -= 4;
            }
        } else {
            sticky |= d != 0;
            if !seen_point {
                exp += 4;
            }
        }
        i += 1;
    }
    if !any {
        return None;
    }
    if (at(i) | 0x20) == b'p' {
        let mut k = i + 1;
        let mut eneg = false;
        if at(k) == b'+' || at(k) == b'-' {
            eneg = at(k) == b'-';
            k += 1;
        }
        if at(k).is_ascii_digit() {
            let mut e: i64 = 0;
            while at(k).is_ascii_digit() {
                e = (e * 10 + (at(k) - b'0') as i64).min(1 << 40);
                k += 1;
            }
            exp += if eneg { -e } else { e };
            i = k;
        }
    }
    Some((scale_round(mant, sticky, exp), i))
}

/// `mant * 2^exp` rounded to the nearest double (ties to even), with `sticky`
/// saying whether nonzero bits were dropped below `mant`.
fn scale_round(mant: u64, sticky: bool, exp: i64) -> f64 {
    if mant == 0 {
        return 0.0;
    }
    // Normalise so the top bit is bit 63: value = m * 2^(e - 63).
    let lz = mant.leading_zeros() as i64;
    let m = mant << lz;
    let e = exp - lz + 63; // the value is in [2^e, 2^(e+1))
    if e > 1023 {
        return f64::INFINITY;
    }
    // Number of significant bits the double keeps: 53 when normal, fewer when
    // subnormal (the smallest subnormal is 2^-1074).
    let keep: i64 = if e >= -1022 { 53 } else { 53 - (-1022 - e) };
    if keep < 0 {
        return 0.0;
    }
    let drop = (64 - keep) as u32; // 11..=64
    let (kept, half, rest_nonzero) = if drop >= 64 {
        (0u64, m >> 63 == 1, (m << 1) != 0 || sticky)
    } else {
        let kept = m >> drop;
        let rem = m & ((1u64 << drop) - 1);
        let half_bit = 1u64 << (drop - 1);
        (kept, rem & half_bit != 0, (rem & (half_bit - 1)) != 0 || sticky)
    };
    let round_up = half && (rest_nonzero || kept & 1 == 1);
    let kept = kept + round_up as u64;
    // kept * 2^(e - keep + 1); scaling by a power of two is exact here
    // (the result is representable by construction, or overflows to inf).
    let shift = e - keep + 1;
    ldexp(kept as f64, shift)
}

/// `x * 2^e` in exact power-of-two steps: `x` is an integer below 2^54 and
/// the caller rounded it so that the final product is representable (or
/// overflows to infinity), so no step rounds.
fn ldexp(mut x: f64, mut e: i64) -> f64 {
    // 2^k for k in [-1022, 1023] built from its bits, exactly.
    let pow2 = |k: i64| f64::from_bits(((k + 1023) as u64) << 52);
    while e > 1000 {
        x *= pow2(1000);
        e -= 1000;
    }
    while e < -1000 {
        x *= pow2(-1000);
        e += 1000;
    }
    x * pow2(e)
}

/// Writes one `%e %E %f %g %G` conversion of `n` with glibc's output.
/// `conv` is the conversion letter; any other letter behaves as `g`.
///
/// ```
/// use redlet_lua::number::{format_float, FormatSpec};
/// let mut out = Vec::new();
/// let spec = FormatSpec { width: 10, precision: Some(3), ..Default::default() };
/// format_float(&spec, b'e', 12345.678, &mut out);
/// assert_eq!(out, b" 1.235e+04");
/// ```
pub fn format_float(spec: &FormatSpec, conv: u8, n: f64, out: &mut Vec<u8>) {
    let upper = conv.is_ascii_uppercase();
    let sign: &[u8] = if n.is_sign_negative() {
        b"-"
    } else if spec.plus {
        b"+"
    } else if spec.space {
        b" "
    } else {
        b""
    };
    if !n.is_finite() {
        let word: &[u8] = match (n.is_nan(), upper) {
            (true, false) => b"nan",
            (true, true) => b"NAN",
            (false, false) => b"inf",
            (false, true) => b"INF",
        };
        // glibc pads inf/nan with spaces even under the '0' flag.
        pad(out, spec.width, spec.minus, false, sign, word);
        return;
    }
    let a = libm::fabs(n);
    let prec = spec.precision.unwrap_or(6);
    // The item is written straight into `out`; the padding is inserted
    // afterwards, when the length is known.
    let start = out.len();
    out.extend_from_slice(sign);
    let body_start = out.len();
    match conv.to_ascii_lowercase() {
        b'e' => with_sci(a, prec, |mant, x| push_exp(out, mant, x, spec.alt, upper)),
        b'f' => {
            // Writing into a vector cannot fail.
            let _ = write!(VecWriter(out), "{:.*}", prec, a);
            if prec == 0 && spec.alt {
                out.push(b'.');
            }
        }
        _ => {
            let p = if prec == 0 { 1 } else { prec };
            with_sci(a, p - 1, |mant, x| {
                if (x as i64) < p as i64 && x >= -4 {
                    // The same P significant digits, placed around the
                    // point: rounding to P digits is rounding to P-1-X
                    // decimals.
                    let digits = mant.iter().copied().filter(|c| c.is_ascii_digit());
                    if x >= 0 {
                        let int_len = x as usize + 1;
                        let mut k = 0;
                        for d in digits {
                            if k == int_len {
                                out.push(b'.');
                            }
                            out.push(d);
                            k += 1;
                        }
                        if k == int_len && spec.alt {
                            out.push(b'.');
                        }
                    } else {
                        out.extend_from_slice(b"0.");
                        out.resize(out.len() + (-x - 1) as usize, b'0');
                        out.extend(digits);
                    }
                    if !spec.alt {
                        strip_zeros(out, body_start);
                    }
                } else if spec.alt {
                    push_exp(out, mant, x, true, upper);
                } else {
                    // %g drops the mantissa's trailing zeros (and a bare '.').
                    let mut m = mant;
                    if m.contains(&b'.') {
                        while let [rest @ .., b'0'] = m {
                            m = rest;
                        }
                        if let [rest @ .., b'.'] = m {
                            m = rest;
                        }
                    }
                    push_exp(out, m, x, false, upper);
                }
            })
        }
    }
    let len = out.len() - start;
    if len < spec.width {
        let fill = spec.width - len;
        if spec.minus {
            out.resize(out.len() + fill, b' ');
        } else if spec.zero {
            out.splice(body_start..body_start, core::iter::repeat_n(b'0', fill));
        } else {
            out.splice(start..start, core::iter::repeat_n(b' ', fill));
        }
    }
}

/// `core::fmt` output appended to a byte vector.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// A small fixed buffer for `core::fmt` output (no allocation).
struct StackWriter {
    buf: [u8; 128],
    len: usize,
}

impl Write for StackWriter {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        let dst = self.buf.get_mut(self.len..end).ok_or(core::fmt::Error)?;
        dst.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// Calls `f` with Rust's exact scientific digits of `a` (non-negative,
/// finite) with `prec` fraction digits: the mantissa ("d.ddd", or "d") and
/// the decimal exponent. Small precisions never touch the heap.
fn with_sci<R>(a: f64, prec: usize, f: impl FnOnce(&[u8], i32) -> R) -> R {
    let split = |s: &[u8]| -> (usize, i32) {
        match s.iter().position(|&c| c == b'e') {
            Some(e) => {
                let exp = core::str::from_utf8(s.get(e + 1..).unwrap_or(&[])).ok().and_then(|t| t.parse().ok());
                (e, exp.unwrap_or(0))
            }
            None => (s.len(), 0),
        }
    };
    let mut w = StackWriter { buf: [0; 128], len: 0 };
    if write!(w, "{:.*e}", prec, a).is_ok() {
        let s = w.buf.get(..w.len).unwrap_or(&[]);
        let (e, x) = split(s);
        return f(s.get(..e).unwrap_or(&[]), x);
    }
    let mut s = String::new();
    // Writing into a String cannot fail.
    let _ = write!(s, "{:.*e}", prec, a);
    let (e, x) = split(s.as_bytes());
    f(s.as_bytes().get(..e).unwrap_or(&[]), x)
}

/// Appends `mant` and the exponent as printf writes it: `e+XX` with at least
/// two digits; a '.' after a bare digit under '#'.
fn push_exp(out: &mut Vec<u8>, mant: &[u8], x: i32, alt: bool, upper: bool) {
    out.extend_from_slice(mant);
    if alt && !mant.contains(&b'.') {
        out.push(b'.');
    }
    out.push(if upper { b'E' } else { b'e' });
    out.push(if x < 0 { b'-' } else { b'+' });
    let e = x.unsigned_abs();
    if e < 10 {
        out.push(b'0');
    }
    let _ = write!(VecWriter(out), "{}", e);
}

/// Removes trailing fraction zeros and then a trailing '.' from
/// `out[from..]`, as %g does.
fn strip_zeros(out: &mut Vec<u8>, from: usize) {
    if out.get(from..).is_some_and(|b| b.contains(&b'.')) {
        while out.last() == Some(&b'0') {
            out.pop();
        }
        if out.last() == Some(&b'.') {
            out.pop();
        }
    }
}

/// Writes `prefix` + `body` padded to `width`: spaces on the left (or on the
/// right with `minus`), or zeros between prefix and body with `zero`.
fn pad(out: &mut Vec<u8>, width: usize, minus: bool, zero: bool, prefix: &[u8], body: &[u8]) {
    let len = prefix.len() + body.len();
    let fill = width.saturating_sub(len);
    if minus {
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
        out.resize(out.len() + fill, b' ');
    } else if zero {
        out.extend_from_slice(prefix);
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body);
    } else {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix);
        out.extend_from_slice(body);
    }
}

/// C's `(long)x` on x86-64 (`cvttsd2si`): truncation toward zero, and
/// `i64::MIN` (the "integer indefinite" value) for NaN and out-of-range input.
pub fn double_to_long(x: f64) -> i64 {
    // 2^63 is exactly representable; the range is [-2^63, 2^63).
    if !(-9223372036854775808.0..9223372036854775808.0).contains(&x) {
        i64::MIN
    } else {
        x as i64
    }
}

/// C's `(unsigned long)x` as gcc compiles it on x86-64: values from 2^63 up
/// are converted as `(long)(x - 2^63) ^ 2^63`, everything else as `(long)x`
/// reinterpreted, so -1 gives 2^64-1 and NaN or 1e300 give 2^63 or 0.
pub fn double_to_ulong(x: f64) -> u64 {
    if x >= 9223372036854775808.0 {
        (double_to_long(x - 9223372036854775808.0) as u64) ^ (1u64 << 63)
    } else {
        double_to_long(x) as u64
    }
}

/// C's `(int)x` on x86-64: truncation, `i32::MIN` for NaN and out of range.
pub fn double_to_int(x: f64) -> i32 {
    if !(x > -2147483649.0 && x < 2147483648.0) {
        i32::MIN
    } else {
        x as i32
    }
}

/// Writes one `%d %i %u %o %x %X` conversion of the Lua number `n` as
/// lstrlib does it: the double is cast to `long` (`d`, `i`) or `unsigned
/// long` (the others) with x86-64's conversion rules, then printed with
/// glibc's flags, width and precision (minimum digits). Other letters print
/// as `d`.
///
/// ```
/// use redlet_lua::number::{format_int, FormatSpec};
/// let mut out = Vec::new();
/// format_int(&FormatSpec { alt: true, ..Default::default() }, b'x', 255.0, &mut out);
/// assert_eq!(out, b"0xff");
/// ```
pub fn format_int(spec: &FormatSpec, conv: u8, n: f64, out: &mut Vec<u8>) {
    let (neg, mag, signed) = match conv {
        b'o' | b'u' | b'x' | b'X' => (false, double_to_ulong(n), false),
        _ => {
            let v = double_to_long(n);
            (v < 0, v.unsigned_abs(), true)
        }
    };
    let mut digits = String::new();
    let _ = match conv {
        b'o' => write!(digits, "{:o}", mag),
        b'x' => write!(digits, "{:x}", mag),
        b'X' => write!(digits, "{:X}", mag),
        _ => write!(digits, "{}", mag),
    };
    let mut body = Vec::with_capacity(digits.len() + 4);
    if let Some(p) = spec.precision {
        if p == 0 && mag == 0 {
            digits.clear();
        }
        if digits.len() < p {
            body.resize(p - digits.len(), b'0');
        }
    }
    body.extend_from_slice(digits.as_bytes());
    let mut prefix: &[u8] = b"";
    if signed {
        if neg {
            prefix = b"-";
        } else if spec.plus {
            prefix = b"+";
        } else if spec.space {
            prefix = b" ";
        }
    } else if spec.alt {
        match conv {
            b'o' if body.first() != Some(&b'0') => body.insert(0, b'0'),
            b'x' if mag != 0 => prefix = b"0x",
            b'X' if mag != 0 => prefix = b"0X",
            _ => {}
        }
    }
    // The '0' flag is ignored when a precision is given.
    let zero = spec.zero && spec.precision.is_none();
    pad(out, spec.width, spec.minus, zero, prefix, &body);
}

/// Writes a `%c` conversion: lstrlib passes `(int)n`, printf writes its low
/// byte, padded with spaces to the width (the '0' flag is ignored by glibc).
/// A NUL byte is written as such; `string.format` then cuts the item at it.
pub fn format_char(spec: &FormatSpec, n: f64, out: &mut Vec<u8>) {
    let c = double_to_int(n) as u8;
    pad(out, spec.width, spec.minus, false, b"", &[c]);
}

/// Writes a `%s` conversion of a C string: `s` up to its first NUL, cut to
/// the precision, padded with spaces to the width ('0' ignored, as glibc).
pub fn format_str(spec: &FormatSpec, s: &[u8], out: &mut Vec<u8>) {
    let end = s.iter().position(|&c| c == 0).unwrap_or(s.len());
    let end = spec.precision.map_or(end, |p| p.min(end));
    pad(out, spec.width, spec.minus, false, b"", s.get(..end).unwrap_or(s));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(n: f64) -> String {
        let mut v = Vec::new();
        fmt_number(n, &mut v);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn tostring_matches_lua51() {
        // Expected values printed by lua5.1 (5.1.5, x86-64 glibc).
        assert_eq!(num(f64::NAN), "nan");
        assert_eq!(num(-f64::NAN), "-nan");
        assert_eq!(num(f64::INFINITY), "inf");
        assert_eq!(num(f64::NEG_INFINITY), "-inf");
        assert_eq!(num(1e15), "1e+15");
        assert_eq!(num(1e14), "1e+14");
        assert_eq!(num(99999999999999.0), "99999999999999");
        assert_eq!(num(123456789012345.0), "1.2345678901234e+14");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-0.0), "-0");
        assert_eq!(num(1e-300), "1e-300");
        assert_eq!(num(9007199254740992.0), "9.007199254741e+15");
        assert_eq!(num(1.234_567_890_123_456_7), "1.2345678901235");
        assert_eq!(num(-42.0), "-42");
        assert_eq!(num(1e-5), "1e-05");
        assert_eq!(num(0.0001), "0.0001");
        assert_eq!(num(5e-324), "4.9406564584125e-324");
        assert_eq!(num(2.2250738585072014e-308), "2.2250738585072e-308");
        assert_eq!(num(1e100), "1e+100");
        assert_eq!(num(123456789012.5), "123456789012.5");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(1.5e-5), "1.5e-05");
        assert_eq!(num(-2.5), "-2.5");
    }

    #[test]
    fn str2number_matches_lua51() {
        let cases: &[(&[u8], Option<f64>)] = &[
            (b"0x1p4", Some(16.0)),
            (b"inf", Some(f64::INFINITY)),
            (b"infinity", Some(f64::INFINITY)),
            (b"0x1.8", Some(1.5)),
            (b" 0x10 ", Some(16.0)),
            (b"1e", None),
            (b"-0x10", Some(-16.0)),
            (b"0x", None),
            (b"1.", Some(1.0)),
            (b".5", Some(0.5)),
            (b".", None),
            (b"  12  ", Some(12.0)),
            (b"12a", None),
            (b"0X1F", Some(31.0)),
            (b"1e+", None),
            (b"0x-1", None),
            (b"-inf", Some(f64::NEG_INFINITY)),
            (b"0xffffffffffffffffff", Some(4.722366482869645e21)),
            (b"-0x1", Some(-1.0)),
            (b"1e400", Some(f64::INFINITY)),
            (b"\t5\n", Some(5.0)),
            (b"5\0junk", Some(5.0)),
            (b"", None),
            (b"  ", None),
            (b"1.5e3", Some(1500.0)),
            (b"1.e3", Some(1000.0)),
            (b"0x1P-1", Some(0.5)),
            (b"- 1", None),
            (b"+.5", Some(0.5)),
            (b"0x.8", Some(0.5)),
            (b"0x1p", None),
            (b"0x10000000000000001", Some(18446744073709551616.0)),
            (b"0x1p-1074", Some(5e-324)),
            (b"0x1p-1075", Some(0.0)),
            (b"0x3p-1075", Some(1e-323)),
            (b"0x1.fffffffffffff8p1023", Some(f64::INFINITY)),
            (b"0x1.fffffffffffff7p1023", Some(f64::MAX)),
        ];
        for (s, want) in cases {
            let got = str2number(s);
            assert_eq!(got, *want, "{:?}", core::str::from_utf8(s));
        }
        assert!(str2number(b"nan").unwrap().is_nan());
        assert!(str2number(b"nan(123)").unwrap().is_nan());
        assert_eq!(str2number(b"nan(12"), None);
    }

    fn f(spec: &str, conv: u8, n: f64) -> String {
        let mut v = Vec::new();
        let s = parse(spec);
        format_float(&s, conv, n, &mut v);
        String::from_utf8(v).unwrap()
    }

    fn i(spec: &str, conv: u8, n: f64) -> String {
        let mut v = Vec::new();
        format_int(&parse(spec), conv, n, &mut v);
        String::from_utf8(v).unwrap()
    }

    /// A tiny parser for test specs like "-+08.3".
    fn parse(s: &str) -> FormatSpec {
        let mut spec = FormatSpec::default();
        let b = s.as_bytes();
        let mut k = 0;
        while k < b.len() {
            match b[k] {
                b'-' => spec.minus = true,
                b'+' => spec.plus = true,
                b' ' => spec.space = true,
                b'#' => spec.alt = true,
                b'0' => spec.zero = true,
                _ => break,
            }
            k += 1;
        }
        let mut w = 0;
        while k < b.len() && b[k].is_ascii_digit() {
            w = w * 10 + (b[k] - b'0') as usize;
            k += 1;
        }
        spec.width = w;
        if k < b.len() && b[k] == b'.' {
            k += 1;
            let mut p = 0;
            while k < b.len() && b[k].is_ascii_digit() {
                p = p * 10 + (b[k] - b'0') as usize;
                k += 1;
            }
            spec.precision = Some(p);
        }
        spec
    }

    #[test]
    fn ints_match_lua51() {
        assert_eq!(i("", b'd', f64::NAN), "-9223372036854775808");
        assert_eq!(i("", b'd', 1e100), "-9223372036854775808");
        assert_eq!(i("", b'd', 9223372036854775808.0), "-9223372036854775808");
        assert_eq!(i("", b'x', f64::NAN), "8000000000000000");
        assert_eq!(i("", b'x', 18446744073709551616.0), "0");
        assert_eq!(i("", b'x', -1.0), "ffffffffffffffff");
        assert_eq!(i("", b'x', 1e300), "0");
        assert_eq!(i("", b'x', -1e300), "8000000000000000");
        assert_eq!(i("", b'x', 9223372036854775808.0), "8000000000000000");
        assert_eq!(i("", b'u', -1.5), "18446744073709551615");
        assert_eq!(i("", b'o', -1.0), "1777777777777777777777");
        assert_eq!(i(".0", b'd', 0.0), "");
        assert_eq!(i("#", b'x', 0.0), "0");
        assert_eq!(i("#", b'o', 0.0), "0");
        assert_eq!(i("#.0", b'o', 0.0), "0");
        assert_eq!(i("+", b'x', 5.0), "5");
        assert_eq!(i("+ ", b'd', 5.0), "+5");
        assert_eq!(i(" 05", b'd', -5.0), "-0005");
        assert_eq!(i("-+8.3", b'd', 5.0), "+005    ");
        assert_eq!(i("08.3", b'd', 5.0), "     005");
        assert_eq!(i("#08", b'x', 255.0), "0x0000ff");
        assert_eq!(i("#X", b'X', 255.0), "0XFF");
        assert_eq!(i("5", b'i', -3.7), "   -3");
    }

    #[test]
    fn floats_match_lua51() {
        assert_eq!(f("5.1", b'f', f64::INFINITY), "  inf");
        assert_eq!(f("05.1", b'f', f64::NEG_INFINITY), " -inf");
        assert_eq!(f("+", b'f', -f64::NAN), "-nan");
        assert_eq!(f("", b'f', f64::NAN), "nan");
        assert_eq!(f("+", b'f', f64::NAN), "+nan");
        assert_eq!(f("", b'E', f64::INFINITY), "INF");
        assert_eq!(f("", b'G', -f64::NAN), "-NAN");
        assert_eq!(f("#", b'g', 1.0), "1.00000");
        assert_eq!(f("#.0", b'e', 1.0), "1.e+00");
        assert_eq!(f("#.0", b'f', 1.0), "1.");
        assert_eq!(f("", b'g', 1e-5), "1e-05");
        assert_eq!(f("", b'g', 123456789.0), "1.23457e+08");
        assert_eq!(f(".0", b'g', 0.5), "0.5");
        assert_eq!(f("", b'f', 0.5), "0.500000");
        assert_eq!(f(".0", b'f', 0.5), "0");
        assert_eq!(f(".0", b'f', 1.5), "2");
        assert_eq!(f(".0", b'f', 2.5), "2");
        assert_eq!(f("", b'e', 0.0), "0.000000e+00");
        assert_eq!(f("", b'e', -0.0), "-0.000000e+00");
        assert_eq!(f("", b'g', 100000.0), "100000");
        assert_eq!(f("", b'g', 1000000.0), "1e+06");
        assert_eq!(f("", b'g', 0.0001), "0.0001");
        assert_eq!(f("", b'g', 0.00001234), "1.234e-05");
        assert_eq!(f("010.3", b'f', -3.14259), "-00003.143");
        assert_eq!(f("-10.3", b'e', 3.14259), "3.143e+00 ");
        assert_eq!(f("+.3", b'e', 1e-100), "+1.000e-100");
        assert_eq!(f(" ", b'g', 2.0), " 2");
        assert_eq!(f("", b'g', 9.9999995), "10");
        assert_eq!(f("#", b'G', 1e-10), "1.00000E-10");
    }
}

/// The x86-64 (SSE) NaN rule for the result `r` of a binary operation on
/// `a` and `b`: a NaN operand comes out unchanged (the first one if both
/// are), and an invalid operation on numbers (`0/0`, `inf - inf`) gives the
/// negative "default" NaN. Redis runs on x86-64 and scripts print the sign
/// (`nan` / `-nan`); wasm leaves NaN signs unspecified, so every face
/// applies this rule explicitly to be the same everywhere.
#[inline(always)]
pub fn x86_nan(r: f64, a: f64, b: f64) -> f64 {
    if !r.is_nan() {
        r
    } else if a.is_nan() {
        a
    } else if b.is_nan() {
        b
    } else {
        -f64::NAN
    }
}

/// `pow` as glibc gives it where it differs from libm's by more than
/// rounding, the sign of NaN results (scripts print `nan` or `-nan`):
/// glibc returns `x + y` for a NaN `y` (that is `y`), and for a NaN `x`
/// squares it (`x`), flips the sign for a negative NaN raised to an odd
/// integer and inverts for a negative `y` (NaN again); an invalid power
/// (a negative base, a non-integer exponent) is the default NaN. Checked
/// against redis-server 7.0.15: with `n = 0/0`, `n^-11` is `nan`, `n^2`
/// `-nan`, `5^n` `-nan`. Used by `^`, constant folding and `math.pow`.
pub fn pow(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y.is_nan() {
        return y;
    }
    if x.is_nan() {
        let odd = y.is_finite() && libm::trunc(y) == y && libm::fmod(y, 2.0) != 0.0;
        return if x.is_sign_negative() && odd { -x } else { x };
    }
    x86_nan(libm::pow(x, y), x, y)
}
