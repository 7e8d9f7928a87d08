//! CLIENT PAUSE and CLIENT UNPAUSE (Redis 7.0's `pauseClients` for
//! `PAUSE_BY_CLIENT_COMMAND`).
//!
//! While a pause is in force, a command it covers (every command under
//! `ALL`; under `WRITE` the write and may-replicate ones, and an EXEC whose
//! transaction holds one) is not run: its client is postponed, blocked with
//! the command line kept, in arrival order. When the pause ends (CLIENT
//! UNPAUSE, or its end time passing, checked at every command and tick),
//! the postponed clients run their commands from the start, as if they had
//! just arrived, after the command that ended the pause. Meanwhile the
//! dataset stands still: expired keys read as missing but stay, active
//! expiry and eviction wait, as in Redis.
//!
//! Invariants: `postponed` holds exactly the clients blocked with
//! [`Blocked::postponed`](crate::client::Blocked::postponed) set; every db is
//! frozen exactly while `active` is `Some`.

use alloc::collections::VecDeque;
use alloc::vec::Vec;

use crate::client::ClientId;
use crate::cmd::{self, Command};
use crate::engine::Engine;

/// What a pause holds back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PauseKind {
    /// Write and may-replicate commands.
    Write,
    /// Every command.
    All,
}

/// The engine's pause state.
#[derive(Debug, Clone, Default)]
pub struct Pause {
    /// The pause in force and the last millisecond it covers.
    active: Option<(PauseKind, u64)>,
    /// Postponed clients, oldest first.
    postponed: VecDeque<ClientId>,
    /// The pause ended: postponed clients run after the current command.
    release: bool,
}

impl Pause {
    /// The pause in force, if any (its end may have passed: see
    /// [`Engine::check_pause`]).
    pub fn active(&self) -> Option<(PauseKind, u64)> {
        self.active
    }
}

impl Engine {
    /// CLIENT PAUSE: pauses `kind` commands through `end_ms`. A pause in
    /// force keeps the stricter kind and the later end; an end already
    /// past pauses nothing.
    pub(crate) fn pause_clients(&mut self, kind: PauseKind, end_ms: u64, now: u64) {
        let (k, e) = match self.pause.active {
            Some((k0, e0)) => (k0.max(kind), e0.max(end_ms)),
            None => (kind, end_ms),
        };
        self.pause.active = Some((k, e));
        self.set_frozen(true);
        self.check_pause(now);
    }

    /// CLIENT UNPAUSE: ends the pause; postponed clients run after the
    /// current command.
    pub(crate) fn unpause_clients(&mut self) {
        if self.pause.active.take().is_some() {
            self.set_frozen(false);
            self.pause.release = true;
        }
    }

    /// Ends a pause whose end time has passed (Redis's
    /// `checkClientPauseTimeoutAndReturnIfPaused`); returns the pause
    /// still in force.
    pub(crate) fn check_pause(&mut self, now: u64) -> Option<PauseKind> {
        let (kind, end) = self.pause.active?;
        if end < now {
            self.unpause_clients();
            return None;
        }
        Some(kind)
    }

    /// When the pause in force ends (the host's next wakeup).
    pub(crate) fn pause_wakeup_ms(&self) -> Option<u64> {
        self.pause.active.map(|(_, end)| end.saturating_add(1))
    }

    fn set_frozen(&mut self, frozen: bool) {
        for db in &mut self.dbs {
            db.set_frozen(frozen);
        }
    }

    /// Whether the pause in force holds back `cmd` from client `id`
    /// (`in_multi`: EXEC counts the commands it would run).
    pub(crate) fn pause_holds(&mut self, id: ClientId, cmd: &Command, now: u64) -> bool {
        let Some(kind) = self.check_pause(now) else { return false };
        if kind == PauseKind::All {
            return true;
        }
        let replicates = |flags: u32| flags & (cmd::flags::WRITE | cmd::flags::MAY_REPLICATE) != 0;
        if replicates(cmd.flags) {
            return true;
        }
        if cmd.name == "exec" {
            let Some(m) = self.clients.get(&id).and_then(|c| c.multi.as_ref()) else { return false };
            return m.queue.iter().any(|argv| {
                let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
                self.table.resolve(&refs).is_ok_and(|(c, _, _)| replicates(c.flags))
            });
        }
        false
    }

    /// Postpones client `id`'s command `argv` until the pause ends.
    pub(crate) fn postpone(&mut self, id: ClientId, db: usize, argv: &[&[u8]]) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.blocked = Some(crate::client::Blocked {
                db,
                keys: Vec::new(),
                deadline_ms: None,
                argv: argv.iter().map(|a| a.to_vec()).collect(),
                timeout_reply: crate::reply::Reply::NilArray,
                wake_on_delete: false,
                postponed: true,
            });
            self.pause.postponed.push_back(id);
        }
    }

    /// Forgets a postponed client (it was unblocked or closed).
    pub(crate) fn forget_postponed(&mut self, id: ClientId) {
        self.pause.postponed.retain(|&c| c != id);
    }

    /// After a pause ended: each postponed client runs its command from the
    /// start, oldest first; replies go to the outboxes (a command may be
    /// postponed again by a newer pause, or block).
    pub(crate) fn run_postponed(&mut self) {
        while self.pause.release {
            self.pause.release = false;
            let ids: Vec<ClientId> = self.pause.postponed.drain(..).collect();
            for id in ids {
                let Some(b) = self.clients.get_mut(&id).and_then(|c| c.blocked.take()) else { continue };
                let argv: Vec<&[u8]> = b.argv.iter().map(|a| a.as_slice()).collect();
                let now_us = self.clock.now_micros();
                if let Some(reply) = self.run_command(id, &argv, now_us) {
                    if let Some(c) = self.clients.get_mut(&id) {
                        c.outbox.push_back(reply);
                    }
                }
                self.wake(id);
            }
        }
    }
}
