//! Stream commands: XADD XRANGE XREAD XGROUP XREADGROUP ...

use crate::cmd::Command;

/// This family's command table.
pub const COMMANDS: &[Command] = &[];
