//! Bitmap commands: SETBIT GETBIT BITCOUNT BITPOS BITOP BITFIELD.

use crate::cmd::Command;

/// This family's command table.
pub const COMMANDS: &[Command] = &[];
