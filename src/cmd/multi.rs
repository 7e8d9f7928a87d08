//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH.

use crate::cmd::Command;

/// This family's command table.
pub const COMMANDS: &[Command] = &[];
