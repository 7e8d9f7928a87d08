//! The parser and code generator (being written): a port of Lua 5.1.5's
//! lparser.c and lcode.c.

use alloc::rc::Rc;

use crate::proto::{CompileError, Proto};

/// Compiles a chunk (not yet implemented: always an error for now).
pub fn compile(_source: &[u8], chunkname: &[u8]) -> Result<Rc<Proto>, CompileError> {
    let mut message = crate::proto::chunk_id_sized(chunkname, 80);
    message.extend_from_slice(b":0: compiler not yet implemented");
    Err(CompileError { message })
}
