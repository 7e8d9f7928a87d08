//! The differential harness: redlet against a real `redis-server`.
//!
//! Where redlet's side runs (see `run::Settings`):
//!
//! - by default, in process: a fresh `redlet::Engine` for every sequence
//!   and scenario, its clients opened with `Engine::open_client`;
//! - `REDLET_DIFF_TARGET=host:port`: a RESP server that runs redlet (the
//!   wasm build served by `npx redlet serve`, the native `redlet serve
//!   --port 7001`, ...), reached exactly as Redis is: replies over TCP,
//!   keyspaces dumped through commands, subscribers and multi-client
//!   scenarios on TCP connections, blocked clients seen through `INFO
//!   clients` / `CLIENT LIST`. Before each sequence and scenario it is
//!   `run::reset` (FLUSHALL, the parameters the generators CONFIG SET back
//!   to Redis's defaults, CONFIG RESETSTAT); a new connection starts in db 0
//!   with no name, as a fresh engine's client does. The harness turns its
//!   active expiry off (`DEBUG SET-ACTIVE-EXPIRE 0`, allowed over loopback
//!   by redlet's default `enable-debug-command local`). Tests take turns on
//!   the one server (a lock), so they may run in parallel threads. The
//!   commands generated are redlet's own table, as in process.
//! - `REDLET_DIFF_SELFTEST=1`: a second redis-server takes redlet's place
//!   the same way, with every command generated: any mismatch is a harness
//!   bug.
//!
//! Client ids differ between servers, so they are never compared: HELLO's
//! `id` is masked, and CLIENT UNBLOCK names each side's own id.
//!
//! | module | holds |
//! |---|---|
//! | [`resp`] | the one RESP parser both sides' replies go through |
//! | [`redis`] | the redis-server child process and connections to it |
//! | [`clients`] | one side's clients in multi-client scenarios (TCP or engine) |
//! | [`rng`] | the seeded PRNG of the generators |
//! | [`gen`] | per-family random command generators |
//! | [`known`] | quarantined mismatch signatures (normally none) |
//! | [`run`] | comparison, keyspace dump, shrinking, the family driver |
//! | [`multi`] | multi-client scenarios (blocking lists, zsets, streams) |
//! | [`multi_pubsub`] | multi-client pub/sub scenarios |
//! | [`multi_acl`] | multi-client ACL scenarios: random users, rules and commands |
//! | [`multi_tracking`] | multi-client tracking, MONITOR and CLIENT REPLY scenarios |
#![allow(dead_code)]

pub mod clients;
pub mod gen;
pub mod known;
pub mod multi;
pub mod multi_acl;
pub mod multi_pubsub;
pub mod multi_tracking;
pub mod redis;
pub mod resp;
pub mod rng;
pub mod run;
