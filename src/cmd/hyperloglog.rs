//! HyperLogLog commands: PFADD PFCOUNT PFMERGE.

use crate::cmd::Command;

/// This family's command table.
pub const COMMANDS: &[Command] = &[];
