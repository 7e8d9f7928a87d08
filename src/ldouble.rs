//! x87 80-bit extended precision (`long double`) emulation for INCRBYFLOAT
//! and HINCRBYFLOAT: parse like `strtold`, add with round-to-nearest-even,
//! print like `%.17Lf` with trailing zeros removed (Redis's `ld2string`
//! human mode).
//!
//! PLACEHOLDER: the representation below is an f64 until the exact 80-bit
//! implementation lands; the API is the final one.

use alloc::vec::Vec;

/// An x87 80-bit extended-precision value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LongDouble(f64);

impl LongDouble {
    /// Parses like Redis's `string2ld`: `strtold` syntax, no leading space,
    /// nothing trailing, not NaN, no overflow (ERANGE).
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        crate::num::parse_f64(s).map(LongDouble)
    }

    /// The exact value of an integer.
    pub fn from_i64(n: i64) -> LongDouble {
        LongDouble(n as f64)
    }

    /// `self + other`, rounded to nearest even in 64-bit-mantissa precision.
    pub fn add(self, other: LongDouble) -> LongDouble {
        LongDouble(self.0 + other.0)
    }

    /// False for infinities and NaN.
    pub fn is_finite(&self) -> bool {
        self.0.is_finite()
    }

    /// Redis's `ld2string(..., LD_STR_HUMAN)`: `%.17Lf`, trailing zeros and a
    /// trailing point removed, `-0` printed as `0`. `None` when longer than
    /// Redis's 5 KiB buffer (it then fails the command).
    pub fn to_human(&self) -> Option<Vec<u8>> {
        let mut s = alloc::format!("{:.17}", self.0);
        if s.contains('.') {
            while s.ends_with('0') {
                s.pop();
            }
            if s.ends_with('.') {
                s.pop();
            }
        }
        if s == "-0" {
            s = alloc::string::String::from("0");
        }
        if s.len() > 5 * 1024 {
            return None;
        }
        Some(s.into_bytes())
    }
}
