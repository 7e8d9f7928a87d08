//! A Lua 5.1.5 interpreter written for redlet's Redis scripting: `no_std` +
//! `alloc`, no `unsafe`, no C. It re-implements Lua 5.1.5's algorithms (the
//! bytecode of lparser.c/lcode.c, the table layout of ltable.c, the VM of
//! lvm.c/ldo.c, the messages of ldebug.c and the standard libraries) because
//! Redis scripts depend on their exact behaviour: error texts, `%.14g`
//! numbers, `pairs` order, `#t`.
//!
//! # Using it
//!
//! ```
//! use redlet_lua::{Lua, Value};
//!
//! let mut lua: Lua<()> = Lua::new();
//! lua.open_base();
//! lua.open_table();
//! let f = lua.load(b"local t = {} for i = 1, 3 do t[i] = i * i end return #t, t[3]", b"=example").unwrap();
//! let results = lua.call(&mut (), Value::Function(f), &[]).unwrap();
//! assert_eq!(results, vec![Value::Number(3.0), Value::Number(9.0)]);
//! ```
//!
//! A run can also be sliced: [`Lua::start`] then [`Lua::resume`] with an
//! instruction budget returns [`Step::Paused`] or [`Step::Done`]; the embedder
//! decides between slices (timeouts, `SCRIPT KILL`). Native functions are
//! plain `fn(&mut Ctx<H>) -> Result<usize, LuaError>` ([`NativeFn`]); `H` is
//! the embedder's context, reachable from natives through [`Ctx::host`], and
//! implements [`Host`] (`print`'s sink, the kill poll).
//!
//! # Map
//!
//! | module | holds | from Lua 5.1.5 |
//! |---|---|---|
//! | [`proto`] | instruction encoding, `Proto`, chunk ids | lopcodes, lobject |
//! | [`lex`], [`parse`] | the compiler ([`compile`]) | llex, lparser, lcode |
//! | [`listing`] | `luac -l -l` listings (tests) | print.c |
//! | [`value`] | [`Value`] and handles, [`LuaError`] | lobject |
//! | [`heap`] | arenas, string interning, memory accounting, collector | lstring, lgc |
//! | [`table`] | array + hash parts, `next`, `#t` | ltable |
//! | [`vm`] | the interpreter loop, calls, pcall frames, metamethods | lvm, ldo, ltm |
//! | [`debug`] | error positions and variable names | ldebug |
//! | [`api`] | [`Lua`], [`Ctx`], [`Host`] | lapi, lauxlib |
//! | [`number`], [`pattern`] | `%.14g`, `str2d`, printf; the pattern matcher | lobject, lstrlib |
//! | `lib_*` | base (with coroutine), table, math, debug (getinfo, traceback), string, cjson, cmsgpack, bit, struct | lbaselib, ... |
//!
//! # Differences from C Lua, on purpose
//!
//! - No `io`/`os`/`package` libraries and only `getinfo`/`traceback` of
//!   `debug`; no bytecode
//!   loading, no `__gc` (no finalizers; weak tables are supported).
//! - Tables and functions used as table keys hash by handle, not by address:
//!   their `pairs` order is as arbitrary as C Lua's, but different.
//! - Memory is a deterministic estimate; going over the limit ends the run
//!   with [`LuaError::Memory`], which `pcall` does not catch (nor
//!   [`LuaError::Killed`]).
//! - [`Lua::new`] hashes strings as Redis's patched copy does (every
//!   character); [`Lua::new_lua51`] as stock 5.1.5 (sampled), for comparing
//!   with the `lua5.1` interpreter.
#![no_std]
#![forbid(unsafe_code)]

extern crate alloc;

pub mod proto;
pub mod lex;
pub mod parse;
pub mod listing;
pub mod number;
pub mod pattern;
pub mod value;
pub mod heap;
pub mod table;
pub mod vm;
pub mod debug;
pub mod api;
pub mod lib_base;
pub mod lib_table;
pub mod lib_math;
pub mod lib_debug;
pub mod lib_string;
pub mod lib_cjson;
pub mod lib_cmsgpack;
pub mod lib_bit;
pub mod lib_struct;

pub use api::{Ctx, Host, Lua, NativeFn, Step};
pub use parse::compile;
pub use lib_debug::FrameInfo;
pub use value::{FuncRef, LuaError, StrRef, TableRef, ThreadRef, Value};
