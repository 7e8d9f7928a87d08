//! Pub/Sub commands.

use crate::cmd::Command;

/// This family's command table.
pub const COMMANDS: &[Command] = &[];
