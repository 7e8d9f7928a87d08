//! Strings. Like Redis, a string is held as a machine integer when it is the
//! canonical decimal form of an `i64` ("int" encoding), as an immutable boxed
//! slice when written whole and short ("embstr", <= 44 bytes), and as a
//! growable buffer otherwise or once modified in place (APPEND, SETRANGE:
//! "raw"). Invariant: `Int(n)` round-trips: its bytes are exactly `n`'s
//! decimal form.

use alloc::borrow::Cow;
use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::num;

/// Longest string Redis stores with the embstr encoding.
pub const EMBSTR_MAX: usize = 44;

/// A string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Str {
    /// Canonical decimal integer.
    Int(i64),
    /// An integer Redis holds unshared even when small (a COPY's duplicate:
    /// `dupStringObject` never uses the shared integer pool). Only OBJECT
    /// REFCOUNT tells it from `Int`.
    IntUnshared(i64),
    /// Short string written whole.
    Emb(Box<[u8]>),
    /// Any other string.
    Raw(Vec<u8>),
}

impl Str {
    /// The encoding Redis's `tryObjectEncoding` would give `b` on SET.
    pub fn from_bytes(b: &[u8]) -> Str {
        if b.len() <= 20 {
            if let Some(n) = num::parse_i64(b) {
                return Str::Int(n);
            }
        }
        if b.len() <= EMBSTR_MAX {
            Str::Emb(b.into())
        } else {
            Str::Raw(b.to_vec())
        }
    }

    /// Like [`Str::from_bytes`], taking ownership.
    pub fn from_vec(b: Vec<u8>) -> Str {
        if b.len() <= 20 {
            if let Some(n) = num::parse_i64(&b) {
                return Str::Int(n);
            }
        }
        if b.len() <= EMBSTR_MAX {
            Str::Emb(b.into_boxed_slice())
        } else {
            Str::Raw(b)
        }
    }

    /// The string's bytes.
    pub fn as_bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Str::Int(n) | Str::IntUnshared(n) => Cow::Owned(num::fmt_i64(*n).into_bytes()),
            Str::Emb(b) => Cow::Borrowed(b),
            Str::Raw(v) => Cow::Borrowed(v),
        }
    }

    /// The string's bytes as an owned vector.
    pub fn to_vec(&self) -> Vec<u8> {
        self.as_bytes().into_owned()
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        match self {
            Str::Int(n) | Str::IntUnshared(n) => {
                let mut buf = Vec::new();
                num::push_i64(&mut buf, *n);
                buf.len()
            }
            Str::Emb(b) => b.len(),
            Str::Raw(v) => v.len(),
        }
    }

    /// True for the empty string.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value as an integer, as `INCR` reads it.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Str::Int(n) | Str::IntUnshared(n) => Some(*n),
            other => num::parse_i64(&other.as_bytes()),
        }
    }

    /// A growable buffer for in-place edits (APPEND, SETRANGE); the value
    /// becomes "raw", as in Redis.
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, Str::Raw(_)) {
            *self = Str::Raw(self.to_vec());
        }
        match self {
            Str::Raw(v) => v,
            // Just converted above.
            _ => unreachable!(),
        }
    }

    /// The duplicate COPY stores: like Redis's `dupStringObject`, an integer
    /// stays int-encoded but leaves the shared pool.
    pub fn duplicate(&self) -> Str {
        match self {
            Str::Int(n) => Str::IntUnshared(*n),
            other => other.clone(),
        }
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Str::Int(_) | Str::IntUnshared(_) => "int",
            Str::Emb(_) => "embstr",
            Str::Raw(_) => "raw",
        }
    }

    /// Deterministic heap weight.
    pub fn weight(&self) -> usize {
        match self {
            Str::Int(_) | Str::IntUnshared(_) => 0,
            Str::Emb(b) => b.len(),
            Str::Raw(v) => v.capacity(),
        }
    }
}
