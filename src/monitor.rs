//! MONITOR: clients that receive a line for every command the engine runs
//! (Redis's `replicationFeedMonitors`).
//!
//! A line is `<sec>.<usec> [<db> <peer>] "arg" "arg"...`, a status reply,
//! the arguments quoted and escaped as Redis's `sdscatrepr` does, secrets
//! shown as `(redacted)`. Commands are fed after they ran (so a blocked
//! command once, when it blocked), except EVAL, EVALSHA and FCALL (and
//! their `_RO` forms), fed before, so that a script's commands (peer `lua`)
//! follow the script's line; administrative and `skip_monitor` commands
//! are not fed, commands refused before running are not fed (but an EXEC
//! refused with EXECABORT is, ending the transaction's lines).
//!
//! Invariant: `Engine::monitors` lists exactly the clients with
//! `Client::monitor` set, in the order they became monitors.

use alloc::string::String;
use core::fmt::Write;

use crate::client::ClientId;
use crate::engine::{Engine, SYSTEM_CLIENT};

/// Appends `arg` quoted as Redis's `sdscatrepr`: `\\`, `\"`, `\n`, `\r`,
/// `\t`, `\a`, `\b` escaped, other bytes outside printable ASCII as `\xhh`.
pub fn repr(out: &mut String, arg: &[u8]) {
    out.push('"');
    for &b in arg {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x20..=0x7e => out.push(b as char),
            _ => {
                let _ = write!(out, "\\x{:02x}", b);
            }
        }
    }
    out.push('"');
}

impl Engine {
    /// Sends the line of client `id`'s command `argv` (command table index
    /// `stat`, run in `db` at `at_us`) to every monitor.
    pub(crate) fn feed_monitors(&mut self, id: ClientId, stat: usize, db: usize, argv: &[&[u8]], at_us: u64) {
        if self.monitors.is_empty() || self.replaying() {
            return;
        }
        let mut line = String::new();
        let _ = write!(line, "{}.{:06} [{} ", at_us / 1_000_000, at_us % 1_000_000, db);
        if self.in_script(id) {
            line.push_str("lua");
        } else {
            match self.clients.get(&id) {
                Some(c) if id != SYSTEM_CLIENT && !c.info.addr.is_empty() => line.push_str(&c.info.addr),
                _ => line.push_str("?:0"),
            }
        }
        line.push_str("] ");
        let secret = crate::diagnostics::redacted_positions(self.table.full_names[stat].as_str(), argv);
        for (j, a) in argv.iter().enumerate() {
            if j > 0 {
                line.push(' ');
            }
            repr(&mut line, if secret.contains(&j) { crate::diagnostics::REDACTED } else { a });
        }
        for m in self.monitors.clone() {
            let Some(c) = self.clients.get_mut(&m) else { continue };
            // The monitor's own command: its line follows its reply.
            if m == id && self.reply_mark.is_none() {
                self.reply_mark = Some(c.outbox.len());
            }
            c.outbox.push_back(crate::reply::Reply::Status(alloc::borrow::Cow::Owned(line.clone())));
            self.wake(m);
        }
    }

    /// Makes client `id` a monitor (MONITOR); false if it already is one.
    pub(crate) fn start_monitor(&mut self, id: ClientId) -> bool {
        match self.clients.get_mut(&id) {
            Some(c) if !c.monitor => {
                c.monitor = true;
                self.monitors.push(id);
                true
            }
            _ => false,
        }
    }

    /// Client `id` stops monitoring (RESET, close).
    pub(crate) fn stop_monitor(&mut self, id: ClientId) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.monitor = false;
        }
        self.monitors.retain(|&m| m != id);
    }
}
