//! [`SmallBytes`]: an immutable byte string that stores up to 22 bytes inline
//! and longer ones in one boxed slice. Keys are usually short, so most keys
//! cost no allocation of their own: that saves the allocator's per-chunk
//! overhead and a pointer chase on every lookup. 24 bytes in size.

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::borrow::Borrow;
use core::ops::Deref;

/// Longest string kept inline.
pub const INLINE_MAX: usize = 22;

/// A short-string-optimised immutable byte string.
#[derive(Clone)]
pub enum SmallBytes {
    /// Up to [`INLINE_MAX`] bytes: length, then data (the rest zeroed).
    Inline(u8, [u8; INLINE_MAX]),
    /// Longer strings.
    Heap(Box<[u8]>),
}

impl SmallBytes {
    /// A copy of `b`.
    pub fn new(b: &[u8]) -> Self {
        if b.len() <= INLINE_MAX {
            let mut d = [0u8; INLINE_MAX];
            d[..b.len()].copy_from_slice(b);
            SmallBytes::Inline(b.len() as u8, d)
        } else {
            SmallBytes::Heap(b.into())
        }
    }

    /// The bytes.
    #[inline]
    pub fn as_slice(&self) -> &[u8] {
        match self {
            SmallBytes::Inline(n, d) => &d[..(*n as usize).min(INLINE_MAX)],
            SmallBytes::Heap(b) => b,
        }
    }

    /// The bytes as a boxed slice.
    pub fn into_boxed(self) -> Box<[u8]> {
        match self {
            SmallBytes::Heap(b) => b,
            s => s.as_slice().into(),
        }
    }

    /// Heap bytes owned (0 when inline).
    pub fn heap_bytes(&self) -> usize {
        match self {
            SmallBytes::Inline(..) => 0,
            SmallBytes::Heap(b) => b.len(),
        }
    }
}

impl Deref for SmallBytes {
    type Target = [u8];
    #[inline]
    fn deref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl AsRef<[u8]> for SmallBytes {
    fn as_ref(&self) -> &[u8] {
        self.as_slice()
    }
}

impl Borrow<[u8]> for SmallBytes {
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

impl PartialEq for SmallBytes {
    fn eq(&self, o: &Self) -> bool {
        self.as_slice() == o.as_slice()
    }
}

impl Eq for SmallBytes {}

impl core::hash::Hash for SmallBytes {
    fn hash<H: core::hash::Hasher>(&self, h: &mut H) {
        self.as_slice().hash(h)
    }
}

impl core::fmt::Debug for SmallBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{:?}", alloc::string::String::from_utf8_lossy(self.as_slice()))
    }
}

impl From<&[u8]> for SmallBytes {
    fn from(b: &[u8]) -> Self {
        SmallBytes::new(b)
    }
}

impl From<Box<[u8]>> for SmallBytes {
    fn from(b: Box<[u8]>) -> Self {
        if b.len() <= INLINE_MAX {
            SmallBytes::new(&b)
        } else {
            SmallBytes::Heap(b)
        }
    }
}

impl From<Vec<u8>> for SmallBytes {
    fn from(v: Vec<u8>) -> Self {
        if v.len() <= INLINE_MAX {
            SmallBytes::new(&v)
        } else {
            SmallBytes::Heap(v.into_boxed_slice())
        }
    }
}

impl From<SmallBytes> for Box<[u8]> {
    fn from(s: SmallBytes) -> Self {
        s.into_boxed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_and_heap() {
        assert_eq!(core::mem::size_of::<SmallBytes>(), 24);
        for n in [0usize, 1, 22, 23, 100] {
            let v: Vec<u8> = (0..n as u8).collect();
            let s = SmallBytes::new(&v);
            assert_eq!(&*s, &v[..]);
            assert_eq!(matches!(s, SmallBytes::Inline(..)), n <= INLINE_MAX);
            assert_eq!(&*s.into_boxed(), &v[..]);
        }
    }
}
