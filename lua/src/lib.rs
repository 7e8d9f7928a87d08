//! A Lua 5.1.5 interpreter written for redlet's Redis scripting: `no_std` +
//! `alloc`, no `unsafe`, no C. It re-implements Lua 5.1.5's algorithms (the
//! bytecode of lparser.c/lcode.c, the table layout of ltable.c, the VM of
//! lvm.c/ldo.c, the messages of ldebug.c and the standard libraries) because
//! Redis scripts depend on their exact behaviour: error texts, `%.14g`
//! numbers, `pairs` order, `#t`.
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
pub mod lib_string;
pub mod lib_cjson;
pub mod lib_cmsgpack;
pub mod lib_bit;
pub mod lib_struct;
