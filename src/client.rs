//! Clients: every caller of the engine (a connection, a browser tab, a plugin)
//! is a client with its own selected db, name, protocol and blocked state.

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
        }
    }
}
