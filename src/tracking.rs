//! Client-side caching: CLIENT TRACKING and its invalidation messages
//! (Redis 7.0's tracking.c).
//!
//! Default mode: after a read-only command, the keys it read are
//! remembered for the client (with OPTIN only after CLIENT CACHING YES,
//! with OPTOUT unless CLIENT CACHING NO); the first change to such a key
//! (a write, an expiry, an eviction) sends the client one invalidation for
//! it and forgets it. BCAST mode: every change to a key under one of the
//! client's prefixes is collected and sent after the command, per prefix.
//! FLUSHDB/FLUSHALL invalidate everything (a null instead of keys).
//!
//! Messages: a RESP3 client gets a push `invalidate [keys]`; with REDIRECT
//! they go to another client instead, as a push if it speaks RESP3 or as a
//! `__redis__:invalidate` pub/sub message if it is a subscribed RESP2
//! client (else nothing); a redirect to a client that is gone gives the
//! tracking client a `tracking-redir-broken` push (RESP3). Messages for the
//! client whose command caused them come after that command's reply.
//!
//! Keys are not per db, as in Redis. Invariant: `table` holds only
//! non-empty id lists; a client id in it may be stale (closed or no longer
//! tracking) and is skipped when sending, as Redis does.

use alloc::vec;
use alloc::vec::Vec;

use hashbrown::HashMap;

use crate::client::ClientId;
use crate::engine::Engine;
use crate::reply::Reply;
use crate::vecmap::VecMap;

/// A client's tracking options.
#[derive(Debug, Clone, Default)]
pub struct ClientTracking {
    /// Where messages go (0: to the client itself).
    pub redirect: ClientId,
    /// The redirect target is gone.
    pub broken_redirect: bool,
    /// BCAST mode (with `prefixes`).
    pub bcast: bool,
    /// OPTIN mode.
    pub optin: bool,
    /// OPTOUT mode.
    pub optout: bool,
    /// No messages about the client's own changes.
    pub noloop: bool,
    /// CLIENT CACHING YES (OPTIN) / NO (OPTOUT), for the next command.
    pub caching: bool,
    /// BCAST prefixes, sorted.
    pub prefixes: Vec<Vec<u8>>,
}

/// Keys changed under one BCAST prefix since the last broadcast, each with
/// the client that changed it last (0: none, an expiry or eviction).
#[derive(Debug, Clone, Default)]
struct Bcast {
    keys: VecMap<ClientId>,
    clients: Vec<ClientId>,
}

/// A BCAST prefix's collected keys and its clients, taken for sending.
type Broadcast = (VecMap<ClientId>, Vec<ClientId>);

/// The engine's tracking tables.
#[derive(Debug, Clone, Default)]
pub struct Tracking {
    /// Key -> clients that may cache it (default mode).
    table: HashMap<Vec<u8>, Vec<ClientId>, foldhash::fast::FixedState>,
    /// Sum of the table's list lengths (INFO's tracking_total_items).
    items: usize,
    /// Prefix -> its BCAST state, in prefix order.
    prefixes: VecMap<Bcast>,
    /// Clients with tracking on.
    clients: usize,
    /// Calls of [`Engine::tracking_limit`] in a row that left the table
    /// over its limit (they raise its effort).
    over_limit_calls: u32,
}

impl Tracking {
    /// INFO: clients tracking, keys, items, prefixes.
    pub fn stats(&self) -> (usize, usize, usize, usize) {
        (self.clients, self.table.len(), self.items, self.prefixes.len())
    }
}

/// Whether prefix `a` and prefix `b` overlap (one starts the other).
fn overlaps(a: &[u8], b: &[u8]) -> bool {
    let n = a.len().min(b.len());
    a[..n] == b[..n]
}

impl Engine {
    /// Whether any client tracks keys (the hot paths' early exit).
    #[inline]
    pub(crate) fn tracking_active(&self) -> bool {
        self.tracking.clients > 0
    }

    /// Whether changes must reach the tracking table: someone tracks, or
    /// the table still remembers keys of clients that turned tracking off
    /// (Redis keeps them: a client that turns it back on before the key
    /// changes is told then; a change meanwhile just forgets the key).
    #[inline]
    pub(crate) fn tracking_live(&self) -> bool {
        self.tracking.clients > 0 || !self.tracking.table.is_empty()
    }

    /// CLIENT TRACKING ON's checks and effect (Redis's client command and
    /// enableTracking). `redirect` is 0 for none.
    pub(crate) fn enable_tracking(&mut self, id: ClientId, redirect: ClientId, opts: ClientTracking) -> Result<(), Vec<u8>> {
        let err = |s: &str| Err(s.as_bytes().to_vec());
        let current = self.clients.get(&id).and_then(|c| c.tracking.clone());
        if !opts.bcast && !opts.prefixes.is_empty() {
            return err("PREFIX option requires BCAST mode to be enabled");
        }
        if let Some(cur) = &current {
            if cur.bcast != opts.bcast {
                return err("You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
            }
        }
        if opts.bcast && (opts.optin || opts.optout) {
            return err("OPTIN and OPTOUT are not compatible with BCAST");
        }
        if opts.optin && opts.optout {
            return err("You can't specify both OPTIN mode and OPTOUT mode");
        }
        if let Some(cur) = &current {
            if (opts.optin && cur.optout) || (opts.optout && cur.optin) {
                return err("You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
            }
        }
        if opts.bcast {
            let existing: &[Vec<u8>] = current.as_ref().map_or(&[], |c| &c.prefixes);
            for (i, p) in opts.prefixes.iter().enumerate() {
                if let Some(e) = existing.iter().find(|e| overlaps(e, p)) {
                    let mut m = b"ERR Prefix '".to_vec();
                    m.extend_from_slice(p);
                    m.extend_from_slice(b"' overlaps with an existing prefix '");
                    m.extend_from_slice(e);
                    m.extend_from_slice(b"'. Prefixes for a single client must not overlap.");
                    return Err(m);
                }
                if let Some(q) = opts.prefixes[i + 1..].iter().find(|q| overlaps(p, q)) {
                    let mut m = b"ERR Prefix '".to_vec();
                    m.extend_from_slice(p);
                    m.extend_from_slice(b"' overlaps with another provided prefix '");
                    m.extend_from_slice(q);
                    m.extend_from_slice(b"'. Prefixes for a single client must not overlap.");
                    return Err(m);
                }
            }
        }
        // enableTracking: flags replaced, prefixes added to the old ones.
        let mut t = current.clone().unwrap_or_default();
        if current.is_none() {
            self.tracking.clients += 1;
            if self.tracking.clients == 1 {
                self.sync_all_db_events();
            }
        }
        t.redirect = redirect;
        t.broken_redirect = false;
        t.bcast = opts.bcast;
        t.optin = opts.optin;
        t.optout = opts.optout;
        t.noloop = opts.noloop;
        if opts.bcast {
            let wanted: Vec<Vec<u8>> = if opts.prefixes.is_empty() { vec![Vec::new()] } else { opts.prefixes };
            for p in wanted {
                let b = self.tracking.prefixes.entry_or_default(&p);
                if !b.clients.contains(&id) {
                    b.clients.push(id);
                    b.clients.sort_unstable();
                }
                if !t.prefixes.contains(&p) {
                    t.prefixes.push(p);
                    t.prefixes.sort();
                }
            }
        }
        if let Some(c) = self.clients.get_mut(&id) {
            c.tracking = Some(t);
        }
        Ok(())
    }

    /// CLIENT TRACKING OFF, RESET, close: the client's prefixes go; its
    /// entries in the key table are dropped lazily.
    pub(crate) fn disable_tracking(&mut self, id: ClientId) {
        let Some(t) = self.clients.get_mut(&id).and_then(|c| c.tracking.take()) else { return };
        self.tracking.clients -= 1;
        if self.tracking.clients == 0 {
            self.sync_all_db_events();
        }
        for p in &t.prefixes {
            if let Some(b) = self.tracking.prefixes.get_mut(p) {
                b.clients.retain(|&c| c != id);
                if b.clients.is_empty() {
                    self.tracking.prefixes.remove(p);
                }
            }
        }
    }

    /// Whether client `id` tracks keys in default mode (not BCAST), so its
    /// reads are remembered.
    pub(crate) fn tracks_default_mode(&self, id: ClientId) -> bool {
        self.clients.get(&id).and_then(|c| c.tracking.as_ref()).is_some_and(|t| !t.bcast)
    }

    /// After a read-only command of client `id` in default mode: remembers
    /// `keys` for it (trackingRememberKeys), unless OPTIN without CLIENT
    /// CACHING YES or OPTOUT after CLIENT CACHING NO.
    pub(crate) fn tracking_remember<'k>(&mut self, id: ClientId, keys: impl IntoIterator<Item = &'k [u8]>) {
        let Some(t) = self.clients.get(&id).and_then(|c| c.tracking.as_ref()) else { return };
        if t.bcast || (t.optin && !t.caching) || (t.optout && t.caching) {
            return;
        }
        for key in keys {
            let ids = self.tracking.table.entry(key.to_vec()).or_default();
            if !ids.contains(&id) {
                ids.push(id);
                self.tracking.items += 1;
            }
        }
    }

    /// A script ran a read-only command: its caller remembers the keys the
    /// script declared ([`crate::script::Run::track`]), each time, since a
    /// write in the script may have invalidated them in between.
    pub(crate) fn tracking_remember_script_keys(&mut self) {
        #[cfg(feature = "scripting")]
        {
            let Some(run) = self.scripting.run.as_mut() else { return };
            let Some(keys) = run.track.take() else { return };
            let caller = run.caller;
            self.tracking_remember(caller, keys.iter().map(Vec::as_slice));
            if let Some(run) = self.scripting.run.as_mut() {
                run.track = Some(keys);
            }
        }
    }

    /// A key changed (written by client `by`, 0 for an expiry or eviction):
    /// invalidates it for the clients that may cache it and records it for
    /// the matching BCAST prefixes (trackingInvalidateKey).
    pub(crate) fn tracking_invalidate(&mut self, by: ClientId, key: &[u8]) {
        if !self.tracking_live() {
            return;
        }
        for (p, b) in self.tracking.prefixes.iter_mut() {
            if key.starts_with(p) {
                b.keys.insert(key.to_vec(), by);
            }
        }
        self.tracking_forget(key);
    }

    /// Drops `key` from the table, telling the clients that may cache it
    /// (all but BCAST ones, and a NOLOOP client whose command is running).
    fn tracking_forget(&mut self, key: &[u8]) {
        let Some(mut ids) = self.tracking.table.remove(key) else { return };
        self.tracking.items -= ids.len();
        if !self.tracking_live() {
            // The last stale key is gone: dbs may stop recording expiries.
            self.sync_all_db_events();
        }
        // Redis walks the ids as a radix tree of their in-memory bytes.
        ids.sort_unstable_by_key(|id| id.to_le_bytes());
        // NOLOOP spares the client whose command is running (Redis's
        // `current_client`): a script's caller for the script's writes,
        // the reader for a lazy expiry; BCAST compares with `by` instead.
        let current = self.executing.unwrap_or(0);
        for target in ids {
            let Some(t) = self.clients.get(&target).and_then(|c| c.tracking.as_ref()) else { continue };
            if t.bcast || (t.noloop && target == current) {
                continue;
            }
            self.send_invalidation(target, Reply::Array(vec![Reply::bulk(key)]));
        }
    }

    /// Keeps the table within `tracking-table-max-keys` (Redis's
    /// `trackingLimitUsedSlots`, run before every command and from the
    /// cron): while it is over, keys are dropped and their clients told, at
    /// most 100 per call times the number of calls in a row that found it
    /// still over. Redis picks each key by a random walk of its radix tree;
    /// here a run of keys starts at a random one among the first 4,096 in
    /// table order (hash order), so the cost stays bounded whatever the
    /// table's size. Which keys go is random in both.
    pub(crate) fn tracking_limit(&mut self) {
        let max = self.config.tracking_table_max_keys;
        let len = self.tracking.table.len() as u64;
        if max == 0 || len <= max {
            self.tracking.over_limit_calls = 0;
            return;
        }
        let effort = 100 * (u64::from(self.tracking.over_limit_calls) + 1);
        let n = (len - max).min(effort) as usize;
        let start = self.rng.below(len.min(4096)) as usize;
        let keys = &self.tracking.table;
        let victims: Vec<Vec<u8>> = keys.keys().skip(start).chain(keys.keys().take(start)).take(n).cloned().collect();
        // Invalidations go out now, even to the client about to run a
        // command (Redis sends them before processing it).
        let before = core::mem::replace(&mut self.evicting_before_command, true);
        for key in victims {
            self.tracking_forget(&key);
        }
        self.evicting_before_command = before;
        if self.tracking.table.len() as u64 > max {
            self.tracking.over_limit_calls = self.tracking.over_limit_calls.saturating_add(1);
        } else {
            self.tracking.over_limit_calls = 0;
        }
    }

    /// FLUSHDB/FLUSHALL: every tracking client is told all its keys are
    /// invalid (a null); the key table is emptied.
    pub(crate) fn tracking_flush(&mut self) {
        if !self.tracking_live() {
            return;
        }
        let mut ids: Vec<ClientId> = self.clients.iter().filter(|(_, c)| c.tracking.is_some()).map(|(&id, _)| id).collect();
        ids.sort_unstable();
        for id in ids {
            self.send_invalidation(id, Reply::Nil);
        }
        self.tracking.table.clear();
        self.tracking.items = 0;
        if !self.tracking_active() {
            self.sync_all_db_events();
        }
    }

    /// Expiries must reach the tracking table: dbs record them while it is
    /// live (see [`Engine::sync_db_events`]).
    fn sync_all_db_events(&mut self) {
        for db in 0..self.dbs.len() {
            self.sync_db_events(db);
        }
    }

    /// Sends the BCAST invalidations collected since the last call, prefix
    /// by prefix (Redis does it before sleeping, after the command).
    pub(crate) fn tracking_broadcast(&mut self) {
        if !self.tracking_active() || self.tracking.prefixes.values().all(|b| b.keys.is_empty()) {
            return;
        }
        let work: Vec<Broadcast> =
            self.tracking.prefixes.values_mut().filter(|b| !b.keys.is_empty()).map(|b| (core::mem::take(&mut b.keys), b.clients.clone())).collect();
        for (keys, clients) in work {
            for c in clients {
                let noloop = self.clients.get(&c).and_then(|x| x.tracking.as_ref()).is_some_and(|t| t.noloop);
                let list: Vec<Reply> = keys.iter().filter(|(_, &by)| !(noloop && by == c)).map(|(k, _)| Reply::bulk(k)).collect();
                if !list.is_empty() {
                    self.send_invalidation(c, Reply::Array(list));
                }
            }
        }
    }

    /// sendTrackingMessage: `keys` (an array, or a null for "everything")
    /// to tracking client `id` or its redirect target. As in Redis, a
    /// message about the keys of the client whose command is running waits
    /// until after that command's reply (wherever it goes); any other goes
    /// out at once, so a redirect target that is running a command gets it
    /// before its own reply.
    fn send_invalidation(&mut self, id: ClientId, keys: Reply) {
        let Some(c) = self.clients.get(&id) else { return };
        let Some(t) = c.tracking.as_ref() else { return };
        let after_reply = self.executing == Some(id) && !self.evicting_before_command;
        let mut target = id;
        let redirected = t.redirect != 0;
        if redirected {
            if !self.clients.contains_key(&t.redirect) {
                let redirect = t.redirect;
                let resp3 = c.proto == crate::Protocol::Resp3;
                if let Some(t) = self.clients.get_mut(&id).and_then(|c| c.tracking.as_mut()) {
                    t.broken_redirect = true;
                }
                if resp3 {
                    self.push_to(id, Reply::Push(vec![Reply::bulk(b"tracking-redir-broken"), Reply::Int(redirect as i64)]), after_reply);
                }
                return;
            }
            target = t.redirect;
        }
        let Some(tc) = self.clients.get(&target) else { return };
        let msg = if tc.proto == crate::Protocol::Resp3 {
            Reply::Push(vec![Reply::bulk(b"invalidate"), keys])
        } else if redirected && tc.subs.is_some() {
            // Redirected (to itself too) to a RESP2 subscriber: a message
            // on `__redis__:invalidate`, whether or not it subscribed to
            // that channel.
            Reply::Push(vec![Reply::bulk(b"message"), Reply::bulk(b"__redis__:invalidate"), keys])
        } else {
            // A RESP2 connection has no way to receive it.
            return;
        };
        self.push_to(target, msg, after_reply);
    }

    /// Queues a push for `id`. `after_reply`: it waits in
    /// `tracking_pending` until the running command's reply is out (Redis's
    /// `tracking_pending_keys`); otherwise it goes out now, like any message
    /// published to the client (before the reply, unless the command said
    /// its reply was out already: `Ctx::reply_point`).
    fn push_to(&mut self, id: ClientId, msg: Reply, after_reply: bool) {
        if after_reply {
            self.tracking_pending.push((id, msg));
            return;
        }
        let Some(c) = self.clients.get_mut(&id) else { return };
        c.outbox.push_back(msg);
        self.wake(id);
    }

    /// After a command's reply: the invalidations that waited for it.
    pub(crate) fn tracking_flush_pending(&mut self) {
        for (id, msg) in core::mem::take(&mut self.tracking_pending) {
            if let Some(c) = self.clients.get_mut(&id) {
                c.outbox.push_back(msg);
                self.wake(id);
            }
        }
    }
}

/// CLIENT TRACKINGINFO's flags of a client's tracking state.
pub fn info_flags(t: Option<&ClientTracking>) -> Vec<Reply> {
    let s = |x: &'static str| Reply::bulk(x.as_bytes());
    let Some(t) = t else { return vec![s("off")] };
    let mut f = vec![s("on")];
    if t.bcast {
        f.push(s("bcast"));
    }
    if t.optin {
        f.push(s("optin"));
        if t.caching {
            f.push(s("caching-yes"));
        }
    }
    if t.optout {
        f.push(s("optout"));
        if t.caching {
            f.push(s("caching-no"));
        }
    }
    if t.noloop {
        f.push(s("noloop"));
    }
    if t.broken_redirect {
        f.push(s("broken_redirect"));
    }
    f
}
