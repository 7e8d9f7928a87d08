//! The native host of redlet as a library: what `redlet serve` is made of,
//! reusable by other hosts (the wasmtime host serves RESP over the
//! component with the same loop).
//!
//! - [`storage`]: [`storage::FileStorage`], blobs as files in a folder
//!   (`<dir>/redlet.<name>`), and [`storage::Faults`] for fault injection.
//! - [`config`]: the redis-server style command line (`[file] --name
//!   value...`) into [`config::Settings`].
//! - [`log`]: Redis-style log lines on stdout.
//! - [`server`]: the mio event loop, generic over a [`server::Backend`]
//!   (the native [`redlet::Engine`] implements it).

pub mod config;
pub mod log;
pub mod server;
pub mod storage;
