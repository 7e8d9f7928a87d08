//! Lua values: small `Copy` handles into the state's arenas (see `heap.rs`).
//!
//! A [`Value`] is 16 bytes: a tag plus an `f64`, a `usize`, or a handle. Handles
//! are indexes into the arenas of one [`Lua`](crate::api::Lua) state; a handle is
//! only meaningful for the state that made it, and only while the object is
//! reachable from Lua (the collector frees unreachable objects at VM safe
//! points and reuses their slots). A string handle carries Lua 5.1's string
//! hash next to its index, so tables hash string keys without touching the
//! string's bytes.
//!
//! `PartialEq` on [`Value`] is Lua's raw equality (`rawequal`): numbers compare
//! as floats (so NaN differs from itself), strings by identity (they are
//! interned, so identity is content equality), tables and functions by
//! identity.

/// An interned Lua string: an index into the state's string arena and the
/// string's Lua 5.1 hash (lstring.c), which `table.rs` uses for the main
/// position of string keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StrRef {
    pub(crate) idx: u32,
    pub(crate) hash: u32,
}

/// A Lua table: an index into the state's table arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TableRef(pub(crate) u32);

/// A Lua function (a Lua closure or a native function): an index into the
/// state's function arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FuncRef(pub(crate) u32);

/// A coroutine (type "thread"): an index into the state's thread arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ThreadRef(pub(crate) u32);

/// One Lua value. Userdata other than light userdata does not exist here
/// (redlet's libraries need none); `cjson.null` is `LightUserData(0)`.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
// 16-byte alignment lets copies compile to single SSE moves (an 8-aligned
// 16-byte enum is sometimes copied as overlapping 8-byte pieces, which
// stall store forwarding in the interpreter loop).
#[repr(align(16))]
pub enum Value {
    /// `nil`.
    #[default]
    Nil,
    /// `true` / `false`.
    Boolean(bool),
    /// Every Lua 5.1 number is a double.
    Number(f64),
    /// An interned string.
    String(StrRef),
    /// A table.
    Table(TableRef),
    /// A Lua or native function.
    Function(FuncRef),
    /// A light userdata: an opaque word, compared by value, type "userdata".
    LightUserData(usize),
    /// A coroutine (`coroutine.create`).
    Thread(ThreadRef),
}

impl Value {
    /// Lua's type name (`type(v)`), as luaT_typenames.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Nil => "nil",
            Value::Boolean(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Table(_) => "table",
            Value::Function(_) => "function",
            Value::LightUserData(_) => "userdata",
            Value::Thread(_) => "thread",
        }
    }

    /// Whether the value counts as false in a condition (`nil` and `false`).
    #[inline]
    pub fn is_falsy(&self) -> bool {
        matches!(self, Value::Nil | Value::Boolean(false))
    }

    /// Whether the value is `nil`.
    #[inline]
    pub fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// The number, if the value is a number (no string coercion).
    #[inline]
    pub fn as_number(&self) -> Option<f64> {
        match *self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// The string handle, if the value is a string.
    #[inline]
    pub fn as_str(&self) -> Option<StrRef> {
        match *self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The table handle, if the value is a table.
    #[inline]
    pub fn as_table(&self) -> Option<TableRef> {
        match *self {
            Value::Table(t) => Some(t),
            _ => None,
        }
    }

    /// The function handle, if the value is a function.
    #[inline]
    pub fn as_function(&self) -> Option<FuncRef> {
        match *self {
            Value::Function(f) => Some(f),
            _ => None,
        }
    }

    /// The coroutine handle, if the value is a thread.
    #[inline]
    pub fn as_thread(&self) -> Option<ThreadRef> {
        match *self {
            Value::Thread(t) => Some(t),
            _ => None,
        }
    }
}

/// Why a run (or a call into the runtime) failed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LuaError {
    /// A Lua error with its value, like `lua_error`: usually a string with a
    /// "chunk:line: " prefix, but `error({})` raises a table. `pcall` catches
    /// it. The value is only rooted while it sits on the Lua stack: convert it
    /// (for example with [`Lua::error_bytes`](crate::api::Lua::error_bytes))
    /// before running Lua code again.
    Runtime(Value),
    /// The state went over its memory limit ("not enough memory"). Not
    /// catchable by `pcall`: the run ends.
    Memory,
    /// The host's [`Host::should_kill`](crate::api::Host::should_kill) asked to
    /// stop. Not catchable by `pcall`: the run ends.
    Killed,
}
