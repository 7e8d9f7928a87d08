//! The differential harness: redlet against a real `redis-server`.
//!
//! | module | holds |
//! |---|---|
//! | [`resp`] | the one RESP parser both sides' replies go through |
//! | [`redis`] | the redis-server child process and connections to it |
//! | [`rng`] | the seeded PRNG of the generators |
//! | [`gen`] | per-family random command generators |
//! | [`known`] | quarantined mismatch signatures (normally none) |
//! | [`run`] | comparison, keyspace dump, shrinking, the family driver |
//! | [`multi`] | multi-client scenarios (blocking lists, zsets, streams) |
//! | [`multi_pubsub`] | multi-client pub/sub scenarios |
#![allow(dead_code)]

pub mod gen;
pub mod known;
pub mod multi;
pub mod multi_pubsub;
pub mod redis;
pub mod resp;
pub mod rng;
pub mod run;
