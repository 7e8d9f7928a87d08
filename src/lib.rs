//! # redlet
//!
//! Redis 7.0 semantics as a library: an in-memory data-structure engine that
//! runs wherever Rust and WebAssembly run. The core is `no_std` + `alloc`; it
//! does no I/O, reads no clock and spawns no threads. Hosts (the `redlet`
//! server, the npm package, the WASI component, plugin runtimes) feed it
//! commands and drive its timers.
//!
//! ## Map of the crate
//!
//! | module | holds |
//! |---|---|
//! | [`engine`] | [`Engine`]: databases, clients, config, clock, RNG; `execute`, blocking, `tick` |
//! | [`keyspace`] | [`keyspace::Db`]: the one key-lookup path (lazy expiry), active expiry |
//! | [`bytes`] | [`bytes::SmallBytes`], inline short keys |
//! | [`dict`] | stable-slot hash map behind the keyspace, hashes and sets (SCAN guarantee) |
//! | [`types`] | one file per value type |
//! | [`cmd`] | the command table, argument cursor, one file per command family |
//! | [`cmdmeta`] | COMMAND INFO/DOCS metadata Redis reports: tips, key specs, complexity, history |
//! | [`reply`] | [`Reply`], RESP3-shaped; RESP2 is a rendering |
//! | [`frame`] | [`frame::Frame`]: replies as flat pre-order frame lists (the WIT `frame`), and back |
//! | [`resp`] | RESP request parsing (multibulk and inline) with Redis's limits |
//! | [`session`] | one RESP connection: input to commands, replies to bytes, blocking and closing (every RESP host uses it) |
//! | [`output`] | [`output::Output`]: a connection's pending bytes, large bulk strings moved in rather than copied |
//! | [`error`] | [`Error`]: every error text, defined once |
//! | [`num`] | Redis's integer/double parsing and `%.17g` formatting |
//! | [`order`] | one shared sort for cold paths (keeps the wasm small) |
//! | [`ldouble`] | x87 80-bit `long double` arithmetic for INCRBYFLOAT |
//! | [`glob`] | Redis's glob matching (KEYS, SCAN MATCH, ...) |
//! | [`pubsub`] | the pub/sub subscription registry |
//! | [`geo`] | geohash scores, neighbours, distances and search areas of the GEO commands |
//! | [`fmath`] | correctly rounded `sin`/`cos`/`asin` in `core` Rust: the GEO math without `std` |
//! | [`hll`] | HyperLogLog in Redis's byte format: sparse/dense registers, estimator |
//! | [`info`] | INFO text and deterministic memory accounting |
//! | [`export`] | the keyspace as RESP commands for `redis-cli --pipe` |
//! | [`rdb`] | Redis's RDB serialization: DUMP/RESTORE payloads, RDB files both ways |
//! | [`evict`] | `maxmemory`: eviction policies, the eviction pool, the OOM gate |
//! | [`storage`] | the [`storage::Storage`] trait hosts implement for snapshots and the journal |
//! | [`persist`], [`snapshot`], [`journal`] | SAVE/load/SHUTDOWN, the snapshot format, the journal of write effects |
//! | [`clock`], [`rng`] | time and randomness, both inputs |
//!
//! ## Features
//!
//! | feature | default | adds |
//! |---|---|---|
//! | `std` | yes | [`clock::SystemClock`] |
//!
//! ## Example
//!
//! ```
//! use redlet::{Engine, Options, Config, Reply, clock::ManualClock};
//! let mut e = Engine::new(Options { config: Config::default(), clock: Box::new(ManualClock::new(1_000)), seed: 1 });
//! assert_eq!(e.command(&[b"SET", b"k", b"v"]), Reply::ok());
//! assert_eq!(e.command(&[b"GET", b"k"]), Reply::Bulk(b"v".to_vec()));
//! ```

#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod acl;
pub mod bytes;
pub mod client;
pub mod clock;
pub mod cmd;
pub mod cmdmeta;
pub mod config;
pub mod diagnostics;
pub mod dict;
pub mod engine;
pub mod error;
pub mod evict;
pub mod export;
pub mod fmath;
pub mod frame;
pub mod geo;
pub mod glob;
pub mod hll;
pub mod info;
pub mod keyspace;
pub mod ldouble;
pub mod journal;
pub mod monitor;
pub mod num;
pub mod order;
pub mod output;
pub mod pause;
pub mod persist;
pub mod pubsub;
pub mod rdb;
pub mod reply;
pub mod resp;
pub mod rng;
#[cfg(feature = "scripting")]
pub(crate) mod script;
pub mod session;
pub mod snapshot;
pub mod storage;
pub mod tracking;
pub mod types;
pub mod vecmap;

pub use client::{ClientId, ClientInfo};
pub use config::Config;
pub use engine::{Engine, Options};
pub use error::{Error, Result};
pub use reply::{Protocol, Reply};
