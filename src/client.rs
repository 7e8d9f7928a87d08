//! Clients: every caller of the engine (a connection, a browser tab, a plugin)
//! is a client with its own selected db, name, protocol and blocked state,
//! its pub/sub subscriptions, transaction (MULTI queue) and WATCHed keys.
//!
//! Invariants: `subs` is `Some` exactly while the client has a subscription
//! (and then `flags` has `client_flags::PUBSUB`); `multi` is `Some` exactly
//! while the client is inside MULTI (flag `MULTI`); every entry of `watched`
//! is mirrored in the engine's per-db watch table.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;

use crate::reply::{Protocol, Reply};

/// A client's id, unique for the engine's lifetime (never reused).
pub type ClientId = u64;

/// What the host tells the engine about a client (CLIENT LIST/INFO show it).
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    /// Peer address, `ip:port` (empty for in-process callers).
    pub addr: String,
    /// Local address, `ip:port`.
    pub laddr: String,
    /// File descriptor number, -1 when there is none.
    pub fd: i64,
}

/// State kept while a client is blocked.
#[derive(Debug, Clone)]
pub struct Blocked {
    /// Db the client blocked in.
    pub db: usize,
    /// Keys it waits on.
    pub keys: Vec<Box<[u8]>>,
    /// Absolute deadline in ms; `None` = forever.
    pub deadline_ms: Option<u64>,
    /// The command, re-run when a key is written.
    pub argv: Vec<Vec<u8>>,
    /// Reply on timeout.
    pub timeout_reply: Reply,
    /// Re-run the command even when a waited key was deleted.
    pub wake_on_delete: bool,
    /// Postponed by CLIENT PAUSE: the command runs from the start when the
    /// pause ends (no keys, no deadline).
    pub postponed: bool,
}

/// A transaction being queued between MULTI and EXEC.
#[derive(Debug, Clone, Default)]
pub struct MultiState {
    /// Queued commands (argv, name included), resolved again at EXEC.
    pub queue: Vec<Vec<Vec<u8>>>,
    /// A command was rejected while queueing (Redis's `CLIENT_DIRTY_EXEC`):
    /// EXEC answers EXECABORT, and nothing more is queued.
    pub aborted: bool,
}

/// A key a client WATCHes.
#[derive(Debug, Clone)]
pub struct WatchedKey {
    /// Db index (watches stay with the index across SWAPDB).
    pub db: usize,
    /// The key.
    pub key: Box<[u8]>,
    /// The key was already logically expired (but not yet deleted) when
    /// watched: its expiry then does not fail EXEC.
    pub expired: bool,
}

/// One client.
#[derive(Debug, Clone)]
pub struct Client {
    /// Id.
    pub id: ClientId,
    /// Selected db.
    pub db: usize,
    /// `CLIENT SETNAME` name.
    pub name: Option<Vec<u8>>,
    /// Protocol version.
    pub proto: Protocol,
    /// Host-supplied details.
    pub info: ClientInfo,
    /// Creation time, ms.
    pub created_ms: u64,
    /// Time of the last command, ms.
    pub last_ms: u64,
    /// Full name of the last command (`client|list`).
    pub last_cmd: &'static str,
    /// Blocked state, if blocked.
    pub blocked: Option<Blocked>,
    /// Replies and messages produced outside a direct `execute` answer
    /// (an unblocked command's reply, later pub/sub pushes), oldest first.
    pub outbox: VecDeque<Reply>,
    /// True once listed in the engine's woken list, until drained.
    pub(crate) woken: bool,
    /// The host should close the connection after flushing replies
    /// (QUIT, CLIENT KILL).
    pub close: bool,
    /// `CLIENT NO-EVICT`-style and other flags, as letters for CLIENT LIST.
    pub flags: u32,
    /// Pub/sub subscriptions, present while the client has any.
    pub subs: Option<Box<crate::pubsub::ClientSubs>>,
    /// The transaction being queued, between MULTI and EXEC/DISCARD.
    pub multi: Option<MultiState>,
    /// WATCHed keys, in WATCH order (each (db, key) once).
    pub watched: Vec<WatchedKey>,
    /// CLIENT TRACKING state, when on.
    pub tracking: Option<crate::tracking::ClientTracking>,
    /// Authenticated: at once when the default user needs no password
    /// (`nopass`, as without `requirepass`); otherwise after AUTH or HELLO
    /// AUTH.
    pub authenticated: bool,
    /// The ACL user the client runs as (an id of the engine's ACL; the
    /// default user until AUTH names another).
    pub user: u32,
    /// In MONITOR mode: receives a line per command run (see
    /// [`crate::monitor`]) and may not touch the keyspace.
    pub monitor: bool,
    /// `CLIENT REPLY OFF`: no replies until `CLIENT REPLY ON` (pub/sub
    /// messages and confirmations still go out, as Redis 7.0 pushes them).
    pub reply_off: bool,
    /// Bytes of replies and messages its host still has to write
    /// ([`crate::Engine::note_output`]): CLIENT LIST's `omem`.
    pub obuf_bytes: u64,
    /// When its output went past the soft `client-output-buffer-limit`
    /// (ms; 0: it is not past it).
    pub obuf_soft_since: u64,
    /// `CLIENT REPLY SKIP`: [`ReplySkip::Next`] after the SKIP command,
    /// [`ReplySkip::Now`] while the command after it runs (and while it
    /// is blocked), then [`ReplySkip::No`] again.
    pub reply_skip: ReplySkip,
}

/// Where a client is in `CLIENT REPLY SKIP` (Redis's `CLIENT_REPLY_SKIP_NEXT`
/// and `CLIENT_REPLY_SKIP` flags).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReplySkip {
    /// Replies go out.
    #[default]
    No,
    /// The next command's reply will be dropped.
    Next,
    /// This command's reply is dropped.
    Now,
}

impl Client {
    /// Whether the reply being produced now is dropped (REPLY OFF or SKIP).
    pub fn silenced(&self) -> bool {
        self.reply_off || self.reply_skip == ReplySkip::Now
    }

    /// After a command that did not block (Redis's `resetClient`): a SKIP
    /// ends, a SKIP asked for by this command starts.
    pub(crate) fn command_done(&mut self) {
        self.reply_skip = match self.reply_skip {
            ReplySkip::Next => ReplySkip::Now,
            _ => ReplySkip::No,
        };
        // CLIENT CACHING lasts for the next command (or transaction):
        // any other command than a CLIENT one outside MULTI ends it.
        if self.multi.is_none() && !self.last_cmd.starts_with("client") {
            if let Some(t) = self.tracking.as_mut() {
                t.caching = false;
            }
        }
    }
}

impl Client {
    pub(crate) fn new(id: ClientId, info: ClientInfo, now_ms: u64) -> Self {
        Client {
            id,
            db: 0,
            name: None,
            proto: Protocol::Resp2,
            info,
            created_ms: now_ms,
            last_ms: now_ms,
            last_cmd: "NULL",
            blocked: None,
            outbox: VecDeque::new(),
            woken: false,
            close: false,
            flags: 0,
            subs: None,
            multi: None,
            watched: Vec::new(),
            tracking: None,
            authenticated: true,
            user: crate::acl::DEFAULT_USER,
            monitor: false,
            reply_off: false,
            obuf_bytes: 0,
            obuf_soft_since: 0,
            reply_skip: ReplySkip::No,
        }
    }
}
