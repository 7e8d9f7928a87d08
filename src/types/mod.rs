//! Value types, one file each: representation and invariants first, then
//! operations. Commands in `cmd/` parse arguments and call these.

pub mod hash;
pub mod list;
pub mod set;
pub mod stream;
pub mod string;
pub mod zset;

use alloc::boxed::Box;

pub use hash::Hash;
pub use list::List;
pub use set::Set;
pub use stream::Stream;
pub use string::Str;
pub use zset::ZSet;

/// The value stored under a key. Large containers are boxed so a keyspace
/// entry stays small (most keys hold strings).
#[derive(Debug, Clone)]
pub enum Value {
    /// A string (`OBJECT ENCODING` int, embstr or raw).
    Str(Str),
    /// A list.
    List(Box<List>),
    /// A hash.
    Hash(Box<Hash>),
    /// A set.
    Set(Box<Set>),
    /// A sorted set.
    ZSet(Box<ZSet>),
    /// A stream.
    Stream(Box<Stream>),
}

impl Value {
    /// The name `TYPE` reports.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Hash(_) => "hash",
            Value::Set(_) => "set",
            Value::ZSet(_) => "zset",
            Value::Stream(_) => "stream",
        }
    }

    /// The name `OBJECT ENCODING` reports.
    pub fn encoding(&self) -> &'static str {
        match self {
            Value::Str(s) => s.encoding(),
            Value::List(l) => l.encoding(),
            Value::Hash(h) => h.encoding(),
            Value::Set(s) => s.encoding(),
            Value::ZSet(z) => z.encoding(),
            Value::Stream(x) => x.encoding(),
        }
    }

    /// Deterministic estimate of the heap bytes this value uses (memory
    /// accounting; no allocator statistics in a no_std core).
    pub fn weight(&self) -> usize {
        match self {
            Value::Str(s) => s.weight(),
            // The box itself, then what the container owns.
            Value::List(l) => core::mem::size_of::<List>() + l.weight(),
            Value::Hash(h) => core::mem::size_of::<Hash>() + h.weight(),
            Value::Set(s) => core::mem::size_of::<Set>() + s.weight(),
            Value::ZSet(z) => core::mem::size_of::<ZSet>() + z.weight(),
            Value::Stream(x) => core::mem::size_of::<Stream>() + x.weight(),
        }
    }
}

/// Deterministic estimate of the heap bytes of a `BTreeMap` with `len`
/// entries of `kv` bytes (key plus value): leaves of up to 11 entries,
/// split 6 + 1 up + the rest when filled in order (as ids and PELs are), so
/// about one leaf per 7 entries, and one internal node (with 12 child
/// pointers more) per 7 children.
pub fn btree_bytes(len: usize, kv: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let leaf = 16 + 11 * kv;
    let leaves = if len <= 11 { 1 } else { len / 7 + 1 };
    let internal = if leaves > 1 { leaves / 7 + 1 } else { 0 };
    leaves * leaf + internal * (leaf + 12 * 8)
}

/// Typed views of a value, for [`crate::cmd::Ctx::read_as`] and its kin:
/// `None` when the value is of another type.
impl Value {
    /// The list, if this is one.
    pub fn as_list_mut(&mut self) -> Option<&mut List> {
        match self {
            Value::List(l) => Some(l),
            _ => None,
        }
    }

    /// The hash, if this is one.
    pub fn as_hash_mut(&mut self) -> Option<&mut Hash> {
        match self {
            Value::Hash(h) => Some(h),
            _ => None,
        }
    }

    /// The set, if this is one.
    pub fn as_set_mut(&mut self) -> Option<&mut Set> {
        match self {
            Value::Set(s) => Some(s),
            _ => None,
        }
    }

    /// The sorted set, if this is one.
    pub fn as_zset_mut(&mut self) -> Option<&mut ZSet> {
        match self {
            Value::ZSet(z) => Some(z),
            _ => None,
        }
    }

    /// The stream, if this is one.
    pub fn as_stream_mut(&mut self) -> Option<&mut Stream> {
        match self {
            Value::Stream(s) => Some(s),
            _ => None,
        }
    }
}
