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
            Value::List(l) => 16 + l.weight(),
            Value::Hash(h) => 16 + h.weight(),
            Value::Set(s) => 16 + s.weight(),
            Value::ZSet(z) => 16 + z.weight(),
            Value::Stream(x) => 16 + x.weight(),
        }
    }
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
