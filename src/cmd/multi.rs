//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH, and the WATCH bookkeeping
//! every write reaches through `Engine::signal_ready`.
//!
//! Queueing is generic (in `Engine::call`): between MULTI and EXEC a client's
//! commands are checked (lookup, arity, NO_MULTI, pub/sub mode), then queued
//! with +QUEUED; a command refused while queueing marks the transaction
//! aborted (EXEC answers EXECABORT). EXEC runs the queue with blocking
//! forbidden, one reply per command (errors included), all at EXEC's
//! instant; clients blocked on keys it wrote are served after it.
//!
//! WATCH, as in Redis 7.0.15: a watched key is invalidated (flag `d`, EXEC
//! answers a null array) when any client modifies it, when it expires or
//! is deleted by expiry, and by FLUSHDB/FLUSHALL/SWAPDB when it existed.
//! A key already logically expired when watched is remembered as such: its
//! deletion by expiry is no change, and it does not fail EXEC by being
//! expired. Watches are kept by db index in `Engine::watched` and per client
//! in `Client::watched`; both always list the same (db, key, client)
//! triples, each once.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::client::{ClientId, MultiState, WatchedKey};
use crate::cmd::server::client_flags;
use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::reply::Reply;

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "multi",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        acl: "@fast @transaction",
        group: "transactions",
        summary: "Mark the start of a transaction block",
        since: "1.2.0",
        handler: multi_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "exec",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG,
        acl: "@slow @transaction",
        group: "transactions",
        summary: "Execute all commands issued after MULTI",
        since: "1.2.0",
        handler: exec_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "discard",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        acl: "@fast @transaction",
        group: "transactions",
        summary: "Discard all commands issued after MULTI",
        since: "2.0.0",
        handler: discard_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "watch",
        arity: -2,
        flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        acl: "@fast @transaction",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "transactions",
        summary: "Watch the given keys to determine execution of the MULTI/EXEC block",
        since: "2.2.0",
        handler: watch_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "unwatch",
        arity: 1,
        flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
        acl: "@fast @transaction",
        group: "transactions",
        summary: "Forget about all watched keys",
        since: "2.2.0",
        handler: unwatch_cmd,
        ..Command::DEFAULT
    },
];

/// What EXEC does when the transaction cannot run.
fn execabort() -> Error {
    Error::msg("EXECABORT Transaction discarded because of previous errors.")
}

impl Engine {
    // ------------------------------------------------------------ transaction

    /// MULTI: starts queueing. Err when already inside MULTI.
    pub fn multi(&mut self, id: ClientId) -> Result<()> {
        let c = self.clients.get_mut(&id).ok_or_else(|| Error::err("no such client"))?;
        if c.multi.is_some() {
            return Err(Error::err("MULTI calls can not be nested"));
        }
        c.multi = Some(MultiState::default());
        c.flags |= client_flags::MULTI;
        Ok(())
    }

    /// Queues a checked command of a client inside MULTI, unless the
    /// transaction can no longer run (aborted or a watched key changed),
    /// where Redis does not bother keeping it.
    pub(crate) fn queue_command(&mut self, id: ClientId, argv: &[&[u8]]) {
        let Some(c) = self.clients.get_mut(&id) else { return };
        let dirty = c.flags & client_flags::DIRTY_CAS != 0;
        if let Some(m) = c.multi.as_mut() {
            if !m.aborted && !dirty {
                m.queue.push(argv.iter().map(|a| a.to_vec()).collect());
            }
        }
    }

    /// Marks a client's transaction (if any) as failed: EXEC will answer
    /// EXECABORT (Redis's `flagTransaction`).
    pub(crate) fn flag_transaction(&mut self, id: ClientId) {
        if let Some(m) = self.clients.get_mut(&id).and_then(|c| c.multi.as_mut()) {
            m.aborted = true;
        }
    }

    /// Leaves MULTI without running anything and forgets the client's
    /// watches (DISCARD, EXEC's end, RESET, closing).
    pub(crate) fn discard_transaction(&mut self, id: ClientId) {
        if let Some(c) = self.clients.get_mut(&id) {
            c.multi = None;
            c.flags &= !(client_flags::MULTI | client_flags::DIRTY_CAS);
        }
        self.unwatch_all(id);
    }

    /// Number of commands queued by a client inside MULTI (`None` outside),
    /// as CLIENT LIST's `multi=` shows it.
    pub fn multi_len(&self, id: ClientId) -> Option<usize> {
        self.clients.get(&id)?.multi.as_ref().map(|m| m.queue.len())
    }

    /// EXEC for client `id` at `now_us`: `Ok(None)` when a watched key
    /// changed (the null-array reply), else one reply per queued command.
    fn exec(&mut self, id: ClientId, now_us: u64) -> Result<Option<Vec<Reply>>> {
        let Some(c) = self.clients.get(&id) else { return Err(Error::err("no such client")) };
        let Some(m) = c.multi.as_ref() else { return Err(Error::err("EXEC without MULTI")) };
        let aborted = m.aborted;
        if self.watched_key_expired(id, now_us / 1000) {
            if let Some(c) = self.clients.get_mut(&id) {
                c.flags |= client_flags::DIRTY_CAS;
            }
        }
        let dirty = self.clients.get(&id).is_some_and(|c| c.flags & client_flags::DIRTY_CAS != 0);
        if aborted || dirty {
            self.discard_transaction(id);
            return if aborted { Err(execabort()) } else { Ok(None) };
        }
        self.unwatch_all(id);
        // The queue stays in place while it runs: the client is still
        // inside MULTI (CLIENT LIST shows it; SUBSCRIBE is allowed).
        let n = self.multi_len(id).unwrap_or(0);
        let mut out = Vec::with_capacity(n);
        for i in 0..n {
            let Some(argv) = self.clients.get(&id).and_then(|c| c.multi.as_ref()).and_then(|m| m.queue.get(i)).cloned() else {
                break;
            };
            let refs: Vec<&[u8]> = argv.iter().map(|a| a.as_slice()).collect();
            let user = self.clients.get(&id).map_or(crate::acl::DEFAULT_USER, |c| c.user);
            let r = match self.table.resolve(&refs) {
                // ACLs are checked again at EXEC: they may have changed
                // since the command was queued.
                Ok((cmd, stat, pos)) => match self.acl_check(user, cmd, stat, pos, &refs) {
                    Err(d) if id != crate::engine::SYSTEM_CLIENT => {
                        let _ = self.acl_refuse(id, d, stat, &refs, crate::acl::Context::Multi);
                        let reason = match d {
                            crate::acl::Denied::Command => "no permission to execute the command or subcommand",
                            crate::acl::Denied::Key(_) => "no permission to touch the specified keys",
                            crate::acl::Denied::Channel(_) => "no permission to access one of the channels used as arguments",
                        };
                        Reply::Error(Error::msg(alloc::format!(
                            "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason: {reason}"
                        )))
                    }
                    _ => self.dispatch(id, cmd, stat, pos, &refs, now_us, false, true).unwrap_or(Reply::NilArray),
                },
                Err(e) => Reply::Error(e),
            };
            out.push(self.with_own_output(id, r));
        }
        self.discard_transaction(id);
        Ok(Some(out))
    }

    // ------------------------------------------------------------------ watch

    /// WATCH `keys` in db `db` for client `id` (already watched keys are
    /// kept as they are). Err inside MULTI; a client whose watches already
    /// failed watches nothing more.
    pub fn watch(&mut self, id: ClientId, db: usize, keys: &[&[u8]]) -> Result<()> {
        let now = self.now_ms();
        self.watch_at(id, db, keys, now)
    }

    /// [`Engine::watch`] at the instant `now` (whether a key is already
    /// expired when watched depends on it).
    fn watch_at(&mut self, id: ClientId, db: usize, keys: &[&[u8]], now: u64) -> Result<()> {
        let c = self.clients.get(&id).ok_or_else(|| Error::err("no such client"))?;
        if c.multi.is_some() {
            return Err(Error::err("WATCH inside MULTI is not allowed"));
        }
        if c.flags & client_flags::DIRTY_CAS != 0 || db >= self.dbs.len() {
            return Ok(());
        }
        let was_empty = self.watched[db].is_empty();
        for &k in keys {
            let list = self.watched[db].entry(Box::from(k)).or_default();
            if list.contains(&id) {
                continue;
            }
            list.push(id);
            let expired = self.key_is_expired(db, k, now);
            if let Some(c) = self.clients.get_mut(&id) {
                c.watched.push(WatchedKey { db, key: k.into(), expired });
            }
        }
        if was_empty {
            self.sync_db_events(db);
        }
        Ok(())
    }

    /// Forgets every key client `id` watches (the `d` flag is the caller's
    /// business).
    pub(crate) fn unwatch_all(&mut self, id: ClientId) {
        let Some(c) = self.clients.get_mut(&id) else { return };
        if c.watched.is_empty() {
            return;
        }
        let keys = core::mem::take(&mut c.watched);
        for wk in keys {
            let Some(map) = self.watched.get_mut(wk.db) else { continue };
            if let Some(list) = map.get_mut(&wk.key) {
                list.retain(|&x| x != id);
                if list.is_empty() {
                    map.remove(&wk.key);
                    if map.is_empty() {
                        self.sync_db_events(wk.db);
                    }
                }
            }
        }
    }

    /// UNWATCH: forgets the client's watches and their failure.
    pub fn unwatch(&mut self, id: ClientId) {
        self.unwatch_all(id);
        if let Some(c) = self.clients.get_mut(&id) {
            c.flags &= !client_flags::DIRTY_CAS;
        }
    }

    /// True if `key` is stored in `db` and logically expired at `now`
    /// (Redis's `keyIsExpired`: no lookup, no deletion).
    fn key_is_expired(&self, db: usize, key: &[u8], now: u64) -> bool {
        self.dbs.get(db).and_then(|d| d.lookup_raw(key)).and_then(|e| e.expire()).is_some_and(|at| at < now)
    }

    /// True if a key the client watches, not already expired when watched,
    /// is expired now (Redis's `isWatchedKeyExpired`, checked by EXEC).
    fn watched_key_expired(&self, id: ClientId, now: u64) -> bool {
        self.clients.get(&id).is_some_and(|c| c.watched.iter().any(|wk| !wk.expired && self.key_is_expired(wk.db, &wk.key, now)))
    }

    /// A write touched `key` in `db`: every client watching it fails its
    /// next EXEC (and stops watching). See [`Engine::touch_watched_as`].
    pub(crate) fn touch_watched(&mut self, db: usize, key: &[u8]) {
        if self.watched.get(db).is_none_or(|m| m.is_empty()) {
            return;
        }
        let deleted = self.dbs[db].lookup_raw(key).is_none();
        self.touch_watched_as(db, key, deleted);
    }

    /// Redis's `touchWatchedKey`, with `deleted` telling whether the key is
    /// gone now. A watcher that saw the key already expired is not failed
    /// by its deletion (it only forgets the expiry); if the key is still
    /// there Redis stops at that watcher, leaving later ones untouched.
    pub(crate) fn touch_watched_as(&mut self, db: usize, key: &[u8], deleted: bool) {
        let Some(list) = self.watched.get(db).and_then(|m| m.get(key)) else { return };
        let ids = list.clone();
        for id in ids {
            let Some(c) = self.clients.get_mut(&id) else { continue };
            if let Some(wk) = c.watched.iter_mut().find(|w| w.db == db && *w.key == *key) {
                if wk.expired {
                    if deleted {
                        wk.expired = false;
                        continue;
                    }
                    break;
                }
            }
            c.flags |= client_flags::DIRTY_CAS;
            self.unwatch_all(id);
        }
    }

    /// Before `emptied` is flushed (`replaced_with` `None`) or swapped with
    /// `replaced_with` (SWAPDB, called for both sides): fails the watchers
    /// of every watched key that exists on either side, except where an
    /// already expired key stays expired or merely disappears (Redis's
    /// `touchAllWatchedKeysInDb`). Watches are kept.
    pub(crate) fn touch_all_watched(&mut self, emptied: usize, replaced_with: Option<usize>, now: u64) {
        let Some(map) = self.watched.get(emptied) else { return };
        if map.is_empty() {
            return;
        }
        let entries: Vec<(Box<[u8]>, Vec<ClientId>)> = map.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        for (key, ids) in entries {
            let in_emptied = self.dbs[emptied].lookup_raw(&key).is_some();
            let in_replaced = replaced_with.is_some_and(|r| self.dbs.get(r).is_some_and(|d| d.lookup_raw(&key).is_some()));
            if !in_emptied && !in_replaced {
                continue;
            }
            let replaced_expired = replaced_with.is_some_and(|r| self.key_is_expired(r, &key, now));
            for id in ids {
                let Some(c) = self.clients.get_mut(&id) else { continue };
                if let Some(wk) = c.watched.iter_mut().find(|w| w.db == emptied && w.key == key) {
                    if wk.expired {
                        if !in_replaced {
                            wk.expired = false;
                            continue;
                        } else if replaced_expired {
                            continue;
                        }
                    } else if !in_emptied && replaced_expired {
                        wk.expired = true;
                        continue;
                    }
                }
                c.flags |= client_flags::DIRTY_CAS;
            }
        }
    }

    /// Hook for SWAPDB before it exchanges dbs `a` and `b` at `now`: events
    /// the dbs recorded are delivered under their old index, and watchers of
    /// keys on either side fail.
    pub(crate) fn before_swapdb(&mut self, a: usize, b: usize, now: u64) {
        self.drain_db_events();
        self.touch_all_watched(a, Some(b), now);
        self.touch_all_watched(b, Some(a), now);
    }

    /// Hook for SWAPDB after the exchange: each db records the events its
    /// index needs (watches stay with the index).
    pub(crate) fn after_swapdb(&mut self, a: usize, b: usize) {
        self.sync_db_events(a);
        self.sync_db_events(b);
    }

    /// Hook for FLUSHDB/FLUSHALL before db `db` is emptied at `now`.
    pub(crate) fn before_flush(&mut self, db: usize, now: u64) {
        self.drain_db_events();
        self.touch_all_watched(db, None, now);
    }
}

// ------------------------------------------------------------------ commands

fn multi_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.multi(cx.client)?;
    Ok(Reply::ok())
}

fn exec_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    // Messages that reached the client before EXEC precede its whole reply
    // (they stay in the outbox for `execute` to put first); those its queued
    // commands publish to it go inside, before each command's reply.
    let earlier: Vec<Reply> = cx.eng.clients.get_mut(&cx.client).map(|c| c.outbox.drain(..).collect()).unwrap_or_default();
    let r = cx.eng.exec(cx.client, cx.now_us);
    if let Some(c) = cx.eng.clients.get_mut(&cx.client) {
        for m in earlier.into_iter().rev() {
            c.outbox.push_front(m);
        }
    }
    Ok(match r? {
        Some(replies) => Reply::Array(replies),
        None => Reply::NilArray,
    })
}

fn discard_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    if cx.eng.multi_len(cx.client).is_none() {
        return Err(Error::err("DISCARD without MULTI"));
    }
    cx.eng.discard_transaction(cx.client);
    Ok(Reply::ok())
}

fn watch_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let keys = a.rest();
    let (id, db, now) = (cx.client, cx.db, cx.now);
    cx.eng.watch_at(id, db, keys, now)?;
    Ok(Reply::ok())
}

fn unwatch_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    cx.eng.unwatch(cx.client);
    Ok(Reply::ok())
}
